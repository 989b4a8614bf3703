#include "org/employee_store.hpp"

#include <boost/json.hpp>

#include "auth/auth_store.hpp"
#include "db/prepared.hpp"
#include "org/work_calendar.hpp"

namespace otdel::org::store {
namespace json = boost::json;
namespace {

constexpr const char* kSelectTimeZone = "SELECT time_zone FROM workspaces WHERE id = :ws";

constexpr const char* kDeptColumns =
    "SELECT workspace_id, id, parent_id, name, path, division_principle, division, head_user_id, archived_at, "
    "created_at, updated_at FROM departments ";
constexpr const char* kInsertDepartment =
    "INSERT INTO departments (workspace_id, parent_id, name, path, division_principle, division, head_user_id, "
    "created_at, updated_at) VALUES (:ws, :parent, :name, '', :principle, :division, :head, :now, :now2) "
    "RETURNING id";
constexpr const char* kSetDepartmentPath = "UPDATE departments SET path = :path WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUpdateDepartment =
    "UPDATE departments SET parent_id = :parent, name = :name, path = :path, division_principle = :principle, "
    "division = :division, head_user_id = :head, archived_at = :archived, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kRebaseSubtree =
    "UPDATE departments SET path = CAST(:new_path AS TEXT) || SUBSTR(path, :cut), updated_at = :now "
    "WHERE workspace_id = :ws AND path LIKE :prefix";
constexpr const char* kCountActiveMembers =
    "SELECT COUNT(*) FROM employees WHERE workspace_id = :ws AND department_id = :id AND status = 'active'";
constexpr const char* kCountActiveChildren =
    "SELECT COUNT(*) FROM departments WHERE workspace_id = :ws AND parent_id = :id AND archived_at IS NULL";
constexpr const char* kClearHead =
    "UPDATE departments SET head_user_id = NULL, updated_at = :now WHERE workspace_id = :ws AND head_user_id = :uid "
    "RETURNING id";

constexpr const char* kRoleColumns =
    "SELECT r.workspace_id, r.id, r.code, r.level, r.name_ru, r.name_en, r.duties_ru, r.duties_en, r.kpis, "
    "r.permissions, r.scope, r.system, r.retired_at, r.created_at, r.updated_at, "
    "(SELECT COUNT(*) FROM employees e WHERE e.workspace_id = r.workspace_id AND e.role_id = r.id "
    "AND e.status = 'active') FROM roles r ";
constexpr const char* kInsertRole =
    "INSERT INTO roles (workspace_id, code, level, name_ru, name_en, duties_ru, duties_en, kpis, permissions, scope, "
    "system, created_at, updated_at) VALUES (:ws, :code, :level, :name_ru, :name_en, :duties_ru, :duties_en, :kpis, "
    ":perms, :scope, :system, :now, :now2) RETURNING id";
constexpr const char* kUpdateRole =
    "UPDATE roles SET level = :level, name_ru = :name_ru, name_en = :name_en, duties_ru = :duties_ru, "
    "duties_en = :duties_en, kpis = :kpis, permissions = :perms, scope = :scope, retired_at = :retired, "
    "updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kScopeOfUser =
    "SELECT r.scope FROM employees e JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id "
    "WHERE e.workspace_id = :ws AND e.user_id = :uid AND e.status = 'active'";

constexpr const char* kEmployeeColumns =
    "SELECT e.workspace_id, e.id, e.user_id, e.role_id, e.department_id, e.manager_user_id, e.status, "
    "e.position_title, e.phone, e.hired_on, e.dismissed_at, e.created_at, e.updated_at, u.email, u.full_name, "
    "r.code FROM employees e JOIN users u ON u.workspace_id = e.workspace_id AND u.id = e.user_id "
    "JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id ";
constexpr const char* kInsertEmployee =
    "INSERT INTO employees (workspace_id, user_id, role_id, department_id, manager_user_id, status, position_title, "
    "phone, hired_on, created_at, updated_at) VALUES (:ws, :uid, :role, :dept, :mgr, 'active', :pos, :phone, "
    ":hired, :now, :now2) RETURNING id";
constexpr const char* kUpdateEmployee =
    "UPDATE employees SET role_id = :role, department_id = :dept, manager_user_id = :mgr, status = :status, "
    "position_title = :pos, phone = :phone, hired_on = :hired, dismissed_at = :dismissed, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSnapshotDepartments =
    "SELECT id, parent_id, head_user_id FROM departments WHERE workspace_id = :ws";
constexpr const char* kSnapshotPeople =
    "SELECT user_id, department_id, manager_user_id FROM employees WHERE workspace_id = :ws AND status = 'active'";
constexpr const char* kUserStatus = "SELECT status FROM users WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUserIdByEmail = "SELECT id FROM users WHERE workspace_id = :ws AND email = :email";
constexpr const char* kUserName = "SELECT full_name FROM users WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetUserStatus =
    "UPDATE users SET status = :status, updated_at = :now WHERE workspace_id = :ws AND id = :id";

constexpr const char* kAbsenceColumns =
    "SELECT workspace_id, id, user_id, kind, starts_on, ends_on, substitute_user_id, note, cancelled_at, created_at "
    "FROM absences ";
constexpr const char* kInsertAbsence =
    "INSERT INTO absences (workspace_id, user_id, kind, starts_on, ends_on, substitute_user_id, note, "
    "created_by_user_id, created_at, updated_at) VALUES (:ws, :uid, :kind, :starts, :ends, :sub, :note, :by, :now, "
    ":now2) RETURNING id";
constexpr const char* kCancelAbsence =
    "UPDATE absences SET cancelled_at = :now, updated_at = :now2 WHERE workspace_id = :ws AND id = :id "
    "AND cancelled_at IS NULL";
constexpr const char* kCancelOpenAbsences =
    "UPDATE absences SET cancelled_at = :now, updated_at = :now2 WHERE workspace_id = :ws AND user_id = :uid "
    "AND cancelled_at IS NULL AND ends_on >= :today";

constexpr const char* kInsertHandover =
    "INSERT INTO employee_handovers (workspace_id, from_user_id, target, to_user_id, moved, created_by_user_id, "
    "created_at) VALUES (:ws, :from, :target, :to, :moved, :by, :now) RETURNING id";

template <class T>
std::optional<T> Opt(const T& v, soci::indicator ind) {
    if (ind == soci::i_ok) return v;
    return std::nullopt;
}

std::vector<std::string> Strings(const json::value& v) {
    std::vector<std::string> out;
    if (!v.is_array()) return out;
    for (const auto& x : v.as_array())
        if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

json::array Array(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

json::value Parse(const std::string& s) {
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(nullptr) : v;
}

std::string DivisionJson(const Division& d) {
    json::object o{{"regions", Array(d.regions)}, {"lines", Array(d.lines)}};
    o["client_type"] = d.client_type ? json::value(*d.client_type) : json::value(nullptr);
    return json::serialize(o);
}

Division ParseDivision(const std::string& principle, const std::string& text) {
    Division d;
    d.principle = principle;
    json::value v = Parse(text);
    if (!v.is_object()) return d;
    const auto& o = v.as_object();
    if (auto* r = o.if_contains("regions")) d.regions = Strings(*r);
    if (auto* l = o.if_contains("lines")) d.lines = Strings(*l);
    if (auto* c = o.if_contains("client_type"); c && c->is_string()) d.client_type = std::string(c->as_string());
    return d;
}

std::string PermissionsJson(const Permissions& p) {
    json::object o;
    for (const auto& [k, v] : p) o[k] = Array(v);
    return json::serialize(o);
}

Permissions ParsePermissions(const std::string& text) {
    Permissions p;
    json::value v = Parse(text);
    if (!v.is_object()) return p;
    for (const auto& [k, a] : v.as_object()) p[std::string(k)] = Strings(a);
    return p;
}

struct DeptInto {
    long long ws = 0, id = 0, parent = 0, head = 0, archived = 0, created = 0, updated = 0;
    soci::indicator parent_ind = soci::i_null, head_ind = soci::i_null, archived_ind = soci::i_null;
    std::string name, path, principle, division;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(parent, parent_ind));
        st.exchange(soci::into(name));
        st.exchange(soci::into(path));
        st.exchange(soci::into(principle));
        st.exchange(soci::into(division));
        st.exchange(soci::into(head, head_ind));
        st.exchange(soci::into(archived, archived_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Department Row() const {
        Department d;
        d.workspace_id = ws;
        d.id = id;
        d.parent_id = Opt<core::Id>(parent, parent_ind);
        d.name = name;
        d.path = path;
        d.division = ParseDivision(principle, division);
        d.head_user_id = Opt<core::Id>(head, head_ind);
        d.archived_at = Opt<core::Millis>(archived, archived_ind);
        d.created_at = created;
        d.updated_at = updated;
        return d;
    }
};

struct RoleInto {
    long long ws = 0, id = 0, retired = 0, created = 0, updated = 0, holders = 0;
    int system = 0;
    soci::indicator level_ind = soci::i_null, retired_ind = soci::i_null;
    std::string code, level, name_ru, name_en, duties_ru, duties_en, kpis, perms, scope;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(code));
        st.exchange(soci::into(level, level_ind));
        st.exchange(soci::into(name_ru));
        st.exchange(soci::into(name_en));
        st.exchange(soci::into(duties_ru));
        st.exchange(soci::into(duties_en));
        st.exchange(soci::into(kpis));
        st.exchange(soci::into(perms));
        st.exchange(soci::into(scope));
        st.exchange(soci::into(system));
        st.exchange(soci::into(retired, retired_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(holders));
    }
    Role Row() const {
        Role r;
        r.workspace_id = ws;
        r.id = id;
        r.code = code;
        r.level = Opt(level, level_ind);
        r.name_ru = name_ru;
        r.name_en = name_en;
        r.duties_ru = duties_ru;
        r.duties_en = duties_en;
        r.kpis = Strings(Parse(kpis));
        r.permissions = ParsePermissions(perms);
        r.scope = scope;
        r.system = system != 0;
        r.retired_at = Opt<core::Millis>(retired, retired_ind);
        r.created_at = created;
        r.updated_at = updated;
        r.active_employees = static_cast<int>(holders);
        return r;
    }
};

struct EmployeeInto {
    long long ws = 0, id = 0, uid = 0, role = 0, dept = 0, mgr = 0, dismissed = 0, created = 0, updated = 0;
    soci::indicator mgr_ind = soci::i_null, hired_ind = soci::i_null, dismissed_ind = soci::i_null;
    std::string status, pos, phone, hired, email, name, role_code;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(uid));
        st.exchange(soci::into(role));
        st.exchange(soci::into(dept));
        st.exchange(soci::into(mgr, mgr_ind));
        st.exchange(soci::into(status));
        st.exchange(soci::into(pos));
        st.exchange(soci::into(phone));
        st.exchange(soci::into(hired, hired_ind));
        st.exchange(soci::into(dismissed, dismissed_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(email));
        st.exchange(soci::into(name));
        st.exchange(soci::into(role_code));
    }
    Employee Row() const {
        Employee e;
        e.workspace_id = ws;
        e.id = id;
        e.user_id = uid;
        e.role_id = role;
        e.department_id = dept;
        e.manager_user_id = Opt<core::Id>(mgr, mgr_ind);
        e.status = status;
        e.position_title = pos;
        e.phone = phone;
        e.hired_on = Opt(hired, hired_ind);
        e.dismissed_at = Opt<core::Millis>(dismissed, dismissed_ind);
        e.created_at = created;
        e.updated_at = updated;
        e.email = email;
        e.full_name = name;
        e.role_code = role_code;
        return e;
    }
};

struct AbsenceInto {
    long long ws = 0, id = 0, uid = 0, sub = 0, cancelled = 0, created = 0;
    soci::indicator sub_ind = soci::i_null, cancelled_ind = soci::i_null;
    std::string kind, starts, ends, note;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(uid));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(starts));
        st.exchange(soci::into(ends));
        st.exchange(soci::into(sub, sub_ind));
        st.exchange(soci::into(note));
        st.exchange(soci::into(cancelled, cancelled_ind));
        st.exchange(soci::into(created));
    }
    Absence Row() const {
        Absence a;
        a.workspace_id = ws;
        a.id = id;
        a.user_id = uid;
        a.kind = kind;
        a.starts_on = starts;
        a.ends_on = ends;
        a.substitute_user_id = Opt<core::Id>(sub, sub_ind);
        a.note = note;
        a.cancelled_at = Opt<core::Millis>(cancelled, cancelled_ind);
        a.created_at = created;
        return a;
    }
};

