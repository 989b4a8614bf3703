#pragma once
/// Reports (REP-1 … REP-3, REP-7): the plain facts the store reads and the pure maths over them — the funnel
/// (reached, conversion, median time in stage), win/loss, manager activity, the weighted pipeline, forecast
/// categories rolled up the department tree, and the statistical forecast with its backtest. No SQL, JSON or HTTP:
/// every figure here is computed from the facts passed in, so tests check it on hand-computed data.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "plans/kpi.hpp"

namespace date {
class time_zone;
}

namespace otdel::reports {

// ---- facts ----

/// A stage of the reported pipeline.
struct StageInfo {
    core::Id id = 0;
    std::string name;
    int position = 0;
    int probability = 0;        // percent
    std::string kind = "open";  // open | won | lost
};

/// A stage a deal entered, and when (deal_stage_history).
struct StageEntry {
    core::Id stage_id = 0;
    core::Millis at = 0;
};

/// One deal as the reports see it.
struct DealFact {
    core::Id id = 0;
    core::Id pipeline_id = 0;
    core::Id stage_id = 0;
    std::optional<core::Id> owner;
    std::optional<core::Id> department;  // the owner's department
    std::int64_t amount_minor = 0;
    std::string status = "open";  // open | won | lost
    std::string forecast_category = "pipeline";
    std::optional<core::Id> loss_reason;
    std::string channel;  // the source lead's channel; "" when the deal did not come from a lead
    core::Millis created_at = 0;
    std::optional<core::Millis> closed_at;
    std::vector<core::Id> products;
    /// Stages entered, oldest first.
    std::vector<StageEntry> history;
};

/// One activity (call, meeting, task, …) of a person.
struct ActivityFact {
    core::Id id = 0;
    std::string kind;
    std::optional<core::Id> owner;
    std::string day;  // the local day of `at`
    bool done = false;
};

/// One time a lead was given to someone and what came of it (routing's SLA facts).
struct ResponseFact {
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string day;                          // local day of the assignment
    std::optional<std::int64_t> response_ms;  // working ms to the first response
    bool breached = false;
};

/// A department of the tree.
struct DeptInfo {
    core::Id id = 0;
    std::optional<core::Id> parent;
    std::string name;
};

// ---- small maths ----

/// The median (two middles average down) and the nearest-rank percentile: the KPI catalog's, so a report and a
/// KPI never disagree on the same figure.
using plans::Median;
using plans::Percentile;
/// n / d rounded half up to basis points (1/100 of a percent): 1/3 → 3333. nullopt when d is 0.
std::optional<int> RatioBp(long long n, long long d);

// ---- funnel (REP-1) ----

struct FunnelStage {
    core::Id stage_id = 0;
    std::string name, kind;
    /// Deals that reached the stage (open stages: entered it or one further along, or won; won/lost: stand in it).
    long long reached = 0;
    std::int64_t reached_amount = 0;
    /// Deals standing in it now.
    long long current = 0;
    std::int64_t current_amount = 0;
    /// reached of this stage / reached of the previous open stage (won: of the last open stage), basis points.
    std::optional<int> conversion_bp;
    /// Median of completed stays in the stage (entry → next entry), and how many stays that is.
    std::optional<std::int64_t> median_stay_ms;
    long long stays = 0;
};

struct Funnel {
    std::vector<FunnelStage> stages;
    long long deals = 0;
    std::int64_t amount = 0;
    long long won = 0, lost = 0;
};

/// Whether `deal` counts as having reached `stage` of `stages` (the same rule for the figure and its drill-down).
bool Reached(const std::vector<StageInfo>& stages, const StageInfo& stage, const DealFact& deal);
Funnel BuildFunnel(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals);

/// What the funnel needs of a set of deals that agree on stage, status and the furthest open stage position they
/// reached (the rollup's key; -1 when none): how many and their amount. One deal is a cell of one.
struct FunnelCell {
    core::Id stage_id = 0;
    std::string status = "open";
    int furthest_pos = -1;
    long long n = 0;
    std::int64_t amount = 0;
};
/// The furthest open stage position `deal` entered (its history and where it stands); -1 when none.
int FurthestOpenPosition(const std::vector<StageInfo>& stages, const DealFact& deal);
/// The funnel from cells and the completed stays per stage (entry → next entry, in ms). BuildFunnel is this over
/// cells of one deal each, so the rollup path and the raw-row path share every rule.
Funnel BuildFunnelFromCells(const std::vector<StageInfo>& stages, const std::vector<FunnelCell>& cells,
                            std::map<core::Id, std::vector<std::int64_t>> stays);

// ---- grouping ----

/// The group of a deal for "by": person → owner id, team → department id, channel → channel, product → each product;
/// "" for none (no owner, no department, no product, a deal not from a lead). Unknown dimension: {""}.
std::vector<std::string> GroupKeys(const DealFact& d, const std::string& by);

// ---- win/loss (REP-3) ----

struct WinLossRow {
    std::string key;
    long long won = 0, lost = 0;
    std::int64_t won_amount = 0, lost_amount = 0;
    std::optional<int> win_rate_bp;
};
struct LossReasonRow {
    std::optional<core::Id> reason;
    long long count = 0;
    std::int64_t amount = 0;
};
struct WinLoss {
    WinLossRow total;
    std::vector<WinLossRow> rows;        // by key
    std::vector<LossReasonRow> reasons;  // most first
};
/// Over closed deals (status won/lost); open ones are skipped. A deal with two products counts once per product.
WinLoss BuildWinLoss(const std::vector<const DealFact*>& deals, const std::string& by);
/// Closed deals that agree on group key, status and loss reason: how many and their amount.
struct WinLossCell {
    std::string key;
    std::string status;  // won | lost
    std::optional<core::Id> loss_reason;
    long long n = 0;
    std::int64_t amount = 0;
};
/// Win/loss from cells where every deal sits in exactly one group (person, team, channel; not product).
WinLoss BuildWinLossFromCells(const std::vector<WinLossCell>& cells);

// ---- manager activity (REP-2) ----

struct ActivityRow {
    std::optional<core::Id> owner;
    std::string day;  // "" in per-person totals
    long long calls = 0, meetings = 0, tasks = 0, tasks_done = 0, emails = 0;
    long long deals_created = 0, deals_won = 0;
    std::int64_t won_amount = 0;
    long long leads_taken = 0, responded = 0, breaches = 0;
    std::optional<std::int64_t> response_median_ms, response_p90_ms;
};
struct ActivityReport {
    std::vector<ActivityRow> by_person_day;  // owner, then day
    std::vector<ActivityRow> by_person;      // per owner over the period
    ActivityRow total;
};
/// `deal_days`: the local day each deal was created and (when won) closed, as the store computed them.
struct DealDays {
    const DealFact* deal = nullptr;
    std::string created_day;
    std::string closed_day;  // "" unless closed in the period
};
ActivityReport BuildActivity(const std::vector<ActivityFact>& acts, const std::vector<DealDays>& deals,
                             const std::vector<ResponseFact>& responses);
/// The same from counts already made per person and day (calls … won_amount; response fields are ignored):
/// BuildActivity counts its facts into such cells and calls this.
ActivityReport BuildActivityFromCells(const std::vector<ActivityRow>& cells,
                                      const std::vector<ResponseFact>& responses);

// ---- forecast (REP-3) ----

struct WeightedStage {
    core::Id stage_id = 0;
    std::string name;
    int probability = 0;
    long long deals = 0;
    std::int64_t amount = 0;
    std::int64_t weighted = 0;  // Σ amount × probability / 100, rounded per deal half up
};
/// Open deals of `stages` (other pipelines' deals are skipped).
std::vector<WeightedStage> WeightedPipeline(const std::vector<StageInfo>& stages,
                                            const std::vector<const DealFact*>& deals);
/// amount × probability / 100 rounded half up (the weighted amount of one deal).
std::int64_t Weighted(std::int64_t amount, int probability);

struct CategoryTotals {
    std::int64_t pipeline = 0, best_case = 0, commit = 0, closed = 0;
    long long deals = 0;
};
struct CategoryNode {
    std::optional<core::Id> department;  // nullopt: deals with no department (unassigned owners)
    std::string name;
    std::optional<core::Id> parent;
    CategoryTotals own;     // the department's own people
    CategoryTotals rolled;  // own + every department below it
};
/// Open deals by forecast category plus won deals (closed), per department and rolled up the tree.
/// `in_period` decides which deals count (the caller's period on expected close / close date).
std::vector<CategoryNode> CategoriesByTree(const std::vector<DeptInfo>& tree,
                                           const std::vector<const DealFact*>& deals);

/// The statistical forecast: what is won in [from, to) as seen at `as_of`, from the history before `as_of`.
struct StatForecast {
    std::int64_t won_so_far = 0;  // won in [from, as_of)
    std::int64_t expected = 0;    // + Σ amount × P(win in (as_of, to) | stage, age), rounded
    long long open_deals = 0;
    /// Per open stage: the history's win probability (basis points) and its sample.
    struct StageStat {
        core::Id stage_id = 0;
        long long sample = 0, won = 0;
        std::optional<int> win_bp;
        std::optional<std::int64_t> median_to_win_ms;
    };
    std::vector<StageStat> stages;
};
StatForecast StatisticalForecast(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                                 core::Millis from, core::Millis to, core::Millis as_of);

struct BacktestRow {
    core::Millis from = 0, to = 0;
    std::int64_t forecast = 0, actual = 0;
    std::optional<int> error_bp;  // |forecast − actual| / actual
};
struct Backtest {
    std::vector<BacktestRow> rows;
    std::optional<int> mape_bp;  // mean of the rows' errors (periods with nothing won are left out)
};
/// Replays StatisticalForecast at the start of each of `periods` (oldest first) and compares with what was won.
Backtest RunBacktest(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                     const std::vector<std::pair<core::Millis, core::Millis>>& periods);
/// Both at once over the same deals, the history prepared once: what the forecast report shows (equal to
/// StatisticalForecast(…, as_of) and RunBacktest(…, periods)).
std::pair<StatForecast, Backtest> ForecastWithBacktest(
    const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals, core::Millis from, core::Millis to,
    core::Millis as_of, const std::vector<std::pair<core::Millis, core::Millis>>& periods);

// ---- schedules (REP-7) ----

/// 'daily', 'weekly' (weekday 1 = Monday … 7), 'monthly' (day 1..28) at `hour` local time.
struct Cadence {
    std::string every = "weekly";
    int weekday = 1;
    int day = 1;
    int hour = 8;
};
/// Field errors of a cadence ("every", "weekday", "day", "hour").
std::vector<std::pair<std::string, std::string>> CheckCadence(const Cadence& c);
/// The first instant strictly after `after` that the cadence names, at the local hour in `tz`.
core::Millis NextRun(const Cadence& c, const std::string& tz, core::Millis after);

// ---- calendar days ----

/// The UTC instant local midnight of `day` ("YYYY-MM-DD") starts in `tz` (UTC when the zone is unknown);
/// nullopt for a malformed or impossible day.
std::optional<core::Millis> DayStartMs(const std::string& tz, const std::string& day);
/// The local day ("YYYY-MM-DD") of many instants in one zone: the zone is looked up once and its offset kept for
/// the span it holds, so naming the day of millions of activities costs a comparison and a date split each.
class LocalDays {
public:
    /// An unknown zone names UTC days.
    explicit LocalDays(const std::string& tz);
    std::string Of(core::Millis at);

private:
    const date::time_zone* zone_ = nullptr;
    core::Millis begin_ = 1, end_ = 0;  // the span the cached offset holds for
    core::Millis offset_ = 0;
};

/// Days since 1970-01-01 of a day "YYYY-MM-DD" (the rollups' day numbers); nullopt when malformed.
std::optional<long long> DayNumber(const std::string& day);
/// The day "YYYY-MM-DD" of a day number.
std::string DayText(long long number);
/// `day` moved by `n` days.
std::string AddDays(const std::string& day, int n);
/// today | week (Monday…Sunday) | month | quarter | year around `today`: first and last day; nullopt when unknown.
std::optional<std::pair<std::string, std::string>> RelativePeriod(const std::string& name, const std::string& today);
/// The `n` periods before [from, to] (oldest first): whole calendar months when it is one, else of equal length.
std::vector<std::pair<std::string, std::string>> PreviousPeriods(const std::string& from, const std::string& to, int n);

}  // namespace otdel::reports
