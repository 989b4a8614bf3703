// The pure work-calendar rules: one behaviour per test. Expected instants are written in UTC by hand where the
// time zone matters, so a conversion bug cannot hide behind the same conversion in the test.
#include "org/work_calendar.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "calendar_time.hpp"
#include "org/calendar_production.hpp"

namespace otdel::org {
namespace {

using core::Millis;

using core::kHour;
using core::kMinute;

using test_support::Msk;
using test_support::Utc;

WorkCalendar Make(CalendarSpec spec) {
    auto cal = WorkCalendar::Make(std::move(spec));
    EXPECT_TRUE(cal.ok());
    return std::move(cal).value();
}

WorkCalendar Moscow() {
    return Make(CalendarSpec{});
}

WorkCalendar WithExceptions(std::vector<DayException> ex) {
    CalendarSpec spec;
    spec.exceptions = std::move(ex);
    return Make(spec);
}

WeekSchedule EveryDay(Interval iv) {
    WeekSchedule w;
    for (auto& d : w) d = {iv};
    return w;
}

Millis Add(const WorkCalendar& cal, Millis at, std::int64_t minutes) {
    auto r = AddWorkingMinutes(cal, at, minutes);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : 0;
}

// Russian production calendar for 2026 and 2027 as the workspace gets it.
WorkCalendar RussianMoscow(WeekSchedule week = DefaultWeek()) {
    CalendarSpec spec;
    spec.week = std::move(week);
    for (const auto& y : RussianProductionCalendar()) {
        auto days = ToExceptions(y);
        spec.exceptions.insert(spec.exceptions.end(), days.begin(), days.end());
    }
    return Make(spec);
}

// The eight-hour day of the legal norm: 09:00–18:00 with an unpaid lunch hour.
WeekSchedule EightHourWeek() {
    WeekSchedule w;
    for (int d = 0; d < 5; ++d) w[d] = {{9 * 60, 13 * 60}, {14 * 60, 18 * 60}};
    return w;
}

// ---- the default week ----

TEST(WorkCalendarWeek, WorksInsideHours) {
    EXPECT_TRUE(IsWorking(Moscow(), Msk(2026, 1, 12, 10)));  // Monday
}

TEST(WorkCalendarWeek, StartIsInclusive) {
    EXPECT_TRUE(IsWorking(Moscow(), Msk(2026, 1, 12, 9)));
    EXPECT_FALSE(IsWorking(Moscow(), Msk(2026, 1, 12, 9) - 1));
}

TEST(WorkCalendarWeek, EndIsExclusive) {
    EXPECT_FALSE(IsWorking(Moscow(), Msk(2026, 1, 12, 18)));
    EXPECT_TRUE(IsWorking(Moscow(), Msk(2026, 1, 12, 18) - 1));
}

TEST(WorkCalendarWeek, SaturdayAndSundayAreOff) {
    EXPECT_FALSE(IsWorking(Moscow(), Msk(2026, 1, 17, 12)));
    EXPECT_FALSE(IsWorking(Moscow(), Msk(2026, 1, 18, 12)));
}

TEST(WorkCalendarWeek, AddWithinTheDay) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 10), 60), Msk(2026, 1, 12, 11));
}

TEST(WorkCalendarWeek, AddEndingExactlyAtCloseIsTheCloseNotTheNextMorning) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 9), 540), Msk(2026, 1, 12, 18));
}

TEST(WorkCalendarWeek, AddCarriesIntoTheNextDay) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 17), 120), Msk(2026, 1, 13, 10));
}

TEST(WorkCalendarWeek, AddFromTheEveningStartsAtTheNextOpening) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 20), 30), Msk(2026, 1, 13, 9, 30));
}

TEST(WorkCalendarWeek, FridayEveningCarriesOverTheWeekend) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 16, 17, 30), 60), Msk(2026, 1, 19, 9, 30));
}

TEST(WorkCalendarWeek, AddFromSaturdayStartsOnMonday) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 17, 11), 15), Msk(2026, 1, 19, 9, 15));
}

TEST(WorkCalendarWeek, ZeroMinutesInsideWorkIsTheSameInstant) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 10, 7), 0), Msk(2026, 1, 12, 10, 7));
}

