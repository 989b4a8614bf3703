#pragma once
/// Demo shipments for `otdel seed-demo` (issue 6, DEAL-8): on the demo deals that sell products (catalog_demo.cpp),
/// one shipment of stock items already on its way and one of made-to-order items handed off to production, which the
/// demo production manager (production@otdel.demo) takes into work — so the production page and a deal's shipments
/// are not empty on the first login.
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::shipments {

/// Fills the workspace once: when it already has shipments, nothing changes. `production_manager` (a user id, 0 for
/// none) moves the hand-off's request into production. Returns how many shipments were created. Throws
/// std::runtime_error when the data is refused.
int SeedDemoShipments(db::Database& db, const core::Clock& clock, core::Id workspace_id, core::Id production_manager);

}  // namespace otdel::shipments
