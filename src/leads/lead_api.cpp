// HTTP handlers of the leads room: parse with FieldReader, call LeadService, answer JSON.
#include <boost/json.hpp>

#include <charconv>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "leads/lead_codec.hpp"
#include "leads/lead_service.hpp"

namespace otdel::leads {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::value ParseObject(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return json::object{};
    return v;
}

json::object LeadJson(const Lead& l, core::Lang lang) {
    json::array reasons;
    for (const auto& r : ParseReasons(l.priority_reasons)) {
        json::object params;
        for (const auto& [k, v] : r.params) params[k] = v;
        reasons.push_back(json::object{
            {"code", r.code}, {"points", r.points}, {"text", RenderReason(r, lang)}, {"params", std::move(params)}});
    }
    json::array points;
    for (const auto& p : l.points)
        points.push_back(json::object{{"id", p.id},
                                      {"kind", p.kind},
                                      {"label", p.label},
                                      {"raw", p.raw},
                                      {"value", p.value},
                                      {"is_primary", p.is_primary}});
    return json::object{
        {"id", l.id},
        {"status", l.status},
        {"junk_reason", OrNull(l.junk_reason)},
        {"junk_comment", l.junk_comment},
        {"title", l.title},
        {"request_text", l.request_text},
        {"contact_name", l.contact_name},
        {"company_name", l.company_name},
        {"inn", OrNull(l.inn)},
        {"channel", l.channel},
        {"intake_form_id", OrNull(l.intake_form_id)},
        {"intake_channel_id", OrNull(l.intake_channel_id)},
        {"external_ref", OrNull(l.external_ref)},
        {"campaign", l.campaign},
        {"utm", json::object{{"source", l.utm_source},
                             {"medium", l.utm_medium},
                             {"campaign", l.utm_campaign},
                             {"content", l.utm_content},
                             {"term", l.utm_term}}},
        {"referrer", l.referrer},
        {"region", l.region},
        {"product", l.product},
        {"custom", ParseObject(l.custom)},
        {"priority", json::object{{"score", l.priority_score}, {"reasons", std::move(reasons)}}},
        {"points", std::move(points)},
        {"owner_user_id", OrNull(l.owner_user_id)},
        {"company_id", OrNull(l.company_id)},
        {"contact_id", OrNull(l.contact_id)},
        {"converted_at", OrNull(l.converted_at)},
        {"converted_company_id", OrNull(l.converted_company_id)},
        {"converted_contact_id", OrNull(l.converted_contact_id)},
        {"repeat_count", l.repeat_count},
        {"last_request_at", l.last_request_at},
        {"merged_into_id", OrNull(l.merged_into_id)},
        {"deleted_at", OrNull(l.deleted_at)},
        {"created_by", OrNull(l.created_by)},
        {"created_at", l.created_at},
        {"updated_at", l.updated_at},
        {"sla", l.sla ? json::value(json::object{{"state", l.sla->state},
                                                 {"deadline_at", OrNull(l.sla->deadline_at)},
                                                 {"sla_minutes", l.sla->sla_minutes},
                                                 {"reassignments", l.sla->reassignments},
                                                 {"breaches", l.sla->breaches},
                                                 {"first_response_at", OrNull(l.sla->first_response_at)}})
                      : json::value(nullptr)}};
}

// "phones": ["..."], "emails": ["..."]: strings only, at most kMaxPoints each.
void ReadPoints(const json::object& body, const char* name, const char* kind, http::FieldReader& f,
                std::vector<PointInput>& out, bool& present) {
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) return;
    present = true;
    if (!it->value().is_array()) {
        f.AddError(name, "wrong_type", "array");
        return;
    }
    const auto& a = it->value().as_array();
    if (a.size() > kMaxPoints) {
        f.AddError(name, "too_many", std::to_string(kMaxPoints));
        return;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string() || a[i].as_string().size() > 320) {
            f.AddError(std::string(name) + "/" + std::to_string(i), "wrong_type", "string");
            continue;
        }
        out.push_back({kind, std::string(a[i].as_string()), ""});
    }
}

json::object Without(const json::object& o, std::initializer_list<std::string_view> names) {
    json::object out = o;
    for (auto n : names) out.erase(n);
    return out;
}

