#pragma once
/// AgendaService: a person's daily plan (ACT-2) — today's meetings, calls and tasks, overdue tasks, idle deals, SLA
/// clocks of their leads and instalments due, in the workspace's calendar day — and a head's team with per-person
/// counts; calendars (ACT-4) — the week view's events, rescheduling a meeting, secret iCalendar feed URLs (per person
/// and per team) and meeting reminders as durable jobs that notify the host and our participants.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "activities/activities_service.hpp"
#include "agenda/calendar_store.hpp"
#include "agenda/plan.hpp"
#include "agenda/plan_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::agenda {

inline constexpr const char* kReminderJob = "agenda.meeting_reminder";
inline constexpr const char* kSweepJob = "agenda.reminder_sweep";
/// Meetings are reminded this long before they start.
inline constexpr int kReminderMinutes = 15;
/// The longest range the week view asks for at once (a month view and a margin).
inline constexpr core::Millis kMaxRangeMs = 42LL * 24 * 60 * 60 * 1000;

struct SlaItem {
    store::SlaClock clock;
    SlaView view;
};

struct DayPlan {
    store::Person person;
    std::string date, time_zone;
    core::Millis now = 0, day_start = 0, day_end = 0;
    DaySections sections;
    std::vector<store::IdleDeal> idle_deals;
    std::vector<SlaItem> sla;
    std::vector<store::InstalmentDue> instalments;
    PersonCounts counts;
    /// More people than the caller are visible: the team view is there.
    bool has_team = false;
};

struct TeamPlan {
    std::string date;
    core::Millis now = 0;
    std::vector<PersonCounts> people;
    PersonCounts totals;
};

struct CalendarEvent {
    core::Id id = 0;
    std::string kind;  // meeting | task
    std::string subject, place, video_url, owner_name;
    std::optional<core::Id> owner_user_id, deal_id, company_id, lead_id;
    core::Millis start = 0, end = 0;
    bool done = false;
    /// The caller may drag it (a meeting of theirs or of someone they act for, not held yet).
    bool editable = false;
};

struct FeedIssued {
    store::Feed feed;
    /// Shown once: only its hash is kept.
    std::string token;
};

class AgendaService {
public:
    AgendaService(db::Database& db, const core::Clock& clock, activities::ActivitiesService& activities)
        : db_(db), clock_(clock), activities_(activities) {}

    /// The plan of `user_id` (the caller when unset; someone else only when visible) for `date` (today when unset).
    core::Result<DayPlan> Day(const core::Actor& a, std::optional<core::Id> user_id,
                              const std::optional<std::string>& date);
    /// Every visible person's counts for the day, those needing attention first.
    core::Result<TeamPlan> Team(const core::Actor& a, const std::optional<std::string>& date);

    /// Meetings and tasks with a due time in [from, to) of the caller, of one visible person, or of the team.
    core::Result<std::vector<CalendarEvent>> Events(const core::Actor& a, core::Millis from, core::Millis to,
                                                    std::optional<core::Id> user_id, bool team);
    /// Moves a meeting (the week view's drag): through the activities room's update, then its reminder follows.
    core::Result<CalendarEvent> Reschedule(const core::Actor& a, core::Id id, core::Millis starts_at,
                                           core::Millis ends_at);

    core::Result<std::vector<store::Feed>> Feeds(const core::Actor& a);
    core::Result<FeedIssued> CreateFeed(const core::Actor& a, const std::string& scope);
    /// A new token for the feed; the old URL stops working.
    core::Result<FeedIssued> RegenerateFeed(const core::Actor& a, core::Id id);
    core::Result<void> RevokeFeed(const core::Actor& a, core::Id id);
    /// The iCalendar text behind a token (no session): kNotFound for an unknown, revoked or disabled owner's token.
    core::Result<std::string> FeedText(const std::string& token);

    /// The reminder and sweep jobs; schedules the sweep.
    void AttachScheduler(jobs::Scheduler& scheduler);
    /// A meeting was written (created, moved): its reminder is (re)planned inside the caller's transaction.
    static void OnMeetingInTx(soci::session& sql, core::Id ws, core::Id activity_id, core::Millis starts_at,
                              core::Millis now);
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    /// The product's public address, so feeds link back to the meetings.
    void SetPublicUrl(std::string url) { public_url_ = std::move(url); }

    /// /api/v1/agenda/…, /api/v1/calendar/…, /api/v1/ical/{token}
    void Register(http::Router& router);

private:
    core::Result<void> HandleReminder(const jobs::JobContext& ctx);
    core::Result<void> HandleSweep(const jobs::JobContext& ctx);
    core::Result<FeedIssued> Issue(soci::session& sql, const core::Actor& a, const std::string& scope,
                                   core::Millis now);
    CalendarEvent EventOf(const activities::Activity& act) const;

    db::Database& db_;
    const core::Clock& clock_;
    activities::ActivitiesService& activities_;
    std::function<void()> after_commit_;
    std::string public_url_;
};

}  // namespace otdel::agenda
