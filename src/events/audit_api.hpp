#pragma once
#include "db/database.hpp"
#include "http/router.hpp"

namespace otdel::events {

/// GET /api/v1/audit-log: the workspace's audit rows, newest first, for administrators.
void RegisterAuditApi(http::Router& router, db::Database& db);

}  // namespace otdel::events
