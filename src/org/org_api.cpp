// HTTP handlers of the organisation room: parse with FieldReader, call OrgService, answer JSON.
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "auth/account.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"
#include "org/org_service.hpp"

namespace otdel::org {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::object DepartmentJson(const Department& d) {
    json::object div{{"principle", d.division.principle},
                     {"regions", http::StringArray(d.division.regions)},
                     {"lines", http::StringArray(d.division.lines)},
                     {"client_type", OrNull(d.division.client_type)}};
    return json::object{{"id", d.id},
                        {"name", d.name},
                        {"parent_id", OrNull(d.parent_id)},
                        {"path", d.path},
                        {"division", div},
                        {"head_user_id", OrNull(d.head_user_id)},
                        {"archived_at", OrNull(d.archived_at)},
                        {"created_at", d.created_at},
                        {"updated_at", d.updated_at}};
}

json::object RoleJson(const Role& r) {
    json::object perms;
    for (const auto& [k, v] : r.permissions) perms[k] = http::StringArray(v);
    return json::object{{"id", r.id},
                        {"code", r.code},
                        {"level", OrNull(r.level)},
                        {"name_ru", r.name_ru},
                        {"name_en", r.name_en},
                        {"duties_ru", r.duties_ru},
                        {"duties_en", r.duties_en},
                        {"kpis", http::StringArray(r.kpis)},
                        {"permissions", perms},
                        {"scope", r.scope},
                        {"system", r.system},
                        {"retired_at", OrNull(r.retired_at)},
                        {"active_employees", r.active_employees}};
}

json::object EmployeeJson(const EmployeeView& v) {
    const Employee& e = v.employee;
    return json::object{{"id", e.id},
                        {"user_id", e.user_id},
                        {"email", e.email},
                        {"full_name", e.full_name},
                        {"role_id", e.role_id},
                        {"role_code", e.role_code},
                        {"department_id", e.department_id},
                        {"manager_user_id", OrNull(e.manager_user_id)},
                        {"effective_manager_user_id", OrNull(v.effective_manager_user_id)},
                        {"status", e.status},
                        {"position_title", e.position_title},
                        {"phone", e.phone},
                        {"hired_on", OrNull(e.hired_on)},
                        {"dismissed_at", OrNull(e.dismissed_at)},
                        {"created_at", e.created_at},
                        {"updated_at", e.updated_at}};
}

json::object AbsenceJson(const Absence& a) {
    return json::object{{"id", a.id},
                        {"user_id", a.user_id},
                        {"kind", a.kind},
                        {"starts_on", a.starts_on},
                        {"ends_on", a.ends_on},
                        {"substitute_user_id", OrNull(a.substitute_user_id)},
                        {"note", a.note},
                        {"cancelled_at", OrNull(a.cancelled_at)},
                        {"created_at", a.created_at}};
}

// The body without the named fields: arrays are read by hand, the rest by FieldReader (which rejects unknowns).
json::object Without(const json::object& o, std::initializer_list<std::string_view> names) {
    json::object out = o;
    for (auto n : names) out.erase(n);
    return out;
}

std::optional<std::vector<std::string>> StringArray(const json::object& o, std::string_view name, http::FieldReader& f,
                                                    std::size_t max_items, std::size_t max_len) {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_array()) {
        f.AddError(std::string(name), "wrong_type", "array");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& v : it->value().as_array()) {
        if (!v.is_string()) {
            f.AddError(std::string(name), "wrong_type", "array of strings");
            return std::nullopt;
        }
        std::string s(v.as_string());
        if (s.empty() || auth::CharLength(s) > max_len) {
            f.AddError(std::string(name), "invalid");
            return std::nullopt;
        }
        out.push_back(std::move(s));
    }
    if (out.size() > max_items) f.AddError(std::string(name), "too_long", std::to_string(max_items));
    return out;
}

