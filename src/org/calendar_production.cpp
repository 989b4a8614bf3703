// The Russian production calendar, as data. Add a year here when the government publishes its decree on moving
// days off (usually in September of the year before); a derived year is replaced the same way. Workspaces load a
// built-in year the first time their calendar is used after the binary that carries it starts (see
// calendar_service.cpp), so an edited or deleted day in a workspace is never overwritten.
#include "org/calendar_production.hpp"

#include <algorithm>
#include <set>

namespace otdel::org {
namespace {

constexpr DayKind H = DayKind::kHoliday;
constexpr DayKind S = DayKind::kShortDay;

}  // namespace

const std::vector<ProductionYear>& RussianProductionCalendar() {
    static const std::vector<ProductionYear> kYears = {
        {2026,
         true,
         "Трудовой кодекс РФ, ст. 112; постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных "
         "дней в 2026 году»",
         {
             {"2026-01-01", H, "Новогодние каникулы"},
             {"2026-01-02", H, "Новогодние каникулы"},
             {"2026-01-03", H, "Новогодние каникулы"},
             {"2026-01-04", H, "Новогодние каникулы"},
             {"2026-01-05", H, "Новогодние каникулы"},
             {"2026-01-06", H, "Новогодние каникулы"},
             {"2026-01-07", H, "Рождество Христово"},
             {"2026-01-08", H, "Новогодние каникулы"},
             {"2026-01-09", H, "Перенос выходного с субботы 3 января"},
             {"2026-02-23", H, "День защитника Отечества"},
             {"2026-03-08", H, "Международный женский день"},
             {"2026-03-09", H, "Перенос выходного с воскресенья 8 марта"},
             {"2026-04-30", S, "Предпраздничный день"},
             {"2026-05-01", H, "Праздник Весны и Труда"},
             {"2026-05-08", S, "Предпраздничный день"},
             {"2026-05-09", H, "День Победы"},
             {"2026-05-11", H, "Перенос выходного с субботы 9 мая"},
             {"2026-06-11", S, "Предпраздничный день"},
             {"2026-06-12", H, "День России"},
             {"2026-11-03", S, "Предпраздничный день"},
             {"2026-11-04", H, "День народного единства"},
             {"2026-12-31", H, "Перенос выходного с воскресенья 4 января"},
         }},
        // No decree for 2027 was known when this was written: the days below are the rule of DeriveRussianYear
        // (a unit test keeps them equal). The government will also move the two January days off that fall on
        // Sat 2 and Sun 3 January to other dates; an administrator adds those when the decree is published.
        {2027,
         false,
         "derived by rule; check the government decree / получено по правилам ТК РФ (ст. 95, 112); сверьте с "
         "постановлением Правительства о переносе выходных дней",
         {
             {"2027-01-01", H, "Новогодние каникулы"},
             {"2027-01-02", H, "Новогодние каникулы"},
             {"2027-01-03", H, "Новогодние каникулы"},
             {"2027-01-04", H, "Новогодние каникулы"},
             {"2027-01-05", H, "Новогодние каникулы"},
             {"2027-01-06", H, "Новогодние каникулы"},
             {"2027-01-07", H, "Рождество Христово"},
             {"2027-01-08", H, "Новогодние каникулы"},
             {"2027-02-22", S, "Предпраздничный день"},
             {"2027-02-23", H, "День защитника Отечества"},
             {"2027-03-08", H, "Международный женский день"},
             {"2027-04-30", S, "Предпраздничный день"},
             {"2027-05-01", H, "Праздник Весны и Труда"},
             {"2027-05-03", H, "Перенос выходного с субботы 1 мая"},
             {"2027-05-09", H, "День Победы"},
             {"2027-05-10", H, "Перенос выходного с воскресенья 9 мая"},
             {"2027-06-11", S, "Предпраздничный день"},
             {"2027-06-12", H, "День России"},
             {"2027-06-14", H, "Перенос выходного с субботы 12 июня"},
             {"2027-11-03", S, "Предпраздничный день"},
             {"2027-11-04", H, "День народного единства"},
             {"2027-12-31", S, "Предпраздничный день"},
         }},
    };
    return kYears;
}

const ProductionYear* FindProductionYear(int year) {
    for (const auto& y : RussianProductionCalendar())
        if (y.year == year) return &y;
    return nullptr;
}

std::vector<DayException> DeriveRussianYear(int year) {
    std::vector<Day> holidays;
    for (unsigned d = 1; d <= 8; ++d) holidays.push_back(MakeDay(year, 1, d));
    for (auto [m, d] : {std::pair{2u, 23u}, {3u, 8u}, {5u, 1u}, {5u, 9u}, {6u, 12u}, {11u, 4u}})
        holidays.push_back(MakeDay(year, m, d));
    std::set<Day> off(holidays.begin(), holidays.end());
    auto weekend = [](Day d) { return WeekdayOf(d) >= 5; };
    auto working = [&](Day d) { return !weekend(d) && !off.count(d); };

    std::vector<DayException> out;
    for (Day h : holidays) out.push_back({h, DayKind::kHoliday, {}});
    // Art. 112: a weekend that is also a holiday moves to the next working day after the holiday (not Jan 1–8).
    for (std::size_t i = 8; i < holidays.size(); ++i) {
        if (!weekend(holidays[i])) continue;
        Day d{holidays[i].days + 1};
        while (!working(d)) ++d.days;
        off.insert(d);
        out.push_back({d, DayKind::kHoliday, {}});
    }
    // Art. 95: the working day right before a holiday is one hour shorter. The next year's January 1 counts.
    std::vector<Day> next_holidays = holidays;
    next_holidays.push_back(MakeDay(year + 1, 1, 1));
    for (Day h : next_holidays) {
        Day before{h.days - 1};
        if (YearOf(before) == year && working(before)) out.push_back({before, DayKind::kShortDay, {}});
    }
    std::sort(out.begin(), out.end(), [](const DayException& a, const DayException& b) { return a.day < b.day; });
    return out;
}

std::vector<DayException> ToExceptions(const ProductionYear& year) {
    std::vector<DayException> out;
    for (const auto& d : year.days) out.push_back({*ParseDay(d.date), d.kind, {}});
    return out;
}

}  // namespace otdel::org
