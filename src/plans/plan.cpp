#include "plans/plan.hpp"

#include <algorithm>
#include <numeric>
#include <set>

namespace otdel::plans {
namespace {

using core::Error;
using core::ErrorCode;
using core::FieldError;

// Targets up to 10^15 minor units (10 trillion roubles) leave every sum and product far from overflow.
constexpr std::int64_t kMaxTarget = 1'000'000'000'000'000LL;
constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxNote = 2000;

bool ValidCurrency(const std::string& c) {
    return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

void CheckTarget(std::optional<std::int64_t> target, std::vector<FieldError>& errs) {
    if (!target)
        errs.push_back({"target", "required", ""});
    else if (*target < 0)
        errs.push_back({"target", "negative_target", ""});
    else if (*target > kMaxTarget)
        errs.push_back({"target", "out_of_range", "0…" + std::to_string(kMaxTarget)});
}

Error Invalid(std::vector<FieldError> errs) {
    return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
}

}  // namespace

std::string_view PlanMetricName(PlanMetric m) {
    switch (m) {
        case PlanMetric::kRevenue: return "revenue";
        case PlanMetric::kDealsWon: return "deals_won";
        case PlanMetric::kNewClients: return "new_clients";
        case PlanMetric::kCalls: return "calls";
        case PlanMetric::kMeetings: return "meetings";
        case PlanMetric::kPaymentsReceived: return "payments_received";
    }
    return "revenue";
}

const std::vector<PlanMetric>& AllPlanMetrics() {
    static const std::vector<PlanMetric> k = {PlanMetric::kRevenue,    PlanMetric::kDealsWon,
                                              PlanMetric::kNewClients, PlanMetric::kCalls,
                                              PlanMetric::kMeetings,   PlanMetric::kPaymentsReceived};
    return k;
}

std::optional<PlanMetric> ParsePlanMetric(std::string_view s) {
    for (auto m : AllPlanMetrics())
        if (PlanMetricName(m) == s) return m;
    return std::nullopt;
}

KpiCode KpiOf(PlanMetric m) {
    switch (m) {
        case PlanMetric::kRevenue: return KpiCode::kRevenue;
        case PlanMetric::kDealsWon: return KpiCode::kDealsWon;
        case PlanMetric::kNewClients: return KpiCode::kNewClients;
        case PlanMetric::kCalls: return KpiCode::kCalls;
        case PlanMetric::kMeetings: return KpiCode::kMeetings;
        case PlanMetric::kPaymentsReceived: return KpiCode::kPaymentsReceived;
    }
    return KpiCode::kRevenue;
}

bool IsMoney(PlanMetric m) {
    return m == PlanMetric::kRevenue || m == PlanMetric::kPaymentsReceived;
}

core::Result<Plan> BuildPlan(const PlanInput& in) {
    std::vector<FieldError> errs;
    Plan p;
    std::optional<PeriodKind> kind;
    if (!in.period)
        errs.push_back({"period", "required", ""});
    else if (kind = ParsePeriodKind(*in.period); !kind || *kind == PeriodKind::kCustom)
        errs.push_back({"period", "not_one_of", "month, quarter, year"});
    std::optional<org::Day> first, last;
    if (!in.first_day)
        errs.push_back({"first_day", "required", ""});
    else if (first = org::ParseDay(*in.first_day); !first)
        errs.push_back({"first_day", "invalid_date", ""});
    if (in.last_day && !(last = org::ParseDay(*in.last_day))) errs.push_back({"last_day", "invalid_date", ""});
    if (first && last && *last < *first) errs.push_back({"last_day", "before_start", ""});
    if (kind && *kind != PeriodKind::kCustom && first && (!last || *last >= *first)) {
        const Period whole = PeriodContaining(*kind, *first);
        if (whole.first != *first || (last && whole.last != *last))
            errs.push_back({"first_day", "not_whole_period", std::string(PeriodKindName(*kind))});
        p.period = *kind;
        p.first_day = whole.FirstText();
        p.last_day = whole.LastText();
    }
    if (in.department_id.has_value() == in.user_id.has_value())
        errs.push_back({"subject", "either_or", "department_id, user_id"});
    p.department_id = in.department_id;
    p.user_id = in.user_id;
    if (!in.metric)
        errs.push_back({"metric", "required", ""});
    else if (auto m = ParsePlanMetric(*in.metric))
        p.metric = *m;
    else
        errs.push_back({"metric", "unknown_metric", *in.metric});
    CheckTarget(in.target, errs);
    if (in.target) p.target = *in.target;
    if (in.currency) {
        if (!ValidCurrency(*in.currency))
            errs.push_back({"currency", "invalid_currency", *in.currency});
        else
            p.currency = *in.currency;
    }
    if (in.note) {
        if (in.note->size() > kMaxNote) errs.push_back({"note", "too_long", std::to_string(kMaxNote)});
        p.note = *in.note;
    }
    if (!errs.empty()) return Invalid(std::move(errs));
    return p;
}

std::optional<SplitMode> ParseSplitMode(std::string_view s) {
    if (s == "even") return SplitMode::kEven;
    if (s == "weights") return SplitMode::kWeights;
    if (s == "amounts") return SplitMode::kAmounts;
    return std::nullopt;
}

core::Result<std::vector<std::int64_t>> Split(std::int64_t total, SplitMode mode,
                                              const std::vector<SplitShare>& people) {
    std::vector<FieldError> errs;
    if (people.empty()) return Invalid({{"people", "required", ""}});
    std::set<core::Id> seen;
    for (std::size_t i = 0; i < people.size(); ++i) {
        const std::string at = "people/" + std::to_string(i);
        if (!seen.insert(people[i].user_id).second)
            errs.push_back({at + "/user_id", "duplicate", std::to_string(people[i].user_id)});
        if (mode == SplitMode::kWeights) {
            if (!people[i].weight)
                errs.push_back({at + "/weight", "required", ""});
            else if (*people[i].weight < 0 || *people[i].weight > 1'000'000)
                errs.push_back({at + "/weight", "out_of_range", "0…1000000"});
        }
        if (mode == SplitMode::kAmounts) {
            if (!people[i].amount)
                errs.push_back({at + "/amount", "required", ""});
            else if (*people[i].amount < 0)
                errs.push_back({at + "/amount", "negative_target", ""});
        }
    }
    if (!errs.empty()) return Invalid(std::move(errs));
    const auto n = static_cast<std::int64_t>(people.size());
    std::vector<std::int64_t> out(people.size(), 0);
    switch (mode) {
        case SplitMode::kEven:
            for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = total / n + (i < total % n ? 1 : 0);
            return out;
        case SplitMode::kAmounts: {
            __int128 sum = 0;
            for (const auto& p : people) sum += *p.amount;
            if (sum != total) return Invalid({{"people", "plan_split_sum", std::to_string(total)}});
            for (std::size_t i = 0; i < people.size(); ++i) out[i] = *people[i].amount;
            return out;
        }
        case SplitMode::kWeights: {
            std::int64_t wsum = 0;
            for (const auto& p : people) wsum += *p.weight;
            if (wsum <= 0) return Invalid({{"people", "plan_zero_weights", ""}});
            // Largest remainder: floor shares first, then one unit each to the largest remainders (earlier wins ties).
            std::vector<std::pair<__int128, std::size_t>> rem;
            std::int64_t given = 0;
            for (std::size_t i = 0; i < people.size(); ++i) {
                const __int128 exact = static_cast<__int128>(total) * *people[i].weight;
                out[i] = static_cast<std::int64_t>(exact / wsum);
                given += out[i];
                rem.emplace_back(exact % wsum, i);
            }
            std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (std::int64_t k = 0; k < total - given; ++k) ++out[rem[static_cast<std::size_t>(k)].second];
            return out;
        }
    }
    return out;
}

namespace {

struct Tree {
    std::map<core::Id, std::vector<core::Id>> children;  // department → child departments (by name)
    std::map<core::Id, std::vector<const PersonNode*>> people;
    std::map<core::Id, const DeptNode*> dept;
};

// Σ of a person's facts over a department's subtree.
std::int64_t SubtreeFact(const Tree& t, core::Id dept, const std::map<core::Id, std::int64_t>& facts) {
    std::int64_t sum = 0;
    if (auto it = t.people.find(dept); it != t.people.end())
        for (const auto* p : it->second)
            if (auto f = facts.find(p->user_id); f != facts.end()) sum += f->second;
    if (auto it = t.children.find(dept); it != t.children.end())
        for (core::Id c : it->second) sum += SubtreeFact(t, c, facts);
    return sum;
}

const Plan* FindPlan(const std::vector<Plan>& plans, PlanMetric m, std::optional<core::Id> dept,
                     std::optional<core::Id> user) {
    for (const auto& p : plans)
        if (p.metric == m && p.department_id == dept && p.user_id == user) return &p;
    return nullptr;
}

// The plan a department stands for one level up: its own, else the Σ of what is planned below it.
std::int64_t PlannedBelow(const Tree& t, const std::vector<Plan>& plans, PlanMetric m, core::Id dept);
std::int64_t EffectiveTarget(const Tree& t, const std::vector<Plan>& plans, PlanMetric m, core::Id dept) {
    if (const Plan* own = FindPlan(plans, m, dept, std::nullopt)) return own->target;
    return PlannedBelow(t, plans, m, dept);
}
std::int64_t PlannedBelow(const Tree& t, const std::vector<Plan>& plans, PlanMetric m, core::Id dept) {
    std::int64_t sum = 0;
    if (auto it = t.people.find(dept); it != t.people.end())
        for (const auto* p : it->second)
            if (const Plan* pp = FindPlan(plans, m, std::nullopt, p->user_id)) sum += pp->target;
    if (auto it = t.children.find(dept); it != t.children.end())
        for (core::Id c : it->second) sum += EffectiveTarget(t, plans, m, c);
    return sum;
}

FactLine LineOf(PlanMetric m, const Plan* plan, std::int64_t children_target, std::int64_t fact, const Pace& pace) {
    FactLine l;
    l.metric = m;
    l.children_target = children_target;
    l.fact = fact;
    l.projected = ProjectedFact(fact, pace);
    if (plan) {
        l.plan_id = plan->id;
        l.target = plan->target;
        l.share_bp = ShareBp(fact, plan->target);
        l.projected_bp = ShareBp(l.projected, plan->target);
    } else if (children_target > 0) {
        l.share_bp = ShareBp(fact, children_target);
        l.projected_bp = ShareBp(l.projected, children_target);
    }
    return l;
}

}  // namespace

std::vector<FactRow> PlanVsFact(const std::vector<DeptNode>& depts, const std::vector<core::Id>& roots,
                                const std::vector<PersonNode>& people, const std::vector<Plan>& plans,
                                const std::vector<PlanMetric>& metrics, const PersonFacts& facts, const Pace& pace) {
    Tree t;
    std::vector<const DeptNode*> sorted;
    for (const auto& d : depts) {
        t.dept[d.id] = &d;
        sorted.push_back(&d);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const DeptNode* a, const DeptNode* b) { return a->name < b->name; });
    for (const auto* d : sorted)
        if (d->parent && t.dept.count(*d->parent)) t.children[*d->parent].push_back(d->id);
    std::vector<const PersonNode*> ps;
    for (const auto& p : people) ps.push_back(&p);
    std::stable_sort(ps.begin(), ps.end(), [](const PersonNode* a, const PersonNode* b) { return a->name < b->name; });
    for (const auto* p : ps) t.people[p->department_id].push_back(p);
    static const std::map<core::Id, std::int64_t> kNone;
    auto facts_of = [&](PlanMetric m) -> const std::map<core::Id, std::int64_t>& {
        auto it = facts.find(m);
        return it == facts.end() ? kNone : it->second;
    };

