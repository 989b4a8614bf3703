#pragma once
/// The KPI catalog (PLAN-3): every indicator is a definition (code, unit, direction, the inputs it reads) with ONE
/// pure formula over plain input rows. No SQL, JSON or HTTP here: kpi_store.hpp loads the rows for a filter (workspace
/// and visibility inside the query), the formulas below turn them into numbers, and unit tests check each formula on
/// small hand-computed sets.
///
/// Values are integers, never floating point: counts are counts, money is minor units (kopecks) of one currency,
/// durations are milliseconds, rates and shares are basis points (1 % = 100 bp), per-day figures are hundredths.
/// A rate also carries its numerator and denominator so a report can show "12 of 40" and drill down.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::plans {

// ---- input rows (what the store reads; each row is one record or a group of identical records) ----

/// A deal (deals). `status` open | won | lost; `closed_at` when it was won or lost.
struct DealRow {
    core::Id id = 0;
    std::optional<core::Id> owner;
    core::Id pipeline_id = 0;
    core::Id stage_id = 0;
    std::int64_t amount_minor = 0;
    std::string currency = "RUB";
    std::string status = "open";
    core::Millis created_at = 0;
    std::optional<core::Millis> closed_at;
    std::optional<core::Id> loss_reason_id;
    /// The client who bought: "c<company id>", else "p<contact id>", else "" (no client).
    std::string client_key;
    /// Stage positions the deal entered (deal_stage_history), any order; the current one included.
    std::vector<int> positions_reached;
};

/// A stage of the pipeline a per-stage conversion is computed for.
struct StageRow {
    core::Id id = 0;
    std::string name;
    int position = 0;
    std::string kind = "open";  // open | won | lost
};

/// A lead (leads): who owns it, when it came, whether it became a deal (a deal names it as source, or converted).
struct LeadRow {
    core::Id id = 0;
    std::optional<core::Id> owner;
    core::Millis created_at = 0;
    bool became_deal = false;
};

/// One time a lead was given to a person (lead_assignments; queued rows are not read).
struct AssignmentRow {
    core::Id id = 0;
    core::Id lead_id = 0;
    std::optional<core::Id> owner;
    core::Millis assigned_at = 0;
    /// Working milliseconds to the first response (set when the person answered).
    std::optional<std::int64_t> response_working_ms;
    bool has_deadline = false;
    bool breached = false;
};

/// Activities (activities): one call, meeting, task… or `count` of them when the store groups identical rows.
struct ActivityRow {
    std::optional<core::Id> owner;
    std::string kind;  // call | meeting | task | email | sms | note
    std::int64_t count = 1;
};

/// A payment received (payments, not reversed), attributed to its deal's owner. `paid_on` is a local date.
struct PaymentRow {
    core::Id id = 0;
    core::Id deal_id = 0;
    std::optional<core::Id> owner;
    std::int64_t amount_minor = 0;
    std::string currency = "RUB";
    std::string paid_on;
};

/// A call review's score (ACT-3): `score` out of `max_score` points.
struct ReviewRow {
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::int64_t score = 0;
    std::int64_t max_score = 0;
};

/// Everything the formulas may read for one filter. A formula reads only its own inputs (KpiDef::inputs).
struct KpiInputs {
    /// Deals created in the period (conversion per stage), and deals won or lost in the period (won, revenue, win
    /// rate, size, time to close, rejections), and for retention also deals won in the equally long window before.
    std::vector<DealRow> deals;
    std::vector<StageRow> stages;
    std::vector<LeadRow> leads;
    std::vector<AssignmentRow> assignments;
    std::vector<ActivityRow> activities;
    std::vector<PaymentRow> payments;
    std::vector<ReviewRow> reviews;
    /// For new clients: per client, its first won deal ever (client_key, owner, closed_at, amount).
    std::vector<DealRow> first_wins;
};

/// The window the formulas count in: [from, to) in UTC, plus what per-day rates divide by.
struct KpiWindow {
    core::Millis from = 0;
    core::Millis to = 0;
    /// Working days of the window that have begun (today included) — the divisor of "per day".
    int working_days = 0;
    /// Calendar days of the window that have begun — "per week" is count × 7 / days.
    int calendar_days = 0;
    /// Instants after this have not happened yet (meetings later today are planned, not held).
    core::Millis now = 0;
    /// The currency money figures are summed in; rows in other currencies are left out.
    std::string currency = "RUB";
};

// ---- the catalog ----

enum class KpiCode {
    kCallsPerDay,
    kCallsPerWeek,
    kMeetingsPerDay,
    kMeetingsPerWeek,
    kCalls,
    kMeetings,
    kLeadsTaken,
    kFirstResponseMedian,
    kFirstResponseP90,
    kSlaBreachRate,
    kLeadToDeal,
    kStageConversion,
    kDealsWon,
    kWinRate,
    kAvgDealSize,
    kTimeToCloseMedian,
    kRejections,
    kRetentionRate,
    kCallReviewScore,
    kRevenue,
    kPaymentsReceived,
    kNewClients,
};

enum class KpiUnit {
    kCount,        // a number of records
    kMoney,        // minor units of KpiWindow::currency
    kDurationMs,   // milliseconds (working milliseconds for response times)
    kBasisPoints,  // a share: 10000 = 100 %
    kHundredths,   // a per-day / per-week rate ×100
};

/// Which inputs a formula reads (the store loads only those).
enum KpiInput : unsigned {
    kInDeals = 1u << 0,
    kInStages = 1u << 1,
    kInLeads = 1u << 2,
    kInAssignments = 1u << 3,
    kInActivities = 1u << 4,
    kInPayments = 1u << 5,
    kInReviews = 1u << 6,
    kInFirstWins = 1u << 7,
    kInPriorWins = 1u << 8,  // deals won in the window before (retention)
};

