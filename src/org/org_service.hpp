#pragma once
/// OrgService: use cases of the organisation room — departments, the role catalog, employees (with dismissal and
/// handover) and absences — with permissions, validation, one transaction per change and an audit row for each.
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "org/absence.hpp"
#include "org/department.hpp"
#include "org/employee.hpp"
#include "org/role.hpp"

namespace otdel::org {

struct DepartmentInput {
    std::optional<std::string> name;
    bool set_parent = false;
    std::optional<core::Id> parent_id;
    std::optional<Division> division;
    bool set_head = false;
    std::optional<core::Id> head_user_id;
};

struct RoleInput {
    std::optional<std::string> code;  // create only
    bool set_level = false;
    std::optional<std::string> level;
    std::optional<std::string> name_ru, name_en, duties_ru, duties_en, scope;
    std::optional<std::vector<std::string>> kpis;
    std::optional<Permissions> permissions;
};

struct EmployeeInput {
    std::optional<core::Id> user_id;
    std::optional<auth::NewUser> new_user;  // create the account too
    std::optional<core::Id> role_id, department_id;
    bool set_manager = false;
    std::optional<core::Id> manager_user_id;
    std::optional<std::string> position_title, phone;
    bool set_hired_on = false;
    std::optional<std::string> hired_on;
};

struct EmployeeView {
    Employee employee;
    std::optional<core::Id> effective_manager_user_id;
};

struct EmployeePage {
    std::vector<EmployeeView> items;
    std::optional<core::Id> next_after;
};

struct DismissInput {
    std::string handover;  // user | routing
    std::optional<core::Id> to_user_id;
};

struct DismissOutcome {
    EmployeeView employee;
    core::Id handover_id = 0;
    std::string target;
    std::optional<core::Id> to_user_id;
    std::vector<std::pair<std::string, int>> moved;
};

struct OrgMember {
    core::Id employee_id = 0, user_id = 0, role_id = 0, department_id = 0;
    std::string full_name, role_code, position_title;
    bool is_head = false, absent_today = false;
};

struct OrgTreeView {
    std::vector<Department> departments;  // ordered by path
    std::vector<OrgMember> members;
};

struct AwayEntry {
    Absence absence;
    std::string full_name;
    std::optional<std::string> substitute_full_name;
};

struct AwayView {
    std::string from, to;
    std::vector<AwayEntry> items;
};

struct AbsencePage {
    std::vector<Absence> items;
    std::optional<core::Id> next_before;
};

struct EmployeeQuery;
struct AbsenceQuery;

class OrgService {
public:
    /// Registers the catalog seeding with `auth` so every workspace created from now on gets the default roles.
    OrgService(db::Database& db, const core::Clock& clock, auth::AuthService& auth, HandoverRegistry& handovers);

    /// Inserts the default role catalog into a workspace (inside the caller's transaction). Idempotent by code.
    static void SeedCatalog(soci::session& sql, core::Id workspace_id, const core::Actor& by, core::Millis now);

    /// Adds any missing default roles to an existing workspace (workspaces created before the catalog existed).
    void EnsureCatalog(core::Id workspace_id);
    /// A user of the workspace by e-mail (for the demo seed and the CLI).
    std::optional<core::Id> UserIdByEmail(core::Id workspace_id, const std::string& email);

    core::Result<std::vector<Department>> ListDepartments(const core::Actor& a, bool include_archived);
    core::Result<Department> GetDepartment(const core::Actor& a, core::Id id);
    core::Result<Department> CreateDepartment(const core::Actor& a, const DepartmentInput& in);
    core::Result<Department> UpdateDepartment(const core::Actor& a, core::Id id, const DepartmentInput& in);
    core::Result<Department> MoveDepartment(const core::Actor& a, core::Id id, std::optional<core::Id> parent_id);
    core::Result<Department> ArchiveDepartment(const core::Actor& a, core::Id id);
    core::Result<Department> RestoreDepartment(const core::Actor& a, core::Id id);
    core::Result<OrgTreeView> Tree(const core::Actor& a, bool include_archived);

    core::Result<std::vector<Role>> ListRoles(const core::Actor& a, bool include_retired);
    core::Result<Role> GetRole(const core::Actor& a, core::Id id);
    core::Result<Role> CreateRole(const core::Actor& a, const RoleInput& in);
    core::Result<Role> UpdateRole(const core::Actor& a, core::Id id, const RoleInput& in);
    core::Result<Role> RetireRole(const core::Actor& a, core::Id id);
    core::Result<Role> RestoreRole(const core::Actor& a, core::Id id);

    core::Result<EmployeePage> ListEmployees(const core::Actor& a, const EmployeeQuery& q);
    core::Result<EmployeeView> GetEmployee(const core::Actor& a, core::Id id);
    core::Result<EmployeeView> CreateEmployee(const core::Actor& a, const EmployeeInput& in);
    core::Result<EmployeeView> UpdateEmployee(const core::Actor& a, core::Id id, const EmployeeInput& in);
    core::Result<DismissOutcome> DismissEmployee(const core::Actor& a, core::Id id, const DismissInput& in);

    core::Result<Absence> CreateAbsence(const core::Actor& a, Absence in);
    core::Result<Absence> GetAbsence(const core::Actor& a, core::Id id);
    core::Result<Absence> CancelAbsence(const core::Actor& a, core::Id id);
    core::Result<AbsencePage> ListAbsences(const core::Actor& a, const AbsenceQuery& q);
    core::Result<AwayView> WhoIsAway(const core::Actor& a, std::optional<std::string> from,
                                     std::optional<std::string> to);

    /// Who receives `user_id`'s new work on `day` (YYYY-MM-DD): the user, or the substitute chain's end; nullopt
    /// means routing. For routing and later rooms.
    std::optional<core::Id> EffectiveAssignee(core::Id workspace_id, core::Id user_id, const std::string& day);
    bool IsAbsent(core::Id workspace_id, core::Id user_id, const std::string& day);
    /// Today in the workspace's time zone (YYYY-MM-DD).
    std::string Today(core::Id workspace_id);

    /// GET /api/v1/org/tree, /org/away, /departments…, /roles…, /employees…, /absences…
    void Register(http::Router& router);

private:
    bool CanManage(soci::session& sql, const core::Actor& a);
    std::string TodayIn(soci::session& sql, core::Id ws);

    db::Database& db_;
    const core::Clock& clock_;
    auth::AuthService& auth_;
    HandoverRegistry& handovers_;
};

struct EmployeeQuery {
    std::optional<core::Id> department_id, user_id;
    std::optional<std::string> status;
    std::optional<core::Id> after_id;
    int limit = 50;
};

struct AbsenceQuery {
    std::optional<core::Id> user_id;
    std::optional<std::string> from, to;
    bool include_cancelled = false;
    std::optional<core::Id> before_id;
    int limit = 50;
};

}  // namespace otdel::org
