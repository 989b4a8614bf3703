#pragma once
/// Demo leads for `otdel seed-demo`: about thirty requests to the kitchen studio over every channel, from the
/// concrete ("угловая кухня 3,4 м, бюджет 400 тыс, до конца месяца") to the vague ("сколько стоит?"); some from
/// known demo clients (linked by phone), some junk with a reason, some already converted, a repeat request.
#include <vector>

#include "clients/clients_service.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"

namespace otdel::leads {

/// Fills the workspace once: when it already has leads, nothing changes. `managers` take the leads in turn
/// (every fifth stays unassigned, for routing). Returns how many leads were created. Throws std::runtime_error
/// when the data is refused.
int SeedDemoLeads(db::Database& db, const core::Clock& clock, clients::ClientsService& clients, core::Id workspace_id,
                  const std::vector<core::Id>& managers);

}  // namespace otdel::leads
