#pragma once
/// ReportsService (REP-1 … REP-3, REP-7): the funnel, manager activity, plan vs fact, win/loss and forecast
/// reports, each from the records under the caller's visibility with the same filters; the drill-down to the
/// records behind any figure (they add up to it); CSV and XLSX exports; the dashboards; and scheduled e-mail
/// delivery as a durable job. Reading needs `report: read`, exporting `report: export`.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "mail/smtp.hpp"
#include "plans/fact_records.hpp"
#include "reports/report.hpp"
#include "reports/reports_drill_store.hpp"
#include "reports/reports_store.hpp"

namespace otdel::reports {

/// The report names the API and schedules use.
inline const std::vector<std::string>& ReportNames() {
    static const std::vector<std::string> k = {"funnel", "activity", "plan_fact", "win_loss", "forecast"};
    return k;
}

/// A report's filters as the API takes them (query parameters; a schedule keeps them as a JSON object of strings).
struct ReportQuery {
    /// Days "YYYY-MM-DD", both included; or `period` = today | week | month | quarter | year relative to now.
    std::optional<std::string> from, to, period;
    std::optional<core::Id> pipeline_id, department_id, product_id;
    std::optional<std::string> owner;    // "me" or a user id
    std::optional<std::string> channel;  // a lead channel, or "none"
    std::string currency = "RUB";
    std::string by;  // "", person, team, channel, product
};
/// Reads the filters; every wrong one is a field error (kBadRequest) naming it.
core::Result<ReportQuery> ParseQuery(const std::map<std::string, std::string>& params);
std::map<std::string, std::string> QueryParams(const ReportQuery& q);

/// What the report was computed over.
struct Scope {
    std::string from, to;  // days, both included
    core::Millis from_ms = 0, to_ms = 0;
    std::optional<core::Id> pipeline_id;
    std::string today;
};

struct Labeled {
    std::string key, label;
};

struct FunnelGroup {
    Labeled group;
    Funnel funnel;
};
struct FunnelReport {
    Scope scope;
    std::vector<StageInfo> stages;
    Funnel total;
    std::vector<FunnelGroup> groups;  // when `by` is set
};

struct WinLossReport {
    Scope scope;
    WinLoss data;
    std::map<std::string, std::string> labels;         // row key → name
    std::map<std::string, std::string> reason_labels;  // reason id ("" none) → name
};

struct ActivityReportOut {
    Scope scope;
    ActivityReport data;
    std::map<std::string, std::string> labels;  // owner id → name
};

struct ForecastReport {
    Scope scope;
    std::vector<WeightedStage> weighted;
    std::int64_t weighted_total = 0, open_total = 0;
    std::vector<CategoryNode> categories;
    StatForecast statistical;
    Backtest backtest;
};

/// One line of plan vs fact as the plans room computes it (PLAN-2).
struct PlanFactLine {
    std::string label;   // whose plan: a person or a department
    std::string metric;  // revenue, deals_won, new_clients, calls, meetings
    std::optional<core::Id> user_id, department_id;
    std::int64_t plan = 0, fact = 0;
    std::optional<int> percent_bp;
    /// At this pace, the share of the plan done by the end of the period.
    std::optional<int> pace_bp;
};
struct PlanFactReport {
    Scope scope;
    std::vector<PlanFactLine> lines;
    bool available = false;  // false: no plans room wired
};
/// The plans room's plan vs fact for the caller (visibility applied there), over [from, to] days.
using PlanFactSource = std::function<core::Result<std::vector<PlanFactLine>>(
    const core::Actor&, const std::string& from, const std::string& to, std::optional<core::Id> owner,
    std::optional<core::Id> department_id)>;

/// The plans room's records behind one plan vs fact figure: `metric` of a person (`user_id`) or of a department's
/// subtree, over the month / quarter / year that [from, to] days span.
using PlanFactDrillSource = std::function<core::Result<plans::FactRecords>(
    const core::Actor&, const std::string& from, const std::string& to, const std::string& metric,
    std::optional<core::Id> user_id, std::optional<core::Id> department_id)>;

/// Which figure to open: `measure` and its coordinates, by report (see docs/reports.md).
struct Cell {
    std::string measure;
    std::optional<core::Id> stage_id, reason_id, department_id;
    std::optional<std::string> key;  // the group's key (with the query's `by`)
    std::optional<std::string> day;  // activity: one day
    std::optional<std::string> owner;
};
struct Drilldown {
    std::string kind;  // deals | activities | responses | payments
    std::vector<store::DealRow> deals;
    std::vector<store::ActivityRowOut> activities;
    std::vector<store::PaymentRowOut> payments;
    std::vector<store::ResponseRowOut> responses;
    long long count = 0;
    std::int64_t amount_minor = 0;
    bool truncated = false;
};

/// A report as rows of text for CSV, XLSX and e-mail; numeric cells keep their number.
struct TableCell {
    std::string text;
    std::optional<double> number;
};
struct Table {
    std::string title;
    std::vector<std::string> columns;
    std::vector<std::vector<TableCell>> rows;
};
struct ExportFile {
    std::string content_type, file_name, bytes;
};

struct Dashboard {
    std::string kind;  // head | seller | analyst
    Scope scope;
    PlanFactReport plan;
    FunnelReport funnel;
    std::optional<store::SlaSummary> sla;
    std::vector<store::OverdueInvoice> overdue;
    std::int64_t overdue_total = 0;
    std::vector<WinLossRow> leaders, laggards;
    std::map<std::string, std::string> labels;
    ActivityReportOut today;
    std::optional<ForecastReport> forecast;
    std::optional<WinLossReport> win_loss;
};

struct ScheduleInput {
    std::optional<std::string> report;
    std::optional<std::map<std::string, std::string>> filters;
    std::optional<std::vector<std::string>> recipients;
    std::optional<std::string> every;
    std::optional<int> weekday, day, hour;
};

struct ReportsConfig {
    /// Where links in the e-mails point (the UI's address).
    std::string public_url = "http://127.0.0.1:8080";
    /// A drill-down lists at most this many records (the count and sum always cover all of them).
    int max_drill_rows = 5000;
    /// Funnel, win/loss and activity read the exact daily rollups (migration 0021) when their filters allow; false:
    /// always the raw rows (the tests compare the two).
    bool use_rollups = true;
};

class ReportsService {
public:
    ReportsService(db::Database& db, const core::Clock& clock, mail::Mailer* mailer, ReportsConfig config = {})
        : db_(db), clock_(clock), mailer_(mailer), config_(std::move(config)) {}

