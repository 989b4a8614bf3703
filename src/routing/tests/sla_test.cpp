// Pure SLA maths: deadlines in working time (weekends, holidays, absences), breach actions, free slots, coverage.
#include <date/date.h>
#include <gtest/gtest.h>

#include "routing/sla.hpp"

namespace otdel::routing {
namespace {

// Moscow local time (UTC+3 all year) as epoch milliseconds.
core::Millis Msk(int y, unsigned m, unsigned d, int hh, int mm) {
    using namespace std::chrono;
    const auto t = date::sys_days(date::year(y) / m / d) + hours(hh - 3) + minutes(mm);
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

org::WorkCalendar Cal(std::vector<org::DayException> exceptions = {}, std::vector<org::DayRange> absences = {}) {
    org::CalendarSpec spec;
    spec.exceptions = std::move(exceptions);
    spec.absences = std::move(absences);
    auto cal = org::WorkCalendar::Make(spec);
    EXPECT_TRUE(cal.ok());
    return *cal;
}

using core::kMinute;

TEST(SlaDeadline, InsideTheWorkingDayIsPlainAddition) {
    EXPECT_EQ(*Deadline(Cal(), Msk(2026, 3, 4, 10, 0), 60), Msk(2026, 3, 4, 11, 0));
    EXPECT_EQ(*Deadline(Cal(), Msk(2026, 3, 4, 10, 0), 5), Msk(2026, 3, 4, 10, 5));
}

TEST(SlaDeadline, FridayEveningLeadIsDueMondayMorning) {
    // Friday 17:30: 30 minutes on Friday, 30 more on Monday.
    EXPECT_EQ(*Deadline(Cal(), Msk(2026, 3, 6, 17, 30), 60), Msk(2026, 3, 9, 9, 30));
    // Arriving on Saturday: counting starts Monday 09:00.
    EXPECT_EQ(*Deadline(Cal(), Msk(2026, 3, 7, 12, 0), 60), Msk(2026, 3, 9, 10, 0));
}

TEST(SlaDeadline, AHolidaySkipsTheWholeDay) {
    const org::DayException holiday{org::MakeDay(2026, 3, 9), org::DayKind::kHoliday, {}};
    EXPECT_EQ(*Deadline(Cal({holiday}), Msk(2026, 3, 6, 17, 30), 60), Msk(2026, 3, 10, 9, 30));
}

TEST(SlaDeadline, AnAbsenceStartingMidSlaDoesNotStretchTheDeadline) {
    // Away from Monday: the person's calendar has no work then, the SLA calendar still does — the lead breaches
    // on Monday 09:30 and goes to someone who is there, instead of waiting out the vacation.
    const auto person = Cal({}, {{org::MakeDay(2026, 3, 9), org::MakeDay(2026, 3, 20)}});
    auto sla = SlaCalendar(person);
    ASSERT_TRUE(sla.ok());
    EXPECT_EQ(*Deadline(*sla, Msk(2026, 3, 6, 17, 30), 60), Msk(2026, 3, 9, 9, 30));
    EXPECT_EQ(*Deadline(person, Msk(2026, 3, 6, 17, 30), 60), Msk(2026, 3, 23, 9, 30));
}

TEST(SlaDeadline, ZeroOrNegativeMinutesAreRefused) {
    EXPECT_FALSE(Deadline(Cal(), Msk(2026, 3, 4, 10, 0), 0).ok());
    EXPECT_FALSE(Deadline(Cal(), Msk(2026, 3, 4, 10, 0), -5).ok());
}

TEST(SlaRemaining, CountsWorkingTimeAndGoesNegativeWhenOverdue) {
    const auto cal = Cal();
    const auto deadline = Msk(2026, 3, 9, 9, 30);
    EXPECT_EQ(RemainingWorkingMs(cal, Msk(2026, 3, 6, 17, 50), deadline), 40 * kMinute);
    EXPECT_EQ(RemainingWorkingMs(cal, Msk(2026, 3, 7, 12, 0), deadline), 30 * kMinute);
    EXPECT_EQ(RemainingWorkingMs(cal, Msk(2026, 3, 9, 9, 40), deadline), -10 * kMinute);
}

TEST(SlaBreach, ReassignsUntilTheLimitThenEscalates) {
    EXPECT_EQ(OnBreach(0, 2), BreachAction::kReassign);
    EXPECT_EQ(OnBreach(1, 2), BreachAction::kReassign);
    EXPECT_EQ(OnBreach(2, 2), BreachAction::kEscalate);
    EXPECT_EQ(OnBreach(0, 0), BreachAction::kEscalate);
}

TEST(HandoffSlots, FreeSlotsAvoidBusyTimeAndStayInsideWorkingHours) {
    const auto cal = Cal();
    const std::vector<Span> busy = {{Msk(2026, 3, 4, 10, 0), Msk(2026, 3, 4, 11, 30)}};
    auto slots = FreeSlots(cal, busy, Msk(2026, 3, 4, 8, 0), Msk(2026, 3, 4, 20, 0), 60, 30, 100);
    ASSERT_FALSE(slots.empty());
    EXPECT_EQ(slots.front().start, Msk(2026, 3, 4, 9, 0));
    for (const auto& s : slots) {
        EXPECT_GE(s.start, Msk(2026, 3, 4, 9, 0));
        EXPECT_LE(s.end, Msk(2026, 3, 4, 18, 0));
        EXPECT_TRUE(s.end <= busy[0].start || s.start >= busy[0].end);
    }
    // 09:00 only (09:30 would run into 10:00), then 11:30 … 17:00 every half hour.
    EXPECT_EQ(slots.size(), 1u + 12u);
    EXPECT_EQ(slots.back().start, Msk(2026, 3, 4, 17, 0));
    EXPECT_EQ(FreeSlots(cal, busy, Msk(2026, 3, 4, 8, 0), Msk(2026, 3, 4, 20, 0), 60, 30, 3).size(), 3u);
}

TEST(HandoffSlots, SlotCheckRefusesOverlapsAndOffHours) {
    const auto cal = Cal();
    const std::vector<Span> busy = {{Msk(2026, 3, 4, 10, 0), Msk(2026, 3, 4, 11, 0)}};
    EXPECT_TRUE(SlotIsFree(cal, busy, Msk(2026, 3, 4, 11, 0), 60));
    EXPECT_FALSE(SlotIsFree(cal, busy, Msk(2026, 3, 4, 10, 30), 60));
    EXPECT_FALSE(SlotIsFree(cal, busy, Msk(2026, 3, 4, 17, 30), 60));
    EXPECT_FALSE(SlotIsFree(cal, busy, Msk(2026, 3, 7, 12, 0), 60));  // Saturday
}

TEST(PoolCoverage, BusinessDaysWithFewerThanTwoOnDutyAreGaps) {
    const auto ws = Cal();
    const auto a = Cal();
    const auto b = Cal({}, {{org::MakeDay(2026, 3, 4), org::MakeDay(2026, 3, 5)}});
    // Monday 2 March … Sunday 8 March: b is away on Wednesday and Thursday; the weekend is not a business day.
    auto gaps = CoverageGaps({a, b}, ws, org::MakeDay(2026, 3, 2), 7, 2);
    ASSERT_EQ(gaps.size(), 2u);
    EXPECT_EQ(gaps[0].day, org::MakeDay(2026, 3, 4));
    EXPECT_EQ(gaps[0].on_duty, 1);
    EXPECT_EQ(gaps[1].day, org::MakeDay(2026, 3, 5));
    EXPECT_TRUE(CoverageGaps({a, a}, ws, org::MakeDay(2026, 3, 2), 7, 2).empty());
}

}  // namespace
}  // namespace otdel::routing
