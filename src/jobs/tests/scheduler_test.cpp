#include "jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "db/testing/test_db.hpp"

namespace otdel::jobs {
namespace {

using namespace std::chrono_literals;
using db::Engine;
using testing::TestDatabase;

constexpr core::Millis kT0 = 1'750'000'000'000;  // a fixed instant: the manual clock starts here
constexpr core::Id kWs = 0;                      // system-wide jobs

class SchedulerTest : public ::testing::TestWithParam<Engine> {
protected:
    JobSpec Spec(std::string kind, core::Millis run_at, int max_attempts = 10) {
        JobSpec s;
        s.workspace_id = kWs;
        s.kind = std::move(kind);
        s.run_at = run_at;
        s.max_attempts = max_attempts;
        return s;
    }
    JobRecord Get(core::Id id) {
        auto j = scheduler.store().Get(kWs, id);
        EXPECT_TRUE(j.has_value()) << "job " << id << " not found";
        return j.value_or(JobRecord{});
    }
    void CountRuns(const std::string& kind) {
        scheduler.Register(kind, [this](const JobContext&) -> core::Result<void> {
            ++runs;
            return core::Ok();
        });
    }

    TestDatabase t{GetParam()};
    core::ManualClock clock{kT0};
    Scheduler scheduler{t.db(), clock};
    std::atomic<int> runs{0};
};

TEST_P(SchedulerTest, JobDueInAMinuteDoesNotRunOneMillisecondEarly) {
    CountRuns("test.echo");
    scheduler.store().Schedule(Spec("test.echo", kT0 + 60'000), clock.NowMs());
    clock.Advance(59'999);
    EXPECT_EQ(scheduler.RunDue(), 0);
    EXPECT_EQ(runs, 0);
}

TEST_P(SchedulerTest, JobRunsWhenItsMinuteHasCome) {
    CountRuns("test.echo");
    core::Id id = scheduler.store().Schedule(Spec("test.echo", kT0 + 60'000), clock.NowMs());
    clock.Advance(60'000);
    EXPECT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(runs, 1);
    JobRecord j = Get(id);
    EXPECT_EQ(j.status, "done");
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.finished_at, kT0 + 60'000);
    EXPECT_EQ(scheduler.RunDue(), 0) << "a finished job never runs again";
}

TEST_P(SchedulerTest, HandlerSeesThePayloadAndTheClocksNow) {
    boost::json::object seen;
    core::Millis seen_now = 0;
    scheduler.Register("lead.remind", [&](const JobContext& ctx) -> core::Result<void> {
        seen = ctx.job.payload;
        seen_now = ctx.now;
        return core::Ok();
    });
    JobSpec s = Spec("lead.remind", kT0);
    s.payload = {{"lead_id", 42}, {"note", "Перезвонить клиенту"}};
    scheduler.store().Schedule(s, kT0);
    clock.Advance(5);
    ASSERT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(seen.at("lead_id").to_number<std::int64_t>(), 42);
    EXPECT_EQ(seen.at("note").as_string(), "Перезвонить клиенту");
    EXPECT_EQ(seen_now, kT0 + 5);
}

TEST_P(SchedulerTest, DueJobsRunEarliestFirst) {
    std::vector<std::string> order;
    scheduler.Register("test.order", [&](const JobContext& ctx) -> core::Result<void> {
        order.emplace_back(ctx.job.payload.at("name").as_string());
        return core::Ok();
    });
    JobSpec late = Spec("test.order", kT0 + 20'000), early = Spec("test.order", kT0 + 10'000);
    late.payload = {{"name", "late"}};
    early.payload = {{"name", "early"}};
    scheduler.store().Schedule(late, kT0);
    scheduler.store().Schedule(early, kT0);
    clock.Advance(30'000);
    EXPECT_EQ(scheduler.RunDue(), 2);
    EXPECT_EQ(order, (std::vector<std::string>{"early", "late"}));
}

TEST_P(SchedulerTest, FailedAttemptIsRetriedAfterExactlyTheBackoff) {
    scheduler.Register("test.flaky", [&](const JobContext&) -> core::Result<void> {
        ++runs;
        return core::Error::Of(core::ErrorCode::kUnavailable);
    });
    core::Id id = scheduler.store().Schedule(Spec("test.flaky", kT0), kT0);
    ASSERT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(Get(id).status, "pending");
    EXPECT_EQ(Get(id).run_at, kT0 + BackoffMs(1));

    clock.Advance(BackoffMs(1) - 1);
    EXPECT_EQ(scheduler.RunDue(), 0);
    clock.Advance(1);
    EXPECT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(Get(id).run_at, clock.NowMs() + BackoffMs(2));

    clock.Advance(BackoffMs(2) - 1);
    EXPECT_EQ(scheduler.RunDue(), 0);
    clock.Advance(1);
    EXPECT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(runs, 3);
}

TEST_P(SchedulerTest, JobFailsForGoodAfterMaxAttemptsWithTheLastError) {
    scheduler.Register("test.broken", [&](const JobContext&) -> core::Result<void> {
        ++runs;
        return core::Error::Of(core::ErrorCode::kConflict, "clock.backwards");
    });
    core::Id id = scheduler.store().Schedule(Spec("test.broken", kT0, /*max_attempts=*/3), kT0);
    for (int i = 0; i < 10; ++i) {
        scheduler.RunDue();
        clock.Advance(BackoffMs(100));  // past any back-off
    }
    EXPECT_EQ(runs, 3);
    JobRecord j = Get(id);
    EXPECT_EQ(j.status, "failed");
    EXPECT_EQ(j.attempts, 3);
    EXPECT_EQ(j.last_error, "conflict: clock.backwards");
    EXPECT_TRUE(j.finished_at.has_value());
}

TEST_P(SchedulerTest, ThrowingHandlerIsRetriedWithItsMessageRecorded) {
    scheduler.Register("test.throws", [&](const JobContext&) -> core::Result<void> {
        ++runs;
        throw std::runtime_error("smtp timeout");
    });
    core::Id id = scheduler.store().Schedule(Spec("test.throws", kT0), kT0);
    EXPECT_EQ(scheduler.RunDue(), 1);
    JobRecord j = Get(id);
    EXPECT_EQ(j.status, "pending");
    EXPECT_EQ(j.last_error, "smtp timeout");
    clock.Advance(BackoffMs(1));
    EXPECT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(runs, 2);
}

TEST_P(SchedulerTest, UnknownKindFailsAtOnce) {
    core::Id id = scheduler.store().Schedule(Spec("no.such.kind", kT0), kT0);
    EXPECT_EQ(scheduler.RunDue(), 1);
    JobRecord j = Get(id);
    EXPECT_EQ(j.status, "failed");
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.last_error, "no handler for kind no.such.kind");
    clock.Advance(BackoffMs(100));
    EXPECT_EQ(scheduler.RunDue(), 0);
}

TEST_P(SchedulerTest, DedupeKeyReusesThePendingTwin) {
    JobSpec s = Spec("sla.check", kT0 + 60'000);
    s.dedupe_key = "lead:42";
    core::Id first = scheduler.store().Schedule(s, kT0);
    s.run_at = kT0 + 120'000;
    core::Id second = scheduler.store().Schedule(s, kT0);
    EXPECT_EQ(first, second);
    EXPECT_EQ(Get(first).run_at, kT0 + 60'000) << "the twin keeps its own time";
}

TEST_P(SchedulerTest, RunningTwinDoesNotAbsorbANewSchedule) {
    JobSpec s = Spec("sla.check", kT0);
    s.dedupe_key = "lead:42";
    core::Id first = scheduler.store().Schedule(s, kT0);
    auto claimed = scheduler.store().Claim(kT0);
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->id, first);
    s.run_at = kT0 + 60'000;
    core::Id rearmed = scheduler.store().Schedule(s, kT0);
    EXPECT_NE(first, rearmed) << "the timer re-armed while the old one runs is kept";
    EXPECT_EQ(Get(rearmed).status, "pending");
    // The running one fails: its retry would duplicate the pending twin, so it ends instead.
    scheduler.store().Fail(*claimed, kT0 + 1, "boom");
    EXPECT_EQ(Get(first).status, "failed");
    EXPECT_NE(Get(first).last_error.find("superseded"), std::string::npos);
    EXPECT_EQ(Get(rearmed).status, "pending");
}

TEST_P(SchedulerTest, DifferentDedupeKeysAreDifferentJobs) {
    JobSpec a = Spec("sla.check", kT0), b = Spec("sla.check", kT0);
    a.dedupe_key = "lead:1";
    b.dedupe_key = "lead:2";
    EXPECT_NE(scheduler.store().Schedule(a, kT0), scheduler.store().Schedule(b, kT0));
}

TEST_P(SchedulerTest, FinishedJobIsNotATwin) {
    CountRuns("sla.check");
    JobSpec s = Spec("sla.check", kT0);
    s.dedupe_key = "lead:42";
    core::Id first = scheduler.store().Schedule(s, kT0);
    ASSERT_EQ(scheduler.RunDue(), 1);
    core::Id again = scheduler.store().Schedule(s, kT0);
    EXPECT_NE(first, again);
    EXPECT_EQ(Get(again).status, "pending");
}

TEST_P(SchedulerTest, JobsWithoutDedupeKeyAreNeverMerged) {
    EXPECT_NE(scheduler.store().Schedule(Spec("test.echo", kT0), kT0),
              scheduler.store().Schedule(Spec("test.echo", kT0), kT0));
}

TEST_P(SchedulerTest, ScheduledJobSurvivesARestart) {
    core::Id id = 0;
    {
        auto first = db::Database::Open({t.url(), 2, 5000});
        Scheduler before(*first, clock);
        JobSpec s = Spec("test.echo", kT0 + 60'000);
        s.payload = {{"n", 7}};
        id = before.store().Schedule(s, kT0);
    }  // scheduler destroyed and database closed: the process is gone
    auto reopened = db::Database::Open({t.url(), 2, 5000});
    Scheduler after(*reopened, clock);
    std::int64_t seen = 0;
    after.Register("test.echo", [&](const JobContext& ctx) -> core::Result<void> {
        seen = ctx.job.payload.at("n").to_number<std::int64_t>();
        return core::Ok();
    });
    EXPECT_EQ(after.RunDue(), 0);
    clock.Advance(60'000);
    EXPECT_EQ(after.RunDue(), 1);
    EXPECT_EQ(seen, 7);
    EXPECT_EQ(after.store().Get(kWs, id)->status, "done");
}

TEST_P(SchedulerTest, RunningJobIsNotTakenOverWhileLeased) {
    CountRuns("test.echo");
    scheduler.store().Schedule(Spec("test.echo", kT0), kT0);
    ASSERT_TRUE(scheduler.store().Claim(kT0).has_value());  // a worker took it... and crashed
    clock.Advance(kLeaseMs - 1);
    EXPECT_EQ(scheduler.RunDue(), 0);
    EXPECT_EQ(runs, 0);
}

TEST_P(SchedulerTest, RunningJobWhoseLeaseExpiredIsClaimedAgain) {
    CountRuns("test.echo");
    core::Id id = scheduler.store().Schedule(Spec("test.echo", kT0), kT0);
    auto claimed = scheduler.store().Claim(kT0);
    ASSERT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->id, id);
    clock.Advance(kLeaseMs + 1);
    EXPECT_EQ(scheduler.RunDue(), 1);
    EXPECT_EQ(runs, 1);
    JobRecord j = Get(id);
    EXPECT_EQ(j.status, "done");
    EXPECT_EQ(j.attempts, 2);
}

TEST_P(SchedulerTest, ClaimTakesAJobOnlyOnce) {
    scheduler.store().Schedule(Spec("test.echo", kT0), kT0);
    EXPECT_TRUE(scheduler.store().Claim(kT0).has_value());
    EXPECT_FALSE(scheduler.store().Claim(kT0).has_value());
}

TEST_P(SchedulerTest, NextRunAtIsTheEarliestPendingJob) {
    EXPECT_EQ(scheduler.store().NextRunAt(), std::nullopt);
    scheduler.store().Schedule(Spec("test.echo", kT0 + 5'000), kT0);
    scheduler.store().Schedule(Spec("test.echo", kT0 + 3'000), kT0);
    EXPECT_EQ(scheduler.store().NextRunAt(), kT0 + 3'000);
}

TEST_P(SchedulerTest, GetIsScopedByWorkspace) {
    JobSpec s = Spec("test.echo", kT0);
    s.workspace_id = 5;
    core::Id id = scheduler.store().Schedule(s, kT0);
    EXPECT_TRUE(scheduler.store().Get(5, id).has_value());
    EXPECT_FALSE(scheduler.store().Get(6, id).has_value());
}

TEST_P(SchedulerTest, BackgroundThreadRunsAJobWhenTheClockReachesIt) {
    CountRuns("test.echo");
    clock.OnChange([this] { scheduler.Wake(); });
    core::Id id = scheduler.store().Schedule(Spec("test.echo", kT0 + 60'000), kT0);
    scheduler.Start();
    clock.Advance(60'000);
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         runs == 0 && std::chrono::steady_clock::now() < deadline;)
        std::this_thread::sleep_for(10ms);
    scheduler.Stop();
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(Get(id).status, "done");
}

TEST_P(SchedulerTest, BackgroundThreadLeavesFutureJobsAlone) {
    CountRuns("test.echo");
    scheduler.store().Schedule(Spec("test.echo", kT0 + 60'000), kT0);
    scheduler.Start();
    scheduler.Wake();
    std::this_thread::sleep_for(200ms);
    scheduler.Stop();
    EXPECT_EQ(runs, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SchedulerTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::jobs
