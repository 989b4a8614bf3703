#pragma once
/// SQL of calendars (ACT-4): secret feed URLs (only the token's SHA-256 is kept) and the meeting reminders sent.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::agenda::store {

struct Feed {
    core::Id workspace_id = 0, id = 0, user_id = 0;
    std::string scope;  // user | team
    std::string token_hint;
    core::Millis created_at = 0;
    std::optional<core::Millis> last_used_at, revoked_at;
};

core::Id InsertFeed(soci::session& sql, core::Id ws, core::Id user_id, const std::string& scope,
                    const std::string& token_hash, const std::string& hint, core::Millis now);
/// The person's feeds, live ones first, newest first.
std::vector<Feed> FeedsOf(soci::session& sql, core::Id ws, core::Id user_id);
std::optional<Feed> SelectFeed(soci::session& sql, core::Id ws, core::Id user_id, core::Id id);
/// Marks a live feed revoked; false when it was not live.
bool RevokeFeed(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
/// A live feed by its token's hash, across workspaces (the public URL carries no workspace).
std::optional<Feed> FeedByTokenHash(soci::session& sql, const std::string& token_hash);
/// Notes the fetch (at most once an hour, so a polling calendar does not write on every request).
void TouchFeed(soci::session& sql, const Feed& f, core::Millis now);

/// Active user, their name, locale and administrator flag (the feed reads as its owner).
struct FeedOwner {
    std::string full_name, locale;
    bool is_admin = false;
};
std::optional<FeedOwner> ActiveUser(soci::session& sql, core::Id ws, core::Id user_id);
/// The workspace's slug (feed UIDs) and name (feed title).
std::pair<std::string, std::string> WorkspaceNames(soci::session& sql, core::Id ws);

/// Records a reminder; false when this (meeting, person, start) was reminded already.
bool InsertReminder(soci::session& sql, core::Id ws, core::Id activity_id, core::Id user_id, core::Millis starts_at,
                    core::Millis now);

struct UpcomingMeeting {
    core::Id workspace_id = 0, activity_id = 0;
    core::Millis starts_at = 0;
};
/// Meetings (every workspace) not done that start in (from, to], by start: what the reminder sweep plans.
std::vector<UpcomingMeeting> UpcomingMeetings(soci::session& sql, core::Millis from, core::Millis to, int limit);

}  // namespace otdel::agenda::store
