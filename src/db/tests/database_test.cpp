#include "db/database.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/ids.hpp"
#include "db/testing/test_db.hpp"

namespace otdel::db {
namespace {

namespace fs = std::filesystem;
using testing::TestDatabase;

core::Id InsertWorkspace(soci::session& sql, const std::string& slug) {
    long long id = 0;
    const std::string name = "Отдел " + slug;  // soci::use keeps a reference: bind a named value, never a temporary
    sql << "INSERT INTO workspaces (name, slug, created_at, updated_at) VALUES (:n, :s, 0, 0) RETURNING id",
        soci::use(name, "n"), soci::use(slug, "s"), soci::into(id);
    return id;
}

long long CountWorkspaces(Database& db, const std::string& slug) {
    return db.Read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT COUNT(*) FROM workspaces WHERE slug = :s", soci::use(slug, "s"), soci::into(n);
        return n;
    });
}

fs::path TempPath(const std::string& suffix) {
    return fs::temp_directory_path() / ("otdel_dbtest_" + core::RandomToken(6) + suffix);
}

// ---- SQLite connection settings ----

TEST(SqliteDatabase, EveryPooledConnectionIsDurableAndChecked) {
    TestDatabase t(Engine::kSqlite);
    // Holding pool_size sessions at once leases every connection of the pool.
    std::vector<std::unique_ptr<soci::session>> all;
    for (int i = 0; i < t->config().pool_size; ++i) all.push_back(std::make_unique<soci::session>(t->pool()));
    for (auto& s : all) {
        std::string journal;
        int fk = -1, sync = -1, busy = -1;
        *s << "PRAGMA journal_mode", soci::into(journal);
        *s << "PRAGMA foreign_keys", soci::into(fk);
        *s << "PRAGMA synchronous", soci::into(sync);
        *s << "PRAGMA busy_timeout", soci::into(busy);
        EXPECT_EQ(journal, "wal");
        EXPECT_EQ(fk, 1);
        EXPECT_EQ(sync, 2) << "synchronous must be FULL";
        EXPECT_EQ(busy, t->config().busy_timeout_ms);
    }
}

