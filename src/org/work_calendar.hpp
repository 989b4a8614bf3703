#pragma once
/// Work calendars (ORG-5): when a person works, as pure functions over plain structs — the base of every SLA.
///
/// A calendar is a time zone, a weekly schedule in local time, dated exceptions (holidays, transferred working
/// days, shortened pre-holiday days) and the person's absences. Work time is a set of UTC half-open intervals
/// [start, end); an interval belongs to the local day it starts on, so an overnight shift (Fri 22:00–06:00) is
/// governed by Friday's exceptions and absences even though it ends on Saturday.
///
/// No SQL, JSON or HTTP here: the service composes layers from the database and calls these functions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace date {
class time_zone;
}

namespace otdel::org {

/// A civil date as days since 1970-01-01 (the proleptic Gregorian calendar). Cheap to compare and step.
struct Day {
    int days = 0;
    auto operator<=>(const Day&) const = default;
};

Day MakeDay(int year, unsigned month, unsigned day);
/// "YYYY-MM-DD" for a real date (2026-02-30 is refused); nullopt otherwise.
std::optional<Day> ParseDay(std::string_view text);
std::string FormatDay(Day d);
int YearOf(Day d);
/// ISO weekday: 0 = Monday … 6 = Sunday.
int WeekdayOf(Day d);

inline constexpr int kMinutesPerDay = 1440;

/// Local working time within one day, in minutes since local midnight. end > start is an ordinary interval;
/// end <= start means the interval crosses midnight and ends on the next day at `end` (22:00–06:00).
/// 00:00–24:00 (end 1440) is the whole day; start == end is refused.
struct Interval {
    int start = 0;  // 0..1439
    int end = 0;    // 0..1440
    bool Overnight() const { return end <= start; }
    int Length() const { return Overnight() ? kMinutesPerDay - start + end : end - start; }
    bool operator==(const Interval&) const = default;
};

/// Per ISO weekday (0 = Monday) the intervals starting that day, sorted by start.
using WeekSchedule = std::array<std::vector<Interval>, 7>;

/// Mon–Fri 09:00–18:00: the workspace default.
WeekSchedule DefaultWeek();
inline constexpr std::string_view kDefaultTimeZone = "Europe/Moscow";

enum class DayKind {
    kHoliday,     // no work starts on this day
    kWorkingDay,  // a transferred working day (e.g. a working Saturday)
    kShortDay,    // a shortened pre-holiday day (Labour Code art. 95: one hour shorter)
};
std::string_view DayKindName(DayKind k);  // "holiday", "working", "short"
std::optional<DayKind> ParseDayKind(std::string_view name);

/// How much shorter a kShortDay without explicit hours is.
inline constexpr int kShortDayMinutes = 60;

/// One dated exception. `hours` overrides the day's intervals for kWorkingDay and kShortDay. Without hours,
/// a working day follows the schedule of the first weekday (from Monday) that has work, and a short day is
/// the weekday's own schedule with its last kShortDayMinutes cut off.
struct DayException {
    Day day;
    DayKind kind = DayKind::kHoliday;
    std::vector<Interval> hours;
};

/// Inclusive range of local dates on which the person does not work (vacation, sick leave, ...).
struct DayRange {
    Day first, last;
};

/// One layer of settings: workspace, department or employee. Unset fields inherit from the less specific layer.
struct CalendarLayer {
    std::optional<std::string> time_zone;
    std::optional<WeekSchedule> week;
    /// Replaces the exceptions of less specific layers (e.g. an empty set for 24/7 support staff).
    std::optional<std::vector<DayException>> exceptions;
};

/// The effective settings of one person: the workspace layer overridden by the given more specific layers
/// (department, then employee), with the workspace defaults for anything nobody set.
struct CalendarSpec {
    std::string time_zone = std::string(kDefaultTimeZone);
    WeekSchedule week = DefaultWeek();
    std::vector<DayException> exceptions;
    std::vector<DayRange> absences;
};

CalendarSpec Compose(const std::vector<CalendarLayer>& layers_from_general_to_specific);

/// Validation of the parts, as field errors ("time_zone" / "week/mon/1" ...): empty when valid.
bool IsKnownTimeZone(std::string_view name);
/// Intervals of one day: each valid (0 <= start < 1440, 0 <= end <= 1440, start != end) and not overlapping each
/// other (an overnight interval occupies [start, 1440 + end) on the day's timeline).
std::vector<core::FieldError> ValidateIntervals(const std::vector<Interval>& intervals, const std::string& field);
/// The whole week, including overnight intervals running into the next day's intervals (Sun → Mon wraps).
std::vector<core::FieldError> ValidateWeek(const WeekSchedule& week, const std::string& field);

/// "HH:MM" (00:00..24:00) → minutes; nullopt otherwise.
std::optional<int> ParseClock(std::string_view text);
std::string FormatClock(int minutes);
/// "09:00-13:00,14:00-18:00" ↔ intervals (the storage form; "" is no intervals). nullopt on bad text.
std::optional<std::vector<Interval>> ParseIntervalList(std::string_view text);
std::string FormatIntervalList(const std::vector<Interval>& intervals);
inline constexpr std::array<std::string_view, 7> kWeekdayKeys = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/// Refusal bound: a calendar with no working time for this many consecutive days is an error, not a loop.
inline constexpr int kMaxIdleDays = 400;

/// A validated calendar ready for queries. Cheap to copy (the zone is a pointer into the tz database).
class WorkCalendar {
public:
    /// Validates the spec (known zone, valid intervals) and indexes exceptions and absences.
    static core::Result<WorkCalendar> Make(CalendarSpec spec);

