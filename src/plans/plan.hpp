#pragma once
/// Sales plans (PLAN-2) and SMART goals (PLAN-1) as pure rules: what a valid plan or goal is, how a department's plan
/// is split over its people (evenly, by weights or by amounts — the remainder handed out exactly), plan vs fact rolled
/// up along the org tree with the pace projection, and a goal's measured progress. No SQL, JSON or HTTP.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "plans/kpi.hpp"
#include "plans/period.hpp"

namespace otdel::plans {

/// What a sales plan can set a target for; each is measured by one KPI of the catalog.
enum class PlanMetric { kRevenue, kDealsWon, kNewClients, kCalls, kMeetings, kPaymentsReceived };
std::string_view PlanMetricName(
    PlanMetric m);  // revenue | deals_won | new_clients | calls | meetings | payments_received
std::optional<PlanMetric> ParsePlanMetric(std::string_view s);
KpiCode KpiOf(PlanMetric m);
const std::vector<PlanMetric>& AllPlanMetrics();
bool IsMoney(PlanMetric m);

/// A plan: a target for one metric, one subject (a department — a team is a department node — or a person) and one
/// month / quarter / year.
struct Plan {
    core::Id id = 0;
    PeriodKind period = PeriodKind::kMonth;
    std::string first_day, last_day;
    std::optional<core::Id> department_id;
    std::optional<core::Id> user_id;
    PlanMetric metric = PlanMetric::kRevenue;
    std::int64_t target = 0;  // minor units for money, a count otherwise
    std::string currency = "RUB";
    /// The department plan this person's plan was split from, with the weight it got.
    std::optional<core::Id> parent_plan_id;
    std::optional<std::int64_t> weight;
    std::string note;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0;
    core::Millis updated_at = 0;
};

/// What a caller sends to set a plan (create: every field but note; the period comes as kind + first day).
struct PlanInput {
    std::optional<std::string> period;     // month | quarter | year
    std::optional<std::string> first_day;  // the period's first day
    std::optional<std::string> last_day;   // optional; must be the period's last day when given
    std::optional<core::Id> department_id;
    std::optional<core::Id> user_id;
    std::optional<std::string> metric;
    std::optional<std::int64_t> target;
    std::optional<std::string> currency;
    std::optional<std::string> note;
};

/// Validates the input into a plan (field errors: period, first_day, last_day, subject, metric, target, currency).
core::Result<Plan> BuildPlan(const PlanInput& in);

/// One person's share of a split.
struct SplitShare {
    core::Id user_id = 0;
    std::optional<std::int64_t> weight;  // mode "weights"
    std::optional<std::int64_t> amount;  // mode "amounts"
};
enum class SplitMode { kEven, kWeights, kAmounts };
std::optional<SplitMode> ParseSplitMode(std::string_view s);

/// The department's target over the people: even or by weights with the largest-remainder method (ties to the
/// earlier person), or the amounts as given — which must add up to the target exactly. Errors name the field
/// (people, people/N/weight, people/N/amount) and the reason (required, negative, duplicate, sum_mismatch).
core::Result<std::vector<std::int64_t>> Split(std::int64_t total, SplitMode mode,
                                              const std::vector<SplitShare>& people);

// ---- plan vs fact along the tree ----

struct DeptNode {
    core::Id id = 0;
    std::optional<core::Id> parent;
    std::string name;
};
struct PersonNode {
    core::Id user_id = 0;
    core::Id department_id = 0;
    std::string name;
};

/// One metric of one row: the plan set on it, the plans set below it, the fact and the pace.
struct FactLine {
    PlanMetric metric = PlanMetric::kRevenue;
    std::optional<core::Id> plan_id;
    std::optional<std::int64_t> target;
    /// Σ of the plans one level down (people of the department, child departments' own plan or their own Σ).
    std::int64_t children_target = 0;
    std::int64_t fact = 0;
    std::optional<std::int64_t> share_bp;  // fact / target
    std::int64_t projected = 0;            // at this pace by the period's end
    std::optional<std::int64_t> projected_bp;
};

struct FactRow {
    std::string kind;  // department | person
    core::Id id = 0;   // department id or user id
    std::string name;
    std::optional<core::Id> parent_department_id;
    int depth = 0;
    std::vector<FactLine> lines;
};

/// Facts per person per metric.
using PersonFacts = std::map<PlanMetric, std::map<core::Id, std::int64_t>>;

/// Rows in tree order from `roots`: a department, its people, then its child departments (by name). A department's
/// fact is the sum of its subtree's people's facts (every record has one owner placed in one department).
std::vector<FactRow> PlanVsFact(const std::vector<DeptNode>& depts, const std::vector<core::Id>& roots,
                                const std::vector<PersonNode>& people, const std::vector<Plan>& plans,
                                const std::vector<PlanMetric>& metrics, const PersonFacts& facts, const Pace& pace);

// ---- SMART goals ----

struct Goal {
    core::Id id = 0;
    std::string title;
    KpiCode kpi = KpiCode::kRevenue;
    std::int64_t target = 0;  // in the KPI's unit
    core::Id owner_user_id = 0;
    /// Measured over the owner's own records, or over this department's subtree (a team goal owned by its head).
    std::optional<core::Id> department_id;
    std::string starts_on;
    std::string deadline;
    std::string currency = "RUB";
    std::string note;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0;
    core::Millis updated_at = 0;
};

struct GoalInput {
    std::optional<std::string> title;
    std::optional<std::string> kpi;
    std::optional<std::int64_t> target;
    std::optional<core::Id> owner_user_id;
    std::optional<core::Id> department_id;
    bool set_department = false;
    std::optional<std::string> starts_on;
    std::optional<std::string> deadline;
    std::optional<std::string> currency;
    std::optional<std::string> note;
};

/// Applies the input to `g` (create: start from a default Goal; update: the stored one) and validates the result
/// (title, kpi, target ≥ 0, owner, starts_on ≤ deadline, currency).
core::Result<Goal> BuildGoal(Goal g, const GoalInput& in);

enum class GoalState { kOnTrack, kAchieved, kBehind, kOverdue };
std::string_view GoalStateName(GoalState s);  // on_track | achieved | behind | overdue

struct GoalProgress {
    bool defined = false;
    std::int64_t value = 0;
    std::optional<std::int64_t> share_bp;  // progress toward the target (for "lower is better": target / value)
    GoalState state = GoalState::kOnTrack;
    bool overdue = false;
};

/// Measured progress from `value` (the goal's KPI over [starts_on, deadline] as measured today). Higher-is-better KPIs
/// are achieved at value ≥ target, lower-is-better ones at value ≤ target. Not achieved and the deadline passed:
/// overdue (the manager's list). Before the deadline a higher-is-better goal is behind when its share of the target
/// is below the share of the goal's days gone.
GoalProgress ProgressOf(const Goal& g, const KpiValue& value, const std::string& today);

}  // namespace otdel::plans
