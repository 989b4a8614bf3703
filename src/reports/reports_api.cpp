// HTTP handlers of the reports room: the five reports, their drill-down and exports, the dashboards and the report
// schedules.
#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "reports/reports_service.hpp"

namespace otdel::reports {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

std::map<std::string, std::string> Params(const Request& req) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : req.query) out.emplace(k, v);
    return out;
}

// The URL's word for a report ("win-loss") → the service's ("win_loss").
std::optional<std::string> ReportName(const std::string& url) {
    std::string n = url;
    for (auto& c : n)
        if (c == '-') c = '_';
    for (const auto& r : ReportNames())
        if (r == n) return n;
    return std::nullopt;
}

json::object ScopeJson(const Scope& s) {
    return json::object{{"from", s.from}, {"to", s.to}, {"today", s.today}, {"pipeline_id", OrNull(s.pipeline_id)}};
}

json::object FunnelJson(const Funnel& f) {
    json::array stages;
    for (const auto& s : f.stages)
        stages.push_back(json::object{{"stage_id", s.stage_id},
                                      {"name", s.name},
                                      {"kind", s.kind},
                                      {"reached", s.reached},
                                      {"reached_amount_minor", s.reached_amount},
                                      {"current", s.current},
                                      {"current_amount_minor", s.current_amount},
                                      {"conversion_bp", OrNull(s.conversion_bp)},
                                      {"median_stay_ms", OrNull(s.median_stay_ms)},
                                      {"stays", s.stays}});
    return json::object{{"deals", f.deals},
                        {"amount_minor", f.amount},
                        {"won", f.won},
                        {"lost", f.lost},
                        {"stages", std::move(stages)}};
}

json::object FunnelReportJson(const FunnelReport& r) {
    json::array groups;
    for (const auto& g : r.groups)
        groups.push_back(
            json::object{{"key", g.group.key}, {"label", g.group.label}, {"funnel", FunnelJson(g.funnel)}});
    return json::object{{"scope", ScopeJson(r.scope)}, {"total", FunnelJson(r.total)}, {"groups", std::move(groups)}};
}

json::object WinLossRowJson(const WinLossRow& r, const std::map<std::string, std::string>& labels) {
    auto it = labels.find(r.key);
    return json::object{{"key", r.key},
                        {"label", it == labels.end() ? r.key : it->second},
                        {"won", r.won},
                        {"lost", r.lost},
                        {"won_amount_minor", r.won_amount},
                        {"lost_amount_minor", r.lost_amount},
                        {"win_rate_bp", OrNull(r.win_rate_bp)}};
}

json::object WinLossJson(const WinLossReport& r) {
    json::array rows, reasons;
    for (const auto& row : r.data.rows) rows.push_back(WinLossRowJson(row, r.labels));
    for (const auto& lr : r.data.reasons) {
        const std::string key = lr.reason ? std::to_string(*lr.reason) : "";
        auto it = r.reason_labels.find(key);
        reasons.push_back(json::object{{"reason_id", OrNull(lr.reason)},
                                       {"label", it == r.reason_labels.end() ? key : it->second},
                                       {"count", lr.count},
                                       {"amount_minor", lr.amount}});
    }
    return json::object{{"scope", ScopeJson(r.scope)},
                        {"total", WinLossRowJson(r.data.total, {})},
                        {"rows", std::move(rows)},
                        {"loss_reasons", std::move(reasons)}};
}

json::object ActivityRowJson(const ActivityRow& x, const std::map<std::string, std::string>& labels) {
    const std::string key = x.owner ? std::to_string(*x.owner) : "";
    auto it = labels.find(key);
    return json::object{{"owner_user_id", OrNull(x.owner)},
                        {"owner_name", it == labels.end() ? "" : it->second},
                        {"day", x.day},
                        {"calls", x.calls},
                        {"meetings", x.meetings},
                        {"tasks", x.tasks},
                        {"tasks_done", x.tasks_done},
                        {"emails", x.emails},
                        {"deals_created", x.deals_created},
                        {"deals_won", x.deals_won},
                        {"won_amount_minor", x.won_amount},
                        {"leads_taken", x.leads_taken},
                        {"responded", x.responded},
                        {"breaches", x.breaches},
                        {"response_median_ms", OrNull(x.response_median_ms)},
                        {"response_p90_ms", OrNull(x.response_p90_ms)}};
}

json::object ActivityJson(const ActivityReportOut& r) {
    json::array days, people;
    for (const auto& x : r.data.by_person_day) days.push_back(ActivityRowJson(x, r.labels));
    for (const auto& x : r.data.by_person) people.push_back(ActivityRowJson(x, r.labels));
    return json::object{{"scope", ScopeJson(r.scope)},
                        {"by_person_day", std::move(days)},
                        {"by_person", std::move(people)},
                        {"total", ActivityRowJson(r.data.total, r.labels)}};
}

