// The built-in Russian production calendar: well-formed data, the statutory rule, and the year totals.
#include "org/calendar_production.hpp"

#include <gtest/gtest.h>

#include <set>

namespace otdel::org {
namespace {

int CountWorkingDays(int year, const std::vector<DayException>& ex) {
    std::set<int> off, on;
    for (const auto& e : ex) (e.kind == DayKind::kHoliday ? off : on).insert(e.day.days);
    int n = 0;
    for (Day d = MakeDay(year, 1, 1); d < MakeDay(year + 1, 1, 1); ++d.days) {
        const bool weekend = WeekdayOf(d) >= 5;
        if ((!weekend && !off.count(d.days)) || (weekend && on.count(d.days) && !off.count(d.days))) ++n;
    }
    return n;
}

TEST(ProductionCalendar, CarriesTheCurrentAndTheNextYear) {
    ASSERT_NE(FindProductionYear(2026), nullptr);
    ASSERT_NE(FindProductionYear(2027), nullptr);
    EXPECT_EQ(FindProductionYear(2025), nullptr);
}

TEST(ProductionCalendar, EveryDateIsRealSortedUniqueAndInItsYear) {
    for (const auto& y : RussianProductionCalendar()) {
        std::optional<Day> prev;
        for (const auto& d : y.days) {
            auto day = ParseDay(d.date);
            ASSERT_TRUE(day) << d.date;
            EXPECT_EQ(YearOf(*day), y.year) << d.date;
            if (prev) {
                EXPECT_LT(*prev, *day) << d.date;
            }
            prev = day;
            EXPECT_FALSE(d.name.empty());
        }
    }
}

TEST(ProductionCalendar, Year2026IsOfficialWith247WorkingDays) {
    const auto* y = FindProductionYear(2026);
    EXPECT_TRUE(y->official);
    EXPECT_NE(y->source.find("1466"), std::string_view::npos);
    EXPECT_EQ(CountWorkingDays(2026, ToExceptions(*y)), 247);
}

TEST(ProductionCalendar, Year2026HasTheDecreeTransfers) {
    std::set<std::string_view> off;
    for (const auto& d : FindProductionYear(2026)->days)
        if (d.kind == DayKind::kHoliday) off.insert(d.date);
    EXPECT_TRUE(off.count("2026-01-09"));  // from Saturday 3 January
    EXPECT_TRUE(off.count("2026-12-31"));  // from Sunday 4 January
    EXPECT_TRUE(off.count("2026-03-09"));  // Sunday 8 March, by the Labour Code
    EXPECT_TRUE(off.count("2026-05-11"));  // Saturday 9 May, by the Labour Code
}

TEST(ProductionCalendar, Year2026StatutoryPartMatchesTheRule) {
    // Everything the rule derives is in the official year, except 31 December: the rule makes it a short day, the
    // decree a day off.
    std::set<std::pair<int, DayKind>> official;
    for (const auto& e : ToExceptions(*FindProductionYear(2026))) official.insert({e.day.days, e.kind});
    for (const auto& e : DeriveRussianYear(2026)) {
        if (e.day == MakeDay(2026, 12, 31)) continue;
        EXPECT_TRUE(official.count({e.day.days, e.kind})) << FormatDay(e.day);
    }
}

TEST(ProductionCalendar, Year2027IsDerivedByRuleAndSaysSo) {
    const auto* y = FindProductionYear(2027);
    EXPECT_FALSE(y->official);
    EXPECT_NE(y->source.find("derived by rule; check the government decree"), std::string_view::npos);
    auto derived = DeriveRussianYear(2027);
    auto data = ToExceptions(*y);
    ASSERT_EQ(data.size(), derived.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        EXPECT_EQ(data[i].day, derived[i].day) << FormatDay(derived[i].day);
        EXPECT_EQ(data[i].kind, derived[i].kind) << FormatDay(derived[i].day);
    }
}

TEST(ProductionCalendar, RuleMovesAWeekendHolidayToTheNextWorkingDay) {
    auto days = DeriveRussianYear(2027);
    auto has = [&](Day d, DayKind k) {
        for (const auto& e : days)
            if (e.day == d && e.kind == k) return true;
        return false;
    };
    EXPECT_TRUE(has(MakeDay(2027, 5, 3), DayKind::kHoliday));    // Sat 1 May → Mon 3 May
    EXPECT_TRUE(has(MakeDay(2027, 5, 10), DayKind::kHoliday));   // Sun 9 May → Mon 10 May
    EXPECT_TRUE(has(MakeDay(2027, 6, 14), DayKind::kHoliday));   // Sat 12 June → Mon 14 June
    EXPECT_FALSE(has(MakeDay(2027, 1, 11), DayKind::kHoliday));  // January weekends move only by decree
}

TEST(ProductionCalendar, RuleShortensTheDayBeforeAHolidayOnly) {
    auto days = DeriveRussianYear(2027);
    auto kind_of = [&](Day d) -> std::optional<DayKind> {
        for (const auto& e : days)
            if (e.day == d) return e.kind;
        return std::nullopt;
    };
    EXPECT_EQ(kind_of(MakeDay(2027, 2, 22)), DayKind::kShortDay);   // Monday before Tuesday 23 February
    EXPECT_EQ(kind_of(MakeDay(2027, 4, 30)), DayKind::kShortDay);   // Friday before Saturday 1 May
    EXPECT_EQ(kind_of(MakeDay(2027, 3, 5)), std::nullopt);          // Friday before a Monday holiday: not adjacent
    EXPECT_EQ(kind_of(MakeDay(2027, 12, 31)), DayKind::kShortDay);  // before 1 January 2028
}

}  // namespace
}  // namespace otdel::org
