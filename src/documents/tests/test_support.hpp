#pragma once
/// Shared by the documents tests: field errors of a refused result, a sample PNG.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace otdel::documents::test_support {

/// Whether a refused result names `field` with that reason code.
inline bool HasField(const core::Result<void>& r, std::string_view field, std::string_view code) {
    return !r && r.error().HasField(field, code);
}

/// A 2×2 red PNG.
inline const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02\x08\x06\x00\x00"
    "\x00\x72\xb6\x0d\x24\x00\x00\x00\x11\x49\x44\x41\x54\x78\xda\x63\x38\x21\x27\xf7\x1f\x84\x19\x60\x0c\x00\x47\x34"
    "\x08\x0d\x1b\x27\x91\xb7\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    74);

}  // namespace otdel::documents::test_support
