#pragma once
/// Scheduler: one thread that wakes for the next due job and runs its handler. Time comes from the Clock,
/// so a manual clock moves SLA timers and reminders in tests; jobs are rows, so a restart loses none.
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/result.hpp"
#include "jobs/job_store.hpp"

namespace otdel::jobs {

struct JobContext {
    const JobRecord& job;
    core::Millis now;
    db::Database& db;
};

/// Handlers must be idempotent: a job may run again after a crash between its work and its completion.
using JobHandler = std::function<core::Result<void>(const JobContext&)>;

class Scheduler {
public:
    Scheduler(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock), store_(db) {}
    ~Scheduler() { Stop(); }

    void Register(const std::string& kind, JobHandler handler);
    JobStore& store() { return store_; }

    void Start();
    void Stop();
    /// Wakes the thread to look again (after scheduling, or when the manual clock moved).
    void Wake();
    /// Runs every job due now on the calling thread, waiting for a concurrent pass to finish first.
    /// Returns the number of jobs this call ran.
    int RunDue();

private:
    void Loop();
    bool RunOne();

    db::Database& db_;
    const core::Clock& clock_;
    JobStore store_;
    std::map<std::string, JobHandler> handlers_;
    std::mutex handlers_mu_;
    std::mutex run_mu_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace otdel::jobs
