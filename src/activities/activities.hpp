#pragma once
/// The activities room's types and pure rules (ACT-1, ORG-3): calls, meetings, tasks, e-mails, SMS and notes on the
/// timelines of companies, contacts, leads and deals; validation of each kind, task checklists, overdue and escalation
/// timing, recording sniffing, template placeholders and the recording host allow-list. No SQL, JSON or HTTP here.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace otdel::activities {

inline constexpr std::size_t kMaxSubject = 300;
inline constexpr std::size_t kMaxBody = 20000;
inline constexpr std::size_t kMaxChecklist = 50;
inline constexpr std::size_t kMaxChecklistText = 300;
inline constexpr std::size_t kMaxParticipants = 50;
inline constexpr std::size_t kMaxMentions = 20;
inline constexpr std::size_t kMaxRecipients = 20;
inline constexpr std::size_t kMaxSms = 1000;
inline constexpr std::size_t kMaxUrl = 2000;
/// A recording larger than this is refused (413); the server reads upload bodies up to one byte more.
inline constexpr std::size_t kMaxRecordingBytes = 25u * 1024 * 1024;
/// A received e-mail logged by hand larger than this is refused (413).
inline constexpr std::size_t kMaxEmailBytes = 10u * 1024 * 1024;
/// A call longer than a day is a typing error.
inline constexpr long long kMaxCallSeconds = 24LL * 3600;
/// A meeting longer than this is a typing error.
inline constexpr core::Millis kMaxMeetingMs = 7LL * 24 * 3600 * 1000;

const std::vector<std::string>& Kinds();         // call, meeting, task, email, sms, note
const std::vector<std::string>& CallOutcomes();  // answered, no_answer, busy, voicemail, missed, failed
const std::vector<std::string>& Priorities();    // low, normal, high, urgent
const std::vector<std::string>& RecordTypes();   // company, contact, lead, deal

struct ChecklistItem {
    core::Id id = 0;
    int position = 0;
    std::string text;
    bool done = false;
    std::optional<core::Millis> done_at;
    std::optional<core::Id> done_by;
};

struct Participant {
    core::Id id = 0;
    std::optional<core::Id> user_id, contact_id;
    std::string name, email;
};

/// One row of `activities` with its children. Which fields mean something depends on `kind` (see the migration).
struct Activity {
    core::Id workspace_id = 0, id = 0;
    std::string kind;
    std::string subject, body;
    std::optional<core::Id> owner_user_id, created_by;
    std::optional<core::Id> company_id, contact_id, lead_id, deal_id;
    core::Millis at = 0;
    std::optional<core::Millis> starts_at, ends_at, due_at;
    bool done = false;
    std::optional<core::Millis> done_at;
    std::optional<core::Id> done_by;
    std::string source = "manual";
    std::optional<std::string> external_ref;
    // call
    std::optional<std::string> call_direction, call_outcome, call_phone, recording_url;
    std::optional<long long> call_duration_s;
    std::optional<core::Id> recording_file_id;
    // meeting
    std::optional<std::string> meeting_place, meeting_video_url, meeting_result;
    // task
    std::optional<std::string> task_priority;
    std::optional<core::Millis> escalated_at;
    std::optional<core::Id> escalated_to;
    // e-mail
    std::optional<std::string> email_direction, email_from, email_message_id, email_in_reply_to, email_status,
        email_error;
    std::vector<std::string> email_to, email_cc;
    std::optional<core::Id> email_account_id, template_id;
    // sms
    std::optional<std::string> sms_phone, sms_status, sms_error;
    std::optional<core::Millis> deleted_at;
    core::Millis created_at = 0, updated_at = 0;

    std::vector<Participant> participants;
    std::vector<ChecklistItem> checklist;
    std::vector<core::Id> mentions;
    /// Read with the row, for lists and cards.
    std::string owner_name;
};

/// The workspace's settings (a missing row: these defaults).
struct Settings {
    std::vector<std::string> first_response_kinds{"call", "email", "sms", "meeting"};
    int escalation_delay_minutes = 240;
    std::vector<std::string> recording_hosts;
};

/// Every field error of an activity about to be written: kind known, at least one record, lengths, the kind's own
/// rules (a call's direction and outcome, a meeting's start/end — end before start is `ends_at/before_start` —, a
/// task's priority and checklist, an e-mail's recipients, an SMS's phone and length, URLs http(s)). Field names are
/// the API's. Empty: fine.
std::vector<core::FieldError> Validate(const Activity& a);

/// An open task past its due time.
bool IsOverdue(const Activity& a, core::Millis now);
/// When an open task with a due time escalates: due + delay. nullopt for anything else.
std::optional<core::Millis> EscalationAt(const Activity& a, int delay_minutes);

/// Where the activity stands on the timeline: meeting start, call start, task due (creation without one), else
/// `fallback` (the time it was logged).
core::Millis TimelineAt(const Activity& a, core::Millis fallback);

/// The audio type of a recording by its bytes (the name and the client's Content-Type do not count):
/// "audio/mpeg" (ID3 or an MPEG frame sync), "audio/wav" (RIFF/WAVE), "audio/ogg" (OggS), "audio/flac" (fLaC),
/// "audio/mp4" (ISO BMFF with an audio brand: M4A, mp42, isom), "audio/webm" (EBML). nullopt: not audio.
std::optional<std::string> SniffAudio(std::string_view bytes);

/// Whether a recording URL may be fetched: https or http, and its host is one of `hosts` (case-insensitive, exact
/// or a sub-domain of an entry). A malformed URL is never allowed.
bool RecordingHostAllowed(std::string_view url, const std::vector<std::string>& hosts);

/// Fills "{{name}}" placeholders (spaces inside the braces allowed) from `values`; unknown ones become "".
std::string RenderTemplate(std::string_view text, const std::map<std::string, std::string>& values);
/// The placeholder names a template may use, in the order a composer lists them.
const std::vector<std::string>& TemplatePlaceholders();

}  // namespace otdel::activities
