#include "plans/plans_service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "auth/visibility.hpp"
#include "billing/billing_service.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "org/calendar_service.hpp"
#include "org/employee_store.hpp"
#include "plans/fact_rollup.hpp"
#include "plans/plans_json.hpp"
#include "plans/plans_store.hpp"

namespace otdel::plans {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kPlan = "plan";

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}

Error Invalid(std::string field, std::string code, std::string param = {}) {
    return Error{ErrorCode::kValidation, {}, {{std::move(field), std::move(code), std::move(param)}}, 0};
}

// The caller's visibility, today and the workspace calendar (working days for the pace and per-day rates).
struct Context {
    auth::Visibility vis;
    std::string today;
    std::string tz;
    org::WorkCalendar cal;
    /// New clients' first wins from the deals themselves, not plan_first_wins (KpiFilter::first_wins_from_records).
    bool first_wins_from_records = false;
};

core::Result<Context> ContextOf(soci::session& sql, const core::Actor& a, core::Millis now, const PlansConfig& config) {
    std::string today = org::store::WorkspaceToday(sql, a.workspace_id, now);
    auto cal = org::CalendarService::WorkspaceCalendarIn(sql, a.workspace_id);
    if (!cal) return cal.take_error();
    return Context{auth::BuildVisibility(sql, a, today), today, org::store::WorkspaceTimeZone(sql, a.workspace_id),
                   std::move(*cal), !config.use_rollups || !config.use_first_wins};
}

// The period a query names: a calendar period around `date` (today by default), or custom days.
core::Result<Period> ResolvePeriod(const std::optional<std::string>& kind_text, const std::optional<std::string>& date,
                                   const std::optional<std::string>& from, const std::optional<std::string>& to,
                                   const std::string& today, bool allow_custom) {
    const auto kind = ParsePeriodKind(kind_text.value_or("month"));
    if (!kind || (!allow_custom && *kind == PeriodKind::kCustom))
        return Invalid("period", "not_one_of", allow_custom ? "month, quarter, year, custom" : "month, quarter, year");
    if (*kind == PeriodKind::kCustom) {
        const auto f = from ? org::ParseDay(*from) : std::nullopt;
        const auto t = to ? org::ParseDay(*to) : std::nullopt;
        if (!f) return Invalid("from", from ? "invalid_date" : "required");
        if (!t) return Invalid("to", to ? "invalid_date" : "required");
        if (*t < *f) return Invalid("to", "before_start");
        if (t->days - f->days > 3660) return Invalid("to", "out_of_range", "10 years");
        return Period{PeriodKind::kCustom, *f, *t};
    }
    const auto anchor = org::ParseDay(date.value_or(today));
    if (!anchor) return Invalid("date", "invalid_date");
    return PeriodContaining(*kind, *anchor);
}

// The filter and the window of a period: its UTC bounds in the workspace zone and the days that have begun.
std::pair<KpiFilter, KpiWindow> WindowOf(const core::Actor& a, const Context& ctx, const Period& p, core::Millis now,
                                         const std::string& currency) {
    KpiFilter f;
    f.workspace_id = a.workspace_id;
    f.first_day = p.FirstText();
    f.last_day = p.LastText();
    f.from = billing::LocalMoment(ctx.tz, p.first, 0);
    f.to = billing::LocalMoment(ctx.tz, org::Day{p.last.days + 1}, 0);
    f.until = now;
    f.currency = currency;
    f.first_wins_from_records = ctx.first_wins_from_records;
    const Pace pace = PaceOf(ctx.cal, p, *org::ParseDay(ctx.today));
    KpiWindow w;
    w.from = f.from;
    w.to = f.to;
    w.working_days = pace.working_days_elapsed;
    w.calendar_days = pace.calendar_days_elapsed;
    w.now = now;
    w.currency = currency;
    return {f, w};
}

