#include "org/org_service.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <boost/json.hpp>

#include "auth/account.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"

namespace otdel::org {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxAwayDays = 92;

Error Validation(std::vector<core::FieldError> fields) {
    return Error{ErrorCode::kValidation, {}, std::move(fields), 0};
}
Error Conflict(std::string key, std::string field, std::string code, std::string param = {}) {
    return Error{ErrorCode::kConflict, std::move(key), {core::FieldError{std::move(field), std::move(code), param}}, 0};
}
Error Unprocessable(std::string key, std::string field, std::string code) {
    return Error{ErrorCode::kValidation, std::move(key), {core::FieldError{std::move(field), std::move(code), ""}}, 0};
}
Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}
Error Forbidden() {
    return Error::Of(ErrorCode::kForbidden, "org.manage_forbidden");
}

using http::OrNull;

json::object DeptAudit(const Department& d) {
    return json::object{{"name", d.name},
                        {"parent_id", OrNull(d.parent_id)},
                        {"path", d.path},
                        {"division_principle", d.division.principle},
                        {"regions", http::StringArray(d.division.regions)},
                        {"lines", http::StringArray(d.division.lines)},
                        {"client_type", OrNull(d.division.client_type)},
                        {"head_user_id", OrNull(d.head_user_id)},
                        {"archived", d.archived_at.has_value()}};
}

json::object RoleAudit(const Role& r) {
    json::object perms;
    for (const auto& [k, v] : r.permissions) perms[k] = http::StringArray(v);
    return json::object{{"code", r.code},       {"level", OrNull(r.level)},
                        {"name_ru", r.name_ru}, {"name_en", r.name_en},
                        {"scope", r.scope},     {"kpis", http::StringArray(r.kpis)},
                        {"permissions", perms}, {"retired", r.retired_at.has_value()}};
}

json::object EmployeeAudit(const Employee& e) {
    return json::object{{"user_id", e.user_id},
                        {"role_id", e.role_id},
                        {"department_id", e.department_id},
                        {"manager_user_id", OrNull(e.manager_user_id)},
                        {"status", e.status},
                        {"position_title", e.position_title},
                        {"phone", e.phone},
                        {"hired_on", OrNull(e.hired_on)}};
}

json::object AbsenceAudit(const Absence& a) {
    return json::object{{"user_id", a.user_id},
                        {"kind", a.kind},
                        {"starts_on", a.starts_on},
                        {"ends_on", a.ends_on},
                        {"substitute_user_id", OrNull(a.substitute_user_id)},
                        {"note", a.note},
                        {"cancelled", a.cancelled_at.has_value()}};
}

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

}  // namespace

OrgService::OrgService(db::Database& db, const core::Clock& clock, auth::AuthService& auth, HandoverRegistry& handovers)
    : db_(db), clock_(clock), auth_(auth), handovers_(handovers) {
    auth_.OnWorkspaceCreated([](soci::session& sql, core::Id ws, const core::Actor& by, core::Millis now) {
        SeedCatalog(sql, ws, by, now);
    });
}

void OrgService::SeedCatalog(soci::session& sql, core::Id ws, const core::Actor& by, core::Millis now) {
    auto existing = store::ListRoles(sql, ws, true);
    int added = 0;
    for (const auto& r : DefaultCatalog()) {
        bool have = false;
        for (const auto& e : existing) have = have || e.code == r.code;
        if (have) continue;
        store::InsertRole(sql, ws, r, now);
        ++added;
    }
    if (added > 0)
        events::WriteAudit(
            sql, by, now,
            {"role.seed_catalog", "role", std::nullopt, std::nullopt, json::object{{"roles_added", added}}});
}

void OrgService::EnsureCatalog(core::Id ws) {
    const core::Millis now = clock_.NowMs();
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        SeedCatalog(sql, ws, core::Actor::System(ws), now);
        return core::Ok();
    });
    (void)r;
}

std::optional<core::Id> OrgService::UserIdByEmail(core::Id ws, const std::string& email) {
    return db_.Read([&](soci::session& sql) { return store::UserIdByEmail(sql, ws, email); });
}

bool OrgService::CanManage(soci::session& sql, const core::Actor& a) {
    if (a.kind == core::ActorKind::kSystem) return true;
    if (!a.authenticated()) return false;
    if (a.is_admin) return true;
    auto scope = store::ScopeOfUser(sql, a.workspace_id, a.user_id);
    return scope && *scope == "all";
}