std::optional<Division> ReadDivision(const json::object& body, http::FieldReader& outer) {
    const json::object* d = outer.Object("division", false);
    if (!d) return std::nullopt;
    json::object rest = Without(*d, {"regions", "lines"});
    http::FieldReader f(rest);
    Division div;
    auto principle = f.Enum("principle", true, {"none", "territory", "product", "client_type"});
    div.principle = principle.value_or("none");
    div.client_type = f.Enum("client_type", false, {"corporate", "private"});
    div.regions =
        StringArray(*d, "regions", f, kMaxDivisionItems, kMaxDivisionItemLength).value_or(std::vector<std::string>{});
    div.lines =
        StringArray(*d, "lines", f, kMaxDivisionItems, kMaxDivisionItemLength).value_or(std::vector<std::string>{});
    if (auto done = f.Finish(); !done) {
        for (const auto& e : done.error().fields) outer.AddError("division/" + e.field, e.code, e.param);
        return std::nullopt;
    }
    (void)body;
    return div;
}

std::optional<Permissions> ReadPermissions(const json::object& body, http::FieldReader& f) {
    auto it = body.find("permissions");
    if (it == body.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_object()) {
        f.AddError("permissions", "wrong_type", "object");
        return std::nullopt;
    }
    Permissions p;
    for (const auto& [k, v] : it->value().as_object()) {
        json::object one{{"a", v}};
        auto actions = StringArray(one, "a", f, 6, 20);
        if (!actions) {
            f.AddError("permissions/" + std::string(k), "invalid");
            return std::nullopt;
        }
        p[std::string(k)] = *actions;
    }
    return p;
}

core::Result<bool> QueryBool(const Request& req, const std::string& name) {
    auto v = req.Query(name);
    if (!v) return false;
    if (*v == "true") return true;
    if (*v == "false") return false;
    return core::Error{core::ErrorCode::kBadRequest, {}, {{name, "not_one_of", "true, false"}}, 0};
}

using http::QueryId;

std::optional<std::string> QueryDate(const Request& req, const std::string& name, std::optional<core::Error>& err) {
    auto v = req.Query(name);
    if (v && !IsValidDate(*v)) err = core::Error{core::ErrorCode::kBadRequest, {}, {{name, "invalid_date", ""}}, 0};
    return v;
}

json::object NodeJson(const Department& d, const std::map<core::Id, std::vector<const Department*>>& children,
                      const std::map<core::Id, std::vector<const OrgMember*>>& members) {
    json::object o = DepartmentJson(d);
    json::array ms;
    if (auto it = members.find(d.id); it != members.end()) {
        for (const OrgMember* m : it->second)
            ms.push_back(json::object{{"employee_id", m->employee_id},
                                      {"user_id", m->user_id},
                                      {"full_name", m->full_name},
                                      {"role_id", m->role_id},
                                      {"role_code", m->role_code},
                                      {"position_title", m->position_title},
                                      {"is_head", m->is_head},
                                      {"absent_today", m->absent_today}});
    }
    json::array cs;
    if (auto it = children.find(d.id); it != children.end())
        for (const Department* c : it->second) cs.push_back(NodeJson(*c, children, members));
    o["members"] = std::move(ms);
    o["children"] = std::move(cs);
    return o;
}

DepartmentInput ReadDepartment(const json::object& body, http::FieldReader& f, bool create) {
    DepartmentInput in;
    in.name = f.String("name", {.required = create, .min_len = 1, .max_len = kMaxDepartmentNameLength});
    if (create) {
        in.set_parent = true;
        auto p = f.Int("parent_id", false, 1, INT64_MAX);
        if (p) in.parent_id = *p;
    }
    in.division = ReadDivision(body, f);
    in.set_head = f.Has("head_user_id");
    if (auto h = f.Int("head_user_id", false, 1, INT64_MAX)) in.head_user_id = *h;
    return in;
}

