#pragma once
/// DealsService: pipelines and their stages with gates (settings), loss reasons, and deals — the kanban board,
/// lists, cards, stage moves through the gate, checklists, win and loss, soft delete — with role rights on "deal",
/// visibility along the org tree (a row outside it is 404), one transaction per change and its audit rows.
/// The routing room's hand-off creates the designer's deal through CreateFromHandoffInTx.
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "auth/visibility.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "deals/deal.hpp"
#include "deals/deals_store.hpp"
#include "http/router.hpp"
#include "intake/intake_batcher.hpp"
#include "jobs/scheduler.hpp"
#include "org/employee.hpp"

namespace otdel::deals {

/// Fields of a deal (create: unset means default; update: unset means unchanged). `set_*` marks a nullable field
/// that was sent (null clears it).
struct DealInput {
    std::optional<std::string> title;
    std::optional<core::Id> pipeline_id, stage_id;  // create only
    bool set_company = false, set_contact = false, set_owner = false, set_close = false;
    std::optional<core::Id> company_id, contact_id, owner_user_id;
    std::optional<std::int64_t> amount_minor;
    std::optional<std::string> currency, expected_close_date, forecast_category;
    std::optional<core::Id> source_lead_id;  // create only
    std::optional<core::Id> loss_reason_id;  // create only, into a lost stage
};

struct DealQuery {
    std::optional<core::Id> pipeline_id, stage_id, company_id, contact_id;
    /// "me", "none" or a user id.
    std::optional<std::string> owner;
    /// open | won | lost | all; default open.
    std::optional<std::string> status;
    std::optional<std::string> q;
    bool idle_only = false;
    bool deleted = false;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct DealPage {
    std::vector<Deal> items;
    std::optional<std::string> next_cursor;
};

struct BoardColumn {
    core::Id stage_id = 0;
    long long count = 0;
    std::vector<std::pair<std::string, long long>> totals;  // currency → amount_minor
    std::vector<Deal> items;
    std::optional<std::string> next_cursor;
};

struct Board {
    Pipeline pipeline;
    std::vector<BoardColumn> columns;
};

struct StagePatch {
    std::optional<std::string> name, kind;
    std::optional<int> probability;
    std::optional<std::vector<std::string>> required_fields;
    std::optional<std::vector<ChecklistItem>> checklist;
    bool set_idle = false;
    std::optional<int> idle_days;
    std::optional<bool> is_decision;
};

struct GateField {
    std::string code, label, group;
};

class DealsService : public org::HandoverHandler {
public:
    DealsService(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
    /// Stops the stage-move group commit (moves already queued commit first) and logs its counters.
    ~DealsService();
    DealsService(const DealsService&) = delete;
    DealsService& operator=(const DealsService&) = delete;

    // ---- settings ----
    core::Result<std::vector<Pipeline>> ListPipelines(const core::Actor& a, bool include_archived);
    core::Result<Pipeline> CreatePipeline(const core::Actor& a, const std::string& name, bool is_default);
    core::Result<Pipeline> UpdatePipeline(const core::Actor& a, core::Id id, const std::optional<std::string>& name,
                                          std::optional<bool> is_default);
    core::Result<void> ArchivePipeline(const core::Actor& a, core::Id id);
    core::Result<Stage> CreateStage(const core::Actor& a, core::Id pipeline_id, const StagePatch& in);
    core::Result<Stage> UpdateStage(const core::Actor& a, core::Id id, const StagePatch& in);
    core::Result<void> ArchiveStage(const core::Actor& a, core::Id id);
    core::Result<Pipeline> ReorderStages(const core::Actor& a, core::Id pipeline_id, const std::vector<core::Id>& ids);
    core::Result<std::vector<GateField>> GateFields(const core::Actor& a);
    core::Result<std::vector<LossReason>> ListLossReasons(const core::Actor& a, bool include_archived);
    core::Result<LossReason> CreateLossReason(const core::Actor& a, const std::string& name_ru,
                                              const std::string& name_en);
    core::Result<LossReason> UpdateLossReason(const core::Actor& a, core::Id id, const std::optional<std::string>& ru,
                                              const std::optional<std::string>& en, std::optional<bool> archived);

    // ---- deals ----
    core::Result<DealPage> List(const core::Actor& a, const DealQuery& q);
    core::Result<Board> BoardOf(const core::Actor& a, core::Id pipeline_id, const std::optional<std::string>& owner,
                                const std::optional<std::string>& q, int limit);
    core::Result<Deal> Get(const core::Actor& a, core::Id id);
    core::Result<Deal> Create(const core::Actor& a, const DealInput& in);
    core::Result<Deal> Update(const core::Actor& a, core::Id id, const DealInput& in);
    /// Moves a deal through the target stage's gate; a lost stage needs a loss reason. The move is committed by the
    /// service's group-commit thread together with the moves arriving at the same time (each in its own savepoint):
    /// never call it inside another write transaction of the same database.
    core::Result<Deal> MoveStage(const core::Actor& a, core::Id id, core::Id stage_id,
                                 std::optional<core::Id> loss_reason_id, const std::string& loss_comment);
    /// Ticks (true) or unticks (false) checklist items of the deal's pipeline.
    core::Result<Deal> SetChecklist(const core::Actor& a, core::Id id, const std::map<std::string, bool>& items);
    core::Result<Deal> Delete(const core::Actor& a, core::Id id);
    core::Result<Deal> Restore(const core::Actor& a, core::Id id);
    core::Result<std::vector<store::HistoryRow>> History(const core::Actor& a, core::Id id);

    // ---- for other rooms (inside the caller's transaction, no permission checks) ----
    /// The two-tier hand-off (LEAD-6): a deal owned by the designer-manager `owner` in the default pipeline's first
    /// open stage, from the lead (title, client); audited as `by`. Returns the deal id.
    core::Id CreateFromHandoffInTx(soci::session& sql, core::Id ws, core::Id lead_id, core::Id owner,
                                   const core::Actor& by, core::Millis now);
    /// The workspace's default pipeline and loss reasons, when it has none yet (idempotent).
    static void EnsureDefaultsIn(soci::session& sql, core::Id ws, core::Lang lang, core::Millis now);
    /// The check every path into a stage runs (DEAL-2, DEAL-9), for other rooms' writers (the deal import): the gate
    /// of `target` over the deal's own fields and its company's and contact's, or for a lost stage a live loss reason.
    /// The refusal lists each missing item in `lang`, exactly as a move or a create answers it.
    /// `required_from`: the custom fields the stage requires (store::CustomRequiredFrom), when the caller has them
    /// already (the import reads them once per stage and batch); null reads them.
    static core::Result<void> CheckEntryInTx(soci::session& sql, const Deal& d, const Stage& target,
                                             std::optional<core::Id> loss_reason_id, core::Lang lang,
                                             const std::vector<std::string>* required_from = nullptr);

    /// DEAL-6: whether a deal's money came in. The billing room answers from the deal's invoices (set in app/);
    /// without it, or for a deal without live invoices, a won deal counts as paid.
    enum class PaymentState { kNoInvoices, kUnpaid, kPaid };
    using PaymentStateHook = std::function<PaymentState(soci::session&, core::Id ws, core::Id deal_id)>;
    void SetPaymentStateHook(PaymentStateHook hook) { payment_state_ = std::move(hook); }
    /// The billing room, inside its transaction, once the deal's invoices are paid in full: the 72-hour window and
    /// its overdue flag go, its timers are cancelled, and the change is audited as `by`.
    void SettlePaymentWindowInTx(soci::session& sql, core::Id ws, core::Id deal_id, const core::Actor& by,
                                 core::Millis now);

    /// The 72-hour payment window's reminder and deadline (DEAL-6).
    void AttachScheduler(jobs::Scheduler& scheduler);
    /// Called after the jobs' own transactions commit (the outbox's Kick: notifications reach the browser at once).
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }

