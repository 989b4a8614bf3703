#pragma once
/// PNG logos: the checks of ValidateLogo and the decoding the renderer draws from. Internal to otdel_pdf.
#include <cairo.h>

#include <memory>
#include <string_view>

#include "core/result.hpp"
#include "documents/pdf.hpp"

namespace otdel::documents {

using ImagePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

/// What ValidateLogo checks before decoding: the size in bytes, the PNG signature and IHDR header, the size in pixels
/// (read from the header, so a small file claiming a huge picture is refused without allocating it).
core::Result<LogoInfo> CheckLogoHeader(std::string_view bytes);

/// The decoded image, or nullptr when cairo cannot read the bytes as a whole PNG.
ImagePtr DecodePng(std::string_view bytes);

}  // namespace otdel::documents
