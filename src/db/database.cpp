#include "db/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace otdel::db {
// SOCI includes sqlite3.h inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)

namespace {

bool StartsWith(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

/// Process-wide SQLite settings, before its first connection (sqlite3_config refuses once the library is initialised;
/// then the defaults stay, which is only slower). Multi-thread mode: a connection is never used by two threads at
/// once here — the pool leases each to one thread, the checkpointer has its own — so SQLite's per-connection mutexes
/// (serialized mode, the distribution's default) only cost a lock and unlock around every call. Memory statistics
/// off: with them on, every allocation SQLite makes takes one global mutex to count it. Together about 8 % of the
/// deal import's CPU (bench/deals_import, A/B on the same binary).
void ConfigureSqliteOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
}

std::string SqlitePath(const std::string& url) {
    std::string rest = url.substr(std::string_view("sqlite:").size());
    if (StartsWith(rest, "//")) rest = rest.substr(2);  // sqlite:///abs/path -> /abs/path
    return rest;
}

}  // namespace

/// Runs SQLite's WAL checkpoints on its own thread and connection. Each pooled connection's WAL hook (which replaces
/// the automatic checkpoint on that connection) wakes it once the WAL has 1,000 pages — SQLite's own threshold —
/// and it runs a PASSIVE checkpoint, which never blocks writers or readers. Durability is unchanged: every commit
/// still fsyncs the WAL (synchronous=FULL); the checkpoint only moves committed pages into the database file.
///
/// A PASSIVE checkpoint alone never lets the WAL start over while requests keep reading: a writer may restart the
/// log only when no reader still reads frames of it, and under steady load (a board refreshing while deals move)
/// there always is one. The WAL then grew to the inline bound and every commit paid a checkpoint and a database
/// fsync of its own — the stage-move p99. So once the WAL passes kRestartPages the thread follows with a RESTART
/// checkpoint: it holds new writers off for at most kRestartWaitMs while the readers of old snapshots finish
/// (new readers read the database file, which is complete by then), and the next commit writes from the WAL's start.
class SqliteCheckpointer {
public:
    static constexpr int kPages = 1000;
    // Every RESTART holds writers off for its wait and its database fsync, so how often it runs shows in the commits'
    // tail: at 2,000 pages (~8 MiB) stage moves restarted about once a second and p99 at 4 / 8 / 16 connections was
    // 8.9 / 11.5 / 19.7 ms; at 6,000 pages (~24 MiB of WAL) 5.8 / 8.6 / 13.9 ms (bench/deals_bench, same data).
    static constexpr int kRestartPages = 6 * kPages;
    static constexpr int kRestartWaitMs = 10;
    static constexpr int kInlinePages = 16 * kPages;

    SqliteCheckpointer(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &conn_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            std::string msg = conn_ ? sqlite3_errmsg(conn_) : "out of memory";
            sqlite3_close(conn_);
            throw DbError("cannot open the checkpoint connection: " + msg);
        }
        sqlite3_busy_timeout(conn_, kRestartWaitMs);
        // A connection that has read nothing yet does not know the file is in WAL mode, and its checkpoints are then
        // no-ops (pnLog = -1): asking for the mode opens the WAL.
        sqlite3_exec(conn_, "PRAGMA journal_mode", nullptr, nullptr, nullptr);
        thread_ = std::thread([this] { Loop(); });
    }
    ~SqliteCheckpointer() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
        sqlite3_close(conn_);
    }
    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    /// The WAL hook of a pooled connection: called after each of its commits with the WAL's size in pages.
    ///
    /// SQLite restarts the WAL from its beginning only when a write transaction starts after a checkpoint has copied
    /// every frame and no reader still uses the log. The background thread's RESTART checkpoint makes that moment; if
    /// it keeps failing (a reader holding a snapshot for long), past sixteen times the threshold the committing
    /// connection checkpoints itself, as SQLite's own hook always does, so the WAL stays bounded (about 64 MiB).
    static int Hook(void* self, sqlite3* db, const char* name, int pages) {
        if (pages >= kInlinePages) {
            sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (pages >= kPages) {
            static_cast<SqliteCheckpointer*>(self)->Wake();
        }
        return SQLITE_OK;
    }
    std::uint64_t runs() const { return runs_.load(); }
    std::uint64_t restarts() const { return restarts_.load(); }

private:
    void Wake() {
        {
            std::lock_guard lock(mu_);
            due_ = true;
        }
        cv_.notify_one();
    }
    void Loop() {
        std::unique_lock lock(mu_);
        for (;;) {
            cv_.wait(lock, [&] { return stop_ || due_; });
            if (stop_) return;
            due_ = false;
            lock.unlock();
            int log = 0, done = 0;
            // SQLITE_BUSY: another checkpoint is running (the CLI's, say); the next commit's hook asks again.
            sqlite3_wal_checkpoint_v2(conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
            // SQLITE_BUSY: a writer or an old snapshot outlasted the wait; the next wake-up tries again.
            if (log >= kRestartPages &&
                sqlite3_wal_checkpoint_v2(conn_, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &done) == SQLITE_OK)
                restarts_.fetch_add(1);
            runs_.fetch_add(1);
            lock.lock();
        }
    }

    sqlite3* conn_ = nullptr;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, due_ = false;
    std::atomic<std::uint64_t> runs_{0};
    std::atomic<std::uint64_t> restarts_{0};
    std::thread thread_;
};

std::string PgConnInfo(const std::string& url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        std::string msg = err ? err : "invalid connection string";
        PQfreemem(err);
        throw DbError("database.url: " + msg);
    }
    std::string out;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        std::string v;
        for (const char* c = o->val; *c; ++c) {
            if (*c == '\\' || *c == '\'') v += '\\';
            v += *c;
        }
        out += std::string(out.empty() ? "" : " ") + o->keyword + "='" + v + "'";
    }
    PQconninfoFree(opts);
    return out;
}