TEST(WorkCalendarWeek, ZeroMinutesOutsideWorkIsTheNextWorkingMoment) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 17, 11), 0), Msk(2026, 1, 19, 9));
}

TEST(WorkCalendarWeek, NegativeMinutesAreRefused) {
    auto r = AddWorkingMinutes(Moscow(), Msk(2026, 1, 12, 10), -1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
}

TEST(WorkCalendarWeek, MillisecondsArePreserved) {
    EXPECT_EQ(Add(Moscow(), Msk(2026, 1, 12, 10) + 500, 1), Msk(2026, 1, 12, 10, 1) + 500);
}

TEST(WorkCalendarWeek, MinutesBetweenCountsOnlyWorkingTime) {
    EXPECT_EQ(WorkingMinutesBetween(Moscow(), Msk(2026, 1, 16, 17), Msk(2026, 1, 19, 10)), 120);
}

TEST(WorkCalendarWeek, MinutesBetweenOfAReversedRangeIsZero) {
    EXPECT_EQ(WorkingMinutesBetween(Moscow(), Msk(2026, 1, 12, 12), Msk(2026, 1, 12, 10)), 0);
}

TEST(WorkCalendarWeek, NextWorkingMomentFromTheWeekend) {
    auto next = NextWorkingMoment(Moscow(), Msk(2026, 1, 18, 23));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(*next, Msk(2026, 1, 19, 9));
}

TEST(WorkCalendarWeek, LunchBreakIsNotWorked) {
    CalendarSpec spec;
    for (int d = 0; d < 5; ++d) spec.week[d] = {{9 * 60, 13 * 60}, {14 * 60, 18 * 60}};
    auto cal = Make(spec);
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 12, 13, 30)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 12, 12, 30), 60), Msk(2026, 1, 12, 14, 30));
}

// ---- holidays, transferred working days, shortened days ----

TEST(WorkCalendarExceptions, HolidayIsOff) {
    auto cal = WithExceptions({{MakeDay(2026, 1, 14), DayKind::kHoliday, {}}});
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 14, 12)));
}

TEST(WorkCalendarExceptions, AddSkipsAHoliday) {
    auto cal = WithExceptions({{MakeDay(2026, 1, 14), DayKind::kHoliday, {}}});
    EXPECT_EQ(Add(cal, Msk(2026, 1, 13, 17), 120), Msk(2026, 1, 15, 10));
}

TEST(WorkCalendarExceptions, TransferredWorkingSaturdayWorksTheUsualHours) {
    auto cal = WithExceptions({{MakeDay(2026, 1, 17), DayKind::kWorkingDay, {}}});
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 17, 9)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 17, 18)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 16, 17), 120), Msk(2026, 1, 17, 10));
}

TEST(WorkCalendarExceptions, TransferredWorkingDayWithExplicitHours) {
    auto cal = WithExceptions({{MakeDay(2026, 1, 17), DayKind::kWorkingDay, {{10 * 60, 15 * 60}}}});
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 17, 9, 30)));
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 17, 14, 59)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 17, 15)));
}

TEST(WorkCalendarExceptions, ShortDayEndsAnHourEarlier) {
    auto cal = WithExceptions({{MakeDay(2026, 4, 30), DayKind::kShortDay, {}}});
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 4, 30, 16, 59)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 4, 30, 17)));
    EXPECT_EQ(WorkingMinutesBetween(cal, Msk(2026, 4, 30), Msk(2026, 5, 1)), 8 * 60);
}

TEST(WorkCalendarExceptions, ShortDayCutsAcrossALunchBreak) {
    CalendarSpec spec;
    for (int d = 0; d < 5; ++d) spec.week[d] = {{9 * 60, 13 * 60}, {14 * 60, 14 * 60 + 30}};
    spec.exceptions = {{MakeDay(2026, 4, 30), DayKind::kShortDay, {}}};
    auto cal = Make(spec);
    // 30 minutes of the afternoon and 30 of the morning go.
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 4, 30, 14)));
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 4, 30, 12, 29)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 4, 30, 12, 30)));
}

