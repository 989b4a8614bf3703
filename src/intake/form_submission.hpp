#pragma once
/// A website form submission (LEAD-1a): what a visitor typed, parsed from JSON or application/x-www-form-urlencoded.
/// Pure (no I/O, no database) so the public endpoint and the fuzzer run exactly the same code.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace otdel::intake {

inline constexpr std::size_t kMaxFormBodyBytes = 16 * 1024;
inline constexpr std::size_t kMaxCustomFields = 20;

struct FormSubmission {
    std::string name;
    std::string phone;  // as typed; normalised by lead intake
    std::string email;
    std::string company;
    std::string inn;  // digits only
    std::string message;
    std::string product;
    std::string region;
    std::string utm_source, utm_medium, utm_campaign, utm_content, utm_term;
    std::string page_url;
    std::string referrer;
    bool consent = false;
    /// custom.<code> fields, in the order received (codes are [a-z0-9_], at most kMaxCustomFields).
    std::vector<std::pair<std::string, std::string>> custom;
    /// The form's hidden trap field was filled in: a bot. Nothing else is checked then.
    bool honeypot_filled = false;
};

/// Parses and validates a submission. `content_type` is the request's Content-Type header (JSON or urlencoded;
/// anything else is kUnsupportedMediaType); `honeypot_field` the form's trap field name. Rules: at least a valid
/// phone or e-mail (field errors "phone"/"email"); lengths bounded; an INN, when given, with valid control digits;
/// utm_* missing from the fields are taken from `page_url`'s query. Unknown fields are ignored (site builders add
/// their own), except `custom.*` codes, which must be well-formed. Every field error is returned at once.
core::Result<FormSubmission> ParseFormSubmission(std::string_view content_type, std::string_view body,
                                                 std::string_view honeypot_field = "website");

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

}  // namespace otdel::intake