RoleInput ReadRole(const json::object& body, http::FieldReader& f, bool create) {
    RoleInput in;
    if (create) in.code = f.String("code", {.required = true, .min_len = 2, .max_len = 50});
    in.set_level = f.Has("level");
    in.level = f.Enum("level", false, {"L1", "L2", "L3", "L4"});
    in.name_ru = f.String("name_ru", {.required = create, .min_len = 1, .max_len = 200});
    in.name_en = f.String("name_en", {.required = create, .min_len = 1, .max_len = 200});
    in.duties_ru = f.String("duties_ru", {.max_len = 4000});
    in.duties_en = f.String("duties_en", {.max_len = 4000});
    in.scope = f.Enum("scope", create, {"own", "team", "all", "read_all"});
    in.kpis = StringArray(body, "kpis", f, 50, 50);
    in.permissions = ReadPermissions(body, f);
    return in;
}

EmployeeInput ReadEmployee(const json::object& body, http::FieldReader& f, bool create) {
    EmployeeInput in;
    if (create) {
        if (auto u = f.Int("user_id", false, 1, INT64_MAX)) in.user_id = *u;
        if (const json::object* nu = f.Object("user", false)) {
            http::FieldReader uf(*nu);
            auth::NewUser u;
            auto email = uf.String("email", {.required = true, .max_len = auth::kMaxEmailLength});
            auto name = uf.String("full_name", {.required = true, .min_len = 1, .max_len = auth::kMaxFullNameLength});
            auto password = uf.String("password", {.required = true, .max_len = 1024, .trim = false});
            auto locale = uf.Enum("locale", false, {"ru", "en"});
            if (auto done = uf.Finish(); !done) {
                for (const auto& e : done.error().fields) f.AddError("user/" + e.field, e.code, e.param);
            } else {
                u.email = *email;
                u.full_name = *name;
                u.password = *password;
                u.locale = locale.value_or("ru");
                in.new_user = u;
            }
        }
    }
    if (auto r = f.Int("role_id", create, 1, INT64_MAX)) in.role_id = *r;
    if (auto d = f.Int("department_id", create, 1, INT64_MAX)) in.department_id = *d;
    in.set_manager = f.Has("manager_user_id");
    if (auto m = f.Int("manager_user_id", false, 1, INT64_MAX)) in.manager_user_id = *m;
    in.position_title = f.String("position_title", {.max_len = kMaxPositionLength});
    in.phone = f.String("phone", {.max_len = kMaxPhoneLength});
    in.set_hired_on = f.Has("hired_on");
    in.hired_on = f.String("hired_on", {.max_len = 10});
    (void)body;
    return in;
}

}  // namespace

