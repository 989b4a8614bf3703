#include "reports/plan_fact_source.hpp"

#include "plans/period.hpp"

namespace otdel::reports {
namespace {

// The plans room's period for [from, to]: the month, quarter or year it spans exactly, else the month of `from`.
std::string PeriodOf(const std::string& from, const std::string& to) {
    std::string period = "month";
    const auto first = org::ParseDay(from);
    const auto last = org::ParseDay(to);
    if (first && last) {
        for (auto kind : {plans::PeriodKind::kMonth, plans::PeriodKind::kQuarter, plans::PeriodKind::kYear})
            if (plans::IsWholePeriod(kind, *first, *last)) period = std::string(plans::PeriodKindName(kind));
    }
    return period;
}

}  // namespace

PlanFactDrillSource PlanFactDrillFrom(plans::PlansService& plans) {
    return [&plans](const core::Actor& a, const std::string& from, const std::string& to, const std::string& metric,
                    std::optional<core::Id> user_id,
                    std::optional<core::Id> department_id) -> core::Result<plans::FactRecords> {
        plans::FactRecordsQuery q;
        q.period = PeriodOf(from, to);
        q.date = from;
        q.metric = metric;
        q.user_id = user_id;
        q.department_id = department_id;
        return plans.FactRecordsOf(a, q);
    };
}

PlanFactSource PlanFactFrom(plans::PlansService& plans) {
    return [&plans](const core::Actor& a, const std::string& from, const std::string& to, std::optional<core::Id> owner,
                    std::optional<core::Id> department_id) -> core::Result<std::vector<PlanFactLine>> {
        plans::PlanVsFactQuery q;
        q.period = PeriodOf(from, to);
        q.date = from;
        q.department_id = department_id;
        auto view = plans.PlanVsFact(a, q);
        if (!view) return view.take_error();
        std::vector<PlanFactLine> out;
        for (const auto& row : view->rows) {
            if (owner && (row.kind != "person" || row.id != *owner)) continue;
            for (const auto& l : row.lines) {
                if (!l.target && l.fact == 0) continue;
                PlanFactLine p;
                p.label = std::string(row.depth > 0 ? std::string(static_cast<std::size_t>(row.depth) * 2, ' ') : "") +
                          row.name;
                p.metric = std::string(plans::PlanMetricName(l.metric));
                if (row.kind == "person") p.user_id = row.id;
                if (row.kind == "department") p.department_id = row.id;
                p.plan = l.target.value_or(l.children_target);
                p.fact = l.fact;
                if (l.share_bp) p.percent_bp = static_cast<int>(*l.share_bp);
                if (l.projected_bp) p.pace_bp = static_cast<int>(*l.projected_bp);
                out.push_back(std::move(p));
            }
        }
        return out;
    };
}

}  // namespace otdel::reports
