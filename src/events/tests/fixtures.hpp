#pragma once
/// Rows the events tables refer to: a workspace and its users.
#include <soci/soci.h>

#include <string>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"

namespace otdel::events::test_support {

/// The moment the events tests start their clocks at.
inline constexpr core::Millis kT0 = 1'750'000'000'000;

inline core::Id CreateWorkspace(db::Database& db, const std::string& slug) {
    core::Id id = 0;
    auto r = db.InTx([&](soci::session& sql) -> core::Result<void> {
        long long out = 0;
        sql << "INSERT INTO workspaces (name, slug, created_at, updated_at) VALUES (:n, :s, 0, 0) RETURNING id",
            soci::use(slug, "n"), soci::use(slug, "s"), soci::into(out);
        id = out;
        return core::Ok();
    });
    (void)r;
    return id;
}

inline core::Actor CreateUser(db::Database& db, core::Id workspace_id, const std::string& email) {
    core::Actor a;
    a.kind = core::ActorKind::kUser;
    a.workspace_id = workspace_id;
    auto r = db.InTx([&](soci::session& sql) -> core::Result<void> {
        long long ws = workspace_id, out = 0;
        sql << "INSERT INTO users (workspace_id, email, full_name, password_hash, created_at, updated_at) "
               "VALUES (:ws, :e, :n, 'x', 0, 0) RETURNING id",
            soci::use(ws, "ws"), soci::use(email, "e"), soci::use(email, "n"), soci::into(out);
        a.user_id = out;
        return core::Ok();
    });
    (void)r;
    return a;
}

}  // namespace otdel::events::test_support
