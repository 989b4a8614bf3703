#pragma once
/// Demo data of the activities room: a believable working day for every seller of the demo workspace — calls with
/// their outcomes, today's meetings, tasks due today and overdue (one with a checklist, one set by the head), e-mails
/// sent and received, an SMS, notes with a mention — on the clients, leads and deals they own; plus e-mail templates.
#include <soci/soci.h>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::activities {

/// Fills the workspace once: when it already has demo activities, nothing changes. Returns how many were created.
int SeedDemoActivities(db::Database& db, const core::Clock& clock, core::Id workspace_id);

}  // namespace otdel::activities
