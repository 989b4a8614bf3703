#pragma once
/// Plan periods (PLAN-2) and the pace indicator: a month, quarter or year as local days, its UTC bounds in the
/// workspace's zone, the working days elapsed by today in the workspace calendar, and "at this pace: 87 % by the
/// period's end". Pure functions: the calendar comes in as org::WorkCalendar.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "org/work_calendar.hpp"

namespace otdel::plans {

enum class PeriodKind { kMonth, kQuarter, kYear, kCustom };
std::string_view PeriodKindName(PeriodKind k);  // month | quarter | year | custom
std::optional<PeriodKind> ParsePeriodKind(std::string_view s);

/// Inclusive local days [first, last].
struct Period {
    PeriodKind kind = PeriodKind::kMonth;
    org::Day first;
    org::Day last;
    std::string FirstText() const { return org::FormatDay(first); }
    std::string LastText() const { return org::FormatDay(last); }
};

/// The month / quarter / year containing `anchor` (kCustom is not a calendar period: use the days themselves).
Period PeriodContaining(PeriodKind kind, org::Day anchor);
/// Whether [first, last] is exactly one month / quarter / year (what a plan's period must be).
bool IsWholePeriod(PeriodKind kind, org::Day first, org::Day last);

/// Working days (days with work in the calendar) in [first, last].
int WorkingDays(const org::WorkCalendar& cal, org::Day first, org::Day last);

/// How far the period has gone by `today`: working days total and elapsed (today counts as elapsed once it began).
struct Pace {
    int working_days_total = 0;
    int working_days_elapsed = 0;
    int calendar_days_elapsed = 0;
    bool started = false;
    bool finished = false;
};
Pace PaceOf(const org::WorkCalendar& cal, const Period& p, org::Day today);

/// The fact the period ends with at this pace: fact × total / elapsed working days (the fact itself once the period
/// ended or when no working day has elapsed yet). Rounded half up.
std::int64_t ProjectedFact(std::int64_t fact, const Pace& pace);
/// A share in basis points (fact / target × 10000, half up); nullopt when the target is 0.
std::optional<std::int64_t> ShareBp(std::int64_t fact, std::int64_t target);

}  // namespace otdel::plans
