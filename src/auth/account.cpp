#include "auth/account.hpp"

#include <algorithm>
#include <cctype>

#include "auth/password.hpp"
#include "core/lang.hpp"
#include "core/text.hpp"

namespace otdel::auth {
namespace {

using core::Trim;

bool HasControl(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace

std::size_t CharLength(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string NormalizeEmail(std::string_view email) {
    std::string out = Trim(email);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool IsPlausibleEmail(std::string_view e) {
    if (e.empty() || e.size() > kMaxEmailLength || HasControl(e)) return false;
    if (std::any_of(e.begin(), e.end(),
                    [](unsigned char c) { return c == ' ' || c == ',' || c == ';' || c == '<' || c == '>'; }))
        return false;
    auto at = e.rfind('@');
    if (at == std::string_view::npos || at == 0 || e.find('@') != at) return false;
    std::string_view domain = e.substr(at + 1);
    auto dot = domain.rfind('.');
    return !domain.empty() && dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
           domain.front() != '.' && domain.find("..") == std::string_view::npos;
}

std::vector<core::FieldError> ValidateWorkspace(NewWorkspace& ws) {
    std::vector<core::FieldError> errs;
    ws.name = Trim(ws.name);
    if (ws.name.empty()) {
        errs.push_back({"name", "required", ""});
    } else if (CharLength(ws.name) > kMaxWorkspaceNameLength) {
        errs.push_back({"name", "too_long", std::to_string(kMaxWorkspaceNameLength)});
    } else if (HasControl(ws.name)) {
        errs.push_back({"name", "invalid", ""});
    }
    ws.slug = Trim(ws.slug);
    if (ws.slug.empty()) {
        errs.push_back({"slug", "required", ""});
    } else if (ws.slug.size() > kMaxSlugLength) {
        errs.push_back({"slug", "too_long", std::to_string(kMaxSlugLength)});
    } else if (!std::all_of(ws.slug.begin(), ws.slug.end(),
                            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }) ||
               ws.slug.front() == '-' || ws.slug.back() == '-') {
        errs.push_back({"slug", "invalid", ""});
    }
    if (!core::IsSupportedLang(ws.default_locale)) errs.push_back({"default_locale", "not_one_of", "ru, en"});
    // IANA zone names: "Europe/Moscow", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+3".
    bool tz_ok = !ws.time_zone.empty() && ws.time_zone.size() <= 64 &&
                 std::all_of(ws.time_zone.begin(), ws.time_zone.end(),
                             [](char c) {
                                 return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
                                        c == '-' || c == '+';
                             }) &&
                 ws.time_zone.front() != '/' && ws.time_zone.back() != '/';
    if (!tz_ok) errs.push_back({"time_zone", "invalid", ""});
    bool currency_ok = ws.currency.size() == 3 &&
                       std::all_of(ws.currency.begin(), ws.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!currency_ok) errs.push_back({"currency", "invalid", ""});
    return errs;
}

std::vector<core::FieldError> ValidateUser(NewUser& user, int min_password_length) {
    std::vector<core::FieldError> errs;
    if (user.workspace_id <= 0) errs.push_back({"workspace_id", "invalid", ""});
    user.email = NormalizeEmail(user.email);
    if (user.email.empty()) {
        errs.push_back({"email", "required", ""});
    } else if (user.email.size() > kMaxEmailLength) {
        errs.push_back({"email", "too_long", std::to_string(kMaxEmailLength)});
    } else if (!IsPlausibleEmail(user.email)) {
        errs.push_back({"email", "invalid_email", ""});
    }
    user.full_name = Trim(user.full_name);
    if (user.full_name.empty()) {
        errs.push_back({"full_name", "required", ""});
    } else if (CharLength(user.full_name) > kMaxFullNameLength) {
        errs.push_back({"full_name", "too_long", std::to_string(kMaxFullNameLength)});
    } else if (HasControl(user.full_name)) {
        errs.push_back({"full_name", "invalid", ""});
    }
    if (auto e = CheckPasswordPolicy(user.password, min_password_length)) errs.push_back(*e);
    if (!core::IsSupportedLang(user.locale)) errs.push_back({"locale", "not_one_of", "ru, en"});
    return errs;
}

}  // namespace otdel::auth
