#pragma once
/// Demo data of the agenda room: the default review checklist, recordings (short WAVs made by code) on a few answered
/// calls of the demo sellers, and the head's reviews of some of them — so "the head reviews a recorded call" works in
/// the demo, with one recorded call per seller still waiting in the head's queue.
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::agenda {

/// Runs once per workspace (nothing happens when it has reviews already). Returns how many reviews it wrote.
int SeedDemoAgenda(db::Database& db, const core::Clock& clock, core::Id workspace_id);

}  // namespace otdel::agenda