std::string OrgService::TodayIn(soci::session& sql, core::Id ws) {
    return LocalDateText(store::WorkspaceTimeZone(sql, ws), clock_.NowMs());
}

std::string OrgService::Today(core::Id ws) {
    return db_.Read([&](soci::session& sql) { return TodayIn(sql, ws); });
}

// --- departments --------------------------------------------------------------------------------------------------

core::Result<std::vector<Department>> OrgService::ListDepartments(const core::Actor& a, bool include_archived) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) { return store::ListDepartments(sql, a.workspace_id, include_archived); });
}

core::Result<Department> OrgService::GetDepartment(const core::Actor& a, core::Id id) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    auto d = db_.Read([&](soci::session& sql) { return store::SelectDepartment(sql, a.workspace_id, id); });
    if (!d) return NotFound();
    return *d;
}

namespace {

// The head must be an active employee of the workspace.
std::optional<Error> CheckHead(soci::session& sql, core::Id ws, const std::optional<core::Id>& head) {
    if (!head) return std::nullopt;
    auto e = store::SelectEmployeeByUser(sql, ws, *head);
    if (!e || !e->active()) return Unprocessable("org.head_not_employee", "head_user_id", "invalid");
    return std::nullopt;
}

std::optional<Error> CheckNoManagerLoop(soci::session& sql, core::Id ws, const OrgSnapshot* prepared = nullptr) {
    OrgSnapshot org = prepared ? *prepared : store::LoadSnapshot(sql, ws);
    if (FindManagerLoop(org)) return Unprocessable("org.manager_loop", "manager_user_id", "manager_loop");
    return std::nullopt;
}

}  // namespace

core::Result<Department> OrgService::CreateDepartment(const core::Actor& a, const DepartmentInput& in) {
    std::vector<core::FieldError> errs;
    std::string name = Trim(in.name.value_or(""));
    if (name.empty()) errs.push_back({"name", "required", ""});
    if (auth::CharLength(name) > kMaxDepartmentNameLength) errs.push_back({"name", "too_long", "200"});
    Division division = in.division.value_or(Division{});
    for (auto& e : ValidateDivision(division)) errs.push_back(std::move(e));
    if (!errs.empty()) return Validation(std::move(errs));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Department> {
        if (!CanManage(sql, a)) return Forbidden();
        Department d;
        d.workspace_id = a.workspace_id;
        d.name = name;
        d.division = division;
        d.head_user_id = in.head_user_id;
        std::string parent_path;
        if (in.parent_id) {
            auto parent = store::SelectDepartment(sql, a.workspace_id, *in.parent_id);
            if (!parent) return Unprocessable({}, "parent_id", "invalid");
            if (!parent->active()) return Conflict("org.parent_archived", "parent_id", "archived");
            d.parent_id = parent->id;
            parent_path = parent->path;
        }
        if (auto e = CheckHead(sql, a.workspace_id, d.head_user_id)) return *e;
        d.id = store::InsertDepartment(sql, d, now);
        d.path = ChildPath(parent_path, d.id);
        store::SetDepartmentPath(sql, a.workspace_id, d.id, d.path);
        if (d.head_user_id) {
            if (auto e = CheckNoManagerLoop(sql, a.workspace_id)) return *e;
        }
        events::WriteAudit(sql, a, now, {"department.create", "department", d.id, std::nullopt, DeptAudit(d)});
        auto out = store::SelectDepartment(sql, a.workspace_id, d.id);
        return *out;
    });
}

core::Result<Department> OrgService::UpdateDepartment(const core::Actor& a, core::Id id, const DepartmentInput& in) {
    std::vector<core::FieldError> errs;
    std::optional<std::string> name;
    if (in.name) {
        name = Trim(*in.name);
        if (name->empty()) errs.push_back({"name", "too_short", "1"});
        if (auth::CharLength(*name) > kMaxDepartmentNameLength) errs.push_back({"name", "too_long", "200"});
    }
    if (in.division)
        for (auto& e : ValidateDivision(*in.division)) errs.push_back(std::move(e));
    if (!errs.empty()) return Validation(std::move(errs));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Department> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectDepartment(sql, a.workspace_id, id);
        if (!before) return NotFound();
        Department d = *before;
        if (name) d.name = *name;
        if (in.division) d.division = *in.division;
        if (in.set_head) {
            d.head_user_id = in.head_user_id;
            if (auto e = CheckHead(sql, a.workspace_id, d.head_user_id)) return *e;
        }
        store::UpdateDepartment(sql, d, now);
        if (in.set_head) {
            if (auto e = CheckNoManagerLoop(sql, a.workspace_id)) return *e;
        }
        events::WriteAudit(sql, a, now, {"department.update", "department", id, DeptAudit(*before), DeptAudit(d)});
        return *store::SelectDepartment(sql, a.workspace_id, id);
    });
}