struct KpiDef {
    KpiCode code;
    std::string_view key;  // the wire name: "calls_per_day", "revenue", …
    KpiUnit unit;
    bool higher_is_better = true;
    unsigned inputs = 0;
    std::string_view name_ru;
    std::string_view name_en;
    /// One line: what exactly is counted (shown in the UI and docs/plans.md).
    std::string_view formula_ru;
    std::string_view formula_en;
};

/// The whole catalog in display order.
const std::vector<KpiDef>& Catalog();
const KpiDef& Def(KpiCode code);
/// The definition with this wire name; nullopt when unknown.
std::optional<KpiCode> ParseKpi(std::string_view key);
std::string_view UnitName(KpiUnit u);  // count | money | duration_ms | basis_points | hundredths

/// One part of a breakdown (rejections per reason, conversion per stage).
struct KpiPart {
    std::string key;    // reason id, stage id
    std::string label;  // stage name; empty for reasons (the UI names them)
    std::int64_t value = 0;
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
};

struct KpiValue {
    KpiCode code = KpiCode::kCalls;
    /// False when the figure does not exist (a median of nothing, a rate over zero).
    bool defined = false;
    std::int64_t value = 0;
    /// For rates and averages: what was divided (value = numerator / denominator scaled to the unit).
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
    std::vector<KpiPart> parts;
};

/// The one dispatch: the formula of `code` over `in` for `w`.
KpiValue Compute(KpiCode code, const KpiInputs& in, const KpiWindow& w);

// ---- the formulas (each pure; Compute calls exactly one) ----

/// Calls / meetings started in [from, min(to, now)): activity rows of that kind, summed counts.
KpiValue CountActivities(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows);
/// count ×100 / working_days (hundredths per working day); undefined with no working day.
KpiValue PerWorkingDay(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows, int working_days);
/// count ×700 / calendar_days (hundredths per week); undefined with no day.
KpiValue PerWeek(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows, int calendar_days);
/// Assignments given in the window (each is a lead taken).
KpiValue LeadsTaken(const std::vector<AssignmentRow>& rows, const KpiWindow& w);
/// Median / 90th percentile (nearest rank) of the working ms to the first response of assignments in the window.
KpiValue FirstResponseMedian(const std::vector<AssignmentRow>& rows, const KpiWindow& w);
KpiValue FirstResponseP90(const std::vector<AssignmentRow>& rows, const KpiWindow& w);
/// Breached / decided (answered or breached) assignments with an SLA deadline, given in the window; bp.
KpiValue SlaBreachRate(const std::vector<AssignmentRow>& rows, const KpiWindow& w);
/// Leads created in the window that became deals / leads created in the window; bp.
KpiValue LeadToDeal(const std::vector<LeadRow>& rows, const KpiWindow& w);
/// Deals created in the window: per open stage (by position), reached(next) / reached(this) in bp. A deal reached
/// a position when it entered it or any later one (a won deal reached every open stage). value: first → won, bp.
KpiValue StageConversion(const std::vector<DealRow>& deals, const std::vector<StageRow>& stages, const KpiWindow& w);
/// Deals won with closed_at in the window.
KpiValue DealsWon(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Won / (won + lost) closed in the window; bp.
KpiValue WinRate(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Sum of won amounts / number of won deals (closed in the window, in the window's currency); minor units, floor.
KpiValue AvgDealSize(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Median of closed_at − created_at over deals won in the window; ms.
KpiValue TimeToCloseMedian(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Deals lost in the window: total, and per loss reason (key = reason id, "" for none), most first.
KpiValue Rejections(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Clients who bought (a won deal) in [from − (to − from), from) and again in [from, to) / clients who bought in the
/// earlier window; bp. Deals without a client are left out.
KpiValue RetentionRate(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Σ score / Σ max_score of the reviews; bp (10000 = every point of every checklist).
KpiValue CallReviewScore(const std::vector<ReviewRow>& rows);
/// Revenue = the amounts of deals WON in the window (booked sales, by closed_at), in the window's currency.
KpiValue Revenue(const std::vector<DealRow>& deals, const KpiWindow& w);
/// Payments received (not reversed) whose paid_on lies in the window's days, in the window's currency.
/// The store reads only payments of those days; the formula sums the currency's.
KpiValue PaymentsReceived(const std::vector<PaymentRow>& rows, const KpiWindow& w);
/// Clients whose first won deal ever was closed in the window.
KpiValue NewClients(const std::vector<DealRow>& first_wins, const KpiWindow& w);

// ---- small maths (exposed for tests and for the reports room) ----

/// Median of `v`; two middles average down (floor). nullopt when empty.
std::optional<std::int64_t> Median(std::vector<std::int64_t> v);
/// Nearest-rank percentile (1..100) of `v`. nullopt when empty.
std::optional<std::int64_t> Percentile(std::vector<std::int64_t> v, int pct);
/// numerator × scale / denominator rounded half up; nullopt when the denominator is 0.
std::optional<std::int64_t> Ratio(std::int64_t numerator, std::int64_t denominator, std::int64_t scale);

/// Rows restricted to these owners (plan vs fact per person, rolled up by the caller).
KpiInputs OfOwners(const KpiInputs& in, const std::vector<core::Id>& owners);
/// The rows split by owner in one pass (rows without an owner are left out); stages go to every part.
std::map<core::Id, KpiInputs> ByOwner(const KpiInputs& in);

}  // namespace otdel::plans
