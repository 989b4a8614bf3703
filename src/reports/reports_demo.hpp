#pragma once
/// The demo workspace's lead desk history for the reports (REP-2, the head's SLA summary): the demo leads that were
/// answered came in on days spread from the month's first day to now, in working hours, and each was given to a lead
/// manager with the routing rule's SLA (calls 5 minutes, written requests an hour). Most were answered in time; the
/// slow ones breached and were handed to the other manager, who answered. Written as routing's facts
/// (`lead_assignments`, `lead_routing`), relative to the server clock. Idempotent: does nothing when the workspace
/// already has assignments.
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::reports {

/// Returns how many assignments were written.
int SeedDemoReports(db::Database& db, const core::Clock& clock, core::Id ws);

}  // namespace otdel::reports
