#include "app/seed_demo.hpp"

#include <stdexcept>

#include "core/messages.hpp"

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
    {"sales manager", "sales@otdel.demo", "Мария Соколова", "otdel-demo", false},
};

}  // namespace

std::vector<DemoLogin> SeedDemo(auth::AuthService& auth) {
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
    return logins;
}

}  // namespace otdel::app