core::Result<Department> OrgService::MoveDepartment(const core::Actor& a, core::Id id,
                                                    std::optional<core::Id> parent_id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Department> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectDepartment(sql, a.workspace_id, id);
        if (!before) return NotFound();
        std::string new_parent_path;
        if (parent_id) {
            auto parent = store::SelectDepartment(sql, a.workspace_id, *parent_id);
            if (!parent) return Unprocessable({}, "parent_id", "invalid");
            if (MoveCreatesCycle(before->path, parent->path))
                return Unprocessable("org.department_cycle", "parent_id", "cycle");
            if (!parent->active()) return Conflict("org.parent_archived", "parent_id", "archived");
            new_parent_path = parent->path;
        }
        Department d = *before;
        d.parent_id = parent_id;
        const std::string new_path = ChildPath(new_parent_path, id);
        if (new_path != before->path) store::RebaseSubtree(sql, a.workspace_id, before->path, new_path, now);
        d.path = new_path;
        store::UpdateDepartment(sql, d, now);
        if (auto e = CheckNoManagerLoop(sql, a.workspace_id)) return *e;
        events::WriteAudit(sql, a, now, {"department.move", "department", id, DeptAudit(*before), DeptAudit(d)});
        return *store::SelectDepartment(sql, a.workspace_id, id);
    });
}

core::Result<Department> OrgService::ArchiveDepartment(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Department> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectDepartment(sql, a.workspace_id, id);
        if (!before) return NotFound();
        if (!before->active()) return Conflict("org.already_archived", "id", "archived");
        if (int n = store::CountActiveMembers(sql, a.workspace_id, id); n > 0)
            return Conflict("org.department_has_people", "id", "has_people", std::to_string(n));
        if (int n = store::CountActiveChildren(sql, a.workspace_id, id); n > 0)
            return Conflict("org.department_has_children", "id", "has_children", std::to_string(n));
        Department d = *before;
        d.archived_at = now;
        store::UpdateDepartment(sql, d, now);
        events::WriteAudit(sql, a, now, {"department.archive", "department", id, DeptAudit(*before), DeptAudit(d)});
        return *store::SelectDepartment(sql, a.workspace_id, id);
    });
}

core::Result<Department> OrgService::RestoreDepartment(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Department> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectDepartment(sql, a.workspace_id, id);
        if (!before) return NotFound();
        if (before->active()) return Conflict("org.not_archived", "id", "not_archived");
        if (before->parent_id) {
            auto parent = store::SelectDepartment(sql, a.workspace_id, *before->parent_id);
            if (parent && !parent->active()) return Conflict("org.parent_archived", "parent_id", "archived");
        }
        Department d = *before;
        d.archived_at.reset();
        store::UpdateDepartment(sql, d, now);
        events::WriteAudit(sql, a, now, {"department.restore", "department", id, DeptAudit(*before), DeptAudit(d)});
        return *store::SelectDepartment(sql, a.workspace_id, id);
    });
}

