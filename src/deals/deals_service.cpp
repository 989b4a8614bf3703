#include "deals/deals_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "auth/visibility.hpp"
#include "clients/clients_service.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "http/json.hpp"
#include "jobs/job_store.hpp"
#include "leads/priority.hpp"
#include "org/absence.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"

namespace otdel::deals {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kObject = "deal";
constexpr const char* kReminderJob = "deals.payment_reminder";
constexpr const char* kDeadlineJob = "deals.payment_deadline";
constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000LL;  // 10^13 roubles in kopecks

constexpr const char* kLeadForDeal =
    "SELECT title, company_id, contact_id, converted_company_id, converted_contact_id FROM leads "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kCompanyVisible =
    "SELECT COUNT(*) FROM companies c WHERE c.id = :id AND c.deleted_at IS NULL AND {visible}";
constexpr const char* kContactVisible =
    "SELECT COUNT(*) FROM contacts c WHERE c.id = :id AND c.deleted_at IS NULL AND {visible}";

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

Error NotFound() {
    return Error::Of(ErrorCode::kNotFound);
}

auth::Visibility VisibilityOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, now));
}

// Pipelines, stages and loss reasons: administrators and roles that may change the organisation.
core::Result<void> MayConfigure(const auth::Visibility& vis) {
    if (vis.caller().unrestricted || vis.Can(Action::kUpdate, "org")) return core::Ok();
    return Error::Of(ErrorCode::kForbidden);
}

std::optional<core::Id> ActorUser(const core::Actor& a) {
    return a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
}

json::value OptJson(const std::optional<core::Id>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object Snapshot(const Deal& d) {
    json::array ticked;
    for (const auto& t : d.checklist) ticked.emplace_back(t);
    return json::object{
        {"title", d.title},
        {"pipeline_id", d.pipeline_id},
        {"stage_id", d.stage_id},
        {"status", d.status},
        {"amount_minor", d.amount_minor},
        {"currency", d.currency},
        {"company_id", OptJson(d.company_id)},
        {"contact_id", OptJson(d.contact_id)},
        {"owner_user_id", OptJson(d.owner_user_id)},
        {"expected_close_date", d.expected_close_date ? json::value(*d.expected_close_date) : json::value(nullptr)},
        {"forecast_category", d.forecast_category},
        {"loss_reason_id", OptJson(d.loss_reason_id)},
        {"loss_comment", d.loss_comment},
        {"checklist", std::move(ticked)},
        {"deleted_at", OptJson(d.deleted_at)}};
}

json::object StageSnapshot(const Stage& s) {
    json::array req, check;
    for (const auto& f : s.required_fields) req.emplace_back(f);
    for (const auto& i : s.checklist) check.push_back(json::object{{"code", i.code}, {"label", i.label}});
    return json::object{{"pipeline_id", s.pipeline_id},
                        {"name", s.name},
                        {"position", s.position},
                        {"probability", s.probability},
                        {"kind", s.kind},
                        {"required_fields", std::move(req)},
                        {"checklist", std::move(check)},
                        {"idle_days", s.idle_days ? json::value(*s.idle_days) : json::value(nullptr)},
                        {"is_decision", s.is_decision},
                        {"archived_at", OptJson(s.archived_at)}};
}

// Every stage of the workspace by id (idle flags of a list need the stage of each row).
std::map<core::Id, Stage> StagesById(soci::session& sql, core::Id ws) {
    std::map<core::Id, Stage> out;
    for (auto& p : store::SelectPipelines(sql, ws, true))
        for (auto& s : p.stages) out.emplace(s.id, std::move(s));
    return out;
}

void MarkIdle(Deal& d, const std::map<core::Id, Stage>& stages, core::Millis now) {
    auto it = stages.find(d.stage_id);
    d.idle = it != stages.end() && IsIdle(it->second, d.status, d.last_activity_at, now);
}

void MarkIdle(soci::session& sql, Deal& d, core::Millis now) {
    if (auto s = store::SelectStage(sql, d.workspace_id, d.stage_id))
        d.idle = IsIdle(*s, d.status, d.last_activity_at, now);
}

// The gate field codes the deal itself fills.
// The client's facts are read only when the gate asks for one of them (`gate`'s required fields or a custom field
// required from it): most stages ask for the deal's own fields or nothing, and a move or an import row then costs no
// client queries.
GateFacts FactsOf(soci::session& sql, const Deal& d, const Stage& gate, const std::vector<std::string>& required_from) {
    GateFacts f;
    if (d.amount_minor > 0) f.filled.insert("amount");
    if (d.expected_close_date) f.filled.insert("expected_close_date");
    const auto about_client = [](const std::string& code) {
        return code.rfind("company", 0) == 0 || code.rfind("contact", 0) == 0;
    };
    if (!required_from.empty() || std::any_of(gate.required_fields.begin(), gate.required_fields.end(), about_client))
        store::ClientFacts(sql, d.workspace_id, d.company_id, d.contact_id, f.filled);
    f.ticked = d.checklist;
    return f;
}

// The gate's refusal: one field error per missing item, named in the caller's language (param).
Error GateError(soci::session& sql, core::Id ws, const std::vector<GateGap>& gaps, core::Lang lang) {
    std::map<std::string, std::string> custom_labels;
    for (const auto& c : store::ClientCustomFields(sql, ws))
        custom_labels[c.entity + ".custom." + c.code] = lang == core::Lang::kEn ? c.label_en : c.label_ru;
    Error e{ErrorCode::kValidation, "deals.gate_blocked", {}, 0};
    for (const auto& g : gaps) {
        std::string label = g.label;
        if (label.empty()) label = GateFieldLabel(g.field, lang);
        if (label.empty()) {
            auto it = custom_labels.find(g.field);
            label = it != custom_labels.end() ? it->second : g.field;
        }
        e.fields.push_back({g.field, g.code, label});
    }
    return e;
}

// Applies the entry into `target` to the deal: status, closing, loss reason. The gate was checked by the caller.
void Enter(Deal& d, const Stage& target, core::Millis now) {
    d.stage_id = target.id;
    d.pipeline_id = target.pipeline_id;
    d.status = target.kind;
    d.stage_entered_at = now;
    d.last_activity_at = now;
    if (target.kind == "open") {
        d.closed_at.reset();
        d.loss_reason_id.reset();
        d.loss_comment.clear();
    } else {
        d.closed_at = now;
        if (target.kind == "won") {
            d.loss_reason_id.reset();
            d.loss_comment.clear();
        }
    }
}

// The checks a deal's entry into `target` needs: the gate, or for a lost stage a live loss reason.
core::Result<void> CheckEntry(soci::session& sql, const Deal& d, const Stage& target,
                              std::optional<core::Id> loss_reason_id, core::Lang lang,
                              const std::vector<std::string>* known_required_from = nullptr) {
    if (target.kind == "lost") {
        if (!loss_reason_id) return Error::Field("loss_reason_id", "required");
        auto r = store::SelectLossReason(sql, d.workspace_id, *loss_reason_id);
        if (!r || r->archived_at) return Error::Field("loss_reason_id", "invalid");
        return core::Ok();
    }
    const auto required_from =
        known_required_from ? *known_required_from
                            : store::CustomRequiredFrom(sql, d.workspace_id, target.pipeline_id, target.position);
    const auto gaps = CheckGate(target, FactsOf(sql, d, target, required_from), required_from);
    if (!gaps.empty()) return GateError(sql, d.workspace_id, gaps, lang);
    return core::Ok();
}

// Pipeline-wide unique checklist codes: codes of the other stages count as taken.
core::Result<void> PrepareChecklist(const Pipeline& p, core::Id stage_id, std::vector<ChecklistItem>& items) {
    std::set<std::string> elsewhere;
    for (const auto& s : p.stages)
        if (s.id != stage_id)
            for (const auto& i : s.checklist) elsewhere.insert(i.code);
    std::vector<core::FieldError> errs;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (!items[i].code.empty() && elsewhere.count(items[i].code))
            errs.push_back({"checklist/" + std::to_string(i) + "/code", "not_unique", ""});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    // Generated codes skip the ones taken elsewhere: temporarily list them as items with codes.
    std::vector<ChecklistItem> all = items;
    for (const auto& c : elsewhere) all.push_back({c, "-"});
    AssignChecklistCodes(all);
    for (std::size_t i = 0; i < items.size(); ++i) items[i].code = all[i].code;
    return core::Ok();
}

// A pipeline keeps at least one open, one won and one lost stage.
bool KeepsKinds(const std::vector<Stage>& stages) {
    bool open = false, won = false, lost = false;
    for (const auto& s : stages) {
        if (s.archived_at) continue;
        open |= s.kind == "open";
        won |= s.kind == "won";
        lost |= s.kind == "lost";
    }
    return open && won && lost;
}

void ApplyPatch(Stage& s, const StagePatch& in) {
    if (in.name) s.name = *in.name;
    if (in.kind) s.kind = *in.kind;
    if (in.probability) s.probability = *in.probability;
    if (in.required_fields) s.required_fields = *in.required_fields;
    if (in.checklist) s.checklist = *in.checklist;
    if (in.set_idle) s.idle_days = in.idle_days;
    if (in.is_decision) s.is_decision = *in.is_decision;
}

std::string DealLink(core::Id id) {
    return "/deals/" + std::to_string(id);
}

// DEAL-6: starts, keeps or clears the deal's 72-hour payment window as it enters `target` (its reminder and
// deadline are durable jobs keyed by the deal, so a restart loses neither and a re-entry does not double them).
// `awaiting_payment`: the deal has invoices not yet paid in full (winning it then keeps the window).
void ApplyPaymentWindow(soci::session& sql, Deal& d, const Stage& target, core::Millis now,
                        bool awaiting_payment = false) {
    // The decision stage's place matters only to a window that runs (moving back before it clears the window).
    std::optional<int> decision;
    if (d.payment_due_at)
        if (auto p = store::SelectPipeline(sql, d.workspace_id, target.pipeline_id))
            for (const auto& s : p->stages)
                if (s.is_decision) decision = s.position;
    const std::string key = std::to_string(d.id);
    switch (PaymentWindowOnEntry(target, d.payment_due_at.has_value(), decision, awaiting_payment)) {
        case WindowChange::kKeep: return;
        case WindowChange::kClear:
            d.payment_due_at.reset();
            d.payment_overdue = false;
            jobs::JobStore::CancelPending(sql, d.workspace_id, kReminderJob, key, now);
            jobs::JobStore::CancelPending(sql, d.workspace_id, kDeadlineJob, key, now);
            return;
        case WindowChange::kStart: {
            d.payment_due_at = now + kPaymentWindow;
            d.payment_overdue = false;
            jobs::JobSpec spec;
            spec.workspace_id = d.workspace_id;
            spec.payload = json::object{{"deal_id", d.id}, {"due_at", *d.payment_due_at}};
            spec.dedupe_key = key;
            spec.kind = kReminderJob;
            spec.run_at = *d.payment_due_at - kPaymentReminderBefore;
            jobs::JobStore::Schedule(sql, spec, now);
            spec.kind = kDeadlineJob;
            spec.run_at = *d.payment_due_at;
            jobs::JobStore::Schedule(sql, spec, now);
            return;
        }
    }
}

// The `owner` query parameter of lists and the board: "me", "none" or a user id.
core::Result<void> OwnerFilter(const core::Actor& a, const std::optional<std::string>& owner, store::DealFilter& f) {
    if (!owner) return core::Ok();
    if (*owner == "none") {
        f.owner_none = true;
    } else if (*owner == "me") {
        f.owner_user_id = a.user_id;
    } else {
        char* end = nullptr;
        const long long v = std::strtoll(owner->c_str(), &end, 10);
        if (owner->empty() || *end != '\0' || v < 1)
            return Error{ErrorCode::kBadRequest, {}, {{"owner", "invalid", ""}}, 0};
        f.owner_user_id = v;
    }
    return core::Ok();
}

const Stage* FirstOpen(const Pipeline& p) {
    for (const auto& s : p.stages)
        if (s.kind == "open") return &s;
    return nullptr;
}

}  // namespace