TEST(WorkCalendarExceptions, ShortDayWithExplicitHours) {
    auto cal = WithExceptions({{MakeDay(2026, 4, 30), DayKind::kShortDay, {{9 * 60, 15 * 60}}}});
    EXPECT_EQ(WorkingMinutesBetween(cal, Msk(2026, 4, 30), Msk(2026, 5, 1)), 6 * 60);
}

TEST(WorkCalendarExceptions, ShortDayOnAWeekendStaysOff) {
    auto cal = WithExceptions({{MakeDay(2026, 1, 17), DayKind::kShortDay, {}}});
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 17, 10)));
}

// ---- overnight shifts ----

WorkCalendar NightShiftsFriSun() {
    CalendarSpec spec;
    spec.week = {};
    spec.week[4] = {{22 * 60, 6 * 60}};  // Fri 22:00 – Sat 06:00
    spec.week[6] = {{22 * 60, 6 * 60}};  // Sun 22:00 – Mon 06:00
    return Make(spec);
}

TEST(WorkCalendarOvernight, ShiftRunsPastMidnight) {
    auto cal = NightShiftsFriSun();
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 16, 21, 59)));
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 16, 22)));
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 17, 3)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 17, 6)));
}

TEST(WorkCalendarOvernight, SundayShiftRunsIntoMondayAcrossTheWeekEnd) {
    auto cal = NightShiftsFriSun();
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 19, 5, 59)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 19, 6)));
}

TEST(WorkCalendarOvernight, AddCrossesMidnight) {
    EXPECT_EQ(Add(NightShiftsFriSun(), Msk(2026, 1, 16, 23), 120), Msk(2026, 1, 17, 1));
}

TEST(WorkCalendarOvernight, AddFromTheMorningAfterWaitsForTheNextShift) {
    // Sat 07:00: the Friday shift is over; the next one is Sunday 22:00.
    EXPECT_EQ(Add(NightShiftsFriSun(), Msk(2026, 1, 17, 7), 60), Msk(2026, 1, 18, 23));
}

TEST(WorkCalendarOvernight, ShiftBelongsToTheDayItStarts) {
    CalendarSpec spec;
    spec.week = {};
    spec.week[4] = {{22 * 60, 6 * 60}};
    spec.exceptions = {{MakeDay(2026, 1, 17), DayKind::kHoliday, {}}};  // Saturday a holiday: Friday's shift stands
    EXPECT_TRUE(IsWorking(Make(spec), Msk(2026, 1, 17, 3)));
    spec.exceptions = {{MakeDay(2026, 1, 16), DayKind::kHoliday, {}}};  // Friday a holiday: the whole shift goes
    EXPECT_FALSE(IsWorking(Make(spec), Msk(2026, 1, 17, 3)));
}

TEST(WorkCalendarOvernight, AdjacentShiftsAcrossMidnightAreOneSpan) {
    CalendarSpec spec;
    spec.week = {};
    spec.week[0] = {{20 * 60, 24 * 60}};
    spec.week[1] = {{0, 4 * 60}};
    auto cal = Make(spec);
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 13, 0)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 12, 20), 360), Msk(2026, 1, 13, 2));
}

TEST(WorkCalendarOvernight, RoundTheClockSupport) {
    CalendarSpec spec;
    spec.week = EveryDay({0, 24 * 60});
    auto cal = Make(spec);
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 18, 3)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 17, 23), 7 * 24 * 60), Msk(2026, 1, 24, 23));
}

// ---- time zones without DST ----

TEST(WorkCalendarZones, MoscowIsUtcPlusThreeInSummerAndWinter) {
    auto cal = Moscow();
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 1, 12, 6)));
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 1, 12, 6) - 1));
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 7, 6, 6)));
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 7, 6, 6) - 1));
}

TEST(WorkCalendarZones, YekaterinburgIsUtcPlusFive) {
    CalendarSpec spec;
    spec.time_zone = "Asia/Yekaterinburg";
    auto cal = Make(spec);
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 1, 12, 4)));
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 1, 12, 13)));
    EXPECT_EQ(Add(cal, Utc(2026, 1, 12, 12), 120), Utc(2026, 1, 13, 5));
}