std::string_view EngineName(Engine e) {
    return e == Engine::kSqlite ? "sqlite" : "postgres";
}

Database::Database(DbConfig config, Engine engine) : config_(std::move(config)), engine_(engine) {}
Database::~Database() {
    if (pool_) {
        for (std::size_t i = 0; i < caches_.size(); ++i) UnregisterCache(pool_->at(i));
        if (checkpointer_) {
            for (int i = 0; i < config_.pool_size; ++i) {
                auto* b =
                    static_cast<soci::sqlite3_session_backend*>(pool_->at(static_cast<std::size_t>(i)).get_backend());
                if (b && b->conn_) sqlite3_wal_hook(b->conn_, nullptr, nullptr);
            }
        }
    }
    checkpointer_.reset();
    caches_.clear();
}

std::uint64_t Database::background_checkpoints() const {
    return checkpointer_ ? checkpointer_->runs() : 0;
}
std::uint64_t Database::wal_restarts() const {
    return checkpointer_ ? checkpointer_->restarts() : 0;
}

std::unique_ptr<Database> Database::Open(const DbConfig& config) {
    Engine engine;
    if (StartsWith(config.url, "sqlite:")) {
        engine = Engine::kSqlite;
    } else if (StartsWith(config.url, "postgresql://") || StartsWith(config.url, "postgres://")) {
        engine = Engine::kPostgres;
    } else {
        throw DbError("database.url must start with sqlite: or postgresql:// (got '" + config.url + "')");
    }
    if (config.pool_size < 1 || config.pool_size > 256) throw DbError("database.pool_size must be 1..256");
    // Each SQLite connection to ":memory:" opens its own empty database, so a pool would be several databases.
    if (engine == Engine::kSqlite && SqlitePath(config.url) == ":memory:" && config.pool_size != 1) {
        throw DbError("sqlite::memory: is private to one connection: set database.pool_size = 1 (got " +
                      std::to_string(config.pool_size) + ") or use a file");
    }

    if (engine == Engine::kSqlite) ConfigureSqliteOnce();
    std::unique_ptr<Database> db(new Database(config, engine));
    db->pool_ = std::make_unique<soci::connection_pool>(static_cast<std::size_t>(config.pool_size));
    try {
        for (int i = 0; i < config.pool_size; ++i) {
            soci::session& s = db->pool_->at(static_cast<std::size_t>(i));
            if (engine == Engine::kSqlite) {
                std::string path = SqlitePath(config.url);
                if (path != ":memory:") {
                    auto dir = std::filesystem::path(path).parent_path();
                    if (!dir.empty()) std::filesystem::create_directories(dir);
                }
                // SOCI's connect string: quote the path so spaces survive.
                s.open(soci::sqlite3,
                       "db=\"" + path + "\" timeout=" + std::to_string(config.busy_timeout_ms / 1000 + 1));
                s << "PRAGMA busy_timeout = " + std::to_string(config.busy_timeout_ms);
                s << "PRAGMA journal_mode = WAL";
                s << "PRAGMA foreign_keys = ON";
                // Acknowledged writes survive power loss: every commit is fsynced.
                s << "PRAGMA synchronous = FULL";
                // 16 MiB of page cache per connection (SQLite's default is 2 MiB): index probes of dedupe and
                // search stay in memory past a few hundred thousand rows; 8 connections stay within the RSS budget.
                s << "PRAGMA cache_size = -16384";
                // Statement journals (a statement inside a longer transaction that may have to undo itself: an
                // INSERT with triggers or constraints, as most of intake's are) and other temporary b-trees stay in
                // memory instead of spilling to temporary files with a pwrite per page.
                s << "PRAGMA temp_store = MEMORY";
            } else {
                s.open(soci::postgresql, PgConnInfo(config.url));
                s << "SET TIME ZONE 'UTC'";
                // IF NOT EXISTS and similar notices are not worth printing on every start.
                s << "SET client_min_messages TO warning";
            }
        }
    } catch (const std::exception& e) {
        throw DbError(std::string("cannot open database: ") + e.what());
    }
    if (engine == Engine::kSqlite && SqlitePath(config.url) != ":memory:") {
        db->checkpointer_ = std::make_unique<SqliteCheckpointer>(SqlitePath(config.url));
        for (int i = 0; i < config.pool_size; ++i) {
            auto* b =
                static_cast<soci::sqlite3_session_backend*>(db->pool_->at(static_cast<std::size_t>(i)).get_backend());
            sqlite3_wal_hook(b->conn_, &SqliteCheckpointer::Hook, db->checkpointer_.get());
        }
    }
    for (int i = 0; i < config.pool_size; ++i) {
        db->caches_.push_back(std::make_unique<StatementCache>());
        RegisterCache(db->pool_->at(static_cast<std::size_t>(i)), db->caches_.back().get());
    }
    return db;
}

