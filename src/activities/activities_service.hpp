#pragma once
/// ActivitiesService (ACT-1, ORG-3): calls, meetings, tasks, e-mails, SMS and notes on the timelines of companies,
/// contacts, leads and deals; the "My tasks" list for a person and their team; e-mail through the workspace's or the
/// user's SMTP account, SMS through the provider; @mentions notify; an activity on a lead stops routing's first
/// response clock when the workspace counts its kind; overdue tasks escalate to the assignee's manager by a durable
/// job; the telephony and IMAP intake turn calls and e-mails into activities.
///
/// Visibility: an activity follows the record it belongs to and the org tree — the caller sees it when they see its
/// owner (own / subtree / all by role scope) or any record it is on. A row outside that answers 404.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "activities/activities.hpp"
#include "activities/activities_store.hpp"
#include "auth/visibility.hpp"
#include "billing/sms.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "leads/lead_intake.hpp"
#include "mail/smtp.hpp"

namespace otdel::activities {

/// The durable jobs of the room.
inline constexpr const char* kEscalationJob = "activities.task_escalation";
inline constexpr const char* kFetchRecordingJob = "activities.fetch_recording";

/// Fields of an activity as the API sends them (create: unset means default; update: unset means unchanged).
struct ActivityInput {
    std::optional<std::string> kind;         // create only
    std::optional<std::string> record_type;  // create only: company | contact | lead | deal
    std::optional<core::Id> record_id;       // create only
    std::optional<std::string> subject, body;
    /// Task: the assignee; call / meeting / note: whose it is (default: the caller).
    std::optional<core::Id> owner_user_id;
    std::optional<core::Millis> at, starts_at, ends_at;
    bool set_due = false;
    std::optional<core::Millis> due_at;
    std::optional<bool> done;
    std::optional<std::string> direction, outcome, phone, recording_url;
    std::optional<long long> duration_s;
    std::optional<std::string> place, video_url, result;
    std::optional<std::vector<Participant>> participants;
    std::optional<std::string> priority;
    std::optional<std::vector<std::string>> checklist;
    std::optional<std::vector<std::string>> to, cc;
    std::optional<core::Id> template_id;
    std::optional<std::vector<core::Id>> mentions;
};

struct ActivityPage {
    std::vector<Activity> items;
    std::optional<std::string> next_cursor;
};

struct TaskQuery {
    /// mine | team | a user id
    std::string scope = "mine";
    /// open | done | all
    std::string status = "open";
    bool overdue_only = false;
    std::optional<std::string> cursor;
    int limit = 50;
};

/// A recording (or attachment) as the API serves it.
struct FileBody {
    std::string content_type, file_name, sha256, bytes;
};

/// Sends one message through an account (SMTP in production; a recorder in unit tests).
using MailerFactory = std::function<std::unique_ptr<mail::Mailer>(const store::EmailAccount&)>;
/// Routing's first response (RoutingService::RecordResponse), wired in app/.
using FirstResponseHook =
    std::function<bool(soci::session& sql, core::Id ws, core::Id lead_id, core::Millis at, const std::string& kind)>;
/// A meeting was written (created, moved, edited) inside the caller's transaction: the agenda room plans its
/// reminder exactly (AgendaService::OnMeetingInTx), wired in app/.
using MeetingHook = std::function<void(soci::session& sql, core::Id ws, core::Id activity_id, core::Millis starts_at,
                                       core::Millis now)>;
/// Fetches a URL's bytes (the allow-listed recording of a telephony call); wired in app/ and replaced in tests.
using Fetcher = std::function<core::Result<std::string>(const std::string& url, std::size_t max_bytes)>;

class ActivitiesService {
public:
    ActivitiesService(db::Database& db, const core::Clock& clock);

    void SetSmsSender(billing::SmsSender* sms) { sms_ = sms; }
    void SetMailerFactory(MailerFactory f) { mailer_factory_ = std::move(f); }
    void SetFirstResponseHook(FirstResponseHook f) { first_response_ = std::move(f); }
    void SetMeetingHook(MeetingHook f) { meeting_hook_ = std::move(f); }
    void SetFetcher(Fetcher f) { fetcher_ = std::move(f); }
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    /// The escalation and recording jobs.
    void AttachScheduler(jobs::Scheduler& scheduler);

