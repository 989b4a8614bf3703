#include "jobs/job_store.hpp"

#include <boost/json.hpp>

#include "db/prepared.hpp"

namespace otdel::jobs {
namespace {

namespace json = boost::json;

constexpr const char* kInsertJob =
    "INSERT INTO jobs (workspace_id, kind, payload, run_at, status, max_attempts, dedupe_key, created_at, updated_at) "
    "VALUES (:ws, :kind, :payload, :run_at, 'pending', :max, :dedupe, :now, :now2) RETURNING id";
constexpr const char* kSelectTwin =
    "SELECT id FROM jobs WHERE workspace_id = :ws AND kind = :kind AND dedupe_key = :dedupe AND status = 'pending'";
constexpr const char* kClaimSqlite =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = :lease, updated_at = :now "
    "WHERE id = (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= :now2) "
    "OR (status = 'running' AND locked_until < :now3) ORDER BY run_at, id LIMIT 1) "
    "RETURNING id, workspace_id, kind, payload, run_at, attempts, max_attempts";
constexpr const char* kClaimPostgres =
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = :lease, updated_at = :now "
    "WHERE id = (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= :now2) "
    "OR (status = 'running' AND locked_until < :now3) ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, workspace_id, kind, payload::text, run_at, attempts, max_attempts";
constexpr const char* kComplete =
    "UPDATE jobs SET status = 'done', locked_until = NULL, finished_at = :now, updated_at = :now2 WHERE id = :id";
// A retry must not collide with a newer pending twin (same dedupe key) scheduled while this one ran.
constexpr const char* kRetry =
    "UPDATE jobs SET status = 'pending', locked_until = NULL, run_at = :run_at, last_error = :err, "
    "updated_at = :now WHERE id = :id AND NOT EXISTS (SELECT 1 FROM jobs t WHERE t.workspace_id = jobs.workspace_id "
    "AND t.kind = jobs.kind AND t.dedupe_key = jobs.dedupe_key AND t.status = 'pending')";
constexpr const char* kDead =
    "UPDATE jobs SET status = 'failed', locked_until = NULL, last_error = :err, finished_at = :now, "
    "updated_at = :now2 WHERE id = :id";
constexpr const char* kSelectJob =
    "SELECT id, workspace_id, kind, payload, run_at, status, attempts, max_attempts, last_error, finished_at "
    "FROM jobs WHERE workspace_id = :ws AND id = :id";
constexpr const char* kNextRunAt = "SELECT MIN(run_at) FROM jobs WHERE status = 'pending'";

json::object ParseObject(const std::string& s) {
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return (!ec && v.is_object()) ? v.as_object() : json::object{};
}

}  // namespace

constexpr const char* kCancelPending =
    "UPDATE jobs SET status = 'done', last_error = 'cancelled', finished_at = :now, updated_at = :now2 "
    "WHERE workspace_id = :ws AND kind = :kind AND dedupe_key = :dedupe AND status = 'pending'";

namespace {

// Scheduling and cancelling run inside other rooms' transactions, routing's for every new lead among them: prepared
// once per pooled connection (db/prepared.hpp).
struct ScheduleStatements {
    long long ws = 0, id = 0, run_at = 0, now = 0;
    int max = 0;
    std::string kind, payload, dedupe;
    soci::indicator id_ind = soci::i_null, dedupe_ind = soci::i_null;
    soci::statement twin, insert, cancel;
    explicit ScheduleStatements(soci::session& sql)
        : twin((sql.prepare << kSelectTwin, soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(dedupe, "dedupe"),
                soci::into(id, id_ind))),
          insert((sql.prepare << kInsertJob, soci::use(ws, "ws"), soci::use(kind, "kind"),
                  soci::use(payload, "payload"), soci::use(run_at, "run_at"), soci::use(max, "max"),
                  soci::use(dedupe, dedupe_ind, "dedupe"), soci::use(now, "now"), soci::use(now, "now2"),
                  soci::into(id))),
          cancel((sql.prepare << kCancelPending, soci::use(now, "now"), soci::use(now, "now2"), soci::use(ws, "ws"),
                  soci::use(kind, "kind"), soci::use(dedupe, "dedupe"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, twin);
        db::ResetStatement(sql, insert);
        db::ResetStatement(sql, cancel);
    }
};

}  // namespace

core::Id JobStore::Schedule(soci::session& sql, const JobSpec& spec, core::Millis now) {
    return db::WithPrepared<ScheduleStatements>(sql, [&](ScheduleStatements& q) -> core::Id {
        q.ws = spec.workspace_id;
        q.kind = spec.kind;
        if (spec.dedupe_key) {
            q.dedupe = *spec.dedupe_key;
            q.id_ind = soci::i_null;
            if (q.twin.execute(true) && q.id_ind == soci::i_ok) return q.id;
        }
        q.run_at = spec.run_at;
        q.now = now;
        q.max = spec.max_attempts;
        q.payload = json::serialize(spec.payload);
        q.dedupe = spec.dedupe_key.value_or("");
        q.dedupe_ind = spec.dedupe_key ? soci::i_ok : soci::i_null;
        q.id = 0;
        q.insert.execute(true);
        return q.id;
    });
}

bool JobStore::CancelPending(soci::session& sql, core::Id workspace_id, const std::string& kind,
                             const std::string& dedupe_key, core::Millis now) {
    return db::WithPrepared<ScheduleStatements>(sql, [&](ScheduleStatements& q) {
        q.ws = workspace_id;
        q.now = now;
        q.kind = kind;
        q.dedupe = dedupe_key;
        q.cancel.execute(true);
        return q.cancel.get_affected_rows() > 0;
    });
}

core::Id JobStore::Schedule(const JobSpec& spec, core::Millis now) {
    core::Id id = 0;
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        id = Schedule(sql, spec, now);
        return core::Ok();
    });
    (void)r;
    return id;
}

