#pragma once
/// Test support: fresh, migrated databases on every engine the run has (SQLite always; PostgreSQL when
/// OTDEL_TEST_PG_DSN names a server, as `make test` does). Store tests are parameterised over Engines().
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace otdel::db {
/// Lets GoogleTest print an engine as "sqlite" / "postgres" (test names in ctest and failure messages).
inline void PrintTo(Engine e, std::ostream* os) {
    *os << EngineName(e);
}
}  // namespace otdel::db

namespace otdel::testing {

/// SQLite always; PostgreSQL when OTDEL_TEST_PG_DSN is set. With OTDEL_TEST_REQUIRE_PG=1 a missing DSN aborts.
std::vector<db::Engine> Engines();

/// A new empty database (SQLite: a temp file; PostgreSQL: a new database on the test server), migrated
/// unless `migrate` is false. Dropped/removed when the returned object is destroyed.
class TestDatabase {
public:
    explicit TestDatabase(db::Engine engine, bool migrate = true);
    ~TestDatabase();
    db::Database& db() { return *db_; }
    db::Database* operator->() { return db_.get(); }
    const std::string& url() const { return url_; }

private:
    db::Engine engine_;
    std::string url_;
    std::string name_;  // PostgreSQL database name or SQLite file path
    std::unique_ptr<db::Database> db_;
};

/// For INSTANTIATE_TEST_SUITE_P names: "sqlite" / "postgres".
std::string EngineParamName(db::Engine e);

}  // namespace otdel::testing