core::Result<OrgTreeView> OrgService::Tree(const core::Actor& a, bool include_archived) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) -> core::Result<OrgTreeView> {
        OrgTreeView v;
        v.departments = store::ListDepartments(sql, a.workspace_id, include_archived);
        const std::string today = TodayIn(sql, a.workspace_id);
        auto away = store::ListAbsencesOverlapping(sql, a.workspace_id, today, today);
        store::EmployeeFilter f;
        f.status = "active";
        core::Id after = 0;
        std::map<core::Id, std::optional<core::Id>> heads;
        for (const auto& d : v.departments) heads[d.id] = d.head_user_id;
        // The org chart shows everyone's place (names, roles, teams) to every member of the workspace.
        const auth::Visibility everyone = auth::BuildVisibility(sql, core::Actor::System(a.workspace_id), today);
        const auth::Predicate all_members = everyone.Read("e", "user_id");
        for (;;) {
            auto page = store::ListEmployees(sql, a.workspace_id, f, after, 500, all_members);
            for (const auto& e : page) {
                OrgMember m;
                m.employee_id = e.id;
                m.user_id = e.user_id;
                m.role_id = e.role_id;
                m.department_id = e.department_id;
                m.full_name = e.full_name;
                m.role_code = e.role_code;
                m.position_title = e.position_title;
                auto h = heads.find(e.department_id);
                m.is_head = h != heads.end() && h->second == e.user_id;
                m.absent_today = org::IsAbsent(e.user_id, today, away);
                v.members.push_back(std::move(m));
            }
            if (page.size() < 500) break;
            after = page.back().id;
        }
        return v;
    });
}

// --- roles ----------------------------------------------------------------------------------------------------------

core::Result<std::vector<Role>> OrgService::ListRoles(const core::Actor& a, bool include_retired) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) { return store::ListRoles(sql, a.workspace_id, include_retired); });
}

core::Result<Role> OrgService::GetRole(const core::Actor& a, core::Id id) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    auto r = db_.Read([&](soci::session& sql) { return store::SelectRole(sql, a.workspace_id, id); });
    if (!r) return NotFound();
    return *r;
}

namespace {
void ApplyRoleInput(Role& r, const RoleInput& in) {
    if (in.set_level) r.level = in.level;
    if (in.name_ru) r.name_ru = Trim(*in.name_ru);
    if (in.name_en) r.name_en = Trim(*in.name_en);
    if (in.duties_ru) r.duties_ru = *in.duties_ru;
    if (in.duties_en) r.duties_en = *in.duties_en;
    if (in.scope) r.scope = *in.scope;
    if (in.kpis) r.kpis = *in.kpis;
    if (in.permissions) r.permissions = *in.permissions;
}
}  // namespace

core::Result<Role> OrgService::CreateRole(const core::Actor& a, const RoleInput& in) {
    Role r;
    r.code = in.code.value_or("");
    ApplyRoleInput(r, in);
    auto errs = ValidateRole(r, true);
    if (r.name_ru.empty()) errs.push_back({"name_ru", "required", ""});
    if (r.name_en.empty()) errs.push_back({"name_en", "required", ""});
    if (!errs.empty()) return Validation(std::move(errs));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Role> {
        if (!CanManage(sql, a)) return Forbidden();
        for (const auto& e : store::ListRoles(sql, a.workspace_id, true))
            if (e.code == r.code) return Conflict("org.role_code_taken", "code", "not_unique");
        r.id = store::InsertRole(sql, a.workspace_id, r, now);
        events::WriteAudit(sql, a, now, {"role.create", "role", r.id, std::nullopt, RoleAudit(r)});
        return *store::SelectRole(sql, a.workspace_id, r.id);
    });
}

core::Result<Role> OrgService::UpdateRole(const core::Actor& a, core::Id id, const RoleInput& in) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Role> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectRole(sql, a.workspace_id, id);
        if (!before) return NotFound();
        Role r = *before;
        ApplyRoleInput(r, in);
        auto errs = ValidateRole(r, false);
        if (r.name_ru.empty()) errs.push_back({"name_ru", "too_short", "1"});
        if (r.name_en.empty()) errs.push_back({"name_en", "too_short", "1"});
        if (!errs.empty()) return Validation(std::move(errs));
        store::UpdateRole(sql, r, now);
        events::WriteAudit(sql, a, now, {"role.update", "role", id, RoleAudit(*before), RoleAudit(r)});
        return *store::SelectRole(sql, a.workspace_id, id);
    });
}

core::Result<Role> OrgService::RetireRole(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Role> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectRole(sql, a.workspace_id, id);
        if (!before) return NotFound();
        if (before->retired_at) return Conflict("org.role_retired", "id", "retired");
        if (before->active_employees > 0)
            return Conflict("org.role_in_use", "id", "in_use", std::to_string(before->active_employees));
        Role r = *before;
        r.retired_at = now;
        store::UpdateRole(sql, r, now);
        events::WriteAudit(sql, a, now, {"role.retire", "role", id, RoleAudit(*before), RoleAudit(r)});
        return *store::SelectRole(sql, a.workspace_id, id);
    });
}

