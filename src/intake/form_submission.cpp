#include "intake/form_submission.hpp"

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "clients/normalize.hpp"

namespace otdel::intake {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::FieldError;

namespace {

struct Limit {
    std::string_view name;
    std::size_t max_chars;
    std::string FormSubmission::*member;
};

// The fields a form may send, with their limits (characters).
const Limit kFields[] = {
    {"name", 200, &FormSubmission::name},
    {"phone", 50, &FormSubmission::phone},
    {"email", 254, &FormSubmission::email},
    {"company", 300, &FormSubmission::company},
    {"inn", 20, &FormSubmission::inn},
    {"message", 5000, &FormSubmission::message},
    {"product", 200, &FormSubmission::product},
    {"region", 200, &FormSubmission::region},
    {"utm_source", 200, &FormSubmission::utm_source},
    {"utm_medium", 200, &FormSubmission::utm_medium},
    {"utm_campaign", 200, &FormSubmission::utm_campaign},
    {"utm_content", 200, &FormSubmission::utm_content},
    {"utm_term", 200, &FormSubmission::utm_term},
    {"page_url", 2000, &FormSubmission::page_url},
    {"referrer", 2000, &FormSubmission::referrer},
};
constexpr std::size_t kMaxCustomCode = 50;
constexpr std::size_t kMaxCustomValue = 1000;
constexpr std::size_t kMaxPairs = 200;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string Trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::size_t CharCount(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsCustomCode(std::string_view code) {
    return !code.empty() && code.size() <= kMaxCustomCode && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool Truthy(std::string_view v) {
    const std::string l = Lower(Trim(v));
    return l == "on" || l == "1" || l == "true" || l == "yes" || l == "да";
}

std::string MediaType(std::string_view content_type) {
    auto semi = content_type.find(';');
    return Lower(Trim(content_type.substr(0, semi)));
}

/// Name/value pairs of the body, in order; string values only (JSON numbers and booleans are spelled out).
using Pairs = std::vector<std::pair<std::string, std::string>>;

core::Result<Pairs> JsonPairs(std::string_view body) {
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return Error::Of(ErrorCode::kMalformedJson);
    Pairs out;
    auto scalar = [](const json::value& x) -> std::optional<std::string> {
        if (x.is_string()) return std::string(x.as_string());
        if (x.is_int64()) return std::to_string(x.as_int64());
        if (x.is_uint64()) return std::to_string(x.as_uint64());
        if (x.is_bool()) return std::string(x.as_bool() ? "true" : "false");
        if (x.is_null()) return std::string();
        return std::nullopt;
    };
    std::vector<FieldError> errs;
    for (const auto& [k, val] : v.as_object()) {
        const std::string key(k);
        if (key == "custom" && val.is_object()) {
            for (const auto& [ck, cv] : val.as_object()) {
                auto s = scalar(cv);
                if (!s) {
                    errs.push_back({"custom." + std::string(ck), "wrong_type", "string"});
                    continue;
                }
                out.emplace_back("custom." + std::string(ck), std::move(*s));
            }
            continue;
        }
        auto s = scalar(val);
        if (!s) {
            errs.push_back({key, "wrong_type", "string"});
            continue;
        }
        out.emplace_back(key, std::move(*s));
    }
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return out;
}

core::Result<Pairs> UrlencodedPairs(std::string_view body) {
    // A trailing newline from hand-written requests is not part of the data.
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    // Boost.URL 1.81's parse_query re-measures its input with strlen (query_ref from a bare pointer), so it gets a
    // NUL-terminated copy, and a raw NUL byte — never valid in this encoding — is refused before it.
    if (body.find('\0') != std::string_view::npos) return Error::Of(ErrorCode::kBadRequest, "intake.bad_form_encoding");
    const std::string owned(body);
    const boost::core::string_view view(owned.data(), owned.size());
    if (!boost::urls::parse_query(view)) return Error::Of(ErrorCode::kBadRequest, "intake.bad_form_encoding");
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    Pairs out;
    try {
        for (auto p : boost::urls::params_view(view, opt)) {
            if (p.key.empty()) continue;
            out.emplace_back(p.key, p.has_value ? p.value : std::string());
        }
    } catch (const std::exception&) {
        return Error::Of(ErrorCode::kBadRequest, "intake.bad_form_encoding");
    }
    return out;
}

/// utm_* from the query of the page the form sits on.
void UtmFromPage(FormSubmission& s) {
    if (s.page_url.empty()) return;
    auto u = boost::urls::parse_uri_reference(s.page_url);
    if (!u) return;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    const std::pair<std::string_view, std::string FormSubmission::*> utm[] = {
        {"utm_source", &FormSubmission::utm_source},     {"utm_medium", &FormSubmission::utm_medium},
        {"utm_campaign", &FormSubmission::utm_campaign}, {"utm_content", &FormSubmission::utm_content},
        {"utm_term", &FormSubmission::utm_term},
    };
    try {
        for (auto p : boost::urls::params_view(u->encoded_query(), opt)) {
            for (const auto& [name, member] : utm) {
                if (p.key == name && (s.*member).empty() && p.has_value && IsValidUtf8(p.value))
                    s.*member = Trim(p.value).substr(0, 200);
            }
        }
    } catch (const std::exception&) {
        // A page address we cannot read only loses attribution, never the lead.
    }
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(len) > n) return false;
        for (int k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(len);
    }
    return true;
}

core::Result<FormSubmission> ParseFormSubmission(std::string_view content_type, std::string_view body,
                                                 std::string_view honeypot_field) {
    if (body.size() > kMaxFormBodyBytes) return Error::Of(ErrorCode::kPayloadTooLarge);
    const std::string media = MediaType(content_type);
    core::Result<Pairs> pairs = Error::Of(ErrorCode::kUnsupportedMediaType, "intake.form_media_type");
    if (media == "application/json") {
        pairs = JsonPairs(body);
    } else if (media == "application/x-www-form-urlencoded" || media == "text/plain") {
        // text/plain: what navigator.sendBeacon and some builders send for a urlencoded string.
        pairs = UrlencodedPairs(body);
    }
    if (!pairs) return pairs.take_error();
    if (pairs->size() > kMaxPairs) return Error::Of(ErrorCode::kPayloadTooLarge);

    FormSubmission s;
    std::vector<FieldError> errs;
    std::map<std::string, std::string, std::less<>> seen;
    for (auto& [k, v] : *pairs) {
        if (!IsValidUtf8(k) || !IsValidUtf8(v)) return Error::Of(ErrorCode::kBadRequest, "intake.bad_form_encoding");
        seen[k] = std::move(v);  // a repeated name keeps its last value, as PHP and most frameworks do
    }
    if (!honeypot_field.empty()) {
        auto hp = seen.find(honeypot_field);
        if (hp != seen.end() && !Trim(hp->second).empty()) {
            s.honeypot_filled = true;
            return s;
        }
    }
    for (const auto& f : kFields) {
        auto it = seen.find(f.name);
        if (it == seen.end()) continue;
        std::string v = Trim(it->second);
        if (CharCount(v) > f.max_chars) {
            errs.push_back({std::string(f.name), "too_long", std::to_string(f.max_chars)});
            continue;
        }
        s.*(f.member) = std::move(v);
    }
    if (auto it = seen.find("consent"); it != seen.end()) s.consent = Truthy(it->second);
    for (const auto& [k, v] : seen) {
        if (k.rfind("custom.", 0) != 0) continue;
        const std::string code = k.substr(7);
        if (!IsCustomCode(code)) {
            errs.push_back({k, "invalid", ""});
            continue;
        }
        std::string value = Trim(v);
        if (CharCount(value) > kMaxCustomValue) {
            errs.push_back({k, "too_long", std::to_string(kMaxCustomValue)});
            continue;
        }
        if (s.custom.size() == kMaxCustomFields) {
            errs.push_back({"custom", "too_many", std::to_string(kMaxCustomFields)});
            break;
        }
        s.custom.emplace_back(code, std::move(value));
    }

    const bool has_phone = !s.phone.empty();
    const bool has_email = !s.email.empty();
    if (has_phone && !clients::NormalizePhone(s.phone)) errs.push_back({"phone", "invalid_phone", ""});
    if (has_email) {
        if (auto e = clients::NormalizeEmail(s.email))
            s.email = *e;
        else
            errs.push_back({"email", "invalid_email", ""});
    }
    if (!has_phone && !has_email) {
        errs.push_back({"phone", "phone_or_email_required", ""});
        errs.push_back({"email", "phone_or_email_required", ""});
    }
    if (!s.inn.empty()) {
        std::string digits = clients::DigitsOnly(s.inn);
        if (!clients::IsValidInn(digits))
            errs.push_back({"inn", "invalid_inn", ""});
        else
            s.inn = std::move(digits);
    }
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    UtmFromPage(s);
    return s;
}

}  // namespace otdel::intake
