// HTTP handlers of the activities room: parse with FieldReader, call ActivitiesService, answer JSON.
#include <boost/json.hpp>

#include "activities/activities_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::activities {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::array Strings(const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.emplace_back(s);
    return out;
}

json::object ActivityJson(const Activity& a) {
    json::object o{{"id", a.id},
                   {"kind", a.kind},
                   {"subject", a.subject},
                   {"body", a.body},
                   {"owner_user_id", OrNull(a.owner_user_id)},
                   {"owner_name", a.owner_name},
                   {"created_by", OrNull(a.created_by)},
                   {"company_id", OrNull(a.company_id)},
                   {"contact_id", OrNull(a.contact_id)},
                   {"lead_id", OrNull(a.lead_id)},
                   {"deal_id", OrNull(a.deal_id)},
                   {"at", a.at},
                   {"starts_at", OrNull(a.starts_at)},
                   {"ends_at", OrNull(a.ends_at)},
                   {"due_at", OrNull(a.due_at)},
                   {"done", a.done},
                   {"done_at", OrNull(a.done_at)},
                   {"source", a.source},
                   {"created_at", a.created_at},
                   {"updated_at", a.updated_at}};
    json::array mentions;
    for (core::Id m : a.mentions) mentions.emplace_back(m);
    o["mentions"] = std::move(mentions);
    if (a.kind == "call") {
        o["call"] = json::object{{"direction", OrNull(a.call_direction)},
                                 {"duration_s", OrNull(a.call_duration_s)},
                                 {"outcome", OrNull(a.call_outcome)},
                                 {"phone", OrNull(a.call_phone)},
                                 {"has_recording", a.recording_file_id.has_value()},
                                 {"recording_url", OrNull(a.recording_url)}};
    } else if (a.kind == "meeting") {
        json::array participants;
        for (const auto& p : a.participants)
            participants.push_back(json::object{{"id", p.id},
                                                {"user_id", OrNull(p.user_id)},
                                                {"contact_id", OrNull(p.contact_id)},
                                                {"name", p.name},
                                                {"email", p.email}});
        o["meeting"] = json::object{{"place", OrNull(a.meeting_place)},
                                    {"video_url", OrNull(a.meeting_video_url)},
                                    {"result", OrNull(a.meeting_result)},
                                    {"participants", std::move(participants)},
                                    {"has_recording", a.recording_file_id.has_value()}};
    } else if (a.kind == "task") {
        json::array checklist;
        for (const auto& c : a.checklist)
            checklist.push_back(json::object{{"id", c.id},
                                             {"text", c.text},
                                             {"done", c.done},
                                             {"done_at", OrNull(c.done_at)},
                                             {"done_by", OrNull(c.done_by)}});
        o["task"] = json::object{{"priority", OrNull(a.task_priority)},
                                 {"checklist", std::move(checklist)},
                                 {"escalated_at", OrNull(a.escalated_at)},
                                 {"escalated_to", OrNull(a.escalated_to)}};
    } else if (a.kind == "email") {
        o["email"] = json::object{{"direction", OrNull(a.email_direction)},
                                  {"from", OrNull(a.email_from)},
                                  {"to", Strings(a.email_to)},
                                  {"cc", Strings(a.email_cc)},
                                  {"status", OrNull(a.email_status)},
                                  {"error", OrNull(a.email_error)},
                                  {"message_id", OrNull(a.email_message_id)},
                                  {"template_id", OrNull(a.template_id)}};
    } else if (a.kind == "sms") {
        o["sms"] = json::object{
            {"phone", OrNull(a.sms_phone)}, {"status", OrNull(a.sms_status)}, {"error", OrNull(a.sms_error)}};
    }
    return o;
}

Response PageJson(const ActivityPage& page) {
    json::array items;
    for (const auto& a : page.items) items.push_back(ActivityJson(a));
    return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(page.next_cursor)}});
}