// Which departments the caller sees and may set plans for (a department has no owner, so this is the tree's rule in
// code): everything for the unrestricted scopes; for "team" the subtrees of the caller's department and of those
// they head; for "own" the departments on the caller's own path (their team's target is no secret to them).
struct TreeAccess {
    std::vector<store::OrgDept> depts;
    std::set<core::Id> visible;
    std::set<core::Id> writable;
};

TreeAccess AccessOf(soci::session& sql, const core::Actor& a, const auth::Visibility& vis) {
    TreeAccess t;
    t.depts = store::Departments(sql, a.workspace_id);
    const auto& c = vis.caller();
    const bool can_write = vis.Can(Action::kCreate, kPlan) || vis.Can(Action::kUpdate, kPlan);
    if (c.unrestricted || vis.scope() == auth::Scope::kAll || vis.scope() == auth::Scope::kReadAll) {
        for (const auto& d : t.depts) {
            t.visible.insert(d.id);
            if (can_write) t.writable.insert(d.id);
        }
        return t;
    }
    if (vis.scope() == auth::Scope::kTeam) {
        std::vector<std::string> roots;
        if (!c.department_path.empty()) roots.push_back(c.department_path);
        for (const auto& d : t.depts)
            if (d.head && *d.head == c.user_id) roots.push_back(d.path);
        for (const auto& d : t.depts)
            for (const auto& r : roots)
                if (d.path.rfind(r, 0) == 0) {
                    t.visible.insert(d.id);
                    if (can_write) t.writable.insert(d.id);
                }
        return t;
    }
    if (vis.scope() == auth::Scope::kOwn && !c.department_path.empty())
        for (const auto& d : t.depts)
            if (c.department_path.rfind(d.path, 0) == 0) t.visible.insert(d.id);
    return t;
}

