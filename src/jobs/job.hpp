#pragma once
/// Durable jobs: types and pure rules (no I/O).
#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::jobs {

struct JobSpec {
    core::Id workspace_id = 0;  // 0 for system-wide jobs
    std::string kind;           // "sla.check", "test.echo", ...
    boost::json::object payload;
    core::Millis run_at = 0;
    /// A pending job with the same (workspace, kind, dedupe_key) is reused instead of scheduling a twin.
    std::optional<std::string> dedupe_key;
    int max_attempts = 10;
};

enum class JobStatus { kPending, kRunning, kDone, kFailed };
std::string_view JobStatusName(JobStatus s);

struct JobRecord {
    core::Id id = 0;
    core::Id workspace_id = 0;
    std::string kind;
    boost::json::object payload;
    core::Millis run_at = 0;
    std::string status;
    int attempts = 0;
    int max_attempts = 0;
    std::string last_error;
    std::optional<core::Millis> finished_at;
};

/// Delay before retry number `attempts` (1-based count of failed attempts so far):
/// 30 s, 1 min, 2 min, ... doubling, capped at 1 hour. Deterministic so tests can step the clock exactly.
core::Millis BackoffMs(int attempts);

/// How long a claimed job is leased before another worker may take it over (a crashed worker's job).
inline constexpr core::Millis kLeaseMs = 5 * 60 * 1000;

}  // namespace otdel::jobs
