#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "core/messages.hpp"

namespace otdel::jobs {

void Scheduler::Register(const std::string& kind, JobHandler handler) {
    std::lock_guard lock(handlers_mu_);
    handlers_[kind] = std::move(handler);
}

void Scheduler::Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Scheduler::Wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

bool Scheduler::RunOne() {
    const core::Millis now = clock_.NowMs();
    auto job = store_.Claim(now);
    if (!job) return false;
    JobHandler handler;
    {
        std::lock_guard lock(handlers_mu_);
        if (auto it = handlers_.find(job->kind); it != handlers_.end()) handler = it->second;
    }
    if (!handler) {
        spdlog::error("job {} has unknown kind '{}'", job->id, job->kind);
        job->attempts = job->max_attempts;  // retrying cannot help
        store_.Fail(*job, now, "no handler for kind " + job->kind);
        return true;
    }
    try {
        auto r = handler(JobContext{*job, now, db_});
        if (r.ok()) {
            store_.Complete(*job, clock_.NowMs());
        } else {
            std::string msg(core::ErrorCodeName(r.error().code));
            if (!r.error().message_key.empty()) msg += ": " + r.error().message_key;
            spdlog::warn("job {} ({}) attempt {} failed: {}", job->id, job->kind, job->attempts, msg);
            store_.Fail(*job, clock_.NowMs(), msg);
        }
    } catch (const std::exception& e) {
        spdlog::warn("job {} ({}) attempt {} threw: {}", job->id, job->kind, job->attempts, e.what());
        store_.Fail(*job, clock_.NowMs(), e.what());
    }
    return true;
}

int Scheduler::RunDue() {
    std::lock_guard lock(run_mu_);
    int ran = 0;
    while (RunOne()) ++ran;
    return ran;
}

void Scheduler::Loop() {
    for (;;) {
        try {
            RunDue();
        } catch (const std::exception& e) {
            spdlog::error("job scheduler pass failed: {}", e.what());
        }
        // Sleep until the next job is due; poll at least every second for jobs other processes scheduled.
        std::chrono::milliseconds wait(1000);
        if (!clock_.IsManual()) {
            try {
                if (auto next = store_.NextRunAt()) {
                    auto delta = *next - clock_.NowMs();
                    wait = std::chrono::milliseconds(std::clamp<core::Millis>(delta, 0, 1000));
                }
            } catch (const std::exception& e) {
                spdlog::error("job scheduler cannot read the queue: {}", e.what());
            }
        }
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, wait, [&] { return woken_ || stop_; });
        if (stop_) return;
        woken_ = false;
    }
}

}  // namespace otdel::jobs
