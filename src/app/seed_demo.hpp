#pragma once
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
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
std::vector<DemoLogin> SeedDemo(auth::AuthService& auth, org::OrgService& org);

}  // namespace otdel::app
