#include "db/migrations.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <deque>

#include "core/ids.hpp"
#include "db/testing/test_db.hpp"

namespace otdel::db {
namespace {

using testing::TestDatabase;

MigrationFile File(Engine e, std::string_view name, std::string_view sql = "SELECT 1") {
    return {e, name, sql};
}

// ---- PlanMigrations: pure checks of a file set ----

TEST(PlanMigrations, OrdersFilesByVersion) {
    auto plan =
        PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, "0003_c.sql"), File(Engine::kSqlite, "0001_a.sql"),
                                         File(Engine::kSqlite, "0002_b.sql")});
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(plan[0].version, 1);
    EXPECT_EQ(plan[0].name, "a");
    EXPECT_EQ(plan[1].version, 2);
    EXPECT_EQ(plan[2].name, "c");
}

TEST(PlanMigrations, TakesOnlyTheEnginesFiles) {
    auto plan = PlanMigrations(Engine::kPostgres,
                               {File(Engine::kSqlite, "0001_lite.sql"), File(Engine::kPostgres, "0001_pg.sql")});
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].name, "pg");
}

TEST(PlanMigrations, ChecksumIsTheSha256OfTheText) {
    auto plan =
        PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, "0001_foundation.sql", "CREATE TABLE t (a INTEGER);")});
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].checksum, core::Sha256Hex("CREATE TABLE t (a INTEGER);"));
    EXPECT_EQ(plan[0].sql, "CREATE TABLE t (a INTEGER);");
}

TEST(PlanMigrations, EmptySetIsAnEmptyPlan) {
    EXPECT_TRUE(PlanMigrations(Engine::kSqlite, {}).empty());
}

TEST(PlanMigrations, GapInNumbersIsRefused) {
    EXPECT_THROW(
        PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, "0001_a.sql"), File(Engine::kSqlite, "0003_c.sql")}),
        DbError);
}

TEST(PlanMigrations, RepeatedNumberIsRefused) {
    EXPECT_THROW(
        PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, "0001_a.sql"), File(Engine::kSqlite, "0001_b.sql")}),
        DbError);
}

TEST(PlanMigrations, NumberingMustStartAtOne) {
    EXPECT_THROW(PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, "0002_b.sql")}), DbError);
}

TEST(PlanMigrations, MalformedNamesAreRefused) {
    for (std::string_view bad : {"1_a.sql", "00001_a.sql", "0001a.sql", "0001-a.sql", "0001_a.txt", "abcd_a.sql",
                                 "0001_.sql", "-001_a.sql", "0001_a.sql.bak"}) {
        EXPECT_THROW(PlanMigrations(Engine::kSqlite, {File(Engine::kSqlite, bad)}), DbError) << bad;
    }
}

TEST(EmbeddedMigrations, BothEnginesHaveTheSameNumbersAndNames) {
    auto lite = PlanMigrations(Engine::kSqlite, EmbeddedMigrations());
    auto pg = PlanMigrations(Engine::kPostgres, EmbeddedMigrations());
    ASSERT_FALSE(lite.empty());
    ASSERT_EQ(lite.size(), pg.size());
    for (std::size_t i = 0; i < lite.size(); ++i) EXPECT_EQ(lite[i].name, pg[i].name) << "version " << lite[i].version;
}

// ---- Migrate on each engine ----

class MigrateTest : public ::testing::TestWithParam<Engine> {
protected:
    /// The embedded files of this engine plus extra ones; keeps the extra texts alive.
    std::vector<MigrationFile> EmbeddedPlus(std::initializer_list<std::pair<std::string, std::string>> extra) {
        std::vector<MigrationFile> files = EmbeddedMigrations();
        for (const auto& [name, sql] : extra) {
            storage_.emplace_back(name, sql);
            files.push_back({GetParam(), storage_.back().first, storage_.back().second});
        }
        return files;
    }
    int EmbeddedCount() { return static_cast<int>(PlanMigrations(GetParam(), EmbeddedMigrations()).size()); }
    /// "NNNN_<name>.sql" for the migration right after the embedded ones.
    std::string NextFile(const std::string& name) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d_", EmbeddedCount() + 1);
        return buf + name + ".sql";
    }
    std::string NextName(const std::string& name) { return std::to_string(EmbeddedCount() + 1) + "_" + name; }

    std::deque<std::pair<std::string, std::string>> storage_;
};