// An array of strings (field errors per item); nullopt when absent.
std::optional<std::vector<std::string>> StringArray(const json::object& body, http::FieldReader& f, const char* name,
                                                    std::size_t max_items, std::size_t max_len) {
    auto it = body.find(name);
    if (it == body.end()) return std::nullopt;
    f.Known(name);
    if (!it->value().is_array()) {
        f.AddError(name, "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<std::string> out;
    const auto& arr = it->value().as_array();
    if (arr.size() > max_items) f.AddError(name, "too_many", std::to_string(max_items));
    for (std::size_t i = 0; i < arr.size() && i < max_items; ++i) {
        if (!arr[i].is_string()) {
            f.AddError(std::string(name) + "/" + std::to_string(i), "wrong_type", "string");
            continue;
        }
        std::string s(arr[i].as_string());
        if (s.size() > max_len)
            f.AddError(std::string(name) + "/" + std::to_string(i), "too_long", std::to_string(max_len));
        out.push_back(std::move(s));
    }
    return out;
}

core::Result<ActivityInput> ReadActivity(const json::object& body, bool create) {
    http::FieldReader f(body);
    ActivityInput in;
    if (create) {
        in.kind = f.Enum("kind", true, {"call", "meeting", "task", "email", "sms", "note"});
        in.record_type = f.Enum("record_type", true, {"company", "contact", "lead", "deal"});
        in.record_id = f.Int("record_id", true, 1, INT64_MAX);
        in.template_id = f.Int("template_id", false, 1, INT64_MAX);
    }
    // Lengths are checked by Validate so each field is told once, with its limit.
    in.subject = f.String("subject", {false, 0, 4 * kMaxSubject});
    in.body = f.String("body", {false, 0, 4 * kMaxBody, false});
    if (auto v = f.Int("assignee_user_id", false, 1, INT64_MAX)) in.owner_user_id = v;
    if (auto v = f.Int("owner_user_id", false, 1, INT64_MAX)) in.owner_user_id = v;
    in.at = f.Int("at", false, 0, INT64_MAX);
    in.starts_at = f.Int("starts_at", false, 0, INT64_MAX);
    in.ends_at = f.Int("ends_at", false, 0, INT64_MAX);
    if (f.Has("due_at")) {
        in.set_due = true;
        in.due_at = f.Int("due_at", false, 0, INT64_MAX);
    }
    in.done = f.Bool("done", false);
    in.direction = f.Enum("direction", false, {"in", "out"});
    in.outcome = f.String("outcome", {false, 0, 40});
    in.phone = f.String("phone", {false, 0, 50});
    in.recording_url = f.String("recording_url", {false, 0, kMaxUrl});
    in.duration_s = f.Int("duration_s", false, INT32_MIN, INT32_MAX);
    in.place = f.String("place", {false, 0, 4 * kMaxSubject});
    in.video_url = f.String("video_url", {false, 0, kMaxUrl});
    in.result = f.String("result", {false, 0, 4 * kMaxBody, false});
    in.priority = f.String("priority", {false, 0, 20});
    in.checklist = StringArray(body, f, "checklist", kMaxChecklist + 1, 4 * kMaxChecklistText);
    in.to = StringArray(body, f, "to", kMaxRecipients + 1, 320);
    in.cc = StringArray(body, f, "cc", kMaxRecipients + 1, 320);
    if (auto it = body.find("mentions"); it != body.end()) {
        f.Known("mentions");
        std::vector<core::Id> ids;
        if (!it->value().is_array()) {
            f.AddError("mentions", "wrong_type", "array");
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_int64() || v.as_int64() < 1) {
                    f.AddError("mentions", "wrong_type", "integer");
                    break;
                }
                ids.push_back(v.as_int64());
            }
        }
        in.mentions = std::move(ids);
    }
    if (auto it = body.find("participants"); it != body.end()) {
        f.Known("participants");
        std::vector<Participant> ps;
        if (!it->value().is_array()) {
            f.AddError("participants", "wrong_type", "array");
        } else {
            const auto& arr = it->value().as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                const std::string at = "participants/" + std::to_string(i);
                if (!arr[i].is_object()) {
                    f.AddError(at, "wrong_type", "object");
                    continue;
                }
                const auto& o = arr[i].as_object();
                Participant p;
                if (auto* u = o.if_contains("user_id"); u && u->is_int64()) p.user_id = u->as_int64();
                if (auto* c = o.if_contains("contact_id"); c && c->is_int64()) p.contact_id = c->as_int64();
                if (auto* n = o.if_contains("name"); n && n->is_string())
                    p.name = std::string(n->as_string()).substr(0, 300);
                if (auto* e = o.if_contains("email"); e && e->is_string())
                    p.email = std::string(e->as_string()).substr(0, 320);
                ps.push_back(std::move(p));
            }
        }
        in.participants = std::move(ps);
    }
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

