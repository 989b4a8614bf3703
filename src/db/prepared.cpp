#include "db/prepared.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <mutex>
#include <shared_mutex>

namespace otdel::db {

namespace {

// Pooled sessions live as long as their Database; the map is written when a pool opens or closes and read on
// every prepared call.
std::shared_mutex& RegistryMutex() {
    static std::shared_mutex m;
    return m;
}
std::unordered_map<const soci::session*, StatementCache*>& Registry() {
    static std::unordered_map<const soci::session*, StatementCache*> r;
    return r;
}

}  // namespace

void ResetStatement(soci::session& sql, soci::statement& st) {
    // Debian's SOCI exports neither the backend's type info nor its reset(), so the engine is told by the session
    // and the SQLite statement reset through the C API (SOCI resets it again before each execute).
    if (sql.get_backend_name() != "sqlite3") return;
    auto* b = static_cast<soci::sqlite3_statement_backend*>(st.get_backend());
    if (b && b->stmt_) sqlite_api::sqlite3_reset(b->stmt_);
}

StatementCache* CacheOf(const soci::session& sql) {
    std::shared_lock lock(RegistryMutex());
    auto it = Registry().find(&sql);
    return it == Registry().end() ? nullptr : it->second;
}

void RegisterCache(const soci::session& sql, StatementCache* cache) {
    std::unique_lock lock(RegistryMutex());
    Registry()[&sql] = cache;
}

void UnregisterCache(const soci::session& sql) {
    std::unique_lock lock(RegistryMutex());
    Registry().erase(&sql);
}

}  // namespace otdel::db
