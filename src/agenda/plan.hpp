#pragma once
/// The daily plan (ACT-2) as pure rules: the local day's bounds in the workspace's time zone, the sections of a
/// person's day (meetings, calls, tasks due today, overdue tasks) from their activities, SLA clocks as time left or
/// overdue, the counts a head sees per person and the order of the team (who needs attention first).
/// No SQL, JSON or HTTP here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::agenda {

/// [start, end) of one calendar day of a time zone, in UTC milliseconds (23 or 25 hours across a DST change).
struct DayWindow {
    std::string date;  // YYYY-MM-DD
    core::Millis start = 0, end = 0;
};
/// The window of `date` (YYYY-MM-DD) in `time_zone` (IANA); nullopt for a malformed date or an unknown zone.
std::optional<DayWindow> LocalDayWindow(std::string_view time_zone, std::string_view date);

/// One activity as the plan shows it (the service fills it from the activities room).
struct PlanItem {
    core::Id id = 0;
    std::string kind;  // call, meeting, task, email, sms, note
    std::string subject;
    core::Id owner_user_id = 0;
    core::Millis at = 0;
    std::optional<core::Millis> starts_at, ends_at, due_at;
    bool done = false;
    std::string priority;  // tasks
    std::string place, video_url;
    std::string call_direction, call_outcome;
    std::optional<int> call_duration_s;
    bool has_recording = false;
    std::optional<core::Id> company_id, contact_id, lead_id, deal_id;
};

/// The activity sections of a person's day.
struct DaySections {
    std::vector<PlanItem> meetings;  // starting today, by start
    std::vector<PlanItem> calls;     // made or taken today, by time
    std::vector<PlanItem> tasks;     // due today and not overdue (open ones first, then done), by due time
    std::vector<PlanItem> overdue;   // open tasks due before now, oldest first
};

/// Splits the person's items of the day (`day_items`: at within the window) and their open tasks (`open_tasks`, any
/// due) into sections. An open task due before `now` is overdue (also when due earlier today); a task is never in two
/// sections; e-mails, SMS and notes are not part of the plan.
DaySections ComposeDay(const std::vector<PlanItem>& day_items, const std::vector<PlanItem>& open_tasks,
                       const DayWindow& day, core::Millis now);

/// A meeting's new times from the week view: it ends after it starts and lasts at most a day. Fields: starts_at,
/// ends_at.
std::vector<core::FieldError> CheckMeetingTimes(core::Millis starts_at, core::Millis ends_at);

/// A lead's first-response clock: milliseconds left (negative once breached, wall-clock).
struct SlaView {
    core::Millis remaining_ms = 0;
    bool breached = false;
};
SlaView SlaOf(core::Millis deadline_at, core::Millis now);

/// What a head sees per person.
struct PersonCounts {
    core::Id user_id = 0;
    std::string full_name;
    int meetings = 0, calls = 0, tasks = 0, overdue = 0, idle_deals = 0, sla_running = 0, sla_breached = 0,
        instalments_due = 0;
};

/// The team in the order a head reads it: breached SLA clocks first, then overdue tasks, then idle deals and
/// instalments due, then by name.
void RankTeam(std::vector<PersonCounts>& people);

/// The team's totals (user_id 0, no name).
PersonCounts TeamTotals(const std::vector<PersonCounts>& people);

}  // namespace otdel::agenda