std::string EncodeDealCursor(core::Id id) {
    return http::EncodeCursor(id);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

void DealsService::EnsureDefaultsIn(soci::session& sql, core::Id ws, core::Lang lang, core::Millis now) {
    if (store::CountPipelines(sql, ws) == 0) {
        const core::Id p =
            store::InsertPipeline(sql, ws, lang == core::Lang::kEn ? "Main pipeline" : "Основная воронка", true, now);
        for (auto s : StandardStages(lang)) {
            s.pipeline_id = p;
            store::InsertStage(sql, ws, s, now);
        }
    }
    if (store::CountLossReasons(sql, ws) == 0)
        for (const auto& r : StandardLossReasons()) store::InsertLossReason(sql, ws, r, now);
}

core::Result<void> DealsService::CheckEntryInTx(soci::session& sql, const Deal& d, const Stage& target,
                                                std::optional<core::Id> loss_reason_id, core::Lang lang,
                                                const std::vector<std::string>* required_from) {
    return CheckEntry(sql, d, target, loss_reason_id, lang, required_from);
}

void DealsService::EnsureDefaults(const core::Actor& a) {
    // Once per workspace and process: pipelines and loss reasons are archived, never deleted, so a workspace that
    // had them keeps them.
    {
        std::lock_guard lock(ensured_mu_);
        if (ensured_.count(a.workspace_id)) return;
    }
    const bool missing = db_.Read([&](soci::session& sql) {
        return store::CountPipelines(sql, a.workspace_id) == 0 || store::CountLossReasons(sql, a.workspace_id) == 0;
    });
    if (missing) {
        auto made = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            EnsureDefaultsIn(sql, a.workspace_id, a.lang, clock_.NowMs());
            return core::Ok();
        });
        if (!made) return;  // not remembered: the next request tries again
    }
    std::lock_guard lock(ensured_mu_);
    ensured_.insert(a.workspace_id);
}

