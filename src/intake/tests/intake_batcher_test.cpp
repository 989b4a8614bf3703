// GroupCommitter: batches form while a commit runs, each waiter gets its own result, a failed batch is retried one
// by one, shutdown drains what was queued and refuses the rest.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "intake/intake_batcher.hpp"

namespace otdel::intake {
namespace {

using Results = core::Result<std::vector<core::Result<int>>>;

TEST(GroupCommitter, EachWaiterGetsItsOwnResultInOrder) {
    std::mutex mu;
    std::vector<std::vector<int>> batches;
    std::atomic<bool> first{true};
    GroupCommitter<int, int> gc([&](std::vector<int>& items) -> Results {
        // An fsync; the first one slow enough that the other submitters surely queue up behind it.
        std::this_thread::sleep_for(std::chrono::milliseconds(first.exchange(false) ? 200 : 2));
        std::lock_guard lock(mu);
        batches.push_back(items);
        std::vector<core::Result<int>> out;
        for (int v : items) {
            if (v % 7 == 0)
                out.emplace_back(core::Error::Field("phone", "invalid_phone"));
            else
                out.emplace_back(v * 10);
        }
        return out;
    });
    constexpr int kThreads = 64;
    std::vector<std::thread> threads;
    std::vector<int> got(kThreads, -1);
    for (int i = 1; i <= kThreads; ++i)
        threads.emplace_back([&, i] {
            auto r = gc.Submit(i);
            got[static_cast<std::size_t>(i - 1)] = r ? *r : -(i);
        });
    for (auto& t : threads) t.join();
    for (int i = 1; i <= kThreads; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i - 1)], i % 7 == 0 ? -i : i * 10);
    const auto st = gc.stats();
    EXPECT_EQ(st.items, static_cast<std::uint64_t>(kThreads));
    EXPECT_LT(st.batches, static_cast<std::uint64_t>(kThreads)) << "concurrent submissions share commits";
    EXPECT_GT(st.largest_batch, 1u);
    // Inside a batch items keep their arrival order.
    std::lock_guard lock(mu);
    for (const auto& b : batches) EXPECT_LE(b.size(), 256u);
}

TEST(GroupCommitter, WholeBatchFailureIsRetriedOneByOne) {
    std::atomic<int> calls{0};
    GroupCommitter<int, int> gc(
        [&](std::vector<int>& items) -> Results {
            ++calls;
            for (int v : items)
                if (v == 13) {
                    if (items.size() > 1) return core::Error::Of(core::ErrorCode::kInternal);
                    throw std::runtime_error("poison");
                }
            std::vector<core::Result<int>> out;
            for (int v : items) out.emplace_back(v);
            return out;
        },
        BatcherOptions{.max_batch = 64, .linger = std::chrono::milliseconds(20)});
    std::vector<std::thread> threads;
    std::vector<int> got(20, 0);
    std::vector<char> failed(20, 0);  // not vector<bool>: threads write their own element
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            auto r = gc.Submit(i);
            if (r) {
                got[static_cast<std::size_t>(i)] = *r;
            } else {
                failed[static_cast<std::size_t>(i)] = 1;
            }
        });
    for (auto& t : threads) t.join();
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(failed[static_cast<std::size_t>(i)] != 0, i == 13) << i;
        if (i != 13) EXPECT_EQ(got[static_cast<std::size_t>(i)], i);
    }
}

TEST(GroupCommitter, StopDrainsQueuedItemsThenRefuses) {
    std::atomic<bool> release{false};
    std::atomic<int> committed{0};
    auto gc = std::make_unique<GroupCommitter<int, int>>([&](std::vector<int>& items) -> Results {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        committed += static_cast<int>(items.size());
        std::vector<core::Result<int>> out;
        for (int v : items) out.emplace_back(v);
        return out;
    });
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 10; ++i)
        threads.emplace_back([&, i] {
            if (gc->Submit(i)) ++ok;
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::thread stopper([&] { gc->Stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto late = gc->Submit(99);
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code, core::ErrorCode::kUnavailable);
    release = true;
    stopper.join();
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 10);
    EXPECT_EQ(committed.load(), 10);
}

TEST(GroupCommitter, WrongResultCountFailsTheBatchNotTheProcess) {
    GroupCommitter<int, int> gc([](std::vector<int>&) -> Results { return std::vector<core::Result<int>>{}; });
    auto r = gc.Submit(1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kInternal);
}

}  // namespace
}  // namespace otdel::intake
