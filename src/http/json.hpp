#pragma once
/// JSON bodies: parsing with precise errors, a field reader that rejects unknown fields, and JSON responses.
#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace otdel::http {

namespace json = boost::json;

/// The body as a JSON object: 415 when Content-Type is not JSON, 400 when malformed or not an object.
core::Result<json::object> ParseJsonObject(const Request& req);

/// Reads typed fields from a JSON object, collecting every field error at once; Finish() fails on
/// unknown fields and on any collected error (422 validation_failed with all of them).
class FieldReader {
public:
    explicit FieldReader(const json::object& obj) : obj_(obj) {}

    struct StrOpts {
        bool required = false;
        std::size_t min_len = 0;
        std::size_t max_len = 1000;
        bool trim = true;
    };
    std::optional<std::string> String(std::string_view name, StrOpts opts);
    std::optional<std::int64_t> Int(std::string_view name, bool required, std::int64_t min, std::int64_t max);
    std::optional<bool> Bool(std::string_view name, bool required);
    /// A string that must be one of `allowed`.
    std::optional<std::string> Enum(std::string_view name, bool required,
                                    std::initializer_list<std::string_view> allowed);
    /// A nested object (returned by pointer into the parsed body).
    const json::object* Object(std::string_view name, bool required);
    bool Has(std::string_view name) const { return obj_.contains(name); }
    /// Marks a field the caller reads by hand (an array, say) as known, so Finish() does not call it unknown.
    void Known(std::string_view name) { seen_.emplace_back(name); }

    void AddError(std::string field, std::string code, std::string param = {});
    core::Result<void> Finish();

private:
    const json::value* Take(std::string_view name, bool required);
    const json::object& obj_;
    std::vector<std::string> seen_;
    std::vector<core::FieldError> errors_;
};

/// A present optional as its JSON value, an absent one as null.
template <class T>
json::value OrNull(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

/// Strings as a JSON array.
inline json::array StringArray(const std::vector<std::string>& v) {
    json::array a;
    a.reserve(v.size());
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

Response Json(int status, const json::value& v);
inline Response Json(const json::value& v) {
    return Json(200, v);
}

/// Cursor for keyset pagination: an opaque base64url string of the last key.
std::string EncodeCursor(std::int64_t last_id);
std::optional<std::int64_t> DecodeCursor(std::string_view cursor);

/// Parses `limit` and `cursor` query parameters (limit 1..200, default 50); 400 on bad values.
struct PageParams {
    int limit = 50;
    std::optional<std::int64_t> after_id;
};
core::Result<PageParams> ParsePage(const Request& req);

/// Parses a positive 64-bit id from a path parameter; 404 when it is not one (a non-number never names a row).
core::Result<std::int64_t> PathId(const Request& req, const std::string& name = "id");

/// A positive 64-bit id from the query parameter `name`: unset when absent, 400 `invalid` naming the parameter
/// when it is not one.
core::Result<std::optional<std::int64_t>> QueryId(const Request& req, const std::string& name);

}  // namespace otdel::http