TEST(WorkCalendarZones, VladivostokMondayStartsOnSundayInUtc) {
    CalendarSpec spec;
    spec.time_zone = "Asia/Vladivostok";
    auto cal = Make(spec);
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 1, 11, 23)));  // Monday 09:00 in Vladivostok
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 1, 11, 22, 59)));
    EXPECT_EQ(Add(cal, Utc(2026, 1, 16, 7, 30), 60), Utc(2026, 1, 18, 23, 30));  // Fri 17:30 → Mon 09:30
}

TEST(WorkCalendarZones, TheSameLocalHoursAreDifferentInstantsInDifferentZones) {
    CalendarSpec spec;
    spec.time_zone = "Asia/Vladivostok";
    EXPECT_EQ(Add(Make(spec), Utc(2026, 1, 11, 23), 60) + 7 * kHour, Add(Moscow(), Utc(2026, 1, 12, 6), 60));
}

// ---- time zones with DST ----

WorkCalendar Nights(const char* zone) {
    CalendarSpec spec;
    spec.time_zone = zone;
    spec.week = EveryDay({22 * 60, 6 * 60});
    return Make(spec);
}

TEST(WorkCalendarDst, BerlinSpringForwardNightIsAnHourShorter) {
    // 29 March 2026: 02:00 CET → 03:00 CEST. Sat 22:00 CET = 21:00 UTC; Sun 06:00 CEST = 04:00 UTC.
    auto cal = Nights("Europe/Berlin");
    EXPECT_EQ(WorkingMinutesBetween(cal, Utc(2026, 3, 28, 21), Utc(2026, 3, 29, 4)), 7 * 60);
    EXPECT_EQ(Add(cal, Utc(2026, 3, 28, 21), 7 * 60), Utc(2026, 3, 29, 4));
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 3, 29, 4)));
}

TEST(WorkCalendarDst, BerlinFallBackNightIsAnHourLonger) {
    // 25 October 2026: 03:00 CEST → 02:00 CET. Sat 22:00 CEST = 20:00 UTC; Sun 06:00 CET = 05:00 UTC.
    auto cal = Nights("Europe/Berlin");
    EXPECT_EQ(WorkingMinutesBetween(cal, Utc(2026, 10, 24, 20), Utc(2026, 10, 25, 5)), 9 * 60);
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 10, 25, 4, 59)));
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 10, 25, 5)));
}

TEST(WorkCalendarDst, BerlinDayHoursFollowTheOffset) {
    CalendarSpec spec;
    spec.time_zone = "Europe/Berlin";
    auto cal = Make(spec);
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 3, 27, 8)));                     // Fri 09:00 CET
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 3, 30, 6, 30)));                // Mon 08:30 CEST
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 3, 30, 7)));                     // Mon 09:00 CEST
    EXPECT_EQ(Add(cal, Utc(2026, 3, 27, 16), 120), Utc(2026, 3, 30, 8));  // Fri 17:00 CET + 2 h → Mon 10:00 CEST
}

TEST(WorkCalendarDst, NewYorkIntervalStartingInTheSkippedHourStartsWhenClocksJump) {
    // 8 March 2026: 02:00 EST → 03:00 EDT (07:00 UTC). 02:30 does not exist.
    CalendarSpec spec;
    spec.time_zone = "America/New_York";
    spec.week = EveryDay({2 * 60 + 30, 5 * 60});
    auto cal = Make(spec);
    EXPECT_FALSE(IsWorking(cal, Utc(2026, 3, 8, 7) - 1));
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 3, 8, 7)));
    EXPECT_EQ(WorkingMinutesBetween(cal, Utc(2026, 3, 8), Utc(2026, 3, 9)), 2 * 60);
}

TEST(WorkCalendarDst, NewYorkRepeatedHourIsWorkedTwice) {
    // 1 November 2026: 02:00 EDT → 01:00 EST. 01:30 EDT = 05:30 UTC, 02:30 EST = 07:30 UTC.
    CalendarSpec spec;
    spec.time_zone = "America/New_York";
    spec.week = EveryDay({60 + 30, 2 * 60 + 30});
    auto cal = Make(spec);
    EXPECT_EQ(WorkingMinutesBetween(cal, Utc(2026, 11, 1), Utc(2026, 11, 2)), 2 * 60);
    EXPECT_TRUE(IsWorking(cal, Utc(2026, 11, 1, 6, 15)));  // 01:15 EST, the second time round
    EXPECT_EQ(Add(cal, Utc(2026, 11, 1, 5, 30), 90), Utc(2026, 11, 1, 7));
}

