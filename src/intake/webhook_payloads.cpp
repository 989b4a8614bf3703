#include "intake/webhook_payloads.hpp"

#include <date/date.h>

#include <boost/json.hpp>

#include <algorithm>
#include <sstream>

#include "http/json.hpp"
#include "intake/form_submission.hpp"

namespace otdel::intake {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::FieldError;

namespace {

constexpr std::size_t kMaxText = 5000;
constexpr std::size_t kMaxShort = 300;
constexpr std::size_t kMaxList = 10;

core::Result<json::object> ParseObject(std::string_view body) {
    if (!IsValidUtf8(body)) return Error::Of(ErrorCode::kMalformedJson);
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return Error::Of(ErrorCode::kMalformedJson);
    return std::move(v.as_object());
}

Error Invalid(std::vector<FieldError> errs) {
    return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
}

/// A string field (numbers spelled out: some PBXs send phone numbers as numbers).
std::string Str(const json::object& o, std::string_view name, std::size_t max, std::vector<FieldError>& errs,
                bool required = false, std::string_view prefix = "") {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) {
        if (required) errs.push_back({std::string(prefix) + std::string(name), "required", ""});
        return {};
    }
    std::string s;
    const json::value& v = it->value();
    if (v.is_string()) {
        s = std::string(v.as_string());
    } else if (v.is_int64()) {
        s = std::to_string(v.as_int64());
    } else if (v.is_uint64()) {
        s = std::to_string(v.as_uint64());
    } else {
        errs.push_back({std::string(prefix) + std::string(name), "wrong_type", "string"});
        return {};
    }
    if (s.size() > max * 4) {
        errs.push_back({std::string(prefix) + std::string(name), "too_long", std::to_string(max)});
        return {};
    }
    if (required && s.empty()) errs.push_back({std::string(prefix) + std::string(name), "required", ""});
    return s;
}

std::optional<std::int64_t> Int(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end()) return std::nullopt;
    if (it->value().is_int64()) return it->value().as_int64();
    if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(it->value().as_uint64());
    return std::nullopt;
}

const json::object* Obj(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    return it != o.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

}  // namespace

std::optional<core::Millis> ParseInstant(std::string_view text) {
    const std::string s(text);
    for (const char* fmt : {"%FT%TZ", "%FT%T%Ez", "%F %T%Ez", "%FT%T"}) {
        std::istringstream in(s);
        date::sys_time<std::chrono::milliseconds> tp;
        in >> date::parse(fmt, tp);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return tp.time_since_epoch().count();
    }
    return std::nullopt;
}

core::Result<CallEvent> ParseCallEvent(std::string_view body) {
    auto o = ParseObject(body);
    if (!o) return o.take_error();
    std::vector<FieldError> errs;
    CallEvent e;
    e.event_id = Str(*o, "event_id", 200, errs, true);
    e.type = Str(*o, "type", 20, errs, true);
    if (!e.type.empty() && e.type != "incoming" && e.type != "missed" && e.type != "finished")
        errs.push_back({"type", "not_one_of", "incoming, missed, finished"});
    e.from = Str(*o, "from", 50, errs, true);
    e.to = Str(*o, "to", 50, errs);
    if (auto it = o->find("started_at"); it != o->end() && !it->value().is_null()) {
        if (auto secs = Int(*o, "started_at")) {
            e.started_at = *secs * 1000;
        } else if (it->value().is_string()) {
            if (auto ms = ParseInstant(std::string(it->value().as_string())))
                e.started_at = *ms;
            else
                errs.push_back({"started_at", "invalid", ""});
        } else {
            errs.push_back({"started_at", "wrong_type", "integer or string"});
        }
    }
    if (auto it = o->find("duration_s"); it != o->end() && !it->value().is_null()) {
        auto d = Int(*o, "duration_s");
        if (!d || *d < 0 || *d > 7 * 24 * 3600)
            errs.push_back({"duration_s", "out_of_range", "0..604800"});
        else
            e.duration_s = *d;
    }
    e.recording_url = Str(*o, "recording_url", 2000, errs);
    if (!e.recording_url.empty() && e.recording_url.rfind("https://", 0) != 0 &&
        e.recording_url.rfind("http://", 0) != 0)
        errs.push_back({"recording_url", "invalid", ""});
    if (!errs.empty()) return Invalid(std::move(errs));
    return e;
}

std::string TelegramMessage::DisplayName() const {
    std::string n = first_name;
    if (!last_name.empty()) n += (n.empty() ? "" : " ") + last_name;
    if (n.empty() && !username.empty()) n = "@" + username;
    return n;
}