    /// Another room's condition on entering a stage, checked inside the move's transaction after the gate (the
    /// catalog room keeps a deal whose discount waits for approval out of won and decision stages).
    using EntryCheck = std::function<core::Result<void>(soci::session&, const Deal&, const Stage& target, core::Lang)>;
    void SetEntryCheck(EntryCheck f) { entry_check_ = std::move(f); }
    /// Whether a deal's amount is the sum of its lines (the catalog room): then an edit may not set another amount.
    using AmountFromLines = std::function<bool(soci::session&, const Deal&)>;
    void SetAmountFromLines(AmountFromLines f) { amount_from_lines_ = std::move(f); }

    /// /api/v1/pipelines…, /api/v1/stages…, /api/v1/deals…, /api/v1/loss-reasons, /api/v1/deal-fields
    void Register(http::Router& router);

    // org::HandoverHandler: a dismissed person's open deals go to the successor (or to nobody).
    std::string Kind() const override { return "deal"; }
    int Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id, std::optional<core::Id> to_user_id,
                 const core::Actor& by, core::Millis now) override;

private:
    void EnsureDefaults(const core::Actor& a);
    /// Loads a deal the caller may change, applies `edit` (which answers the audit action), writes it and audits
    /// before/after in one transaction.
    using Edit = std::function<core::Result<std::string>(soci::session&, const auth::Visibility&, Deal&)>;
    core::Result<Deal> Change(const core::Actor& a, core::Id id, bool include_deleted, const Edit& edit);
    /// Change's body inside the caller's transaction. `stage_after`: the stage the edit left the deal in, when the
    /// edit has it at hand (its idle rule then needs no read); otherwise it is read.
    /// `vis`: the caller's visibility when already built in this transaction (a batch of moves); null builds it.
    core::Result<Deal> ChangeIn(soci::session& sql, const core::Actor& a, core::Id id, bool include_deleted,
                                core::Millis now, const Edit& edit, const std::optional<Stage>* stage_after = nullptr,
                                const auth::Visibility* vis = nullptr);