// Runs a prepared SELECT whose columns `Into` binds; `bind_params` adds the parameters.
template <class Into, class Row, class BindParams>
std::vector<Row> Fetch(soci::session& sql, const std::string& text, BindParams bind_params) {
    Into into;
    soci::statement st(sql);
    into.Bind(st);
    bind_params(st);
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    std::vector<Row> out;
    while (st.fetch()) out.push_back(into.Row());
    return out;
}

long long CountOf(soci::session& sql, const char* text, core::Id ws, core::Id id) {
    long long n = 0, w = ws, k = id;
    sql << text, soci::use(w, "ws"), soci::use(k, "id"), soci::into(n);
    return n;
}

long long Affected(soci::statement& st) {
    return st.get_affected_rows();
}

}  // namespace

namespace {
// Read by nearly every request (visibility needs "today"): prepared once per pooled connection.
struct TimeZoneSet {
    long long ws = 0;
    std::string tz;
    soci::statement st;
    explicit TimeZoneSet(soci::session& sql)
        : st((sql.prepare << kSelectTimeZone, soci::use(ws, "ws"), soci::into(tz))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};
}  // namespace

std::string WorkspaceTimeZone(soci::session& sql, core::Id ws) {
    return db::WithPrepared<TimeZoneSet>(sql, [&](TimeZoneSet& q) -> std::string {
        q.ws = ws;
        q.tz.clear();
        const bool got = q.st.execute(true);
        return got && !q.tz.empty() ? q.tz : "Europe/Moscow";
    });
}

std::string WorkspaceToday(soci::session& sql, core::Id ws, core::Millis now) {
    return LocalDateText(WorkspaceTimeZone(sql, ws), now);
}

core::Id InsertDepartment(soci::session& sql, const Department& d, core::Millis now) {
    long long ws = d.workspace_id, parent = d.parent_id.value_or(0), head = d.head_user_id.value_or(0), at = now,
              id = 0;
    soci::indicator parent_ind = d.parent_id ? soci::i_ok : soci::i_null;
    soci::indicator head_ind = d.head_user_id ? soci::i_ok : soci::i_null;
    const std::string division = DivisionJson(d.division);
    sql << kInsertDepartment, soci::use(ws, "ws"), soci::use(parent, parent_ind, "parent"), soci::use(d.name, "name"),
        soci::use(d.division.principle, "principle"), soci::use(division, "division"),
        soci::use(head, head_ind, "head"), soci::use(at, "now"), soci::use(at, "now2"), soci::into(id);
    return id;
}

void SetDepartmentPath(soci::session& sql, core::Id ws, core::Id id, const std::string& path) {
    long long w = ws, k = id;
    sql << kSetDepartmentPath, soci::use(path, "path"), soci::use(w, "ws"), soci::use(k, "id");
}

std::optional<Department> SelectDepartment(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<DeptInto, Department>(sql, std::string(kDeptColumns) + "WHERE workspace_id = :ws AND id = :id",
                                            [&](soci::statement& st) {
                                                st.exchange(soci::use(w, "ws"));
                                                st.exchange(soci::use(k, "id"));
                                            });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Department> ListDepartments(soci::session& sql, core::Id ws, bool include_archived) {
    long long w = ws;
    int inc = include_archived ? 1 : 0;
    return Fetch<DeptInto, Department>(
        sql, std::string(kDeptColumns) + "WHERE workspace_id = :ws AND (:inc = 1 OR archived_at IS NULL) ORDER BY path",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(inc, "inc"));
        });
}

