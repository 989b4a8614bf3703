#pragma once
/// SQL of the organisation room (departments, roles, employees, absences, handovers). Every function runs in the
/// caller's session/transaction and is scoped by workspace_id.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "org/absence.hpp"
#include "org/department.hpp"
#include "org/employee.hpp"
#include "org/role.hpp"

namespace otdel::org::store {

std::string WorkspaceTimeZone(soci::session& sql, core::Id ws);
/// Today ('YYYY-MM-DD') in the workspace's time zone at `now` — the one place every room asks for "today".
std::string WorkspaceToday(soci::session& sql, core::Id ws, core::Millis now);

core::Id InsertDepartment(soci::session& sql, const Department& d, core::Millis now);
void SetDepartmentPath(soci::session& sql, core::Id ws, core::Id id, const std::string& path);
std::optional<Department> SelectDepartment(soci::session& sql, core::Id ws, core::Id id);
/// Every department of the workspace, ordered by path (parents before children).
std::vector<Department> ListDepartments(soci::session& sql, core::Id ws, bool include_archived);
/// Writes name, parent, path, division, head and archived_at of `d`.
void UpdateDepartment(soci::session& sql, const Department& d, core::Millis now);
/// Replaces the prefix `old_path` by `new_path` in the paths of the whole subtree (the root included).
void RebaseSubtree(soci::session& sql, core::Id ws, const std::string& old_path, const std::string& new_path,
                   core::Millis now);
int CountActiveMembers(soci::session& sql, core::Id ws, core::Id department_id);
int CountActiveChildren(soci::session& sql, core::Id ws, core::Id department_id);
/// Departments headed by `user_id` lose their head (a dismissal). Returns their ids.
std::vector<core::Id> ClearHead(soci::session& sql, core::Id ws, core::Id user_id, core::Millis now);

core::Id InsertRole(soci::session& sql, core::Id ws, const Role& r, core::Millis now);
std::optional<Role> SelectRole(soci::session& sql, core::Id ws, core::Id id);
std::vector<Role> ListRoles(soci::session& sql, core::Id ws, bool include_retired);
void UpdateRole(soci::session& sql, const Role& r, core::Millis now);
/// The scope of the role the user holds as an active employee, if any.
std::optional<std::string> ScopeOfUser(soci::session& sql, core::Id ws, core::Id user_id);

core::Id InsertEmployee(soci::session& sql, const Employee& e, core::Millis now);
std::optional<Employee> SelectEmployee(soci::session& sql, core::Id ws, core::Id id);
std::optional<Employee> SelectEmployeeByUser(soci::session& sql, core::Id ws, core::Id user_id);
struct EmployeeFilter {
    std::optional<core::Id> department_id, user_id;
    std::optional<std::string> status;
};
/// Employees with id > after_id, by id.
/// Employees the predicate lets the caller see (ORG-6: own card, the subtree for heads, all for all/read_all).
std::vector<Employee> ListEmployees(soci::session& sql, core::Id ws, const EmployeeFilter& f, core::Id after_id,
                                    int limit, const auth::Predicate& visible);
/// Writes role, department, manager, status, position, phone, hired_on, dismissed_at of `e`.
void UpdateEmployee(soci::session& sql, const Employee& e, core::Millis now);
OrgSnapshot LoadSnapshot(soci::session& sql, core::Id ws);
/// Whether the user exists in the workspace and is active (not disabled).
bool UserActive(soci::session& sql, core::Id ws, core::Id user_id);
void SetUserStatus(soci::session& sql, core::Id ws, core::Id user_id, const std::string& status, core::Millis now);
std::optional<core::Id> UserIdByEmail(soci::session& sql, core::Id ws, const std::string& email);
std::optional<std::string> UserFullName(soci::session& sql, core::Id ws, core::Id user_id);

core::Id InsertAbsence(soci::session& sql, const Absence& a, core::Id created_by, core::Millis now);
std::optional<Absence> SelectAbsence(soci::session& sql, core::Id ws, core::Id id);
/// Non-cancelled absences of the workspace overlapping [from, to].
std::vector<Absence> ListAbsencesOverlapping(soci::session& sql, core::Id ws, const std::string& from,
                                             const std::string& to);
struct AbsenceFilter {
    std::optional<core::Id> user_id;
    std::optional<std::string> from, to;
    bool include_cancelled = false;
};
/// Newest first (id < before_id).
std::vector<Absence> ListAbsences(soci::session& sql, core::Id ws, const AbsenceFilter& f, core::Id before_id,
                                  int limit);
bool CancelAbsence(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
/// Cancels the person's absences that have not ended by `today` (a dismissal). Returns how many.
int CancelOpenAbsences(soci::session& sql, core::Id ws, core::Id user_id, const std::string& today, core::Millis now);

core::Id InsertHandover(soci::session& sql, core::Id ws, core::Id from_user, const std::string& target,
                        std::optional<core::Id> to_user, const std::string& moved_json, std::optional<core::Id> by_user,
                        core::Millis now);

}  // namespace otdel::org::store
