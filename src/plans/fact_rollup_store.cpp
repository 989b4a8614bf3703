// Plan vs fact from the reports' daily rollups (migration 0021), with the KPI store's conditions.
#include <algorithm>

#include "org/work_calendar.hpp"
#include "plans/fact_rollup.hpp"

namespace otdel::plans::store {
namespace {

// Deals won per owner and closed local day (the rollup's 'x' side), summed over the days: the won amount in one
// currency and the count in every currency.
constexpr const char* kWonDays =
    "SELECT d.owner_key, CAST(SUM(CASE WHEN d.currency = :cur THEN d.amount_minor ELSE 0 END) AS BIGINT), "
    "CAST(SUM(d.n) AS BIGINT) FROM report_deal_days d WHERE {visible} AND d.side = 'x' AND d.status = 'won' AND "
    "d.day >= :d0 AND d.day <= :d1 AND d.owner_key <> 0 GROUP BY d.owner_key";
// Calls and meetings per owner over whole local days.
constexpr const char* kActivityDays =
    "SELECT a.owner_key, a.kind, CAST(SUM(a.n) AS BIGINT) FROM report_activity_days a WHERE {visible} AND a.kind IN "
    "('call', 'meeting') AND a.day >= :d0 AND a.day <= :d1 AND a.owner_key <> 0 GROUP BY a.owner_key, a.kind";
// Today's calls and meetings so far, of the people placed in the workspace (plan vs fact's rows): one walk of the
// (owner, at) index per person instead of every activity of the workspace.
constexpr const char* kActivitiesToday =
    "SELECT a.owner_user_id, a.kind, COUNT(*) FROM activities a WHERE {visible} AND a.owner_user_id IN (SELECT "
    "fe.user_id FROM employees fe WHERE fe.workspace_id = :ws_e) AND a.deleted_at IS NULL AND a.kind IN ('call', "
    "'meeting') AND a.at >= :from1 AND a.at < :to1 GROUP BY a.owner_user_id, a.kind";

// Clients whose first win closed in the window, per owner of that deal (one range of plan_first_wins_closed_idx).
constexpr const char* kFirstWinCounts =
    "SELECT fw.owner_user_id, COUNT(*) FROM plan_first_wins fw WHERE fw.workspace_id = :ws AND {visible} AND "
    "fw.closed_at >= :from1 AND fw.closed_at < :to1 AND fw.owner_user_id IS NOT NULL GROUP BY fw.owner_user_id";

// Live payments per owner of their deal over the period's days, in one currency (one range of the table's key).
constexpr const char* kPaymentDays =
    "SELECT pd.owner_key, CAST(SUM(pd.amount_minor) AS BIGINT) FROM plan_payment_days pd WHERE pd.workspace_id = :ws "
    "AND {visible} AND pd.paid_on >= :first1 AND pd.paid_on <= :last1 AND pd.currency = :cur AND pd.owner_key <> 0 "
    "GROUP BY pd.owner_key";

void AddActivity(RollupFacts& out, long long owner, const std::string& kind, long long n) {
    if (kind == "call") out.calls[owner] += n;
    if (kind == "meeting") out.meetings[owner] += n;
}

}  // namespace

bool RollupsFresh(soci::session& sql, core::Id ws_id, const std::string& tz) {
    long long ws = ws_id;
    std::string built;
    soci::indicator ind = soci::i_null;
    sql << "SELECT time_zone FROM report_rollup_state WHERE workspace_id = :ws", soci::use(ws, "ws"),
        soci::into(built, ind);
    return sql.got_data() && ind == soci::i_ok && built == tz;
}

std::optional<RollupFacts> RollupPlanFacts(soci::session& sql, const KpiFilter& f, const std::string& today,
                                           core::Millis today_start, const std::string& revenue_currency,
                                           const auth::Visibility& vis) {
    if (f.department_id || f.user_id || f.pipeline_id || f.channel || f.product_id) return std::nullopt;
    const auto first = org::ParseDay(f.first_day), last = org::ParseDay(f.last_day), now_day = org::ParseDay(today);
    if (!first || !last || !now_day) return std::nullopt;
    RollupFacts out;
    long long owner = 0, n = 0;
    {
        const auth::Predicate visible = vis.Read("d");
        long long d0 = first->days, d1 = last->days, amount = 0;
        std::string currency = revenue_currency;
        soci::statement st(sql);
        st.alloc();
        st.prepare(visible.Expand(kWonDays));
        st.exchange(soci::into(owner));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(n));
        st.exchange(soci::use(currency, "cur"));
        st.exchange(soci::use(d0, "d0"));
        st.exchange(soci::use(d1, "d1"));
        visible.BindTo(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) {
            if (amount != 0) out.revenue[owner] = amount;
            if (n != 0) out.deals_won[owner] = n;
        }
    }
    // Activities count up to `until` (a meeting later today is planned, not held): whole days before today from the
    // rollup, today from the rows.
    const long long last_whole = f.until ? std::min<long long>(last->days, now_day->days - 1) : last->days;
    std::string kind;
    if (last_whole >= first->days) {
        const auth::Predicate visible = vis.Read("a");
        long long d0 = first->days, d1 = last_whole;
        soci::statement st(sql);
        st.alloc();
        st.prepare(visible.Expand(kActivityDays));
        st.exchange(soci::into(owner));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(n));
        st.exchange(soci::use(d0, "d0"));
        st.exchange(soci::use(d1, "d1"));
        visible.BindTo(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) AddActivity(out, owner, kind, n);
    }
    if (f.until) {
        long long from = std::max(f.from, today_start), to = std::min(f.to, *f.until), ws = f.workspace_id;
        if (from < to) {
            const auth::Predicate visible = vis.Read("a");
            soci::statement st(sql);
            st.alloc();
            st.prepare(visible.Expand(kActivitiesToday));
            st.exchange(soci::into(owner));
            st.exchange(soci::into(kind));
            st.exchange(soci::into(n));
            st.exchange(soci::use(ws, "ws_e"));
            st.exchange(soci::use(from, "from1"));
            st.exchange(soci::use(to, "to1"));
            visible.BindTo(st);
            st.define_and_bind();
            st.execute(false);
            while (st.fetch()) AddActivity(out, owner, kind, n);
        }
    }
    // Drop owners whose counts cancelled out (rollup rows at zero), so the maps hold what the raw rows would.
    for (auto* m : {&out.revenue, &out.deals_won, &out.calls, &out.meetings})
        std::erase_if(*m, [](const auto& kv) { return kv.second == 0; });
    return out;
}

