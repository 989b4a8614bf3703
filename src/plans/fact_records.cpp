#include "plans/fact_records.hpp"

#include <algorithm>
#include <set>

namespace otdel::plans {

FactRecords RecordsBehind(PlanMetric metric, const KpiInputs& in, const KpiWindow& w) {
    FactRecords out;
    const bool money = IsMoney(metric);
    auto in_window = [&](const std::optional<core::Millis>& at) { return at && *at >= w.from && *at < w.to; };
    switch (metric) {
        case PlanMetric::kRevenue:
        case PlanMetric::kDealsWon:
            out.kind = "deals";
            for (const auto& d : in.deals) {
                if (d.status != "won" || !in_window(d.closed_at)) continue;
                if (money && d.currency != w.currency) continue;
                out.deal_ids.push_back(d.id);
                out.amount_minor += d.currency == w.currency ? d.amount_minor : 0;
            }
            out.count = static_cast<long long>(out.deal_ids.size());
            break;
        case PlanMetric::kNewClients: {
            out.kind = "deals";
            std::set<std::string> clients;
            for (const auto& d : in.first_wins) {
                if (d.client_key.empty() || !in_window(d.closed_at) || !clients.insert(d.client_key).second) continue;
                out.deal_ids.push_back(d.id);
                out.amount_minor += d.currency == w.currency ? d.amount_minor : 0;
            }
            out.count = static_cast<long long>(out.deal_ids.size());
            break;
        }
        case PlanMetric::kPaymentsReceived:
            out.kind = "payments";
            for (const auto& p : in.payments) {
                if (p.currency != w.currency) continue;
                out.payment_ids.push_back(p.id);
                out.amount_minor += p.amount_minor;
            }
            out.count = static_cast<long long>(out.payment_ids.size());
            break;
        case PlanMetric::kCalls:
        case PlanMetric::kMeetings: out.kind = "activities"; break;
    }
    out.value = money ? out.amount_minor : out.count;
    return out;
}

FactRecords ActivityRecords(std::string_view kind, const std::vector<ActivityRef>& refs,
                            const std::vector<core::Id>& owners) {
    FactRecords out;
    out.kind = "activities";
    const std::set<core::Id> set(owners.begin(), owners.end());
    for (const auto& r : refs)
        if (r.kind == kind && r.owner && set.count(*r.owner)) out.activity_ids.push_back(r.id);
    out.count = static_cast<long long>(out.activity_ids.size());
    out.value = out.count;
    return out;
}

}  // namespace otdel::plans