// The body fields of POST and PATCH /leads.
core::Result<LeadInput> ReadLeadInput(const json::object& body, bool create, std::optional<core::Id>* attach_to) {
    json::object rest = Without(body, {"phones", "emails", "custom"});
    http::FieldReader f(rest);
    LeadInput in;
    in.title = f.String("title", {false, 0, kMaxName});
    in.request_text = f.String("request_text", {false, 0, kMaxRequestText, false});
    in.contact_name = f.String("contact_name", {false, 0, kMaxName});
    in.company_name = f.String("company_name", {false, 0, kMaxName});
    in.product = f.String("product", {false, 0, kMaxShort});
    in.region = f.String("region", {false, 0, kMaxShort});
    in.campaign = f.String("campaign", {false, 0, kMaxShort});
    if (f.Has("inn")) {
        in.set_inn = true;
        in.inn = f.String("inn", {false, 0, 40});
    }
    if (f.Has("owner_user_id")) {
        in.set_owner = true;
        in.owner_user_id = f.Int("owner_user_id", false, 1, INT64_MAX);  // null: nobody (the pool)
    }
    if (create) {
        in.channel = f.Enum("channel", false, {"manual", "phone", "email", "telegram", "webhook", "form"});
        if (attach_to) *attach_to = f.Int("attach_to", false, 1, INT64_MAX);
    }
    std::vector<PointInput> points;
    bool phones = false, emails = false;
    ReadPoints(body, "phones", "phone", f, points, phones);
    ReadPoints(body, "emails", "email", f, points, emails);
    if (phones || emails) in.points = std::move(points);
    in.set_phones = phones;
    in.set_emails = emails;
    if (auto it = body.find("custom"); it != body.end() && !it->value().is_null()) {
        if (!it->value().is_object()) {
            f.AddError("custom", "wrong_type", "object");
        } else {
            in.custom = json::serialize(it->value());
        }
    }
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

core::Result<std::optional<core::Millis>> QueryMillis(const Request& req, const std::string& name) {
    auto v = req.Query(name);
    if (!v) return std::optional<core::Millis>{};
    long long out = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || p != v->data() + v->size() || out < 0)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{name, "invalid", ""}}, 0};
    return std::optional<core::Millis>(out);
}

std::optional<clients::CompanyInput> ReadCompany(const json::object* o, http::FieldReader& outer) {
    if (!o) return std::nullopt;
    http::FieldReader f(*o);
    clients::CompanyInput c;
    c.name = f.String("name", {false, 0, 300});
    c.full_name = f.String("full_name", {false, 0, 500});
    c.legal_form = f.Enum("legal_form", false, {"ooo", "ao", "pao", "ip", "gov", "other", ""});
    if (f.Has("inn")) {
        c.set_inn = true;
        c.inn = f.String("inn", {false, 0, 40});
        if (c.inn && c.inn->empty()) c.inn.reset();
    }
    if (f.Has("kpp")) {
        c.set_kpp = true;
        c.kpp = f.String("kpp", {false, 0, 40});
        if (c.kpp && c.kpp->empty()) c.kpp.reset();
    }
    c.notes = f.String("notes", {false, 0, 5000});
    if (auto done = f.Finish(); !done)
        for (const auto& e : done.error().fields) outer.AddError("company/" + e.field, e.code, e.param);
    return c;
}

std::optional<clients::ContactInput> ReadContact(const json::object* o, http::FieldReader& outer) {
    if (!o) return std::nullopt;
    http::FieldReader f(*o);
    clients::ContactInput c;
    c.last_name = f.String("last_name", {false, 0, 200});
    c.first_name = f.String("first_name", {false, 0, 200});
    c.middle_name = f.String("middle_name", {false, 0, 200});
    c.notes = f.String("notes", {false, 0, 5000});
    if (auto done = f.Finish(); !done)
        for (const auto& e : done.error().fields) outer.AddError("contact/" + e.field, e.code, e.param);
    return c;
}

// The same shape as the client cards' timeline (TimelineItem in the OpenAPI spec).
json::object TimelineJson(const clients::TimelineItem& t) {
    json::value actor = nullptr;
    if (t.actor_user_id) actor = json::object{{"id", *t.actor_user_id}, {"name", t.actor_name}};
    return json::object{{"id", t.source + "-" + std::to_string(t.id)},
                        {"at", t.at},
                        {"kind", t.kind},
                        {"source", t.source},
                        {"channel", t.channel},
                        {"subject_type", t.subject_type},
                        {"subject_id", t.subject_id},
                        {"actor", actor},
                        {"actor_name", t.actor_user_id ? json::value(t.actor_name) : json::value(nullptr)},
                        {"summary", t.summary},
                        {"payload", t.payload}};
}

}  // namespace

