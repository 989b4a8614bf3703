#pragma once
/// The records behind one figure of plan vs fact (PLAN-2 drill-down): the same rows the KPI formula counts, picked by
/// the same tests, so the list always adds up to the figure. Pure here; fact_records_store.hpp reads the activity
/// rows one by one (the KPI store groups them).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plans/kpi.hpp"
#include "plans/kpi_store.hpp"
#include "plans/plan.hpp"

namespace otdel::plans {

struct FactRecords {
    std::string kind;  // deals | payments | activities
    std::vector<core::Id> deal_ids, payment_ids, activity_ids;
    /// How many records; for money metrics `amount_minor` is their sum, which is the figure.
    long long count = 0;
    std::int64_t amount_minor = 0;
    /// The figure as the KPI formula computes it over the same rows (count, or money in minor units).
    std::int64_t value = 0;
};

/// Which rows of `in` make up `metric` over `w`: revenue and deals won — deals won in the window (revenue in the
/// window's currency); new clients — the first wins of the window; payments received — the live payments of the
/// window's days in its currency. Calls and meetings are counted by ActivityRecords.
FactRecords RecordsBehind(PlanMetric metric, const KpiInputs& in, const KpiWindow& w);

/// One call or meeting and its owner (for the drill-down of the calls / meetings plan).
struct ActivityRef {
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string kind;
};
/// The calls (kind "call") or meetings ("meeting") of `refs` whose owner is one of `owners`.
FactRecords ActivityRecords(std::string_view kind, const std::vector<ActivityRef>& refs,
                            const std::vector<core::Id>& owners);

namespace store {
/// Calls and meetings as the KPI store counts them (not deleted, started in [from, min(to, until))), one by one,
/// under the visibility predicate on their owner.
std::vector<ActivityRef> ActivityRefs(soci::session& sql, const KpiFilter& f, const auth::Visibility& vis);
}  // namespace store

}  // namespace otdel::plans
