#pragma once
/// Employees: a user holding a role in a department, with an explicit or derived manager; the pure rules of
/// manager derivation and loops; the registry of handover handlers that later rooms (leads, deals, clients) join.
#include <soci/soci.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::org {

struct Employee {
    core::Id workspace_id = 0, id = 0, user_id = 0, role_id = 0, department_id = 0;
    std::optional<core::Id> manager_user_id;  // explicit manager
    std::string status = "active";            // active | dismissed
    std::string position_title, phone;
    std::optional<std::string> hired_on;  // YYYY-MM-DD
    std::optional<core::Millis> dismissed_at;
    core::Millis created_at = 0, updated_at = 0;
    // Joined for display.
    std::string email, full_name, role_code;

    bool active() const { return status == "active"; }
};

/// The part of the org that decides who manages whom.
struct OrgSnapshot {
    struct Dept {
        std::optional<core::Id> parent_id;
        std::optional<core::Id> head_user_id;
    };
    struct Person {
        core::Id department_id = 0;
        std::optional<core::Id> manager_user_id;
    };
    std::map<core::Id, Dept> departments;
    std::map<core::Id, Person> people;  // active employees by user id
};

/// The explicit manager; else the head of the person's department; for the head itself (or a department
/// without one) the head of the nearest ancestor that has a head other than the person. nullopt at the top.
std::optional<core::Id> EffectiveManager(const OrgSnapshot& org, core::Id user_id);
/// A person whose chain of effective managers comes back to them (A manages B manages A), if any.
std::optional<core::Id> FindManagerLoop(const OrgSnapshot& org);

/// Moves one kind of open records (leads, deals, clients…) of a dismissed person, inside the dismissal's
/// transaction. `to_user_id` nullopt means "back to routing". Returns how many records moved.
class HandoverHandler {
public:
    virtual ~HandoverHandler() = default;
    /// The kind reported in the answer and the audit row, e.g. "lead".
    virtual std::string Kind() const = 0;
    virtual int Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id,
                         std::optional<core::Id> to_user_id, const core::Actor& by, core::Millis now) = 0;
};

/// Handlers registered at start-up (src/app wiring); the registry does not own them.
class HandoverRegistry {
public:
    void Add(HandoverHandler& handler) { handlers_.push_back(&handler); }
    const std::vector<HandoverHandler*>& handlers() const { return handlers_; }

private:
    std::vector<HandoverHandler*> handlers_;
};

inline constexpr std::size_t kMaxPositionLength = 200;
inline constexpr std::size_t kMaxPhoneLength = 50;

}  // namespace otdel::org
