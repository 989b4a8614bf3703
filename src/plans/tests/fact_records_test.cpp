// The records behind a plan vs fact figure, on a small hand-computed set: the list is exactly what the KPI formula
// counts (same deals, same payments, same currency rule), so it always adds up to the figure.
#include <gtest/gtest.h>

#include "plans/fact_records.hpp"

namespace otdel::plans {
namespace {

using core::kDay;

KpiWindow RecordsWindow() {
    KpiWindow w;
    w.from = 100 * kDay;
    w.to = 130 * kDay;
    w.now = 128 * kDay;
    w.currency = "RUB";
    return w;
}

DealRow Deal(core::Id id, std::string status, std::int64_t amount, std::optional<core::Millis> closed,
             std::string client = "", std::string currency = "RUB") {
    DealRow d;
    d.id = id;
    d.owner = 7;
    d.status = std::move(status);
    d.amount_minor = amount;
    d.created_at = 90 * kDay;
    d.closed_at = closed;
    d.client_key = std::move(client);
    d.currency = std::move(currency);
    return d;
}

KpiInputs Inputs() {
    KpiInputs in;
    in.deals = {
        Deal(1, "won", 100'000, 105 * kDay, "c1"),        // counts
        Deal(2, "won", 300'000, 129 * kDay, "c2"),        // counts (the window's last day)
        Deal(3, "won", 50'000, 130 * kDay, "c3"),         // the day after: not this window
        Deal(4, "lost", 70'000, 120 * kDay, "c4"),        // lost: never revenue
        Deal(5, "open", 90'000, std::nullopt, "c5"),      // open
        Deal(6, "won", 20'000, 110 * kDay, "c6", "EUR"),  // won, but another currency: a deal won, not revenue
    };
    in.first_wins = {Deal(1, "won", 100'000, 105 * kDay, "c1"), Deal(6, "won", 20'000, 110 * kDay, "c6", "EUR"),
                     Deal(9, "won", 10'000, 105 * kDay, "")};  // no client: not a new client
    in.payments = {{11, 1, 7, 40'000, "RUB", "2026-01-05"},
                   {12, 2, 7, 60'000, "RUB", "2026-01-06"},
                   {13, 6, 7, 5'000, "EUR", "2026-01-07"}};
    return in;
}

TEST(FactRecords, RevenueIsTheWonDealsOfTheWindowInItsCurrency) {
    const auto in = Inputs();
    const auto r = RecordsBehind(PlanMetric::kRevenue, in, RecordsWindow());
    EXPECT_EQ(r.kind, "deals");
    EXPECT_EQ(r.deal_ids, (std::vector<core::Id>{1, 2}));
    EXPECT_EQ(r.amount_minor, 400'000);
    EXPECT_EQ(r.value, Compute(KpiCode::kRevenue, in, RecordsWindow()).value);
}

TEST(FactRecords, DealsWonCountsEveryCurrency) {
    const auto in = Inputs();
    const auto r = RecordsBehind(PlanMetric::kDealsWon, in, RecordsWindow());
    EXPECT_EQ(r.deal_ids, (std::vector<core::Id>{1, 2, 6}));
    EXPECT_EQ(r.count, 3);
    EXPECT_EQ(r.value, Compute(KpiCode::kDealsWon, in, RecordsWindow()).value);
}

TEST(FactRecords, NewClientsAreTheFirstWinsWithAClient) {
    const auto in = Inputs();
    const auto r = RecordsBehind(PlanMetric::kNewClients, in, RecordsWindow());
    EXPECT_EQ(r.deal_ids, (std::vector<core::Id>{1, 6}));
    EXPECT_EQ(r.value, 2);
    EXPECT_EQ(r.value, Compute(KpiCode::kNewClients, in, RecordsWindow()).value);
}

TEST(FactRecords, PaymentsReceivedInTheWindowsCurrency) {
    const auto in = Inputs();
    const auto r = RecordsBehind(PlanMetric::kPaymentsReceived, in, RecordsWindow());
    EXPECT_EQ(r.kind, "payments");
    EXPECT_EQ(r.payment_ids, (std::vector<core::Id>{11, 12}));
    EXPECT_EQ(r.amount_minor, 100'000);
    EXPECT_EQ(r.value, Compute(KpiCode::kPaymentsReceived, in, RecordsWindow()).value);
}

TEST(FactRecords, CallsAndMeetingsOfTheRowsPeopleOnly) {
    const std::vector<ActivityRef> refs = {
        {1, 7, "call"}, {2, 7, "meeting"}, {3, 8, "call"}, {4, std::nullopt, "call"}, {5, 9, "call"}};
    const auto calls = ActivityRecords("call", refs, {7, 8});
    EXPECT_EQ(calls.kind, "activities");
    EXPECT_EQ(calls.activity_ids, (std::vector<core::Id>{1, 3}));
    EXPECT_EQ(calls.value, 2);
    const auto meetings = ActivityRecords("meeting", refs, {7});
    EXPECT_EQ(meetings.activity_ids, (std::vector<core::Id>{2}));
    EXPECT_EQ(ActivityRecords("call", refs, {}).count, 0);
}

}  // namespace
}  // namespace otdel::plans
