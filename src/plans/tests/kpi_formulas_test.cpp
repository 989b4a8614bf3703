// Every KPI formula of the catalog on a small hand-computed data set.
#include <gtest/gtest.h>

#include "plans/kpi.hpp"

namespace otdel::plans {
namespace {

using core::kDay;
// A 30-day window starting at day 100.
KpiWindow Window() {
    KpiWindow w;
    w.from = 100 * kDay;
    w.to = 130 * kDay;
    w.working_days = 20;
    w.calendar_days = 28;
    w.now = 128 * kDay;
    w.currency = "RUB";
    return w;
}

DealRow Deal(core::Id id, core::Id owner, std::string status, std::int64_t amount, core::Millis created,
             std::optional<core::Millis> closed, std::string client = "") {
    DealRow d;
    d.id = id;
    d.owner = owner;
    d.status = std::move(status);
    d.amount_minor = amount;
    d.created_at = created;
    d.closed_at = closed;
    d.client_key = std::move(client);
    return d;
}

std::vector<DealRow> Deals() {
    return {
        Deal(1, 7, "won", 100'000, 90 * kDay, 105 * kDay, "c1"),   // won in window, 15 days to close
        Deal(2, 7, "won", 300'000, 101 * kDay, 111 * kDay, "c2"),  // won in window, 10 days
        Deal(3, 8, "won", 50'000, 60 * kDay, 95 * kDay, "c1"),     // won before the window (previous window)
        Deal(4, 8, "lost", 70'000, 102 * kDay, 120 * kDay, "c3"),  // lost in window
        Deal(5, 8, "open", 80'000, 103 * kDay, std::nullopt, "c4"),
        Deal(6, 7, "won", 200'000, 100 * kDay, 130 * kDay, "c5"),  // closes at `to`: outside
        Deal(7, 8, "won", 40'000, 75 * kDay, 80 * kDay, "c6"),     // previous window; c6 not back
    };
}

TEST(KpiFormulas, RevenueSumsWonDealsClosedInWindowOnly) {
    auto deals = Deals();
    deals.push_back(Deal(8, 7, "won", 999, 100 * kDay, 110 * kDay));
    deals.back().currency = "USD";  // another currency is left out
    const auto v = Compute(KpiCode::kRevenue, KpiInputs{.deals = deals}, Window());
    EXPECT_TRUE(v.defined);
    EXPECT_EQ(v.value, 400'000);
}

TEST(KpiFormulas, DealsWonWinRateAvgSizeTimeToClose) {
    const KpiInputs in{.deals = Deals()};
    EXPECT_EQ(Compute(KpiCode::kDealsWon, in, Window()).value, 2);
    const auto rate = Compute(KpiCode::kWinRate, in, Window());
    EXPECT_EQ(rate.numerator, 2);
    EXPECT_EQ(rate.denominator, 3);
    EXPECT_EQ(rate.value, 6667);  // 66.67 %
    const auto avg = Compute(KpiCode::kAvgDealSize, in, Window());
    EXPECT_EQ(avg.value, 200'000);
    const auto ttc = Compute(KpiCode::kTimeToCloseMedian, in, Window());
    EXPECT_EQ(ttc.value, 12 * kDay + kDay / 2);  // median of 15 and 10 days
}

TEST(KpiFormulas, EmptyRatesAndMediansAreUndefined) {
    const KpiInputs in;
    EXPECT_FALSE(Compute(KpiCode::kWinRate, in, Window()).defined);
    EXPECT_FALSE(Compute(KpiCode::kAvgDealSize, in, Window()).defined);
    EXPECT_FALSE(Compute(KpiCode::kTimeToCloseMedian, in, Window()).defined);
    EXPECT_FALSE(Compute(KpiCode::kFirstResponseMedian, in, Window()).defined);
    EXPECT_TRUE(Compute(KpiCode::kRevenue, in, Window()).defined);
    EXPECT_EQ(Compute(KpiCode::kRevenue, in, Window()).value, 0);
}

TEST(KpiFormulas, RejectionsPerReasonMostFirst) {
    auto deals = Deals();
    deals[3].loss_reason_id = 4;
    deals.push_back(Deal(9, 7, "lost", 1, 100 * kDay, 101 * kDay));
    deals.back().loss_reason_id = 5;
    deals.push_back(Deal(10, 7, "lost", 1, 100 * kDay, 102 * kDay));
    deals.back().loss_reason_id = 5;
    const auto v = Compute(KpiCode::kRejections, KpiInputs{.deals = deals}, Window());
    EXPECT_EQ(v.value, 3);
    ASSERT_EQ(v.parts.size(), 2u);
    EXPECT_EQ(v.parts[0].key, "5");
    EXPECT_EQ(v.parts[0].value, 2);
    EXPECT_EQ(v.parts[1].key, "4");
    EXPECT_EQ(v.parts[1].value, 1);
}

TEST(KpiFormulas, RetentionCountsClientsOfThePreviousWindowWhoBoughtAgain) {
    // Previous window [70, 100): c1 (deal 3) and c6 (deal 7). In the window c1 bought again (deal 1); c6 did not.
    const auto v = Compute(KpiCode::kRetentionRate, KpiInputs{.deals = Deals()}, Window());
    EXPECT_EQ(v.numerator, 1);
    EXPECT_EQ(v.denominator, 2);
    EXPECT_EQ(v.value, 5000);
}

TEST(KpiFormulas, StageConversionFromReachedPositions) {
    const std::vector<StageRow> stages = {{11, "Новая", 0, "open"},
                                          {12, "Замер", 1, "open"},
                                          {13, "Договор", 2, "open"},
                                          {14, "Выиграна", 3, "won"},
                                          {15, "Проиграна", 4, "lost"}};
    std::vector<DealRow> deals = {
        Deal(1, 7, "won", 1, 101 * kDay, 110 * kDay),     // reached everything
        Deal(2, 7, "open", 1, 102 * kDay, std::nullopt),  // new → measure
        Deal(3, 7, "lost", 1, 103 * kDay, 111 * kDay),    // new only, then lost
        Deal(4, 7, "open", 1, 104 * kDay, std::nullopt),  // new → measure → contract
        Deal(5, 7, "won", 1, 50 * kDay, 110 * kDay),      // created before the window: not counted
    };
    deals[0].positions_reached = {0, 1, 2, 3};
    deals[1].positions_reached = {0, 1};
    deals[2].positions_reached = {0, 4};
    deals[3].positions_reached = {0, 1, 2};
    const auto v = StageConversion(deals, stages, Window());
    ASSERT_EQ(v.parts.size(), 3u);
    // reached: new 4, measure 3, contract 2, won 1
    EXPECT_EQ(v.parts[0].numerator, 3);
    EXPECT_EQ(v.parts[0].denominator, 4);
    EXPECT_EQ(v.parts[0].value, 7500);
    EXPECT_EQ(v.parts[1].value, 6667);
    EXPECT_EQ(v.parts[2].value, 5000);
    EXPECT_EQ(v.value, 2500);  // new → won
}

TEST(KpiFormulas, CallsAndMeetingsCountsAndRates) {
    const std::vector<ActivityRow> rows = {{7, "call", 30}, {8, "call", 12}, {7, "meeting", 5}, {7, "task", 9}};
    const KpiInputs in{.activities = rows};
    EXPECT_EQ(Compute(KpiCode::kCalls, in, Window()).value, 42);
    EXPECT_EQ(Compute(KpiCode::kMeetings, in, Window()).value, 5);
    EXPECT_EQ(Compute(KpiCode::kCallsPerDay, in, Window()).value, 210);      // 42 / 20 = 2.10
    EXPECT_EQ(Compute(KpiCode::kCallsPerWeek, in, Window()).value, 1050);    // 42 × 7 / 28 = 10.50
    EXPECT_EQ(Compute(KpiCode::kMeetingsPerDay, in, Window()).value, 25);    // 5 / 20 = 0.25
    EXPECT_EQ(Compute(KpiCode::kMeetingsPerWeek, in, Window()).value, 125);  // 5 × 7 / 28 = 1.25
    KpiWindow none = Window();
    none.working_days = 0;
    EXPECT_FALSE(Compute(KpiCode::kCallsPerDay, in, none).defined);
}

TEST(KpiFormulas, LeadsFirstResponseAndSla) {
    auto a = [](core::Id id, core::Millis at, std::optional<std::int64_t> resp, bool deadline, bool breached) {
        AssignmentRow r;
        r.id = id;
        r.owner = 7;
        r.assigned_at = at;
        r.response_working_ms = resp;
        r.has_deadline = deadline;
        r.breached = breached;
        return r;
    };
    const std::vector<AssignmentRow> rows = {
        a(1, 100 * kDay, 60'000, true, false),
        a(2, 101 * kDay, 120'000, true, false),
        a(3, 102 * kDay, 600'000, true, true),
        a(4, 103 * kDay, std::nullopt, true, true),
        a(5, 104 * kDay, std::nullopt, true, false),  // still running: not decided
        a(6, 105 * kDay, 30'000, false, false),       // no SLA
        a(7, 99 * kDay, 1, true, true),               // before the window
    };
    const KpiInputs in{.assignments = rows};
    EXPECT_EQ(Compute(KpiCode::kLeadsTaken, in, Window()).value, 6);
    // response times in window: 60k, 120k, 600k, 30k → median (60k + 120k) / 2 = 90k; p90 nearest rank 4 → 600k
    EXPECT_EQ(Compute(KpiCode::kFirstResponseMedian, in, Window()).value, 90'000);
    EXPECT_EQ(Compute(KpiCode::kFirstResponseP90, in, Window()).value, 600'000);
    const auto sla = Compute(KpiCode::kSlaBreachRate, in, Window());
    EXPECT_EQ(sla.numerator, 2);
    EXPECT_EQ(sla.denominator, 4);
    EXPECT_EQ(sla.value, 5000);
}

TEST(KpiFormulas, LeadToDeal) {
    const std::vector<LeadRow> rows = {
        {1, 7, 100 * kDay, true}, {2, 7, 101 * kDay, false}, {3, 8, 102 * kDay, false}, {4, 8, 50 * kDay, true}};
    const auto v = Compute(KpiCode::kLeadToDeal, KpiInputs{.leads = rows}, Window());
    EXPECT_EQ(v.numerator, 1);
    EXPECT_EQ(v.denominator, 3);
    EXPECT_EQ(v.value, 3333);
}

TEST(KpiFormulas, PaymentsReceivedInTheWindowCurrency) {
    const std::vector<PaymentRow> rows = {{1, 1, 7, 150'000, "RUB", "2026-12-02"},
                                          {2, 1, 7, 50'000, "RUB", "2026-12-03"},
                                          {3, 2, 8, 9'999, "EUR", "2026-12-03"}};
    EXPECT_EQ(Compute(KpiCode::kPaymentsReceived, KpiInputs{.payments = rows}, Window()).value, 200'000);
}

TEST(KpiFormulas, NewClientsCountsDistinctFirstWinsInWindow) {
    std::vector<DealRow> wins = {Deal(1, 7, "won", 1, 0, 101 * kDay, "c1"), Deal(2, 7, "won", 1, 0, 102 * kDay, "p9"),
                                 Deal(3, 8, "won", 1, 0, 90 * kDay, "c2"), Deal(4, 8, "won", 1, 0, 103 * kDay, "")};
    EXPECT_EQ(Compute(KpiCode::kNewClients, KpiInputs{.first_wins = wins}, Window()).value, 2);
}

TEST(KpiFormulas, CallReviewScoreIsTheMeanOfScores) {
    const std::vector<ReviewRow> rows = {{1, 7, 8000, 10000}, {2, 7, 9000, 10000}, {3, 8, 6500, 10000}};
    const auto v = Compute(KpiCode::kCallReviewScore, KpiInputs{.reviews = rows}, Window());
    EXPECT_EQ(v.value, 7833);  // (8000 + 9000 + 6500) / 3 = 7833.3
}

TEST(KpiFormulas, OfOwnersKeepsOnlyThosePeople) {
    const KpiInputs in{.deals = Deals()};
    const auto mine = OfOwners(in, {8});
    EXPECT_EQ(Compute(KpiCode::kRevenue, mine, Window()).value, 0);
    EXPECT_EQ(Compute(KpiCode::kWinRate, mine, Window()).value, 0);  // 0 won of 1 closed
}

TEST(KpiCatalog, EveryCodeHasOneDefinitionAndAParsableKey) {
    for (const auto& d : Catalog()) {
        ASSERT_EQ(ParseKpi(d.key), d.code) << d.key;
        EXPECT_FALSE(d.name_ru.empty());
        EXPECT_FALSE(d.formula_en.empty());
        EXPECT_NO_THROW(Compute(d.code, KpiInputs{}, Window()));
    }
    EXPECT_EQ(Catalog().size(), 22u);
    EXPECT_FALSE(ParseKpi("happiness"));
}

TEST(KpiMaths, MedianPercentileRatio) {
    EXPECT_EQ(Median({5, 1, 3}), 3);
    EXPECT_EQ(Median({1, 2, 3, 4}), 2);  // (2 + 3) / 2 floored
    EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);
    EXPECT_EQ(Percentile({7}, 90), 7);
    EXPECT_EQ(Ratio(1, 3, 10000), 3333);
    EXPECT_EQ(Ratio(2, 3, 10000), 6667);
    EXPECT_FALSE(Ratio(1, 0, 100));
}

}  // namespace
}  // namespace otdel::plans
