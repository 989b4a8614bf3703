#pragma once
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "clients/clients_service.hpp"
#include "org/org_service.hpp"

namespace otdel::app {

struct DemoLogin {
    std::string role;
    std::string email;
    std::string password;
};

/// Creates the demo workspace with its people and sales department, once: a second run finds it and changes
/// nothing.
/// Returns the logins to print.
/// With `clients`, also the demo client base (companies, contacts, a few duplicates for the merge screen); with
/// `db` and `clock` as well, the demo leads.
std::vector<DemoLogin> SeedDemo(auth::AuthService& auth, org::OrgService& org,
                                clients::ClientsService* clients = nullptr, db::Database* db = nullptr,
                                const core::Clock* clock = nullptr);

}  // namespace otdel::app