// ---- absences ----

CalendarSpec Absent(Day first, Day last) {
    CalendarSpec spec;
    spec.absences = {{first, last}};
    return spec;
}

TEST(WorkCalendarAbsence, AbsentDaysAreOff) {
    auto cal = Make(Absent(MakeDay(2026, 1, 12), MakeDay(2026, 1, 16)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 12, 10)));
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 16, 17)));
    EXPECT_TRUE(IsWorking(cal, Msk(2026, 1, 19, 9)));
}

TEST(WorkCalendarAbsence, AddWaitsUntilTheAbsenceEnds) {
    auto cal = Make(Absent(MakeDay(2026, 1, 13), MakeDay(2026, 1, 16)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 12, 17), 120), Msk(2026, 1, 19, 10));
}

TEST(WorkCalendarAbsence, OverlappingAbsencesAreMerged) {
    CalendarSpec spec;
    spec.absences = {{MakeDay(2026, 1, 14), MakeDay(2026, 1, 20)}, {MakeDay(2026, 1, 12), MakeDay(2026, 1, 15)}};
    auto cal = Make(spec);
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 19, 10)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 9, 17), 120), Msk(2026, 1, 21, 10));
}

TEST(WorkCalendarAbsence, NightShiftStartedBeforeTheAbsenceIsFinished) {
    CalendarSpec spec = Absent(MakeDay(2026, 1, 17), MakeDay(2026, 1, 31));
    spec.week = {};
    spec.week[4] = {{22 * 60, 6 * 60}};
    EXPECT_TRUE(IsWorking(Make(spec), Msk(2026, 1, 17, 5)));
}

TEST(WorkCalendarAbsence, AbsenceLongerThanTheIdleLimitIsAnError) {
    auto cal = Make(Absent(MakeDay(2026, 1, 1), MakeDay(2027, 6, 30)));
    auto r = AddWorkingMinutes(cal, Msk(2026, 1, 12, 10), 60);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message_key, "calendar.no_working_time");
}

TEST(WorkCalendarAbsence, LongAbsenceWithinTheLimitIsWaitedOut) {
    auto cal = Make(Absent(MakeDay(2026, 1, 12), MakeDay(2026, 12, 31)));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 12, 10), 60), Msk(2027, 1, 1, 10));
}

// ---- no working time ----

TEST(WorkCalendarLimits, EmptyWeekIsAnErrorNotAnEndlessLoop) {
    CalendarSpec spec;
    spec.week = {};
    auto cal = Make(spec);
    EXPECT_FALSE(AddWorkingMinutes(cal, Msk(2026, 1, 12), 1).ok());
    EXPECT_FALSE(NextWorkingMoment(cal, Msk(2026, 1, 12)).ok());
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 12, 10)));
}

TEST(WorkCalendarLimits, EmptyWeekWithOneWorkingDayFindsIt) {
    CalendarSpec spec;
    spec.week = {};
    spec.exceptions = {{MakeDay(2026, 6, 1), DayKind::kWorkingDay, {{10 * 60, 11 * 60}}}};
    EXPECT_EQ(Add(Make(spec), Msk(2026, 1, 12), 30), Msk(2026, 6, 1, 10, 30));
}

TEST(WorkCalendarLimits, MinutesBeyondAHundredYearsAreRefused) {
    EXPECT_FALSE(AddWorkingMinutes(Moscow(), Msk(2026, 1, 12), 100LL * 366 * 1440 + 1).ok());
}

// ---- the Russian production calendar ----

TEST(WorkCalendarRussia, NewYearHolidaysOf2026RunToJanuaryEleventh) {
    auto cal = RussianMoscow();
    EXPECT_FALSE(IsWorking(cal, Msk(2026, 1, 9, 10)));  // moved from Saturday 3 January
    EXPECT_EQ(Add(cal, Msk(2026, 1, 1, 10), 1), Msk(2026, 1, 12, 9, 1));
}