core::Result<std::vector<Pipeline>> DealsService::ListPipelines(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    EnsureDefaults(a);
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<Pipeline>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, kObject) && !MayConfigure(vis)) return Error::Of(ErrorCode::kForbidden);
        return store::SelectPipelines(sql, a.workspace_id, include_archived);
    });
}

core::Result<Pipeline> DealsService::CreatePipeline(const core::Actor& a, const std::string& name, bool is_default) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (name.empty()) return Error::Field("name", "required");
    EnsureDefaults(a);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Pipeline> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        const core::Id id = store::InsertPipeline(sql, a.workspace_id, name, false, now);
        for (auto s : StandardStages(a.lang)) {
            s.pipeline_id = id;
            store::InsertStage(sql, a.workspace_id, s, now);
        }
        if (is_default) store::SetDefaultPipeline(sql, a.workspace_id, id, now);
        auto p = store::SelectPipeline(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"pipeline.create", "pipeline", id, std::nullopt,
                            json::object{{"name", name}, {"is_default", is_default}}});
        return *p;
    });
}

core::Result<Pipeline> DealsService::UpdatePipeline(const core::Actor& a, core::Id id,
                                                    const std::optional<std::string>& name,
                                                    std::optional<bool> is_default) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (name && name->empty()) return Error::Field("name", "required");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Pipeline> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto p = store::SelectPipeline(sql, a.workspace_id, id);
        if (!p) return NotFound();
        if (p->archived_at) return Error::Of(ErrorCode::kConflict, "deals.pipeline_archived");
        const json::object before{{"name", p->name}, {"is_default", p->is_default}};
        if (is_default && !*is_default && p->is_default)
            return Error::Field("is_default", "invalid");  // make another pipeline the default instead
        if (name) p->name = *name;
        store::UpdatePipeline(sql, a.workspace_id, *p, now);
        if (is_default && *is_default) store::SetDefaultPipeline(sql, a.workspace_id, id, now);
        p = store::SelectPipeline(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"pipeline.update", "pipeline", id, before,
                            json::object{{"name", p->name}, {"is_default", p->is_default}}});
        return *p;
    });
}

core::Result<void> DealsService::ArchivePipeline(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto p = store::SelectPipeline(sql, a.workspace_id, id);
        if (!p || p->archived_at) return NotFound();
        if (p->is_default) return Error::Of(ErrorCode::kConflict, "deals.pipeline_is_default");
        if (store::CountOpenDealsInPipeline(sql, a.workspace_id, id) > 0)
            return Error::Of(ErrorCode::kConflict, "deals.pipeline_has_deals");
        p->archived_at = now;
        store::UpdatePipeline(sql, a.workspace_id, *p, now);
        events::WriteAudit(
            sql, a, now,
            {"pipeline.archive", "pipeline", id, json::object{{"name", p->name}}, json::object{{"archived_at", now}}});
        return core::Ok();
    });
}

core::Result<Stage> DealsService::CreateStage(const core::Actor& a, core::Id pipeline_id, const StagePatch& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Stage> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto p = store::SelectPipeline(sql, a.workspace_id, pipeline_id);
        if (!p || p->archived_at) return NotFound();
        Stage s;
        s.pipeline_id = pipeline_id;
        ApplyPatch(s, in);
        OTDEL_TRY_VOID(PrepareChecklist(*p, 0, s.checklist));
        OTDEL_TRY_VOID(ValidateStage(s));
        s.position = p->stages.empty() ? 0 : p->stages.back().position + 1;
        s.id = store::InsertStage(sql, a.workspace_id, s, now);
        events::WriteAudit(sql, a, now, {"stage.create", "stage", s.id, std::nullopt, StageSnapshot(s)});
        return *store::SelectStage(sql, a.workspace_id, s.id);
    });
}

core::Result<Stage> DealsService::UpdateStage(const core::Actor& a, core::Id id, const StagePatch& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Stage> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto s = store::SelectStage(sql, a.workspace_id, id);
        if (!s || s->archived_at) return NotFound();
        auto p = store::SelectPipeline(sql, a.workspace_id, s->pipeline_id);
        const json::object before = StageSnapshot(*s);
        const std::string old_kind = s->kind;
        ApplyPatch(*s, in);
        if (in.checklist) OTDEL_TRY_VOID(PrepareChecklist(*p, s->id, s->checklist));
        OTDEL_TRY_VOID(ValidateStage(*s));
        if (s->kind != old_kind) {
            // Deals standing in the stage carry its kind as their status: change the kind of an empty stage only.
            if (store::CountDealsInStage(sql, a.workspace_id, id) > 0)
                return Error::Of(ErrorCode::kConflict, "deals.stage_has_deals");
            std::vector<Stage> after = p->stages;
            for (auto& x : after)
                if (x.id == id) x.kind = s->kind;
            if (!KeepsKinds(after)) return Error::Of(ErrorCode::kConflict, "deals.stage_kinds");
        }
        store::UpdateStage(sql, a.workspace_id, *s, now);
        events::WriteAudit(sql, a, now, {"stage.update", "stage", id, before, StageSnapshot(*s)});
        return *store::SelectStage(sql, a.workspace_id, id);
    });
}

core::Result<void> DealsService::ArchiveStage(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto s = store::SelectStage(sql, a.workspace_id, id);
        if (!s || s->archived_at) return NotFound();
        if (store::CountDealsInStage(sql, a.workspace_id, id) > 0)
            return Error::Of(ErrorCode::kConflict, "deals.stage_has_deals");
        auto p = store::SelectPipeline(sql, a.workspace_id, s->pipeline_id);
        std::vector<Stage> after;
        for (const auto& x : p->stages)
            if (x.id != id) after.push_back(x);
        if (!KeepsKinds(after)) return Error::Of(ErrorCode::kConflict, "deals.stage_kinds");
        const json::object before = StageSnapshot(*s);
        s->archived_at = now;
        store::UpdateStage(sql, a.workspace_id, *s, now);
        events::WriteAudit(sql, a, now, {"stage.archive", "stage", id, before, json::object{{"archived_at", now}}});
        return core::Ok();
    });
}

core::Result<Pipeline> DealsService::ReorderStages(const core::Actor& a, core::Id pipeline_id,
                                                   const std::vector<core::Id>& ids) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Pipeline> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto p = store::SelectPipeline(sql, a.workspace_id, pipeline_id);
        if (!p || p->archived_at) return NotFound();
        std::set<core::Id> have, given(ids.begin(), ids.end());
        for (const auto& s : p->stages) have.insert(s.id);
        if (given != have || given.size() != ids.size())
            return Error::Field("ids", "invalid", std::to_string(have.size()));
        json::array before, after;
        for (const auto& s : p->stages) before.emplace_back(s.id);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            store::SetStagePosition(sql, a.workspace_id, ids[i], static_cast<int>(i), now);
            after.emplace_back(ids[i]);
        }
        events::WriteAudit(sql, a, now,
                           {"pipeline.reorder", "pipeline", pipeline_id, json::object{{"stages", before}},
                            json::object{{"stages", after}}});
        return *store::SelectPipeline(sql, a.workspace_id, pipeline_id);
    });
}

