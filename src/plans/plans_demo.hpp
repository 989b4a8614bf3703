#pragma once
/// The demo workspace's month (PLAN-2): won deals and payments spread from the month's first day to today, so the
/// head of sales sees a believable plan vs fact at any day of any month; the sales department's revenue plan of
/// 3,500,000 ₽ split over the sellers, a deals-won plan, and a few SMART goals (one of them overdue). Idempotent:
/// does nothing when the workspace already has plans.
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::plans {

/// `sellers`: the deal owners the department plan is split over (at least one). Returns the plans created.
int SeedDemoPlans(db::Database& db, const core::Clock& clock, core::Id ws, const std::vector<core::Id>& sellers);

}  // namespace otdel::plans