TEST(WorkCalendarRussia, AcrossTheYearBoundary) {
    // Wed 30 Dec 2026 17:00; Dec 31 is a day off by decree; Jan 1–8 2027 holidays; Jan 9–10 a weekend.
    EXPECT_EQ(Add(RussianMoscow(), Msk(2026, 12, 30, 17), 120), Msk(2027, 1, 11, 10));
}

TEST(WorkCalendarRussia, Year2026Has1972WorkingHoursOnAnEightHourDay) {
    // The legal norm: 247 working days × 8 h minus the four shortened days (30 Apr, 8 May, 11 Jun, 3 Nov).
    EXPECT_EQ(WorkingMinutesBetween(RussianMoscow(EightHourWeek()), Msk(2026, 1, 1), Msk(2027, 1, 1)),
              (247 * 8 - 4) * 60);
}

TEST(WorkCalendarRussia, Year2026On0900To1800WithoutLunch) {
    EXPECT_EQ(WorkingMinutesBetween(RussianMoscow(), Msk(2026, 1, 1), Msk(2027, 1, 1)), (247 * 9 - 4) * 60);
}

TEST(WorkCalendarRussia, LargeNSpanningTheWholeYear) {
    auto cal = RussianMoscow(EightHourWeek());
    const std::int64_t year = (247 * 8 - 4) * 60;
    EXPECT_EQ(Add(cal, Msk(2026, 1, 1), year), Msk(2026, 12, 30, 18));
    EXPECT_EQ(Add(cal, Msk(2026, 1, 1), year + 1), Msk(2027, 1, 11, 9, 1));
}

TEST(WorkCalendarRussia, MayHolidaysAndTheShortDayBefore) {
    auto cal = RussianMoscow();
    // Thu 30 April 2026 ends at 17:00; 1–3 May off; Mon 4 May works.
    EXPECT_EQ(Add(cal, Msk(2026, 4, 30, 16), 90), Msk(2026, 5, 4, 9, 30));
}

// ---- layers ----

TEST(WorkCalendarLayers, NothingSetIsTheWorkspaceDefault) {
    auto spec = Compose({});
    EXPECT_EQ(spec.time_zone, "Europe/Moscow");
    EXPECT_EQ(spec.week, DefaultWeek());
}

TEST(WorkCalendarLayers, DepartmentWeekAndEmployeeZone) {
    CalendarLayer workspace{std::string("Europe/Moscow"), std::nullopt,
                            std::vector<DayException>{{MakeDay(2026, 1, 14), DayKind::kHoliday, {}}}};
    CalendarLayer department{std::nullopt, EveryDay({8 * 60, 20 * 60}), std::nullopt};
    CalendarLayer employee{std::string("Asia/Vladivostok"), std::nullopt, std::nullopt};
    auto spec = Compose({workspace, department, employee});
    EXPECT_EQ(spec.time_zone, "Asia/Vladivostok");
    EXPECT_EQ(spec.week, EveryDay({8 * 60, 20 * 60}));
    ASSERT_EQ(spec.exceptions.size(), 1u);  // holidays come from the workspace
}

TEST(WorkCalendarLayers, EmployeeWeekReplacesTheDepartmentWeek) {
    CalendarLayer department{std::nullopt, EveryDay({8 * 60, 20 * 60}), std::nullopt};
    CalendarLayer employee{std::nullopt, DefaultWeek(), std::nullopt};
    EXPECT_EQ(Compose({CalendarLayer{}, department, employee}).week, DefaultWeek());
}

TEST(WorkCalendarLayers, AnEmptyHolidaySetOverridesTheWorkspaceHolidays) {
    CalendarLayer workspace{std::nullopt, std::nullopt,
                            std::vector<DayException>{{MakeDay(2026, 1, 14), DayKind::kHoliday, {}}}};
    CalendarLayer support{std::nullopt, std::nullopt, std::vector<DayException>{}};
    EXPECT_TRUE(Compose({workspace, support}).exceptions.empty());
}

// ---- validation and parsing ----

