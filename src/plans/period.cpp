#include "plans/period.hpp"

#include <date/date.h>

namespace otdel::plans {
namespace {

date::year_month_day Ymd(org::Day d) {
    return date::year_month_day{date::sys_days{date::days{d.days}}};
}

org::Day FromYmd(const date::year_month_day& ymd) {
    return org::Day{date::sys_days{ymd}.time_since_epoch().count()};
}

}  // namespace

std::string_view PeriodKindName(PeriodKind k) {
    switch (k) {
        case PeriodKind::kMonth: return "month";
        case PeriodKind::kQuarter: return "quarter";
        case PeriodKind::kYear: return "year";
        case PeriodKind::kCustom: return "custom";
    }
    return "month";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view s) {
    if (s == "month") return PeriodKind::kMonth;
    if (s == "quarter") return PeriodKind::kQuarter;
    if (s == "year") return PeriodKind::kYear;
    if (s == "custom") return PeriodKind::kCustom;
    return std::nullopt;
}

Period PeriodContaining(PeriodKind kind, org::Day anchor) {
    const auto ymd = Ymd(anchor);
    const date::year y = ymd.year();
    const unsigned m = static_cast<unsigned>(ymd.month());
    Period p;
    p.kind = kind;
    switch (kind) {
        case PeriodKind::kYear:
            p.first = FromYmd(y / date::January / 1);
            p.last = FromYmd(y / date::December / date::last);
            break;
        case PeriodKind::kQuarter: {
            const unsigned q0 = (m - 1) / 3 * 3 + 1;
            p.first = FromYmd(y / date::month{q0} / 1);
            p.last = FromYmd(date::year_month_day_last{y / date::month{q0 + 2} / date::last});
            break;
        }
        case PeriodKind::kMonth:
        case PeriodKind::kCustom:
            p.first = FromYmd(y / ymd.month() / 1);
            p.last = FromYmd(date::year_month_day_last{y / ymd.month() / date::last});
            break;
    }
    return p;
}

bool IsWholePeriod(PeriodKind kind, org::Day first, org::Day last) {
    if (kind == PeriodKind::kCustom) return first <= last;
    const Period p = PeriodContaining(kind, first);
    return p.first == first && p.last == last;
}

int WorkingDays(const org::WorkCalendar& cal, org::Day first, org::Day last) {
    int n = 0;
    for (org::Day d = first; d <= last; d.days++)
        if (!cal.LocalIntervals(d).empty()) ++n;
    return n;
}

Pace PaceOf(const org::WorkCalendar& cal, const Period& p, org::Day today) {
    Pace pace;
    pace.working_days_total = WorkingDays(cal, p.first, p.last);
    pace.started = today >= p.first;
    pace.finished = today > p.last;
    if (!pace.started) return pace;
    const org::Day end = pace.finished ? p.last : today;
    pace.working_days_elapsed = WorkingDays(cal, p.first, end);
    pace.calendar_days_elapsed = end.days - p.first.days + 1;
    return pace;
}

std::int64_t ProjectedFact(std::int64_t fact, const Pace& pace) {
    if (pace.finished || pace.working_days_elapsed <= 0 || pace.working_days_total <= pace.working_days_elapsed)
        return fact;
    const __int128 n = static_cast<__int128>(fact) * pace.working_days_total;
    const __int128 d = pace.working_days_elapsed;
    return static_cast<std::int64_t>((2 * n + d) / (2 * d));
}

std::optional<std::int64_t> ShareBp(std::int64_t fact, std::int64_t target) {
    if (target <= 0) return std::nullopt;
    const __int128 n = static_cast<__int128>(fact) * 10000;
    return static_cast<std::int64_t>((2 * n + target) / (2 * static_cast<__int128>(target)));
}

}  // namespace otdel::plans
