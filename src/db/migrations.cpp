#include "db/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::db {
namespace {

constexpr const char* kCreateMigrationsSqlite =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr const char* kCreateMigrationsPostgres =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr const char* kSelectApplied = "SELECT version, checksum FROM schema_migrations ORDER BY version";
constexpr const char* kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, :t)";
// Serialises concurrent `otdel migrate` / server starts on PostgreSQL for the transaction's duration.
constexpr const char* kPgLock = "SELECT pg_advisory_xact_lock(727274001)";

std::map<int, std::string> Applied(soci::session& sql) {
    std::map<int, std::string> out;
    int version = 0;
    std::string checksum;
    soci::statement st = (sql.prepare << kSelectApplied, soci::into(version), soci::into(checksum));
    st.execute();
    while (st.fetch()) out[version] = checksum;
    return out;
}

}  // namespace

std::vector<Migration> PlanMigrations(Engine engine, const std::vector<MigrationFile>& files) {
    std::vector<Migration> out;
    for (const auto& f : files) {
        if (f.engine != engine) continue;
        std::string_view name = f.file_name;
        int version = 0;
        auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
        if (ec != std::errc() || p - name.data() != 4 || name.size() < 10 || name[4] != '_' ||
            name.substr(name.size() - 4) != ".sql") {
            throw DbError("migration file name must be NNNN_name.sql: " + std::string(name));
        }
        out.push_back({version, std::string(name.substr(5, name.size() - 9)), std::string(f.sql),
                       core::Sha256Hex(std::string(f.sql))});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].version != static_cast<int>(i) + 1) {
            throw DbError(std::string(EngineName(engine)) + " migrations must be numbered 1..N without gaps; found " +
                          std::to_string(out[i].version) + " at position " + std::to_string(i + 1));
        }
    }
    return out;
}

int CurrentVersion(Database& db) {
    return db.Read([&](soci::session& sql) {
        sql << (db.engine() == Engine::kSqlite ? kCreateMigrationsSqlite : kCreateMigrationsPostgres);
        int v = 0;
        soci::indicator ind;
        sql << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
        return ind == soci::i_ok ? v : 0;
    });
}

MigrationReport Migrate(Database& db, const std::vector<MigrationFile>& files) {
    const auto plan = PlanMigrations(db.engine(), files);
    MigrationReport report;
    report.from_version = CurrentVersion(db);
    report.to_version = report.from_version;
    core::SystemClock clock;
    for (const auto& m : plan) {
        auto r = db.InTx([&](soci::session& sql) -> core::Result<void> {
            if (db.engine() == Engine::kPostgres) sql << kPgLock;
            auto applied = Applied(sql);
            if (auto it = applied.find(m.version); it != applied.end()) {
                if (it->second != m.checksum) {
                    throw DbError("migration " + std::to_string(m.version) + "_" + m.name +
                                  " was changed after it had been applied; migrations are append-only");
                }
                return core::Ok();
            }
            ExecScript(sql, db.engine(), m.sql);
            long long now = clock.NowMs();
            sql << kInsertApplied, soci::use(m.version), soci::use(m.name), soci::use(m.checksum), soci::use(now);
            report.applied.push_back(std::to_string(m.version) + "_" + m.name);
            report.to_version = m.version;
            return core::Ok();
        });
        (void)r;
    }
    int current = CurrentVersion(db);
    if (current > static_cast<int>(plan.size())) {
        throw DbError("database schema version " + std::to_string(current) + " is newer than this binary (" +
                      std::to_string(plan.size()) + "); upgrade otdel");
    }
    report.to_version = current;
    return report;
}

}  // namespace otdel::db