TEST(WorkCalendarValidation, UnknownTimeZoneIsRefused) {
    CalendarSpec spec;
    spec.time_zone = "Europe/Atlantis";
    auto r = WorkCalendar::Make(spec);
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "time_zone");
    EXPECT_EQ(r.error().fields[0].code, "invalid_time_zone");
}

TEST(WorkCalendarValidation, KnownZones) {
    EXPECT_TRUE(IsKnownTimeZone("Europe/Moscow"));
    EXPECT_TRUE(IsKnownTimeZone("Asia/Vladivostok"));
    EXPECT_FALSE(IsKnownTimeZone(""));
    EXPECT_FALSE(IsKnownTimeZone("../../etc/passwd"));
}

TEST(WorkCalendarValidation, ZeroLengthIntervalIsRefused) {
    auto e = ValidateIntervals({{9 * 60, 9 * 60}}, "week/mon");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "week/mon/0");
    EXPECT_EQ(e[0].code, "invalid_interval");
}

TEST(WorkCalendarValidation, OutOfRangeMinutesAreRefused) {
    EXPECT_EQ(ValidateIntervals({{-1, 60}}, "x").size(), 1u);
    EXPECT_EQ(ValidateIntervals({{1440, 60}}, "x").size(), 1u);
    EXPECT_EQ(ValidateIntervals({{60, 1441}}, "x").size(), 1u);
    EXPECT_TRUE(ValidateIntervals({{0, 1440}}, "x").empty());
}

TEST(WorkCalendarValidation, OverlappingIntervalsOfADayAreRefused) {
    auto e = ValidateIntervals({{14 * 60, 18 * 60}, {9 * 60, 15 * 60}}, "week/mon");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].code, "overlapping_intervals");
}

TEST(WorkCalendarValidation, TouchingIntervalsAreFine) {
    EXPECT_TRUE(ValidateIntervals({{9 * 60, 13 * 60}, {13 * 60, 18 * 60}}, "x").empty());
}

TEST(WorkCalendarValidation, OvernightIntervalOverlappingTheNextDayIsRefused) {
    WeekSchedule w;
    w[4] = {{22 * 60, 6 * 60}};
    w[5] = {{5 * 60, 10 * 60}};
    auto e = ValidateWeek(w, "week");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "week/sat");
    EXPECT_EQ(e[0].code, "overlapping_intervals");
}

TEST(WorkCalendarValidation, SundayNightOverlappingMondayMorningIsRefused) {
    WeekSchedule w;
    w[6] = {{22 * 60, 10 * 60}};
    w[0] = {{9 * 60, 18 * 60}};
    auto e = ValidateWeek(w, "week");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "week/mon");
}

TEST(WorkCalendarValidation, OvernightEveryDayEndingBeforeTheNextStartIsFine) {
    EXPECT_TRUE(ValidateWeek(EveryDay({22 * 60, 6 * 60}), "week").empty());
    EXPECT_TRUE(ValidateWeek(EveryDay({0, 24 * 60}), "week").empty());
}

TEST(WorkCalendarParsing, Dates) {
    EXPECT_EQ(ParseDay("2026-01-12"), MakeDay(2026, 1, 12));
    EXPECT_EQ(FormatDay(MakeDay(2027, 3, 8)), "2027-03-08");
    EXPECT_FALSE(ParseDay("2026-02-30"));
    EXPECT_FALSE(ParseDay("2026-1-12"));
    EXPECT_FALSE(ParseDay("12.01.2026"));
    EXPECT_FALSE(ParseDay("2026-01-1x"));
    EXPECT_EQ(WeekdayOf(MakeDay(2026, 1, 12)), 0);
    EXPECT_EQ(WeekdayOf(MakeDay(2026, 1, 18)), 6);
}

TEST(WorkCalendarParsing, ClocksAndIntervalLists) {
    EXPECT_EQ(ParseClock("09:30"), 570);
    EXPECT_EQ(ParseClock("24:00"), 1440);
    EXPECT_FALSE(ParseClock("24:01"));
    EXPECT_FALSE(ParseClock("9:30"));
    EXPECT_FALSE(ParseClock("09:60"));
    auto list = ParseIntervalList("09:00-13:00,22:00-06:00");
    ASSERT_TRUE(list);
    EXPECT_EQ(*list, (std::vector<Interval>{{540, 780}, {1320, 360}}));
    EXPECT_EQ(FormatIntervalList(*list), "09:00-13:00,22:00-06:00");
    EXPECT_TRUE(ParseIntervalList("")->empty());
    EXPECT_FALSE(ParseIntervalList("09:00-"));
    EXPECT_FALSE(ParseIntervalList("24:00-06:00"));
}