json::value OptJ(const std::optional<core::Id>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object GoalSnapshot(const Goal& g) {
    return json::object{{"title", g.title},
                        {"kpi", Def(g.kpi).key},
                        {"target", g.target},
                        {"currency", g.currency},
                        {"owner_user_id", g.owner_user_id},
                        {"department_id", OptJ(g.department_id)},
                        {"starts_on", g.starts_on},
                        {"deadline", g.deadline},
                        {"note", g.note}};
}

// May the caller set plans for this subject? 404 when they cannot even see it, 403 when they see but may not set.
core::Result<void> CheckSubject(soci::session& sql, const core::Actor& a, const Context& ctx, const TreeAccess& t,
                                std::optional<core::Id> dept, std::optional<core::Id> user) {
    if (!ctx.vis.Can(Action::kRead, kPlan)) return NotFound();
    if (dept) {
        if (!t.visible.count(*dept)) {
            bool exists = false;
            for (const auto& d : t.depts) exists = exists || d.id == *dept;
            return exists ? Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree")
                          : Invalid("department_id", "unknown_department", std::to_string(*dept));
        }
        if (!t.writable.count(*dept)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
        return core::Ok();
    }
    const auth::Predicate readable = ctx.vis.Read("e", "user_id");
    const auto people = store::People(sql, a.workspace_id, readable);
    const auto it = std::find_if(people.begin(), people.end(), [&](const auto& p) { return p.user_id == *user; });
    if (it == people.end()) return Invalid("user_id", "not_employee", std::to_string(*user));
    if (!t.writable.count(it->department_id)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
    return core::Ok();
}

// Sets one plan (insert, or the existing one's target) with its audit row; returns the stored plan.
Plan Upsert(soci::session& sql, const core::Actor& a, Plan p, core::Millis now) {
    if (auto existing = store::FindPlan(sql, a.workspace_id, p)) {
        store::UpdatePlanTarget(sql, a.workspace_id, existing->id, p.target, p.parent_plan_id, p.weight, p.note, now);
        auto after = *store::SelectPlan(sql, a.workspace_id, existing->id);
        events::WriteAudit(sql, a, now, {"plan.update", kPlan, existing->id, PlanJson(*existing), PlanJson(after)});
        return after;
    }
    p.created_by = a.user_id > 0 ? std::optional<core::Id>(a.user_id) : std::nullopt;
    p.created_at = p.updated_at = now;
    p.id = store::InsertPlan(sql, a.workspace_id, p);
    events::WriteAudit(sql, a, now, {"plan.create", kPlan, p.id, std::nullopt, PlanJson(p)});
    return p;
}

// The goal's KPI measured over its window as of today (the owner's records, or the department's subtree).
KpiValue Measure(soci::session& sql, const core::Actor& a, const Context& ctx, const Goal& g, core::Millis now) {
    const auto first = *org::ParseDay(g.starts_on), last = *org::ParseDay(g.deadline);
    const Period p{PeriodKind::kCustom, first, last};
    auto [f, w] = WindowOf(a, ctx, p, now, g.currency);
    if (g.department_id)
        f.department_id = g.department_id;
    else
        f.user_id = g.owner_user_id;
    const auto in = store::LoadKpiInputs(sql, f, Def(g.kpi).inputs, ctx.vis);
    return Compute(g.kpi, in, w);
}

GoalView ViewOf(soci::session& sql, const core::Actor& a, const Context& ctx, const Goal& g, core::Millis now) {
    GoalView v;
    v.goal = g;
    v.owner_name = store::UserName(sql, a.workspace_id, g.owner_user_id);
    v.value = Measure(sql, a, ctx, g, now);
    v.progress = ProgressOf(g, v.value, ctx.today);
    return v;
}

// A goal inside the caller's visibility (404 otherwise, also without any plan rights).
core::Result<Goal> VisibleGoal(soci::session& sql, const core::Actor& a, const Context& ctx, core::Id id) {
    if (!ctx.vis.Can(Action::kRead, kPlan)) return NotFound();
    const auth::Predicate visible = ctx.vis.Read("g");
    auto g = store::SelectGoal(sql, a.workspace_id, id, visible);
    if (!g) return NotFound();
    return *g;
}

}  // namespace

core::Result<KpiReport> PlansService::Kpis(const core::Actor& a, const KpiQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::vector<KpiCode> codes;
    for (std::size_t i = 0; i < q.kpis.size(); ++i) {
        auto c = ParseKpi(q.kpis[i]);
        if (!c) return Invalid("kpis", "unknown_metric", q.kpis[i]);
        codes.push_back(*c);
    }
    if (codes.empty())
        for (const auto& d : Catalog()) codes.push_back(d.code);
    const std::string currency = q.currency.value_or("RUB");
    if (currency.size() != 3) return Invalid("currency", "invalid_currency", currency);
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<KpiReport> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kRead, kPlan) && !ctx->vis.Can(Action::kRead, "report"))
            return Error::Of(ErrorCode::kForbidden);
        auto period = ResolvePeriod(q.period, q.date, q.from, q.to, ctx->today, true);
        if (!period) return period.take_error();
        auto [f, w] = WindowOf(a, *ctx, *period, now, currency);
        f.department_id = q.department_id;
        f.user_id = q.user_id;
        f.pipeline_id = q.pipeline_id;
        f.product_id = q.product_id;
        f.channel = q.channel;
        unsigned inputs = 0;
        for (auto c : codes) inputs |= Def(c).inputs;
        const auto in = store::LoadKpiInputs(sql, f, inputs, ctx->vis);
        KpiReport r;
        r.period = *period;
        r.today = ctx->today;
        r.currency = currency;
        r.pace = PaceOf(ctx->cal, *period, *org::ParseDay(ctx->today));
        for (auto c : codes) r.values.push_back(Compute(c, in, w));
        if (q.by_person)
            for (const auto& [owner, part] : ByOwner(in)) {
                PersonKpis pk;
                pk.user_id = owner;
                for (auto c : codes) pk.values.push_back(Compute(c, part, w));
                r.by_person.push_back(std::move(pk));
            }
        return r;
    });
}