core::Result<std::vector<GateField>> DealsService::GateFields(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<GateField>> {
        std::vector<GateField> out;
        for (const auto& code : BuiltinGateFields()) {
            const std::string group = code.rfind("company", 0) == 0   ? "company"
                                      : code.rfind("contact", 0) == 0 ? "contact"
                                                                      : "deal";
            out.push_back({code, GateFieldLabel(code, a.lang), group});
        }
        for (const auto& c : store::ClientCustomFields(sql, a.workspace_id))
            out.push_back(
                {c.entity + ".custom." + c.code, a.lang == core::Lang::kEn ? c.label_en : c.label_ru, c.entity});
        return out;
    });
}

core::Result<std::vector<LossReason>> DealsService::ListLossReasons(const core::Actor& a, bool include_archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    EnsureDefaults(a);
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<LossReason>> {
        return store::SelectLossReasons(sql, a.workspace_id, include_archived);
    });
}

core::Result<LossReason> DealsService::CreateLossReason(const core::Actor& a, const std::string& name_ru,
                                                        const std::string& name_en) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (name_ru.empty() && name_en.empty()) return Error::Field("name_ru", "required");
    EnsureDefaults(a);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<LossReason> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        LossReason r;
        r.name_ru = name_ru.empty() ? name_en : name_ru;
        r.name_en = name_en.empty() ? name_ru : name_en;
        r.id = store::InsertLossReason(sql, a.workspace_id, r, now);
        events::WriteAudit(sql, a, now,
                           {"loss_reason.create", "loss_reason", r.id, std::nullopt,
                            json::object{{"name_ru", r.name_ru}, {"name_en", r.name_en}}});
        return *store::SelectLossReason(sql, a.workspace_id, r.id);
    });
}

core::Result<LossReason> DealsService::UpdateLossReason(const core::Actor& a, core::Id id,
                                                        const std::optional<std::string>& ru,
                                                        const std::optional<std::string>& en,
                                                        std::optional<bool> archived) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (ru && ru->empty()) return Error::Field("name_ru", "required");
    if (en && en->empty()) return Error::Field("name_en", "required");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<LossReason> {
        OTDEL_TRY_VOID(MayConfigure(VisibilityOf(sql, a, now)));
        auto r = store::SelectLossReason(sql, a.workspace_id, id);
        if (!r) return NotFound();
        const json::object before{
            {"name_ru", r->name_ru}, {"name_en", r->name_en}, {"archived_at", OptJson(r->archived_at)}};
        if (ru) r->name_ru = *ru;
        if (en) r->name_en = *en;
        if (archived)
            r->archived_at = *archived ? std::optional<core::Millis>(r->archived_at.value_or(now)) : std::nullopt;
        store::UpdateLossReason(sql, a.workspace_id, *r);
        events::WriteAudit(
            sql, a, now,
            {"loss_reason.update", "loss_reason", id, before,
             json::object{{"name_ru", r->name_ru}, {"name_en", r->name_en}, {"archived_at", OptJson(r->archived_at)}}});
        return *r;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Deals

core::Result<DealPage> DealsService::List(const core::Actor& a, const DealQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    store::DealFilter f;
    f.pipeline_id = q.pipeline_id;
    f.stage_id = q.stage_id;
    f.company_id = q.company_id;
    f.contact_id = q.contact_id;
    f.deleted = q.deleted;
    f.idle_only = q.idle_only;
    const std::string status = q.status.value_or("open");
    if (status != "all") {
        if (status != "open" && status != "won" && status != "lost")
            return Error{ErrorCode::kBadRequest, {}, {{"status", "not_one_of", "open, won, lost, all"}}, 0};
        // A column of the board lists a stage whatever its kind.
        if (!q.stage_id || q.status) f.statuses = {status};
    }
    OTDEL_TRY_VOID(OwnerFilter(a, q.owner, f));
    if (q.q && !q.q->empty()) f.q_folded = leads::FoldText(*q.q);
    std::optional<core::Id> before;
    if (q.cursor) {
        auto c = http::DecodeCursor(*q.cursor);
        if (!c || *c <= 0) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        before = *c;
    }
    const core::Millis now = clock_.NowMs();
    f.now = now;
    return db_.Read([&](soci::session& sql) -> core::Result<DealPage> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kObject)) return Error::Of(ErrorCode::kForbidden);
        const auth::Predicate visible = vis.Read("d");
        DealPage page;
        page.items = store::ListDeals(sql, f, before, q.limit + 1, visible);
        if (static_cast<int>(page.items.size()) > q.limit) {
            page.items.resize(q.limit);
            page.next_cursor = EncodeDealCursor(page.items.back().id);
        }
        const auto stages = StagesById(sql, a.workspace_id);
        for (auto& d : page.items) MarkIdle(d, stages, now);
        return page;
    });
}

core::Result<Board> DealsService::BoardOf(const core::Actor& a, core::Id pipeline_id,
                                          const std::optional<std::string>& owner, const std::optional<std::string>& q,
                                          int limit) {
    OTDEL_TRY_VOID(SignedIn(a));
    EnsureDefaults(a);
    store::DealFilter f;
    f.pipeline_id = pipeline_id;
    OTDEL_TRY_VOID(OwnerFilter(a, owner, f));
    if (q && !q->empty()) f.q_folded = leads::FoldText(*q);
    const core::Millis now = clock_.NowMs();
    f.now = now;
    return db_.Read([&](soci::session& sql) -> core::Result<Board> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kObject)) return Error::Of(ErrorCode::kForbidden);
        auto p = store::SelectPipeline(sql, a.workspace_id, pipeline_id);
        if (!p) return NotFound();
        const auth::Predicate visible = vis.Read("d");
        Board b;
        b.pipeline = *p;
        const auth::Predicate rollup_visible = vis.Read("t");
        const auto totals = store::BoardTotals(sql, f, visible, rollup_visible);
        // Every column's first page (one more, for the cursor) in one statement, grouped here by stage.
        std::map<core::Id, std::vector<Deal>> pages;
        for (auto& d : store::BoardPage(sql, a.workspace_id, f, limit + 1, visible))
            pages[d.stage_id].push_back(std::move(d));
        for (const auto& s : p->stages) {
            BoardColumn c;
            c.stage_id = s.id;
            for (const auto& t : totals) {
                if (t.stage_id != s.id) continue;
                c.count += t.count;
                c.totals.emplace_back(t.currency, t.amount_minor);
            }
            if (auto it = pages.find(s.id); it != pages.end()) c.items = std::move(it->second);
            if (static_cast<int>(c.items.size()) > limit) {
                c.items.resize(limit);
                c.next_cursor = EncodeDealCursor(c.items.back().id);
            }
            for (auto& d : c.items) d.idle = IsIdle(s, d.status, d.last_activity_at, now);
            b.columns.push_back(std::move(c));
        }
        return b;
    });
}

