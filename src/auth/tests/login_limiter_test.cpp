#include "auth/login_limiter.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace otdel::auth {
namespace {

constexpr core::Millis kLimiterStart = 1'700'000'000'000;

TEST(LoginLimiter, AllowsUpToMaxFailuresThenRefusesWithRetryAfter) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {5, 100, 900});
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(limiter.RetryAfterSeconds("10.0.0.1", "a@x.ru"), 0) << i;
        limiter.RecordFailure("10.0.0.1", "a@x.ru");
        clock.Advance(10'000);
    }
    // Five failures at t=0,10,20,30,40 s; now t=50 s: blocked until the first leaves the 900 s window.
    EXPECT_EQ(limiter.RetryAfterSeconds("10.0.0.1", "a@x.ru"), 850);
    // The same e-mail from another address is blocked too; another e-mail from the same address is not.
    EXPECT_EQ(limiter.RetryAfterSeconds("10.0.0.2", "a@x.ru"), 850);
    EXPECT_EQ(limiter.RetryAfterSeconds("10.0.0.1", "b@x.ru"), 0);
}

TEST(LoginLimiter, WindowSlides) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {3, 100, 60});
    limiter.RecordFailure("ip", "a@x.ru");  // t=0
    clock.Advance(20'000);
    limiter.RecordFailure("ip", "a@x.ru");  // t=20
    clock.Advance(20'000);
    limiter.RecordFailure("ip", "a@x.ru");  // t=40
    EXPECT_EQ(limiter.RetryAfterSeconds("ip", "a@x.ru"), 20);
    clock.Advance(19'999);
    EXPECT_EQ(limiter.RetryAfterSeconds("ip", "a@x.ru"), 1);
    clock.Advance(1);  // t=60: the failure at t=0 left the window
    EXPECT_EQ(limiter.RetryAfterSeconds("ip", "a@x.ru"), 0);
    limiter.RecordFailure("ip", "a@x.ru");  // t=60: failures at 20, 40, 60
    EXPECT_EQ(limiter.RetryAfterSeconds("ip", "a@x.ru"), 20);
}

TEST(LoginLimiter, PerIpLimitCatchesASprayOverManyEmails) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {5, 10, 900});
    for (int i = 0; i < 10; ++i) {
        std::string email = "user" + std::to_string(i) + "@x.ru";
        EXPECT_EQ(limiter.RetryAfterSeconds("203.0.113.9", email), 0) << i;
        limiter.RecordFailure("203.0.113.9", email);
    }
    EXPECT_EQ(limiter.RetryAfterSeconds("203.0.113.9", "fresh@x.ru"), 900);
    EXPECT_EQ(limiter.RetryAfterSeconds("198.51.100.1", "fresh@x.ru"), 0);
}

TEST(LoginLimiter, SuccessClearsTheEmailButNotTheIp) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {2, 3, 900});
    limiter.RecordFailure("ip", "a@x.ru");
    limiter.RecordFailure("ip", "a@x.ru");
    EXPECT_GT(limiter.RetryAfterSeconds("", "a@x.ru"), 0);
    limiter.ClearEmail("a@x.ru");
    EXPECT_EQ(limiter.RetryAfterSeconds("", "a@x.ru"), 0);
    limiter.RecordFailure("ip", "a@x.ru");  // the IP now has 3 failures
    EXPECT_GT(limiter.RetryAfterSeconds("ip", "other@x.ru"), 0);
}

TEST(LoginLimiter, EmptyKeysAreNotLimited) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {1, 1, 900});
    limiter.RecordFailure("", "");
    EXPECT_EQ(limiter.RetryAfterSeconds("", ""), 0);
    EXPECT_EQ(limiter.tracked_keys(), 0u);
}

TEST(LoginLimiter, ExpiredWindowsAreSweptSoMemoryStaysBounded) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {5, 100000, 60});
    for (int i = 0; i < 1000; ++i) limiter.RecordFailure("", "spray" + std::to_string(i) + "@x.ru");
    EXPECT_EQ(limiter.tracked_keys(), 1000u);
    clock.Advance(61'000);
    for (int i = 0; i < 100; ++i) limiter.RecordFailure("", "late" + std::to_string(i) + "@x.ru");
    // The sweep after 1024 records dropped the 1000 expired e-mails.
    EXPECT_LT(limiter.tracked_keys(), 200u);
}

TEST(LoginLimiter, ThreadSafeUnderConcurrentFailures) {
    core::ManualClock clock(kLimiterStart);
    LoginLimiter limiter(clock, {1000, 100000, 900});
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&limiter, t] {
            for (int i = 0; i < 100; ++i) {
                limiter.RecordFailure("ip" + std::to_string(t), "shared@x.ru");
                (void)limiter.RetryAfterSeconds("ip", "shared@x.ru");
            }
        });
    }
    for (auto& th : threads) th.join();
    // 800 failures of one e-mail under a limit of 1000: not yet blocked; 200 more block it.
    EXPECT_EQ(limiter.RetryAfterSeconds("", "shared@x.ru"), 0);
    for (int i = 0; i < 200; ++i) limiter.RecordFailure("", "shared@x.ru");
    EXPECT_EQ(limiter.RetryAfterSeconds("", "shared@x.ru"), 900);
}

}  // namespace
}  // namespace otdel::auth
