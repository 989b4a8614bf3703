// Plan vs fact's drill-down (PLAN-2, REP-3): the deals, payments or activities behind one line of the report, as the
// plans room picks them with the very tests its figure counts, so the list adds up to the figure.
#include <charconv>

#include "auth/visibility.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"
#include "reports/reports_service.hpp"

namespace otdel::reports {
using core::Error;
using core::ErrorCode;

namespace {

Error BadCell(std::string field, std::string code, std::string param = {}) {
    return Error{ErrorCode::kBadRequest, {}, {{std::move(field), std::move(code), std::move(param)}}, 0};
}

template <class T>
void Cap(std::vector<T>& ids, std::size_t cap, bool& truncated) {
    truncated = ids.size() > cap;
    if (truncated) ids.resize(cap);
}

}  // namespace

core::Result<Scope> ReportsService::ScopeFor(const core::Actor& a, const ReportQuery& q) {
    if (!a.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) -> core::Result<Scope> {
        const std::string tz = org::store::WorkspaceTimeZone(sql, a.workspace_id);
        Scope s;
        s.today = org::LocalDateText(tz, clock_.NowMs());
        if (!auth::BuildVisibility(sql, a, s.today).Can(auth::Action::kRead, "report"))
            return Error::Of(ErrorCode::kForbidden);
        const auto period = RelativePeriod(q.period.value_or("month"), s.today);
        if (!period) return BadCell("period", "not_one_of", "today, week, month, quarter, year");
        s.from = q.period ? period->first : q.from.value_or(period->first);
        s.to = q.period ? period->second : q.to.value_or(q.from ? s.from : period->second);
        if (s.to < s.from) return BadCell("to", "before_start");
        return s;
    });
}

core::Result<Drilldown> ReportsService::DrillPlanFact(const core::Actor& a, const ReportQuery& q, const Cell& cell) {
    if (!plan_fact_drill_) return Error::Of(ErrorCode::kNotFound);
    auto scope = ScopeFor(a, q);
    if (!scope) return scope.take_error();
    std::optional<core::Id> user;
    if (cell.owner) {
        long long v = 0;
        const auto& s = *cell.owner;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size() || v < 1) return BadCell("cell_owner", "invalid");
        user = v;
    }
    if (user.has_value() == cell.department_id.has_value())
        return BadCell("cell_owner", "either_or", "cell_department_id");
    auto records = plan_fact_drill_(a, scope->from, scope->to, cell.measure, user, cell.department_id);
    if (!records) return records.take_error();
    Drilldown out;
    out.kind = records->kind;
    out.count = records->count;
    out.amount_minor = records->amount_minor;
    const auto cap = static_cast<std::size_t>(config_.max_drill_rows);
    auto& r = *records;
    Cap(r.deal_ids, cap, out.truncated);
    if (!out.truncated) Cap(r.payment_ids, cap, out.truncated);
    if (!out.truncated) Cap(r.activity_ids, cap, out.truncated);
    db_.Read([&](soci::session& sql) {
        out.deals = store::DealRows(sql, a.workspace_id, r.deal_ids);
        out.payments = store::PaymentRows(sql, a.workspace_id, r.payment_ids);
        out.activities = store::ActivityRows(sql, a.workspace_id, r.activity_ids);
        return 0;
    });
    return out;
}

}  // namespace otdel::reports