    /// UTC [start, end) intervals of work starting on local day `d`, in order (empty on a day off).
    std::vector<std::pair<core::Millis, core::Millis>> WorkOn(Day d) const;
    /// The local date of an instant in the calendar's zone.
    Day LocalDay(core::Millis at) const;
    /// Local intervals of day `d` after exceptions and absences (before conversion to UTC).
    std::vector<Interval> LocalIntervals(Day d) const;

    const CalendarSpec& spec() const { return spec_; }

private:
    WorkCalendar() = default;
    const std::vector<Interval>& FirstWorkingWeekday() const;

    CalendarSpec spec_;
    const date::time_zone* zone_ = nullptr;
};

/// The calendar date "YYYY-MM-DD" of instant `at` in `time_zone` (an IANA name); the UTC date when the zone is
/// unknown. "Today" of a workspace for absences and visibility.
std::string LocalDateText(std::string_view time_zone, core::Millis at);

/// True when the person works at instant `at` (intervals are half-open: 18:00 itself is off).
bool IsWorking(const WorkCalendar& cal, core::Millis at);

/// The first working instant at or after `at`; an error (kConflict, "calendar.no_working_time") when there is
/// none within kMaxIdleDays.
core::Result<core::Millis> NextWorkingMoment(const WorkCalendar& cal, core::Millis at);

/// The instant at which `minutes` working minutes have elapsed counting from `at`; when `at` is outside work,
/// counting starts at the next working moment (so 0 minutes gives that moment). The result is the earliest such
/// instant: 09:00 + 540 minutes on a 09:00–18:00 day is 18:00 the same day. Negative minutes are refused.
core::Result<core::Millis> AddWorkingMinutes(const WorkCalendar& cal, core::Millis at, std::int64_t minutes);

/// Working milliseconds within [a, b) (0 when b <= a). Exact; loops over the days of the range.
std::int64_t WorkingMillisBetween(const WorkCalendar& cal, core::Millis a, core::Millis b);
/// Whole working minutes within [a, b) (floor).
std::int64_t WorkingMinutesBetween(const WorkCalendar& cal, core::Millis a, core::Millis b);

}  // namespace otdel::org
