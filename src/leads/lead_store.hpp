#pragma once
/// SQL of the leads room. Every function runs in the caller's session/transaction, is scoped by workspace and —
/// where it touches leads a person asked for — takes the visibility predicate (auth/visibility.hpp) into its
/// WHERE clause. The intake path runs as the system actor, whose predicate is the whole workspace.
#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "leads/lead.hpp"

namespace otdel::leads::store {

core::Id InsertLead(soci::session& sql, const Lead& l);
void InsertPoint(soci::session& sql, core::Id ws, core::Id lead_id, const LeadPoint& p, core::Millis now);

/// The two inserts of a new lead, prepared once and executed many times on one session (an intake batch): SQLite
/// spends more time compiling a statement than running it, and SOCI does not cache. Same effect as the free
/// functions; lives no longer than the session.
class LeadWriter {
public:
    explicit LeadWriter(soci::session& sql);
    ~LeadWriter();
    LeadWriter(const LeadWriter&) = delete;
    LeadWriter& operator=(const LeadWriter&) = delete;
    core::Id InsertLead(const Lead& l);
    void InsertPoint(core::Id ws, core::Id lead_id, const LeadPoint& p, core::Millis now);
    /// The owner the lead has now (routing may have set it while the batch is written): false when there is no
    /// such lead. One narrow prepared read instead of the whole card.
    bool ReadOwner(core::Id ws, core::Id lead_id, std::optional<core::Id>& owner);

private:
    struct Buffers;
    std::unique_ptr<Buffers> b_;
};
std::vector<LeadPoint> SelectPoints(soci::session& sql, core::Id ws, core::Id lead_id);
/// Moves the contact points of `from` to `to` (a merge), skipping values `to` already has (those are deleted).
void MovePoints(soci::session& sql, core::Id ws, core::Id from, core::Id to);

/// A lead the predicate lets the caller see (deleted ones only when `include_deleted`), with its points.
std::optional<Lead> SelectLead(soci::session& sql, core::Id id, const auth::Predicate& visible,
                               bool include_deleted = false);
/// Writes every mutable column of `l` when the predicate allows; false when the row is not (or no longer) there.
/// The predicate must be made for the table name (`vis.Write("leads")`): UPDATE takes no alias.
bool UpdateLead(soci::session& sql, const Lead& l, const auth::Predicate& visible);

std::optional<core::Id> LeadByExternalRef(soci::session& sql, core::Id ws, const std::string& channel,
                                          const std::string& ref);
bool TimelineRefExists(soci::session& sql, core::Id ws, const std::string& channel, const std::string& ref);
struct ListFilter {
    std::vector<std::string> statuses;  // empty: every status
    std::optional<std::string> channel;
    bool owner_none = false;
    std::optional<core::Id> owner_user_id;
    std::optional<core::Id> form_id;
    std::optional<core::Millis> created_from, created_to;  // [from, to)
    /// Case-folded text matched inside the lead's search document (names, request, e-mails, INN, phones).
    std::optional<std::string> q_text;
    bool deleted = false;  // the bin instead of live leads
};
/// Keyset position of the inbox order (priority desc, id desc).
struct ListAfter {
    long long score = 0;
    core::Id id = 0;
};
/// One page in inbox order; points are not loaded.
std::vector<Lead> ListLeads(soci::session& sql, const ListFilter& f, const std::optional<ListAfter>& after, int limit,
                            const auth::Predicate& visible);

/// Open, live leads owned by `from`: given to `to` (or nobody). Returns their ids.
std::vector<core::Id> HandoverOpenLeads(soci::session& sql, core::Id ws, core::Id from, std::optional<core::Id> to,
                                        core::Millis now);

/// Records a merge (the absorbed lead's snapshot as JSON).
void InsertMerge(soci::session& sql, core::Id ws, core::Id survivor, core::Id merged, std::optional<core::Id> actor,
                 const std::string& snapshot, core::Millis now);
/// Re-points timeline events of lead `from` to lead `to`.
void MoveTimeline(soci::session& sql, core::Id ws, core::Id from, core::Id to);

/// The workspace's IANA time zone (for "today" of the visibility predicate).
std::string WorkspaceTimeZone(soci::session& sql, core::Id ws);
/// The routing room's clock of the lead, if it was ever routed.
std::optional<LeadSla> SelectSla(soci::session& sql, core::Id ws, core::Id lead_id);
/// An active user of the workspace (an owner choice).
bool UserActive(soci::session& sql, core::Id ws, core::Id user_id);

}  // namespace otdel::leads::store
