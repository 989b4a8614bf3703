#pragma once
/// SQL of the clients room. Every function runs in the caller's session/transaction and is scoped by workspace.
/// Functions taking an auth::Predicate read through the caller's visibility; the others are for the service's own
/// checks and for other rooms' tx-level calls (dedupe lookups must see every live record).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "clients/clients.hpp"
#include "db/database.hpp"

namespace otdel::clients::store {

/// A company–contact link row: the card's writer and the import's batch writer bind the same names.
inline constexpr const char* kInsertLink =
    "INSERT INTO company_contacts (workspace_id, company_id, contact_id, position, decision_role, is_primary, "
    "created_at) VALUES (:ws, :co, :ct, :position, :role, :primary, :now)";

// --- companies and contacts
core::Id InsertCompany(soci::session& sql, const Company& c, core::Millis now);
/// The stored text of a record's tags (JSON array) and bank details (JSON object), as the inserts above write them.
std::string TagsText(const std::vector<std::string>& tags);
std::string BankText(const BankDetails& b);
void UpdateCompany(soci::session& sql, const Company& c, core::Millis now);
/// Any company of the workspace (deleted and merged included) when `visible` is null; else only a visible one.
std::optional<Company> SelectCompany(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate* visible);
core::Id InsertContact(soci::session& sql, const Contact& c, core::Millis now);
void UpdateContact(soci::session& sql, const Contact& c, core::Millis now);
std::optional<Contact> SelectContact(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate* visible);
/// Sets deleted_at (nullopt restores) and merged_into_id of a company or contact.
void SetRemoved(soci::session& sql, const std::string& type, core::Id ws, core::Id id,
                std::optional<core::Millis> deleted_at, std::optional<core::Id> merged_into, core::Millis now);

/// A list query. Sort keys come from an allow-list (the service checks); the cursor is the last row's key.
struct ListFilter {
    std::optional<core::Id> owner_user_id;
    std::optional<std::string> tag, q, payment_discipline;
    std::optional<bool> has_phone;
    std::optional<core::Millis> created_from, created_to;
    /// Custom field equality: code (checked [a-z0-9_]) and the value as text.
    std::optional<std::pair<std::string, std::string>> custom;
    bool deleted = false;      // true: the recycle bin (soft-deleted, not merged)
    std::string sort = "-id";  // -id | id | name | -name | -updated_at | updated_at
    /// Keyset position: the last row's sort value (text or number as text) and id.
    std::optional<std::string> after_key;
    std::optional<core::Id> after_id;
    int limit = 50;
};
std::vector<Company> ListCompanies(soci::session& sql, db::Engine engine, core::Id ws, const ListFilter& f,
                                   const auth::Predicate& visible);
std::vector<Contact> ListContacts(soci::session& sql, db::Engine engine, core::Id ws, const ListFilter& f,
                                  const auth::Predicate& visible);

std::optional<std::string> UserName(soci::session& sql, core::Id ws, core::Id user_id);
bool UserIsActive(soci::session& sql, core::Id ws, core::Id user_id);
std::string WorkspaceTimeZone(soci::session& sql, core::Id ws);

// --- contact points
core::Id InsertPoint(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id subject_id,
                     const ContactPoint& p, core::Millis now);
std::vector<ContactPoint> ListPoints(soci::session& sql, core::Id ws, const std::string& subject_type,
                                     core::Id subject_id);
void DeletePoints(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id subject_id);
void DeletePoint(soci::session& sql, core::Id ws, core::Id point_id);
void MovePoint(soci::session& sql, core::Id ws, core::Id point_id, core::Id to_subject_id);

/// A live record holding a phone/e-mail/INN: what dedupe finds.
struct Match {
    std::string type;  // company | contact | lead
    core::Id id = 0;
    std::string title;
    std::optional<core::Id> owner_user_id;
    std::string match;  // phone | email | inn | name
    std::string value;
};
/// Live companies, contacts and open leads holding the normalised value (kind phone|email). No visibility.
std::vector<Match> FindByPoint(soci::session& sql, core::Id ws, const std::string& kind, const std::string& value);
std::vector<Match> FindCompaniesByInn(soci::session& sql, core::Id ws, const std::string& inn);
std::vector<Match> FindCompaniesByName(soci::session& sql, core::Id ws, const std::string& name);
/// Groups of live records of one type sharing a phone/e-mail (or INN for companies): (key kind, value, ids).
struct DuplicateGroup {
    std::string match, value;
    std::vector<core::Id> ids;
};
std::vector<DuplicateGroup> DuplicateGroups(soci::session& sql, core::Id ws, const std::string& type, int limit);

// --- links
void UpsertLink(soci::session& sql, core::Id ws, const Link& l, core::Millis now);
bool DeleteLink(soci::session& sql, core::Id ws, core::Id company_id, core::Id contact_id);
std::optional<Link> SelectLink(soci::session& sql, core::Id ws, core::Id company_id, core::Id contact_id);
/// Links of a company (with the contacts' names) or of a contact (with the companies' names); live records only.
struct LinkView {
    Link link;
    std::string name;
    std::optional<core::Id> owner_user_id;
};
std::vector<LinkView> LinksOfCompany(soci::session& sql, core::Id ws, core::Id company_id);
std::vector<LinkView> LinksOfContact(soci::session& sql, core::Id ws, core::Id contact_id);
/// Moves every link of `from` to `to` (of the same type); links `to` already has are dropped. Returns moved count.
int MoveLinks(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to, core::Millis now);

// --- custom fields
core::Id InsertField(soci::session& sql, const CustomField& f, core::Millis now);
void UpdateField(soci::session& sql, const CustomField& f, core::Millis now);
std::optional<CustomField> SelectField(soci::session& sql, core::Id ws, core::Id id);
/// Fields of one entity (or all when empty), by position then id.
std::vector<CustomField> ListFields(soci::session& sql, core::Id ws, const std::string& entity, bool include_archived);

// --- timeline
struct TimelineEvent {
    core::Id id = 0;
    std::string subject_type;
    core::Id subject_id = 0;
    core::Millis at = 0;
    std::string kind, channel, summary, payload = "{}";
    std::optional<core::Id> actor_user_id;
    std::optional<std::string> external_ref;
};
/// Inserts unless an event with the same (channel, external_ref) exists; returns the id (new or existing) and
/// whether it was inserted.
std::pair<core::Id, bool> InsertEvent(soci::session& sql, core::Id ws, const TimelineEvent& e, core::Millis now);
int RepointEvents(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to);
/// Re-points leads (company_id/contact_id and the converted_* columns) from an absorbed record to the survivor.
int RepointLeads(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to);

/// One timeline row: an audit row (source 0) or a timeline event (source 1).
struct TimelineRow {
    int source = 0;
    core::Id id = 0;
    core::Millis at = 0;
    std::string kind, summary, payload, subject_type, channel;
    core::Id subject_id = 0;
    std::optional<core::Id> actor_user_id;
    std::string actor_name;
    std::string before_json, after_json;
};
struct TimelineCursor {
    core::Millis at = 0;
    int source = 0;
    core::Id id = 0;
};
/// Newest first: rows of the given subjects (type -> ids) from audit_log and timeline_events after `cursor`.
std::vector<TimelineRow> Timeline(soci::session& sql, core::Id ws,
                                  const std::vector<std::pair<std::string, std::vector<core::Id>>>& subjects,
                                  const std::optional<TimelineCursor>& cursor, int limit);

// --- merges
core::Id InsertMerge(soci::session& sql, core::Id ws, const std::string& type, core::Id survivor, core::Id merged,
                     std::optional<core::Id> actor, const std::string& snapshot, core::Millis now);
/// Ids merged into `survivor`, transitively (A absorbed B which had absorbed C -> {B, C}).
std::vector<core::Id> MergedInto(soci::session& sql, core::Id ws, const std::string& type, core::Id survivor);

// --- saved views
struct SavedView {
    core::Id id = 0;
    std::string entity;
    std::optional<core::Id> user_id;  // nullopt: shared with the workspace
    std::string name, definition;
    core::Millis created_at = 0, updated_at = 0;
};
core::Id InsertView(soci::session& sql, core::Id ws, const SavedView& v, core::Millis now);
void UpdateView(soci::session& sql, core::Id ws, const SavedView& v, core::Millis now);
void DeleteView(soci::session& sql, core::Id ws, core::Id id);
std::optional<SavedView> SelectView(soci::session& sql, core::Id ws, core::Id id);
/// The caller's own views and the shared ones of an entity.
std::vector<SavedView> ListViews(soci::session& sql, core::Id ws, const std::string& entity, core::Id user_id);

// --- search documents
void UpsertSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id,
                     std::optional<core::Id> owner, const std::string& title, const std::string& body,
                     core::Millis now);
