#pragma once
/// Plan vs fact at scale (PLAN-2, issue 8): the facts of revenue, deals won, calls and meetings per owner read from
/// the reports' exact daily rollups (migration 0021: report_deal_days, report_activity_days) instead of every deal
/// and activity of the period. The rollups are built by the reports room (its first report, and again after a time
/// zone change) and kept in step by triggers; until then, or for a filter they do not carry, the KPI store's raw rows
/// answer. The figures are the KPI formulas' own: Revenue and DealsWon over deals won with closed_at in the window,
/// CountActivities over calls / meetings started in [from, min(to, until)), each summed per owner.
#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "auth/visibility.hpp"
#include "plans/kpi_store.hpp"

namespace otdel::plans::store {

/// Per owner (records without one are left out, as ByOwner does).
struct RollupFacts {
    std::map<core::Id, std::int64_t> revenue;  // won amounts in the asked currency
    std::map<core::Id, std::int64_t> deals_won;
    std::map<core::Id, std::int64_t> calls;
    std::map<core::Id, std::int64_t> meetings;
};

/// Whether the workspace's rollups were built for its time zone `tz` (from then on the triggers keep them exact).
bool RollupsFresh(soci::session& sql, core::Id ws, const std::string& tz);

/// The facts over the local days [f.first_day, f.last_day] under `vis`: deals from the closed-day rollup (revenue in
/// `revenue_currency`); calls and meetings of whole days before `today` from the activity rollup, and of today (local
/// day `today`, beginning at the instant `today_start`) up to min(f.to, f.until) from the activities themselves.
/// nullopt when the filter names something the rollups do not carry (a person, department, pipeline, channel or
/// product): the caller reads the raw rows. The caller checks RollupsFresh first.
std::optional<RollupFacts> RollupPlanFacts(soci::session& sql, const KpiFilter& f, const std::string& today,
                                           core::Millis today_start, const std::string& revenue_currency,
                                           const auth::Visibility& vis);

/// New clients per owner (records without one left out): the clients whose first won deal ever (plan_first_wins,
/// migration 0026, kept exact by triggers on deals) closed in [f.from, f.to), on that deal's owner, under `vis` —
/// what NewClients counts over the KPI store's first wins, for a filter of period and visibility only (plan vs fact's).
std::map<core::Id, std::int64_t> FirstWinCounts(soci::session& sql, const KpiFilter& f, const auth::Visibility& vis);

/// Payments received per owner (records without one left out): the live payments with paid_on in [f.first_day,
/// f.last_day] in `currency`, on their deal's owner, under `vis`, from plan_payment_days (migration 0029, kept exact
/// by triggers on payments, invoices and deals) — what PaymentsReceived sums over the KPI store's payments. nullopt
/// when the filter names something the table does not carry (a person, department, pipeline, channel or product):
/// the caller reads the records.
std::optional<std::map<core::Id, std::int64_t>> PaymentDayTotals(soci::session& sql, const KpiFilter& f,
                                                                 const std::string& currency,
                                                                 const auth::Visibility& vis);

}  // namespace otdel::plans::store
