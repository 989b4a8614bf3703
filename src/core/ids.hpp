#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otdel::core {

/// Database ids are 64-bit integers on both engines.
using Id = std::int64_t;

/// Cryptographically random URL-safe token of `bytes` random bytes (hex-encoded: 2*bytes chars).
std::string RandomToken(std::size_t bytes = 32);
/// Lower-case hex SHA-256 of `data`: how secrets (session and API tokens) are stored.
std::string Sha256Hex(const std::string& data);
/// Constant-time comparison of two strings (for tokens).
bool ConstantTimeEquals(const std::string& a, const std::string& b);
/// Standard base64 (RFC 4648, with padding, no line breaks): how file bytes are kept in TEXT columns.
std::string Base64Encode(std::string_view bytes);
/// nullopt when `b64` is not standard base64.
std::optional<std::string> Base64Decode(std::string_view b64);

}  // namespace otdel::core
