#pragma once
/// Demo deals for `otdel seed-demo`: the kitchen studio's pipeline with a gate on the contract stage and the
/// designers' deals spread over the stages — some idle, some won, some lost with a reason — on demo clients.
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::deals {

/// Fills the workspace once: when it already has deals, nothing changes. `owners` take the deals in turn.
/// Returns how many deals were created. Throws std::runtime_error when the data is refused.
int SeedDemoDeals(db::Database& db, const core::Clock& clock, core::Id workspace_id,
                  const std::vector<core::Id>& owners);

}  // namespace otdel::deals