core::Result<Role> OrgService::RestoreRole(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Role> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectRole(sql, a.workspace_id, id);
        if (!before) return NotFound();
        Role r = *before;
        r.retired_at.reset();
        store::UpdateRole(sql, r, now);
        events::WriteAudit(sql, a, now, {"role.restore", "role", id, RoleAudit(*before), RoleAudit(r)});
        return *store::SelectRole(sql, a.workspace_id, id);
    });
}

// --- employees ------------------------------------------------------------------------------------------------------

namespace {

EmployeeView View(soci::session& sql, const Employee& e) {
    EmployeeView v{e, std::nullopt};
    if (e.active()) v.effective_manager_user_id = EffectiveManager(store::LoadSnapshot(sql, e.workspace_id), e.user_id);
    return v;
}

std::optional<Error> CheckPlacement(soci::session& sql, core::Id ws, core::Id role_id, core::Id department_id,
                                    const std::optional<core::Id>& manager, core::Id self_user) {
    std::vector<core::FieldError> errs;
    auto role = store::SelectRole(sql, ws, role_id);
    if (!role || role->retired_at) errs.push_back({"role_id", "invalid", ""});
    auto dept = store::SelectDepartment(sql, ws, department_id);
    if (!dept || !dept->active()) errs.push_back({"department_id", "invalid", ""});
    if (manager) {
        if (*manager == self_user) {
            errs.push_back({"manager_user_id", "manager_loop", ""});
        } else {
            auto m = store::SelectEmployeeByUser(sql, ws, *manager);
            if (!m || !m->active()) errs.push_back({"manager_user_id", "invalid", ""});
        }
    }
    if (!errs.empty()) return Validation(std::move(errs));
    return std::nullopt;
}

}  // namespace

core::Result<EmployeeView> OrgService::CreateEmployee(const core::Actor& a, const EmployeeInput& in) {
    std::vector<core::FieldError> errs;
    if (in.user_id.has_value() == in.new_user.has_value()) errs.push_back({"user_id", "required", ""});
    if (!in.role_id) errs.push_back({"role_id", "required", ""});
    if (!in.department_id) errs.push_back({"department_id", "required", ""});
    if (in.hired_on && !IsValidDate(*in.hired_on)) errs.push_back({"hired_on", "invalid_date", ""});
    if (!errs.empty()) return Validation(std::move(errs));
    // Permission first: a caller who may not manage must not learn anything, nor create a user.
    if (!db_.Read([&](soci::session& sql) { return CanManage(sql, a); })) return Forbidden();
    core::Id user_id = in.user_id.value_or(0);
    if (in.new_user) {
        // Validate the placement before creating the account, so a bad request leaves no user behind.
        auto pre = db_.Read([&](soci::session& sql) {
            return CheckPlacement(sql, a.workspace_id, *in.role_id, *in.department_id, in.manager_user_id, 0);
        });
        if (pre) return *pre;
        auth::NewUser nu = *in.new_user;
        nu.workspace_id = a.workspace_id;
        nu.is_admin = false;
        core::Actor creator = a.is_admin ? a : core::Actor::System(a.workspace_id);
        if (a.kind != core::ActorKind::kSystem && !a.is_admin) {
            creator.request_id = a.request_id;
            creator.ip = a.ip;
        }
        auto created = auth_.CreateUser(nu, creator);
        if (!created) {
            core::Error e = created.take_error();
            for (auto& f : e.fields) f.field = "user/" + f.field;
            return e;
        }
        user_id = *created;
    }
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<EmployeeView> {
        if (!store::UserActive(sql, a.workspace_id, user_id)) return Unprocessable({}, "user_id", "invalid");
        if (store::SelectEmployeeByUser(sql, a.workspace_id, user_id))
            return Conflict("org.already_employee", "user_id", "not_unique");
        if (auto e = CheckPlacement(sql, a.workspace_id, *in.role_id, *in.department_id, in.manager_user_id, user_id))
            return *e;
        Employee e;
        e.workspace_id = a.workspace_id;
        e.user_id = user_id;
        e.role_id = *in.role_id;
        e.department_id = *in.department_id;
        e.manager_user_id = in.manager_user_id;
        e.position_title = Trim(in.position_title.value_or(""));
        e.phone = Trim(in.phone.value_or(""));
        e.hired_on = in.hired_on;
        e.id = store::InsertEmployee(sql, e, now);
        if (auto err = CheckNoManagerLoop(sql, a.workspace_id)) return *err;
        events::WriteAudit(sql, a, now, {"employee.create", "employee", e.id, std::nullopt, EmployeeAudit(e)});
        return View(sql, *store::SelectEmployee(sql, a.workspace_id, e.id));
    });
}

