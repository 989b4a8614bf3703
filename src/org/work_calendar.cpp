#include "org/work_calendar.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <stdexcept>

namespace otdel::org {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using LocalMinutes = date::local_time<minutes>;

date::sys_days SysDays(Day d) {
    return date::sys_days{date::days{d.days}};
}

struct Span {
    core::Millis s = 0, e = 0;
};

enum class WalkEnd { kStopped, kRangeEnd, kIdle };

std::optional<int> ParseFixedInt(std::string_view text) {
    int v = 0;
    if (text.empty()) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return v;
}

std::string Two(int v) {
    std::string s = std::to_string(v);
    return s.size() < 2 ? "0" + s : s;
}

// Shortens a day by cutting `cut` minutes off the end of its last intervals.
std::vector<Interval> CutEnd(std::vector<Interval> ivs, int cut) {
    while (cut > 0 && !ivs.empty()) {
        Interval& last = ivs.back();
        const int len = last.Length();
        if (len <= cut) {
            cut -= len;
            ivs.pop_back();
            continue;
        }
        const int end = last.start + len - cut;  // on the day's timeline, may pass midnight
        last.end = end > kMinutesPerDay ? end - kMinutesPerDay : end;
        cut = 0;
    }
    return ivs;
}

// Visits the calendar's work as disjoint UTC spans in time order, clipped to start at `from`. Days are walked from
// the day before `from`'s local day (its overnight shifts may still run). Spans arrive sorted by start, so clipping
// each start to the end of what was already visited yields exactly the union of overlapping intervals. Stops when
// `visit` returns false, after `last_day`, or — when there is no last day — after kMaxIdleDays days without work.
template <class Visit>
WalkEnd Walk(const WorkCalendar& cal, core::Millis from, std::optional<Day> last_day, Visit visit) {
    core::Millis covered = from;
    int idle = 0;
    for (Day d{cal.LocalDay(from).days - 1};; ++d.days) {
        if (last_day && d > *last_day) return WalkEnd::kRangeEnd;
        auto spans = cal.WorkOn(d);
        idle = spans.empty() ? idle + 1 : 0;
        for (auto [s, e] : spans) {
            s = std::max(s, covered);
            if (e <= s) continue;
            if (!visit(Span{s, e})) return WalkEnd::kStopped;
            covered = e;
        }
        if (!last_day && idle >= kMaxIdleDays) return WalkEnd::kIdle;
    }
}

core::Error NoWorkingTime() {
    return core::Error::Of(core::ErrorCode::kConflict, "calendar.no_working_time");
}

// Upper bound for a minutes argument: 100 years of round-the-clock work, far beyond any SLA, and safe from overflow.
constexpr std::int64_t kMaxMinutes = 100LL * 366 * kMinutesPerDay;

}  // namespace

