#pragma once
/// Loads the KPI catalog's input rows (kpi.hpp) for a filter on SQLite and PostgreSQL alike. Every query is scoped to
/// the workspace and carries the caller's visibility predicate (ORG-6) on the record's owner: deals and payments by
/// the deal's owner, leads by the lead's owner, assignments by the assignee, activities by the activity's owner.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "plans/kpi.hpp"

namespace otdel::plans {

/// What to count over. Days are local days of the workspace zone; from/to the UTC instants of first_day 00:00 and of
/// the day after last_day 00:00 (PlansService::ResolveFilter fills them).
struct KpiFilter {
    core::Id workspace_id = 0;
    std::string first_day;  // 'YYYY-MM-DD' inclusive
    std::string last_day;   // 'YYYY-MM-DD' inclusive
    core::Millis from = 0;
    core::Millis to = 0;
    /// Activities are counted up to this instant (now): a meeting later today is planned, not held.
    std::optional<core::Millis> until;
    /// Owners placed (employees.department_id) in this department's subtree.
    std::optional<core::Id> department_id;
    /// One owner.
    std::optional<core::Id> user_id;
    /// Deals of this pipeline (and the stages of per-stage conversion; the default pipeline otherwise).
    std::optional<core::Id> pipeline_id;
    /// Deals whose source lead came by this channel; leads and assignments of leads of this channel.
    std::optional<std::string> channel;
    /// Deals with a line of this product (deal_lines.product_id).
    std::optional<core::Id> product_id;
    /// Money figures in this currency only.
    std::string currency = "RUB";
    /// New clients' first wins (kInFirstWins) tested from the deals themselves — every won deal of the window against
    /// its client's other deals — instead of read from plan_first_wins (migration 0026, kept exact by triggers): the
    /// reference the tests and the bench compare with (PlansConfig::use_rollups = false).
    bool first_wins_from_records = false;
};

namespace store {

/// The rows `inputs` (KpiInput bits) name, for `f`, under `vis`. Rows of other workspaces or outside visibility are
/// never read.
KpiInputs LoadKpiInputs(soci::session& sql, const KpiFilter& f, unsigned inputs, const auth::Visibility& vis);

/// The department's path ("/1/4/"), when it exists in the workspace.
std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws, core::Id department_id);
/// The workspace's default pipeline (else its first live one).
std::optional<core::Id> DefaultPipeline(soci::session& sql, core::Id ws);

}  // namespace store
}  // namespace otdel::plans
