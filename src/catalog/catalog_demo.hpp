#pragma once
/// Demo catalog for `otdel seed-demo`: the kitchen studio's products (made-to-order kitchens, worktops, fronts,
/// sinks and services), a retail price list with lists for dealers and developers, discount schemes of every kind,
/// a limit for the key account manager, and lines on some open demo deals — one of them waiting for the head's
/// approval of a discount above the designer's limit.
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::catalog {

/// Fills the workspace once: when it already has products, nothing changes. `sellers` (user ids) put lines on their
/// own open deals. Returns how many products were created. Throws std::runtime_error when the data is refused.
int SeedDemoCatalog(db::Database& db, const core::Clock& clock, core::Id workspace_id,
                    const std::vector<core::Id>& sellers);

}  // namespace otdel::catalog