core::Result<Deal> DealsService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<Deal> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate visible = vis.Read("d");
        auto d = store::SelectDeal(sql, id, visible, true);
        if (!d) return NotFound();
        MarkIdle(sql, *d, now);
        return *d;
    });
}

namespace {

// Field checks of a create/update that need no database.
void CheckInput(const DealInput& in, bool create, std::vector<core::FieldError>& errs) {
    if (in.title) {
        if (in.title->empty()) errs.push_back({"title", "required", ""});
        if (in.title->size() > kMaxTitle) errs.push_back({"title", "too_long", std::to_string(kMaxTitle)});
    } else if (create) {
        errs.push_back({"title", "required", ""});
    }
    if (in.amount_minor && (*in.amount_minor < 0 || *in.amount_minor > kMaxAmount))
        errs.push_back({"amount_minor", "out_of_range", "0–" + std::to_string(kMaxAmount)});
    if (in.currency && !IsCurrency(*in.currency)) errs.push_back({"currency", "invalid", ""});
    if (in.expected_close_date && !org::IsValidDate(*in.expected_close_date))
        errs.push_back({"expected_close_date", "invalid_date", ""});
    if (in.forecast_category && std::find(ForecastCategories().begin(), ForecastCategories().end(),
                                          *in.forecast_category) == ForecastCategories().end())
        errs.push_back({"forecast_category", "not_one_of", "pipeline, best_case, commit"});
}

// Links and owner: the company and contact exist and the caller may read them; the owner is an active user, and
// giving a deal to someone else needs the assign right.
core::Result<void> CheckLinks(soci::session& sql, const auth::Visibility& vis, const core::Actor& a, const Deal& d,
                              const DealInput& in) {
    std::vector<core::FieldError> errs;
    const bool clients_readable = vis.Can(Action::kRead, "client");
    if (in.set_company && d.company_id) {
        const auth::Predicate visible = vis.Read("c");
        long long id = *d.company_id, n = 0;
        if (clients_readable) sql << visible.Expand(kCompanyVisible), soci::use(id, "id"), visible, soci::into(n);
        if (n == 0) errs.push_back({"company_id", "invalid", ""});
    }
    if (in.set_contact && d.contact_id) {
        const auth::Predicate visible = vis.Read("c");
        long long id = *d.contact_id, n = 0;
        if (clients_readable) sql << visible.Expand(kContactVisible), soci::use(id, "id"), visible, soci::into(n);
        if (n == 0) errs.push_back({"contact_id", "invalid", ""});
    }
    if (in.set_owner && d.owner_user_id) {
        if (!store::UserActive(sql, a.workspace_id, *d.owner_user_id))
            errs.push_back({"owner_user_id", "invalid", ""});
        else if (*d.owner_user_id != a.user_id && !vis.Can(Action::kAssign, kObject))
            return Error::Of(ErrorCode::kForbidden, "deals.assign_forbidden");
    } else if (in.set_owner && !d.owner_user_id && !vis.Can(Action::kAssign, kObject)) {
        return Error::Of(ErrorCode::kForbidden, "deals.assign_forbidden");
    }
    if (in.source_lead_id && !store::LeadExists(sql, a.workspace_id, *in.source_lead_id))
        errs.push_back({"source_lead_id", "invalid", ""});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

void ApplyInput(Deal& d, const DealInput& in) {
    if (in.title) d.title = *in.title;
    if (in.set_company) d.company_id = in.company_id;
    if (in.set_contact) d.contact_id = in.contact_id;
    if (in.set_owner) d.owner_user_id = in.owner_user_id;
    if (in.amount_minor) d.amount_minor = *in.amount_minor;
    if (in.currency) d.currency = *in.currency;
    if (in.set_close) d.expected_close_date = in.expected_close_date;
    if (in.forecast_category) d.forecast_category = *in.forecast_category;
}

void FillNames(soci::session& sql, Deal& d) {
    d.company_name = d.company_id ? store::CompanyName(sql, d.workspace_id, *d.company_id).value_or("") : "";
    d.contact_name = d.contact_id ? store::ContactName(sql, d.workspace_id, *d.contact_id).value_or("") : "";
}

void ClientEvent(soci::session& sql, const Deal& d, const std::string& kind, const std::optional<core::Id>& actor,
                 core::Millis now) {
    const std::string payload = json::serialize(json::object{{"deal_id", d.id},
                                                             {"stage_id", d.stage_id},
                                                             {"amount_minor", d.amount_minor},
                                                             {"currency", d.currency},
                                                             {"status", d.status}});
    if (d.company_id)
        clients::ClientsService::AddTimelineEvent(sql, d.workspace_id, "company", *d.company_id, kind, "deals", d.title,
                                                  payload, std::nullopt, now, actor);
    if (d.contact_id)
        clients::ClientsService::AddTimelineEvent(sql, d.workspace_id, "contact", *d.contact_id, kind, "deals", d.title,
                                                  payload, std::nullopt, now, actor);
}

}  // namespace

core::Result<Deal> DealsService::Create(const core::Actor& a, const DealInput& in_raw) {
    OTDEL_TRY_VOID(SignedIn(a));
    DealInput in = in_raw;
    std::vector<core::FieldError> errs;
    CheckInput(in, true, errs);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    EnsureDefaults(a);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Deal> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kCreate, kObject)) return Error::Of(ErrorCode::kForbidden);
        const core::Id ws = a.workspace_id;
        std::optional<Pipeline> p;
        if (in.stage_id) {
            auto s = store::SelectStage(sql, ws, *in.stage_id);
            if (!s || s->archived_at || (in.pipeline_id && *in.pipeline_id != s->pipeline_id))
                return Error::Field("stage_id", "invalid");
            p = store::SelectPipeline(sql, ws, s->pipeline_id);
        } else {
            const auto pid = in.pipeline_id ? in.pipeline_id : store::DefaultPipelineId(sql, ws);
            if (pid) p = store::SelectPipeline(sql, ws, *pid);
        }
        if (!p || p->archived_at) return Error::Field("pipeline_id", "invalid");
        const Stage* target = nullptr;
        for (const auto& s : p->stages)
            if (in.stage_id ? s.id == *in.stage_id : s.kind == "open") {
                target = &s;
                break;
            }
        if (!target) return Error::Field("stage_id", "invalid");
        Deal d;
        d.workspace_id = ws;
        d.created_by = ActorUser(a);
        d.created_at = d.updated_at = now;
        d.owner_user_id = ActorUser(a);
        in.set_owner = in.set_owner || !ActorUser(a);
        ApplyInput(d, in);
        d.source_lead_id = in.source_lead_id;
        if (!in.currency) {
            long long wsl = ws;
            std::string cur;
            sql << "SELECT currency FROM workspaces WHERE id = :ws", soci::use(wsl, "ws"), soci::into(cur);
            if (IsCurrency(cur)) d.currency = cur;
        }
        OTDEL_TRY_VOID(CheckLinks(sql, vis, a, d, in));
        FillNames(sql, d);
        OTDEL_TRY_VOID(CheckEntry(sql, d, *target, in.loss_reason_id, a.lang));
        Enter(d, *target, now);
        if (target->kind == "lost") d.loss_reason_id = in.loss_reason_id;
        d.id = store::InsertDeal(sql, d);
        if (target->is_decision) {
            ApplyPaymentWindow(sql, d, *target, now);
            store::UpdateDeal(sql, d, vis.Write("d"));
        }
        // The new deal must be one the caller may change (a head giving it outside the subtree may not).
        const auth::Predicate writable = vis.Write("d");
        auto created = store::SelectDeal(sql, d.id, writable, false);
        if (!created) return Error::Of(ErrorCode::kForbidden, "deals.assign_forbidden");
        store::InsertHistory(sql, ws, d.id, std::nullopt, d.stage_id, ActorUser(a), now);
        events::WriteAudit(sql, a, now, {"deal.create", kObject, d.id, std::nullopt, Snapshot(*created)});
        ClientEvent(sql, *created, "deal_created", ActorUser(a), now);
        return *created;
    });
}