void UpdateDepartment(soci::session& sql, const Department& d, core::Millis now) {
    long long ws = d.workspace_id, id = d.id, parent = d.parent_id.value_or(0), head = d.head_user_id.value_or(0),
              archived = d.archived_at.value_or(0), at = now;
    soci::indicator parent_ind = d.parent_id ? soci::i_ok : soci::i_null;
    soci::indicator head_ind = d.head_user_id ? soci::i_ok : soci::i_null;
    soci::indicator archived_ind = d.archived_at ? soci::i_ok : soci::i_null;
    const std::string division = DivisionJson(d.division);
    sql << kUpdateDepartment, soci::use(parent, parent_ind, "parent"), soci::use(d.name, "name"),
        soci::use(d.path, "path"), soci::use(d.division.principle, "principle"), soci::use(division, "division"),
        soci::use(head, head_ind, "head"), soci::use(archived, archived_ind, "archived"), soci::use(at, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

void RebaseSubtree(soci::session& sql, core::Id ws, const std::string& old_path, const std::string& new_path,
                   core::Millis now) {
    long long w = ws, at = now;
    int cut = static_cast<int>(old_path.size()) + 1;
    const std::string prefix = old_path + "%";  // paths hold only digits and '/', never LIKE wildcards
    sql << kRebaseSubtree, soci::use(new_path, "new_path"), soci::use(cut, "cut"), soci::use(at, "now"),
        soci::use(w, "ws"), soci::use(prefix, "prefix");
}

int CountActiveMembers(soci::session& sql, core::Id ws, core::Id department_id) {
    return static_cast<int>(CountOf(sql, kCountActiveMembers, ws, department_id));
}

int CountActiveChildren(soci::session& sql, core::Id ws, core::Id department_id) {
    return static_cast<int>(CountOf(sql, kCountActiveChildren, ws, department_id));
}

std::vector<core::Id> ClearHead(soci::session& sql, core::Id ws, core::Id user_id, core::Millis now) {
    long long w = ws, uid = user_id, at = now, id = 0;
    soci::statement st =
        (sql.prepare << kClearHead, soci::use(at, "now"), soci::use(w, "ws"), soci::use(uid, "uid"), soci::into(id));
    st.execute();
    std::vector<core::Id> out;
    while (st.fetch()) out.push_back(id);
    return out;
}

core::Id InsertRole(soci::session& sql, core::Id ws, const Role& r, core::Millis now) {
    long long w = ws, at = now, id = 0;
    std::string level = r.level.value_or("");
    soci::indicator level_ind = r.level ? soci::i_ok : soci::i_null;
    const std::string kpis = json::serialize(Array(r.kpis)), perms = PermissionsJson(r.permissions);
    int system = r.system ? 1 : 0;
    sql << kInsertRole, soci::use(w, "ws"), soci::use(r.code, "code"), soci::use(level, level_ind, "level"),
        soci::use(r.name_ru, "name_ru"), soci::use(r.name_en, "name_en"), soci::use(r.duties_ru, "duties_ru"),
        soci::use(r.duties_en, "duties_en"), soci::use(kpis, "kpis"), soci::use(perms, "perms"),
        soci::use(r.scope, "scope"), soci::use(system, "system"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::into(id);
    return id;
}

std::optional<Role> SelectRole(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<RoleInto, Role>(sql, std::string(kRoleColumns) + "WHERE r.workspace_id = :ws AND r.id = :id",
                                      [&](soci::statement& st) {
                                          st.exchange(soci::use(w, "ws"));
                                          st.exchange(soci::use(k, "id"));
                                      });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Role> ListRoles(soci::session& sql, core::Id ws, bool include_retired) {
    long long w = ws;
    int inc = include_retired ? 1 : 0;
    return Fetch<RoleInto, Role>(sql,
                                 std::string(kRoleColumns) +
                                     "WHERE r.workspace_id = :ws AND (:inc = 1 OR r.retired_at IS NULL) "
                                     "ORDER BY CASE WHEN r.level IS NULL THEN 'L9' ELSE r.level END, r.code",
                                 [&](soci::statement& st) {
                                     st.exchange(soci::use(w, "ws"));
                                     st.exchange(soci::use(inc, "inc"));
                                 });
}

void UpdateRole(soci::session& sql, const Role& r, core::Millis now) {
    long long w = r.workspace_id, id = r.id, at = now, retired = r.retired_at.value_or(0);
    std::string level = r.level.value_or("");
    soci::indicator level_ind = r.level ? soci::i_ok : soci::i_null;
    soci::indicator retired_ind = r.retired_at ? soci::i_ok : soci::i_null;
    const std::string kpis = json::serialize(Array(r.kpis)), perms = PermissionsJson(r.permissions);
    sql << kUpdateRole, soci::use(level, level_ind, "level"), soci::use(r.name_ru, "name_ru"),
        soci::use(r.name_en, "name_en"), soci::use(r.duties_ru, "duties_ru"), soci::use(r.duties_en, "duties_en"),
        soci::use(kpis, "kpis"), soci::use(perms, "perms"), soci::use(r.scope, "scope"),
        soci::use(retired, retired_ind, "retired"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(id, "id");
}

std::optional<std::string> ScopeOfUser(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, uid = user_id;
    std::string scope;
    sql << kScopeOfUser, soci::use(w, "ws"), soci::use(uid, "uid"), soci::into(scope);
    if (!sql.got_data()) return std::nullopt;
    return scope;
}

core::Id InsertEmployee(soci::session& sql, const Employee& e, core::Millis now) {
    long long ws = e.workspace_id, uid = e.user_id, role = e.role_id, dept = e.department_id,
              mgr = e.manager_user_id.value_or(0), at = now, id = 0;
    soci::indicator mgr_ind = e.manager_user_id ? soci::i_ok : soci::i_null;
    std::string hired = e.hired_on.value_or("");
    soci::indicator hired_ind = e.hired_on ? soci::i_ok : soci::i_null;
    sql << kInsertEmployee, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(role, "role"),
        soci::use(dept, "dept"), soci::use(mgr, mgr_ind, "mgr"), soci::use(e.position_title, "pos"),
        soci::use(e.phone, "phone"), soci::use(hired, hired_ind, "hired"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::into(id);
    return id;
}

std::optional<Employee> SelectEmployee(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<EmployeeInto, Employee>(
        sql, std::string(kEmployeeColumns) + "WHERE e.workspace_id = :ws AND e.id = :id", [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(k, "id"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<Employee> SelectEmployeeByUser(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, k = user_id;
    auto rows = Fetch<EmployeeInto, Employee>(
        sql, std::string(kEmployeeColumns) + "WHERE e.workspace_id = :ws AND e.user_id = :uid",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(k, "uid"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Employee> ListEmployees(soci::session& sql, core::Id ws, const EmployeeFilter& f, core::Id after_id,
                                    int limit, const auth::Predicate& visible) {
    long long w = ws, dept = f.department_id.value_or(0), uid = f.user_id.value_or(0), after = after_id;
    std::string status = f.status.value_or("");
    int lim = limit;
    return Fetch<EmployeeInto, Employee>(
        sql,
        visible.Expand(std::string(kEmployeeColumns) +
                       "WHERE {visible} AND e.workspace_id = :ws AND e.id > :after AND (:dept = 0 OR e.department_id = "
                       ":dept2) AND (:uid = 0 OR e.user_id = :uid2) AND (:status = '' OR e.status = :status2) "
                       "ORDER BY e.id LIMIT :lim"),
        [&](soci::statement& st) {
            visible.BindTo(st);
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(after, "after"));
            st.exchange(soci::use(dept, "dept"));
            st.exchange(soci::use(dept, "dept2"));
            st.exchange(soci::use(uid, "uid"));
            st.exchange(soci::use(uid, "uid2"));
            st.exchange(soci::use(status, "status"));
            st.exchange(soci::use(status, "status2"));
            st.exchange(soci::use(lim, "lim"));
        });
}

void UpdateEmployee(soci::session& sql, const Employee& e, core::Millis now) {
    long long ws = e.workspace_id, id = e.id, role = e.role_id, dept = e.department_id,
              mgr = e.manager_user_id.value_or(0), dismissed = e.dismissed_at.value_or(0), at = now;
    soci::indicator mgr_ind = e.manager_user_id ? soci::i_ok : soci::i_null;
    soci::indicator dismissed_ind = e.dismissed_at ? soci::i_ok : soci::i_null;
    std::string hired = e.hired_on.value_or("");
    soci::indicator hired_ind = e.hired_on ? soci::i_ok : soci::i_null;
    sql << kUpdateEmployee, soci::use(role, "role"), soci::use(dept, "dept"), soci::use(mgr, mgr_ind, "mgr"),
        soci::use(e.status, "status"), soci::use(e.position_title, "pos"), soci::use(e.phone, "phone"),
        soci::use(hired, hired_ind, "hired"), soci::use(dismissed, dismissed_ind, "dismissed"), soci::use(at, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

OrgSnapshot LoadSnapshot(soci::session& sql, core::Id ws) {
    OrgSnapshot org;
    long long w = ws;
    {
        long long id = 0, parent = 0, head = 0;
        soci::indicator parent_ind = soci::i_null, head_ind = soci::i_null;
        soci::statement st = (sql.prepare << kSnapshotDepartments, soci::use(w, "ws"), soci::into(id),
                              soci::into(parent, parent_ind), soci::into(head, head_ind));
        st.execute();
        while (st.fetch()) org.departments[id] = {Opt<core::Id>(parent, parent_ind), Opt<core::Id>(head, head_ind)};
    }
    {
        long long uid = 0, dept = 0, mgr = 0;
        soci::indicator mgr_ind = soci::i_null;
        soci::statement st = (sql.prepare << kSnapshotPeople, soci::use(w, "ws"), soci::into(uid), soci::into(dept),
                              soci::into(mgr, mgr_ind));
        st.execute();
        while (st.fetch()) org.people[uid] = {dept, Opt<core::Id>(mgr, mgr_ind)};
    }
    return org;
}

bool UserActive(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, id = user_id;
    std::string status;
    sql << kUserStatus, soci::use(w, "ws"), soci::use(id, "id"), soci::into(status);
    return sql.got_data() && status == "active";
}

void SetUserStatus(soci::session& sql, core::Id ws, core::Id user_id, const std::string& status, core::Millis now) {
    long long w = ws, id = user_id, at = now;
    sql << kSetUserStatus, soci::use(status, "status"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(id, "id");
    auth::store::RevokeUserSessions(sql, ws, user_id, now);
}

std::optional<core::Id> UserIdByEmail(soci::session& sql, core::Id ws, const std::string& email) {
    long long w = ws, id = 0;
    sql << kUserIdByEmail, soci::use(w, "ws"), soci::use(email, "email"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

std::optional<std::string> UserFullName(soci::session& sql, core::Id ws, core::Id user_id) {
    long long w = ws, id = user_id;
    std::string name;
    sql << kUserName, soci::use(w, "ws"), soci::use(id, "id"), soci::into(name);
    if (!sql.got_data()) return std::nullopt;
    return name;
}

core::Id InsertAbsence(soci::session& sql, const Absence& a, core::Id created_by, core::Millis now) {
    long long ws = a.workspace_id, uid = a.user_id, sub = a.substitute_user_id.value_or(0), by = created_by, at = now,
              id = 0;
    soci::indicator sub_ind = a.substitute_user_id ? soci::i_ok : soci::i_null;
    soci::indicator by_ind = created_by ? soci::i_ok : soci::i_null;
    sql << kInsertAbsence, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(a.kind, "kind"),
        soci::use(a.starts_on, "starts"), soci::use(a.ends_on, "ends"), soci::use(sub, sub_ind, "sub"),
        soci::use(a.note, "note"), soci::use(by, by_ind, "by"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::into(id);
    return id;
}

std::optional<Absence> SelectAbsence(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<AbsenceInto, Absence>(sql, std::string(kAbsenceColumns) + "WHERE workspace_id = :ws AND id = :id",
                                            [&](soci::statement& st) {
                                                st.exchange(soci::use(w, "ws"));
                                                st.exchange(soci::use(k, "id"));
                                            });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Absence> ListAbsencesOverlapping(soci::session& sql, core::Id ws, const std::string& from,
                                             const std::string& to) {
    long long w = ws;
    return Fetch<AbsenceInto, Absence>(sql,
                                       std::string(kAbsenceColumns) +
                                           "WHERE workspace_id = :ws AND cancelled_at IS NULL AND ends_on >= :from "
                                           "AND starts_on <= :to ORDER BY starts_on, id",
                                       [&](soci::statement& st) {
                                           st.exchange(soci::use(w, "ws"));
                                           st.exchange(soci::use(from, "from"));
                                           st.exchange(soci::use(to, "to"));
                                       });
}

std::vector<Absence> ListAbsences(soci::session& sql, core::Id ws, const AbsenceFilter& f, core::Id before_id,
                                  int limit) {
    long long w = ws, uid = f.user_id.value_or(0), before = before_id;
    std::string from = f.from.value_or(""), to = f.to.value_or("");
    int inc = f.include_cancelled ? 1 : 0, lim = limit;
    return Fetch<AbsenceInto, Absence>(
        sql,
        std::string(kAbsenceColumns) +
            "WHERE workspace_id = :ws AND id < :before AND (:uid = 0 OR user_id = :uid2) "
            "AND (:from = '' OR ends_on >= :from2) AND (:to = '' OR starts_on <= :to2) "
            "AND (:inc = 1 OR cancelled_at IS NULL) ORDER BY id DESC LIMIT :lim",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(before, "before"));
            st.exchange(soci::use(uid, "uid"));
            st.exchange(soci::use(uid, "uid2"));
            st.exchange(soci::use(from, "from"));
            st.exchange(soci::use(from, "from2"));
            st.exchange(soci::use(to, "to"));
            st.exchange(soci::use(to, "to2"));
            st.exchange(soci::use(inc, "inc"));
            st.exchange(soci::use(lim, "lim"));
        });
}

bool CancelAbsence(soci::session& sql, core::Id ws, core::Id id, core::Millis now) {
    long long w = ws, k = id, at = now;
    soci::statement st = (sql.prepare << kCancelAbsence, soci::use(at, "now"), soci::use(at, "now2"),
                          soci::use(w, "ws"), soci::use(k, "id"));
    st.execute(true);
    return Affected(st) > 0;
}

int CancelOpenAbsences(soci::session& sql, core::Id ws, core::Id user_id, const std::string& today, core::Millis now) {
    long long w = ws, uid = user_id, at = now;
    soci::statement st = (sql.prepare << kCancelOpenAbsences, soci::use(at, "now"), soci::use(at, "now2"),
                          soci::use(w, "ws"), soci::use(uid, "uid"), soci::use(today, "today"));
    st.execute(true);
    return static_cast<int>(Affected(st));
}

core::Id InsertHandover(soci::session& sql, core::Id ws, core::Id from_user, const std::string& target,
                        std::optional<core::Id> to_user, const std::string& moved_json, std::optional<core::Id> by_user,
                        core::Millis now) {
    long long w = ws, from = from_user, to = to_user.value_or(0), by = by_user.value_or(0), at = now, id = 0;
    soci::indicator to_ind = to_user ? soci::i_ok : soci::i_null;
    soci::indicator by_ind = by_user ? soci::i_ok : soci::i_null;
    sql << kInsertHandover, soci::use(w, "ws"), soci::use(from, "from"), soci::use(target, "target"),
        soci::use(to, to_ind, "to"), soci::use(moved_json, "moved"), soci::use(by, by_ind, "by"), soci::use(at, "now"),
        soci::into(id);
    return id;
}

}  // namespace otdel::org::store
