#pragma once
/// The exact rollups the funnel, win/loss and manager activity reports read at scale (migration 0021): deals per
/// local day (by created day: stage, status, furthest open stage; by closed day: status, loss reason) and
/// activities per owner and local day. Triggers keep them in step with every write; this file builds them for a
/// workspace (the backfill, and again when its time zone changes) and reads them under the caller's visibility with
/// the report filters. Filters the rollups do not carry (channel, product) stay on the raw-row path.
#include <soci/soci.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "auth/visibility.hpp"
#include "reports/report.hpp"
#include "reports/reports_store.hpp"

namespace otdel::reports::rollup {

/// Whether the rollups can answer a report with these filters grouped by `by` ("" | person | team).
bool Covers(const store::Filter& f, const std::string& by);

/// Whether the workspace's rollups were built for zone `tz` (the triggers keep them exact from then on).
bool Fresh(soci::session& sql, core::Id ws, const std::string& tz);
/// Builds the workspace's rollups from the records in one transaction (the caller's): zone spans, deal facts,
/// daily deal counts, daily activity counts. On PostgreSQL writers of deals and activities wait for it.
void Rebuild(soci::session& sql, core::Id ws, const std::string& tz, core::Millis now);

/// Local day numbers (days since 1970-01-01) of a period's first and last day.
struct Days {
    long long first = 0, last = 0;
};

/// Funnel cells of deals created in the period, each with its group key for `by` ("" when ungrouped).
/// Summed here from the rollup's rows in key order; visibility and the owner and department filters are decided once
/// per owner, as for the stays.
std::vector<std::pair<std::string, FunnelCell>> FunnelCells(soci::session& sql, core::Id ws, const store::Filter& f,
                                                            Days days, const std::string& by,
                                                            const auth::Predicate& visible);
/// Completed stays per stage (entry → next entry, ms) of the deals created in the period, in all and per group key.
struct Stays {
    std::map<core::Id, std::vector<std::int64_t>> total;
    std::map<std::string, std::map<core::Id, std::vector<std::int64_t>>> groups;
};
/// Whole 8-day blocks of created days come packed from report_stay_cells (migration 0027: one row per block, owner and
/// stage with its stays as text), the days at either end of the period one row per stay from report_stays (0024);
/// visibility and the owner and department filters are decided once per owner, not per row or cell. `packed` = false:
/// every day from report_stays (the read before 0027; the bench compares the two).
Stays FunnelStays(soci::session& sql, core::Id ws, const store::Filter& f, Days days, const std::string& by,
                  const auth::Predicate& visible, bool packed = true);
/// Win/loss cells of deals closed in the period, keyed for `by` (person when "").
std::vector<WinLossCell> WinLossCells(soci::session& sql, const store::Filter& f, Days days, const std::string& by,
                                      const auth::Predicate& visible);
/// Per person and local day: calls, meetings, tasks (done), e-mails (`acts`, alias "a"), deals created and won
/// with the won amount (`deals`, alias "d"); read in batches and gathered in one vector sorted by owner, then day.
std::vector<ActivityRow> ActivityDayCells(soci::session& sql, const store::Filter& f, Days days,
                                          const auth::Predicate& acts, const auth::Predicate& deals);

}  // namespace otdel::reports::rollup
