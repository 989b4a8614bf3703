#include "documents/pdf_png.hpp"

#include <algorithm>

namespace otdel::documents {
namespace {

struct Reader {
    std::string_view data;
    std::size_t at = 0;
};

cairo_status_t Read(void* closure, unsigned char* out, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->data.size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(r->data.data() + r->at, length, out);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

ImagePtr DecodePng(std::string_view bytes) {
    Reader reader{bytes, 0};
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(Read, &reader);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ImagePtr(nullptr, cairo_surface_destroy);
    }
    return ImagePtr(s, cairo_surface_destroy);
}

}  // namespace otdel::documents
