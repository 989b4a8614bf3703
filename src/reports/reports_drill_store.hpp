#pragma once
/// Drill-down rows the reports list besides deals and activities: the payments behind a "payments received" fact and
/// the lead assignments behind the lead / response / SLA columns of manager activity. The ids come from the same
/// rows the figure was computed from; these queries only add the words.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::reports::store {

struct PaymentRowOut {
    core::Id id = 0, deal_id = 0;
    std::string deal_title, invoice_number, owner_name, paid_on, currency;
    std::optional<core::Id> owner;
    std::int64_t amount_minor = 0;
};
std::vector<PaymentRowOut> PaymentRows(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);

struct ResponseRowOut {
    core::Id id = 0, lead_id = 0;
    std::string lead_title, channel, owner_name;
    std::optional<core::Id> owner;
    core::Millis assigned_at = 0;
    std::optional<core::Millis> deadline_at, breached_at;
    std::optional<std::int64_t> response_ms;  // working ms to the first response
};
std::vector<ResponseRowOut> ResponseRows(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);

}  // namespace otdel::reports::store