core::Result<EmployeeView> OrgService::GetEmployee(const core::Actor& a, core::Id id) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) -> core::Result<EmployeeView> {
        // Read through the caller's visibility: a card outside it does not exist for them (404, ids do not leak).
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id));
        const auth::Predicate visible = vis.Read("e", "user_id");
        store::EmployeeFilter one;
        auto rows = store::ListEmployees(sql, a.workspace_id, one, id - 1, 1, visible);
        if (rows.empty() || rows.front().id != id) return NotFound();
        return View(sql, rows.front());
    });
}

core::Result<EmployeePage> OrgService::ListEmployees(const core::Actor& a, const EmployeeQuery& q) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) -> core::Result<EmployeePage> {
        store::EmployeeFilter f{q.department_id, q.user_id, q.status};
        // ORG-6: own card, the whole subtree for heads (scope team), everyone for all/read_all and admins.
        const auth::Visibility vis = auth::BuildVisibility(sql, a, TodayIn(sql, a.workspace_id));
        const auth::Predicate visible = vis.Read("e", "user_id");
        auto rows = store::ListEmployees(sql, a.workspace_id, f, q.after_id.value_or(0), q.limit + 1, visible);
        EmployeePage page;
        const OrgSnapshot org = store::LoadSnapshot(sql, a.workspace_id);
        for (auto& e : rows) {
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_after = page.items.back().employee.id;
                break;
            }
            EmployeeView v{e, std::nullopt};
            if (e.active()) v.effective_manager_user_id = EffectiveManager(org, e.user_id);
            page.items.push_back(std::move(v));
        }
        return page;
    });
}

core::Result<EmployeeView> OrgService::UpdateEmployee(const core::Actor& a, core::Id id, const EmployeeInput& in) {
    if (in.hired_on && !IsValidDate(*in.hired_on)) return Validation({{"hired_on", "invalid_date", ""}});
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<EmployeeView> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectEmployee(sql, a.workspace_id, id);
        if (!before) return NotFound();
        if (!before->active()) return Conflict("org.employee_dismissed", "id", "dismissed");
        Employee e = *before;
        if (in.role_id) e.role_id = *in.role_id;
        if (in.department_id) e.department_id = *in.department_id;
        if (in.set_manager) e.manager_user_id = in.manager_user_id;
        if (in.position_title) e.position_title = Trim(*in.position_title);
        if (in.phone) e.phone = Trim(*in.phone);
        if (in.set_hired_on) e.hired_on = in.hired_on;
        const bool role_changed = e.role_id != before->role_id;
        const bool dept_changed = e.department_id != before->department_id;
        if (auto err = CheckPlacement(sql, a.workspace_id, e.role_id, e.department_id,
                                      in.set_manager ? e.manager_user_id : std::nullopt, e.user_id)) {
            // A retired role or archived department the person already has is not a reason to refuse other edits.
            bool only_unchanged = true;
            for (const auto& f : err->fields)
                only_unchanged = only_unchanged && ((f.field == "role_id" && !role_changed) ||
                                                    (f.field == "department_id" && !dept_changed));
            if (!only_unchanged) return *err;
        }
        store::UpdateEmployee(sql, e, now);
        if (auto err = CheckNoManagerLoop(sql, a.workspace_id)) return *err;
        events::WriteAudit(sql, a, now, {"employee.update", "employee", id, EmployeeAudit(*before), EmployeeAudit(e)});
        return View(sql, *store::SelectEmployee(sql, a.workspace_id, id));
    });
}

