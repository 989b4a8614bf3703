// The reports' pure maths on small hand-computed data: medians and percentiles, the funnel (reached, conversion,
// median stay), win/loss with loss reasons, manager activity per person and day, the weighted pipeline, forecast
// categories rolled up the tree, the statistical forecast and its backtest, schedules' next run, and periods.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "report_samples.hpp"
#include "reports/report.hpp"

namespace otdel::reports {
namespace {

using core::kDay;
using core::kHour;

using test_support::Ptrs;
using test_support::Stages;

DealFact Deal(core::Id id, core::Id stage, const std::string& status, std::int64_t amount,
              std::vector<StageEntry> history, std::optional<core::Id> owner = 7) {
    DealFact d;
    d.id = id;
    d.pipeline_id = 1;
    d.stage_id = stage;
    d.status = status;
    d.amount_minor = amount;
    d.history = std::move(history);
    d.owner = owner;
    d.created_at = d.history.empty() ? 0 : d.history.front().at;
    if (status != "open") d.closed_at = d.history.back().at;
    return d;
}

TEST(ReportMaths, MedianPercentileRatio) {
    EXPECT_FALSE(Median({}).has_value());
    EXPECT_EQ(*Median({5, 1, 3}), 3);
    EXPECT_EQ(*Median({4, 1, 3, 2}), 2);  // (2 + 3) / 2 floored
    EXPECT_EQ(*Percentile({10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 90), 90);
    EXPECT_EQ(*Percentile({1, 2, 3}, 90), 3);
    EXPECT_EQ(*RatioBp(1, 3), 3333);
    EXPECT_EQ(*RatioBp(2, 3), 6667);
    EXPECT_FALSE(RatioBp(1, 0).has_value());
}

TEST(ReportFunnel, ReachedConversionAndStay) {
    const auto st = Stages();
    std::vector<DealFact> deals = {
        // New → Negotiation (2 days) → Invoice (3 days) → Won (1 day)
        Deal(1, 4, "won", 100'00, {{1, 0}, {2, 2 * kDay}, {3, 5 * kDay}, {4, 6 * kDay}}),
        // New → Negotiation (4 days) → Lost
        Deal(2, 5, "lost", 50'00, {{1, 0}, {2, 4 * kDay}, {5, 10 * kDay}}),
        // New, still open
        Deal(3, 1, "open", 30'00, {{1, 0}}),
        // Created straight into Invoice, open (skips the earlier ones: still reached them by position)
        Deal(4, 3, "open", 20'00, {{3, 0}}),
    };
    const auto f = BuildFunnel(st, Ptrs(deals));
    EXPECT_EQ(f.deals, 4);
    EXPECT_EQ(f.amount, 200'00);
    EXPECT_EQ(f.won, 1);
    EXPECT_EQ(f.lost, 1);
    // Reached: New 4, Negotiation 3 (1, 2, 4), Invoice 2 (1, 4), Won 1, Lost 1.
    EXPECT_EQ(f.stages[0].reached, 4);
    EXPECT_EQ(f.stages[1].reached, 3);
    EXPECT_EQ(f.stages[1].reached_amount, 170'00);
    EXPECT_EQ(f.stages[2].reached, 2);
    EXPECT_EQ(f.stages[3].reached, 1);
    EXPECT_EQ(f.stages[4].reached, 1);
    EXPECT_FALSE(f.stages[0].conversion_bp.has_value());
    EXPECT_EQ(*f.stages[1].conversion_bp, 7500);
    EXPECT_EQ(*f.stages[2].conversion_bp, 6667);
    EXPECT_EQ(*f.stages[3].conversion_bp, 5000);  // won of the last open stage
    // Now in stage.
    EXPECT_EQ(f.stages[0].current, 1);
    EXPECT_EQ(f.stages[0].current_amount, 30'00);
    EXPECT_EQ(f.stages[2].current, 1);
    // Stays in Negotiation: 3 days (deal 1) and 6 days (deal 2): median 4.5 days.
    EXPECT_EQ(f.stages[1].stays, 2);
    EXPECT_EQ(*f.stages[1].median_stay_ms, 4 * kDay + 12 * kHour);
    // New: 2 days and 4 days (deal 3 is still there: not a completed stay).
    EXPECT_EQ(*f.stages[0].median_stay_ms, 3 * kDay);
    EXPECT_EQ(f.stages[2].stays, 1);
    EXPECT_FALSE(f.stages[3].median_stay_ms.has_value());
}

TEST(ReportWinLoss, RatesByPersonAndReasons) {
    std::vector<DealFact> deals = {
        Deal(1, 4, "won", 100'00, {{1, 0}, {4, kDay}}, 7), Deal(2, 4, "won", 200'00, {{1, 0}, {4, kDay}}, 7),
        Deal(3, 5, "lost", 50'00, {{1, 0}, {5, kDay}}, 7), Deal(4, 5, "lost", 70'00, {{1, 0}, {5, kDay}}, 8),
        Deal(5, 1, "open", 999'00, {{1, 0}}, 8),
    };
    deals[2].loss_reason = 11;
    deals[3].loss_reason = 11;
    deals[0].products = {3, 4};
    const auto w = BuildWinLoss(Ptrs(deals), "person");
    EXPECT_EQ(w.total.won, 2);
    EXPECT_EQ(w.total.lost, 2);
    EXPECT_EQ(*w.total.win_rate_bp, 5000);
    ASSERT_EQ(w.rows.size(), 2u);
    EXPECT_EQ(w.rows[0].key, "7");
    EXPECT_EQ(*w.rows[0].win_rate_bp, 6667);
    EXPECT_EQ(w.rows[0].won_amount, 300'00);
    EXPECT_EQ(w.rows[1].key, "8");
    EXPECT_EQ(*w.rows[1].win_rate_bp, 0);
    ASSERT_EQ(w.reasons.size(), 1u);
    EXPECT_EQ(w.reasons[0].count, 2);
    EXPECT_EQ(w.reasons[0].amount, 120'00);
    // By product: deal 1 counts under both of its products; the others under "none".
    const auto p = BuildWinLoss(Ptrs(deals), "product");
    ASSERT_EQ(p.rows.size(), 3u);
    EXPECT_EQ(p.rows[0].key, "");
    EXPECT_EQ(p.rows[0].won, 1);
    EXPECT_EQ(p.rows[0].lost, 2);
    EXPECT_EQ(p.rows[1].key, "3");
    EXPECT_EQ(p.rows[1].won, 1);
}

TEST(ReportActivity, PerPersonAndDay) {
    std::vector<ActivityFact> acts = {
        {1, "call", 7, "2026-03-02", true}, {2, "call", 7, "2026-03-02", true},  {3, "meeting", 7, "2026-03-03", false},
        {4, "task", 7, "2026-03-03", true}, {5, "task", 8, "2026-03-03", false}, {6, "note", 8, "2026-03-03", true},
    };
    DealFact won = Deal(1, 4, "won", 500'00, {{1, 0}, {4, kDay}}, 7);
    std::vector<DealDays> deals = {{&won, "2026-03-02", "2026-03-03"}};
    std::vector<ResponseFact> resp = {{1, 7, "2026-03-02", 10 * 60'000, false},
                                      {2, 7, "2026-03-02", 30 * 60'000, true},
                                      {3, 8, "2026-03-03", std::nullopt, true}};
    const auto r = BuildActivity(acts, deals, resp);
    ASSERT_EQ(r.by_person.size(), 2u);
    const auto& p7 = r.by_person[0];
    EXPECT_EQ(p7.calls, 2);
    EXPECT_EQ(p7.meetings, 1);
    EXPECT_EQ(p7.tasks, 1);
    EXPECT_EQ(p7.tasks_done, 1);
    EXPECT_EQ(p7.deals_created, 1);
    EXPECT_EQ(p7.deals_won, 1);
    EXPECT_EQ(p7.won_amount, 500'00);
    EXPECT_EQ(p7.leads_taken, 2);
    EXPECT_EQ(p7.breaches, 1);
    EXPECT_EQ(*p7.response_median_ms, 20 * 60'000);
    EXPECT_EQ(*p7.response_p90_ms, 30 * 60'000);
    const auto& p8 = r.by_person[1];
    EXPECT_EQ(p8.tasks, 1);
    EXPECT_EQ(p8.tasks_done, 0);
    EXPECT_EQ(p8.calls, 0);  // a note is not a call
    EXPECT_FALSE(p8.response_median_ms.has_value());
    // Person 7 on two days, person 8 on one.
    EXPECT_EQ(r.by_person_day.size(), 3u);
    EXPECT_EQ(r.total.calls, 2);
    EXPECT_EQ(r.total.leads_taken, 3);
}

TEST(ReportForecast, WeightedPipelineRoundsPerDeal) {
    const auto st = Stages();
    std::vector<DealFact> deals = {Deal(1, 1, "open", 1005, {{1, 0}}), Deal(2, 2, "open", 333, {{2, 0}}),
                                   Deal(3, 2, "open", 1000, {{2, 0}}), Deal(4, 4, "won", 5000, {{4, 0}})};
    const auto w = WeightedPipeline(st, Ptrs(deals));
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0].weighted, 101);  // 100.5 → 101
    EXPECT_EQ(w[1].deals, 2);
    EXPECT_EQ(w[1].amount, 1333);
    EXPECT_EQ(w[1].weighted, 133 + 400);  // 133.2 → 133, 400
    EXPECT_EQ(w[2].deals, 0);
    EXPECT_EQ(Weighted(-1005, 10), -101);
}

TEST(ReportForecast, CategoriesRollUpTheTree) {
    // Sales (1) ← Team A (2) ← Group A1 (3); Team B (4) under Sales.
    std::vector<DeptInfo> tree = {
        {1, std::nullopt, "Продажи"}, {2, 1, "Команда А"}, {3, 2, "Группа А1"}, {4, 1, "Команда Б"}};
    std::vector<DealFact> deals(6);
    auto set = [&](int i, std::optional<core::Id> dept, const std::string& status, const std::string& cat,
                   std::int64_t amount) {
        deals[i].id = i + 1;
        deals[i].department = dept;
        deals[i].status = status;
        deals[i].forecast_category = cat;
        deals[i].amount_minor = amount;
    };
    set(0, 3, "open", "commit", 100);
    set(1, 3, "won", "pipeline", 1000);
    set(2, 2, "open", "best_case", 10);
    set(3, 4, "open", "pipeline", 5);
    set(4, 4, "lost", "commit", 777);  // lost: not in any category
    set(5, std::nullopt, "open", "commit", 3);
    const auto nodes = CategoriesByTree(tree, Ptrs(deals));
    ASSERT_EQ(nodes.size(), 5u);
    EXPECT_EQ(nodes[0].rolled.commit, 100);
    EXPECT_EQ(nodes[0].rolled.closed, 1000);
    EXPECT_EQ(nodes[0].rolled.best_case, 10);
    EXPECT_EQ(nodes[0].rolled.pipeline, 5);
    EXPECT_EQ(nodes[0].rolled.deals, 4);
    EXPECT_EQ(nodes[0].own.deals, 0);
    EXPECT_EQ(nodes[1].rolled.commit, 100);  // Team A has its group's commit
    EXPECT_EQ(nodes[1].own.best_case, 10);
    EXPECT_EQ(nodes[2].own.closed, 1000);
    EXPECT_EQ(nodes[3].rolled.pipeline, 5);
    EXPECT_FALSE(nodes[4].department.has_value());  // no department
    EXPECT_EQ(nodes[4].own.commit, 3);
}

TEST(ReportForecast, StatisticalFromHistoryAndBacktest) {
    const auto st = Stages();
    const core::Millis t0 = 100 * kDay;
    // History, all closed before t0: of 4 deals that entered Invoice (3), 3 were won, after 2, 4 and 10 days in it;
    // one was lost after 3 days.
    std::vector<DealFact> deals = {
        Deal(1, 4, "won", 100, {{3, 0}, {4, 2 * kDay}}),
        Deal(2, 4, "won", 100, {{3, 10 * kDay}, {4, 14 * kDay}}),
        Deal(3, 4, "won", 100, {{3, 20 * kDay}, {4, 30 * kDay}}),
        Deal(4, 5, "lost", 100, {{3, 40 * kDay}, {5, 43 * kDay}}),
        // Open at t0: in Invoice since t0 − 1 day, amount 1000.
        Deal(5, 3, "open", 1000, {{3, t0 - kDay}}),
    };
    // Window: the next 5 days. Past deals still open after 1 day in Invoice: all 4; won within 1..6 days: 2 and 4.
    // (2 days and 4 days) → 2/4 → 500.
    const auto f = StatisticalForecast(st, Ptrs(deals), t0, t0 + 5 * kDay, t0);
    EXPECT_EQ(f.open_deals, 1);
    EXPECT_EQ(f.won_so_far, 0);
    EXPECT_EQ(f.expected, 500);
    const auto& invoice = f.stages[2];
    EXPECT_EQ(invoice.sample, 4);
    EXPECT_EQ(invoice.won, 3);
    EXPECT_EQ(*invoice.win_bp, 7500);
    EXPECT_EQ(*invoice.median_to_win_ms, 4 * kDay);
    // At age 3 days (as of t0 + 2 days, window to t0 + 5 days): alive past deals = durations > 3: 4 and 10 days
    // (the lost one closed at exactly 3 days); won within (3, 6] days: the 4-day one → 1/2 → 500.
    const auto g = StatisticalForecast(st, Ptrs(deals), t0, t0 + 5 * kDay, t0 + 2 * kDay);
    EXPECT_EQ(g.expected, 500);

    // Backtest over [0, 15 days): as of day 0 nothing is in the history, so the forecast is 0 and the actual
    // 200 (deals 1 and 2 won on days 2 and 14): error 100 %. Over [15, 35): deal 3 won on day 30: actual 100;
    // as of day 15 the history has deals 1 and 2 (both won); deal 3 is in Invoice since day 20: not open yet at
    // day 15 (created day 20) → forecast 0 → error 100 %.
    const auto b = RunBacktest(st, Ptrs(deals), {{0, 15 * kDay}, {15 * kDay, 35 * kDay}});
    ASSERT_EQ(b.rows.size(), 2u);
    EXPECT_EQ(b.rows[0].actual, 200);
    EXPECT_EQ(b.rows[0].forecast, 0);
    EXPECT_EQ(*b.rows[0].error_bp, 10000);
    EXPECT_EQ(b.rows[1].actual, 100);
    EXPECT_EQ(*b.mape_bp, 10000);
    // As of day 21 over [21, 35): deal 3 open in Invoice for 1 day; history: deals 1 (2 d) and 2 (4 d), both won,
    // both alive at 1 day, both won within 1 + 14 days → 100 %: forecast 100 = actual: error 0.
    const auto c = RunBacktest(st, Ptrs(deals), {{21 * kDay, 35 * kDay}});
    EXPECT_EQ(c.rows[0].forecast, 100);
    EXPECT_EQ(*c.rows[0].error_bp, 0);
}

// The forecast's per-deal estimate by binary search over sorted passages equals the plain count over every passage
// (the definition in docs/reports.md), on a random history with ties in durations.
TEST(ReportForecast, StatisticalEqualsThePlainCountOnRandomHistory) {
    const auto st = Stages();
    std::mt19937_64 rng(7);
    std::vector<DealFact> deals;
    const core::Millis t0 = 1'760'000'000'000;
    for (int i = 0; i < 400; ++i) {
        DealFact d;
        d.id = i + 1;
        d.created_at = t0 + static_cast<core::Millis>(rng() % 60) * kDay;
        d.amount_minor = 1000 + static_cast<std::int64_t>(rng() % 100000);
        core::Millis at = d.created_at;
        const int steps = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < steps; ++k) {
            d.history.push_back({st[k].id, at});
            at += static_cast<core::Millis>(1 + rng() % 5) * kDay;  // whole days: many equal durations
        }
        const int end = static_cast<int>(rng() % 3);
        if (end == 0) {
            d.stage_id = d.history.back().stage_id;
        } else {
            d.status = end == 1 ? "won" : "lost";
            d.stage_id = end == 1 ? 4 : 5;
            d.history.push_back({d.stage_id, at});
            d.closed_at = at;
        }
        deals.push_back(d);
    }
    const auto ptrs = Ptrs(deals);
    for (core::Millis as_of : {t0 + 30 * kDay, t0 + 45 * kDay, t0 + 70 * kDay}) {
        const core::Millis from = as_of - 3 * kDay, to = as_of + 20 * kDay;
        // The plain count.
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
        __int128 expected = 0;
        std::int64_t won_so_far = 0;
        for (const auto* d : ptrs) {
            if (d->status == "won" && *d->closed_at >= from && *d->closed_at < as_of) won_so_far += d->amount_minor;
            if (d->created_at > as_of || (d->closed_at && *d->closed_at <= as_of)) continue;
            std::optional<StageEntry> cur;
            for (const auto& e : d->history)
                if (e.at <= as_of) cur = e;
            if (!cur || cur->stage_id > 3) continue;
            const core::Millis age = as_of - cur->at, horizon = age + (to - as_of);
            long long alive = 0, won = 0;
            for (const auto& p : passages[cur->stage_id]) {
                if (p.duration <= age) continue;
                ++alive;
                if (p.won && p.duration <= horizon) ++won;
            }
            if (alive && won) expected += (static_cast<__int128>(d->amount_minor) * won * 2 + alive) / (2 * alive);
        }
        const auto f = StatisticalForecast(st, ptrs, from, to, as_of);
        EXPECT_EQ(f.won_so_far, won_so_far);
        EXPECT_EQ(f.expected, won_so_far + static_cast<std::int64_t>(expected)) << as_of;
    }
}

TEST(ReportSchedule, NextRunAndCadenceChecks) {
    // 2026-03-02 is a Monday. Moscow is UTC+3.
    const core::Millis mon_0900_msk = *DayStartMs("Europe/Moscow", "2026-03-02") + 9 * kHour;
    Cadence weekly{"weekly", 3, 1, 8};  // Wednesdays 08:00
    EXPECT_EQ(NextRun(weekly, "Europe/Moscow", mon_0900_msk), *DayStartMs("Europe/Moscow", "2026-03-04") + 8 * kHour);
    Cadence daily{"daily", 1, 1, 8};
    EXPECT_EQ(NextRun(daily, "Europe/Moscow", mon_0900_msk), *DayStartMs("Europe/Moscow", "2026-03-03") + 8 * kHour);
    EXPECT_EQ(NextRun(daily, "Europe/Moscow", mon_0900_msk - 2 * kHour),
              mon_0900_msk - kHour);  // today 08:00 still ahead
    Cadence monthly{"monthly", 1, 1, 8};
    EXPECT_EQ(NextRun(monthly, "Europe/Moscow", mon_0900_msk), *DayStartMs("Europe/Moscow", "2026-04-01") + 8 * kHour);
    EXPECT_TRUE(CheckCadence(weekly).empty());
    EXPECT_EQ(CheckCadence({"hourly", 1, 1, 8}).size(), 1u);
    EXPECT_EQ(CheckCadence({"weekly", 8, 1, 24}).size(), 2u);
    EXPECT_EQ(CheckCadence({"monthly", 1, 31, 8}).size(), 1u);
}

TEST(ReportPeriods, RelativeAndPrevious) {
    EXPECT_EQ(*RelativePeriod("week", "2026-03-04"),
              std::make_pair(std::string("2026-03-02"), std::string("2026-03-08")));
    EXPECT_EQ(*RelativePeriod("month", "2026-02-10"),
              std::make_pair(std::string("2026-02-01"), std::string("2026-02-28")));
    EXPECT_EQ(*RelativePeriod("quarter", "2026-05-10"),
              std::make_pair(std::string("2026-04-01"), std::string("2026-06-30")));
    EXPECT_FALSE(RelativePeriod("fortnight", "2026-05-10").has_value());
    const auto months = PreviousPeriods("2026-03-01", "2026-03-31", 2);
    ASSERT_EQ(months.size(), 2u);
    EXPECT_EQ(months[0], std::make_pair(std::string("2026-01-01"), std::string("2026-01-31")));
    EXPECT_EQ(months[1], std::make_pair(std::string("2026-02-01"), std::string("2026-02-28")));
    const auto weeks = PreviousPeriods("2026-03-09", "2026-03-15", 1);
    EXPECT_EQ(weeks[0], std::make_pair(std::string("2026-03-02"), std::string("2026-03-08")));
    EXPECT_EQ(*DayStartMs("Europe/Moscow", "2026-03-02"), 1'772'398'800'000);  // 2026-03-01T21:00Z
    EXPECT_FALSE(DayStartMs("UTC", "2026-02-30").has_value());
    EXPECT_EQ(AddDays("2026-02-28", 1), "2026-03-01");
}

TEST(ReportPeriods, LocalDaysAcrossZonesAndTransitions) {
    LocalDays msk("Europe/Moscow");
    const core::Millis start = *DayStartMs("Europe/Moscow", "2026-03-02");
    EXPECT_EQ(msk.Of(start), "2026-03-02");
    EXPECT_EQ(msk.Of(start - 1), "2026-03-01");
    EXPECT_EQ(msk.Of(start + kDay - 1), "2026-03-02");
    // Berlin moves to summer time on 2026-03-29: the day after starts an hour earlier in UTC.
    LocalDays berlin("Europe/Berlin");
    const core::Millis mar30 = *DayStartMs("Europe/Berlin", "2026-03-30");
    EXPECT_EQ(berlin.Of(mar30 - 1), "2026-03-29");
    EXPECT_EQ(berlin.Of(mar30), "2026-03-30");
    EXPECT_EQ(berlin.Of(*DayStartMs("Europe/Berlin", "2026-03-28")), "2026-03-28");  // back before the change
    LocalDays unknown("Nowhere/Else");
    EXPECT_EQ(unknown.Of(0), "1970-01-01");
}

}  // namespace
}  // namespace otdel::reports
