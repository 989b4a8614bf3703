#pragma once
/// Demo documents for `otdel seed-demo`: the studio's requisites with a logo, a proposal template, a proposal on a
/// demo deal at the contract stage and the signed contract of that deal with its PDF.
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::documents {

/// Fills the workspace once: when it already has requisites, nothing changes. Returns whether it seeded. Throws
/// std::runtime_error when the data is refused.
bool SeedDemoDocuments(db::Database& db, const core::Clock& clock, core::Id workspace_id);

}  // namespace otdel::documents
