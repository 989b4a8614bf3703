#include "auth/credentials.hpp"

#include <algorithm>
#include <cctype>

namespace otdel::auth {
namespace {

bool IsLowerHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Without HTTP's optional white space (spaces and tabs) around it.
std::string_view TrimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool IEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view FirstListItem(std::string_view header) {
    auto comma = header.find(',');
    return TrimOws(header.substr(0, comma));
}

}  // namespace

bool IsWellFormedSessionToken(std::string_view token) {
    return token.size() == 2 * kTokenBytes && IsLowerHex(token);
}

bool IsWellFormedApiToken(std::string_view token) {
    return token.size() == kApiTokenScheme.size() + 2 * kTokenBytes &&
           token.substr(0, kApiTokenScheme.size()) == kApiTokenScheme &&
           IsLowerHex(token.substr(kApiTokenScheme.size()));
}

std::string MakeApiToken(std::string_view hex_secret) {
    return std::string(kApiTokenScheme) + std::string(hex_secret);
}

std::string ApiTokenDisplayPrefix(std::string_view token) {
    return std::string(token.substr(0, kApiTokenScheme.size() + kApiTokenPrefixChars));
}

std::optional<std::string> ParseBearer(std::string_view authorization) {
    authorization = TrimOws(authorization);
    auto space = authorization.find(' ');
    if (space == std::string_view::npos || !IEquals(authorization.substr(0, space), "bearer")) return std::nullopt;
    std::string_view credentials = TrimOws(authorization.substr(space + 1));
    if (credentials.empty()) return std::nullopt;
    return std::string(credentials);
}

std::string SessionCookie(std::string_view token, long long max_age_seconds, bool secure) {
    std::string c = std::string(kSessionCookieName) + "=" + std::string(token) +
                    "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Lax";
    if (secure) c += "; Secure";
    return c;
}

std::string ClearSessionCookie(bool secure) {
    std::string c = std::string(kSessionCookieName) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
    if (secure) c += "; Secure";
    return c;
}

bool IsSafeMethod(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::string ForwardedForClient(std::string_view header) {
    std::string_view first = FirstListItem(header);
    // An address (IPv4, IPv6, optionally with a port) has only these characters; anything else is not trusted.
    bool plausible = !first.empty() && first.size() <= 64 && std::all_of(first.begin(), first.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '[' || c == ']';
    });
    return plausible ? std::string(first) : std::string();
}

bool ForwardedProtoIsHttps(std::string_view header) {
    return IEquals(FirstListItem(header), "https");
}

}  // namespace otdel::auth
