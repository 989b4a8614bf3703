#pragma once
/// Passwords: the policy (pure) and argon2id hashing with libargon2's encoded strings
/// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), so every hash carries its own parameters.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace otdel::auth {

/// Upper bound on password length (characters) everywhere: argon2 input is bounded so a huge body cannot burn CPU.
inline constexpr std::size_t kMaxPasswordLength = 1024;

struct Argon2Params {
    int t_cost = 3;
    int m_cost_kib = 65536;
    int parallelism = 1;
    friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

/// NIST SP 800-63B style policy: length only (no composition rules). nullopt when the password is acceptable,
/// else the field error for `field` ("weak_password" with the minimum, or "too_long").
std::optional<core::FieldError> CheckPasswordPolicy(std::string_view password, int min_length,
                                                    std::string_view field = "password");

/// argon2id hash of `password` with a fresh 16-byte random salt, as an encoded string.
/// Throws std::runtime_error when libargon2 refuses (bad parameters, out of memory): never an expected failure.
std::string HashPassword(std::string_view password, const Argon2Params& params);

/// True when `password` matches the encoded argon2id hash. False on mismatch and on a malformed hash.
bool VerifyPassword(std::string_view encoded, std::string_view password);

/// Parameters of an encoded argon2id hash; nullopt when it is not a well-formed argon2id v=19 string.
std::optional<Argon2Params> ParseArgon2idParams(std::string_view encoded);

/// True when the stored hash should be replaced: other parameters than `current`, or not argon2id v=19 at all.
bool NeedsRehash(std::string_view encoded, const Argon2Params& current);

}  // namespace otdel::auth