json::object TotalsJson(const CategoryTotals& t) {
    return json::object{{"pipeline_minor", t.pipeline},
                        {"best_case_minor", t.best_case},
                        {"commit_minor", t.commit},
                        {"closed_minor", t.closed},
                        {"deals", t.deals}};
}

json::object ForecastJson(const ForecastReport& r) {
    json::array weighted, cats, stats, backtest;
    for (const auto& w : r.weighted)
        weighted.push_back(json::object{{"stage_id", w.stage_id},
                                        {"name", w.name},
                                        {"probability", w.probability},
                                        {"deals", w.deals},
                                        {"amount_minor", w.amount},
                                        {"weighted_minor", w.weighted}});
    for (const auto& c : r.categories)
        cats.push_back(json::object{{"department_id", OrNull(c.department)},
                                    {"parent_id", OrNull(c.parent)},
                                    {"name", c.name},
                                    {"own", TotalsJson(c.own)},
                                    {"rolled", TotalsJson(c.rolled)}});
    for (const auto& s : r.statistical.stages)
        stats.push_back(json::object{{"stage_id", s.stage_id},
                                     {"sample", s.sample},
                                     {"won", s.won},
                                     {"win_bp", OrNull(s.win_bp)},
                                     {"median_to_win_ms", OrNull(s.median_to_win_ms)}});
    for (const auto& b : r.backtest.rows)
        backtest.push_back(json::object{{"from_ms", b.from},
                                        {"to_ms", b.to},
                                        {"forecast_minor", b.forecast},
                                        {"actual_minor", b.actual},
                                        {"error_bp", OrNull(b.error_bp)}});
    return json::object{
        {"scope", ScopeJson(r.scope)},
        {"weighted", std::move(weighted)},
        {"weighted_total_minor", r.weighted_total},
        {"open_total_minor", r.open_total},
        {"categories", std::move(cats)},
        {"statistical", json::object{{"won_so_far_minor", r.statistical.won_so_far},
                                     {"expected_minor", r.statistical.expected},
                                     {"open_deals", r.statistical.open_deals},
                                     {"stages", std::move(stats)}}},
        {"backtest", json::object{{"periods", std::move(backtest)}, {"mape_bp", OrNull(r.backtest.mape_bp)}}}};
}

json::object PlanFactJson(const PlanFactReport& r) {
    json::array lines;
    for (const auto& l : r.lines)
        lines.push_back(json::object{{"label", l.label},
                                     {"metric", l.metric},
                                     {"user_id", OrNull(l.user_id)},
                                     {"department_id", OrNull(l.department_id)},
                                     {"plan", l.plan},
                                     {"fact", l.fact},
                                     {"percent_bp", OrNull(l.percent_bp)},
                                     {"pace_bp", OrNull(l.pace_bp)}});
    return json::object{{"scope", ScopeJson(r.scope)}, {"available", r.available}, {"lines", std::move(lines)}};
}

json::object DrillJson(const Drilldown& d) {
    json::array items;
    for (const auto& r : d.deals)
        items.push_back(json::object{{"id", r.id},
                                     {"title", r.title},
                                     {"company_name", r.company},
                                     {"stage_name", r.stage},
                                     {"status", r.status},
                                     {"owner_user_id", OrNull(r.owner)},
                                     {"owner_name", r.owner_name},
                                     {"amount_minor", r.amount_minor},
                                     {"currency", r.currency},
                                     {"created_at", r.created_at},
                                     {"closed_at", r.closed_at ? json::value(*r.closed_at) : nullptr}});
    for (const auto& r : d.activities)
        items.push_back(json::object{{"id", r.id},
                                     {"kind", r.kind},
                                     {"subject", r.subject},
                                     {"owner_user_id", OrNull(r.owner)},
                                     {"owner_name", r.owner_name},
                                     {"at", r.at},
                                     {"done", r.done}});
    for (const auto& r : d.payments)
        items.push_back(json::object{{"id", r.id},
                                     {"deal_id", r.deal_id},
                                     {"title", r.deal_title},
                                     {"invoice_number", r.invoice_number},
                                     {"owner_user_id", OrNull(r.owner)},
                                     {"owner_name", r.owner_name},
                                     {"paid_on", r.paid_on},
                                     {"amount_minor", r.amount_minor},
                                     {"currency", r.currency}});
    for (const auto& r : d.responses)
        items.push_back(json::object{{"id", r.id},
                                     {"lead_id", r.lead_id},
                                     {"title", r.lead_title},
                                     {"channel", r.channel},
                                     {"owner_user_id", OrNull(r.owner)},
                                     {"owner_name", r.owner_name},
                                     {"at", r.assigned_at},
                                     {"deadline_at", OrNull(r.deadline_at)},
                                     {"breached_at", OrNull(r.breached_at)},
                                     {"response_ms", OrNull(r.response_ms)}});
    return json::object{{"kind", d.kind},
                        {"count", d.count},
                        {"amount_minor", d.amount_minor},
                        {"truncated", d.truncated},
                        {"items", std::move(items)}};
}