core::Result<PlanVsFactView> PlansService::PlanVsFact(const core::Actor& a, const PlanVsFactQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::vector<PlanMetric> metrics;
    for (const auto& m : q.metrics) {
        auto pm = ParsePlanMetric(m);
        if (!pm) return Invalid("metrics", "unknown_metric", m);
        metrics.push_back(*pm);
    }
    if (metrics.empty()) metrics = AllPlanMetrics();
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<PlanVsFactView> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kRead, kPlan)) return Error::Of(ErrorCode::kForbidden);
        auto period = ResolvePeriod(q.period, q.date, std::nullopt, std::nullopt, ctx->today, false);
        if (!period) return period.take_error();
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        if (q.department_id && !t.visible.count(*q.department_id)) return NotFound();
        // Roots: the asked department, else the visible departments whose parent is not visible.
        std::vector<core::Id> roots;
        std::vector<DeptNode> depts;
        for (const auto& d : t.depts)
            if (t.visible.count(d.id)) {
                depts.push_back({d.id, d.parent, d.name});
                if (!q.department_id && (!d.parent || !t.visible.count(*d.parent))) roots.push_back(d.id);
            }
        if (q.department_id) roots.push_back(*q.department_id);
        const auth::Predicate readable = ctx->vis.Read("e", "user_id");
        std::vector<PersonNode> people;
        for (const auto& p : store::People(sql, a.workspace_id, readable))
            if (t.visible.count(p.department_id)) people.push_back({p.user_id, p.department_id, p.name});
        const auth::Predicate plan_visible = ctx->vis.Read("p");
        std::vector<Plan> plans;
        for (auto& p : store::PlansOfPeriod(sql, a.workspace_id, period->FirstText(), plan_visible))
            if (p.period == period->kind && (!p.department_id || t.visible.count(*p.department_id)))
                plans.push_back(std::move(p));
        auto [f, w] = WindowOf(a, *ctx, *period, now, "RUB");
        auto currency_of = [&](PlanMetric m) {
            std::string c = w.currency;
            for (const auto& pl : plans)
                if (pl.metric == m) c = pl.currency;  // money plans of a workspace share one currency
            return c;
        };
        PersonFacts facts;
        // Revenue, deals won, calls and meetings from the daily rollups when they are built (exact, a few hundred
        // rows for any period); the other metrics, or all of them without rollups, from the records.
        std::vector<PlanMetric> raw = metrics;
        if (config_.use_rollups && store::RollupsFresh(sql, a.workspace_id, ctx->tz)) {
            const auto today = *org::ParseDay(ctx->today);
            if (auto rf = store::RollupPlanFacts(sql, f, ctx->today, billing::LocalMoment(ctx->tz, today, 0),
                                                 currency_of(PlanMetric::kRevenue), ctx->vis)) {
                raw.clear();
                for (auto m : metrics) {
                    switch (m) {
                        case PlanMetric::kRevenue: facts[m] = std::move(rf->revenue); break;
                        case PlanMetric::kDealsWon: facts[m] = std::move(rf->deals_won); break;
                        case PlanMetric::kCalls: facts[m] = std::move(rf->calls); break;
                        case PlanMetric::kMeetings: facts[m] = std::move(rf->meetings); break;
                        default: raw.push_back(m); break;
                    }
                }
            }
        }
        // New clients from the clients' first wins (migration 0026, kept by triggers on deals whatever the reports'
        // rollups): one index range per period instead of every won deal tested against its client's other deals.
        if (config_.use_rollups && config_.use_first_wins) {
            if (auto it = std::find(raw.begin(), raw.end(), PlanMetric::kNewClients); it != raw.end()) {
                raw.erase(it);
                facts[PlanMetric::kNewClients] = store::FirstWinCounts(sql, f, ctx->vis);
            }
        }
        // Payments received from the daily payment totals (migration 0029, kept by triggers on payments, invoices and
        // deals): a few hundred rows per month instead of every payment of the period with its invoice and deal.
        if (config_.use_rollups && config_.use_payment_days) {
            if (auto it = std::find(raw.begin(), raw.end(), PlanMetric::kPaymentsReceived); it != raw.end()) {
                if (auto totals =
                        store::PaymentDayTotals(sql, f, currency_of(PlanMetric::kPaymentsReceived), ctx->vis)) {
                    raw.erase(it);
                    facts[PlanMetric::kPaymentsReceived] = std::move(*totals);
                }
            }
        }
        unsigned inputs = 0;
        for (auto m : raw) inputs |= Def(KpiOf(m)).inputs;
        if (inputs != 0) {
            const auto in = store::LoadKpiInputs(sql, f, inputs, ctx->vis);
            const auto parts = ByOwner(in);
            for (auto m : raw) {
                auto& per = facts[m];
                KpiWindow mw = w;
                mw.currency = currency_of(m);
                for (const auto& [owner, part] : parts) per[owner] = Compute(KpiOf(m), part, mw).value;
            }
        }
        PlanVsFactView v;
        v.period = *period;
        v.today = ctx->today;
        v.pace = PaceOf(ctx->cal, *period, *org::ParseDay(ctx->today));
        v.metrics = metrics;
        v.rows = plans::PlanVsFact(depts, roots, people, plans, metrics, facts, v.pace);
        for (const auto& d : depts)
            if (t.writable.count(d.id)) v.editable.emplace_back("department", d.id);
        for (const auto& p : people)
            if (t.writable.count(p.department_id)) v.editable.emplace_back("person", p.user_id);
        return v;
    });
}

