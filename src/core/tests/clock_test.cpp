#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace otdel::core {
namespace {

constexpr Millis kStart = 1'700'000'000'000;

TEST(ManualClock, StartsWhereItIsTold) {
    ManualClock clock(kStart);
    EXPECT_EQ(clock.NowMs(), kStart);
    EXPECT_TRUE(clock.IsManual());
}

TEST(ManualClock, AdvanceMovesForwardByTheDelta) {
    ManualClock clock(kStart);
    clock.Advance(60'000);
    clock.Advance(1);
    EXPECT_EQ(clock.NowMs(), kStart + 60'001);
}

TEST(ManualClock, NegativeAdvanceIsIgnored) {
    ManualClock clock(kStart);
    clock.Advance(-5);
    EXPECT_EQ(clock.NowMs(), kStart);
}

TEST(ManualClock, SetMovesForward) {
    ManualClock clock(kStart);
    EXPECT_TRUE(clock.Set(kStart + 3'600'000));
    EXPECT_EQ(clock.NowMs(), kStart + 3'600'000);
}

TEST(ManualClock, SetToTheSameInstantIsAllowed) {
    ManualClock clock(kStart);
    EXPECT_TRUE(clock.Set(kStart));
    EXPECT_EQ(clock.NowMs(), kStart);
}

TEST(ManualClock, SetBackwardsIsRefusedAndTimeStays) {
    ManualClock clock(kStart);
    EXPECT_FALSE(clock.Set(kStart - 1));
    EXPECT_EQ(clock.NowMs(), kStart);
}

TEST(ManualClock, ListenersHearEveryMove) {
    ManualClock clock(kStart);
    int a = 0, b = 0;
    Millis seen = 0;
    clock.OnChange([&] {
        ++a;
        seen = clock.NowMs();
    });
    clock.OnChange([&] { ++b; });
    clock.Advance(10);
    clock.Set(kStart + 100);
    EXPECT_EQ(a, 2);
    EXPECT_EQ(b, 2);
    EXPECT_EQ(seen, kStart + 100);
}

TEST(ManualClock, RefusedSetDoesNotNotify) {
    ManualClock clock(kStart);
    int calls = 0;
    clock.OnChange([&] { ++calls; });
    clock.Set(kStart - 1000);
    clock.Advance(-1);
    EXPECT_EQ(calls, 0);
}

TEST(ManualClock, ListenerMayRegisterAnotherListenerWithoutDeadlock) {
    ManualClock clock(kStart);
    int inner = 0;
    bool registered = false;
    clock.OnChange([&] {
        if (!registered) {
            registered = true;
            clock.OnChange([&] { ++inner; });
        }
    });
    clock.Advance(1);
    clock.Advance(1);
    EXPECT_EQ(inner, 1);
}

TEST(SystemClock, IsCloseToTheRealTime) {
    SystemClock clock;
    auto real =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    EXPECT_NEAR(static_cast<double>(clock.NowMs()), static_cast<double>(real), 1000.0);
    EXPECT_FALSE(clock.IsManual());
}

}  // namespace
}  // namespace otdel::core