Database::WriteTurn::WriteTurn(Database& db) {
    if (db.engine_ != Engine::kSqlite) return;
    const auto me = std::this_thread::get_id();
    if (db.write_owner_.load(std::memory_order_relaxed) == me) return;  // nested: the outer transaction's turn
    db.tx_count_.fetch_add(1, std::memory_order_relaxed);
    if (db.write_mu_.try_lock()) {
        db.write_owner_.store(me, std::memory_order_relaxed);
        db_ = &db;
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    const bool got = db.write_mu_.try_lock_for(std::chrono::milliseconds(db.config_.busy_timeout_ms));
    const auto us = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    db.tx_waited_.fetch_add(1, std::memory_order_relaxed);
    db.tx_wait_us_.fetch_add(us, std::memory_order_relaxed);
    auto prev = db.tx_max_wait_us_.load(std::memory_order_relaxed);
    while (us > prev && !db.tx_max_wait_us_.compare_exchange_weak(prev, us, std::memory_order_relaxed)) {
    }
    if (!got) return;  // the busy handler decides from here, as without the queue
    db.write_owner_.store(me, std::memory_order_relaxed);
    db_ = &db;
}

Database::WriteTurn::~WriteTurn() {
    if (!db_) return;
    db_->write_owner_.store(std::thread::id{}, std::memory_order_relaxed);
    db_->write_mu_.unlock();
}

Database::WriteQueueStats Database::write_queue_stats() const {
    return {tx_count_.load(), tx_waited_.load(), tx_wait_us_.load(), tx_max_wait_us_.load()};
}

void Database::Begin(soci::session& sql) {
    if (engine_ == Engine::kSqlite) {
        sql << "BEGIN IMMEDIATE";
    } else {
        sql << "BEGIN";
    }
}

void ExecScript(soci::session& sql, Engine engine, const std::string& script) {
    if (engine == Engine::kSqlite) {
        auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
        char* err = nullptr;
        if (sqlite3_exec(backend->conn_, script.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown sqlite error";
            sqlite3_free(err);
            throw soci::soci_error(msg);
        }
    } else {
        auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
        PGresult* res = PQexec(backend->conn_, script.c_str());
        auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string msg = PQresultErrorMessage(res);
            PQclear(res);
            throw soci::soci_error(msg);
        }
        PQclear(res);
    }
}

bool IsUniqueViolation(const std::exception& e) {
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) return pg->sqlstate() == "23505";
    std::string_view msg = e.what();
    return msg.find("UNIQUE constraint failed") != std::string_view::npos ||
           msg.find("duplicate key value") != std::string_view::npos;
}

core::Result<void> BackupSqlite(Database& db, const std::string& dest_path) {
    if (db.engine() != Engine::kSqlite) return core::Error::Of(core::ErrorCode::kBadRequest);
    soci::session sql(db.pool());
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    sqlite3* dest = nullptr;
    if (sqlite3_open(dest_path.c_str(), &dest) != SQLITE_OK) {
        sqlite3_close(dest);
        throw DbError("cannot open backup file " + dest_path);
    }
    sqlite3_backup* b = sqlite3_backup_init(dest, "main", backend->conn_, "main");
    if (!b) {
        std::string msg = sqlite3_errmsg(dest);
        sqlite3_close(dest);
        throw DbError("backup failed: " + msg);
    }
    int rc;
    // Copy in steps so writers are not blocked for the whole copy.
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        sqlite3_sleep(5);
    }
    sqlite3_backup_finish(b);
    int final_rc = sqlite3_errcode(dest);
    sqlite3_close(dest);
    if (rc != SQLITE_DONE || final_rc != SQLITE_OK) throw DbError("backup failed with code " + std::to_string(rc));
    return core::Ok();
}

}  // namespace otdel::db
