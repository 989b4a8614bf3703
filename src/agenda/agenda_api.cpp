// HTTP handlers of the agenda room: the daily plan and the team's, the week view's events and the meeting move, the
// person's calendar feed URLs and the public iCalendar feed behind a token.
#include <boost/json.hpp>

#include <cstdlib>

#include "agenda/agenda_service.hpp"
#include "agenda/api_params.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::agenda {
namespace json = boost::json;
using api::OrNull;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object ItemJson(const PlanItem& i) {
    return json::object{{"id", i.id},
                        {"kind", i.kind},
                        {"subject", i.subject},
                        {"at", i.at},
                        {"starts_at", OrNull(i.starts_at)},
                        {"ends_at", OrNull(i.ends_at)},
                        {"due_at", OrNull(i.due_at)},
                        {"done", i.done},
                        {"priority", i.priority},
                        {"place", i.place},
                        {"video_url", i.video_url},
                        {"call_direction", i.call_direction},
                        {"call_outcome", i.call_outcome},
                        {"call_duration_s", OrNull(i.call_duration_s)},
                        {"has_recording", i.has_recording},
                        {"company_id", OrNull(i.company_id)},
                        {"contact_id", OrNull(i.contact_id)},
                        {"lead_id", OrNull(i.lead_id)},
                        {"deal_id", OrNull(i.deal_id)}};
}

json::array Items(const std::vector<PlanItem>& v) {
    json::array out;
    for (const auto& i : v) out.push_back(ItemJson(i));
    return out;
}

json::object CountsJson(const PersonCounts& c) {
    return json::object{{"user_id", c.user_id},
                        {"full_name", c.full_name},
                        {"meetings", c.meetings},
                        {"calls", c.calls},
                        {"tasks", c.tasks},
                        {"overdue", c.overdue},
                        {"idle_deals", c.idle_deals},
                        {"sla_running", c.sla_running},
                        {"sla_breached", c.sla_breached},
                        {"instalments_due", c.instalments_due}};
}

json::object DayJson(const DayPlan& p) {
    json::array idle, sla, instalments;
    for (const auto& d : p.idle_deals)
        idle.push_back(json::object{{"id", d.id},
                                    {"title", d.title},
                                    {"stage_name", d.stage_name},
                                    {"company_name", d.company_name},
                                    {"amount_minor", d.amount_minor},
                                    {"currency", d.currency},
                                    {"last_activity_at", d.last_activity_at},
                                    {"idle_days", d.idle_days}});
    for (const auto& s : p.sla)
        sla.push_back(json::object{{"lead_id", s.clock.lead_id},
                                   {"title", s.clock.title},
                                   {"contact_name", s.clock.contact_name},
                                   {"company_name", s.clock.company_name},
                                   {"deadline_at", s.clock.deadline_at},
                                   {"remaining_ms", s.view.remaining_ms},
                                   {"breached", s.view.breached}});
    for (const auto& i : p.instalments)
        instalments.push_back(json::object{{"invoice_id", i.invoice_id},
                                           {"number", i.number},
                                           {"deal_id", i.deal_id},
                                           {"deal_title", i.deal_title},
                                           {"payer_name", i.payer_name},
                                           {"due_date", i.due_date},
                                           {"outstanding_minor", i.outstanding_minor},
                                           {"currency", i.currency}});
    return json::object{{"user_id", p.person.user_id},
                        {"full_name", p.person.full_name},
                        {"date", p.date},
                        {"time_zone", p.time_zone},
                        {"now", p.now},
                        {"day_start", p.day_start},
                        {"day_end", p.day_end},
                        {"has_team", p.has_team},
                        {"meetings", Items(p.sections.meetings)},
                        {"calls", Items(p.sections.calls)},
                        {"tasks", Items(p.sections.tasks)},
                        {"overdue", Items(p.sections.overdue)},
                        {"idle_deals", std::move(idle)},
                        {"sla", std::move(sla)},
                        {"instalments", std::move(instalments)},
                        {"counts", CountsJson(p.counts)}};
}

