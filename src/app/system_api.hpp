#pragma once
#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace otdel::app {

/// GET /api/v1/health: the server answers and its database executes a query.
void RegisterSystemApi(http::Router& router, db::Database& db, const core::Clock& clock, int schema_version);

}  // namespace otdel::app