json::object SettingsJson(const Settings& s) {
    return json::object{{"first_response_kinds", Strings(s.first_response_kinds)},
                        {"escalation_delay_minutes", s.escalation_delay_minutes},
                        {"recording_hosts", Strings(s.recording_hosts)}};
}

json::object AccountJson(const store::EmailAccount& a) {
    // The password never leaves the server: only whether one is set.
    return json::object{{"id", a.id},
                        {"user_id", OrNull(a.user_id)},
                        {"from_address", a.from_address},
                        {"smtp_url", a.smtp_url},
                        {"smtp_user", a.smtp_user},
                        {"has_password", !a.smtp_password.empty()},
                        {"require_tls", a.require_tls},
                        {"active", a.active},
                        {"created_at", a.created_at},
                        {"updated_at", a.updated_at}};
}

json::object TemplateJson(const store::Template& t) {
    return json::object{{"id", t.id},
                        {"channel", t.channel},
                        {"name", t.name},
                        {"subject", t.subject},
                        {"body", t.body},
                        {"archived_at", OrNull(t.archived_at)},
                        {"created_at", t.created_at},
                        {"updated_at", t.updated_at}};
}

// The query parameter as a positive id; 400 when malformed.
using http::QueryId;

core::Result<int> QueryLimit(const Request& req, int def) {
    auto v = req.Query("limit");
    if (!v) return def;
    char* end = nullptr;
    const long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 1 || n > 200)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{"limit", "out_of_range", "1..200"}}, 0};
    return static_cast<int>(n);
}

}  // namespace

