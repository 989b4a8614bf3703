#pragma once
/// PlansService (PLAN-1 … PLAN-3): the KPI catalog measured for a filter, sales plans per department / person with
/// splits and plan vs fact rolled up along the tree with the pace, and SMART goals with measured progress.
/// Permissions: `plan: read` to see plans and KPIs, `plan: create/update/delete` to set them — heads for the
/// departments of their subtree and the people placed there; visibility follows the tree (ORG-6). Goals use the same
/// rights on their owner. Every change writes its audit row in the same transaction; bad input changes nothing.
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "plans/fact_records.hpp"
#include "plans/kpi_store.hpp"
#include "plans/plan.hpp"

namespace otdel::plans {

struct KpiQuery {
    std::optional<std::string> period;    // month | quarter | year | custom (default month)
    std::optional<std::string> date;      // a day inside the period (default today)
    std::optional<std::string> from, to;  // custom: inclusive days
    std::optional<core::Id> department_id, user_id, pipeline_id, product_id;
    std::optional<std::string> channel, currency;
    std::vector<std::string> kpis;  // empty: the whole catalog
    bool by_person = false;
};

struct PersonKpis {
    core::Id user_id = 0;
    std::vector<KpiValue> values;
};

struct KpiReport {
    Period period;
    std::string today;
    std::string currency;
    Pace pace;
    std::vector<KpiValue> values;
    std::vector<PersonKpis> by_person;
};

struct PlanVsFactQuery {
    std::optional<std::string> period;  // month | quarter | year
    std::optional<std::string> date;
    std::optional<core::Id> department_id;  // the root; default every department the caller sees
    std::vector<std::string> metrics;       // default all plan metrics
};

struct PlanVsFactView {
    Period period;
    std::string today;
    Pace pace;
    std::vector<PlanMetric> metrics;
    std::vector<FactRow> rows;
    /// Rows (by kind + id) the caller may set plans for.
    std::vector<std::pair<std::string, core::Id>> editable;
};

/// One figure of plan vs fact: a metric of a row (a department — its subtree — or a person) in a period.
struct FactRecordsQuery {
    std::optional<std::string> period;  // month | quarter | year
    std::optional<std::string> date;
    std::string metric;
    std::optional<core::Id> department_id, user_id;
};

struct SplitRequest {
    std::optional<std::string> mode;  // even | weights | amounts
    std::vector<SplitShare> people;
};

struct GoalView {
    Goal goal;
    std::string owner_name;
    GoalProgress progress;
    KpiValue value;
};

struct GoalQuery {
    std::optional<std::string> owner;  // "me" or a user id
    bool overdue = false;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct GoalPage {
    std::vector<GoalView> items;
    std::string today;
    std::optional<std::string> next_cursor;
};

struct PlansConfig {
    /// Plan vs fact reads revenue, deals won, calls and meetings from the reports' exact daily rollups (migration
    /// 0021) once they are built for the workspace's zone (fact_rollup.hpp); false: always the raw rows (the tests
    /// compare the two). With it, new clients come from the clients' first wins (migration 0026) and payments
    /// received from the daily payment totals (migration 0029).
    bool use_rollups = true;
    /// false: new clients from the records even with use_rollups (the bench's A/B of migration 0026).
    bool use_first_wins = true;
    /// false: payments received from the records even with use_rollups (the bench's A/B of migration 0029).
    bool use_payment_days = true;
};

class PlansService {
public:
    PlansService(db::Database& db, const core::Clock& clock, PlansConfig config = {})
        : db_(db), clock_(clock), config_(config) {}

    /// The catalog's figures for a filter (422 on an unknown KPI, a bad day or period).
    core::Result<KpiReport> Kpis(const core::Actor& a, const KpiQuery& q);
    /// Plan vs fact for a period, rolled up along the tree from the root(s), with the pace.
    core::Result<PlanVsFactView> PlanVsFact(const core::Actor& a, const PlanVsFactQuery& q);
    /// The records behind one figure of PlanVsFact (the same rows, the same people of the row): they add up to it.
    core::Result<FactRecords> FactRecordsOf(const core::Actor& a, const FactRecordsQuery& q);
    /// Sets (creates or replaces the target of) the plan of a subject, metric and period.
    core::Result<Plan> SetPlan(const core::Actor& a, const PlanInput& in);
    core::Result<Plan> GetPlan(const core::Actor& a, core::Id id);
    core::Result<void> DeletePlan(const core::Actor& a, core::Id id);
    /// Splits a department plan over people of its subtree: each gets a person plan (set or replaced) and the
    /// shares add up to the department's target exactly.
    core::Result<std::vector<Plan>> SplitPlan(const core::Actor& a, core::Id id, const SplitRequest& r);

    core::Result<GoalPage> ListGoals(const core::Actor& a, const GoalQuery& q);
    core::Result<GoalView> GetGoal(const core::Actor& a, core::Id id);
    core::Result<GoalView> CreateGoal(const core::Actor& a, const GoalInput& in);
    core::Result<GoalView> UpdateGoal(const core::Actor& a, core::Id id, const GoalInput& in);
    core::Result<void> DeleteGoal(const core::Actor& a, core::Id id);

    /// /api/v1/kpis…, /api/v1/plans…, /api/v1/goals…
    void Register(http::Router& router);

private:
    db::Database& db_;
    const core::Clock& clock_;
    PlansConfig config_;
};

}  // namespace otdel::plans