json::object ScheduleJson(const store::Schedule& s) {
    boost::system::error_code ec;
    json::value filters = json::parse(s.filters, ec);
    if (ec) filters = json::object{};
    json::value recipients = json::parse(s.recipients, ec);
    if (ec) recipients = json::array{};
    return json::object{{"id", s.id},
                        {"owner_user_id", s.owner_user_id},
                        {"report", s.report},
                        {"filters", filters},
                        {"recipients", recipients},
                        {"every", s.cadence.every},
                        {"weekday", s.cadence.weekday},
                        {"day", s.cadence.day},
                        {"hour", s.cadence.hour},
                        {"next_run_at", s.next_run_at},
                        {"last_sent_at", s.last_sent_at ? json::value(*s.last_sent_at) : nullptr},
                        {"last_error", s.last_error},
                        {"sent_count", s.sent_count},
                        {"created_at", s.created_at},
                        {"updated_at", s.updated_at}};
}

core::Result<ScheduleInput> ReadSchedule(const json::object& body, bool create) {
    http::FieldReader f(body);
    ScheduleInput in;
    in.report = f.Enum("report", create, {"funnel", "activity", "plan_fact", "win_loss", "forecast"});
    in.every = f.Enum("every", create, {"daily", "weekly", "monthly"});
    if (auto v = f.Int("weekday", false, 1, 7)) in.weekday = static_cast<int>(*v);
    if (auto v = f.Int("day", false, 1, 28)) in.day = static_cast<int>(*v);
    if (auto v = f.Int("hour", false, 0, 23)) in.hour = static_cast<int>(*v);
    f.Known("filters");
    f.Known("recipients");
    if (auto it = body.find("filters"); it != body.end()) {
        if (!it->value().is_object()) {
            f.AddError("filters", "wrong_type", "object");
        } else {
            std::map<std::string, std::string> m;
            for (const auto& [k, v] : it->value().as_object()) {
                if (v.is_string()) {
                    m[std::string(k)] = std::string(v.as_string());
                } else if (v.is_int64()) {
                    m[std::string(k)] = std::to_string(v.as_int64());
                } else {
                    f.AddError("filters/" + std::string(k), "wrong_type", "string");
                }
            }
            in.filters = std::move(m);
        }
    }
    if (auto it = body.find("recipients"); it != body.end()) {
        if (!it->value().is_array()) {
            f.AddError("recipients", "wrong_type", "array");
        } else {
            std::vector<std::string> list;
            for (const auto& v : it->value().as_array()) {
                if (!v.is_string()) {
                    f.AddError("recipients", "wrong_type", "array of strings");
                    break;
                }
                list.emplace_back(v.as_string());
            }
            in.recipients = std::move(list);
        }
    }
    if (auto done = f.Finish(); !done) return done.take_error();
    return in;
}

}  // namespace