    struct MoveRequest {
        core::Actor actor;
        core::Id id = 0, stage_id = 0;
        std::optional<core::Id> loss_reason_id;
        std::string loss_comment;
    };
    using Movers = intake::GroupCommitter<MoveRequest, Deal>;
    /// The group commit's sink: every move of the batch in one transaction, each in its own savepoint.
    core::Result<std::vector<core::Result<Deal>>> CommitMoves(std::vector<MoveRequest>& items);
    /// What the moves of one batch read alike, read once per batch: they share one transaction, and no move writes the
    /// people, stages or custom fields these come from.
    struct MoveBatch {
        std::map<std::tuple<int, core::Id, core::Id, bool>, auth::Visibility> visibility;       // kind, ws, user, admin
        std::map<std::pair<core::Id, core::Id>, std::optional<Stage>> stages;                   // ws, stage id
        std::map<std::tuple<core::Id, core::Id, int>, std::vector<std::string>> required_from;  // ws, pipeline, pos
    };
    core::Result<Deal> MoveIn(soci::session& sql, const MoveRequest& m, core::Millis now, MoveBatch& batch);

    core::Result<void> HandlePaymentJob(const jobs::JobContext& ctx, bool deadline);
    PaymentState PaymentStateOf(soci::session& sql, core::Id ws, core::Id deal_id) const {
        return payment_state_ ? payment_state_(sql, ws, deal_id) : PaymentState::kNoInvoices;
    }

    db::Database& db_;
    const core::Clock& clock_;
    std::function<void()> after_commit_;
    PaymentStateHook payment_state_;
    EntryCheck entry_check_;
    AmountFromLines amount_from_lines_;
    std::mutex ensured_mu_;
    std::set<core::Id> ensured_;  // workspaces whose defaults exist (EnsureDefaults)
    std::mutex movers_mu_;
    std::unique_ptr<Movers> movers_;  // started by the first stage move; last member, so stopped first
};

std::string EncodeDealCursor(core::Id id);

}  // namespace otdel::deals