core::Result<FactRecords> PlansService::FactRecordsOf(const core::Actor& a, const FactRecordsQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    const auto metric = ParsePlanMetric(q.metric);
    if (!metric) return Invalid("measure", "unknown_metric", q.metric);
    if (q.department_id.has_value() == q.user_id.has_value()) return Invalid("department_id", "either_or", "user_id");
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<FactRecords> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kRead, kPlan)) return Error::Of(ErrorCode::kForbidden);
        auto period = ResolvePeriod(q.period, q.date, std::nullopt, std::nullopt, ctx->today, false);
        if (!period) return period.take_error();
        // The row's people exactly as PlanVsFact sums them: visible people of the visible subtree.
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        const auth::Predicate readable = ctx->vis.Read("e", "user_id");
        std::vector<core::Id> owners;
        const auto people = store::People(sql, a.workspace_id, readable);
        if (q.user_id) {
            for (const auto& p : people)
                if (p.user_id == *q.user_id && t.visible.count(p.department_id)) owners.push_back(p.user_id);
            if (owners.empty()) return NotFound();
        } else {
            if (!t.visible.count(*q.department_id)) return NotFound();
            std::set<core::Id> subtree{*q.department_id};
            for (bool grew = true; grew;) {
                grew = false;
                for (const auto& d : t.depts)
                    if (t.visible.count(d.id) && d.parent && subtree.count(*d.parent) && subtree.insert(d.id).second)
                        grew = true;
            }
            for (const auto& p : people)
                if (subtree.count(p.department_id)) owners.push_back(p.user_id);
        }
        auto [f, w] = WindowOf(a, *ctx, *period, now, "RUB");
        const auth::Predicate plan_visible = ctx->vis.Read("p");
        for (const auto& pl : store::PlansOfPeriod(sql, a.workspace_id, period->FirstText(), plan_visible))
            if (pl.period == period->kind && pl.metric == *metric) w.currency = pl.currency;
        if (*metric == PlanMetric::kCalls || *metric == PlanMetric::kMeetings)
            return ActivityRecords(*metric == PlanMetric::kCalls ? "call" : "meeting",
                                   store::ActivityRefs(sql, f, ctx->vis), owners);
        const auto in = store::LoadKpiInputs(sql, f, Def(KpiOf(*metric)).inputs, ctx->vis);
        return RecordsBehind(*metric, OfOwners(in, owners), w);
    });
}

core::Result<Plan> PlansService::SetPlan(const core::Actor& a, const PlanInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    auto built = BuildPlan(in);
    if (!built) return built.take_error();
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Plan> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, built->department_id, built->user_id));
        return Upsert(sql, a, *built, now);
    });
}

