#include "events/outbox.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "db/testing/test_db.hpp"
#include "fixtures.hpp"

namespace otdel::events {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using db::Engine;

using test_support::kT0;
constexpr core::Id kWs = 1;

class OutboxTest : public ::testing::TestWithParam<Engine> {
protected:
    core::Id Commit(const std::string& topic, json::value payload) {
        core::Id id = 0;
        auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
            id = Enqueue(sql, kWs, topic, payload, clock.NowMs());
            return core::Ok();
        });
        EXPECT_TRUE(r.ok());
        return id;
    }
    struct RowState {
        int attempts = -1;
        bool published = false;
    };
    RowState State(core::Id id) {
        return t->Read([&](soci::session& sql) {
            RowState s;
            long long ws = kWs, eid = id, at = 0;
            soci::indicator ind;
            sql << "SELECT attempts, published_at FROM outbox WHERE workspace_id = :ws AND id = :id",
                soci::use(ws, "ws"), soci::use(eid, "id"), soci::into(s.attempts), soci::into(at, ind);
            s.published = ind == soci::i_ok;
            return s;
        });
    }

    otdel::testing::TestDatabase t{GetParam()};
    core::ManualClock clock{kT0};
    OutboxDispatcher outbox{t.db(), clock};
};

TEST_P(OutboxTest, DeliversCommittedEventsInOrderToTheTopicsSubscribers) {
    std::vector<std::int64_t> a, b;
    outbox.Subscribe("lead.created",
                     [&](const OutboxEvent& ev) { a.push_back(ev.payload.at("n").to_number<std::int64_t>()); });
    outbox.Subscribe("lead.created",
                     [&](const OutboxEvent& ev) { b.push_back(ev.payload.at("n").to_number<std::int64_t>()); });
    for (int n = 1; n <= 3; ++n) Commit("lead.created", json::object{{"n", n}});
    EXPECT_EQ(outbox.DrainOnce(), 3);
    EXPECT_EQ(a, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(b, a);
}

TEST_P(OutboxTest, EventCarriesItsWorkspaceIdTopicAndPayload) {
    std::vector<OutboxEvent> got;
    outbox.Subscribe("deal.won", [&](const OutboxEvent& ev) { got.push_back(ev); });
    core::Id id = Commit("deal.won", json::object{{"deal_id", 9}, {"title", "Поставка"}});
    outbox.DrainOnce();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, id);
    EXPECT_EQ(got[0].workspace_id, kWs);
    EXPECT_EQ(got[0].topic, "deal.won");
    EXPECT_EQ(got[0].payload, (json::object{{"deal_id", 9}, {"title", "Поставка"}}));
}

TEST_P(OutboxTest, DeliveredEventsAreMarkedPublishedAndNotDeliveredAgain) {
    int calls = 0;
    outbox.Subscribe("t", [&](const OutboxEvent&) { ++calls; });
    core::Id id = Commit("t", json::object{});
    ASSERT_EQ(outbox.DrainOnce(), 1);
    EXPECT_TRUE(State(id).published);
    EXPECT_EQ(State(id).attempts, 1);
    EXPECT_EQ(outbox.DrainOnce(), 0);
    EXPECT_EQ(calls, 1);
}

TEST_P(OutboxTest, SubscribersOfOtherTopicsHearNothing) {
    int other = 0;
    outbox.Subscribe("deal.won", [&](const OutboxEvent&) { ++other; });
    Commit("lead.created", json::object{});
    outbox.DrainOnce();
    EXPECT_EQ(other, 0);
}

TEST_P(OutboxTest, ThrowingSubscriberLeavesTheEventPendingForALaterDrain) {
    int attempts = 0;
    std::vector<core::Id> delivered;
    outbox.Subscribe("t", [&](const OutboxEvent& ev) {
        if (++attempts == 1) throw std::runtime_error("webhook down");
        delivered.push_back(ev.id);
    });
    core::Id id = Commit("t", json::object{});
    EXPECT_EQ(outbox.DrainOnce(), 0);
    EXPECT_FALSE(State(id).published);
    EXPECT_EQ(State(id).attempts, 1);
    EXPECT_EQ(outbox.DrainOnce(), 1);
    EXPECT_EQ(delivered, (std::vector<core::Id>{id}));
    EXPECT_TRUE(State(id).published);
    EXPECT_EQ(State(id).attempts, 2);
}

TEST_P(OutboxTest, EventsOfARolledBackTransactionAreNeverDelivered) {
    int calls = 0;
    outbox.Subscribe("t", [&](const OutboxEvent&) { ++calls; });
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        Enqueue(sql, kWs, "t", json::object{}, kT0);
        return core::Error::Of(core::ErrorCode::kValidation);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(outbox.DrainOnce(), 0);
    EXPECT_EQ(calls, 0);
}

TEST_P(OutboxTest, UncommittedEventsAreNotDeliveredYet) {
    int calls = 0;
    outbox.Subscribe("t", [&](const OutboxEvent&) { ++calls; });
    if (GetParam() == Engine::kSqlite) {
        // SQLite: a reader sees the last committed snapshot (WAL) while the writer holds its transaction.
        soci::session writer(t->pool());
        writer << "BEGIN IMMEDIATE";
        Enqueue(writer, kWs, "t", json::object{}, kT0);
        EXPECT_EQ(outbox.DrainOnce(), 0);
        writer << "COMMIT";
    } else {
        soci::session writer(t->pool());
        writer << "BEGIN";
        Enqueue(writer, kWs, "t", json::object{}, kT0);
        EXPECT_EQ(outbox.DrainOnce(), 0);
        writer << "COMMIT";
    }
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(outbox.DrainOnce(), 1);
    EXPECT_EQ(calls, 1);
}

TEST_P(OutboxTest, BackgroundThreadDeliversAfterAKick) {
    std::atomic<int> calls{0};
    outbox.Subscribe("t", [&](const OutboxEvent&) { ++calls; });
    outbox.Start();
    Commit("t", json::object{});
    outbox.Kick();
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         calls == 0 && std::chrono::steady_clock::now() < deadline;)
        std::this_thread::sleep_for(10ms);
    outbox.Stop();
    EXPECT_EQ(calls, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::events
