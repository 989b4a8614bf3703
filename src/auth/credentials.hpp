#pragma once
/// Credentials on the wire (pure): the session cookie's format and attributes, the API token format, the
/// Authorization header, and what a reverse proxy tells us. No I/O, no randomness: callers pass tokens in.
#include <optional>
#include <string>
#include <string_view>

namespace otdel::auth {

inline constexpr std::string_view kSessionCookieName = "otdel_session";
inline constexpr std::string_view kApiTokenScheme = "otd_";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";
/// Random bytes in a session token or an API token secret (hex-encoded: twice as many characters).
inline constexpr std::size_t kTokenBytes = 32;
/// Characters of the secret shown in lists after "otd_" (the prefix is "otd_" + these, the start of the token).
inline constexpr std::size_t kApiTokenPrefixChars = 8;

/// True for exactly 2*kTokenBytes lower-case hex characters: the only shape a session cookie can have.
bool IsWellFormedSessionToken(std::string_view token);
/// True for "otd_" followed by exactly 2*kTokenBytes lower-case hex characters.
bool IsWellFormedApiToken(std::string_view token);
/// "otd_" + 64 hex → the API token.
std::string MakeApiToken(std::string_view hex_secret);
/// The recognisable start of a token shown in lists: "otd_" and the first 8 characters of the secret.
std::string ApiTokenDisplayPrefix(std::string_view token);

/// The credentials of "Authorization: Bearer <credentials>" (scheme case-insensitive); nullopt for another
/// scheme or an empty value.
std::optional<std::string> ParseBearer(std::string_view authorization);

/// Set-Cookie value for a new session: Path=/; HttpOnly; SameSite=Lax; Max-Age; Secure when asked.
std::string SessionCookie(std::string_view token, long long max_age_seconds, bool secure);
/// Set-Cookie value that removes the session cookie (empty value, Max-Age=0).
std::string ClearSessionCookie(bool secure);

/// GET, HEAD and OPTIONS change nothing, so they need no CSRF token.
bool IsSafeMethod(std::string_view method);

/// First (client) address of an X-Forwarded-For list, trimmed; empty when absent or implausible.
std::string ForwardedForClient(std::string_view header);
/// True when X-Forwarded-Proto's first value is "https" (case-insensitive).
bool ForwardedProtoIsHttps(std::string_view header);

}  // namespace otdel::auth