core::Result<Deal> DealsService::Change(const core::Actor& a, core::Id id, bool include_deleted, const Edit& edit) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) { return ChangeIn(sql, a, id, include_deleted, now, edit); });
}

core::Result<Deal> DealsService::ChangeIn(soci::session& sql, const core::Actor& a, core::Id id, bool include_deleted,
                                          core::Millis now, const Edit& edit, const std::optional<Stage>* stage_after,
                                          const auth::Visibility* known_vis) {
    std::optional<auth::Visibility> built;
    if (!known_vis) built.emplace(VisibilityOf(sql, a, now));
    const auth::Visibility& vis = known_vis ? *known_vis : *built;
    if (!vis.Can(Action::kUpdate, kObject)) return NotFound();
    const auth::Predicate readable = vis.Read("d");
    auto d = store::SelectDeal(sql, id, readable, include_deleted);
    if (!d) return NotFound();
    const auth::Predicate writable = vis.Write("d");
    // The same condition (every scope but read_all) has answered already.
    if (writable.sql() != readable.sql() && !store::SelectDeal(sql, id, writable, include_deleted))
        return Error::Of(ErrorCode::kForbidden, "deals.write_forbidden");
    const Deal stored = *d;  // the row as this transaction read it: its share of the board totals
    auto action = edit(sql, vis, *d);
    if (!action) return action.take_error();
    d->updated_at = now;
    if (!store::UpdateDeal(sql, *d, writable, &stored)) return NotFound();
    // Visibility is a condition on the workspace and the owner alone: with the owner unchanged the row stays
    // writable, and the deal as written is the row (its company and contact names were filled by the edit that set
    // them). A new owner is read back for its name and checked against the caller's subtree.
    std::optional<Deal> after;
    if (d->owner_user_id == stored.owner_user_id) {
        after = std::move(*d);
    } else {
        after = store::SelectDealById(sql, a.workspace_id, id);
        // Given away outside the caller's reach: refused (the assign right was checked, the subtree is checked here).
        if (!after || (!after->deleted_at && !store::SelectDeal(sql, id, writable, false)))
            return Error::Of(ErrorCode::kForbidden, "deals.assign_forbidden");
    }
    events::WriteAudit(sql, a, now, {*action, kObject, id, Snapshot(stored), Snapshot(*after)});
    if (stage_after && *stage_after && (*stage_after)->id == after->stage_id)
        after->idle = IsIdle(**stage_after, after->status, after->last_activity_at, now);
    else
        MarkIdle(sql, *after, now);
    return std::move(*after);
}

core::Result<Deal> DealsService::Update(const core::Actor& a, core::Id id, const DealInput& in) {
    std::vector<core::FieldError> errs;
    CheckInput(in, false, errs);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    const core::Millis now = clock_.NowMs();
    return Change(a, id, false,
                  [&](soci::session& sql, const auth::Visibility& vis, Deal& d) -> core::Result<std::string> {
                      if (in.amount_minor && *in.amount_minor != d.amount_minor && amount_from_lines_ &&
                          amount_from_lines_(sql, d))
                          return Error::Field("amount_minor", "from_lines");
                      ApplyInput(d, in);
                      OTDEL_TRY_VOID(CheckLinks(sql, vis, a, d, in));
                      FillNames(sql, d);
                      // Fields a stage requires stay required while the deal stands there (the gate holds for every
                      // path).
                      if (d.status != "lost") {
                          auto stage = store::SelectStage(sql, a.workspace_id, d.stage_id);
                          Stage fields_only = *stage;
                          fields_only.checklist.clear();
                          const auto required_from =
                              store::CustomRequiredFrom(sql, a.workspace_id, d.pipeline_id, stage->position);
                          const GateFacts facts = FactsOf(sql, d, fields_only, required_from);
                          const auto gaps = CheckGate(fields_only, facts, required_from);
                          if (!gaps.empty()) return GateError(sql, a.workspace_id, gaps, a.lang);
                      }
                      d.last_activity_at = now;
                      return std::string("deal.update");
                  });
}

DealsService::~DealsService() {
    std::lock_guard lock(movers_mu_);
    if (!movers_) return;
    movers_->Stop();
    const intake::BatcherStats st = movers_->stats();
    spdlog::info("deal stage moves group commit: {} moves in {} transactions (largest {}, {} retried one by one)",
                 st.items, st.batches, st.largest_batch, st.fallbacks);
}

core::Result<Deal> DealsService::MoveStage(const core::Actor& a, core::Id id, core::Id stage_id,
                                           std::optional<core::Id> loss_reason_id, const std::string& loss_comment) {
    if (loss_comment.size() > 2000) return Error::Field("loss_comment", "too_long", "2000");
    OTDEL_TRY_VOID(SignedIn(a));
    // Group commit (intake's GroupCommitter): concurrent moves share one transaction and one fsync; each runs in a
    // savepoint of its own, so a refused move changes nothing and does not disturb its neighbours.
    Movers* movers = nullptr;
    {
        std::lock_guard lock(movers_mu_);
        if (!movers_) {
            intake::BatcherOptions options;
            options.max_batch = 64;
            options.linger = std::chrono::microseconds(0);  // a batch forms while the previous one commits
            options.max_queue = 4'096;
            movers_ = std::make_unique<Movers>([this](std::vector<MoveRequest>& items) { return CommitMoves(items); },
                                               options);
        }
        movers = movers_.get();
    }
    return movers->Submit(MoveRequest{a, id, stage_id, loss_reason_id, loss_comment});
}

