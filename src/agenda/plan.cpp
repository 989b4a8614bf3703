#include "agenda/plan.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <tuple>

#include "org/work_calendar.hpp"

namespace otdel::agenda {
namespace {

core::Millis ToMillis(const date::zoned_time<std::chrono::seconds>& z) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(z.get_sys_time().time_since_epoch()).count();
}

core::Millis StartOf(const PlanItem& i) {
    return i.starts_at.value_or(i.at);
}

}  // namespace

std::optional<DayWindow> LocalDayWindow(std::string_view time_zone, std::string_view date_text) {
    const auto day = org::ParseDay(date_text);
    if (!day) return std::nullopt;
    try {
        const date::time_zone* zone = date::locate_zone(std::string(time_zone));
        const date::local_days local{date::days(day->days)};
        // Midnight can fall into a DST gap (some zones switch at 00:00): the earliest real moment of the day.
        const date::zoned_time<std::chrono::seconds> start(zone, date::local_seconds(local), date::choose::earliest);
        const date::zoned_time<std::chrono::seconds> end(zone, date::local_seconds(local + date::days(1)),
                                                         date::choose::earliest);
        return DayWindow{std::string(date_text), ToMillis(start), ToMillis(end)};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

DaySections ComposeDay(const std::vector<PlanItem>& day_items, const std::vector<PlanItem>& open_tasks,
                       const DayWindow& day, core::Millis now) {
    DaySections out;
    std::vector<core::Id> seen_tasks;
    for (const auto& t : open_tasks) {
        if (t.kind != "task" || t.done || !t.due_at) continue;
        if (*t.due_at < now) {
            out.overdue.push_back(t);
        } else if (*t.due_at >= day.start && *t.due_at < day.end) {
            out.tasks.push_back(t);
        } else {
            continue;
        }
        seen_tasks.push_back(t.id);
    }
    for (const auto& i : day_items) {
        if (i.kind == "meeting") {
            if (StartOf(i) >= day.start && StartOf(i) < day.end) out.meetings.push_back(i);
        } else if (i.kind == "call") {
            if (i.at >= day.start && i.at < day.end) out.calls.push_back(i);
        } else if (i.kind == "task") {
            if (std::find(seen_tasks.begin(), seen_tasks.end(), i.id) != seen_tasks.end()) continue;
            if (!i.due_at || *i.due_at < day.start || *i.due_at >= day.end) continue;
            if (!i.done && *i.due_at < now) {
                out.overdue.push_back(i);
            } else {
                out.tasks.push_back(i);
            }
            seen_tasks.push_back(i.id);
        }
    }
    auto by_start = [](const PlanItem& a, const PlanItem& b) {
        return std::tuple(StartOf(a), a.id) < std::tuple(StartOf(b), b.id);
    };
    auto by_at = [](const PlanItem& a, const PlanItem& b) { return std::tuple(a.at, a.id) < std::tuple(b.at, b.id); };
    auto by_due = [](const PlanItem& a, const PlanItem& b) {
        return std::tuple(a.done, a.due_at.value_or(0), a.id) < std::tuple(b.done, b.due_at.value_or(0), b.id);
    };
    std::sort(out.meetings.begin(), out.meetings.end(), by_start);
    std::sort(out.calls.begin(), out.calls.end(), by_at);
    std::sort(out.tasks.begin(), out.tasks.end(), by_due);
    std::sort(out.overdue.begin(), out.overdue.end(), by_due);
    return out;
}

std::vector<core::FieldError> CheckMeetingTimes(core::Millis starts_at, core::Millis ends_at) {
    constexpr core::Millis kMaxMeeting = 24LL * 60 * 60 * 1000;
    std::vector<core::FieldError> errs;
    if (starts_at <= 0) errs.push_back({"starts_at", "invalid", ""});
    if (ends_at <= starts_at) {
        errs.push_back({"ends_at", "before_start", ""});
    } else if (ends_at - starts_at > kMaxMeeting) {
        errs.push_back({"ends_at", "longer_than_day", ""});
    }
    return errs;
}

SlaView SlaOf(core::Millis deadline_at, core::Millis now) {
    return SlaView{deadline_at - now, deadline_at <= now};
}

void RankTeam(std::vector<PersonCounts>& people) {
    std::sort(people.begin(), people.end(), [](const PersonCounts& a, const PersonCounts& b) {
        return std::tuple(-a.sla_breached, -a.overdue, -(a.idle_deals + a.instalments_due), a.full_name, a.user_id) <
               std::tuple(-b.sla_breached, -b.overdue, -(b.idle_deals + b.instalments_due), b.full_name, b.user_id);
    });
}

PersonCounts TeamTotals(const std::vector<PersonCounts>& people) {
    PersonCounts t;
    for (const auto& p : people) {
        t.meetings += p.meetings;
        t.calls += p.calls;
        t.tasks += p.tasks;
        t.overdue += p.overdue;
        t.idle_deals += p.idle_deals;
        t.sla_running += p.sla_running;
        t.sla_breached += p.sla_breached;
        t.instalments_due += p.instalments_due;
    }
    return t;
}

}  // namespace otdel::agenda