core::Result<Plan> PlansService::GetPlan(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Plan> {
        auto ctx = ContextOf(sql, a, clock_.NowMs(), config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kRead, kPlan)) return NotFound();
        auto p = store::SelectPlan(sql, a.workspace_id, id);
        if (!p) return NotFound();
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        if (p->department_id) {
            if (!t.visible.count(*p->department_id)) return NotFound();
            return *p;
        }
        const auth::Predicate visible = ctx->vis.Read("p");
        for (auto& x : store::PlansOfPeriod(sql, a.workspace_id, p->first_day, visible))
            if (x.id == id) return x;
        return NotFound();
    });
}

core::Result<void> PlansService::DeletePlan(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto p = GetPlan(a, id);
    if (!p) return p.take_error();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kDelete, kPlan)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, p->department_id, p->user_id));
        store::DetachChildren(sql, a.workspace_id, id);
        store::DeletePlan(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now, {"plan.delete", kPlan, id, PlanJson(*p), std::nullopt});
        return core::Ok();
    });
}

core::Result<std::vector<Plan>> PlansService::SplitPlan(const core::Actor& a, core::Id id, const SplitRequest& r) {
    OTDEL_TRY_VOID(SignedIn(a));
    const auto mode = ParseSplitMode(r.mode.value_or("even"));
    if (!mode) return Invalid("mode", "not_one_of", "even, weights, amounts");
    auto parent = GetPlan(a, id);
    if (!parent) return parent.take_error();
    if (!parent->department_id) return Invalid("id", "plan_not_department");
    auto shares = Split(parent->target, *mode, r.people);
    if (!shares) return shares.take_error();
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<Plan>> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, parent->department_id, std::nullopt));
        // Every person must be placed in the department's subtree.
        std::string root_path;
        for (const auto& d : t.depts)
            if (d.id == *parent->department_id) root_path = d.path;
        std::set<core::Id> in_subtree;
        for (const auto& d : t.depts)
            if (d.path.rfind(root_path, 0) == 0) in_subtree.insert(d.id);
        const auth::Predicate readable = ctx->vis.Read("e", "user_id");
        const auto people = store::People(sql, a.workspace_id, readable);
        std::vector<core::FieldError> errs;
        for (std::size_t i = 0; i < r.people.size(); ++i) {
            const auto it = std::find_if(people.begin(), people.end(),
                                         [&](const auto& p) { return p.user_id == r.people[i].user_id; });
            if (it == people.end() || !in_subtree.count(it->department_id))
                errs.push_back({"people/" + std::to_string(i) + "/user_id", "plan_not_in_subtree",
                                std::to_string(r.people[i].user_id)});
        }
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        std::vector<Plan> out;
        for (std::size_t i = 0; i < r.people.size(); ++i) {
            Plan p;
            p.period = parent->period;
            p.first_day = parent->first_day;
            p.last_day = parent->last_day;
            p.user_id = r.people[i].user_id;
            p.metric = parent->metric;
            p.currency = parent->currency;
            p.target = (*shares)[i];
            p.parent_plan_id = parent->id;
            p.weight = *mode == SplitMode::kWeights ? r.people[i].weight : std::nullopt;
            out.push_back(Upsert(sql, a, p, now));
        }
        events::WriteAudit(sql, a, now,
                           {"plan.split", kPlan, parent->id, std::nullopt,
                            json::object{{"mode", r.mode.value_or("even")}, {"people", r.people.size()}}});
        return out;
    });
}

// ---- goals ----

