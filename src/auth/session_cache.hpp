#pragma once
/// Cookie sessions identified recently, per process (issue 6: every request read its session row and user, ~5 % of a
/// stage move's CPU). An entry answers for at most `ttl_ms` after it was read, and only while the session is neither
/// expired, idle, nor due for its once-a-minute touch: every other case takes the database path, which decides and
/// refreshes the entry. What ends or changes a session in this process forgets it at once: sign-out, a sign-in that
/// rotates the presented cookie, a password change, a profile (language) change, a user disabled or dismissed — the
/// auth store's functions that write those rows call ForgetSession / ForgetUser, whichever room calls them. A
/// forgotten session or user is not cached again for a while (a request that read the row just before the revoking
/// transaction committed must not put the old state back). A change made by another process (`otdel user passwd`,
/// another server on the same PostgreSQL) is seen within `ttl_ms`.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::auth {

class SessionCache {
public:
    struct Entry {
        core::Id workspace_id = 0;
        core::Id user_id = 0;
        bool user_is_admin = false;
        std::string user_locale;
        std::string csrf_token;
        core::Millis expires_at = 0;
        core::Millis last_seen_at = 0;
        core::Millis read_at = 0;  // when the database said so
    };

    /// The process's cache (the auth store's writers reach it without a service at hand).
    static SessionCache& Global();

    /// The entry for a session id (the token's hash) read at most ttl_ms before `now`.
    std::optional<Entry> Find(const std::string& id, core::Millis now, core::Millis ttl_ms);
    /// Keeps what the database said at `entry.read_at`, unless the session or its user was forgotten since shortly
    /// before that read.
    void Put(const std::string& id, const Entry& entry);
    void ForgetSession(const std::string& id);
    void ForgetUser(core::Id workspace_id, core::Id user_id);
    /// Forgets everything, the quarantine too (tests: one process runs many databases whose ids repeat).
    void Clear();

    /// A forgotten session or user is not cached again for this long (steady clock: a service's clock may be manual).
    static constexpr core::Millis kQuarantineMs = 30'000;
    static constexpr std::size_t kMaxEntries = 20'000;

private:
    bool Quarantined(const std::string& id, core::Id ws, core::Id user, std::int64_t at) const;
    void Prune(std::int64_t at);

    mutable std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
    // When each session / user was forgotten, on the steady clock (ms): the services' clocks may be manual.
    std::unordered_map<std::string, std::int64_t> dead_sessions_;
    std::map<std::pair<core::Id, core::Id>, std::int64_t> dead_users_;
};

}  // namespace otdel::auth