// The process's writers queue on a mutex before BEGIN IMMEDIATE instead of napping in SQLite's busy handler.
TEST(SqliteDatabase, ConcurrentWritersOfTheProcessAllCommitInTurn) {
    TestDatabase t(Engine::kSqlite);
    const auto before = t->write_queue_stats();
    std::vector<std::thread> threads;
    std::atomic<int> committed{0};
    for (int th = 0; th < 6; ++th)
        threads.emplace_back([&, th] {
            for (int i = 0; i < 40; ++i) {
                auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
                    InsertWorkspace(sql, "w" + std::to_string(th) + "-" + std::to_string(i));
                    return core::Ok();
                });
                if (r.ok()) ++committed;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(committed, 240);
    const auto st = t->write_queue_stats();
    EXPECT_EQ(st.transactions - before.transactions, 240u);
    EXPECT_LT(st.max_wait_us, 5'000'000u) << "nobody waited out the busy timeout";
}

// A write transaction opened inside another on the same thread does not wait for the outer one's turn (it would
// never come): it meets SQLite's busy timeout and fails, as it always did.
TEST(SqliteDatabase, ANestedWriteTransactionFailsOnTheBusyTimeoutInsteadOfHanging) {
    fs::path dir = TempPath("_nested");
    auto db = Database::Open({"sqlite:" + (dir / "otdel.db").string(), 2, 200});
    ASSERT_TRUE(db->InTx([&](soci::session& sql) -> core::Result<void> {
                      sql << "CREATE TABLE t (x INTEGER)";
                      return core::Ok();
                  }).ok());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW((void)db->InTx([&](soci::session& sql) -> core::Result<void> {
        sql << "INSERT INTO t VALUES (1)";
        return db->InTx([&](soci::session& inner) -> core::Result<void> {
            inner << "INSERT INTO t VALUES (2)";
            return core::Ok();
        });
    }),
                 soci::soci_error);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    db.reset();
    fs::remove_all(dir);
}

// WAL checkpoints run on their own thread: the WAL is recycled while writers go on, not left to grow.
TEST(SqliteDatabase, TheWalIsCheckpointedInTheBackground) {
    fs::path dir = TempPath("_wal");
    auto db = Database::Open({"sqlite:" + (dir / "otdel.db").string(), 2, 5000});
    ASSERT_TRUE(db->InTx([&](soci::session& sql) -> core::Result<void> {
                      sql << "CREATE TABLE blobs (b TEXT)";
                      return core::Ok();
                  }).ok());
    const std::string blob(64 * 1024, 'x');  // 16 pages a row
    std::uintmax_t largest = 0;
    for (int i = 0; i < 1600; ++i) {  // 25,600 pages in all: 100 MiB (the inline bound alone would stop at ~62 MiB)
        ASSERT_TRUE(db->InTx([&](soci::session& sql) -> core::Result<void> {
                          sql << "INSERT INTO blobs (b) VALUES (:b)", soci::use(blob, "b");
                          return core::Ok();
                      }).ok());
        if (i % 20 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the checkpointer run
        largest = std::max(largest, fs::file_size(dir / "otdel.db-wal"));
    }
    EXPECT_GT(db->background_checkpoints(), 0u);
    EXPECT_LT(largest, 40u * 1024 * 1024) << "the WAL was recycled, not grown to every page written";
    db.reset();
    fs::remove_all(dir);
}

// Readers that never all stop at once (a board refreshing while deals move) kept the WAL from ever starting over: it
// grew to the inline bound and every commit then paid a checkpoint and a database fsync. The background RESTART
// checkpoint waits briefly for the old snapshots to finish, so the WAL is recycled under steady reads too.
TEST(SqliteDatabase, TheWalStartsOverWhileReadersKeepReading) {
    fs::path dir = TempPath("_wal_readers");
    auto db = Database::Open({"sqlite:" + (dir / "otdel.db").string(), 4, 5000});
    ASSERT_TRUE(db->InTx([&](soci::session& sql) -> core::Result<void> {
                      sql << "CREATE TABLE blobs (b TEXT)";
                      return core::Ok();
                  }).ok());
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    auto reader = [&](int offset_ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(offset_ms));
        while (!stop.load()) {
            db->Read([&](soci::session& sql) {
                soci::transaction tx(sql);
                long long n = 0;
                sql << "SELECT count(*) FROM blobs WHERE rowid < 3", soci::into(n);
                std::this_thread::sleep_for(std::chrono::milliseconds(3));  // holds its snapshot
                tx.commit();
            });
            reads.fetch_add(1);
        }
    };
    std::thread r1(reader, 0), r2(reader, 1), r3(reader, 2);  // overlapping: some reader is always inside
    const std::string blob(64 * 1024, 'x');                   // 16 pages a row
    std::uintmax_t largest = 0;
    for (int i = 0; i < 1500; ++i) {  // 24,000 pages in all: past the 16,000-page inline bound without restarts
        ASSERT_TRUE(db->InTx([&](soci::session& sql) -> core::Result<void> {
                          sql << "INSERT INTO blobs (b) VALUES (:b)", soci::use(blob, "b");
                          return core::Ok();
                      }).ok());
        if (i % 20 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        largest = std::max(largest, fs::file_size(dir / "otdel.db-wal"));
    }
    stop = true;
    r1.join();
    r2.join();
    r3.join();
    EXPECT_GT(reads.load(), 100);
    EXPECT_GT(db->wal_restarts(), 0u);
    EXPECT_LT(largest, 40u * 1024 * 1024) << "the WAL started over, not grown towards the 64 MiB inline bound";
    db.reset();
    fs::remove_all(dir);
}

TEST(SqliteDatabase, OpenCreatesTheFilesDirectory) {
    fs::path dir = TempPath("_dir");
    {
        auto db = Database::Open({"sqlite:" + (dir / "nested" / "otdel.db").string(), 1, 1000});
        EXPECT_EQ(db->engine(), Engine::kSqlite);
    }
    EXPECT_TRUE(fs::exists(dir / "nested" / "otdel.db"));
    fs::remove_all(dir);
}

// An in-memory SQLite database belongs to one connection: a pool of several would be several empty databases.
TEST(SqliteDatabase, InMemoryDatabaseWithSeveralConnectionsIsRefused) {
    try {
        Database::Open({"sqlite::memory:", 2, 1000});
        FAIL() << "a pool of private in-memory databases was opened";
    } catch (const DbError& e) {
        EXPECT_NE(std::string(e.what()).find("pool_size"), std::string::npos) << e.what();
    }
}

TEST(SqliteDatabase, InMemoryDatabaseWithOneConnectionKeepsItsData) {
    auto db = Database::Open({"sqlite::memory:", 1, 1000});
    db->Read([](soci::session& sql) {
        sql << "CREATE TABLE t (x INTEGER)";
        sql << "INSERT INTO t (x) VALUES (5)";
        return 0;
    });
    int x = 0;
    db->Read([&](soci::session& sql) {
        sql << "SELECT x FROM t", soci::into(x);
        return 0;
    });
    EXPECT_EQ(x, 5);
}

TEST(Database, UnknownUrlSchemeIsRefused) {
    EXPECT_THROW(Database::Open({"mysql://localhost/otdel", 1, 1000}), DbError);
}

TEST(Database, PoolSizeOutsideTheRangeIsRefused) {
    EXPECT_THROW(Database::Open({"sqlite::memory:", 0, 1000}), DbError);
    EXPECT_THROW(Database::Open({"sqlite::memory:", 257, 1000}), DbError);
}

TEST(Database, UnreachablePostgresIsADbError) {
    EXPECT_THROW(Database::Open({"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 1, 1000}), DbError);
}

TEST(SqliteBackup, CopyIsReadableAndHasTheSameRows) {
    TestDatabase t(Engine::kSqlite);
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        for (int i = 0; i < 50; ++i) InsertWorkspace(sql, "ws-" + std::to_string(i));
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    fs::path dest = TempPath(".db");
    ASSERT_TRUE(BackupSqlite(t.db(), dest.string()).ok());
    {
        auto copy = Database::Open({"sqlite:" + dest.string(), 1, 1000});
        auto names = [](Database& db) {
            return db.Read([](soci::session& sql) {
                std::vector<std::string> out;
                std::string slug;
                soci::statement st = (sql.prepare << "SELECT slug FROM workspaces ORDER BY id", soci::into(slug));
                st.execute();
                while (st.fetch()) out.push_back(slug);
                return out;
            });
        };
        auto original = names(t.db());
        EXPECT_EQ(original.size(), 50u);
        EXPECT_EQ(names(*copy), original);
        std::string check;
        copy->Read([&](soci::session& sql) {
            sql << "PRAGMA integrity_check", soci::into(check);
            return 0;
        });
        EXPECT_EQ(check, "ok");
    }
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(dest.string() + ext);
}

// ---- Both engines ----

class DatabaseTest : public ::testing::TestWithParam<Engine> {
protected:
    TestDatabase t{GetParam()};
};

TEST_P(DatabaseTest, InTxCommitsWhenTheResultIsOk) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<core::Id> { return InsertWorkspace(sql, "kept"); });
    ASSERT_TRUE(r.ok());
    EXPECT_GT(*r, 0);
    EXPECT_EQ(CountWorkspaces(t.db(), "kept"), 1);
}

TEST_P(DatabaseTest, InTxRollsBackWhenTheResultIsAnError) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        InsertWorkspace(sql, "dropped");
        return core::Error::Of(core::ErrorCode::kConflict);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(CountWorkspaces(t.db(), "dropped"), 0);
}

TEST_P(DatabaseTest, InTxRollsBackAndRethrowsOnAnException) {
    EXPECT_THROW(t->InTx([&](soci::session& sql) -> core::Result<void> {
        InsertWorkspace(sql, "thrown");
        throw std::runtime_error("handler bug");
    }),
                 std::runtime_error);
    EXPECT_EQ(CountWorkspaces(t.db(), "thrown"), 0);
}

TEST_P(DatabaseTest, ConnectionIsUsableAfterARolledBackTransaction) {
    for (int i = 0; i < 10; ++i) {
        EXPECT_ANY_THROW(t->InTx([&](soci::session& sql) -> core::Result<void> {
            InsertWorkspace(sql, "dup");
            InsertWorkspace(sql, "dup");  // unique violation: PostgreSQL aborts the transaction
            return core::Ok();
        }));
    }
    auto r = t->InTx([&](soci::session& sql) -> core::Result<core::Id> { return InsertWorkspace(sql, "after"); });
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(CountWorkspaces(t.db(), "dup"), 0);
    EXPECT_EQ(CountWorkspaces(t.db(), "after"), 1);
}

TEST_P(DatabaseTest, IsUniqueViolationRecognisesADuplicate) {
    auto r = t->InTx([&](soci::session& sql) -> core::Result<void> {
        InsertWorkspace(sql, "same");
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    bool caught = false;
    try {
        auto r2 = t->InTx([&](soci::session& sql) -> core::Result<void> {
            InsertWorkspace(sql, "same");
            return core::Ok();
        });
    } catch (const std::exception& e) {
        caught = true;
        EXPECT_TRUE(IsUniqueViolation(e)) << e.what();
    }
    EXPECT_TRUE(caught);
}

TEST_P(DatabaseTest, IsUniqueViolationIgnoresOtherErrors) {
    try {
        t->Read([](soci::session& sql) {
            sql << "INSERT INTO workspaces (name, slug, created_at, updated_at) VALUES (NULL, 'x', 0, 0)";
            return 0;
        });
        FAIL() << "NULL name was accepted";
    } catch (const std::exception& e) {
        EXPECT_FALSE(IsUniqueViolation(e)) << e.what();
    }
    EXPECT_FALSE(IsUniqueViolation(std::runtime_error("boom")));
}

TEST_P(DatabaseTest, ForeignKeysAreEnforced) {
    EXPECT_ANY_THROW(t->InTx([](soci::session& sql) -> core::Result<void> {
        sql << "INSERT INTO users (workspace_id, email, full_name, password_hash, created_at, updated_at) "
               "VALUES (999999, 'a@b.ru', 'A', 'x', 0, 0)";
        return core::Ok();
    }));
}

TEST_P(DatabaseTest, BackupWorksOnlyOnSqlite) {
    fs::path dest = TempPath(".db");
    auto r = BackupSqlite(t.db(), dest.string());
    if (GetParam() == Engine::kSqlite) {
        EXPECT_TRUE(r.ok());
        EXPECT_TRUE(fs::exists(dest));
    } else {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest);
        EXPECT_FALSE(fs::exists(dest));
    }
    fs::remove(dest);
}

// ---- Statements prepared once per pooled connection ----

/// Counts how many times it is prepared, so a test can tell a reused set from a fresh one.
struct SlugLookup {
    static inline int prepared = 0;
    std::string slug;
    long long id = 0;
    soci::statement st;
    explicit SlugLookup(soci::session& sql)
        : st((sql.prepare << "SELECT id FROM workspaces WHERE slug = :s", soci::use(slug, "s"), soci::into(id))) {
        ++prepared;
    }
    void Reset(soci::session& sql) { ResetStatement(sql, st); }
    long long Find(const std::string& s) {
        slug = s;
        id = 0;
        st.execute(true);
        return id;
    }
};

TEST_P(DatabaseTest, APreparedSetIsReusedByLaterTransactionsOnTheSameConnection) {
    auto one = Database::Open({t.url(), 1, 5000});  // a single pooled connection: every call gets the same one
    one->InTx([&](soci::session& sql) -> core::Result<void> {
        InsertWorkspace(sql, "first");
        InsertWorkspace(sql, "second");
        return core::Ok();
    });
    SlugLookup::prepared = 0;
    std::vector<long long> found;
    for (const char* slug : {"first", "second", "first", "missing"}) {
        found.push_back(*one->InTx([&](soci::session& sql) -> core::Result<long long> {
            return db::WithPrepared<SlugLookup>(sql, [&](SlugLookup& q) { return q.Find(slug); });
        }));
    }
    EXPECT_EQ(SlugLookup::prepared, 1);
    EXPECT_GT(found[0], 0);
    EXPECT_GT(found[1], found[0]);
    EXPECT_EQ(found[2], found[0]);
    EXPECT_EQ(found[3], 0);
}

TEST_P(DatabaseTest, APreparedSetSurvivesARollbackAndIsDroppedWhenItsCallThrows) {
    auto one = Database::Open({t.url(), 1, 5000});
    SlugLookup::prepared = 0;
    auto r = one->InTx([&](soci::session& sql) -> core::Result<void> {
        InsertWorkspace(sql, "rolled-back");
        EXPECT_GT(db::WithPrepared<SlugLookup>(sql, [&](SlugLookup& q) { return q.Find("rolled-back"); }), 0);
        return core::Error::Of(core::ErrorCode::kConflict);
    });
    ASSERT_FALSE(r.ok());
    // The rolled-back row is gone for the same prepared statement, and the connection is free for writers
    // (a SELECT left mid-result on SQLite would keep its read snapshot).
    EXPECT_EQ(one->Read([&](soci::session& sql) {
        return db::WithPrepared<SlugLookup>(sql, [&](SlugLookup& q) { return q.Find("rolled-back"); });
    }),
              0);
    EXPECT_EQ(SlugLookup::prepared, 1);
    EXPECT_THROW(one->InTx([&](soci::session& sql) -> core::Result<void> {
        db::WithPrepared<SlugLookup>(sql, [&](SlugLookup&) -> int { throw std::runtime_error("handler bug"); });
        return core::Ok();
    }),
                 std::runtime_error);
    auto after = one->InTx([&](soci::session& sql) -> core::Result<long long> {
        InsertWorkspace(sql, "after-throw");
        return db::WithPrepared<SlugLookup>(sql, [&](SlugLookup& q) { return q.Find("after-throw"); });
    });
    ASSERT_TRUE(after.ok());
    EXPECT_GT(*after, 0);
    EXPECT_EQ(SlugLookup::prepared, 2) << "the set of the call that threw is prepared again";
}

TEST_P(DatabaseTest, APreparedSetOnAnUnpooledSessionIsPreparedForTheOneCall) {
    soci::session own(t->pool());  // SOCI's wrapper session is not one Database hands out
    SlugLookup::prepared = 0;
    EXPECT_EQ(db::WithPrepared<SlugLookup>(own, [&](SlugLookup& q) { return q.Find("nobody"); }), 0);
    EXPECT_EQ(db::WithPrepared<SlugLookup>(own, [&](SlugLookup& q) { return q.Find("nobody"); }), 0);
    EXPECT_EQ(SlugLookup::prepared, 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::db