core::Result<GoalPage> PlansService::ListGoals(const core::Actor& a, const GoalQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::optional<core::Id> owner;
    if (q.owner) {
        if (*q.owner == "me") {
            owner = a.user_id;
        } else {
            char* end = nullptr;
            const long long v = std::strtoll(q.owner->c_str(), &end, 10);
            if (q.owner->empty() || *end != '\0' || v < 1)
                return Error{ErrorCode::kBadRequest, {}, {{"owner", "invalid", ""}}, 0};
            owner = v;
        }
    }
    std::optional<core::Id> before;
    if (q.cursor) {
        before = http::DecodeCursor(*q.cursor);
        if (!before) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
    }
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<GoalPage> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kRead, kPlan)) return Error::Of(ErrorCode::kForbidden);
        store::GoalFilter f;
        f.owner = owner;
        f.overdue_only = q.overdue;
        f.today = ctx->today;
        f.before = before;
        f.limit = q.limit + 1;
        const auth::Predicate visible = ctx->vis.Read("g");
        auto goals = store::ListGoals(sql, a.workspace_id, f, visible);
        GoalPage page;
        page.today = ctx->today;
        if (static_cast<int>(goals.size()) > q.limit) {
            goals.resize(static_cast<std::size_t>(q.limit));
            page.next_cursor = http::EncodeCursor(goals.back().id);
        }
        for (const auto& g : goals) {
            auto v = ViewOf(sql, a, *ctx, g, now);
            if (q.overdue && !v.progress.overdue) continue;  // past the deadline but achieved
            page.items.push_back(std::move(v));
        }
        return page;
    });
}

core::Result<GoalView> PlansService::GetGoal(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<GoalView> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        auto g = VisibleGoal(sql, a, *ctx, id);
        if (!g) return g.take_error();
        return ViewOf(sql, a, *ctx, *g, now);
    });
}

core::Result<GoalView> PlansService::CreateGoal(const core::Actor& a, const GoalInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    Goal fresh;
    auto built = BuildGoal(fresh, in);
    if (!built) return built.take_error();
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<GoalView> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        if (!ctx->vis.Can(Action::kCreate, kPlan)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, std::nullopt, built->owner_user_id));
        if (built->department_id) OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, built->department_id, std::nullopt));
        Goal g = *built;
        g.created_by = a.user_id > 0 ? std::optional<core::Id>(a.user_id) : std::nullopt;
        g.created_at = g.updated_at = now;
        g.id = store::InsertGoal(sql, a.workspace_id, g);
        events::WriteAudit(sql, a, now, {"goal.create", "goal", g.id, std::nullopt, GoalSnapshot(g)});
        return ViewOf(sql, a, *ctx, g, now);
    });
}

core::Result<GoalView> PlansService::UpdateGoal(const core::Actor& a, core::Id id, const GoalInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<GoalView> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        auto before = VisibleGoal(sql, a, *ctx, id);
        if (!before) return before.take_error();
        if (!ctx->vis.Can(Action::kUpdate, kPlan)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
        auto built = BuildGoal(*before, in);
        if (!built) return built.take_error();
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, std::nullopt, built->owner_user_id));
        if (built->department_id) OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, built->department_id, std::nullopt));
        Goal g = *built;
        g.updated_at = now;
        store::UpdateGoal(sql, a.workspace_id, g);
        events::WriteAudit(sql, a, now, {"goal.update", "goal", id, GoalSnapshot(*before), GoalSnapshot(g)});
        return ViewOf(sql, a, *ctx, g, now);
    });
}

core::Result<void> PlansService::DeleteGoal(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto ctx = ContextOf(sql, a, now, config_);
        if (!ctx) return ctx.take_error();
        auto g = VisibleGoal(sql, a, *ctx, id);
        if (!g) return g.take_error();
        if (!ctx->vis.Can(Action::kDelete, kPlan)) return Error::Of(ErrorCode::kForbidden, "plans.not_your_subtree");
        const TreeAccess t = AccessOf(sql, a, ctx->vis);
        OTDEL_TRY_VOID(CheckSubject(sql, a, *ctx, t, std::nullopt, g->owner_user_id));
        store::SoftDeleteGoal(sql, a.workspace_id, id, now);
        events::WriteAudit(sql, a, now, {"goal.delete", "goal", id, GoalSnapshot(*g), std::nullopt});
        return core::Ok();
    });
}

}  // namespace otdel::plans
