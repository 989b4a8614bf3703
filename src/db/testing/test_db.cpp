#include "db/testing/test_db.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

#include <soci/postgresql/soci-postgresql.h>

#include "core/ids.hpp"
#include "db/migrations.hpp"

namespace otdel::testing {
namespace {

std::string PgDsn() {
    const char* dsn = std::getenv("OTDEL_TEST_PG_DSN");
    return dsn ? dsn : "";
}

// postgresql://user@host:port/dbname -> same URL with another database name.
std::string WithDatabase(const std::string& dsn, const std::string& name) {
    auto scheme = dsn.find("://");
    auto slash = dsn.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    auto query = dsn.find('?');
    std::string base = slash == std::string::npos ? dsn : dsn.substr(0, slash);
    std::string tail = query == std::string::npos ? "" : dsn.substr(query);
    return base + "/" + name + tail;
}

}  // namespace

std::vector<db::Engine> Engines() {
    std::vector<db::Engine> out{db::Engine::kSqlite};
    if (!PgDsn().empty()) {
        out.push_back(db::Engine::kPostgres);
    } else if (const char* req = std::getenv("OTDEL_TEST_REQUIRE_PG"); req && std::string(req) == "1") {
        throw std::runtime_error("OTDEL_TEST_REQUIRE_PG=1 but OTDEL_TEST_PG_DSN is not set");
    }
    return out;
}

std::string EngineParamName(db::Engine e) {
    return std::string(db::EngineName(e));
}

TestDatabase::TestDatabase(db::Engine engine, bool migrate) : engine_(engine) {
    static std::atomic<int> counter{0};
    const std::string suffix = std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + core::RandomToken(3);
    if (engine == db::Engine::kSqlite) {
        name_ = (std::filesystem::temp_directory_path() / ("otdel_test_" + suffix + ".db")).string();
        url_ = "sqlite:" + name_;
    } else {
        name_ = "otdel_test_" + suffix;
        {
            soci::session admin(soci::postgresql, db::PgConnInfo(PgDsn()));
            admin << "CREATE DATABASE " + name_;  // name_ is generated here, never user input
        }
        url_ = WithDatabase(PgDsn(), name_);
    }
    db_ = db::Database::Open({url_, 4, 5000});
    if (migrate) db::Migrate(*db_);
}

TestDatabase::~TestDatabase() {
    db_.reset();
    try {
        if (engine_ == db::Engine::kSqlite) {
            for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(name_ + ext);
        } else {
            soci::session admin(soci::postgresql, db::PgConnInfo(PgDsn()));
            admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
        }
    } catch (...) {
        // Best effort: a leftover temp database never fails a test.
    }
}

}  // namespace otdel::testing