/// One document of UpsertSearchDocs: `text` is already the indexed body (DocText).
struct SearchDocWrite {
    core::Id ws = 0;
    std::string type;
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string title, text;
    core::Millis now = 0;
};
/// UpsertSearchDoc of several documents in order (the last one of a subject wins), the new ones by multi-row INSERTs.
/// SQLite's FTS5 (3.40) writes its pending terms out as a new segment at the end of every statement inside a
/// transaction, so documents inserted one statement each cost a segment (and its merging) apiece.
void UpsertSearchDocs(soci::session& sql, const std::vector<SearchDocWrite>& docs);
void RemoveSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id);
struct SearchHit {
    std::string type;
    core::Id id = 0;
    std::string title, body;
    std::optional<core::Id> owner_user_id;
    std::string owner_name;
};
/// Documents matching every token (prefix match), visible to the caller, of the allowed types, newest first.
/// `tokens` are SearchTokens output (letters and digits only).
std::vector<SearchHit> Search(soci::session& sql, db::Engine engine, core::Id ws,
                              const std::vector<std::string>& tokens, bool companies, bool contacts, bool leads,
                              int limit, const auth::Predicate& visible);

/// Handover: every live company/contact owned by `from` goes to `to`. Returns the ids moved.
std::vector<core::Id> Reassign(soci::session& sql, core::Id ws, const std::string& type, core::Id from,
                               std::optional<core::Id> to, core::Millis now);

}  // namespace otdel::clients::store
