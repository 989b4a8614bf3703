#include "auth/password.hpp"

#include <argon2.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace otdel::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::size_t Utf8Length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Reads "<key>=<int>" at the front of `s`, advancing past it.
std::optional<int> ReadParam(std::string_view& s, std::string_view key) {
    if (s.substr(0, key.size()) != key || s.size() <= key.size() || s[key.size()] != '=') return std::nullopt;
    s.remove_prefix(key.size() + 1);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p == s.data() || v <= 0) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
    return v;
}

}  // namespace

std::optional<core::FieldError> CheckPasswordPolicy(std::string_view password, int min_length, std::string_view field) {
    std::size_t len = Utf8Length(password);
    if (len < static_cast<std::size_t>(std::max(min_length, 1)))
        return core::FieldError{std::string(field), "weak_password", std::to_string(std::max(min_length, 1))};
    if (len > kMaxPasswordLength)
        return core::FieldError{std::string(field), "too_long", std::to_string(kMaxPasswordLength)};
    // A password of spaces only is a typo or a paste error, never a choice.
    if (std::all_of(password.begin(), password.end(), [](unsigned char c) { return c == ' ' || c == '\t'; }))
        return core::FieldError{std::string(field), "weak_password", std::to_string(std::max(min_length, 1))};
    return std::nullopt;
}

std::string HashPassword(std::string_view password, const Argon2Params& params) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char salt[kSaltBytes];
    randombytes_buf(salt, sizeof salt);
    const auto t = static_cast<uint32_t>(params.t_cost);
    const auto m = static_cast<uint32_t>(params.m_cost_kib);
    const auto p = static_cast<uint32_t>(params.parallelism);
    std::vector<char> encoded(argon2_encodedlen(t, m, p, kSaltBytes, kHashBytes, Argon2_id) + 1);
    int rc = argon2id_hash_encoded(t, m, p, password.data(), password.size(), salt, sizeof salt, kHashBytes,
                                   encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id hashing failed: ") + argon2_error_message(rc));
    return std::string(encoded.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
    if (!ParseArgon2idParams(encoded)) return false;
    const std::string enc(encoded);  // argon2 wants a NUL-terminated string
    return argon2id_verify(enc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::optional<Argon2Params> ParseArgon2idParams(std::string_view s) {
    constexpr std::string_view kHead = "$argon2id$v=19$";
    if (s.substr(0, kHead.size()) != kHead) return std::nullopt;
    s.remove_prefix(kHead.size());
    Argon2Params out;
    auto m = ReadParam(s, "m");
    if (!m || s.empty() || s.front() != ',') return std::nullopt;
    s.remove_prefix(1);
    auto t = ReadParam(s, "t");
    if (!t || s.empty() || s.front() != ',') return std::nullopt;
    s.remove_prefix(1);
    auto p = ReadParam(s, "p");
    if (!p || s.empty() || s.front() != '$') return std::nullopt;
    s.remove_prefix(1);
    // <salt>$<hash>, both non-empty base64 without padding.
    auto dollar = s.find('$');
    if (dollar == 0 || dollar == std::string_view::npos || dollar + 1 >= s.size()) return std::nullopt;
    out.m_cost_kib = *m;
    out.t_cost = *t;
    out.parallelism = *p;
    return out;
}

bool NeedsRehash(std::string_view encoded, const Argon2Params& current) {
    auto params = ParseArgon2idParams(encoded);
    return !params || !(*params == current);
}

}  // namespace otdel::auth