    void SetPlanFactSource(PlanFactSource src) { plan_fact_ = std::move(src); }
    void SetPlanFactDrillSource(PlanFactDrillSource src) { plan_fact_drill_ = std::move(src); }
    /// Registers "reports.deliver" on the scheduler (schedules' next sends).
    void AttachScheduler(jobs::Scheduler& scheduler);

    core::Result<FunnelReport> FunnelOf(const core::Actor& a, const ReportQuery& q);
    core::Result<WinLossReport> WinLossOf(const core::Actor& a, const ReportQuery& q);
    core::Result<ActivityReportOut> ActivityOf(const core::Actor& a, const ReportQuery& q);
    core::Result<ForecastReport> ForecastOf(const core::Actor& a, const ReportQuery& q);
    core::Result<PlanFactReport> PlanFactOf(const core::Actor& a, const ReportQuery& q);
    core::Result<Drilldown> DrillDown(const core::Actor& a, const std::string& report, const ReportQuery& q,
                                      const Cell& cell);
    core::Result<Table> TableOf(const core::Actor& a, const std::string& report, const ReportQuery& q);
    /// format: csv | xlsx.
    core::Result<ExportFile> Export(const core::Actor& a, const std::string& report, const ReportQuery& q,
                                    const std::string& format);
    /// kind: head | seller | analyst; unset: the one for the caller's role.
    core::Result<Dashboard> DashboardOf(const core::Actor& a, std::optional<std::string> kind);

    core::Result<std::vector<store::Schedule>> ListSchedules(const core::Actor& a);
    core::Result<store::Schedule> CreateSchedule(const core::Actor& a, const ScheduleInput& in);
    core::Result<store::Schedule> UpdateSchedule(const core::Actor& a, core::Id id, const ScheduleInput& in);
    core::Result<void> DeleteSchedule(const core::Actor& a, core::Id id);
    /// Sends the schedule's report now (and keeps its next time): what the job does when due.
    core::Result<store::Schedule> SendNow(const core::Actor& a, core::Id id);

    /// /api/v1/reports/…, /api/v1/report-schedules…
    void Register(http::Router& router);

    /// Builds the workspace's rollups when they were never built or were built for another time zone; whether the
    /// reports may read them (false: rollups off, or the build failed and the raw rows answer). Called by every
    /// report, and by `otdel migrate` so an upgrade does not leave the build to the first report.
    bool EnsureRollups(core::Id ws);

private:
    /// The days [from, to] a query names, under `report: read` (reports_drill.cpp).
    core::Result<Scope> ScopeFor(const core::Actor& a, const ReportQuery& q);
    /// Plan vs fact's drill-down: `measure` = a plan metric, with `cell_owner` or `cell_department_id`
    /// (reports_drill.cpp).
    core::Result<Drilldown> DrillPlanFact(const core::Actor& a, const ReportQuery& q, const Cell& cell);
    core::Result<void> Deliver(core::Id ws, core::Id schedule_id, core::Millis now, bool keep_next);

    db::Database& db_;
    const core::Clock& clock_;
    mail::Mailer* mailer_;
    ReportsConfig config_;
    PlanFactSource plan_fact_;
    PlanFactDrillSource plan_fact_drill_;
    jobs::Scheduler* scheduler_ = nullptr;
};

}  // namespace otdel::reports
