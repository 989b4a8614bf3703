#include "http/json.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace otdel::http {
namespace {

using core::Trim;

// Length in Unicode code points (UTF-8), so limits mean characters for Russian text too.
std::size_t Utf8Length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

core::Result<json::object> ParseJsonObject(const Request& req) {
    std::string_view ct = req.Header("content-type");
    auto semi = ct.find(';');
    std::string type(ct.substr(0, semi));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    type = Trim(type);
    if (type != "application/json" &&
        !(type.rfind("application/", 0) == 0 && type.size() > 5 && type.substr(type.size() - 5) == "+json")) {
        return core::Error::Of(core::ErrorCode::kUnsupportedMediaType);
    }
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 32;
    json::value v = json::parse(req.body, ec, {}, opts);
    if (ec || !v.is_object()) return core::Error::Of(core::ErrorCode::kMalformedJson);
    return std::move(v.as_object());
}

const json::value* FieldReader::Take(std::string_view name, bool required) {
    seen_.emplace_back(name);
    auto it = obj_.find(name);
    if (it == obj_.end() || it->value().is_null()) {
        if (required) AddError(std::string(name), "required");
        return nullptr;
    }
    return &it->value();
}

std::optional<std::string> FieldReader::String(std::string_view name, StrOpts opts) {
    const json::value* v = Take(name, opts.required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        AddError(std::string(name), "wrong_type", "string");
        return std::nullopt;
    }
    std::string s(v->as_string());
    if (opts.trim) s = Trim(std::move(s));
    std::size_t len = Utf8Length(s);
    if (opts.required && s.empty()) {
        AddError(std::string(name), "required");
        return std::nullopt;
    }
    if (len > opts.max_len) {
        AddError(std::string(name), "too_long", std::to_string(opts.max_len));
        return std::nullopt;
    }
    if (len < opts.min_len) {
        AddError(std::string(name), "too_short", std::to_string(opts.min_len));
        return std::nullopt;
    }
    return s;
}

std::optional<std::int64_t> FieldReader::Int(std::string_view name, bool required, std::int64_t min, std::int64_t max) {
    const json::value* v = Take(name, required);
    if (!v) return std::nullopt;
    std::int64_t n;
    if (v->is_int64()) {
        n = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        n = static_cast<std::int64_t>(v->as_uint64());
    } else if (v->is_double() && v->as_double() == static_cast<double>(static_cast<std::int64_t>(v->as_double()))) {
        n = static_cast<std::int64_t>(v->as_double());
    } else {
        AddError(std::string(name), "wrong_type", "integer");
        return std::nullopt;
    }
    if (n < min || n > max) {
        AddError(std::string(name), "out_of_range", std::to_string(min) + "…" + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> FieldReader::Bool(std::string_view name, bool required) {
    const json::value* v = Take(name, required);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
        AddError(std::string(name), "wrong_type", "boolean");
        return std::nullopt;
    }
    return v->as_bool();
}

std::optional<std::string> FieldReader::Enum(std::string_view name, bool required,
                                             std::initializer_list<std::string_view> allowed) {
    const json::value* v = Take(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        AddError(std::string(name), "wrong_type", "string");
        return std::nullopt;
    }
    std::string_view s = v->as_string();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        AddError(std::string(name), "not_one_of", list);
        return std::nullopt;
    }
    return std::string(s);
}

const json::object* FieldReader::Object(std::string_view name, bool required) {
    const json::value* v = Take(name, required);
    if (!v) return nullptr;
    if (!v->is_object()) {
        AddError(std::string(name), "wrong_type", "object");
        return nullptr;
    }
    return &v->as_object();
}

void FieldReader::AddError(std::string field, std::string code, std::string param) {
    errors_.push_back({std::move(field), std::move(code), std::move(param)});
}

core::Result<void> FieldReader::Finish() {
    for (const auto& kv : obj_) {
        if (std::find(seen_.begin(), seen_.end(), kv.key()) == seen_.end())
            AddError(std::string(kv.key()), "unknown_field");
    }
    if (errors_.empty()) return core::Ok();
    core::Error e{core::ErrorCode::kValidation, {}, std::move(errors_), 0};
    errors_.clear();
    return e;
}

Response Json(int status, const json::value& v) {
    Response r;
    r.status = status;
    r.body = json::serialize(v);
    return r;
}

std::string EncodeCursor(std::int64_t last_id) {
    std::string raw = "i:" + std::to_string(last_id);
    std::string out(boost::beast::detail::base64::encoded_size(raw.size()), '\0');
    out.resize(boost::beast::detail::base64::encode(out.data(), raw.data(), raw.size()));
    // base64url without padding
    for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}

std::optional<std::int64_t> DecodeCursor(std::string_view cursor) {
    if (cursor.empty() || cursor.size() > 64) return std::nullopt;
    std::string in(cursor);
    for (auto& c : in) c = c == '-' ? '+' : c == '_' ? '/' : c;
    const std::size_t unpadded = in.size();
    while (in.size() % 4) in.push_back('=');
    std::string raw(boost::beast::detail::base64::decoded_size(in.size()), '\0');
    auto [written, read] = boost::beast::detail::base64::decode(raw.data(), in.data(), in.size());
    if (read != unpadded) return std::nullopt;  // Beast stops at padding: all real characters must be read
    raw.resize(written);
    if (raw.rfind("i:", 0) != 0) return std::nullopt;
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(raw.data() + 2, raw.data() + raw.size(), id);
    if (ec != std::errc() || p != raw.data() + raw.size() || id <= 0) return std::nullopt;
    return id;
}

core::Result<PageParams> ParsePage(const Request& req) {
    PageParams p;
    if (auto l = req.Query("limit")) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
        if (ec != std::errc() || ptr != l->data() + l->size() || n < 1 || n > 200)
            return core::Error{core::ErrorCode::kBadRequest, {}, {{"limit", "out_of_range", "1…200"}}, 0};
        p.limit = n;
    }
    if (auto c = req.Query("cursor")) {
        auto id = DecodeCursor(*c);
        if (!id) return core::Error{core::ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        p.after_id = id;
    }
    return p;
}

core::Result<std::int64_t> PathId(const Request& req, const std::string& name) {
    auto it = req.params.find(name);
    if (it == req.params.end()) return core::Error::Of(core::ErrorCode::kNotFound);
    std::int64_t id = 0;
    const auto& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc() || p != s.data() + s.size() || id <= 0) return core::Error::Of(core::ErrorCode::kNotFound);
    return id;
}

core::Result<std::optional<std::int64_t>> QueryId(const Request& req, const std::string& name) {
    auto v = req.Query(name);
    if (!v) return std::optional<std::int64_t>{};
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || p != v->data() + v->size() || id <= 0)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{name, "invalid", ""}}, 0};
    return std::optional<std::int64_t>(id);
}

}  // namespace otdel::http
