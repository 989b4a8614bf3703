#include "app/seed_demo.hpp"

#include <date/date.h>

#include <map>
#include <sstream>
#include <stdexcept>

#include "activities/activities_demo.hpp"
#include "agenda/agenda_demo.hpp"
#include "billing/billing_demo.hpp"
#include "catalog/catalog_demo.hpp"
#include "clients/clients_demo.hpp"
#include "core/messages.hpp"
#include "deals/deals_demo.hpp"
#include "documents/documents_demo.hpp"
#include "leads/leads_demo.hpp"
#include "org/calendar_service.hpp"
#include "plans/plans_demo.hpp"
#include "reports/reports_demo.hpp"
#include "routing/routing_service.hpp"
#include "shipments/shipments_demo.hpp"

namespace otdel::app {
namespace {

struct DemoPerson {
    const char* role;
    const char* email;
    const char* full_name;
    const char* password;
    bool admin;
};

// A small kitchen-furniture studio: the demo data later issues extend with departments, leads and deals.
constexpr DemoPerson kPeople[] = {
    {"administrator", "admin@otdel.demo", "Анна Смирнова", "otdel-admin", true},
    {"head of sales", "rop@otdel.demo", "Игорь Петров", "otdel-rop", false},
    {"lead manager", "lead@otdel.demo", "Ольга Васильева", "otdel-demo", false},
    {"designer-manager", "designer@otdel.demo", "Дмитрий Кузнецов", "otdel-demo", false},
    {"key account manager", "sales@otdel.demo", "Мария Соколова", "otdel-demo", false},
    {"lead manager", "lead2@otdel.demo", "Никита Орлов", "otdel-demo", false},
    {"designer-manager", "designer2@otdel.demo", "Елена Морозова", "otdel-demo", false},
    {"designer-manager", "designer3@otdel.demo", "Павел Волков", "otdel-demo", false},
    {"sales analyst", "analyst@otdel.demo", "Ксения Лебедева", "otdel-demo", false},
    {"support specialist", "support@otdel.demo", "Артём Новиков", "otdel-demo", false},
    {"accountant", "buh@otdel.demo", "Светлана Егорова", "otdel-demo", false},
    {"production manager", "production@otdel.demo", "Сергей Фёдоров", "otdel-demo", false},
};

// Where each demo person works: e-mail, role code, department key, position title.
struct DemoJob {
    const char* email;
    const char* role;
    const char* department;
    const char* position;
};
constexpr DemoJob kJobs[] = {
    {"rop@otdel.demo", "head_of_sales", "sales", "Руководитель отдела продаж"},
    {"lead@otdel.demo", "lead_manager", "leads", "Старший менеджер по заявкам"},
    {"lead2@otdel.demo", "lead_manager", "leads", "Менеджер по заявкам"},
    {"designer@otdel.demo", "designer_manager", "design", "Ведущий дизайнер-менеджер"},
    {"designer2@otdel.demo", "designer_manager", "design", "Дизайнер-менеджер"},
    {"designer3@otdel.demo", "designer_manager", "design", "Дизайнер-менеджер, замерщик"},
    {"sales@otdel.demo", "key_account_manager", "key", "Менеджер по ключевым клиентам"},
    {"analyst@otdel.demo", "sales_analyst", "sales", "Аналитик продаж"},
    {"support@otdel.demo", "support_specialist", "sales", "Специалист сервиса"},
    {"buh@otdel.demo", "accountant", "sales", "Главный бухгалтер"},
    {"production@otdel.demo", "production_manager", "sales", "Менеджер производства"},
};

[[noreturn]] void Fail(const std::string& what, const core::Error& e) {
    throw std::runtime_error(what + ": " + core::ErrorMessage(e, core::Lang::kEn));
}

// The sales department of the studio: heads, sub-teams, people and someone on vacation this week.
void SeedOrg(org::OrgService& org, core::Id ws) {
    const core::Actor system = core::Actor::System(ws);
    org.EnsureCatalog(ws);
    std::map<std::string, core::Id> roles;
    auto role_list = org.ListRoles(system, true);
    if (!role_list) Fail("cannot read roles", role_list.error());
    for (const auto& r : *role_list) roles[r.code] = r.id;

    auto depts = org.ListDepartments(system, true);
    if (!depts) Fail("cannot read departments", depts.error());
    auto find_or_create = [&](const std::string& name, std::optional<core::Id> parent,
                              org::Division division) -> core::Id {
        for (const auto& d : *depts)
            if (d.name == name) return d.id;
        org::DepartmentInput in;
        in.name = name;
        in.set_parent = true;
        in.parent_id = parent;
        in.division = std::move(division);
        auto d = org.CreateDepartment(system, in);
        if (!d) Fail("cannot create department " + name, d.error());
        return d->id;
    };
    std::map<std::string, core::Id> dept;
    dept["sales"] = find_or_create("Отдел продаж", std::nullopt, org::Division{});
    org::Division leads;
    leads.principle = "client_type";
    leads.client_type = "private";
    dept["leads"] = find_or_create("Лидогенерация", dept["sales"], leads);
    org::Division design;
    design.principle = "product";
    design.lines = {"Кухни на заказ", "Шкафы-купе", "Гардеробные"};
    dept["design"] = find_or_create("Дизайн-проекты", dept["sales"], design);
    org::Division key;
    key.principle = "client_type";
    key.client_type = "corporate";
    dept["key"] = find_or_create("Ключевые клиенты", dept["sales"], key);

    std::map<std::string, core::Id> users;
    for (const auto& j : kJobs) {
        auto uid = org.UserIdByEmail(ws, j.email);
        if (!uid) throw std::runtime_error(std::string("demo user missing: ") + j.email);
        users[j.email] = *uid;
        org::EmployeeQuery q;
        q.user_id = *uid;
        auto existing = org.ListEmployees(system, q);
        if (existing && !existing->items.empty()) continue;
        org::EmployeeInput in;
        in.user_id = *uid;
        in.role_id = roles.at(j.role);
        in.department_id = dept.at(j.department);
        in.position_title = j.position;
        in.phone = "+7 495 000-00-0" + std::to_string(users.size());
        auto e = org.CreateEmployee(system, in);
        if (!e) Fail(std::string("cannot place ") + j.email, e.error());
    }
    auto set_head = [&](const std::string& key_name, const char* email) {
        auto d = org.GetDepartment(system, dept[key_name]);
        if (d && d->head_user_id) return;
        org::DepartmentInput in;
        in.set_head = true;
        in.head_user_id = users.at(email);
        auto r = org.UpdateDepartment(system, dept[key_name], in);
        if (!r) Fail("cannot set the head of " + key_name, r.error());
    };
    set_head("sales", "rop@otdel.demo");
    set_head("leads", "lead@otdel.demo");
    set_head("design", "designer@otdel.demo");

    // Елена is on vacation this week (relative to today), Дмитрий takes her new work.
    const std::string today = org.Today(ws);
    if (!org.IsAbsent(ws, users.at("designer2@otdel.demo"), today)) {
        date::year_month_day ymd;
        std::istringstream in(today);
        in >> date::parse("%F", ymd);
        const date::sys_days d{ymd};
        const auto monday = d - (date::weekday{d} - date::Monday);
        org::Absence a;
        a.user_id = users.at("designer2@otdel.demo");
        a.kind = "vacation";
        a.starts_on = date::format("%F", monday);
        a.ends_on = date::format("%F", monday + date::days{11});
        a.substitute_user_id = users.at("designer@otdel.demo");
        a.note = "Ежегодный отпуск";
        auto r = org.CreateAbsence(system, a);
        if (!r && r.error().code != core::ErrorCode::kConflict) Fail("cannot record the demo vacation", r.error());
    }
}

// Two routing rules for the lead desk: calls are hot (5 working minutes), everything written waits an hour.
void SeedRouting(db::Database& db, const core::Clock& clock, org::OrgService& org, core::Id ws) {
    org::CalendarService calendars(db, clock);
    routing::RoutingService routing(db, clock, calendars);
    const core::Actor system = core::Actor::System(ws);
    auto existing = routing.ListRules(system);
    if (!existing || !existing->empty()) return;
    auto depts = org.ListDepartments(system, false);
    if (!depts) Fail("cannot read departments", depts.error());
    std::optional<core::Id> desk;
    for (const auto& d : *depts)
        if (d.name == "Лидогенерация") desk = d.id;
    if (!desk) return;
    routing::Rule calls;
    calls.name = "Звонки — ответить за 5 минут";
    calls.when.channels = {"phone"};
    calls.department_id = desk;
    calls.strategy = routing::Strategy::kRoundRobin;
    calls.sla_minutes = 5;
    calls.escalate_after = 1;
    routing::Rule written;
    written.name = "Сайт, почта и мессенджеры — ответить за час";
    written.when.channels = {"form", "email", "telegram", "webhook"};
    written.department_id = desk;
    written.strategy = routing::Strategy::kRoundRobin;
    written.sla_minutes = 60;
    written.escalate_after = 2;
    for (auto* r : {&calls, &written}) {
        auto created = routing.CreateRule(system, *r);
        if (!created) Fail("cannot create the demo routing rule " + r->name, created.error());
    }
}

}  // namespace

std::vector<DemoLogin> SeedDemo(auth::AuthService& auth, org::OrgService& org, clients::ClientsService* clients,
                                db::Database* db, const core::Clock* clock) {
    const core::Actor system = core::Actor::System(0);
    constexpr const char* kDemoName = "Кухни «Северный свет» (демо)";
    core::Id ws = 0;
    for (const auto& [id, name] : auth.ListWorkspaces()) {
        if (name == kDemoName) ws = id;
    }
    if (ws == 0) {
        auth::NewWorkspace w;
        w.name = kDemoName;
        w.slug = "demo";
        auto r = auth.CreateWorkspace(w, system);
        if (!r)
            throw std::runtime_error("cannot create the demo workspace: " +
                                     core::ErrorMessage(r.error(), core::Lang::kEn));
        ws = *r;
    }
    std::vector<DemoLogin> logins;
    for (const auto& p : kPeople) {
        auth::NewUser u;
        u.workspace_id = ws;
        u.email = p.email;
        u.full_name = p.full_name;
        u.password = p.password;
        u.is_admin = p.admin;
        auto r = auth.CreateUser(u, core::Actor::System(ws));
        if (!r && r.error().code != core::ErrorCode::kConflict)
            throw std::runtime_error(std::string("cannot create demo user ") + p.email + ": " +
                                     core::ErrorMessage(r.error(), core::Lang::kEn));
        logins.push_back({p.role, p.email, p.password});
    }
    SeedOrg(org, ws);
    if (db && clock) SeedRouting(*db, *clock, org, ws);
    if (clients) {
        std::vector<core::Id> sellers;
        for (const char* e : {"sales@otdel.demo", "designer@otdel.demo", "designer2@otdel.demo", "designer3@otdel.demo",
                              "lead@otdel.demo", "lead2@otdel.demo"})
            if (auto uid = org.UserIdByEmail(ws, e)) sellers.push_back(*uid);
        clients::SeedDemoClients(*clients, ws, sellers);
        std::vector<core::Id> lead_managers;
        for (const char* e : {"lead@otdel.demo", "lead2@otdel.demo"})
            if (auto uid = org.UserIdByEmail(ws, e)) lead_managers.push_back(*uid);
        if (db && clock) leads::SeedDemoLeads(*db, *clock, *clients, ws, lead_managers);
        std::vector<core::Id> deal_owners;
        for (const char* e :
             {"designer@otdel.demo", "designer2@otdel.demo", "designer3@otdel.demo", "sales@otdel.demo"})
            if (auto uid = org.UserIdByEmail(ws, e)) deal_owners.push_back(*uid);
        if (db && clock) deals::SeedDemoDeals(*db, *clock, ws, deal_owners);
        if (db && clock) catalog::SeedDemoCatalog(*db, *clock, ws, deal_owners);
        if (db && clock) billing::SeedDemoBilling(*db, *clock, ws);
        if (db && clock) documents::SeedDemoDocuments(*db, *clock, ws);
        if (db && clock) activities::SeedDemoActivities(*db, *clock, ws);
        if (db && clock) agenda::SeedDemoAgenda(*db, *clock, ws);
        if (db && clock) reports::SeedDemoReports(*db, *clock, ws);
        if (db && clock) plans::SeedDemoPlans(*db, *clock, ws, deal_owners);
        if (db && clock)
            shipments::SeedDemoShipments(*db, *clock, ws, org.UserIdByEmail(ws, "production@otdel.demo").value_or(0));
    }
    return logins;
}

}  // namespace otdel::app