core::Result<DismissOutcome> OrgService::DismissEmployee(const core::Actor& a, core::Id id, const DismissInput& in) {
    if (in.handover != "user" && in.handover != "routing")
        return Validation({{"handover", "not_one_of", "user, routing"}});
    if (in.handover == "user" && !in.to_user_id) return Validation({{"to_user_id", "required", ""}});
    if (in.handover == "routing" && in.to_user_id) return Validation({{"to_user_id", "invalid", ""}});
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<DismissOutcome> {
        if (!CanManage(sql, a)) return Forbidden();
        auto before = store::SelectEmployee(sql, a.workspace_id, id);
        if (!before) return NotFound();
        if (!before->active()) return Conflict("org.employee_dismissed", "id", "dismissed");
        if (in.to_user_id) {
            if (*in.to_user_id == before->user_id)
                return Unprocessable("org.handover_target_invalid", "to_user_id", "same_person");
            auto target = store::SelectEmployeeByUser(sql, a.workspace_id, *in.to_user_id);
            if (!target || !target->active())
                return Unprocessable("org.handover_target_invalid", "to_user_id", "invalid");
        }
        Employee e = *before;
        e.status = "dismissed";
        e.dismissed_at = now;
        store::UpdateEmployee(sql, e, now);
        auto headed = store::ClearHead(sql, a.workspace_id, e.user_id, now);
        // People who named the dismissed person as their manager fall back to the derived manager.
        // (Their explicit link would otherwise point at a disabled account.)
        OrgSnapshot org = store::LoadSnapshot(sql, a.workspace_id);
        for (const auto& [uid, p] : org.people) {
            if (p.manager_user_id == e.user_id) {
                auto sub = store::SelectEmployeeByUser(sql, a.workspace_id, uid);
                Employee s = *sub;
                s.manager_user_id.reset();
                store::UpdateEmployee(sql, s, now);
            }
        }
        const std::string today = TodayIn(sql, a.workspace_id);
        int cancelled = store::CancelOpenAbsences(sql, a.workspace_id, e.user_id, today, now);
        DismissOutcome out;
        out.target = in.handover;
        out.to_user_id = in.to_user_id;
        json::object moved;
        for (HandoverHandler* h : handovers_.handlers()) {
            int n = h->Handover(sql, a.workspace_id, e.user_id, in.to_user_id, a, now);
            out.moved.emplace_back(h->Kind(), n);
            moved[h->Kind()] = n;
        }
        out.handover_id =
            store::InsertHandover(sql, a.workspace_id, e.user_id, in.handover, in.to_user_id, json::serialize(moved),
                                  a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt, now);
        store::SetUserStatus(sql, a.workspace_id, e.user_id, "disabled", now);
        json::array headed_json;
        for (auto d : headed) headed_json.emplace_back(d);
        json::object after = EmployeeAudit(e);
        after["handover"] = json::object{{"id", out.handover_id},
                                         {"target", in.handover},
                                         {"to_user_id", OrNull(in.to_user_id)},
                                         {"moved", moved},
                                         {"departments_without_head", headed_json},
                                         {"absences_cancelled", cancelled}};
        events::WriteAudit(sql, a, now, {"employee.dismiss", "employee", id, EmployeeAudit(*before), after});
        out.employee = View(sql, *store::SelectEmployee(sql, a.workspace_id, id));
        return out;
    });
}

// --- absences -------------------------------------------------------------------------------------------------------

core::Result<Absence> OrgService::CreateAbsence(const core::Actor& a, Absence in) {
    in.workspace_id = a.workspace_id;
    in.note = Trim(in.note);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Absence> {
        const bool self = a.authenticated() && in.user_id == a.user_id;
        if (!self && !CanManage(sql, a)) return Forbidden();
        auto person = store::SelectEmployeeByUser(sql, a.workspace_id, in.user_id);
        if (!person) return Unprocessable({}, "user_id", "invalid");
        if (!person->active()) return Unprocessable("org.person_dismissed", "user_id", "dismissed");
        if (in.substitute_user_id && *in.substitute_user_id != in.user_id) {
            auto sub = store::SelectEmployeeByUser(sql, a.workspace_id, *in.substitute_user_id);
            if (!sub) return Unprocessable({}, "substitute_user_id", "invalid");
            if (!sub->active()) return Unprocessable("org.person_dismissed", "substitute_user_id", "dismissed");
        }
        std::vector<Absence> others;
        if (IsValidDate(in.starts_on) && IsValidDate(in.ends_on)) {
            // Chains may reach beyond the new range only on its own days, so the overlapping rows suffice.
            others = store::ListAbsencesOverlapping(sql, a.workspace_id, in.starts_on, in.ends_on);
        }
        if (auto err = CheckNewAbsence(in, others)) return *err;
        in.id = store::InsertAbsence(sql, in, a.user_id, now);
        in.created_at = now;
        events::WriteAudit(sql, a, now, {"absence.create", "absence", in.id, std::nullopt, AbsenceAudit(in)});
        return *store::SelectAbsence(sql, a.workspace_id, in.id);
    });
}