void OrgService::Register(http::Router& router) {
    router.Get("/api/v1/org/tree", Access::kUser, [this](Request& req) {
        auto inc = QueryBool(req, "include_archived");
        if (!inc) return http::Problem(req, inc.error());
        auto tree = Tree(req.actor, *inc);
        if (!tree) return http::Problem(req, tree.error());
        std::map<core::Id, std::vector<const Department*>> children;
        std::map<core::Id, std::vector<const OrgMember*>> members;
        std::vector<const Department*> roots;
        std::set<core::Id> present;
        for (const auto& d : tree->departments) present.insert(d.id);
        auto by_name = [](const Department* a, const Department* b) { return a->name < b->name; };
        for (const auto& d : tree->departments) {
            if (d.parent_id && present.count(*d.parent_id)) {
                children[*d.parent_id].push_back(&d);
            } else {
                roots.push_back(&d);
            }
        }
        for (auto& [_, v] : children) std::sort(v.begin(), v.end(), by_name);
        std::sort(roots.begin(), roots.end(), by_name);
        for (const auto& m : tree->members) members[m.department_id].push_back(&m);
        json::array out;
        for (const Department* r : roots) out.push_back(NodeJson(*r, children, members));
        return http::Json(json::object{{"roots", std::move(out)}});
    });

    router.Get("/api/v1/org/away", Access::kUser, [this](Request& req) {
        std::optional<core::Error> err;
        auto from = QueryDate(req, "from", err);
        auto to = QueryDate(req, "to", err);
        if (err) return http::Problem(req, *err);
        auto v = WhoIsAway(req.actor, from, to);
        if (!v) return http::Problem(req, v.error());
        json::array items;
        for (const auto& e : v->items) {
            json::object o = AbsenceJson(e.absence);
            o["full_name"] = e.full_name;
            o["substitute_full_name"] = OrNull(e.substitute_full_name);
            items.push_back(std::move(o));
        }
        return http::Json(json::object{{"from", v->from}, {"to", v->to}, {"items", std::move(items)}});
    });

    // --- departments
    router.Get("/api/v1/departments", Access::kUser, [this](Request& req) {
        auto inc = QueryBool(req, "include_archived");
        if (!inc) return http::Problem(req, inc.error());
        auto list = ListDepartments(req.actor, *inc);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& d : *list) items.push_back(DepartmentJson(d));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/departments", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        DepartmentInput in = ReadDepartment(*body, f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto d = CreateDepartment(req.actor, in);
        if (!d) return http::Problem(req, d.error());
        return http::Json(201, DepartmentJson(*d));
    });
    router.Get("/api/v1/departments/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto d = GetDepartment(req.actor, *id);
        if (!d) return http::Problem(req, d.error());
        return http::Json(DepartmentJson(*d));
    });
    router.Patch("/api/v1/departments/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        DepartmentInput in = ReadDepartment(*body, f, false);
        if (body->empty()) f.AddError("name", "required");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto d = UpdateDepartment(req.actor, *id, in);
        if (!d) return http::Problem(req, d.error());
        return http::Json(DepartmentJson(*d));
    });
    router.Post("/api/v1/departments/{id}/move", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto parent = f.Int("parent_id", false, 1, INT64_MAX);
        if (!f.Has("parent_id")) f.AddError("parent_id", "required");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto d = MoveDepartment(req.actor, *id, parent ? std::optional<core::Id>(*parent) : std::nullopt);
        if (!d) return http::Problem(req, d.error());
        return http::Json(DepartmentJson(*d));
    });
    router.Post("/api/v1/departments/{id}/archive", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto d = ArchiveDepartment(req.actor, *id);
        if (!d) return http::Problem(req, d.error());
        return http::Json(DepartmentJson(*d));
    });
    router.Post("/api/v1/departments/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto d = RestoreDepartment(req.actor, *id);
        if (!d) return http::Problem(req, d.error());
        return http::Json(DepartmentJson(*d));
    });

    // --- roles
    router.Get("/api/v1/roles", Access::kUser, [this](Request& req) {
        auto inc = QueryBool(req, "include_retired");
        if (!inc) return http::Problem(req, inc.error());
        auto list = ListRoles(req.actor, *inc);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& r : *list) items.push_back(RoleJson(r));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/roles", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        json::object rest = Without(*body, {"kpis", "permissions"});
        http::FieldReader f(rest);
        RoleInput in = ReadRole(*body, f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = CreateRole(req.actor, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, RoleJson(*r));
    });
    router.Get("/api/v1/roles/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetRole(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RoleJson(*r));
    });
    router.Patch("/api/v1/roles/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        json::object rest = Without(*body, {"kpis", "permissions"});
        http::FieldReader f(rest);
        RoleInput in = ReadRole(*body, f, false);
        if (body->empty()) f.AddError("name_ru", "required");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = UpdateRole(req.actor, *id, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RoleJson(*r));
    });
    router.Post("/api/v1/roles/{id}/retire", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = RetireRole(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RoleJson(*r));
    });
    router.Post("/api/v1/roles/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = RestoreRole(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RoleJson(*r));
    });

    // --- employees
    router.Get("/api/v1/employees", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto dept = QueryId(req, "department_id");
        if (!dept) return http::Problem(req, dept.error());
        auto uid = QueryId(req, "user_id");
        if (!uid) return http::Problem(req, uid.error());
        EmployeeQuery q;
        q.department_id = *dept;
        q.user_id = *uid;
        q.status = req.Query("status");
        if (q.status && *q.status != "active" && *q.status != "dismissed")
            return http::Problem(
                req, core::Error{core::ErrorCode::kBadRequest, {}, {{"status", "not_one_of", "active, dismissed"}}, 0});
        q.after_id = page->after_id;
        q.limit = page->limit;
        auto list = ListEmployees(req.actor, q);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& e : list->items) items.push_back(EmployeeJson(e));
        json::value next = list->next_after ? json::value(http::EncodeCursor(*list->next_after)) : json::value(nullptr);
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
    });
    router.Post("/api/v1/employees", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        EmployeeInput in = ReadEmployee(*body, f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto e = CreateEmployee(req.actor, in);
        if (!e) return http::Problem(req, e.error());
        return http::Json(201, EmployeeJson(*e));
    });
    router.Get("/api/v1/employees/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto e = GetEmployee(req.actor, *id);
        if (!e) return http::Problem(req, e.error());
        return http::Json(EmployeeJson(*e));
    });
    router.Patch("/api/v1/employees/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        EmployeeInput in = ReadEmployee(*body, f, false);
        if (body->empty()) f.AddError("role_id", "required");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto e = UpdateEmployee(req.actor, *id, in);
        if (!e) return http::Problem(req, e.error());
        return http::Json(EmployeeJson(*e));
    });
    router.Post("/api/v1/employees/{id}/dismiss", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        DismissInput in;
        in.handover = f.Enum("handover", true, {"user", "routing"}).value_or("");
        if (auto t = f.Int("to_user_id", false, 1, INT64_MAX)) in.to_user_id = *t;
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto out = DismissEmployee(req.actor, *id, in);
        if (!out) return http::Problem(req, out.error());
        json::object moved;
        for (const auto& [k, n] : out->moved) moved[k] = n;
        return http::Json(json::object{{"employee", EmployeeJson(out->employee)},
                                       {"handover", json::object{{"id", out->handover_id},
                                                                 {"target", out->target},
                                                                 {"to_user_id", OrNull(out->to_user_id)},
                                                                 {"moved", moved}}}});
    });

    // --- absences
    router.Get("/api/v1/absences", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto uid = QueryId(req, "user_id");
        if (!uid) return http::Problem(req, uid.error());
        auto inc = QueryBool(req, "include_cancelled");
        if (!inc) return http::Problem(req, inc.error());
        std::optional<core::Error> err;
        AbsenceQuery q;
        q.user_id = *uid;
        q.from = QueryDate(req, "from", err);
        q.to = QueryDate(req, "to", err);
        if (err) return http::Problem(req, *err);
        q.include_cancelled = *inc;
        q.before_id = page->after_id;
        q.limit = page->limit;
        auto list = ListAbsences(req.actor, q);
        if (!list) return http::Problem(req, list.error());
        json::array items;
        for (const auto& a : list->items) items.push_back(AbsenceJson(a));
        json::value next =
            list->next_before ? json::value(http::EncodeCursor(*list->next_before)) : json::value(nullptr);
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
    });
    router.Post("/api/v1/absences", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        Absence a;
        a.user_id = f.Int("user_id", true, 1, INT64_MAX).value_or(0);
        a.kind = f.Enum("kind", true, {"vacation", "sick_leave", "business_trip", "day_off"}).value_or("");
        a.starts_on = f.String("starts_on", {.required = true, .max_len = 10}).value_or("");
        a.ends_on = f.String("ends_on", {.required = true, .max_len = 10}).value_or("");
        if (auto s = f.Int("substitute_user_id", false, 1, INT64_MAX)) a.substitute_user_id = *s;
        a.note = f.String("note", {.max_len = kMaxAbsenceNoteLength}).value_or("");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto out = CreateAbsence(req.actor, a);
        if (!out) return http::Problem(req, out.error());
        return http::Json(201, AbsenceJson(*out));
    });
    router.Get("/api/v1/absences/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto a = GetAbsence(req.actor, *id);
        if (!a) return http::Problem(req, a.error());
        return http::Json(AbsenceJson(*a));
    });
    router.Post("/api/v1/absences/{id}/cancel", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto a = CancelAbsence(req.actor, *id);
        if (!a) return http::Problem(req, a.error());
        return http::Json(AbsenceJson(*a));
    });
}

}  // namespace otdel::org
