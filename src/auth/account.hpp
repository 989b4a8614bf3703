#pragma once
/// Workspaces and users: the input types and their pure validation rules.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::auth {

struct NewWorkspace {
    std::string name, slug, default_locale = "ru", time_zone = "Europe/Moscow", currency = "RUB";
};

struct NewUser {
    core::Id workspace_id = 0;
    std::string email, full_name, password, locale = "ru";
    bool is_admin = false;
};

struct Workspace {
    core::Id id = 0;
    std::string name, slug, default_locale, time_zone, currency;
};

struct User {
    core::Id workspace_id = 0;
    core::Id id = 0;
    std::string email, full_name, password_hash, locale, status;
    bool is_admin = false;
    bool active() const { return status == "active"; }
};

/// An API token as listed: never the secret, only its recognisable prefix.
struct ApiToken {
    core::Id workspace_id = 0;
    core::Id id = 0;
    core::Id user_id = 0;
    std::string name, prefix;
    core::Millis created_at = 0;
    std::optional<core::Millis> last_used_at, expires_at, revoked_at;
};

inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxFullNameLength = 200;
inline constexpr std::size_t kMaxWorkspaceNameLength = 200;
inline constexpr std::size_t kMaxSlugLength = 63;

/// E-mails are compared trimmed and lower-cased (ASCII; the domain is case-insensitive and in practice so is
/// the local part).
std::string NormalizeEmail(std::string_view email);
/// A plausible address: local@domain.tld, no spaces or control characters, at most 254 characters.
bool IsPlausibleEmail(std::string_view normalized);

/// Every field error of a new workspace (empty when valid). Trims name; slug: [a-z0-9-], 1..63, no edge '-'.
std::vector<core::FieldError> ValidateWorkspace(NewWorkspace& ws);
/// Every field error of a new user (empty when valid). Normalises the e-mail and trims the name in place.
std::vector<core::FieldError> ValidateUser(NewUser& user, int min_password_length);

/// Number of Unicode code points of UTF-8 text: lengths are in characters, for Russian too.
std::size_t CharLength(std::string_view utf8);

}  // namespace otdel::auth