core::Result<Absence> OrgService::GetAbsence(const core::Actor& a, core::Id id) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    auto ab = db_.Read([&](soci::session& sql) { return store::SelectAbsence(sql, a.workspace_id, id); });
    if (!ab) return NotFound();
    return *ab;
}

core::Result<Absence> OrgService::CancelAbsence(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Absence> {
        auto before = store::SelectAbsence(sql, a.workspace_id, id);
        if (!before) return NotFound();
        const bool self = a.authenticated() && before->user_id == a.user_id;
        if (!self && !CanManage(sql, a)) return Forbidden();
        if (!store::CancelAbsence(sql, a.workspace_id, id, now))
            return Conflict("org.absence_cancelled", "id", "cancelled");
        auto after = *store::SelectAbsence(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now, {"absence.cancel", "absence", id, AbsenceAudit(*before), AbsenceAudit(after)});
        return after;
    });
}

core::Result<AbsencePage> OrgService::ListAbsences(const core::Actor& a, const AbsenceQuery& q) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) {
        store::AbsenceFilter f{q.user_id, q.from, q.to, q.include_cancelled};
        auto rows = store::ListAbsences(sql, a.workspace_id, f, q.before_id.value_or(INT64_MAX), q.limit + 1);
        AbsencePage page;
        if (static_cast<int>(rows.size()) > q.limit) {
            rows.resize(static_cast<std::size_t>(q.limit));
            page.next_before = rows.back().id;
        }
        page.items = std::move(rows);
        return core::Result<AbsencePage>(std::move(page));
    });
}

core::Result<AwayView> OrgService::WhoIsAway(const core::Actor& a, std::optional<std::string> from,
                                             std::optional<std::string> to) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    if (from.has_value() != to.has_value()) return Error{ErrorCode::kBadRequest, {}, {{"to", "required", ""}}, 0};
    if (from && (!IsValidDate(*from) || !IsValidDate(*to) || DaysBetween(*from, *to) < 0 ||
                 DaysBetween(*from, *to) >= kMaxAwayDays))
        return Error{ErrorCode::kBadRequest, {}, {{"from", "invalid", ""}}, 0};
    return db_.Read([&](soci::session& sql) -> core::Result<AwayView> {
        AwayView v;
        if (from) {
            v.from = *from;
            v.to = *to;
        } else {
            const std::string today = TodayIn(sql, a.workspace_id);
            date::sys_days d =
                date::sys_days{date::year_month_day{date::year{std::stoi(today.substr(0, 4))},
                                                    date::month{static_cast<unsigned>(std::stoi(today.substr(5, 2)))},
                                                    date::day{static_cast<unsigned>(std::stoi(today.substr(8, 2)))}}};
            const date::weekday wd{d};
            const auto monday = d - (wd - date::Monday);
            v.from = date::format("%F", monday);
            v.to = date::format("%F", monday + date::days{6});
        }
        for (auto& ab : store::ListAbsencesOverlapping(sql, a.workspace_id, v.from, v.to)) {
            AwayEntry e;
            e.full_name = store::UserFullName(sql, a.workspace_id, ab.user_id).value_or("");
            if (ab.substitute_user_id)
                e.substitute_full_name = store::UserFullName(sql, a.workspace_id, *ab.substitute_user_id);
            e.absence = std::move(ab);
            v.items.push_back(std::move(e));
        }
        return v;
    });
}

std::optional<core::Id> OrgService::EffectiveAssignee(core::Id ws, core::Id user_id, const std::string& day) {
    auto all = db_.Read([&](soci::session& sql) { return store::ListAbsencesOverlapping(sql, ws, day, day); });
    return org::EffectiveAssignee(user_id, day, all);
}

bool OrgService::IsAbsent(core::Id ws, core::Id user_id, const std::string& day) {
    auto all = db_.Read([&](soci::session& sql) { return store::ListAbsencesOverlapping(sql, ws, day, day); });
    return org::IsAbsent(user_id, day, all);
}

}  // namespace otdel::org
