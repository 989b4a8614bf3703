// HTTP handlers of the plans room: the KPI catalog and its figures, sales plans (set, split, delete, plan vs fact) and
// SMART goals.
#include <boost/json.hpp>

#include <limits>
#include <set>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "plans/plans_json.hpp"
#include "plans/plans_service.hpp"

namespace otdel::plans {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

json::value OptJ(const std::optional<core::Id>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object PeriodJson(const Period& p) {
    return json::object{{"kind", PeriodKindName(p.kind)}, {"first_day", p.FirstText()}, {"last_day", p.LastText()}};
}

json::object PaceJson(const Pace& p) {
    return json::object{{"working_days_total", p.working_days_total},
                        {"working_days_elapsed", p.working_days_elapsed},
                        {"calendar_days_elapsed", p.calendar_days_elapsed},
                        {"started", p.started},
                        {"finished", p.finished}};
}

json::object ValueJson(const KpiValue& v) {
    const KpiDef& d = Def(v.code);
    json::array parts;
    for (const auto& p : v.parts)
        parts.push_back(json::object{{"key", p.key},
                                     {"label", p.label},
                                     {"value", p.value},
                                     {"numerator", p.numerator},
                                     {"denominator", p.denominator}});
    return json::object{{"kpi", d.key},
                        {"unit", UnitName(d.unit)},
                        {"defined", v.defined},
                        {"value", v.defined ? json::value(v.value) : json::value(nullptr)},
                        {"numerator", v.numerator},
                        {"denominator", v.denominator},
                        {"parts", std::move(parts)}};
}

json::object DefJson(const KpiDef& d) {
    return json::object{{"kpi", d.key},
                        {"unit", UnitName(d.unit)},
                        {"higher_is_better", d.higher_is_better},
                        {"name_ru", d.name_ru},
                        {"name_en", d.name_en},
                        {"formula_ru", d.formula_ru},
                        {"formula_en", d.formula_en}};
}

json::value Bp(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object GoalJson(const GoalView& v) {
    const Goal& g = v.goal;
    return json::object{{"id", g.id},
                        {"title", g.title},
                        {"kpi", Def(g.kpi).key},
                        {"unit", UnitName(Def(g.kpi).unit)},
                        {"target", g.target},
                        {"currency", g.currency},
                        {"owner_user_id", g.owner_user_id},
                        {"owner_name", v.owner_name},
                        {"department_id", OptJ(g.department_id)},
                        {"starts_on", g.starts_on},
                        {"deadline", g.deadline},
                        {"note", g.note},
                        {"value", v.progress.defined ? json::value(v.progress.value) : json::value(nullptr)},
                        {"progress_bp", Bp(v.progress.share_bp)},
                        {"state", GoalStateName(v.progress.state)},
                        {"overdue", v.progress.overdue},
                        {"created_at", g.created_at},
                        {"updated_at", g.updated_at}};
}

using http::QueryId;

std::vector<std::string> CommaList(const std::optional<std::string>& v) {
    std::vector<std::string> out;
    if (!v) return out;
    std::size_t start = 0;
    while (start <= v->size()) {
        const auto comma = v->find(',', start);
        const auto part = v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

core::Result<GoalInput> ReadGoal(const json::object& body, bool create) {
    http::FieldReader f(body);
    GoalInput in;
    in.title = f.String("title", {.required = create, .min_len = 0, .max_len = 2000});
    in.kpi = f.String("kpi", {.required = create, .min_len = 0, .max_len = 100});
    in.target = f.Int("target", create, kMin, kMax);
    in.owner_user_id = f.Int("owner_user_id", create, 1, kMax);
    if (f.Has("department_id")) {
        in.set_department = true;
        if (!body.at("department_id").is_null())
            in.department_id = f.Int("department_id", false, 1, kMax);
        else
            f.Known("department_id");
    }
    in.starts_on = f.String("starts_on", {.required = create, .min_len = 0, .max_len = 10});
    in.deadline = f.String("deadline", {.required = create, .min_len = 0, .max_len = 10});
    in.currency = f.String("currency", {.required = false, .min_len = 0, .max_len = 3});
    in.note = f.String("note", {.required = false, .min_len = 0, .max_len = 20000});
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

}  // namespace

json::object PlanJson(const Plan& p) {
    return json::object{{"id", p.id},
                        {"period", PeriodKindName(p.period)},
                        {"first_day", p.first_day},
                        {"last_day", p.last_day},
                        {"department_id", OptJ(p.department_id)},
                        {"user_id", OptJ(p.user_id)},
                        {"metric", PlanMetricName(p.metric)},
                        {"target", p.target},
                        {"currency", p.currency},
                        {"parent_plan_id", OptJ(p.parent_plan_id)},
                        {"weight", p.weight ? json::value(*p.weight) : json::value(nullptr)},
                        {"note", p.note},
                        {"created_at", p.created_at},
                        {"updated_at", p.updated_at}};
}

void PlansService::Register(http::Router& router) {
    router.Get("/api/v1/kpis/catalog", Access::kUser, [](Request&) {
        json::array items;
        for (const auto& d : Catalog()) items.push_back(DefJson(d));
        json::array metrics;
        for (auto m : AllPlanMetrics())
            metrics.push_back(
                json::object{{"metric", PlanMetricName(m)}, {"kpi", Def(KpiOf(m)).key}, {"money", IsMoney(m)}});
        return http::Json(json::object{{"items", std::move(items)}, {"plan_metrics", std::move(metrics)}});
    });
    router.Get("/api/v1/kpis", Access::kUser, [this](Request& req) {
        KpiQuery q;
        q.period = req.Query("period");
        q.date = req.Query("date");
        q.from = req.Query("from");
        q.to = req.Query("to");
        for (const char* name : {"department_id", "user_id", "pipeline_id", "product_id"}) {
            auto v = QueryId(req, name);
            if (!v) return http::Problem(req, v.error());
            if (std::string(name) == "department_id") q.department_id = *v;
            if (std::string(name) == "user_id") q.user_id = *v;
            if (std::string(name) == "pipeline_id") q.pipeline_id = *v;
            if (std::string(name) == "product_id") q.product_id = *v;
        }
        q.channel = req.Query("channel");
        q.currency = req.Query("currency");
        q.kpis = CommaList(req.Query("kpis"));
        q.by_person = req.Query("by_person").value_or("") == "true";
        auto r = Kpis(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array values, people;
        for (const auto& v : r->values) values.push_back(ValueJson(v));
        for (const auto& p : r->by_person) {
            json::array pv;
            for (const auto& v : p.values) pv.push_back(ValueJson(v));
            people.push_back(json::object{{"user_id", p.user_id}, {"values", std::move(pv)}});
        }
        return http::Json(json::object{{"period", PeriodJson(r->period)},
                                       {"today", r->today},
                                       {"currency", r->currency},
                                       {"pace", PaceJson(r->pace)},
                                       {"items", std::move(values)},
                                       {"by_person", std::move(people)}});
    });
    router.Get("/api/v1/plans/vs-fact", Access::kUser, [this](Request& req) {
        PlanVsFactQuery q;
        q.period = req.Query("period");
        q.date = req.Query("date");
        auto dep = QueryId(req, "department_id");
        if (!dep) return http::Problem(req, dep.error());
        q.department_id = *dep;
        q.metrics = CommaList(req.Query("metrics"));
        auto r = PlanVsFact(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        std::set<std::pair<std::string, core::Id>> editable(r->editable.begin(), r->editable.end());
        json::array rows, metrics;
        for (auto m : r->metrics) metrics.push_back(json::string(PlanMetricName(m)));
        for (const auto& row : r->rows) {
            json::array lines;
            for (const auto& l : row.lines)
                lines.push_back(json::object{{"metric", PlanMetricName(l.metric)},
                                             {"plan_id", OptJ(l.plan_id)},
                                             {"target", l.target ? json::value(*l.target) : json::value(nullptr)},
                                             {"children_target", l.children_target},
                                             {"fact", l.fact},
                                             {"share_bp", Bp(l.share_bp)},
                                             {"projected", l.projected},
                                             {"projected_bp", Bp(l.projected_bp)}});
            rows.push_back(json::object{{"kind", row.kind},
                                        {"id", row.id},
                                        {"name", row.name},
                                        {"parent_department_id", OptJ(row.parent_department_id)},
                                        {"depth", row.depth},
                                        {"can_edit", editable.count({row.kind, row.id}) > 0},
                                        {"lines", std::move(lines)}});
        }
        return http::Json(json::object{{"period", PeriodJson(r->period)},
                                       {"today", r->today},
                                       {"pace", PaceJson(r->pace)},
                                       {"metrics", std::move(metrics)},
                                       {"rows", std::move(rows)}});
    });
    router.Post("/api/v1/plans", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        PlanInput in;
        in.period = f.String("period", {.required = false, .min_len = 0, .max_len = 20});
        in.first_day = f.String("first_day", {.required = false, .min_len = 0, .max_len = 10});
        in.last_day = f.String("last_day", {.required = false, .min_len = 0, .max_len = 10});
        in.department_id = f.Int("department_id", false, 1, kMax);
        in.user_id = f.Int("user_id", false, 1, kMax);
        in.metric = f.String("metric", {.required = false, .min_len = 0, .max_len = 50});
        in.target = f.Int("target", false, kMin, kMax);
        in.currency = f.String("currency", {.required = false, .min_len = 0, .max_len = 3});
        in.note = f.String("note", {.required = false, .min_len = 0, .max_len = 20000});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetPlan(req.actor, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, PlanJson(*r));
    });
    router.Get("/api/v1/plans/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetPlan(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(PlanJson(*r));
    });
    router.Delete("/api/v1/plans/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeletePlan(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/plans/{id}/split", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        SplitRequest sr;
        sr.mode = f.Enum("mode", false, {"even", "weights", "amounts"});
        f.Known("people");
        if (auto it = body->find("people"); it == body->end() || !it->value().is_array()) {
            f.AddError("people", it == body->end() ? "required" : "wrong_type", "array");
        } else {
            const auto& arr = it->value().as_array();
            for (std::size_t i = 0; i < arr.size(); ++i) {
                const std::string at = "people/" + std::to_string(i);
                if (!arr[i].is_object()) {
                    f.AddError(at, "wrong_type", "object");
                    continue;
                }
                const auto& o = arr[i].as_object();
                SplitShare s;
                const auto* uid = o.if_contains("user_id");
                if (!uid || !uid->is_int64())
                    f.AddError(at + "/user_id", uid ? "wrong_type" : "required", "integer");
                else
                    s.user_id = uid->as_int64();
                for (const char* k : {"weight", "amount"})
                    if (const auto* v = o.if_contains(k); v && !v->is_null()) {
                        if (!v->is_int64())
                            f.AddError(at + "/" + k, "wrong_type", "integer");
                        else if (std::string(k) == "weight")
                            s.weight = v->as_int64();
                        else
                            s.amount = v->as_int64();
                    }
                for (const auto& [k, v] : o)
                    if (k != "user_id" && k != "weight" && k != "amount")
                        f.AddError(at + "/" + std::string(k), "unknown_field");
                sr.people.push_back(s);
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SplitPlan(req.actor, *id, sr);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& p : *r) items.push_back(PlanJson(p));
        return http::Json(json::object{{"items", std::move(items)}});
    });

    router.Get("/api/v1/goals", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        GoalQuery q;
        q.owner = req.Query("owner");
        q.overdue = req.Query("overdue").value_or("") == "true";
        q.cursor = req.Query("cursor");
        q.limit = page->limit;
        auto r = ListGoals(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& g : r->items) items.push_back(GoalJson(g));
        return http::Json(json::object{{"items", std::move(items)},
                                       {"today", r->today},
                                       {"next_cursor", r->next_cursor ? json::value(*r->next_cursor) : nullptr}});
    });
    router.Post("/api/v1/goals", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadGoal(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateGoal(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, GoalJson(*r));
    });
    router.Get("/api/v1/goals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetGoal(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(GoalJson(*r));
    });
    router.Patch("/api/v1/goals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadGoal(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateGoal(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(GoalJson(*r));
    });
    router.Delete("/api/v1/goals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeleteGoal(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
}

}  // namespace otdel::plans
