#include "events/notifications.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "db/testing/test_db.hpp"
#include "fake_sink.hpp"
#include "fixtures.hpp"
#include "http/dispatcher.hpp"
#include "http/json.hpp"

namespace otdel::events {
namespace {

namespace json = boost::json;
using db::Engine;
using test_support::FakeSink;

using test_support::kT0;

class NotificationsTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        ws = test_support::CreateWorkspace(t.db(), "alpha");
        anna = test_support::CreateUser(t.db(), ws, "anna@alpha.ru");
        boris = test_support::CreateUser(t.db(), ws, "boris@alpha.ru");
    }
    core::Id NotifyCommitted(const core::Actor& to, const std::string& kind, json::object params = {}) {
        core::Id id = 0;
        auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
            id = Notify(sql, to.workspace_id, to.user_id, kind, params, "/leads/1", clock.NowMs());
            return core::Ok();
        });
        EXPECT_TRUE(r.ok());
        return id;
    }

    otdel::testing::TestDatabase t{GetParam()};
    core::ManualClock clock{kT0};
    LiveHub hub;
    OutboxDispatcher outbox{t.db(), clock};
    NotificationService service{t.db(), clock, hub, outbox};
    core::Id ws = 0;
    core::Actor anna, boris;
};

TEST_P(NotificationsTest, NotifyStoresTheNotification) {
    core::Id id = NotifyCommitted(anna, "security.api_token_created", {{"name", "CI"}});
    auto page = service.List(anna, std::nullopt, 10);
    ASSERT_EQ(page.items.size(), 1u);
    const Notification& n = page.items[0];
    EXPECT_EQ(n.id, id);
    EXPECT_EQ(n.user_id, anna.user_id);
    EXPECT_EQ(n.kind, "security.api_token_created");
    EXPECT_EQ(n.params, (json::object{{"name", "CI"}}));
    EXPECT_EQ(n.link, "/leads/1");
    EXPECT_EQ(n.created_at, kT0);
    EXPECT_EQ(n.read_at, std::nullopt);
}

TEST_P(NotificationsTest, DeliveryThroughTheOutboxReachesTheUsersLiveStream) {
    auto sink = std::make_shared<FakeSink>();
    hub.Attach(ws, anna.user_id, sink);
    core::Id id = NotifyCommitted(anna, "lead.assigned", {{"lead", "ООО Вектор"}});
    EXPECT_TRUE(sink->sent().empty()) << "nothing is pushed before the outbox delivers";
    EXPECT_EQ(outbox.DrainOnce(), 1);
    auto sent = sink->sent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].first, "notification");
    auto body = json::parse(sent[0].second).as_object();
    EXPECT_EQ(body.at("id").to_number<core::Id>(), id);
    EXPECT_EQ(body.at("kind").as_string(), "lead.assigned");
    EXPECT_EQ(body.at("params"), (json::object{{"lead", "ООО Вектор"}}));
    EXPECT_FALSE(body.contains("user_id")) << "the routing field is not sent to the browser";
}

TEST_P(NotificationsTest, DeliveryReachesOnlyTheAddressee) {
    auto annas = std::make_shared<FakeSink>(), boriss = std::make_shared<FakeSink>();
    hub.Attach(ws, anna.user_id, annas);
    hub.Attach(ws, boris.user_id, boriss);
    NotifyCommitted(boris, "lead.assigned");
    outbox.DrainOnce();
    EXPECT_TRUE(annas->sent().empty());
    EXPECT_EQ(boriss->sent().size(), 1u);
}

TEST_P(NotificationsTest, RolledBackNotifyLeavesNoRowAndNoPush) {
    auto sink = std::make_shared<FakeSink>();
    hub.Attach(ws, anna.user_id, sink);
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        Notify(sql, ws, anna.user_id, "lead.assigned", {}, "", kT0);
        return core::Error::Of(core::ErrorCode::kConflict);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(outbox.DrainOnce(), 0);
    EXPECT_TRUE(sink->sent().empty());
    EXPECT_TRUE(service.List(anna, std::nullopt, 10).items.empty());
}

TEST_P(NotificationsTest, ListPagesNewestFirst) {
    std::vector<core::Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(NotifyCommitted(anna, "k" + std::to_string(i)));
    auto p1 = service.List(anna, std::nullopt, 2);
    ASSERT_EQ(p1.items.size(), 2u);
    EXPECT_EQ(p1.items[0].id, ids[4]);
    EXPECT_EQ(p1.items[1].id, ids[3]);
    ASSERT_EQ(p1.next_after, ids[3]);
    auto p2 = service.List(anna, p1.next_after, 2);
    ASSERT_EQ(p2.items.size(), 2u);
    EXPECT_EQ(p2.items[0].id, ids[2]);
    auto p3 = service.List(anna, p2.next_after, 2);
    ASSERT_EQ(p3.items.size(), 1u);
    EXPECT_EQ(p3.items[0].id, ids[0]);
    EXPECT_EQ(p3.next_after, std::nullopt);
}

TEST_P(NotificationsTest, ExactlyFullPageHasNoNextPage) {
    NotifyCommitted(anna, "a");
    NotifyCommitted(anna, "b");
    auto p = service.List(anna, std::nullopt, 2);
    EXPECT_EQ(p.items.size(), 2u);
    EXPECT_EQ(p.next_after, std::nullopt);
}

TEST_P(NotificationsTest, ListShowsOnlyTheCallersNotifications) {
    NotifyCommitted(anna, "for.anna");
    NotifyCommitted(boris, "for.boris");
    auto p = service.List(boris, std::nullopt, 10);
    ASSERT_EQ(p.items.size(), 1u);
    EXPECT_EQ(p.items[0].kind, "for.boris");
    EXPECT_EQ(p.unread, 1);
}

