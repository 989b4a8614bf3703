#pragma once
/// The Russian production calendar as data compiled into the binary (calendar_production.cpp), and the statutory
/// rule that derives a year whose government decree is not encoded yet.
#include <optional>
#include <string_view>
#include <vector>

#include "org/work_calendar.hpp"

namespace otdel::org {

struct ProductionDay {
    std::string_view date;  // "YYYY-MM-DD"
    DayKind kind;
    std::string_view name;  // shown in the UI; Russian, as the calendar is Russian
};

struct ProductionYear {
    int year = 0;
    /// True when the days follow the government decree; false when derived by rule and awaiting a check.
    bool official = false;
    /// Where the days come from, e.g. the decree's number and date, or "derived by rule; check the government
    /// decree". Copied into the workspace with the days so an administrator sees it.
    std::string_view source;
    std::vector<ProductionDay> days;
};

/// Every year built into the binary, oldest first.
const std::vector<ProductionYear>& RussianProductionCalendar();
const ProductionYear* FindProductionYear(int year);

/// The Labour Code's rule for `year` without a decree: the art. 112 holidays (Jan 1–8, Feb 23, Mar 8, May 1,
/// May 9, Jun 12, Nov 4), a holiday on a weekend moved to the next working day (except Jan 1–8: the government
/// moves those by decree), and the working day right before a holiday shortened by one hour (art. 95).
std::vector<DayException> DeriveRussianYear(int year);

/// The days of a built-in year as exceptions for the pure calendar.
std::vector<DayException> ToExceptions(const ProductionYear& year);

}  // namespace otdel::org