namespace {

// The savepoint around each move of a batch. SQLite compiles a statement anew at every `sql << …`, so there the three
// are prepared once per connection (db/prepared.hpp); PostgreSQL runs them as they come.
struct MoveSavepointSet {
    soci::statement open, undo, release;
    explicit MoveSavepointSet(soci::session& sql)
        : open((sql.prepare << "SAVEPOINT deal_move")),
          undo((sql.prepare << "ROLLBACK TO SAVEPOINT deal_move")),
          release((sql.prepare << "RELEASE SAVEPOINT deal_move")) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, open);
        db::ResetStatement(sql, undo);
        db::ResetStatement(sql, release);
    }
};

enum class SavepointStep { kOpen, kUndo, kRelease };

void Savepoint(soci::session& sql, bool prepared, SavepointStep step) {
    if (!prepared) {
        sql << (step == SavepointStep::kOpen   ? "SAVEPOINT deal_move"
                : step == SavepointStep::kUndo ? "ROLLBACK TO SAVEPOINT deal_move"
                                               : "RELEASE SAVEPOINT deal_move");
        return;
    }
    db::WithPrepared<MoveSavepointSet>(sql, [&](MoveSavepointSet& q) {
        (step == SavepointStep::kOpen ? q.open : step == SavepointStep::kUndo ? q.undo : q.release).execute(true);
    });
}

}  // namespace

core::Result<std::vector<core::Result<Deal>>> DealsService::CommitMoves(std::vector<MoveRequest>& items) {
    std::vector<core::Result<Deal>> out;
    out.reserve(items.size());
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const core::Millis now = clock_.NowMs();
        const bool prepared = db_.engine() == db::Engine::kSqlite;
        MoveBatch batch;
        for (const auto& m : items) {
            Savepoint(sql, prepared, SavepointStep::kOpen);
            auto r = MoveIn(sql, m, now, batch);
            if (!r) Savepoint(sql, prepared, SavepointStep::kUndo);
            Savepoint(sql, prepared, SavepointStep::kRelease);
            out.push_back(std::move(r));
        }
        return core::Ok();
    });
    if (!done) return done.take_error();
    return out;
}

core::Result<Deal> DealsService::MoveIn(soci::session& session, const MoveRequest& m, core::Millis now,
                                        MoveBatch& batch) {
    const core::Actor& a = m.actor;
    const core::Id stage_id = m.stage_id;
    const std::optional<core::Id>& loss_reason_id = m.loss_reason_id;
    const std::string& loss_comment = m.loss_comment;
    const auto who = std::make_tuple(static_cast<int>(a.kind), a.workspace_id, a.user_id, a.is_admin);
    auto vis = batch.visibility.find(who);
    if (vis == batch.visibility.end()) vis = batch.visibility.emplace(who, VisibilityOf(session, a, now)).first;
    auto stage = batch.stages.find({a.workspace_id, stage_id});
    if (stage == batch.stages.end())
        stage = batch.stages
                    .emplace(std::pair(a.workspace_id, stage_id), store::SelectStage(session, a.workspace_id, stage_id))
                    .first;
    std::optional<Stage> target;         // the stage the deal stands in after the move (its idle rule for the answer)
    std::optional<core::Id> moved_from;  // set when the move enters a stage: its history entry follows the deal row
    auto moved = ChangeIn(
        session, a, m.id, false, now,
        [&](soci::session& sql, const auth::Visibility&, Deal& d) -> core::Result<std::string> {
            target = stage->second;
            if (!target || target->archived_at || target->pipeline_id != d.pipeline_id)
                return Error::Field("stage_id", "invalid");
            if (target->id == d.stage_id && target->kind != "lost") return std::string("deal.stage");
            const std::vector<std::string>* required_from = nullptr;
            if (target->kind != "lost") {
                const auto key = std::make_tuple(a.workspace_id, target->pipeline_id, target->position);
                auto known = batch.required_from.find(key);
                if (known == batch.required_from.end())
                    known = batch.required_from
                                .emplace(key, store::CustomRequiredFrom(sql, a.workspace_id, target->pipeline_id,
                                                                        target->position))
                                .first;
                required_from = &known->second;
            }
            OTDEL_TRY_VOID(CheckEntry(sql, d, *target, loss_reason_id, a.lang, required_from));
            if (entry_check_) OTDEL_TRY_VOID(entry_check_(sql, d, *target, a.lang));
            const core::Id from = d.stage_id;
            Enter(d, *target, now);
            // Invoices awaiting payment keep the window of a won deal open (nothing else asks the billing room).
            const bool awaiting_payment =
                target->kind == "won" && PaymentStateOf(sql, a.workspace_id, d.id) == PaymentState::kUnpaid;
            ApplyPaymentWindow(sql, d, *target, now, awaiting_payment);
            if (target->kind == "lost") {
                d.loss_reason_id = loss_reason_id;
                d.loss_comment = loss_comment;
            }
            moved_from = from;
            if (target->kind != "open")
                ClientEvent(sql, d, target->kind == "won" ? "deal_won" : "deal_lost", ActorUser(a), now);
            return std::string("deal.stage");
        },
        &target, &vis->second);
    // The history entry after the deal row: the row's rollup trigger has already counted the new stage among the
    // furthest reached, so the entry's own trigger (0028: it only raises the furthest stage) finds nothing to change
    // and the deal's report fact row is rewritten once per move, not twice.
    if (moved && moved_from)
        store::InsertHistory(session, a.workspace_id, moved->id, moved_from, moved->stage_id, ActorUser(a), now);
    return moved;
}

core::Result<Deal> DealsService::SetChecklist(const core::Actor& a, core::Id id,
                                              const std::map<std::string, bool>& items) {
    const core::Millis now = clock_.NowMs();
    return Change(a, id, false, [&](soci::session& sql, const auth::Visibility&, Deal& d) -> core::Result<std::string> {
        auto p = store::SelectPipeline(sql, a.workspace_id, d.pipeline_id);
        std::set<std::string> known;
        for (const auto& s : p->stages)
            for (const auto& i : s.checklist) known.insert(i.code);
        std::vector<core::FieldError> errs;
        for (const auto& [code, on] : items) {
            if (!known.count(code)) {
                errs.push_back({"items/" + code, "invalid", ""});
                continue;
            }
            if (on)
                d.checklist.insert(code);
            else
                d.checklist.erase(code);
        }
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
        d.last_activity_at = now;
        return std::string("deal.checklist");
    });
}

core::Result<Deal> DealsService::Delete(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return Change(a, id, false, [&](soci::session&, const auth::Visibility& vis, Deal& d) -> core::Result<std::string> {
        if (!vis.Can(Action::kDelete, kObject)) return NotFound();
        d.deleted_at = now;
        return std::string("deal.delete");
    });
}

core::Result<Deal> DealsService::Restore(const core::Actor& a, core::Id id) {
    return Change(a, id, true, [&](soci::session&, const auth::Visibility& vis, Deal& d) -> core::Result<std::string> {
        if (!vis.Can(Action::kDelete, kObject)) return NotFound();
        if (!d.deleted_at) return Error::Of(ErrorCode::kConflict, "deals.not_deleted");
        d.deleted_at.reset();
        return std::string("deal.restore");
    });
}