    std::vector<FactRow> out;
    std::set<core::Id> done;
    auto walk = [&](auto&& self, core::Id dept, int depth) -> void {
        if (!done.insert(dept).second) return;  // a cycle cannot happen in the org tree; guard anyway
        const DeptNode* d = t.dept.at(dept);
        FactRow row;
        row.kind = "department";
        row.id = dept;
        row.name = d->name;
        row.parent_department_id = d->parent;
        row.depth = depth;
        for (auto m : metrics)
            row.lines.push_back(LineOf(m, FindPlan(plans, m, dept, std::nullopt), PlannedBelow(t, plans, m, dept),
                                       SubtreeFact(t, dept, facts_of(m)), pace));
        out.push_back(std::move(row));
        if (auto it = t.people.find(dept); it != t.people.end())
            for (const auto* p : it->second) {
                FactRow pr;
                pr.kind = "person";
                pr.id = p->user_id;
                pr.name = p->name;
                pr.parent_department_id = dept;
                pr.depth = depth + 1;
                for (auto m : metrics) {
                    const auto& f = facts_of(m);
                    auto fit = f.find(p->user_id);
                    pr.lines.push_back(LineOf(m, FindPlan(plans, m, std::nullopt, p->user_id), 0,
                                              fit == f.end() ? 0 : fit->second, pace));
                }
                out.push_back(std::move(pr));
            }
        if (auto it = t.children.find(dept); it != t.children.end())
            for (core::Id c : it->second) self(self, c, depth + 1);
    };
    for (core::Id r : roots)
        if (t.dept.count(r)) walk(walk, r, 0);
    return out;
}

core::Result<Goal> BuildGoal(Goal g, const GoalInput& in) {
    std::vector<FieldError> errs;
    if (in.title) g.title = *in.title;
    if (g.title.empty())
        errs.push_back({"title", "required", ""});
    else if (g.title.size() > kMaxTitle)
        errs.push_back({"title", "too_long", std::to_string(kMaxTitle)});
    if (in.kpi) {
        if (auto k = ParseKpi(*in.kpi))
            g.kpi = *k;
        else
            errs.push_back({"kpi", "unknown_metric", *in.kpi});
    } else if (g.id == 0) {
        errs.push_back({"kpi", "required", ""});
    }
    if (in.target || g.id == 0) CheckTarget(in.target, errs);
    if (in.target) g.target = *in.target;
    if (in.owner_user_id) g.owner_user_id = *in.owner_user_id;
    if (g.owner_user_id <= 0) errs.push_back({"owner_user_id", "required", ""});
    if (in.set_department) g.department_id = in.department_id;
    if (in.starts_on) g.starts_on = *in.starts_on;
    if (in.deadline) g.deadline = *in.deadline;
    const auto start = org::ParseDay(g.starts_on);
    const auto end = org::ParseDay(g.deadline);
    if (!start) errs.push_back({"starts_on", g.starts_on.empty() ? "required" : "invalid_date", ""});
    if (!end) errs.push_back({"deadline", g.deadline.empty() ? "required" : "invalid_date", ""});
    if (start && end && *end < *start) errs.push_back({"deadline", "before_start", ""});
    if (in.currency) {
        if (!ValidCurrency(*in.currency))
            errs.push_back({"currency", "invalid_currency", *in.currency});
        else
            g.currency = *in.currency;
    }
    if (in.note) {
        if (in.note->size() > kMaxNote) errs.push_back({"note", "too_long", std::to_string(kMaxNote)});
        g.note = *in.note;
    }
    if (!errs.empty()) return Invalid(std::move(errs));
    return g;
}

std::string_view GoalStateName(GoalState s) {
    switch (s) {
        case GoalState::kOnTrack: return "on_track";
        case GoalState::kAchieved: return "achieved";
        case GoalState::kBehind: return "behind";
        case GoalState::kOverdue: return "overdue";
    }
    return "on_track";
}

GoalProgress ProgressOf(const Goal& g, const KpiValue& value, const std::string& today) {
    GoalProgress p;
    p.defined = value.defined;
    p.value = value.value;
    const bool higher = Def(g.kpi).higher_is_better;
    bool achieved = false;
    if (value.defined) {
        if (higher) {
            achieved = value.value >= g.target;
            p.share_bp = g.target > 0 ? ShareBp(value.value, g.target) : std::optional<std::int64_t>(10000);
        } else {
            achieved = value.value <= g.target;
            p.share_bp = value.value > 0 ? ShareBp(g.target, value.value) : std::optional<std::int64_t>(10000);
        }
    }
    const bool past = today > g.deadline;
    if (achieved && (higher || past)) {
        p.state = GoalState::kAchieved;
    } else if (past) {
        p.state = GoalState::kOverdue;
        p.overdue = true;
    } else if (!higher) {
        p.state = achieved || !value.defined ? GoalState::kOnTrack : GoalState::kBehind;
    } else {
        const auto s = org::ParseDay(g.starts_on), e = org::ParseDay(g.deadline), t = org::ParseDay(today);
        p.state = GoalState::kOnTrack;
        if (s && e && t && *t >= *s) {
            const std::int64_t total = e->days - s->days + 1,
                               gone = std::min<std::int64_t>(t->days - s->days + 1, total);
            const auto time_bp = Ratio(gone, total, 10000).value_or(0);
            if (p.share_bp.value_or(0) < time_bp) p.state = GoalState::kBehind;
        }
    }
    return p;
}

}  // namespace otdel::plans
