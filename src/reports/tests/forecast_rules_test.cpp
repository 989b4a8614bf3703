// The statistical forecast prepared once for several "as of" instants (the report's forecast with its backtest): on
// a hand-computed history where deals come back to a stage (only the first entry is a passage, and only when it lies
// before "as of"), and on a random history against the plain count written out from the definition
// (docs/reports.md) — StatisticalForecast, RunBacktest and ForecastWithBacktest must all give the same numbers.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "report_samples.hpp"
#include "reports/report.hpp"

namespace otdel::reports {
namespace {

using core::kDay;

using test_support::Ptrs;
using test_support::Stages;

DealFact Deal(core::Id id, const std::string& status, std::int64_t amount, std::vector<StageEntry> history) {
    DealFact d;
    d.id = id;
    d.pipeline_id = 1;
    d.status = status;
    d.amount_minor = amount;
    d.history = std::move(history);
    d.stage_id = d.history.back().stage_id;
    d.created_at = d.history.front().at;
    if (status != "open") d.closed_at = d.history.back().at;
    return d;
}

TEST(ReportForecastPrepared, ReturnsToAStageCountOnceFromTheFirstEntry) {
    const auto st = Stages();
    const core::Millis t0 = 100 * kDay;
    std::vector<DealFact> deals = {
        // Negotiation on day 0, back to New on day 1, Negotiation again on day 3, won on day 8: one passage through
        // Negotiation of 8 days (from its first entry), won.
        Deal(1, "won", 100, {{2, 0}, {1, 1 * kDay}, {2, 3 * kDay}, {4, 8 * kDay}}),
        // Negotiation on day 10, lost on day 12: 2 days, lost.
        Deal(2, "lost", 100, {{2, 10 * kDay}, {5, 12 * kDay}}),
        // Open in Negotiation since t0 − 1 day, amount 1000.
        Deal(3, "open", 1000, {{2, t0 - kDay}}),
    };
    const auto ptrs = Ptrs(deals);
    // As of t0 over [t0, t0 + 10 d): Negotiation has 2 passages (8 d won, 2 d lost), 1 won: 50 %, median to win 8 d.
    // Deal 3 is 1 day old: alive = both (8 > 1, 2 > 1); won within (1, 11] days: the 8-day one → 1/2 → 500.
    const auto f = StatisticalForecast(st, ptrs, t0, t0 + 10 * kDay, t0);
    EXPECT_EQ(f.stages[1].sample, 2);
    EXPECT_EQ(f.stages[1].won, 1);
    EXPECT_EQ(*f.stages[1].win_bp, 5000);
    EXPECT_EQ(*f.stages[1].median_to_win_ms, 8 * kDay);
    // New: deal 1 entered it on day 1 and was won on day 8: 7 days.
    EXPECT_EQ(f.stages[0].sample, 1);
    EXPECT_EQ(*f.stages[0].median_to_win_ms, 7 * kDay);
    EXPECT_EQ(f.expected, 500);
    // As of day 9 (deal 1 closed on day 8 is history, deal 2 not yet entered): Negotiation 1 passage, won.
    const auto g = StatisticalForecast(st, ptrs, 9 * kDay, 20 * kDay, 9 * kDay);
    EXPECT_EQ(g.stages[1].sample, 1);
    EXPECT_EQ(g.stages[1].won, 1);
    // Prepared once, the same numbers.
    const auto [pf, pb] =
        ForecastWithBacktest(st, ptrs, t0, t0 + 10 * kDay, t0, {{9 * kDay, 20 * kDay}, {0, 10 * kDay}});
    EXPECT_EQ(pf.expected, f.expected);
    EXPECT_EQ(pf.stages[1].sample, 2);
    ASSERT_EQ(pb.rows.size(), 2u);
    EXPECT_EQ(pb.rows[0].forecast, g.expected);
    // Over [0, 10 d) deal 1 (won on day 8) is the actual: 100; nothing was history at day 0: forecast 0.
    EXPECT_EQ(pb.rows[1].actual, 100);
    EXPECT_EQ(pb.rows[1].forecast, 0);
}

// The plain count from the definition: passages = each closed deal's first entry into each stage before as_of.
StatForecast Plain(const std::vector<StageInfo>& st, const std::vector<const DealFact*>& ptrs, core::Millis from,
                   core::Millis to, core::Millis as_of) {
    struct P {
        core::Millis duration;
        bool won;
    };
    std::map<core::Id, std::vector<P>> passages;
    for (const auto* d : ptrs) {
        if (!d->closed_at || *d->closed_at >= as_of || d->status == "open") continue;
        std::set<core::Id> seen;
        for (const auto& e : d->history)
            if (e.at < as_of && seen.insert(e.stage_id).second)
                passages[e.stage_id].push_back({*d->closed_at - e.at, d->status == "won"});
    }
    StatForecast out;
    for (const auto& s : st) {
        if (s.kind != "open") continue;
        StatForecast::StageStat x;
        x.stage_id = s.id;
        std::vector<std::int64_t> won;
        for (const auto& p : passages[s.id]) {
            ++x.sample;
            if (p.won) won.push_back(p.duration);
        }
        x.won = static_cast<long long>(won.size());
        x.win_bp = RatioBp(x.won, x.sample);
        x.median_to_win_ms = Median(won);
        out.stages.push_back(x);
    }
    __int128 expected = 0;
    for (const auto* d : ptrs) {
        if (d->status == "won" && *d->closed_at >= from && *d->closed_at < as_of) out.won_so_far += d->amount_minor;
        if (d->created_at > as_of || (d->closed_at && *d->closed_at <= as_of)) continue;
        std::optional<StageEntry> cur;
        for (const auto& e : d->history)
            if (e.at <= as_of) cur = e;
        if (!cur || cur->stage_id > 3) continue;
        ++out.open_deals;
        const core::Millis age = as_of - cur->at, horizon = age + (to - as_of);
        long long alive = 0, won = 0;
        for (const auto& p : passages[cur->stage_id]) {
            if (p.duration <= age) continue;
            ++alive;
            if (p.won && p.duration <= horizon) ++won;
        }
        if (alive && won) expected += (static_cast<__int128>(d->amount_minor) * won * 2 + alive) / (2 * alive);
    }
    out.expected = out.won_so_far + static_cast<std::int64_t>(expected);
    return out;
}

TEST(ReportForecastPrepared, EqualsThePlainCountWithReturnsOnRandomHistory) {
    const auto st = Stages();
    std::mt19937_64 rng(20261204);
    std::vector<DealFact> deals;
    const core::Millis t0 = 1'760'000'000'000;
    for (int i = 0; i < 600; ++i) {
        std::vector<StageEntry> h;
        core::Millis at = t0 + static_cast<core::Millis>(rng() % 90) * kDay;
        const int steps = 1 + static_cast<int>(rng() % 5);
        for (int k = 0; k < steps; ++k) {
            h.push_back({st[rng() % 3].id, at});                // any open stage, returns included
            at += static_cast<core::Millis>(rng() % 4) * kDay;  // 0: two entries at the same instant
        }
        const int end = static_cast<int>(rng() % 3);
        if (end != 0) h.push_back({end == 1 ? 4 : 5, at});
        deals.push_back(Deal(i + 1,
                             end == 0   ? "open"
                             : end == 1 ? "won"
                                        : "lost",
                             1000 + static_cast<std::int64_t>(rng() % 100000), std::move(h)));
    }
    const auto ptrs = Ptrs(deals);
    std::vector<std::pair<core::Millis, core::Millis>> periods;
    for (int p = 0; p < 6; ++p) periods.emplace_back(t0 + (20 + 10 * p) * kDay, t0 + (30 + 10 * p) * kDay);
    const core::Millis from = t0 + 80 * kDay, to = t0 + 110 * kDay, as_of = t0 + 95 * kDay;
    const auto [f, b] = ForecastWithBacktest(st, ptrs, from, to, as_of, periods);
    const auto plain = Plain(st, ptrs, from, to, as_of);
    EXPECT_GT(plain.expected, plain.won_so_far);  // the estimate part is exercised
    EXPECT_EQ(f.expected, plain.expected);
    EXPECT_EQ(f.won_so_far, plain.won_so_far);
    EXPECT_EQ(f.open_deals, plain.open_deals);
    ASSERT_EQ(f.stages.size(), plain.stages.size());
    for (std::size_t i = 0; i < f.stages.size(); ++i) {
        EXPECT_EQ(f.stages[i].sample, plain.stages[i].sample);
        EXPECT_EQ(f.stages[i].won, plain.stages[i].won);
        EXPECT_EQ(f.stages[i].median_to_win_ms, plain.stages[i].median_to_win_ms);
    }
    const auto single = StatisticalForecast(st, ptrs, from, to, as_of);
    EXPECT_EQ(single.expected, f.expected);
    const auto alone = RunBacktest(st, ptrs, periods);
    ASSERT_EQ(b.rows.size(), periods.size());
    ASSERT_EQ(alone.rows.size(), periods.size());
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const auto [pf, pt] = periods[i];
        EXPECT_EQ(b.rows[i].forecast, Plain(st, ptrs, pf, pt, pf).expected) << i;
        EXPECT_EQ(b.rows[i].forecast, alone.rows[i].forecast) << i;
        EXPECT_EQ(b.rows[i].actual, alone.rows[i].actual) << i;
    }
    EXPECT_EQ(b.mape_bp, alone.mape_bp);
}

}  // namespace
}  // namespace otdel::reports
