#pragma once
/// Database: a SOCI connection pool over SQLite (default, embedded) or PostgreSQL, and transactions.
/// Blocking: call only from worker threads, never from HTTP I/O threads.
#include <soci/soci.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "db/prepared.hpp"

namespace otdel::db {

class SqliteCheckpointer;

enum class Engine { kSqlite, kPostgres };

std::string_view EngineName(Engine e);

struct DbConfig {
    /// "sqlite:var/otdel.db", "sqlite:///abs/path.db", "sqlite::memory:" (pool_size 1 only) or a libpq URI
    /// "postgresql://user@host:port/db".
    std::string url = "sqlite:var/otdel.db";
    int pool_size = 8;
    int busy_timeout_ms = 5000;
};

/// Thrown when the database cannot be opened or configured: an operator problem, not a request problem.
class DbError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database {
public:
    /// Opens the pool; for SQLite creates the file's directory and sets WAL, foreign_keys, busy_timeout and
    /// synchronous=FULL on every connection. Throws DbError.
    static std::unique_ptr<Database> Open(const DbConfig& config);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Engine engine() const { return engine_; }
    const DbConfig& config() const { return config_; }
    soci::connection_pool& pool() { return *pool_; }

    /// Runs f(session) inside a write transaction (SQLite: BEGIN IMMEDIATE, so writers queue on the busy
    /// timeout instead of failing at upgrade). Commits when f returns an ok Result, rolls back otherwise
    /// and on exceptions (which propagate).
    ///
    /// SQLite admits one writer at a time; a writer that finds the lock taken sleeps in the busy handler (1, 2, 5 …
    /// up to 100 ms a nap), so under load a waiting transaction often sleeps long after the lock was released. The
    /// process's own writers therefore queue on a mutex first (WriteTurn), before taking a connection from the pool,
    /// and start the moment the previous one commits; the busy handler is left for other processes (the CLI) and
    /// the rare checkpoint. A transaction opened inside another one on the same thread does not queue again.
    template <class F>
    auto InTx(F&& f) -> decltype(f(std::declval<soci::session&>())) {
        WriteTurn turn(*this);
        Lease lease(*pool_);
        soci::session& sql = lease.session();
        Begin(sql);
        try {
            auto result = f(sql);
            if (result.ok()) {
                sql << "COMMIT";
            } else {
                sql << "ROLLBACK";
            }
            return result;
        } catch (...) {
            try {
                sql << "ROLLBACK";
            } catch (...) {
            }
            throw;
        }
    }

    /// Runs f(session) without an explicit transaction (single reads).
    template <class F>
    auto Read(F&& f) -> decltype(f(std::declval<soci::session&>())) {
        Lease lease(*pool_);
        return f(lease.session());
    }

    /// SQLite: WAL checkpoints run on a thread of their own (SqliteCheckpointer in database.cpp), not inside the
    /// commit of whichever transaction pushed the WAL past 1,000 pages — there they cost that transaction (often
    /// the intake writer's batch) the copying and two more fsyncs. How many have run (for tests and benchmarks).
    std::uint64_t background_checkpoints() const;
    /// SQLite: RESTART checkpoints that succeeded, so the next commit wrote from the WAL's start.
    std::uint64_t wal_restarts() const;

    /// How many write transactions waited for another of this process's writers, and for how long in all (SQLite):
    /// for benchmarks and the log.
    struct WriteQueueStats {
        std::uint64_t transactions = 0, waited = 0;
        std::uint64_t wait_us = 0, max_wait_us = 0;
    };
    WriteQueueStats write_queue_stats() const;

private:
    /// This process's turn to write (SQLite only; a no-op on PostgreSQL, whose writers do not exclude each other).
    /// Waits at most the busy timeout; past it the transaction goes ahead and meets SQLite's busy handler as before.
    class WriteTurn {
    public:
        explicit WriteTurn(Database& db);
        ~WriteTurn();
        WriteTurn(const WriteTurn&) = delete;
        WriteTurn& operator=(const WriteTurn&) = delete;

    private:
        Database* db_ = nullptr;  // set when this turn holds the mutex
    };

    /// A pooled connection held for one call. The pooled session itself (not SOCI's wrapper) is handed out, so the
    /// statements prepared on it (db/prepared.hpp) stay valid across calls.
    class Lease {
    public:
        explicit Lease(soci::connection_pool& pool) : pool_(pool), pos_(pool.lease()) {}
        ~Lease() { pool_.give_back(pos_); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        soci::session& session() { return pool_.at(pos_); }

    private:
        soci::connection_pool& pool_;
        std::size_t pos_;
    };

    Database(DbConfig config, Engine engine);
    void Begin(soci::session& sql);

    DbConfig config_;
    Engine engine_;
    std::unique_ptr<soci::connection_pool> pool_;
    /// One per pooled connection; destroyed (and unregistered) before the pool closes the connections.
    std::vector<std::unique_ptr<StatementCache>> caches_;
    /// SQLite files only; stopped (and unhooked from the pool's connections) before the pool closes them.
    std::unique_ptr<class SqliteCheckpointer> checkpointer_;
    std::timed_mutex write_mu_;
    std::atomic<std::thread::id> write_owner_{};
    std::atomic<std::uint64_t> tx_count_{0}, tx_waited_{0}, tx_wait_us_{0}, tx_max_wait_us_{0};
};

/// libpq "key='value' ..." form of a PostgreSQL URL (SOCI 4.0 mangles URIs without a query string).
/// Throws DbError when libpq cannot parse it.
std::string PgConnInfo(const std::string& url);

/// Runs a script of several statements (a migration) through the engine's native API.
void ExecScript(soci::session& sql, Engine engine, const std::string& script);

/// True when the exception is a unique-constraint violation (both engines).
bool IsUniqueViolation(const std::exception& e);

/// Online copy of a SQLite database to `dest_path` (sqlite3_backup); consistent while the server writes.
core::Result<void> BackupSqlite(Database& db, const std::string& dest_path);

}  // namespace otdel::db
