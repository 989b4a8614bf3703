// The daily plan's composition (ACT-2): the local day in the workspace's zone (DST included), which activity goes to
// which section, SLA clocks, and the order a head reads the team in.
#include <gtest/gtest.h>

#include "agenda/plan.hpp"

namespace otdel::agenda {
namespace {

using core::kHour;
// 2026-03-02 00:00 in Moscow (UTC+3) = 2026-03-01T21:00:00Z.
constexpr core::Millis kMoscowMidnight = 1'772'398'800'000;

PlanItem Item(core::Id id, std::string kind, core::Millis at) {
    PlanItem i;
    i.id = id;
    i.kind = std::move(kind);
    i.at = at;
    return i;
}
PlanItem Task(core::Id id, core::Millis due, bool done = false) {
    PlanItem i = Item(id, "task", due);
    i.due_at = due;
    i.done = done;
    return i;
}

TEST(DayWindow, IsTheLocalDayInUtc) {
    auto w = LocalDayWindow("Europe/Moscow", "2026-03-02");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->start, kMoscowMidnight);
    EXPECT_EQ(w->end - w->start, 24 * kHour);
    EXPECT_EQ(w->date, "2026-03-02");
}

TEST(DayWindow, LastsTwentyThreeOrTwentyFiveHoursAcrossDst) {
    auto spring = LocalDayWindow("Europe/Berlin", "2026-03-29");
    auto autumn = LocalDayWindow("Europe/Berlin", "2026-10-25");
    ASSERT_TRUE(spring && autumn);
    EXPECT_EQ(spring->end - spring->start, 23 * kHour);
    EXPECT_EQ(autumn->end - autumn->start, 25 * kHour);
}

TEST(DayWindow, RefusesBadDatesAndZones) {
    EXPECT_FALSE(LocalDayWindow("Europe/Moscow", "2026-02-30"));
    EXPECT_FALSE(LocalDayWindow("Europe/Moscow", "tomorrow"));
    EXPECT_FALSE(LocalDayWindow("Mars/Olympus", "2026-03-02"));
}

TEST(ComposeDay, PutsEachActivityInOneSection) {
    const DayWindow day{"2026-03-02", kMoscowMidnight, kMoscowMidnight + 24 * kHour};
    const core::Millis now = kMoscowMidnight + 12 * kHour;  // noon
    PlanItem meeting = Item(1, "meeting", kMoscowMidnight + 15 * kHour);
    meeting.starts_at = meeting.at;
    PlanItem early = Item(2, "meeting", kMoscowMidnight + 10 * kHour);
    early.starts_at = early.at;
    const PlanItem call = Item(3, "call", kMoscowMidnight + 9 * kHour);
    const PlanItem note = Item(4, "note", kMoscowMidnight + 9 * kHour);
    const PlanItem due_this_morning = Task(5, kMoscowMidnight + 11 * kHour);
    const PlanItem due_tonight = Task(6, kMoscowMidnight + 18 * kHour);
    const PlanItem done_today = Task(7, kMoscowMidnight + 8 * kHour, true);
    const PlanItem last_week = Task(8, kMoscowMidnight - 5 * 24 * kHour);
    const PlanItem next_week = Task(9, kMoscowMidnight + 7 * 24 * kHour);
    // Today's items also list the open tasks again (they are due today): each still lands once.
    const auto s = ComposeDay({meeting, early, call, note, due_this_morning, due_tonight, done_today},
                              {last_week, due_this_morning, due_tonight, next_week}, day, now);
    ASSERT_EQ(s.meetings.size(), 2u);
    EXPECT_EQ(s.meetings[0].id, 2);
    ASSERT_EQ(s.calls.size(), 1u);
    ASSERT_EQ(s.tasks.size(), 2u);
    EXPECT_EQ(s.tasks[0].id, 6);  // open first
    EXPECT_EQ(s.tasks[1].id, 7);
    ASSERT_EQ(s.overdue.size(), 2u);
    EXPECT_EQ(s.overdue[0].id, 8);  // oldest first
    EXPECT_EQ(s.overdue[1].id, 5);
}

TEST(Sla, RemainingOrBreached) {
    EXPECT_FALSE(SlaOf(1'000, 400).breached);
    EXPECT_EQ(SlaOf(1'000, 400).remaining_ms, 600);
    EXPECT_TRUE(SlaOf(1'000, 1'000).breached);
    EXPECT_EQ(SlaOf(1'000, 1'500).remaining_ms, -500);
}

TEST(Team, NeedingAttentionFirstThenByName) {
    std::vector<PersonCounts> team(4);
    team[0] = {1, "Яна", 2, 3, 1, 0, 0, 1, 0, 0};
    team[1] = {2, "Борис", 0, 0, 0, 2, 0, 0, 0, 0};
    team[2] = {3, "Анна", 0, 0, 0, 0, 0, 0, 1, 0};
    team[3] = {4, "Вера", 1, 0, 0, 0, 0, 0, 0, 0};
    RankTeam(team);
    EXPECT_EQ(team[0].user_id, 3);  // a breached SLA clock
    EXPECT_EQ(team[1].user_id, 2);  // overdue tasks
    EXPECT_EQ(team[2].user_id, 4);  // then by name
    EXPECT_EQ(team[3].user_id, 1);
    const auto t = TeamTotals(team);
    EXPECT_EQ(t.meetings, 3);
    EXPECT_EQ(t.calls, 3);
    EXPECT_EQ(t.overdue, 2);
    EXPECT_EQ(t.sla_running, 1);
    EXPECT_EQ(t.sla_breached, 1);
}

}  // namespace
}  // namespace otdel::agenda

namespace otdel::agenda {
namespace {

TEST(MeetingTimes, EndAfterStartWithinADay) {
    EXPECT_TRUE(CheckMeetingTimes(1'000'000, 1'000'000 + 3'600'000).empty());
    auto before = CheckMeetingTimes(1'000'000, 1'000'000);
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0].field, "ends_at");
    EXPECT_EQ(before[0].code, "before_start");
    EXPECT_EQ(CheckMeetingTimes(1'000'000, 1'000'000 + 25 * 3'600'000LL).at(0).code, "longer_than_day");
    EXPECT_EQ(CheckMeetingTimes(0, 5).at(0).field, "starts_at");
}

}  // namespace
}  // namespace otdel::agenda