void ActivitiesService::Register(http::Router& router) {
    router.Get("/api/v1/activities", Access::kUser, [this](Request& req) {
        const std::string type = req.Query("record_type").value_or("");
        auto rid = QueryId(req, "record_id");
        if (!rid) return http::Problem(req, rid.error());
        if (type.empty() || !*rid)
            return http::Problem(req, core::Error{core::ErrorCode::kBadRequest,
                                                  {},
                                                  {{type.empty() ? "record_type" : "record_id", "required", ""}},
                                                  0});
        auto limit = QueryLimit(req, 50);
        if (!limit) return http::Problem(req, limit.error());
        auto r = Timeline(req.actor, type, **rid, req.Query("kind"), req.Query("cursor"), *limit);
        if (!r) return http::Problem(req, r.error());
        return PageJson(*r);
    });
    router.Post("/api/v1/activities", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadActivity(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = Create(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ActivityJson(*r));
    });
    router.Get("/api/v1/activities/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ActivityJson(*r));
    });
    router.Patch("/api/v1/activities/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadActivity(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = Update(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ActivityJson(*r));
    });
    router.Delete("/api/v1/activities/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Delete(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Put("/api/v1/activities/{id}/checklist/{item}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto item = http::PathId(req, "item");
        if (!item) return http::Problem(req, item.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto done = f.Bool("done", true);
        if (auto ok = f.Finish(); !ok) return http::Problem(req, ok.error());
        auto r = SetChecklistItem(req.actor, *id, *item, *done);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ActivityJson(*r));
    });
    router.Put("/api/v1/activities/{id}/recording", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = UploadRecording(req.actor, *id, req.Query("file_name").value_or(""), req.body);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ActivityJson(*r));
    });
    router.Get("/api/v1/activities/{id}/recording", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Recording(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        Response res;
        res.content_type = r->content_type;
        res.body = std::move(r->bytes);
        res.Header("Cache-Control", "private, no-cache");
        res.Header("ETag", "\"" + r->sha256 + "\"");
        return res;
    });
    router.Post("/api/v1/activities/email-import", Access::kUser, [this](Request& req) {
        auto r = ImportEmail(req.actor, req.body);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ActivityJson(*r));
    });
    router.Get("/api/v1/tasks", Access::kUser, [this](Request& req) {
        TaskQuery q;
        q.scope = req.Query("scope").value_or("mine");
        q.status = req.Query("status").value_or("open");
        if (q.status != "open" && q.status != "done" && q.status != "all")
            return http::Problem(
                req, core::Error{core::ErrorCode::kBadRequest, {}, {{"status", "not_one_of", "open, done, all"}}, 0});
        q.overdue_only = req.Query("overdue").value_or("") == "true";
        q.cursor = req.Query("cursor");
        auto limit = QueryLimit(req, 50);
        if (!limit) return http::Problem(req, limit.error());
        q.limit = *limit;
        auto r = Tasks(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        return PageJson(*r);
    });

    // ---- settings
    router.Get("/api/v1/activity-settings", Access::kUser, [this](Request& req) {
        auto r = GetSettings(req.actor);
        if (!r) return http::Problem(req, r.error());
        return http::Json(SettingsJson(*r));
    });
    router.Put("/api/v1/activity-settings", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        Settings s;
        if (auto v = StringArray(*body, f, "first_response_kinds", 10, 20))
            s.first_response_kinds = *v;
        else if (!body->contains("first_response_kinds"))
            f.AddError("first_response_kinds", "required");
        if (auto d = f.Int("escalation_delay_minutes", true, INT32_MIN, INT32_MAX))
            s.escalation_delay_minutes = static_cast<int>(*d);
        if (auto v = StringArray(*body, f, "recording_hosts", 21, 253)) s.recording_hosts = *v;
        if (auto ok = f.Finish(); !ok) return http::Problem(req, ok.error());
        auto r = PutSettings(req.actor, s);
        if (!r) return http::Problem(req, r.error());
        return http::Json(SettingsJson(*r));
    });
    router.Get("/api/v1/email-accounts", Access::kUser, [this](Request& req) {
        auto r = Accounts(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& a : *r) items.push_back(AccountJson(a));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    auto save_account = [this](Request& req, std::optional<core::Id> id) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        store::EmailAccount a;
        a.from_address = f.String("from_address", {true, 1, 320}).value_or("");
        a.smtp_url = f.String("smtp_url", {true, 1, 500}).value_or("");
        a.smtp_user = f.String("smtp_user", {false, 0, 320}).value_or("");
        a.smtp_password = f.String("smtp_password", {false, 0, 500, false}).value_or("");
        a.require_tls = f.Bool("require_tls", false).value_or(false);
        a.active = f.Bool("active", false).value_or(true);
        if (!id) a.user_id = f.Int("user_id", false, 1, INT64_MAX);
        if (auto ok = f.Finish(); !ok) return http::Problem(req, ok.error());
        auto r = SaveAccount(req.actor, id, a);
        if (!r) return http::Problem(req, r.error());
        return http::Json(id ? 200 : 201, AccountJson(*r));
    };
    router.Post("/api/v1/email-accounts", Access::kUser,
                [save_account](Request& req) { return save_account(req, std::nullopt); });
    router.Put("/api/v1/email-accounts/{id}", Access::kUser, [save_account](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return save_account(req, *id);
    });
    router.Get("/api/v1/activity-templates", Access::kUser, [this](Request& req) {
        auto r = Templates(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& t : *r) items.push_back(TemplateJson(t));
        return http::Json(json::object{{"items", std::move(items)}, {"placeholders", Strings(TemplatePlaceholders())}});
    });
    auto save_template = [this](Request& req, std::optional<core::Id> id) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        store::Template t;
        t.channel = f.Enum("channel", false, {"email", "sms"}).value_or("email");
        t.name = f.String("name", {true, 1, 200}).value_or("");
        t.subject = f.String("subject", {false, 0, kMaxSubject}).value_or("");
        t.body = f.String("body", {true, 1, kMaxBody, false}).value_or("");
        if (f.Bool("archived", false).value_or(false)) t.archived_at = 1;
        if (auto ok = f.Finish(); !ok) return http::Problem(req, ok.error());
        auto r = SaveTemplate(req.actor, id, t);
        if (!r) return http::Problem(req, r.error());
        return http::Json(id ? 200 : 201, TemplateJson(*r));
    };
    router.Post("/api/v1/activity-templates", Access::kUser,
                [save_template](Request& req) { return save_template(req, std::nullopt); });
    router.Put("/api/v1/activity-templates/{id}", Access::kUser, [save_template](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        return save_template(req, *id);
    });
    router.Post("/api/v1/activity-templates/{id}/preview", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto type = f.Enum("record_type", true, {"company", "contact", "lead", "deal"});
        auto rid = f.Int("record_id", true, 1, INT64_MAX);
        if (auto ok = f.Finish(); !ok) return http::Problem(req, ok.error());
        auto r = Preview(req.actor, *id, *type, *rid);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"subject", r->first}, {"body", r->second}});
    });
}

}  // namespace otdel::activities
