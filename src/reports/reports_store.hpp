#pragma once
/// SQL of the reports room: the facts every report is computed from, read under the caller's visibility (deals on
/// alias "d" by owner, activities on "a" by owner, lead assignments on "la" by the person they went to), and the
/// report schedules. The WHERE clause is assembled from constant fragments, values are always bound.
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "reports/report.hpp"
#include "reports/rows.hpp"

namespace otdel::reports::store {

/// The filters every report takes (REP-7).
struct Filter {
    core::Millis from = 0, to = 0;
    std::optional<core::Id> pipeline_id, owner, product_id;
    std::optional<std::string> dept_path;  // owners placed in this subtree ("/1/4/")
    std::optional<std::string> channel;    // the source lead's channel; "none" = not from a lead
    std::string currency = "RUB";
};

/// Which date of a deal the period applies to.
enum class PeriodOn { kNone, kCreated, kClosed, kCreatedOrClosed };

/// Deals under `visible` (alias "d") and the filter, with their stage history and products.
std::vector<DealFact> SelectDeals(soci::session& sql, core::Id ws, const Filter& f, PeriodOn on,
                                  const auth::Predicate& visible);
/// The forecast's read of the same deals (PeriodOn::kNone) with their stage history, in id order: the fields the
/// forecast uses (no products, channel or loss reason; the filters still apply), through store::Rows.
std::vector<DealFact> SelectForecastDeals(soci::session& sql, core::Id ws, const Filter& f,
                                          const auth::Predicate& visible);
/// Calls, meetings, tasks and e-mails of the period under `visible` (alias "a"); the day in `tz`.
std::vector<ActivityFact> SelectActivities(soci::session& sql, core::Id ws, const Filter& f, const std::string& tz,
                                           const auth::Predicate& visible);
/// Leads given to people in the period (routing's SLA facts) under `visible` (alias "la", owner user_id).
std::vector<ResponseFact> SelectResponses(soci::session& sql, core::Id ws, const Filter& f, const std::string& tz,
                                          const auth::Predicate& visible);

/// The pipeline's live stages by position; empty when there is no such pipeline.
std::vector<StageInfo> SelectStages(soci::session& sql, core::Id ws, core::Id pipeline_id);
std::optional<core::Id> DefaultPipeline(soci::session& sql, core::Id ws);
std::vector<DeptInfo> SelectDepartments(soci::session& sql, core::Id ws);
std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws, core::Id id);

/// Names for the tables: users, departments, loss reasons (ru/en), products.
std::map<core::Id, std::string> UserNames(soci::session& sql, core::Id ws);
std::map<core::Id, std::string> DepartmentNames(soci::session& sql, core::Id ws);
std::map<core::Id, std::pair<std::string, std::string>> LossReasonNames(soci::session& sql, core::Id ws);
std::map<core::Id, std::string> ProductNames(soci::session& sql, core::Id ws);

/// Drill-down rows: the deals of these ids, with their words.
struct DealRow {
    core::Id id = 0;
    std::string title, company, stage, status, owner_name;
    std::optional<core::Id> owner;
    std::int64_t amount_minor = 0;
    std::string currency;
    core::Millis created_at = 0;
    std::optional<core::Millis> closed_at;
};
std::vector<DealRow> DealRows(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);

/// Drill-down rows of activities (the calls, meetings, tasks behind a figure).
struct ActivityRowOut {
    core::Id id = 0;
    std::string kind, subject, owner_name;
    std::optional<core::Id> owner;
    core::Millis at = 0;
    bool done = false;
};
std::vector<ActivityRowOut> ActivityRows(soci::session& sql, core::Id ws, const std::vector<core::Id>& ids);

// ---- the head's dashboard ----
struct SlaSummary {
    long long waiting = 0;   // running SLA clocks
    long long overdue = 0;   // running past the deadline
    long long breaches = 0;  // assignments breached in the period
    long long assigned = 0;  // assignments in the period
};
SlaSummary SelectSla(soci::session& sql, core::Id ws, core::Millis now, core::Millis from, core::Millis to,
                     const auth::Predicate& visible_leads);
struct OverdueInvoice {
    core::Id id = 0, deal_id = 0;
    std::string number, deal_title, next_due_date, owner_name;
    std::int64_t due_minor = 0;
};
/// Issued invoices with money due before `today`, under `visible` (alias "d": the invoice's deal), oldest first.
std::vector<OverdueInvoice> SelectOverdueInvoices(soci::session& sql, core::Id ws, const std::string& today,
                                                  const auth::Predicate& visible);

// ---- schedules ----
struct Schedule {
    core::Id id = 0;
    core::Id owner_user_id = 0;
    std::string report, filters = "{}", recipients = "[]";
    Cadence cadence;
    std::string lang = "ru";
    core::Millis next_run_at = 0;
    std::optional<core::Millis> last_sent_at;
    std::string last_error;
    long long sent_count = 0;
    core::Millis created_at = 0, updated_at = 0;
};
core::Id InsertSchedule(soci::session& sql, core::Id ws, const Schedule& s);
void UpdateSchedule(soci::session& sql, core::Id ws, const Schedule& s);
void DeleteSchedule(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
std::optional<Schedule> SelectSchedule(soci::session& sql, core::Id ws, core::Id id);
/// Every live schedule when `owner` is unset, else that person's.
std::vector<Schedule> ListSchedules(soci::session& sql, core::Id ws, std::optional<core::Id> owner);

}  // namespace otdel::reports::store