Day MakeDay(int year, unsigned month, unsigned day) {
    date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
    return Day{static_cast<int>(date::sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Day> ParseDay(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = ParseFixedInt(text.substr(0, 4));
    auto m = ParseFixedInt(text.substr(5, 2));
    auto d = ParseFixedInt(text.substr(8, 2));
    if (!y || !m || !d || *y < 1900) return std::nullopt;
    date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                             date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return Day{static_cast<int>(date::sys_days{ymd}.time_since_epoch().count())};
}

std::string FormatDay(Day d) {
    date::year_month_day ymd{SysDays(d)};
    return std::to_string(static_cast<int>(ymd.year())) + "-" + Two(static_cast<int>(unsigned(ymd.month()))) + "-" +
           Two(static_cast<int>(unsigned(ymd.day())));
}

int YearOf(Day d) {
    return static_cast<int>(date::year_month_day{SysDays(d)}.year());
}

int WeekdayOf(Day d) {
    // ISO: Monday = 1 … Sunday = 7.
    return static_cast<int>(date::weekday{SysDays(d)}.iso_encoding()) - 1;
}

WeekSchedule DefaultWeek() {
    WeekSchedule w;
    for (int i = 0; i < 5; ++i) w[i] = {Interval{9 * 60, 18 * 60}};
    return w;
}

std::string_view DayKindName(DayKind k) {
    switch (k) {
        case DayKind::kHoliday: return "holiday";
        case DayKind::kWorkingDay: return "working";
        case DayKind::kShortDay: return "short";
    }
    return "holiday";
}

std::optional<DayKind> ParseDayKind(std::string_view name) {
    if (name == "holiday") return DayKind::kHoliday;
    if (name == "working") return DayKind::kWorkingDay;
    if (name == "short") return DayKind::kShortDay;
    return std::nullopt;
}

CalendarSpec Compose(const std::vector<CalendarLayer>& layers) {
    CalendarSpec spec;
    for (const auto& layer : layers) {
        if (layer.time_zone) spec.time_zone = *layer.time_zone;
        if (layer.week) spec.week = *layer.week;
        if (layer.exceptions) spec.exceptions = *layer.exceptions;
    }
    return spec;
}

bool IsKnownTimeZone(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    try {
        return date::locate_zone(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<core::FieldError> ValidateIntervals(const std::vector<Interval>& intervals, const std::string& field) {
    std::vector<core::FieldError> errors;
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        const auto& iv = intervals[i];
        if (iv.start < 0 || iv.start >= kMinutesPerDay || iv.end < 0 || iv.end > kMinutesPerDay || iv.start == iv.end) {
            errors.push_back({field + "/" + std::to_string(i), "invalid_interval", {}});
        }
    }
    if (!errors.empty()) return errors;
    std::vector<Interval> sorted = intervals;
    std::sort(sorted.begin(), sorted.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].start < sorted[i - 1].start + sorted[i - 1].Length()) {
            errors.push_back({field, "overlapping_intervals", {}});
            break;
        }
    }
    return errors;
}

std::vector<core::FieldError> ValidateWeek(const WeekSchedule& week, const std::string& field) {
    std::vector<core::FieldError> errors;
    for (int wd = 0; wd < 7; ++wd) {
        auto e = ValidateIntervals(week[wd], field + "/" + std::string(kWeekdayKeys[wd]));
        errors.insert(errors.end(), e.begin(), e.end());
    }
    if (!errors.empty()) return errors;
    // The week as one circle of 7 × 1440 minutes: an overnight Sunday shift runs into Monday.
    struct Placed {
        int start, end, wd;
    };
    std::vector<Placed> all;
    for (int wd = 0; wd < 7; ++wd)
        for (const auto& iv : week[wd])
            all.push_back({wd * kMinutesPerDay + iv.start, wd * kMinutesPerDay + iv.start + iv.Length(), wd});
    std::sort(all.begin(), all.end(), [](const Placed& a, const Placed& b) { return a.start < b.start; });
    constexpr int kWeek = 7 * kMinutesPerDay;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Placed& cur = all[i];
        const bool last = i + 1 == all.size();
        const int next_start = last ? all[0].start + kWeek : all[i + 1].start;
        const int next_wd = last ? all[0].wd : all[i + 1].wd;
        if (all.size() > 1 && cur.end > next_start) {
            errors.push_back({field + "/" + std::string(kWeekdayKeys[next_wd]), "overlapping_intervals", {}});
            break;
        }
    }
    return errors;
}

std::optional<int> ParseClock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto h = ParseFixedInt(text.substr(0, 2));
    auto m = ParseFixedInt(text.substr(3, 2));
    if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
    return *h * 60 + *m;
}

std::string FormatClock(int minutes) {
    return Two(minutes / 60) + ":" + Two(minutes % 60);
}

std::optional<std::vector<Interval>> ParseIntervalList(std::string_view text) {
    std::vector<Interval> out;
    if (text.empty()) return out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto comma = text.find(',', pos);
        auto part = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        if (part.size() != 11 || part[5] != '-') return std::nullopt;
        auto s = ParseClock(part.substr(0, 5));
        auto e = ParseClock(part.substr(6, 5));
        if (!s || !e || *s >= kMinutesPerDay) return std::nullopt;
        out.push_back(Interval{*s, *e});
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

std::string FormatIntervalList(const std::vector<Interval>& intervals) {
    std::string out;
    for (const auto& iv : intervals) {
        if (!out.empty()) out += ',';
        out += FormatClock(iv.start) + "-" + FormatClock(iv.end);
    }
    return out;
}

core::Result<WorkCalendar> WorkCalendar::Make(CalendarSpec spec) {
    std::vector<core::FieldError> errors;
    WorkCalendar cal;
    if (!IsKnownTimeZone(spec.time_zone)) {
        errors.push_back({"time_zone", "invalid_time_zone", spec.time_zone});
    } else {
        cal.zone_ = date::locate_zone(spec.time_zone);
    }
    auto week_errors = ValidateWeek(spec.week, "week");
    errors.insert(errors.end(), week_errors.begin(), week_errors.end());
    for (std::size_t i = 0; i < spec.exceptions.size(); ++i) {
        auto e = ValidateIntervals(spec.exceptions[i].hours, "exceptions/" + std::to_string(i) + "/hours");
        errors.insert(errors.end(), e.begin(), e.end());
    }
    for (std::size_t i = 0; i < spec.absences.size(); ++i)
        if (spec.absences[i].last < spec.absences[i].first)
            errors.push_back({"absences/" + std::to_string(i), "invalid_range", {}});
    if (!errors.empty()) return core::Error{core::ErrorCode::kValidation, {}, std::move(errors), 0};

    for (auto& day : spec.week)
        std::sort(day.begin(), day.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
    for (auto& ex : spec.exceptions)
        std::sort(ex.hours.begin(), ex.hours.end(),
                  [](const Interval& a, const Interval& b) { return a.start < b.start; });
    // One exception per day: the later entry wins.
    std::stable_sort(spec.exceptions.begin(), spec.exceptions.end(),
                     [](const DayException& a, const DayException& b) { return a.day < b.day; });
    std::vector<DayException> unique;
    for (auto& ex : spec.exceptions) {
        if (!unique.empty() && unique.back().day == ex.day) {
            unique.back() = std::move(ex);
        } else {
            unique.push_back(std::move(ex));
        }
    }
    spec.exceptions = std::move(unique);
    // Absences merged into disjoint ranges sorted by first day.
    std::sort(spec.absences.begin(), spec.absences.end(),
              [](const DayRange& a, const DayRange& b) { return a.first < b.first; });
    std::vector<DayRange> merged;
    for (const auto& r : spec.absences) {
        if (!merged.empty() && r.first.days <= merged.back().last.days + 1) {
            merged.back().last = std::max(merged.back().last, r.last);
        } else {
            merged.push_back(r);
        }
    }
    spec.absences = std::move(merged);
    cal.spec_ = std::move(spec);
    return cal;
}

const std::vector<Interval>& WorkCalendar::FirstWorkingWeekday() const {
    for (const auto& day : spec_.week)
        if (!day.empty()) return day;
    static const std::vector<Interval> kDefault = {Interval{9 * 60, 18 * 60}};
    return kDefault;
}

std::vector<Interval> WorkCalendar::LocalIntervals(Day d) const {
    auto abs = std::upper_bound(spec_.absences.begin(), spec_.absences.end(), d,
                                [](Day x, const DayRange& r) { return x < r.first; });
    if (abs != spec_.absences.begin() && d <= std::prev(abs)->last) return {};
    const auto& week_day = spec_.week[WeekdayOf(d)];
    auto ex = std::lower_bound(spec_.exceptions.begin(), spec_.exceptions.end(), d,
                               [](const DayException& e, Day x) { return e.day < x; });
    if (ex == spec_.exceptions.end() || ex->day != d) return week_day;
    switch (ex->kind) {
        case DayKind::kHoliday: return {};
        case DayKind::kWorkingDay: return ex->hours.empty() ? FirstWorkingWeekday() : ex->hours;
        case DayKind::kShortDay: return ex->hours.empty() ? CutEnd(week_day, kShortDayMinutes) : ex->hours;
    }
    return week_day;
}

Day WorkCalendar::LocalDay(core::Millis at) const {
    auto local = zone_->to_local(date::sys_time<milliseconds>{milliseconds{at}});
    return Day{static_cast<int>(date::floor<date::days>(local).time_since_epoch().count())};
}

namespace {
// A local time to UTC: a time in a repeated hour means its first occurrence; a time in a skipped hour means the
// moment the clocks jump.
core::Millis ToUtc(const date::time_zone* zone, LocalMinutes lt) {
    auto info = zone->get_info(lt);
    date::sys_seconds at;
    if (info.result == date::local_info::nonexistent) {
        at = info.first.end;
    } else {
        at = date::sys_seconds{lt.time_since_epoch() - info.first.offset};
    }
    return std::chrono::duration_cast<milliseconds>(at.time_since_epoch()).count();
}
}  // namespace

std::vector<std::pair<core::Millis, core::Millis>> WorkCalendar::WorkOn(Day d) const {
    std::vector<std::pair<core::Millis, core::Millis>> out;
    const auto midnight = static_cast<std::int64_t>(d.days) * kMinutesPerDay;
    for (const auto& iv : LocalIntervals(d)) {
        const auto s = ToUtc(zone_, LocalMinutes{minutes{midnight + iv.start}});
        const auto e = ToUtc(zone_, LocalMinutes{minutes{midnight + iv.start + iv.Length()}});
        if (e > s) out.emplace_back(s, e);
    }
    return out;
}

bool IsWorking(const WorkCalendar& cal, core::Millis at) {
    bool working = false;
    Walk(cal, at, cal.LocalDay(at), [&](const Span& sp) {
        working = sp.s == at;
        return false;
    });
    return working;
}

core::Result<core::Millis> NextWorkingMoment(const WorkCalendar& cal, core::Millis at) {
    std::optional<core::Millis> found;
    Walk(cal, at, std::nullopt, [&](const Span& sp) {
        found = sp.s;
        return false;
    });
    if (!found) return NoWorkingTime();
    return *found;
}

core::Result<core::Millis> AddWorkingMinutes(const WorkCalendar& cal, core::Millis at, std::int64_t mins) {
    if (mins < 0 || mins > kMaxMinutes)
        return core::Error::Field("minutes", "out_of_range", "0.." + std::to_string(kMaxMinutes));
    std::int64_t remaining = mins * 60'000;
    std::optional<core::Millis> found;
    Walk(cal, at, std::nullopt, [&](const Span& sp) {
        const std::int64_t len = sp.e - sp.s;
        if (remaining <= len) {
            found = sp.s + remaining;
            return false;
        }
        remaining -= len;
        return true;
    });
    if (!found) return NoWorkingTime();
    return *found;
}

std::int64_t WorkingMillisBetween(const WorkCalendar& cal, core::Millis a, core::Millis b) {
    if (b <= a) return 0;
    std::int64_t total = 0;
    Walk(cal, a, cal.LocalDay(b), [&](const Span& sp) {
        if (sp.s >= b) return false;
        total += std::min(sp.e, b) - sp.s;
        return true;
    });
    return total;
}

std::int64_t WorkingMinutesBetween(const WorkCalendar& cal, core::Millis a, core::Millis b) {
    return WorkingMillisBetween(cal, a, b) / 60'000;
}

std::string LocalDateText(std::string_view time_zone, core::Millis at) {
    const auto t = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
    try {
        const auto local = date::make_zoned(std::string(time_zone), t).get_local_time();
        return date::format("%F", date::floor<date::days>(local));
    } catch (const std::exception&) {
        return date::format("%F", date::floor<date::days>(t));
    }
}

}  // namespace otdel::org