json::object EventJson(const CalendarEvent& e) {
    return json::object{{"id", e.id},
                        {"kind", e.kind},
                        {"subject", e.subject},
                        {"start", e.start},
                        {"end", e.end},
                        {"place", e.place},
                        {"video_url", e.video_url},
                        {"owner_user_id", OrNull(e.owner_user_id)},
                        {"owner_name", e.owner_name},
                        {"deal_id", OrNull(e.deal_id)},
                        {"company_id", OrNull(e.company_id)},
                        {"lead_id", OrNull(e.lead_id)},
                        {"done", e.done},
                        {"editable", e.editable}};
}

json::object FeedJson(const store::Feed& f) {
    return json::object{{"id", f.id},
                        {"scope", f.scope},
                        {"token_hint", f.token_hint},
                        {"created_at", f.created_at},
                        {"last_used_at", OrNull(f.last_used_at)},
                        {"revoked_at", OrNull(f.revoked_at)}};
}

core::Result<core::Millis> MillisParam(const Request& req, const std::string& name) {
    auto v = req.Query(name);
    char* end = nullptr;
    const long long at = v ? std::strtoll(v->c_str(), &end, 10) : 0;
    if (!v || v->empty() || *end != '\0' || at < 0)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{name, v ? "invalid" : "required", ""}}, 0};
    return at;
}

}  // namespace

void AgendaService::Register(http::Router& router) {
    router.Get("/api/v1/agenda/day", Access::kUser, [this](Request& req) {
        auto user = api::IdParam(req, "user_id");
        if (!user) return http::Problem(req, user.error());
        auto r = Day(req.actor, *user, req.Query("date"));
        if (!r) return http::Problem(req, r.error());
        return http::Json(DayJson(*r));
    });
    router.Get("/api/v1/agenda/team", Access::kUser, [this](Request& req) {
        auto r = Team(req.actor, req.Query("date"));
        if (!r) return http::Problem(req, r.error());
        json::array people;
        for (const auto& p : r->people) people.push_back(CountsJson(p));
        return http::Json(json::object{
            {"date", r->date}, {"now", r->now}, {"people", std::move(people)}, {"totals", CountsJson(r->totals)}});
    });
    router.Get("/api/v1/calendar/events", Access::kUser, [this](Request& req) {
        auto from = MillisParam(req, "from");
        if (!from) return http::Problem(req, from.error());
        auto to = MillisParam(req, "to");
        if (!to) return http::Problem(req, to.error());
        auto user = api::IdParam(req, "user_id");
        if (!user) return http::Problem(req, user.error());
        auto r = Events(req.actor, *from, *to, *user, req.Query("team").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& e : *r) items.push_back(EventJson(e));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Patch("/api/v1/calendar/meetings/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto starts = f.Int("starts_at", true, 0, INT64_MAX);
        auto ends = f.Int("ends_at", true, 0, INT64_MAX);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Reschedule(req.actor, *id, *starts, *ends);
        if (!r) return http::Problem(req, r.error());
        return http::Json(EventJson(*r));
    });
    router.Get("/api/v1/calendar/feeds", Access::kUser, [this](Request& req) {
        auto r = Feeds(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& f : *r) items.push_back(FeedJson(f));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    auto issued = [](const FeedIssued& f) {
        json::object o = FeedJson(f.feed);
        o["token"] = f.token;
        o["path"] = "/api/v1/ical/" + f.token;
        return o;
    };
    router.Post("/api/v1/calendar/feeds", Access::kUser, [this, issued](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto scope = f.Enum("scope", true, {"user", "team"});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = CreateFeed(req.actor, *scope);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, issued(*r));
    });
    router.Post("/api/v1/calendar/feeds/{id}/regenerate", Access::kUser, [this, issued](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = RegenerateFeed(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, issued(*r));
    });
    router.Delete("/api/v1/calendar/feeds/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = RevokeFeed(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    // The secret URL calendar applications subscribe to: no session, the token is the credential.
    router.Get("/api/v1/ical/{token}", Access::kPublic, [this](Request& req) {
        std::string token = req.params["token"];
        if (token.size() > 4 && token.compare(token.size() - 4, 4, ".ics") == 0) token.resize(token.size() - 4);
        auto r = FeedText(token);
        if (!r) return http::Problem(req, r.error());
        Response res;
        res.content_type = "text/calendar; charset=utf-8";
        res.body = std::move(*r);
        res.Header("Cache-Control", "private, max-age=300");
        res.Header("Content-Disposition", "inline; filename=\"otdel.ics\"");
        return res;
    });
}

}  // namespace otdel::agenda
