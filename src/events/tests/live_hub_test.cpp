#include "events/live_hub.hpp"

#include <gtest/gtest.h>

#include "fake_sink.hpp"

namespace otdel::events {
namespace {

using test_support::FakeSink;

class LiveHubTest : public ::testing::Test {
protected:
    std::shared_ptr<FakeSink> Attach(core::Id ws, core::Id user) {
        auto sink = std::make_shared<FakeSink>();
        hub.Attach(ws, user, sink);
        return sink;
    }
    LiveHub hub;
};

TEST_F(LiveHubTest, PublishReachesEveryStreamOfThatUserOnly) {
    auto tab1 = Attach(1, 10), tab2 = Attach(1, 10), colleague = Attach(1, 11), other_ws = Attach(2, 10);
    EXPECT_EQ(hub.Publish(1, 10, "notification", R"({"id":5})"), 2);
    using Sent = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(tab1->sent(), (Sent{{"notification", R"({"id":5})"}}));
    EXPECT_EQ(tab2->sent(), tab1->sent());
    EXPECT_TRUE(colleague->sent().empty());
    EXPECT_TRUE(other_ws->sent().empty());
}

TEST_F(LiveHubTest, PublishToAUserWithoutStreamsReachesNobody) {
    Attach(1, 10);
    EXPECT_EQ(hub.Publish(1, 99, "notification", "{}"), 0);
}

TEST_F(LiveHubTest, ClosedStreamIsRemoved) {
    auto tab1 = Attach(1, 10), tab2 = Attach(1, 10);
    EXPECT_EQ(hub.connections(), 2u);
    tab1->Close();
    EXPECT_EQ(hub.connections(), 1u);
    EXPECT_EQ(hub.Publish(1, 10, "notification", "{}"), 1);
    EXPECT_TRUE(tab1->sent().empty());
    EXPECT_EQ(tab2->sent().size(), 1u);
}

TEST_F(LiveHubTest, ClosingOneStreamKeepsTheUsersOthers) {
    auto a = Attach(1, 10), b = Attach(1, 10), c = Attach(1, 10);
    b->Close();
    EXPECT_EQ(hub.connections(), 2u);
    EXPECT_EQ(hub.Publish(1, 10, "e", "{}"), 2);
}

TEST_F(LiveHubTest, AlreadyClosedStreamIsNotKept) {
    auto sink = std::make_shared<FakeSink>();
    sink->Close();
    hub.Attach(1, 10, sink);
    EXPECT_EQ(hub.connections(), 0u);
    EXPECT_EQ(hub.Publish(1, 10, "e", "{}"), 0);
}

TEST_F(LiveHubTest, DroppedStreamIsSkipped) {
    auto kept = Attach(1, 10);
    { auto gone = Attach(1, 10); }  // the server released the connection without closing it
    EXPECT_EQ(hub.Publish(1, 10, "e", "{}"), 1);
}

}  // namespace
}  // namespace otdel::events
