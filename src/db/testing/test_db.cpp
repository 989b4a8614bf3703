#include "db/testing/test_db.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

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

// Migrating a fresh database costs ~0.1 s on SQLite and ~0.4 s on PostgreSQL, and the suite makes over a thousand of
// them. So the embedded migrations are applied once per run into a template named by their hash, and each test
// copies it: a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL. A changed migration gets a new name.
std::string MigrationsKey() {
    static const std::string key = [] {
        std::string all;
        for (const auto& f : db::EmbeddedMigrations()) {
            all += std::string(db::EngineName(f.engine)) + '\n' + std::string(f.file_name) + '\n' + std::string(f.sql) +
                   '\n';
        }
        return core::Sha256Hex(all).substr(0, 16);
    }();
    return key;
}

void MigrateInto(const std::string& url) {
    auto db = db::Database::Open({url, 1, 5000});
    db::Migrate(*db);
    if (db->engine() == db::Engine::kSqlite) {
        // Everything into the main file, so the template is one file (each copy turns WAL on again when opened).
        db->Read([](soci::session& sql) { sql << "PRAGMA wal_checkpoint(TRUNCATE)"; });
    }
}

// The SQLite template: built under a temporary name and renamed into place, so a test process that dies half-way
// never leaves a half-migrated template for the next one.
std::filesystem::path SqliteTemplate() {
    static std::once_flag once;
    static std::filesystem::path path;
    std::call_once(once, [] {
        const auto dir = std::filesystem::temp_directory_path();
        path = dir / ("otdel_template_" + MigrationsKey() + ".db");
        if (std::filesystem::exists(path)) return;
        const auto tmp = dir / ("otdel_template_" + MigrationsKey() + "." + std::to_string(getpid()) + "." +
                                core::RandomToken(3) + ".tmp");
        MigrateInto("sqlite:" + tmp.string());
        for (const char* ext : {"-wal", "-shm"}) std::filesystem::remove(tmp.string() + ext);
        std::filesystem::rename(tmp, path);
    });
    return path;
}

// The PostgreSQL template, made by the first test process that needs it while the others wait on an advisory lock;
// migrated under a temporary name and renamed, so it is complete whenever it exists.
std::string PgTemplate() {
    static std::once_flag once;
    static std::string name;
    std::call_once(once, [] {
        name = "otdel_template_" + MigrationsKey();
        soci::session admin(soci::postgresql, db::PgConnInfo(PgDsn()));
        admin << "SELECT pg_advisory_lock(7100452)";
        int exists = 0;
        admin << "SELECT COUNT(*) FROM pg_database WHERE datname = :n", soci::use(name), soci::into(exists);
        if (exists == 0) {
            const std::string building = name + "_" + std::to_string(getpid());
            admin << "DROP DATABASE IF EXISTS " + building + " WITH (FORCE)";
            admin << "CREATE DATABASE " + building;
            MigrateInto(WithDatabase(PgDsn(), building));
            admin << "ALTER DATABASE " + building + " RENAME TO " + name;
        }
        admin << "SELECT pg_advisory_unlock(7100452)";
    });
    return name;
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
        if (migrate) std::filesystem::copy_file(SqliteTemplate(), name_);
    } else {
        name_ = "otdel_test_" + suffix;
        const std::string from = migrate ? " TEMPLATE " + PgTemplate() : "";
        soci::session admin(soci::postgresql, db::PgConnInfo(PgDsn()));
        // name_ is generated here, never user input. Two copies of one template at the same moment can be refused
        // ("source database is being accessed by other users") while the other copy starts: try again.
        for (int attempt = 0;; ++attempt) {
            try {
                admin << "CREATE DATABASE " + name_ + from;
                break;
            } catch (const soci::soci_error&) {
                if (attempt == 20) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        url_ = WithDatabase(PgDsn(), name_);
    }
    db_ = db::Database::Open({url_, 4, 5000});
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
