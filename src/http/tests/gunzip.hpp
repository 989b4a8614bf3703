#pragma once
// Test support: inflates a gzip stream so tests can compare it with the original.
#include <zlib.h>

#include <string>

namespace otdel::http::testing {

/// The inflated text, or a "<inflate failed: rc>" marker that never equals real content.
inline std::string Gunzip(const std::string& gz) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return "<inflateInit2 failed>";
    std::string out;
    char buf[4096];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = static_cast<uInt>(gz.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : "<inflate failed: " + std::to_string(rc) + ">";
}

}  // namespace otdel::http::testing