core::Result<std::vector<store::HistoryRow>> DealsService::History(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::HistoryRow>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, kObject)) return NotFound();
        const auth::Predicate visible = vis.Read("d");
        if (!store::SelectDeal(sql, id, visible, true)) return NotFound();
        return store::SelectHistory(sql, a.workspace_id, id);
    });
}

core::Id DealsService::CreateFromHandoffInTx(soci::session& sql, core::Id ws, core::Id lead_id, core::Id owner,
                                             const core::Actor& by, core::Millis now) {
    EnsureDefaultsIn(sql, ws, by.lang, now);
    auto pid = store::DefaultPipelineId(sql, ws);
    auto p = store::SelectPipeline(sql, ws, *pid);
    const Stage* first = FirstOpen(*p);
    long long wsl = ws, lid = lead_id;
    std::string title;
    long long company = 0, contact = 0, conv_company = 0, conv_contact = 0;
    soci::indicator ci = soci::i_null, pi = soci::i_null, cci = soci::i_null, cpi = soci::i_null;
    sql << kLeadForDeal, soci::use(wsl, "ws"), soci::use(lid, "id"), soci::into(title), soci::into(company, ci),
        soci::into(contact, pi), soci::into(conv_company, cci), soci::into(conv_contact, cpi);
    Deal d;
    d.workspace_id = ws;
    d.pipeline_id = p->id;
    d.title = title;
    if (cci == soci::i_ok)
        d.company_id = conv_company;
    else if (ci == soci::i_ok)
        d.company_id = company;
    if (cpi == soci::i_ok)
        d.contact_id = conv_contact;
    else if (pi == soci::i_ok)
        d.contact_id = contact;
    d.owner_user_id = owner;
    d.source_lead_id = lead_id;
    d.created_by = ActorUser(by);
    d.created_at = d.updated_at = now;
    FillNames(sql, d);
    // The first open stage of the default pipeline: what the designer's first meeting starts from. Its gate, if
    // any, is the designer's to meet; the hand-off itself is the entry.
    Enter(d, *first, now);
    d.id = store::InsertDeal(sql, d);
    store::InsertHistory(sql, ws, d.id, std::nullopt, d.stage_id, ActorUser(by), now);
    json::object after = Snapshot(d);
    after["source_lead_id"] = lead_id;
    after["handoff"] = true;
    events::WriteAudit(sql, by, now, {"deal.create", kObject, d.id, std::nullopt, after});
    ClientEvent(sql, d, "deal_created", ActorUser(by), now);
    return d.id;
}

void DealsService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kReminderJob, [this](const jobs::JobContext& ctx) { return HandlePaymentJob(ctx, false); });
    scheduler.Register(kDeadlineJob, [this](const jobs::JobContext& ctx) { return HandlePaymentJob(ctx, true); });
}

core::Result<void> DealsService::HandlePaymentJob(const jobs::JobContext& ctx, bool deadline) {
    const core::Id ws = ctx.job.workspace_id;
    const auto* deal_id = ctx.job.payload.if_contains("deal_id");
    const auto* due_at = ctx.job.payload.if_contains("due_at");
    if (!deal_id || !deal_id->is_int64() || !due_at || !due_at->is_int64()) return core::Ok();  // not ours to retry
    bool notified = false;
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto d = store::SelectDealById(sql, ws, deal_id->as_int64());
        // Lost, moved back, deleted or a newer window since: this timer no longer exists.
        if (!d || d->deleted_at || d->status == "lost" || d->payment_due_at != due_at->as_int64() || d->payment_overdue)
            return core::Ok();
        // Paid: its invoices are paid in full — or, with no invoices to tell, the deal was won.
        const PaymentState paid = PaymentStateOf(sql, ws, d->id);
        if (paid == PaymentState::kPaid || (paid == PaymentState::kNoInvoices && d->status == "won")) return core::Ok();
        const json::object params{{"deal_id", d->id},
                                  {"title", d->title},
                                  {"due_at", *d->payment_due_at},
                                  {"amount_minor", d->amount_minor},
                                  {"currency", d->currency}};
        if (!deadline) {
            if (d->owner_user_id)
                events::Notify(sql, ws, *d->owner_user_id, "deals.payment_reminder", params, DealLink(d->id), ctx.now);
            notified = d->owner_user_id.has_value();
            return core::Ok();
        }
        const json::object before = Snapshot(*d);
        d->payment_overdue = true;
        d->updated_at = ctx.now;
        const auth::Visibility system = auth::BuildVisibility(sql, core::Actor::System(ws), "1970-01-01");
        store::UpdateDeal(sql, *d, system.Write("d"));
        events::WriteAudit(sql, core::Actor::System(ws), ctx.now,
                           {"deal.payment_overdue", kObject, d->id, before, Snapshot(*d)});
        if (d->owner_user_id) {
            events::Notify(sql, ws, *d->owner_user_id, "deals.payment_overdue", params, DealLink(d->id), ctx.now);
            notified = true;
        }
        return core::Ok();
    });
    if (done.ok() && notified && after_commit_) after_commit_();
    return done;
}

void DealsService::SettlePaymentWindowInTx(soci::session& sql, core::Id ws, core::Id deal_id, const core::Actor& by,
                                           core::Millis now) {
    auto d = store::SelectDealById(sql, ws, deal_id);
    if (!d || (!d->payment_due_at && !d->payment_overdue)) return;
    const json::object before{{"payment_due_at", OptJson(d->payment_due_at)}, {"payment_overdue", d->payment_overdue}};
    d->payment_due_at.reset();
    d->payment_overdue = false;
    d->updated_at = now;
    const auth::Visibility system = auth::BuildVisibility(sql, core::Actor::System(ws), "1970-01-01");
    store::UpdateDeal(sql, *d, system.Write("d"));
    const std::string key = std::to_string(d->id);
    jobs::JobStore::CancelPending(sql, ws, kReminderJob, key, now);
    jobs::JobStore::CancelPending(sql, ws, kDeadlineJob, key, now);
    events::WriteAudit(
        sql, by, now,
        {"deal.paid", kObject, d->id, before, json::object{{"payment_due_at", nullptr}, {"payment_overdue", false}}});
}

int DealsService::Handover(soci::session& sql, core::Id ws, core::Id from_user_id, std::optional<core::Id> to_user_id,
                           const core::Actor& by, core::Millis now) {
    const auto ids = store::MoveOpenDeals(sql, ws, from_user_id, to_user_id, now);
    for (core::Id id : ids)
        events::WriteAudit(sql, by, now,
                           {"deal.handover", kObject, id, json::object{{"owner_user_id", from_user_id}},
                            json::object{{"owner_user_id", OptJson(to_user_id)}}});
    return static_cast<int>(ids.size());
}

}  // namespace otdel::deals