core::Result<std::optional<TelegramMessage>> ParseTelegramUpdate(std::string_view body) {
    auto o = ParseObject(body);
    if (!o) return o.take_error();
    auto update_id = Int(*o, "update_id");
    if (!update_id) return Invalid({{"update_id", "required", ""}});
    TelegramMessage m;
    m.update_id = *update_id;
    const json::object* msg = Obj(*o, "message");
    if (!msg) {
        msg = Obj(*o, "edited_message");
        m.edited = msg != nullptr;
    }
    if (!msg) return std::optional<TelegramMessage>{};
    std::vector<FieldError> errs;
    m.message_id = Int(*msg, "message_id").value_or(0);
    m.date = Int(*msg, "date").value_or(0) * 1000;
    if (const json::object* chat = Obj(*msg, "chat")) m.chat_id = Int(*chat, "id").value_or(0);
    if (const json::object* from = Obj(*msg, "from")) {
        m.first_name = Str(*from, "first_name", kMaxShort, errs, false, "message/from/");
        m.last_name = Str(*from, "last_name", kMaxShort, errs, false, "message/from/");
        m.username = Str(*from, "username", kMaxShort, errs, false, "message/from/");
    }
    m.text = Str(*msg, "text", kMaxText, errs, false, "message/");
    if (m.text.empty()) m.text = Str(*msg, "caption", kMaxText, errs, false, "message/");
    if (const json::object* contact = Obj(*msg, "contact")) {
        m.contact_phone = Str(*contact, "phone_number", 50, errs, false, "message/contact/");
        if (m.first_name.empty())
            m.first_name = Str(*contact, "first_name", kMaxShort, errs, false, "message/contact/");
        if (m.last_name.empty()) m.last_name = Str(*contact, "last_name", kMaxShort, errs, false, "message/contact/");
    }
    if (m.chat_id == 0) errs.push_back({"message/chat/id", "required", ""});
    if (!errs.empty()) return Invalid(std::move(errs));
    return std::optional<TelegramMessage>(std::move(m));
}

core::Result<GenericLead> ParseGenericLead(std::string_view body) {
    auto o = ParseObject(body);
    if (!o) return o.take_error();
    static const std::vector<std::string_view> kKnown = {"external_id", "source", "name",    "company",
                                                         "phones",      "emails", "message", "product",
                                                         "region",      "utm",    "custom",  "occurred_at"};
    std::vector<FieldError> errs;
    for (const auto& [k, v] : *o)
        if (std::find(kKnown.begin(), kKnown.end(), std::string_view(k)) == kKnown.end())
            errs.push_back({std::string(k), "unknown_field", ""});
    GenericLead g;
    g.external_id = Str(*o, "external_id", 200, errs, true);
    g.source = Str(*o, "source", 100, errs);
    g.name = Str(*o, "name", kMaxShort, errs);
    g.company = Str(*o, "company", kMaxShort, errs);
    g.message = Str(*o, "message", kMaxText, errs);
    g.product = Str(*o, "product", 200, errs);
    g.region = Str(*o, "region", 200, errs);
    auto list = [&](std::string_view name, std::vector<std::string>& out) {
        auto it = o->find(name);
        if (it == o->end() || it->value().is_null()) return;
        if (!it->value().is_array()) return errs.push_back({std::string(name), "wrong_type", "array of strings"});
        if (it->value().as_array().size() > kMaxList)
            return errs.push_back({std::string(name), "too_many", std::to_string(kMaxList)});
        for (const auto& v : it->value().as_array()) {
            if (!v.is_string() || v.as_string().size() > 254)
                return errs.push_back({std::string(name), "wrong_type", "array of strings"});
            if (!v.as_string().empty()) out.emplace_back(v.as_string());
        }
    };
    list("phones", g.phones);
    list("emails", g.emails);
    if (const json::object* utm = Obj(*o, "utm")) {
        for (const char* k : {"source", "medium", "campaign", "content", "term"}) {
            std::string v = Str(*utm, k, 200, errs, false, "utm/");
            if (!v.empty()) g.utm.emplace_back(k, std::move(v));
        }
    }
    if (const json::object* custom = Obj(*o, "custom")) {
        if (custom->size() > kMaxCustomFields) errs.push_back({"custom", "too_many", std::to_string(kMaxCustomFields)});
        for (const auto& [k, v] : *custom) {
            std::string val = Str(*custom, k, 1000, errs, false, "custom/");
            g.custom.emplace_back(std::string(k), std::move(val));
        }
    }
    if (auto it = o->find("occurred_at"); it != o->end() && !it->value().is_null()) {
        if (auto secs = Int(*o, "occurred_at"))
            g.occurred_at = *secs * 1000;
        else if (auto ms = it->value().is_string() ? ParseInstant(std::string(it->value().as_string())) : std::nullopt)
            g.occurred_at = *ms;
        else
            errs.push_back({"occurred_at", "invalid", ""});
    }
    if (g.phones.empty() && g.emails.empty() && errs.empty()) {
        errs.push_back({"phones", "phone_or_email_required", ""});
        errs.push_back({"emails", "phone_or_email_required", ""});
    }
    if (!errs.empty()) return Invalid(std::move(errs));
    return g;
}

}  // namespace otdel::intake