TEST_P(MigrateTest, AppliesEveryEmbeddedMigrationToAnEmptyDatabase) {
    TestDatabase t(GetParam(), /*migrate=*/false);
    EXPECT_EQ(CurrentVersion(t.db()), 0);
    auto report = Migrate(t.db());
    EXPECT_EQ(report.from_version, 0);
    EXPECT_EQ(report.to_version, EmbeddedCount());
    ASSERT_EQ(static_cast<int>(report.applied.size()), EmbeddedCount());
    EXPECT_EQ(report.applied[0], "1_foundation");
    EXPECT_EQ(CurrentVersion(t.db()), EmbeddedCount());
}

TEST_P(MigrateTest, SecondRunAppliesNothing) {
    TestDatabase t(GetParam(), /*migrate=*/false);
    Migrate(t.db());
    auto again = Migrate(t.db());
    EXPECT_TRUE(again.applied.empty());
    EXPECT_EQ(again.from_version, EmbeddedCount());
    EXPECT_EQ(again.to_version, EmbeddedCount());
}

TEST_P(MigrateTest, AppliesOnlyTheNewMigration) {
    TestDatabase t(GetParam());
    auto report =
        Migrate(t.db(), EmbeddedPlus({{NextFile("extra"), "CREATE TABLE extra_things (id INTEGER NOT NULL);"}}));
    EXPECT_EQ(report.applied, (std::vector<std::string>{NextName("extra")}));
    EXPECT_EQ(CurrentVersion(t.db()), EmbeddedCount() + 1);
    long long rows = -1;
    t->Read([&](soci::session& sql) {
        sql << "SELECT COUNT(*) FROM extra_things", soci::into(rows);
        return 0;
    });
    EXPECT_EQ(rows, 0);
}

TEST_P(MigrateTest, ChangedAppliedMigrationIsRefused) {
    TestDatabase t(GetParam());
    Migrate(t.db(), EmbeddedPlus({{NextFile("extra"), "CREATE TABLE extra_things (id INTEGER);"}}));
    try {
        Migrate(t.db(), EmbeddedPlus({{NextFile("extra"), "CREATE TABLE extra_things (id INTEGER, name TEXT);"}}));
        FAIL() << "a changed migration was accepted";
    } catch (const DbError& e) {
        EXPECT_NE(std::string(e.what()).find(NextName("extra") + " was changed"), std::string::npos) << e.what();
    }
}

TEST_P(MigrateTest, DatabaseNewerThanTheBinaryIsRefused) {
    TestDatabase t(GetParam());
    Migrate(t.db(), EmbeddedPlus({{NextFile("extra"), "CREATE TABLE extra_things (id INTEGER);"}}));
    try {
        Migrate(t.db());  // an older binary that knows only the embedded migrations
        FAIL() << "an older binary accepted a newer database";
    } catch (const DbError& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this binary"), std::string::npos) << e.what();
    }
}

TEST_P(MigrateTest, FailingMigrationLeavesNoTrace) {
    TestDatabase t(GetParam());
    auto files = EmbeddedPlus({{NextFile("broken"), "CREATE TABLE half_done (id INTEGER); CREATE TABLEX oops;"}});
    EXPECT_ANY_THROW(Migrate(t.db(), files));
    EXPECT_EQ(CurrentVersion(t.db()), EmbeddedCount());
    // The first statement of the broken script was rolled back with it.
    EXPECT_ANY_THROW(t->Read([&](soci::session& sql) {
        sql << "SELECT COUNT(*) FROM half_done";
        return 0;
    }));
}

INSTANTIATE_TEST_SUITE_P(Engines, MigrateTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::db
