#pragma once
/// SQL of the routing room on both engines: rules and their pools, the fairness counters, the SLA clock of each
/// routed lead, the assignment facts, settings and hand-off meetings. Every function works inside the caller's
/// session (usually an open transaction) and is scoped to one workspace.
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "routing/routing.hpp"
#include "routing/sla.hpp"

namespace otdel::routing::store {

// ---- rules ----
/// The conditions column (JSON) and back; unknown keys are ignored when reading.
std::string ConditionsJson(const Conditions& c);
Conditions ParseConditions(const std::string& text);

std::vector<Rule> ListRules(soci::session& sql, core::Id ws);
/// With deleted ones when `include_deleted` (a running SLA clock still follows its deleted rule).
std::optional<Rule> GetRule(soci::session& sql, core::Id ws, core::Id id, bool include_deleted = false);
core::Id InsertRule(soci::session& sql, core::Id ws, const Rule& r, core::Millis now);
void UpdateRule(soci::session& sql, core::Id ws, const Rule& r, core::Millis now);
void DeleteRule(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
/// Positions 1..n in the given order (ids of every live rule).
void SetPositions(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids, core::Millis now);
int CountRules(soci::session& sql, core::Id ws);

std::optional<core::Id> LastUser(soci::session& sql, core::Id ws, core::Id rule_id);
void SetLastUser(soci::session& sql, core::Id ws, core::Id rule_id, core::Id user_id);
std::map<core::Id, std::int64_t> Counters(soci::session& sql, core::Id ws, core::Id rule_id);
void BumpCounter(soci::session& sql, core::Id ws, core::Id rule_id, core::Id user_id);

// ---- people ----
struct Person {
    core::Id user_id = 0;
    std::string name;
    bool employed = false;  // user active and an active employee
    std::optional<core::Id> department_id;
    std::string role_code;
};
/// The pool of a rule in pool order: its explicit members (list order) or the active employees of its department
/// (with sub-departments when the rule says so), by user id.
std::vector<Person> PoolPeople(soci::session& sql, core::Id ws, const Rule& r);
std::optional<Person> PersonOf(soci::session& sql, core::Id ws, core::Id user_id);
/// Open leads (new, in_work, qualified; not deleted) per owner among `users`.
std::map<core::Id, int> OpenLeads(soci::session& sql, core::Id ws, const std::vector<core::Id>& users);
/// The kind of a non-cancelled absence covering `day` (YYYY-MM-DD) per user, for everyone in the workspace
/// (routing caches it per day) or narrowed to `users`.
std::map<core::Id, std::string> AbsentOn(soci::session& sql, core::Id ws, const std::string& day);
std::map<core::Id, std::string> AbsencesOn(soci::session& sql, core::Id ws, const std::vector<core::Id>& users,
                                           const std::string& day);
bool DepartmentExists(soci::session& sql, core::Id ws, core::Id id);
/// The head of the department, or of its nearest ancestor that has one — skipping heads in `not_these` (a head who
/// is the person being reassigned is not the one to tell).
std::optional<core::Id> DepartmentHead(soci::session& sql, core::Id ws, core::Id department_id,
                                       const std::vector<core::Id>& not_these = {});
/// Active employees holding one of the role codes in the department subtree (coverage, hand-off hosts).
std::vector<Person> PeopleWithRoles(soci::session& sql, core::Id ws, core::Id department_id,
                                    const std::vector<std::string>& role_codes);
/// The workspace's IANA time zone (Europe/Moscow when the workspace is unknown) and its calendar day at `now`.
std::string WorkspaceTimeZone(soci::session& sql, core::Id ws);
std::string WorkspaceToday(soci::session& sql, core::Id ws, core::Millis now);

// ---- leads ----
struct LeadRow {
    core::Id id = 0;
    std::string status;
    std::string title;
    std::optional<core::Id> owner_user_id;
    bool deleted = false;
    LeadFacts facts;
};
std::optional<LeadRow> GetLead(soci::session& sql, core::Id ws, core::Id lead_id);
/// Whether the lead is inside `visible` (the caller's read or write condition on leads `l`).
bool LeadVisible(soci::session& sql, core::Id lead_id, const auth::Predicate& visible);
void SetLeadOwner(soci::session& sql, core::Id ws, core::Id lead_id, std::optional<core::Id> owner, core::Millis now);

// ---- the SLA clock and the facts ----
struct LeadRouting {
    core::Id lead_id = 0;
    std::optional<core::Id> rule_id;
    std::string state;  // running | responded | queued | escalated | cancelled
    std::optional<core::Id> assignment_id;
    std::optional<core::Millis> deadline_at;
    int sla_minutes = 0;
    int reassignments = 0;
    int breaches = 0;
    std::optional<core::Millis> first_assigned_at, first_response_at;
    std::string first_response_kind;
    core::Millis updated_at = 0;
};
std::optional<LeadRouting> GetLeadRouting(soci::session& sql, core::Id ws, core::Id lead_id);
void PutLeadRouting(soci::session& sql, core::Id ws, const LeadRouting& r);

struct Assignment {
    core::Id id = 0;
    core::Id lead_id = 0;
    std::optional<core::Id> user_id, rule_id;
    std::string reason;
    std::string explanation = "{}";
    core::Millis assigned_at = 0;
    std::optional<core::Millis> deadline_at, responded_at, breached_at, ended_at;
    std::optional<std::int64_t> response_working_ms;
    std::string end_reason;
    std::string user_name;  // joined
};
core::Id InsertAssignment(soci::session& sql, core::Id ws, const Assignment& a);
std::optional<Assignment> GetAssignment(soci::session& sql, core::Id ws, core::Id id);
void UpdateAssignment(soci::session& sql, core::Id ws, const Assignment& a);
std::vector<Assignment> LeadAssignments(soci::session& sql, core::Id ws, core::Id lead_id);

/// One open clock of the SLA board (leads visible to the caller).
struct Clock {
    core::Id lead_id = 0;
    std::string title;
    std::string lead_status;
    int priority = 0;
    std::optional<core::Id> owner_user_id;
    std::string owner_name;
    LeadRouting routing;
    std::optional<core::Millis> assigned_at;
    /// Filled by the service: working time left in the owner's SLA calendar.
    std::optional<std::int64_t> remaining_working_ms;
};
std::vector<Clock> OpenClocks(soci::session& sql, const auth::Predicate& visible, int limit);

/// Per person over [from, to): assignments received, first responses, their working times, breaches.
struct PersonFacts {
    core::Id user_id = 0;
    std::string name;
    int assigned = 0, responded = 0, breached = 0, reassigned_away = 0;
    std::vector<std::int64_t> response_working_ms;
};
std::vector<PersonFacts> FactsByPerson(soci::session& sql, const auth::Predicate& visible_leads, core::Millis from,
                                       core::Millis to);

// ---- settings ----
std::vector<std::string> ResponseStatuses(soci::session& sql, core::Id ws);
void PutResponseStatuses(soci::session& sql, core::Id ws, const std::vector<std::string>& statuses, core::Millis now);

// ---- hand-off meetings ----
struct Meeting {
    core::Id id = 0;
    core::Id lead_id = 0;
    core::Id booked_by_user_id = 0, host_user_id = 0;
    core::Millis starts_at = 0, ends_at = 0;
    std::string place, note, status = "booked";
    core::Millis created_at = 0;
    /// The designer's deal the hand-off created.
    std::optional<core::Id> deal_id;
};
/// Booked meetings of a host overlapping [from, to).
std::vector<Span> BusySpans(soci::session& sql, core::Id ws, core::Id host, core::Millis from, core::Millis to);
core::Id InsertMeeting(soci::session& sql, core::Id ws, const Meeting& m);
std::vector<Meeting> LeadMeetings(soci::session& sql, core::Id ws, core::Id lead_id);
void SetMeetingDeal(soci::session& sql, core::Id ws, core::Id meeting_id, core::Id deal_id);

}  // namespace otdel::routing::store