void ReportsService::Register(http::Router& router) {
    auto query = [](const Request& req) { return ParseQuery(Params(req)); };
    router.Get("/api/v1/reports/funnel", Access::kUser, [this, query](Request& req) {
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto r = FunnelOf(req.actor, *q);
        if (!r) return http::Problem(req, r.error());
        auto out = FunnelReportJson(*r);
        json::array stages;
        for (const auto& s : r->stages)
            stages.push_back(
                json::object{{"id", s.id}, {"name", s.name}, {"kind", s.kind}, {"probability", s.probability}});
        out["stages"] = std::move(stages);
        return http::Json(out);
    });
    router.Get("/api/v1/reports/win-loss", Access::kUser, [this, query](Request& req) {
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto r = WinLossOf(req.actor, *q);
        if (!r) return http::Problem(req, r.error());
        return http::Json(WinLossJson(*r));
    });
    router.Get("/api/v1/reports/activity", Access::kUser, [this, query](Request& req) {
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto r = ActivityOf(req.actor, *q);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ActivityJson(*r));
    });
    router.Get("/api/v1/reports/forecast", Access::kUser, [this, query](Request& req) {
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto r = ForecastOf(req.actor, *q);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ForecastJson(*r));
    });
    router.Get("/api/v1/reports/plan-fact", Access::kUser, [this, query](Request& req) {
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto r = PlanFactOf(req.actor, *q);
        if (!r) return http::Problem(req, r.error());
        return http::Json(PlanFactJson(*r));
    });
    router.Get("/api/v1/reports/{report}/drilldown", Access::kUser, [this, query](Request& req) {
        auto name = ReportName(req.params["report"]);
        if (!name) return http::Problem(req, core::Error::Of(core::ErrorCode::kNotFound));
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        Cell cell;
        cell.measure = req.Query("measure").value_or("");
        auto id = [&](const char* n, std::optional<core::Id>& out) -> bool {
            auto v = req.Query(n);
            if (!v || v->empty()) return true;
            char* end = nullptr;
            const long long x = std::strtoll(v->c_str(), &end, 10);
            if (*end != '\0' || x < 1) return false;
            out = x;
            return true;
        };
        for (const char* n : {"stage_id", "reason_id", "cell_department_id"}) {
            std::optional<core::Id>& target = std::string(n) == "stage_id"    ? cell.stage_id
                                              : std::string(n) == "reason_id" ? cell.reason_id
                                                                              : cell.department_id;
            if (!id(n, target))
                return http::Problem(req, core::Error{core::ErrorCode::kBadRequest, {}, {{n, "invalid", ""}}, 0});
        }
        cell.key = req.Query("key");
        cell.day = req.Query("day");
        cell.owner = req.Query("cell_owner");
        auto r = DrillDown(req.actor, *name, *q, cell);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DrillJson(*r));
    });
    router.Get("/api/v1/reports/{report}/export", Access::kUser, [this, query](Request& req) {
        auto name = ReportName(req.params["report"]);
        if (!name) return http::Problem(req, core::Error::Of(core::ErrorCode::kNotFound));
        auto q = query(req);
        if (!q) return http::Problem(req, q.error());
        auto f = Export(req.actor, *name, *q, req.Query("format").value_or("xlsx"));
        if (!f) return http::Problem(req, f.error());
        Response res;
        res.content_type = f->content_type;
        res.body = std::move(f->bytes);
        res.Header("Content-Disposition", "attachment; filename=\"" + f->file_name + "\"");
        return res;
    });
    router.Get("/api/v1/reports/dashboard", Access::kUser, [this](Request& req) {
        auto d = DashboardOf(req.actor, req.Query("kind"));
        if (!d) return http::Problem(req, d.error());
        json::array leaders, laggards, overdue;
        for (const auto& r : d->leaders) leaders.push_back(WinLossRowJson(r, d->labels));
        for (const auto& r : d->laggards) laggards.push_back(WinLossRowJson(r, d->labels));
        for (const auto& o : d->overdue)
            overdue.push_back(json::object{{"invoice_id", o.id},
                                           {"deal_id", o.deal_id},
                                           {"number", o.number},
                                           {"deal_title", o.deal_title},
                                           {"next_due_date", o.next_due_date},
                                           {"owner_name", o.owner_name},
                                           {"due_minor", o.due_minor}});
        json::object out{{"kind", d->kind},
                         {"scope", ScopeJson(d->scope)},
                         {"plan_fact", PlanFactJson(d->plan)},
                         {"funnel", FunnelReportJson(d->funnel)},
                         {"today", ActivityJson(d->today)},
                         {"leaders", std::move(leaders)},
                         {"laggards", std::move(laggards)},
                         {"overdue_invoices", std::move(overdue)},
                         {"overdue_total_minor", d->overdue_total}};
        if (d->sla)
            out["sla"] = json::object{{"waiting", d->sla->waiting},
                                      {"overdue", d->sla->overdue},
                                      {"assigned", d->sla->assigned},
                                      {"breaches", d->sla->breaches}};
        else
            out["sla"] = nullptr;
        out["forecast"] = d->forecast ? json::value(ForecastJson(*d->forecast)) : nullptr;
        out["win_loss"] = d->win_loss ? json::value(WinLossJson(*d->win_loss)) : nullptr;
        return http::Json(out);
    });

    router.Get("/api/v1/report-schedules", Access::kUser, [this](Request& req) {
        auto r = ListSchedules(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& s : *r) items.push_back(ScheduleJson(s));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/report-schedules", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadSchedule(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateSchedule(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ScheduleJson(*r));
    });
    router.Patch("/api/v1/report-schedules/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadSchedule(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateSchedule(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ScheduleJson(*r));
    });
    router.Delete("/api/v1/report-schedules/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeleteSchedule(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/report-schedules/{id}/send", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = SendNow(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ScheduleJson(*r));
    });
}

}  // namespace otdel::reports
