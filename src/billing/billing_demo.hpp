#pragma once
/// Demo invoices for `otdel seed-demo`: the kitchen studio's money — a paid invoice, a prepayment, overdue ones of two
/// teams, a draft, and a kitchen sold in three instalments (one paid, one overdue, one due in two days).
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::billing {

/// Fills the workspace once: when it already has invoices, nothing changes. Returns how many invoices were made.
/// Throws std::runtime_error when the data is refused.
int SeedDemoBilling(db::Database& db, const core::Clock& clock, core::Id workspace_id);

}  // namespace otdel::billing
