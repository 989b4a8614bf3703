#include <gtest/gtest.h>

#include "jobs/job.hpp"

namespace otdel::jobs {
namespace {

TEST(BackoffMs, DoublesFromThirtySeconds) {
    EXPECT_EQ(BackoffMs(1), 30'000);
    EXPECT_EQ(BackoffMs(2), 60'000);
    EXPECT_EQ(BackoffMs(3), 120'000);
    EXPECT_EQ(BackoffMs(4), 240'000);
    EXPECT_EQ(BackoffMs(5), 480'000);
    EXPECT_EQ(BackoffMs(6), 960'000);
    EXPECT_EQ(BackoffMs(7), 1'920'000);
}

TEST(BackoffMs, IsCappedAtOneHour) {
    EXPECT_EQ(BackoffMs(8), 3'600'000);
    EXPECT_EQ(BackoffMs(10), 3'600'000);
    EXPECT_EQ(BackoffMs(1000), 3'600'000);
}

TEST(BackoffMs, NeverShrinks) {
    for (int a = 1; a < 100; ++a) EXPECT_LE(BackoffMs(a), BackoffMs(a + 1)) << a;
}

TEST(BackoffMs, ZeroOrNegativeAttemptsWaitTheBaseDelay) {
    EXPECT_EQ(BackoffMs(0), 30'000);
    EXPECT_EQ(BackoffMs(-3), 30'000);
}

TEST(JobStatusName, NamesMatchTheDatabaseValues) {
    EXPECT_EQ(JobStatusName(JobStatus::kPending), "pending");
    EXPECT_EQ(JobStatusName(JobStatus::kRunning), "running");
    EXPECT_EQ(JobStatusName(JobStatus::kDone), "done");
    EXPECT_EQ(JobStatusName(JobStatus::kFailed), "failed");
}

}  // namespace
}  // namespace otdel::jobs
