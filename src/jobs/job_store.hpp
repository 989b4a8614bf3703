#pragma once
/// SQL for durable jobs on both engines. Claiming is atomic: SQLite serialises writers (BEGIN IMMEDIATE),
/// PostgreSQL workers skip each other's rows with FOR UPDATE SKIP LOCKED.
#include <soci/soci.h>

#include <optional>

#include "db/database.hpp"
#include "jobs/job.hpp"

namespace otdel::jobs {

class JobStore {
public:
    explicit JobStore(db::Database& db) : db_(db) {}

    /// Inserts inside the caller's open transaction; with a dedupe_key returns the pending twin's id instead.
    static core::Id Schedule(soci::session& sql, const JobSpec& spec, core::Millis now);
    /// Marks the pending job with this (workspace, kind, dedupe_key) done without running it (a timer that is no
    /// longer needed), inside the caller's transaction. Returns whether there was one.
    static bool CancelPending(soci::session& sql, core::Id workspace_id, const std::string& kind,
                              const std::string& dedupe_key, core::Millis now);
    /// Convenience: Schedule in its own transaction.
    core::Id Schedule(const JobSpec& spec, core::Millis now);

    /// Takes the next due job (pending and run_at <= now, or a running job whose lease expired), marks it
    /// running and counts the attempt.
    std::optional<JobRecord> Claim(core::Millis now);
    void Complete(const JobRecord& job, core::Millis now);
    /// Reschedules with back-off, or marks failed when attempts are exhausted.
    void Fail(const JobRecord& job, core::Millis now, const std::string& error);

    std::optional<JobRecord> Get(core::Id workspace_id, core::Id id);
    /// Earliest run_at among pending jobs.
    std::optional<core::Millis> NextRunAt();

private:
    db::Database& db_;
};

}  // namespace otdel::jobs
