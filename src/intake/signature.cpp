#include "intake/signature.hpp"

#include <sodium.h>

#include <cctype>
#include <cstdlib>

namespace otdel::intake {
namespace {

void Hmac(std::string_view secret, std::string_view timestamp, std::string_view body,
          unsigned char out[crypto_auth_hmacsha256_BYTES]) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(timestamp.data()), timestamp.size());
    const unsigned char dot = '.';
    crypto_auth_hmacsha256_update(&st, &dot, 1);
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    crypto_auth_hmacsha256_final(&st, out);
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string SignHmac(std::string_view secret, std::string_view timestamp, std::string_view body) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    Hmac(secret, timestamp, body, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string(hex);
}

bool VerifyHmac(std::string_view secret, std::string_view timestamp, std::string_view body,
                std::string_view signature_hex) {
    if (secret.empty()) return false;
    if (signature_hex.rfind("sha256=", 0) == 0) signature_hex.remove_prefix(7);
    if (signature_hex.size() != crypto_auth_hmacsha256_BYTES * 2) return false;
    unsigned char presented[crypto_auth_hmacsha256_BYTES];
    for (std::size_t i = 0; i < sizeof presented; ++i) {
        const int hi = HexValue(signature_hex[2 * i]);
        const int lo = HexValue(signature_hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        presented[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    Hmac(secret, timestamp, body, expected);
    return sodium_memcmp(presented, expected, sizeof expected) == 0;
}

std::optional<core::Millis> ParseTimestamp(std::string_view header) {
    if (header.empty() || header.size() > 12) return std::nullopt;
    core::Millis s = 0;
    for (char c : header) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        s = s * 10 + (c - '0');
    }
    return s * 1000;
}

bool FreshTimestamp(core::Millis ts, core::Millis now, core::Millis window) {
    return ts >= now - window && ts <= now + window;
}

bool SecretMatches(std::string_view stored, std::string_view presented) {
    if (stored.empty() || stored.size() != presented.size()) return false;
    return sodium_memcmp(stored.data(), presented.data(), stored.size()) == 0;
}

}  // namespace otdel::intake