    // ---- activities
    core::Result<Activity> Create(const core::Actor& a, const ActivityInput& in);
    core::Result<Activity> Update(const core::Actor& a, core::Id id, const ActivityInput& in);
    core::Result<Activity> Get(const core::Actor& a, core::Id id);
    core::Result<Activity> Delete(const core::Actor& a, core::Id id);
    /// Ticks or unticks one checklist item of a task.
    core::Result<Activity> SetChecklistItem(const core::Actor& a, core::Id id, core::Id item_id, bool done);
    /// A record's timeline (company | contact | lead | deal), newest first; 404 when the record is not visible.
    core::Result<ActivityPage> Timeline(const core::Actor& a, const std::string& record_type, core::Id record_id,
                                        const std::optional<std::string>& kind,
                                        const std::optional<std::string>& cursor, int limit);
    /// "My tasks" and the team's (ORG-3).
    core::Result<ActivityPage> Tasks(const core::Actor& a, const TaskQuery& q);
    /// A call's recording: `bytes` sniffed as audio (422 otherwise), at most kMaxRecordingBytes (413).
    core::Result<Activity> UploadRecording(const core::Actor& a, core::Id id, const std::string& file_name,
                                           const std::string& bytes);
    core::Result<FileBody> Recording(const core::Actor& a, core::Id id);
    /// A received e-mail (RFC 5322 / MIME, as saved from a mail program) logged by hand: parsed with libvmime,
    /// attached by the sender's address to the open lead, company or contact the caller sees holding it. Broken MIME
    /// or no sender → 422 `message/broken_mime`; nobody known by that address → 422 `message/unknown_sender`;
    /// larger than kMaxEmailBytes → 413. The same Message-ID twice answers the stored activity.
    core::Result<Activity> ImportEmail(const core::Actor& a, const std::string& raw);
    /// The placeholders of a template filled for a record: {subject, body}.
    core::Result<std::pair<std::string, std::string>> Preview(const core::Actor& a, core::Id template_id,
                                                              const std::string& record_type, core::Id record_id);

    // ---- settings (administrators and roles with "org" update)
    core::Result<Settings> GetSettings(const core::Actor& a);
    core::Result<Settings> PutSettings(const core::Actor& a, const Settings& s);
    core::Result<std::vector<store::EmailAccount>> Accounts(const core::Actor& a);
    core::Result<store::EmailAccount> SaveAccount(const core::Actor& a, std::optional<core::Id> id,
                                                  const store::EmailAccount& in);
    core::Result<std::vector<store::Template>> Templates(const core::Actor& a, bool include_archived);
    core::Result<store::Template> SaveTemplate(const core::Actor& a, std::optional<core::Id> id,
                                               const store::Template& in);

    // ---- for other rooms (inside the caller's transaction, no permission checks)
    /// Items owned by `users` or with them as meeting participants, `at` in [from, to), not deleted, by (at, id).
    std::vector<Activity> ListForPeopleInTx(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                            core::Millis from, core::Millis to,
                                            const std::vector<std::string>& kinds = {});
    /// Open tasks of `users` (all when empty), due before `due_before` when set, by due time.
    std::vector<Activity> OpenTasksInTx(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                        std::optional<core::Millis> due_before, int limit);
    /// The active people whose records the caller sees (self, the subtree for heads, all for all/read_all/admins).
    std::vector<core::Id> VisiblePeopleInTx(soci::session& sql, const auth::Visibility& vis);
    /// Whether the caller may act for this person (set them a task, see their day): the org tree's write scope.
    bool InScopeInTx(soci::session& sql, const auth::Visibility& vis, core::Id user_id);
    std::optional<Activity> GetInTx(soci::session& sql, core::Id ws, core::Id id);
    /// The caller sees the owner (org tree) or any record the activity is on.
    bool CanReadInTx(soci::session& sql, const auth::Visibility& vis, const Activity& act);
    /// The intake (telephony, IMAP) accepted a call or e-mail: it becomes an activity on the lead or client it went
    /// to (a missed call from an unknown number: on the lead it opened). Redeliveries are ignored.
    void OnInboundInTx(soci::session& sql, const leads::IncomingLead& in, const leads::IntakeOutcome& out);

    /// /api/v1/activities…, /api/v1/tasks, /api/v1/activity-settings, /api/v1/email-accounts, /api/v1/templates
    void Register(http::Router& router);

private:
    auth::Visibility Vis(soci::session& sql, const core::Actor& a) const;
    bool CanWrite(soci::session& sql, const auth::Visibility& vis, const Activity& act) const;
    core::Result<void> CanManageSettings(soci::session& sql, const core::Actor& a) const;
    /// Applies `in` to `act` (create: `act` carries the defaults), collecting field errors.
    void Apply(const ActivityInput& in, Activity& act, std::vector<core::FieldError>& errors) const;
    /// Mentions, first response, deal activity, the escalation timer — after an insert or update in `sql`.
    void AfterWrite(soci::session& sql, const Activity& act, const std::vector<core::Id>& new_mentions,
                    const core::Actor& by, core::Millis now);
    void ScheduleEscalation(soci::session& sql, const Activity& act, core::Millis now);
    core::Result<void> HandleEscalation(const jobs::JobContext& ctx);
    core::Result<void> HandleFetchRecording(const jobs::JobContext& ctx);
    std::map<std::string, std::string> PlaceholderValues(soci::session& sql, const Activity& act);
    /// Sends an e-mail activity written as queued, then records the outcome.
    void SendEmail(const core::Actor& a, Activity& act);
    void SendSms(const core::Actor& a, Activity& act);

    db::Database& db_;
    const core::Clock& clock_;
    billing::SmsSender* sms_ = nullptr;
    MailerFactory mailer_factory_;
    FirstResponseHook first_response_;
    MeetingHook meeting_hook_;
    Fetcher fetcher_;
    std::function<void()> after_commit_;
};

/// The one HTTP(S) GET the room makes: a recording from an allow-listed host, at most `max_bytes`.
core::Result<std::string> HttpFetch(const std::string& url, std::size_t max_bytes);

}  // namespace otdel::activities
