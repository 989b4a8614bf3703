#pragma once
/// iCalendar (RFC 5545) serialisation of a calendar feed with libical: meetings and tasks with a due time as VEVENTs
/// in UTC, a display alarm before meetings. No SQL, JSON or HTTP here.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace otdel::agenda {

struct FeedEvent {
    /// Globally unique and stable across feed fetches: "activity-42@<workspace slug>.otdel".
    std::string uid;
    core::Millis start = 0, end = 0;
    std::string summary, description, location, url;
    /// "MEETING" or "TASK".
    std::string category;
    /// A held meeting or a done task stays in the feed, marked so.
    bool done = false;
    core::Millis created_at = 0, updated_at = 0;
    /// Minutes before the start a calendar application should remind (none when unset).
    std::optional<int> alarm_minutes;
};

struct FeedDocument {
    /// X-WR-CALNAME: how the subscribing application names the calendar.
    std::string name;
    core::Millis generated_at = 0;
    std::vector<FeedEvent> events;
};

/// The VCALENDAR text (CRLF line ends, folded lines, escaped text) of the feed.
std::string RenderFeed(const FeedDocument& doc);

}  // namespace otdel::agenda
