#include "org/employee.hpp"

#include <set>

namespace otdel::org {

std::optional<core::Id> EffectiveManager(const OrgSnapshot& org, core::Id user_id) {
    auto p = org.people.find(user_id);
    if (p == org.people.end()) return std::nullopt;
    if (p->second.manager_user_id) return p->second.manager_user_id;
    std::optional<core::Id> dept = p->second.department_id;
    std::set<core::Id> seen;  // a corrupt parent cycle must not hang the server
    while (dept && seen.insert(*dept).second) {
        auto d = org.departments.find(*dept);
        if (d == org.departments.end()) break;
        if (d->second.head_user_id && *d->second.head_user_id != user_id) return d->second.head_user_id;
        dept = d->second.parent_id;
    }
    return std::nullopt;
}

std::optional<core::Id> FindManagerLoop(const OrgSnapshot& org) {
    for (const auto& [user, _] : org.people) {
        std::set<core::Id> seen{user};
        std::optional<core::Id> cur = EffectiveManager(org, user);
        while (cur) {
            if (*cur == user) return user;
            if (!seen.insert(*cur).second) break;  // a loop not through `user`: found when its members are checked
            cur = EffectiveManager(org, *cur);
        }
    }
    return std::nullopt;
}

}  // namespace otdel::org
