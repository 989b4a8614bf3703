#pragma once
/// Group commit for durable intake: request threads hand in items and wait; one writer thread takes what has
/// queued up (up to max_batch), commits it with one transaction (one fsync on SQLite) through the sink, and only
/// then completes every waiter with its own result. Under load a batch forms while the previous one commits, so
/// throughput is bounded by rows per transaction, not by fsyncs per second.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/result.hpp"

namespace otdel::intake {

struct BatcherOptions {
    std::size_t max_batch = 256;
    /// How long the writer waits for more items when the previous batch was shared (load is on). 0: never waits.
    std::chrono::microseconds linger{1000};
    /// Items waiting beyond this are refused at once (503) instead of queueing without bound.
    std::size_t max_queue = 20'000;
};

struct BatcherStats {
    std::uint64_t items = 0;
    std::uint64_t batches = 0;
    std::uint64_t fallbacks = 0;  // batches retried one by one after the whole batch failed
    std::size_t largest_batch = 0;
};

template <class In, class Out>
class GroupCommitter {
public:
    /// Commits a batch in one transaction. Either one result per item, in order (an item's own failure
    /// does not stop the others), or an error for the whole batch (nothing committed) — then each item is
    /// retried alone so one poisonous item cannot fail its neighbours. Exceptions count as a whole-batch error.
    using Sink = std::function<core::Result<std::vector<core::Result<Out>>>(std::vector<In>&)>;

    GroupCommitter(Sink sink, BatcherOptions options = {}) : sink_(std::move(sink)), opt_(options) {
        thread_ = std::thread([this] { Loop(); });
    }
    ~GroupCommitter() { Stop(); }
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;

    /// Blocks until the item's batch has committed (or failed). After Stop(): kUnavailable.
    core::Result<Out> Submit(In item) {
        std::promise<core::Result<Out>> done;
        auto fut = done.get_future();
        {
            std::lock_guard lock(mu_);
            if (stopping_) return core::Error::Of(core::ErrorCode::kUnavailable);
            if (queue_.size() >= opt_.max_queue) return core::Error::Of(core::ErrorCode::kUnavailable);
            queue_.push_back(Waiting{std::move(item), std::move(done)});
        }
        cv_.notify_one();
        return fut.get();
    }

    /// Refuses new items, commits everything already queued, joins the writer. Idempotent.
    void Stop() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    BatcherStats stats() const {
        std::lock_guard lock(mu_);
        return stats_;
    }

private:
    struct Waiting {
        In item;
        std::promise<core::Result<Out>> done;
    };

    void Loop() {
        bool shared_last = false;
        for (;;) {
            std::vector<Waiting> batch;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty() && stopping_) return;
                if (shared_last && opt_.linger.count() > 0 && queue_.size() < opt_.max_batch && !stopping_)
                    cv_.wait_for(lock, opt_.linger, [&] { return stopping_ || queue_.size() >= opt_.max_batch; });
                const std::size_t n = std::min(queue_.size(), opt_.max_batch);
                batch.reserve(n);
                for (std::size_t i = 0; i < n; ++i) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
            }
            shared_last = batch.size() > 1;
            Commit(batch);
        }
    }

    void Commit(std::vector<Waiting>& batch) {
        std::vector<In> items;
        items.reserve(batch.size());
        for (auto& w : batch) items.push_back(w.item);
        auto results = Run(items);
        std::vector<core::Result<Out>> each;
        each.reserve(batch.size());
        const bool fallback = !results && batch.size() > 1;
        if (fallback) {
            for (auto& w : batch) {
                std::vector<In> one{w.item};
                auto r = Run(one);
                each.push_back(r ? std::move((*r)[0]) : core::Result<Out>(r.take_error()));
            }
        } else if (!results) {
            each.push_back(results.take_error());
        } else {
            for (auto& r : *results) each.push_back(std::move(r));
        }
        {
            // Counted before anyone is woken, so a waiter that returns sees its batch in the stats.
            std::lock_guard lock(mu_);
            stats_.items += batch.size();
            stats_.batches += 1;
            stats_.fallbacks += fallback ? 1 : 0;
            stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
        }
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(std::move(each[i]));
    }

    /// The sink's answer, with exceptions and a wrong result count turned into a whole-batch error.
    core::Result<std::vector<core::Result<Out>>> Run(std::vector<In>& items) {
        const std::size_t n = items.size();
        try {
            auto r = sink_(items);
            if (r && r->size() != n) {
                spdlog::error("intake batch: the sink answered {} results for {} items", r->size(), n);
                return core::Error::Of(core::ErrorCode::kInternal);
            }
            return r;
        } catch (const std::exception& e) {
            spdlog::error("intake batch of {} failed: {}", n, e.what());
            return core::Error::Of(core::ErrorCode::kInternal);
        }
    }

    Sink sink_;
    BatcherOptions opt_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Waiting> queue_;
    bool stopping_ = false;
    BatcherStats stats_;
    std::thread thread_;
};

}  // namespace otdel::intake
