#pragma once
/// Audit log: who did what to which record, with before/after, written in the caller's transaction.
#include <soci/soci.h>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"

namespace otdel::events {

struct AuditEntry {
    std::string action;       // "user.login", "api_token.create", ...
    std::string object_type;  // "user", "api_token", ...
    std::optional<core::Id> object_id;
    std::optional<boost::json::value> before;
    std::optional<boost::json::value> after;
};

/// Inserts one audit row inside the open transaction `sql` (so the row commits or rolls back with the change).
void WriteAudit(soci::session& sql, const core::Actor& actor, core::Millis at, const AuditEntry& entry);

struct AuditRow {
    core::Id id = 0;
    core::Millis at = 0;
    std::string actor_kind;
    std::optional<core::Id> actor_user_id;
    std::string action;
    std::string object_type;
    std::optional<core::Id> object_id;
    std::string before_json;  // "" when absent
    std::string after_json;
    std::string request_id;
    std::string ip;
};

/// Newest-first page of a workspace's audit rows, optionally for one object; keyset by id.
std::vector<AuditRow> ListAudit(soci::session& sql, core::Id workspace_id, std::optional<std::string> object_type,
                                std::optional<core::Id> object_id, std::optional<core::Id> before_id, int limit);

}  // namespace otdel::events