TEST_P(NotificationsTest, UnreadCountDropsWhenOneIsRead) {
    core::Id first = NotifyCommitted(anna, "a");
    NotifyCommitted(anna, "b");
    NotifyCommitted(anna, "c");
    EXPECT_EQ(service.List(anna, std::nullopt, 1).unread, 3);
    clock.Advance(1000);
    ASSERT_TRUE(service.MarkRead(anna, first).ok());
    auto p = service.List(anna, std::nullopt, 10);
    EXPECT_EQ(p.unread, 2);
    EXPECT_EQ(p.items.back().read_at, kT0 + 1000);
}

TEST_P(NotificationsTest, UnreadCountStopsAtOneHundred) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        for (int i = 0; i < 101; ++i) Notify(sql, ws, anna.user_id, "bulk", {}, "", kT0);
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(service.List(anna, std::nullopt, 1).unread, 100);
}

TEST_P(NotificationsTest, MarkingReadTwiceKeepsTheFirstTime) {
    core::Id id = NotifyCommitted(anna, "a");
    ASSERT_TRUE(service.MarkRead(anna, id).ok());
    clock.Advance(5000);
    EXPECT_TRUE(service.MarkRead(anna, id).ok());
    EXPECT_EQ(service.List(anna, std::nullopt, 10).items[0].read_at, kT0);
}

TEST_P(NotificationsTest, MarkReadOfAnotherUsersNotificationIsNotFound) {
    core::Id annas = NotifyCommitted(anna, "a");
    auto r = service.MarkRead(boris, annas);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(service.List(anna, std::nullopt, 10).unread, 1) << "Anna's notification stays unread";
}

TEST_P(NotificationsTest, MarkReadOfAMissingNotificationIsNotFound) {
    EXPECT_EQ(service.MarkRead(anna, 987654).error().code, core::ErrorCode::kNotFound);
}

TEST_P(NotificationsTest, MarkReadIsScopedByWorkspace) {
    core::Id id = NotifyCommitted(anna, "a");
    core::Actor impostor = anna;
    impostor.workspace_id = ws + 1000;
    EXPECT_EQ(service.MarkRead(impostor, id).error().code, core::ErrorCode::kNotFound);
}

// ---- HTTP endpoints, through the router and dispatcher (the guard's work is done by hand here) ----

class NotificationsApiTest : public NotificationsTest {
protected:
    void SetUp() override {
        NotificationsTest::SetUp();
        service.Register(router);
    }
    http::Response Call(std::string method, std::string path, const core::Actor& as,
                        std::multimap<std::string, std::string> query = {}) {
        http::Dispatcher d(router, http::Guard{});
        http::Request req;
        req.method = std::move(method);
        req.path = std::move(path);
        req.query = std::move(query);
        req.actor = as;
        req.request_id = "rid";
        return d.Handle(req);
    }
    http::Router router;
};

TEST_P(NotificationsApiTest, ListEndpointPagesWithACursor) {
    for (int i = 0; i < 3; ++i) NotifyCommitted(anna, "k" + std::to_string(i));
    auto r1 = Call("GET", "/api/v1/notifications", anna, {{"limit", "2"}});
    ASSERT_EQ(r1.status, 200);
    auto b1 = json::parse(r1.body).as_object();
    EXPECT_EQ(b1.at("items").as_array().size(), 2u);
    EXPECT_EQ(b1.at("unread").to_number<int>(), 3);
    ASSERT_TRUE(b1.at("next_cursor").is_string());
    auto r2 = Call("GET", "/api/v1/notifications", anna,
                   {{"limit", "2"}, {"cursor", std::string(b1.at("next_cursor").as_string())}});
    auto b2 = json::parse(r2.body).as_object();
    ASSERT_EQ(b2.at("items").as_array().size(), 1u);
    EXPECT_EQ(b2.at("items").as_array()[0].at("kind").as_string(), "k0");
    EXPECT_TRUE(b2.at("next_cursor").is_null());
}

TEST_P(NotificationsApiTest, ListEndpointRejectsABadLimit) {
    auto r = Call("GET", "/api/v1/notifications", anna, {{"limit", "0"}});
    EXPECT_EQ(r.status, 400);
}

TEST_P(NotificationsApiTest, ReadEndpointAnswers204) {
    core::Id id = NotifyCommitted(anna, "a");
    EXPECT_EQ(Call("POST", "/api/v1/notifications/" + std::to_string(id) + "/read", anna).status, 204);
    EXPECT_EQ(service.List(anna, std::nullopt, 10).unread, 0);
}

TEST_P(NotificationsApiTest, ReadEndpointAnswers404ForSomeoneElsesNotification) {
    core::Id id = NotifyCommitted(anna, "a");
    auto r = Call("POST", "/api/v1/notifications/" + std::to_string(id) + "/read", boris);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(json::parse(r.body).at("code").as_string(), "not_found");
}

TEST_P(NotificationsApiTest, LiveEndpointAttachesTheStreamToTheCaller) {
    auto r = Call("GET", "/api/v1/live", anna);
    ASSERT_TRUE(static_cast<bool>(r.stream));
    auto sink = std::make_shared<FakeSink>();
    r.stream(sink);
    EXPECT_EQ(hub.connections(), 1u);
    NotifyCommitted(anna, "a");
    outbox.DrainOnce();
    EXPECT_EQ(sink->sent().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotificationsTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });
INSTANTIATE_TEST_SUITE_P(Engines, NotificationsApiTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::events
