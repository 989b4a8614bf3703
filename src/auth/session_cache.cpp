#include "auth/session_cache.hpp"

#include <chrono>

namespace otdel::auth {
namespace {

std::int64_t SteadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SessionCache& SessionCache::Global() {
    static SessionCache cache;
    return cache;
}

std::optional<SessionCache::Entry> SessionCache::Find(const std::string& id, core::Millis now, core::Millis ttl_ms) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    if (now < it->second.read_at || now - it->second.read_at >= ttl_ms) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

bool SessionCache::Quarantined(const std::string& id, core::Id ws, core::Id user, std::int64_t at) const {
    if (auto s = dead_sessions_.find(id); s != dead_sessions_.end() && at - s->second < kQuarantineMs) return true;
    if (auto u = dead_users_.find({ws, user}); u != dead_users_.end() && at - u->second < kQuarantineMs) return true;
    return false;
}

void SessionCache::Prune(std::int64_t at) {
    std::erase_if(dead_sessions_, [&](const auto& kv) { return at - kv.second >= kQuarantineMs; });
    std::erase_if(dead_users_, [&](const auto& kv) { return at - kv.second >= kQuarantineMs; });
}

void SessionCache::Put(const std::string& id, const Entry& entry) {
    const std::int64_t at = SteadyMs();
    std::lock_guard lock(mu_);
    if (Quarantined(id, entry.workspace_id, entry.user_id, at)) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();  // many sessions at once: start over rather than track age
    entries_.insert_or_assign(id, entry);
}

void SessionCache::ForgetSession(const std::string& id) {
    const std::int64_t at = SteadyMs();
    std::lock_guard lock(mu_);
    entries_.erase(id);
    if (dead_sessions_.size() >= kMaxEntries) Prune(at);
    dead_sessions_.insert_or_assign(id, at);
}

void SessionCache::ForgetUser(core::Id workspace_id, core::Id user_id) {
    const std::int64_t at = SteadyMs();
    std::lock_guard lock(mu_);
    std::erase_if(entries_, [&](const auto& kv) {
        return kv.second.workspace_id == workspace_id && kv.second.user_id == user_id;
    });
    if (dead_users_.size() >= kMaxEntries) Prune(at);
    dead_users_.insert_or_assign({workspace_id, user_id}, at);
}

void SessionCache::Clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
    dead_sessions_.clear();
    dead_users_.clear();
}

}  // namespace otdel::auth