std::optional<JobRecord> JobStore::Claim(core::Millis now) {
    std::optional<JobRecord> out;
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        long long lease = now + kLeaseMs, now_ll = now, id = 0, ws = 0, run_at = 0;
        int attempts = 0, max = 0;
        std::string kind, payload;
        const char* q = db_.engine() == db::Engine::kSqlite ? kClaimSqlite : kClaimPostgres;
        sql << q, soci::use(lease, "lease"), soci::use(now_ll, "now"), soci::use(now_ll, "now2"),
            soci::use(now_ll, "now3"), soci::into(id), soci::into(ws), soci::into(kind), soci::into(payload),
            soci::into(run_at), soci::into(attempts), soci::into(max);
        if (!sql.got_data()) return core::Ok();
        JobRecord j;
        j.id = id;
        j.workspace_id = ws;
        j.kind = kind;
        j.payload = ParseObject(payload);
        j.run_at = run_at;
        j.status = "running";
        j.attempts = attempts;
        j.max_attempts = max;
        out = std::move(j);
        return core::Ok();
    });
    (void)r;
    return out;
}

void JobStore::Complete(const JobRecord& job, core::Millis now) {
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        long long now_ll = now, id = job.id;
        sql << kComplete, soci::use(now_ll, "now"), soci::use(now_ll, "now2"), soci::use(id, "id");
        return core::Ok();
    });
    (void)r;
}

void JobStore::Fail(const JobRecord& job, core::Millis now, const std::string& error) {
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        long long now_ll = now, id = job.id;
        std::string err = error.substr(0, 2000);
        if (job.attempts >= job.max_attempts) {
            sql << kDead, soci::use(err, "err"), soci::use(now_ll, "now"), soci::use(now_ll, "now2"),
                soci::use(id, "id");
        } else {
            long long run_at = now + BackoffMs(job.attempts);
            soci::statement st = (sql.prepare << kRetry, soci::use(run_at, "run_at"), soci::use(err, "err"),
                                  soci::use(now_ll, "now"), soci::use(id, "id"));
            st.execute(true);
            if (st.get_affected_rows() == 0) {
                // A newer pending twin will do the work: this attempt ends here.
                std::string superseded = err + " (superseded by a newer pending job)";
                sql << kDead, soci::use(superseded, "err"), soci::use(now_ll, "now"), soci::use(now_ll, "now2"),
                    soci::use(id, "id");
            }
        }
        return core::Ok();
    });
    (void)r;
}

std::optional<JobRecord> JobStore::Get(core::Id workspace_id, core::Id id) {
    return db_.Read([&](soci::session& sql) -> std::optional<JobRecord> {
        long long ws = workspace_id, jid = id, out_id = 0, out_ws = 0, run_at = 0, finished = 0;
        int attempts = 0, max = 0;
        std::string kind, payload, status, err;
        soci::indicator err_ind, fin_ind;
        sql << kSelectJob, soci::use(ws, "ws"), soci::use(jid, "id"), soci::into(out_id), soci::into(out_ws),
            soci::into(kind), soci::into(payload), soci::into(run_at), soci::into(status), soci::into(attempts),
            soci::into(max), soci::into(err, err_ind), soci::into(finished, fin_ind);
        if (!sql.got_data()) return std::nullopt;
        JobRecord j;
        j.id = out_id;
        j.workspace_id = out_ws;
        j.kind = kind;
        j.payload = ParseObject(payload);
        j.run_at = run_at;
        j.status = status;
        j.attempts = attempts;
        j.max_attempts = max;
        if (err_ind == soci::i_ok) j.last_error = err;
        if (fin_ind == soci::i_ok) j.finished_at = finished;
        return j;
    });
}

std::optional<core::Millis> JobStore::NextRunAt() {
    return db_.Read([&](soci::session& sql) -> std::optional<core::Millis> {
        long long at = 0;
        soci::indicator ind;
        sql << kNextRunAt, soci::into(at, ind);
        if (ind != soci::i_ok) return std::nullopt;
        return at;
    });
}

}  // namespace otdel::jobs
