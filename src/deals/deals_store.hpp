#pragma once
/// SQL of the deals room: named statements with bound parameters; the visibility predicate in every query over
/// deals. Pipelines, stages and loss reasons are workspace settings (scoped by workspace_id, no owner).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "deals/deal.hpp"

namespace otdel::deals::store {

// ---- settings ----
std::vector<Pipeline> SelectPipelines(soci::session& sql, core::Id ws, bool include_archived);
std::optional<Pipeline> SelectPipeline(soci::session& sql, core::Id ws, core::Id id);
std::optional<core::Id> DefaultPipelineId(soci::session& sql, core::Id ws);
std::optional<Stage> SelectStage(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertPipeline(soci::session& sql, core::Id ws, const std::string& name, bool is_default, core::Millis now);
void UpdatePipeline(soci::session& sql, core::Id ws, const Pipeline& p, core::Millis now);
/// Makes `id` the workspace's only default pipeline.
void SetDefaultPipeline(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
core::Id InsertStage(soci::session& sql, core::Id ws, const Stage& s, core::Millis now);
void UpdateStage(soci::session& sql, core::Id ws, const Stage& s, core::Millis now);
void SetStagePosition(soci::session& sql, core::Id ws, core::Id stage_id, int position, core::Millis now);
long long CountPipelines(soci::session& sql, core::Id ws);
long long CountDealsInStage(soci::session& sql, core::Id ws, core::Id stage_id);
long long CountOpenDealsInPipeline(soci::session& sql, core::Id ws, core::Id pipeline_id);

std::vector<LossReason> SelectLossReasons(soci::session& sql, core::Id ws, bool include_archived);
std::optional<LossReason> SelectLossReason(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertLossReason(soci::session& sql, core::Id ws, const LossReason& r, core::Millis now);
void UpdateLossReason(soci::session& sql, core::Id ws, const LossReason& r);
long long CountLossReasons(soci::session& sql, core::Id ws);

/// Custom fields (company/contact) required from a stage of `pipeline_id` at or before `position`, as gate codes.
std::vector<std::string> CustomRequiredFrom(soci::session& sql, core::Id ws, core::Id pipeline_id, int position);

struct CustomFieldRef {
    std::string entity, code, label_ru, label_en;
};
/// The workspace's live company and contact custom fields (the gate field catalog).
std::vector<CustomFieldRef> ClientCustomFields(soci::session& sql, core::Id ws);

// ---- deals ----
struct DealFilter {
    std::optional<core::Id> pipeline_id, stage_id, company_id, contact_id, owner_user_id;
    bool owner_none = false;
    std::vector<std::string> statuses;  // empty: every status
    std::optional<std::string> q_folded;
    bool deleted = false;
    /// Open deals whose last activity is before this instant (the service turns idle_days into it per stage).
    bool idle_only = false;
    core::Millis now = 0;
};

std::vector<Deal> ListDeals(soci::session& sql, const DealFilter& f, std::optional<core::Id> before_id, int limit,
                            const auth::Predicate& visible);

/// The kanban's first page of every live stage of the pipeline `f.pipeline_id` in one statement: each stage's newest
/// `per_stage` deals under `visible` (alias "d") and the filter, ordered by stage position, then id descending.
std::vector<Deal> BoardPage(soci::session& sql, core::Id ws, const DealFilter& f, int per_stage,
                            const auth::Predicate& visible);

struct StageTotal {
    core::Id stage_id = 0;
    std::string currency;
    long long count = 0;
    long long amount_minor = 0;
};
/// Count and sum of the visible live deals of a pipeline per stage and currency: from the deal_totals rollup (kept
/// exact by InsertDeal / UpdateDeal / MoveOpenDeals) when the filter is the pipeline and an owner at most, with
/// `rollup_visible` built on alias "t"; else counted live from deals (`visible` on alias "d").
std::vector<StageTotal> BoardTotals(soci::session& sql, const DealFilter& f, const auth::Predicate& visible,
                                    const auth::Predicate& rollup_visible);
/// The same counted from the deals themselves (the rollup's reference; any filter).
std::vector<StageTotal> LiveTotals(soci::session& sql, const DealFilter& f, const auth::Predicate& visible);

std::optional<Deal> SelectDeal(soci::session& sql, core::Id id, const auth::Predicate& visible, bool include_deleted);
/// Without visibility: the system's own reads (hooks, jobs) and re-reads after a checked write.
std::optional<Deal> SelectDealById(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertDeal(soci::session& sql, const Deal& d);
/// Writes every mutable column; false when the row is outside `visible`. `stored`: the row as it stands, when the
/// caller read it earlier in the same transaction (its share of the board totals is taken from it instead of reading
/// the row again); null reads it.
bool UpdateDeal(soci::session& sql, const Deal& d, const auth::Predicate& visible, const Deal* stored = nullptr);

struct HistoryRow {
    core::Id id = 0;
    std::optional<core::Id> from_stage_id;
    core::Id to_stage_id = 0;
    std::optional<core::Id> by_user_id;
    std::string by_name;
    core::Millis at = 0;
};
void InsertHistory(soci::session& sql, core::Id ws, core::Id deal_id, std::optional<core::Id> from, core::Id to,
                   std::optional<core::Id> by, core::Millis at);
std::vector<HistoryRow> SelectHistory(soci::session& sql, core::Id ws, core::Id deal_id);

/// Which gate fields the deal's company and contact fill (company.inn, contact.phone, company.custom.x…).
void ClientFacts(soci::session& sql, core::Id ws, std::optional<core::Id> company_id,
                 std::optional<core::Id> contact_id, std::set<std::string>& filled);

/// A live company / contact of the workspace (for links); nullopt when absent or deleted.
std::optional<std::string> CompanyName(soci::session& sql, core::Id ws, core::Id id);
std::optional<std::string> ContactName(soci::session& sql, core::Id ws, core::Id id);
/// An active user of the workspace.
bool UserActive(soci::session& sql, core::Id ws, core::Id id);
bool LeadExists(soci::session& sql, core::Id ws, core::Id id);

/// The catalog room's hook: a deal with lines has their sum as its amount. Writes it with the board totals, without
/// visibility (the caller checked the deal in its transaction); answers the deal as it was, nullopt when absent.
std::optional<Deal> SetAmount(soci::session& sql, core::Id ws, core::Id id, std::int64_t amount_minor,
                              core::Millis now);

/// The deal import's natural key (deals.external_id): the live or deleted deal holding it, and setting it.
std::optional<core::Id> DealIdByExternalId(soci::session& sql, core::Id ws, const std::string& external_id);
void SetExternalId(soci::session& sql, core::Id ws, core::Id id, const std::string& external_id);
/// The live contacts linked to a company: (id, full name).
std::vector<std::pair<core::Id, std::string>> CompanyContacts(soci::session& sql, core::Id ws, core::Id company_id);

/// The dismissal handover: a person's open, live deals go to `to` (or nobody); returns their ids.
std::vector<core::Id> MoveOpenDeals(soci::session& sql, core::Id ws, core::Id from, std::optional<core::Id> to,
                                    core::Millis now);

}  // namespace otdel::deals::store
