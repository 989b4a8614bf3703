#pragma once
/// PNG bytes into a cairo image (the renderer's logo, and ValidateLogo's trial decode). Internal to otdel_pdf.
#include <cairo.h>

#include <memory>
#include <string_view>

namespace otdel::documents {

using ImagePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

/// The decoded image, or nullptr when cairo cannot read the bytes as a whole PNG.
ImagePtr DecodePng(std::string_view bytes);

}  // namespace otdel::documents
