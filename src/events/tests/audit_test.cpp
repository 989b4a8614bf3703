#include "events/audit.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "db/testing/test_db.hpp"
#include "fixtures.hpp"

namespace otdel::events {
namespace {

namespace json = boost::json;
using db::Engine;

constexpr core::Millis kAt = 1'750'000'000'000;

class AuditTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        ws = test_support::CreateWorkspace(t.db(), "alpha");
        other_ws = test_support::CreateWorkspace(t.db(), "beta");
        actor = test_support::CreateUser(t.db(), ws, "head@alpha.ru");
        actor.request_id = "rid-7";
        actor.ip = "10.0.0.5";
    }
    void Write(core::Id workspace, const std::string& type, std::optional<core::Id> object_id,
               std::string action = "x.update") {
        core::Actor a = actor;
        a.workspace_id = workspace;
        auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
            WriteAudit(sql, a, kAt, {std::move(action), type, object_id, std::nullopt, std::nullopt});
            return core::Ok();
        });
        ASSERT_TRUE(r.ok());
    }
    std::vector<AuditRow> List(core::Id workspace, std::optional<std::string> type, std::optional<core::Id> object_id,
                               std::optional<core::Id> before, int limit) {
        return t->Read([&](soci::session& sql) { return ListAudit(sql, workspace, type, object_id, before, limit); });
    }
    static std::vector<core::Id> Ids(const std::vector<AuditRow>& rows) {
        std::vector<core::Id> out;
        for (const auto& r : rows) out.push_back(r.id);
        return out;
    }

    otdel::testing::TestDatabase t{GetParam()};
    core::Id ws = 0, other_ws = 0;
    core::Actor actor;
};

TEST_P(AuditTest, CommittedEntryIsReadBackWithEveryField) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        WriteAudit(sql, actor, kAt,
                   {"api_token.create", "api_token", 77, json::value(nullptr), json::object{{"name", "CI токен"}}});
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    auto rows = List(ws, std::nullopt, std::nullopt, std::nullopt, 10);
    ASSERT_EQ(rows.size(), 1u);
    const AuditRow& row = rows[0];
    EXPECT_EQ(row.at, kAt);
    EXPECT_EQ(row.actor_kind, "user");
    EXPECT_EQ(row.actor_user_id, actor.user_id);
    EXPECT_EQ(row.action, "api_token.create");
    EXPECT_EQ(row.object_type, "api_token");
    EXPECT_EQ(row.object_id, 77);
    EXPECT_EQ(json::parse(row.before_json), json::value(nullptr));
    EXPECT_EQ(json::parse(row.after_json), (json::object{{"name", "CI токен"}}));
    EXPECT_EQ(row.request_id, "rid-7");
    EXPECT_EQ(row.ip, "10.0.0.5");
}

TEST_P(AuditTest, SystemActorAndMissingSnapshotsAreStoredAsNull) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        WriteAudit(sql, core::Actor::System(ws), kAt,
                   {"job.cleanup", "session", std::nullopt, std::nullopt, std::nullopt});
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    auto rows = List(ws, std::nullopt, std::nullopt, std::nullopt, 10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].actor_kind, "system");
    EXPECT_EQ(rows[0].actor_user_id, std::nullopt);
    EXPECT_EQ(rows[0].object_id, std::nullopt);
    EXPECT_EQ(rows[0].before_json, "");
    EXPECT_EQ(rows[0].after_json, "");
}

TEST_P(AuditTest, EntryIsRolledBackWithItsTransaction) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        WriteAudit(sql, actor, kAt, {"user.update", "user", actor.user_id, std::nullopt, std::nullopt});
        return core::Error::Of(core::ErrorCode::kConflict);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(List(ws, std::nullopt, std::nullopt, std::nullopt, 10).empty());
}

TEST_P(AuditTest, EntryIsRolledBackWhenTheTransactionThrows) {
    EXPECT_ANY_THROW(t->InTx([&](soci::session& sql) -> core::Result<void> {
        WriteAudit(sql, actor, kAt, {"user.update", "user", actor.user_id, std::nullopt, std::nullopt});
        throw std::runtime_error("later step failed");
    }));
    EXPECT_TRUE(List(ws, std::nullopt, std::nullopt, std::nullopt, 10).empty());
}

TEST_P(AuditTest, PagesAreNewestFirstAndFollowTheKeyset) {
    for (int i = 0; i < 5; ++i) Write(ws, "lead", 1);
    auto page1 = List(ws, "lead", 1, std::nullopt, 2);
    ASSERT_EQ(page1.size(), 2u);
    EXPECT_GT(page1[0].id, page1[1].id);
    auto page2 = List(ws, "lead", 1, page1.back().id, 2);
    ASSERT_EQ(page2.size(), 2u);
    EXPECT_LT(page2[0].id, page1.back().id);
    auto page3 = List(ws, "lead", 1, page2.back().id, 2);
    ASSERT_EQ(page3.size(), 1u);
    EXPECT_TRUE(List(ws, "lead", 1, page3.back().id, 2).empty());
}

TEST_P(AuditTest, ListIsScopedByWorkspace) {
    Write(ws, "lead", 1);
    Write(other_ws, "lead", 1);
    auto mine = List(ws, std::nullopt, std::nullopt, std::nullopt, 50);
    auto theirs = List(other_ws, std::nullopt, std::nullopt, std::nullopt, 50);
    ASSERT_EQ(mine.size(), 1u);
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_NE(mine[0].id, theirs[0].id);
}

TEST_P(AuditTest, ListIsScopedByObject) {
    Write(ws, "lead", 1, "a");
    Write(ws, "lead", 2, "b");
    Write(ws, "deal", 1, "c");
    auto lead1 = List(ws, "lead", 1, std::nullopt, 50);
    ASSERT_EQ(lead1.size(), 1u);
    EXPECT_EQ(lead1[0].action, "a");
    EXPECT_EQ(List(ws, "lead", std::nullopt, std::nullopt, 50).size(), 2u);
    EXPECT_EQ(List(ws, std::nullopt, std::nullopt, std::nullopt, 50).size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::events