// ---- properties against a brute-force oracle ----

// A demanding calendar: a DST zone, split day shifts, an overnight shift, a holiday, a short day, an absence.
WorkCalendar Demanding() {
    CalendarSpec spec;
    spec.time_zone = "Europe/Berlin";
    spec.week = {};
    spec.week[0] = {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}};
    spec.week[1] = {{9 * 60, 18 * 60}};
    spec.week[2] = {{1 * 60 + 30, 3 * 60}, {22 * 60, 6 * 60}};
    spec.week[4] = {{21 * 60, 5 * 60}};
    spec.week[5] = {{10 * 60, 14 * 60}};
    spec.exceptions = {{MakeDay(2026, 3, 31), DayKind::kHoliday, {}},
                       {MakeDay(2026, 10, 20), DayKind::kShortDay, {}},
                       {MakeDay(2026, 3, 29), DayKind::kWorkingDay, {{2 * 60 + 15, 4 * 60}}},
                       {MakeDay(2026, 10, 25), DayKind::kWorkingDay, {{1 * 60, 4 * 60}}}};
    spec.absences = {{MakeDay(2026, 4, 6), MakeDay(2026, 4, 8)}};
    return Make(spec);
}

TEST(WorkCalendarProperties, MinutesBetweenMatchesMinuteByMinuteScan) {
    auto cal = Demanding();
    for (Millis start : {Utc(2026, 3, 23), Utc(2026, 4, 1), Utc(2026, 10, 18)}) {
        const Millis end = start + 14 * 24 * kHour;
        std::int64_t scanned = 0;
        for (Millis t = start; t < end; t += kMinute) scanned += IsWorking(cal, t) ? 1 : 0;
        EXPECT_EQ(WorkingMinutesBetween(cal, start, end), scanned) << start;
    }
}

TEST(WorkCalendarProperties, AddThenBetweenGivesTheMinutesBack) {
    auto cal = Demanding();
    std::mt19937_64 rng(20260329);
    std::uniform_int_distribution<Millis> when(Utc(2026, 3, 1), Utc(2026, 11, 30));
    std::uniform_int_distribution<std::int64_t> amount(0, 6000);
    for (int i = 0; i < 300; ++i) {
        const Millis at = when(rng) / kMinute * kMinute;
        const std::int64_t n = amount(rng);
        const Millis r = Add(cal, at, n);
        EXPECT_EQ(WorkingMillisBetween(cal, at, r), n * kMinute) << at << " + " << n;
        if (n > 0) {
            EXPECT_TRUE(IsWorking(cal, r - kMinute)) << at << " + " << n;
            EXPECT_TRUE(IsWorking(cal, r - 1)) << at << " + " << n;
            // Earliest: one millisecond less is not enough.
            EXPECT_EQ(WorkingMillisBetween(cal, at, r - 1), n * kMinute - 1);
        }
    }
}

TEST(WorkCalendarProperties, AddIsMonotonicInMinutes) {
    auto cal = Demanding();
    const Millis at = Utc(2026, 10, 22, 12);
    Millis prev = Add(cal, at, 0);
    for (int n = 1; n < 2000; n += 7) {
        const Millis r = Add(cal, at, n);
        EXPECT_GT(r, prev) << n;
        prev = r;
    }
}

TEST(WorkCalendarProperties, TenYearsOfMinutesIsFast) {
    auto cal = RussianMoscow();
    const auto started = std::chrono::steady_clock::now();
    auto r = AddWorkingMinutes(cal, Msk(2026, 1, 1), 10LL * 250 * 8 * 60);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(WorkingMinutesBetween(cal, Msk(2026, 1, 1), *r), 10LL * 250 * 8 * 60);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

}  // namespace
}  // namespace otdel::org