std::map<core::Id, std::int64_t> FirstWinCounts(soci::session& sql, const KpiFilter& f, const auth::Visibility& vis) {
    const auth::Predicate visible = vis.Read("fw");
    long long ws = f.workspace_id, from = f.from, to = f.to, owner = 0, n = 0;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(kFirstWinCounts));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(n));
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(from, "from1"));
    st.exchange(soci::use(to, "to1"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::map<core::Id, std::int64_t> out;
    while (st.fetch())
        if (n != 0) out[owner] = n;
    return out;
}

std::optional<std::map<core::Id, std::int64_t>> PaymentDayTotals(soci::session& sql, const KpiFilter& f,
                                                                 const std::string& currency,
                                                                 const auth::Visibility& vis) {
    if (f.department_id || f.user_id || f.pipeline_id || f.channel || f.product_id) return std::nullopt;
    const auth::Predicate visible = vis.Read("pd");
    long long ws = f.workspace_id, owner = 0, amount = 0;
    std::string first = f.first_day, last = f.last_day, cur = currency;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(kPaymentDays));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(amount));
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(first, "first1"));
    st.exchange(soci::use(last, "last1"));
    st.exchange(soci::use(cur, "cur"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::map<core::Id, std::int64_t> out;
    while (st.fetch())
        if (amount != 0) out[owner] = amount;
    return out;
}

}  // namespace otdel::plans::store
