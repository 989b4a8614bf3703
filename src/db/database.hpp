#pragma once
/// Database: a SOCI connection pool over SQLite (default, embedded) or PostgreSQL, and transactions.
/// Blocking: call only from worker threads, never from HTTP I/O threads.
#include <soci/soci.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/prepared.hpp"

namespace otdel::db {

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
    template <class F>
    auto InTx(F&& f) -> decltype(f(std::declval<soci::session&>())) {
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

private:
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
