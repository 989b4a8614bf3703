#pragma once
/// SQL of the plans room: sales plans, goals and the org tree they hang on. Person plans and goals carry the caller's
/// visibility predicate on their owner (alias "p" / "g"); department plans are read for a period and kept to the
/// departments the caller may see by the service (a department has no owner).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "plans/plan.hpp"

namespace otdel::plans::store {

// ---- plans ----
/// Person plans under `visible` (alias "p") and every department plan, of the periods starting on `first_day`.
std::vector<Plan> PlansOfPeriod(soci::session& sql, core::Id ws, const std::string& first_day,
                                const auth::Predicate& visible);
std::optional<Plan> SelectPlan(soci::session& sql, core::Id ws, core::Id id);
/// The plan of this subject, metric and period, when one exists.
std::optional<Plan> FindPlan(soci::session& sql, core::Id ws, const Plan& like);
core::Id InsertPlan(soci::session& sql, core::Id ws, const Plan& p);
void UpdatePlanTarget(soci::session& sql, core::Id ws, core::Id id, std::int64_t target,
                      std::optional<core::Id> parent_plan_id, std::optional<std::int64_t> weight,
                      const std::string& note, core::Millis now);
void DeletePlan(soci::session& sql, core::Id ws, core::Id id);
/// Person plans split from `parent_id` lose the link (the department plan is deleted).
void DetachChildren(soci::session& sql, core::Id ws, core::Id parent_id);

// ---- goals ----
struct GoalFilter {
    std::optional<core::Id> owner;
    bool overdue_only = false;  // deadline before `today`
    std::string today;
    std::optional<core::Id> before;  // keyset: id < before
    int limit = 50;
};
/// Live goals under `visible` (alias "g"), newest first.
std::vector<Goal> ListGoals(soci::session& sql, core::Id ws, const GoalFilter& f, const auth::Predicate& visible);
std::optional<Goal> SelectGoal(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate& visible);
core::Id InsertGoal(soci::session& sql, core::Id ws, const Goal& g);
void UpdateGoal(soci::session& sql, core::Id ws, const Goal& g);
void SoftDeleteGoal(soci::session& sql, core::Id ws, core::Id id, core::Millis now);

// ---- the tree ----
struct OrgDept {
    core::Id id = 0;
    std::optional<core::Id> parent;
    std::string name;
    std::string path;
    std::optional<core::Id> head;
};
/// Live (not archived) departments of the workspace.
std::vector<OrgDept> Departments(soci::session& sql, core::Id ws);
struct OrgPerson {
    core::Id user_id = 0;
    core::Id department_id = 0;
    std::string name;
};
/// Active employees the caller may see (`visible` on alias "e", owner column user_id), with department and name.
std::vector<OrgPerson> People(soci::session& sql, core::Id ws, const auth::Predicate& visible);
/// The user's full name ("" when unknown).
std::string UserName(soci::session& sql, core::Id ws, core::Id user_id);

}  // namespace otdel::plans::store
