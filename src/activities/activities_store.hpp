#pragma once
/// SQL of the activities room: activities and their children, files, settings, e-mail accounts and templates, and
/// the few reads of other rooms' tables an activity needs (is a record visible, which client a deal or lead has,
/// is a person in the caller's part of the tree). Every business read takes the caller's visibility predicate or a
/// workspace id; nothing user-supplied is concatenated into SQL.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "activities/activities.hpp"
#include "auth/visibility.hpp"

namespace otdel::activities::store {

/// Keyset position on a timeline (newest first).
struct Cursor {
    core::Millis at = 0;
    core::Id id = 0;
};

core::Id InsertActivity(soci::session& sql, const Activity& a);
/// Writes every column of `a` (not its children) by (workspace, id).
void UpdateActivity(soci::session& sql, const Activity& a);
/// Replaces the children of an activity with those of `a`.
void ReplaceParticipants(soci::session& sql, const Activity& a);
void ReplaceChecklist(soci::session& sql, const Activity& a);
void InsertMentions(soci::session& sql, core::Id ws, core::Id activity_id, const std::vector<core::Id>& users,
                    core::Millis now);

/// One activity with its children (deleted ones too); nullopt when it does not exist in the workspace.
std::optional<Activity> SelectActivity(soci::session& sql, core::Id ws, core::Id id);
std::optional<core::Id> ActivityByRef(soci::session& sql, core::Id ws, const std::string& source,
                                      const std::string& external_ref);

/// A record's timeline: `record_type` company | contact | lead | deal (a code constant chosen by the service),
/// live activities, newest first from `before`, optionally one kind. Children loaded.
std::vector<Activity> ListByRecord(soci::session& sql, core::Id ws, const std::string& record_type, core::Id record_id,
                                   const std::optional<Cursor>& before, const std::optional<std::string>& kind,
                                   int limit);

/// Live activities owned by `users` or with them as meeting participants, `at` in [from, to), by (at, id).
std::vector<Activity> ListForPeople(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                    core::Millis from, core::Millis to, const std::vector<std::string>& kinds);

struct TaskFilter {
    /// Assignees; empty: everyone the predicate lets through.
    std::vector<core::Id> owners;
    /// open | done | all
    std::string status = "open";
    /// Only open tasks due before this.
    std::optional<core::Millis> due_before;
};
/// Tasks under `visible` (over the assignee, a.owner_user_id), open ones by due time (no due last), done ones by
/// done time newest first. Keyset by id offset inside the order is avoided: `after` is the last (due_at, id).
std::vector<Activity> ListTasks(soci::session& sql, const TaskFilter& f, const auth::Predicate& visible,
                                const std::optional<Cursor>& after, int limit);

/// Open tasks of the workspace past due (the escalation sweep and the daily plan), by due_at.
std::vector<Activity> OpenTasksOf(soci::session& sql, core::Id ws, const std::vector<core::Id>& owners,
                                  std::optional<core::Millis> due_before, int limit);

// ---- files
struct File {
    core::Id id = 0;
    std::string content_type, file_name, sha256;
    std::string bytes;
    core::Millis created_at = 0;
};
core::Id InsertFile(soci::session& sql, core::Id ws, const std::string& content_type, const std::string& file_name,
                    const std::string& bytes, std::optional<core::Id> by, core::Millis now);
std::optional<File> SelectFile(soci::session& sql, core::Id ws, core::Id id);

// ---- settings
Settings SelectSettings(soci::session& sql, core::Id ws);
void UpsertSettings(soci::session& sql, core::Id ws, const Settings& s, core::Millis now);

// ---- e-mail accounts and templates
struct EmailAccount {
    core::Id id = 0;
    std::optional<core::Id> user_id;
    std::string from_address, smtp_url, smtp_user, smtp_password;
    bool require_tls = false;
    bool active = true;
    core::Millis created_at = 0, updated_at = 0;
};
std::vector<EmailAccount> SelectAccounts(soci::session& sql, core::Id ws);
std::optional<EmailAccount> SelectAccount(soci::session& sql, core::Id ws, core::Id id);
/// The account a user sends from: their own active one, else the workspace's.
std::optional<EmailAccount> AccountFor(soci::session& sql, core::Id ws, core::Id user_id);
core::Id InsertAccount(soci::session& sql, core::Id ws, const EmailAccount& a, core::Millis now);
void UpdateAccount(soci::session& sql, core::Id ws, const EmailAccount& a, core::Millis now);

struct Template {
    core::Id id = 0;
    std::string channel = "email", name, subject, body;
    std::optional<core::Millis> archived_at;
    core::Millis created_at = 0, updated_at = 0;
};
std::vector<Template> SelectTemplates(soci::session& sql, core::Id ws, bool include_archived);
std::optional<Template> SelectTemplate(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertTemplate(soci::session& sql, core::Id ws, const Template& t, std::optional<core::Id> by,
                        core::Millis now);
void UpdateTemplate(soci::session& sql, core::Id ws, const Template& t, core::Millis now);

// ---- other rooms' records, read for an activity
/// Whether a live record of `record_type` (company | contact | lead | deal) with this id passes `visible`
/// (built over the record's alias "r").
bool RecordVisible(soci::session& sql, const std::string& record_type, core::Id id, const auth::Predicate& visible);
/// Whether the live record exists in the workspace at all.
bool RecordExists(soci::session& sql, core::Id ws, const std::string& record_type, core::Id id);
/// The client of a deal or lead (company, contact), and its owner.
struct RecordFacts {
    std::optional<core::Id> company_id, contact_id, owner_user_id;
    std::string title;
};
std::optional<RecordFacts> FactsOf(soci::session& sql, core::Id ws, const std::string& record_type, core::Id id);
/// Marks a deal active now (DEAL-10 idleness reads last_activity_at).
void TouchDeal(soci::session& sql, core::Id ws, core::Id deal_id, core::Millis at);
/// The primary phone / e-mail of a record ("phone" | "email").
std::optional<std::string> PrimaryPoint(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id id,
                                        const std::string& kind);
std::string ContactName(soci::session& sql, core::Id ws, core::Id id);
std::string CompanyName(soci::session& sql, core::Id ws, core::Id id);

/// Whether the person (an active user with an employee row) passes `visible`, built over employees "e" with owner
/// column user_id — the caller's own part of the org tree.
bool PersonVisible(soci::session& sql, core::Id user_id, const auth::Predicate& visible);
/// The active people that pass `visible` (as above), by id.
std::vector<core::Id> VisiblePeople(soci::session& sql, const auth::Predicate& visible);
/// Active users of the workspace among `ids` (the rest do not exist or are disabled).
std::vector<core::Id> ActiveUsers(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);
struct UserFacts {
    std::string full_name, email;
};
std::optional<UserFacts> UserOf(soci::session& sql, core::Id ws, core::Id id);

}  // namespace otdel::activities::store