void LeadService::Register(http::Router& router) {
    router.Get("/api/v1/leads", Access::kUser, [this](Request& req) {
        LeadQuery q;
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        q.limit = page->limit;
        q.cursor = req.Query("cursor");
        if (auto s = req.Query("status")) {
            std::string cur;
            for (char ch : *s + ",") {
                if (ch == ',') {
                    if (!cur.empty()) q.statuses.push_back(cur);
                    cur.clear();
                } else {
                    cur += ch;
                }
            }
        }
        q.channel = req.Query("channel");
        q.owner = req.Query("owner");
        q.q = req.Query("q");
        if (auto d = req.Query("deleted")) q.deleted = *d == "true";
        if (auto v = req.Query("form_id")) {
            auto id = QueryMillis(req, "form_id");
            if (!id) return http::Problem(req, id.error());
            q.form_id = *id;
            (void)v;
        }
        auto from = QueryMillis(req, "created_from");
        if (!from) return http::Problem(req, from.error());
        auto to = QueryMillis(req, "created_to");
        if (!to) return http::Problem(req, to.error());
        q.created_from = *from;
        q.created_to = *to;
        auto r = List(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& l : r->items) items.push_back(LeadJson(l, req.lang));
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(r->next_cursor)}});
    });
    router.Post("/api/v1/leads", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        std::optional<core::Id> attach_to;
        auto in = ReadLeadInput(*body, true, &attach_to);
        if (!in) return http::Problem(req, in.error());
        auto r = Create(req.actor, *in, attach_to);
        if (!r) return http::Problem(req, r.error());
        json::array dups;
        for (const auto& d : r->duplicates)
            dups.push_back(json::object{{"type", d.type},
                                        {"id", d.id},
                                        {"title", d.visible ? json::value(d.title) : json::value(nullptr)},
                                        {"match", d.match},
                                        {"value", d.value},
                                        {"visible", d.visible}});
        return http::Json(r->attached ? 200 : 201, json::object{{"lead", LeadJson(r->lead, req.lang)},
                                                                {"duplicates", std::move(dups)},
                                                                {"attached", r->attached}});
    });
    router.Get("/api/v1/leads/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
    router.Patch("/api/v1/leads/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadLeadInput(*body, false, nullptr);
        if (!in) return http::Problem(req, in.error());
        auto r = Update(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
    router.Delete("/api/v1/leads/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Delete(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
    router.Post("/api/v1/leads/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Restore(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
    router.Post("/api/v1/leads/{id}/status", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto status = f.Enum("status", true, {"new", "in_work", "qualified", "converted", "junk"});
        auto reason = f.String("junk_reason", {false, 0, 40});
        auto comment = f.String("comment", {false, 0, 2000});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        if (reason && reason->empty()) reason.reset();
        auto r = SetStatus(req.actor, *id, *status, reason, comment.value_or(""));
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
    router.Get("/api/v1/leads/{id}/timeline", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto r = Timeline(req.actor, *id, req.Query("cursor"), page->limit);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& t : r->items) items.push_back(TimelineJson(t));
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(r->next_cursor)}});
    });
    router.Post("/api/v1/leads/{id}/convert", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        ConvertInput in;
        in.company_id = f.Int("company_id", false, 1, INT64_MAX);
        in.contact_id = f.Int("contact_id", false, 1, INT64_MAX);
        in.company = ReadCompany(f.Object("company", false), f);
        in.contact = ReadContact(f.Object("contact", false), f);
        in.position = f.String("position", {false, 0, 200}).value_or("");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Convert(req.actor, *id, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"lead", LeadJson(r->lead, req.lang)},
                                       {"company_id", OrNull(r->company_id)},
                                       {"contact_id", OrNull(r->contact_id)}});
    });
    router.Post("/api/v1/leads/{id}/merge", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto merged = f.Int("merged_id", true, 1, INT64_MAX);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Merge(req.actor, *id, *merged);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LeadJson(*r, req.lang));
    });
}

}  // namespace otdel::leads
