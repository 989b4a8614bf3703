#include "documents/pdf_png.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

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

std::uint32_t BigEndian32(std::string_view b, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

}  // namespace

core::Result<LogoInfo> CheckLogoHeader(std::string_view bytes) {
    if (bytes.size() > kMaxLogoBytes)
        return core::Error::Of(core::ErrorCode::kPayloadTooLarge, "documents.logo_too_big");
    constexpr std::string_view kSignature = "\x89PNG\r\n\x1a\n";
    if (bytes.size() < 33 || bytes.substr(0, 8) != kSignature || bytes.substr(12, 4) != "IHDR")
        return core::Error::Field("logo", "not_png");
    const std::uint32_t w = BigEndian32(bytes, 16), h = BigEndian32(bytes, 20);
    if (w == 0 || h == 0) return core::Error::Field("logo", "corrupt");
    if (w > static_cast<std::uint32_t>(kMaxLogoSide) || h > static_cast<std::uint32_t>(kMaxLogoSide))
        return core::Error::Field("logo", "too_large", std::to_string(kMaxLogoSide));
    return LogoInfo{static_cast<int>(w), static_cast<int>(h)};
}

core::Result<LogoInfo> ValidateLogo(std::string_view bytes) {
    auto info = CheckLogoHeader(bytes);
    if (info && !DecodePng(bytes)) return core::Error::Field("logo", "corrupt");
    return info;
}

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
