#pragma once
/// The deals room's types and pure rules (DEAL-1, DEAL-2, DEAL-9, DEAL-10): pipelines and stages, the deal record,
/// the stage gate (which required fields and checklist items a deal lacks to enter a stage), idleness, and the
/// standard stages a new pipeline starts with. No SQL, JSON or HTTP here.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/lang.hpp"
#include "core/result.hpp"

namespace otdel::deals {

inline constexpr std::size_t kMaxTitle = 300;
inline constexpr std::size_t kMaxStageName = 100;
inline constexpr std::size_t kMaxChecklist = 30;
inline constexpr std::size_t kMaxGateFields = 40;
inline constexpr int kMaxIdleDays = 3650;

/// One item of a stage's checklist: a stable code and the text people see.
struct ChecklistItem {
    std::string code;
    std::string label;
};

struct Stage {
    core::Id id = 0;
    core::Id pipeline_id = 0;
    std::string name;
    int position = 0;
    int probability = 0;        // percent, 0..100
    std::string kind = "open";  // open | won | lost
    std::vector<std::string> required_fields;
    std::vector<ChecklistItem> checklist;
    std::optional<int> idle_days;
    bool is_decision = false;
    std::optional<core::Millis> archived_at;
};

struct Pipeline {
    core::Id id = 0;
    std::string name;
    int position = 0;
    bool is_default = false;
    std::optional<core::Millis> archived_at;
    std::vector<Stage> stages;  // by position
};

struct Deal {
    core::Id workspace_id = 0;
    core::Id id = 0;
    core::Id pipeline_id = 0;
    core::Id stage_id = 0;
    std::string title;
    std::optional<core::Id> company_id, contact_id, owner_user_id, source_lead_id, loss_reason_id, created_by;
    std::string company_name, contact_name, owner_name;  // read with the deal, for lists and cards
    std::int64_t amount_minor = 0;
    std::string currency = "RUB";
    std::optional<std::string> expected_close_date;
    std::string forecast_category = "pipeline";
    std::string status = "open";
    std::string loss_comment;
    /// Ticked checklist item codes.
    std::set<std::string> checklist;
    std::string custom = "{}";
    core::Millis stage_entered_at = 0, last_activity_at = 0;
    std::optional<core::Millis> closed_at, deleted_at;
    /// DEAL-6: the end of the 72-hour payment window, while it runs; `payment_overdue` once it passed unpaid.
    std::optional<core::Millis> payment_due_at;
    bool payment_overdue = false;
    core::Millis created_at = 0, updated_at = 0;
    /// Filled by the service from the stage's idle_days and the clock (IsIdle).
    bool idle = false;
};

struct LossReason {
    core::Id id = 0;
    std::string name_ru, name_en;
    int position = 0;
    std::optional<core::Millis> archived_at;
};

const std::vector<std::string>& StageKinds();          // open, won, lost
const std::vector<std::string>& ForecastCategories();  // pipeline, best_case, commit

/// The gate field codes that are not custom fields, in the order a settings screen lists them.
const std::vector<std::string>& BuiltinGateFields();
/// Whether `code` names a field a gate may require: a built-in one, or company.custom.<code> /
/// contact.custom.<code> with a code shaped like a custom field's ([a-z][a-z0-9_]*).
bool IsGateField(std::string_view code);
/// The label of a built-in gate field in a language ("" for custom ones: their labels live in custom_fields).
std::string GateFieldLabel(std::string_view code, core::Lang lang);

/// What the gate looks at: which of the fields a stage may require are filled on the deal and its client.
/// The service fills it from the deal, its company and contact (phones, e-mails, requisites, custom values).
struct GateFacts {
    std::set<std::string> filled;  // gate field codes that have a value
    std::set<std::string> ticked;  // checklist item codes ticked on the deal
};

/// One thing a deal lacks to enter a stage.
struct GateGap {
    std::string field;  // a gate field code, or "checklist/<code>"
    std::string code;   // gate_required | gate_unchecked
    std::string label;  // what people call it (the checklist item's label; "" for fields: the API names them)
};

/// Everything a deal lacks to enter `target`: its required fields and checklist items, plus the fields a custom
/// field requires from this stage on (`required_from`, gate codes such as "company.custom.budget"). Entering a
/// lost stage needs nothing but the loss reason (checked by the service), so its gate is empty. Order: fields as the
/// stage lists them, then custom requirements, then checklist items.
std::vector<GateGap> CheckGate(const Stage& target, const GateFacts& facts,
                               const std::vector<std::string>& required_from = {});

/// DEAL-10: an open deal is idle when its stage has idle_days and nothing happened on it for that many days.
bool IsIdle(const Stage& stage, const std::string& status, core::Millis last_activity_at, core::Millis now);

/// DEAL-6: once the client has decided, payment should follow within 72 hours; the seller is reminded a day before.
inline constexpr core::Millis kPaymentWindow = 72LL * 60 * 60 * 1000;
inline constexpr core::Millis kPaymentReminderBefore = 24LL * 60 * 60 * 1000;

/// What entering `target` does to the payment window.
enum class WindowChange { kKeep, kStart, kClear };
/// Entering the decision stage starts the window (unless it already runs); winning or losing the deal, or going
/// back before the decision stage (`decision_position`, the pipeline's decision stage if it has one), clears it;
/// anything else (the contract stage after the decision, say) keeps it running. Winning a deal whose invoices are
/// still unpaid (`awaiting_payment`, from the billing room) keeps it too: won stands for paid only without invoices.
WindowChange PaymentWindowOnEntry(const Stage& target, bool window_running, std::optional<int> decision_position,
                                  bool awaiting_payment = false);

/// Validates a stage as a settings screen sends it; field errors name the fields.
core::Result<void> ValidateStage(const Stage& s);

/// Checklist codes from labels where a code is missing: "c1", "c2"… unique inside the list.
void AssignChecklistCodes(std::vector<ChecklistItem>& items);

/// The stages a new pipeline starts with, in the workspace's language.
std::vector<Stage> StandardStages(core::Lang lang);
/// The loss reasons a workspace starts with (Russian and English names).
std::vector<LossReason> StandardLossReasons();

/// ISO 4217 shape: three capital letters.
bool IsCurrency(std::string_view s);

}  // namespace otdel::deals
