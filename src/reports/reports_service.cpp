#include "reports/reports_service.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include "auth/visibility.hpp"
#include "events/audit.hpp"
#include "imports/mapping.hpp"
#include "jobs/job_store.hpp"
#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"
#include "reports/reports_rollup.hpp"
#include "reports/xlsx.hpp"

namespace otdel::reports {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kReport = "report";
constexpr const char* kDeliverJob = "reports.deliver";
constexpr int kBacktestPeriods = 6;
constexpr std::size_t kMaxRecipients = 20;

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

Error BadField(std::string field, std::string code, std::string param = {}) {
    return Error{ErrorCode::kBadRequest, {}, {{std::move(field), std::move(code), std::move(param)}}, 0};
}

std::optional<long long> ParseId(const std::string& s) {
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 1) return std::nullopt;
    return v;
}

bool IsDay(const std::string& s) {
    return DayStartMs("UTC", s).has_value();
}

// The caller's visibility, today and the workspace's zone: what every report starts from.
struct Context {
    auth::Visibility vis;
    std::string tz, today;
};

Context ContextOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    std::string tz = org::store::WorkspaceTimeZone(sql, a.workspace_id);
    std::string today = org::LocalDateText(tz, now);
    return {auth::BuildVisibility(sql, a, today), tz, today};
}

// The filters resolved against the workspace: the period in ms, the owner and the department's path.
struct Resolved {
    Scope scope;
    store::Filter filter;
    std::string by;
};

core::Result<Resolved> Resolve(soci::session& sql, const core::Actor& a, const Context& ctx, const ReportQuery& q,
                               bool needs_pipeline) {
    Resolved r;
    std::string from, to;
    if (q.period) {
        auto p = RelativePeriod(*q.period, ctx.today);
        if (!p) return BadField("period", "not_one_of", "today, week, month, quarter, year");
        from = p->first;
        to = p->second;
    } else {
        auto month = RelativePeriod("month", ctx.today);
        from = q.from.value_or(month->first);
        to = q.to.value_or(q.from ? from : month->second);
    }
    if (to < from) return BadField("to", "before_start");
    r.scope.from = from;
    r.scope.to = to;
    r.scope.today = ctx.today;
    r.scope.from_ms = *DayStartMs(ctx.tz, from);
    r.scope.to_ms = *DayStartMs(ctx.tz, AddDays(to, 1));
    r.filter.from = r.scope.from_ms;
    r.filter.to = r.scope.to_ms;
    r.filter.currency = q.currency;
    r.filter.product_id = q.product_id;
    r.filter.channel = q.channel;
    if (q.owner) r.filter.owner = *q.owner == "me" ? a.user_id : *ParseId(*q.owner);
    if (q.department_id) {
        auto path = store::DepartmentPath(sql, a.workspace_id, *q.department_id);
        if (!path) return BadField("department_id", "not_found");
        r.filter.dept_path = *path;
    }
    if (q.pipeline_id) {
        if (store::SelectStages(sql, a.workspace_id, *q.pipeline_id).empty())
            return BadField("pipeline_id", "not_found");
        r.filter.pipeline_id = q.pipeline_id;
    } else if (needs_pipeline) {
        r.filter.pipeline_id = store::DefaultPipeline(sql, a.workspace_id);
    }
    r.scope.pipeline_id = r.filter.pipeline_id;
    r.by = q.by;
    return r;
}

std::vector<const DealFact*> Pointers(const std::vector<DealFact>& v) {
    std::vector<const DealFact*> out;
    out.reserve(v.size());
    for (const auto& d : v) out.push_back(&d);
    return out;
}

std::string ChannelLabel(const std::string& code, core::Lang lang) {
    static const std::map<std::string, std::pair<const char*, const char*>> k = {
        {"form", {"Форма на сайте", "Website form"}},
        {"email", {"Почта", "E-mail"}},
        {"phone", {"Телефон", "Phone"}},
        {"telegram", {"Telegram", "Telegram"}},
        {"webhook", {"Вебхук", "Webhook"}},
        {"manual", {"Вручную", "Manual"}},
        {"import", {"Импорт", "Import"}},
        {"", {"Не из заявки", "Not from a lead"}},
    };
    auto it = k.find(code);
    if (it == k.end()) return code;
    return lang == core::Lang::kEn ? it->second.second : it->second.first;
}

const char* Tr(core::Lang lang, const char* ru, const char* en) {
    return lang == core::Lang::kEn ? en : ru;
}

// Names of a dimension's keys.
std::map<std::string, std::string> LabelsFor(soci::session& sql, core::Id ws, const std::string& by, core::Lang lang,
                                             const std::set<std::string>& keys) {
    std::map<std::string, std::string> out;
    std::map<core::Id, std::string> names;
    if (by == "person") names = store::UserNames(sql, ws);
    if (by == "team") names = store::DepartmentNames(sql, ws);
    if (by == "product") names = store::ProductNames(sql, ws);
    for (const auto& k : keys) {
        if (by == "channel") {
            out[k] = ChannelLabel(k, lang);
        } else if (k.empty()) {
            out[k] = by == "person"    ? Tr(lang, "Без ответственного", "No owner")
                     : by == "team"    ? Tr(lang, "Без отдела", "No department")
                     : by == "product" ? Tr(lang, "Без товара", "No product")
                                       : Tr(lang, "Все", "All");
        } else {
            auto id = ParseId(k);
            auto it = id ? names.find(*id) : names.end();
            out[k] = it == names.end() ? k : it->second;
        }
    }
    return out;
}

core::Result<void> CheckBy(const std::string& by, std::initializer_list<const char*> allowed) {
    if (by.empty()) return core::Ok();
    for (const char* x : allowed)
        if (by == x) return core::Ok();
    std::string list;
    for (const char* x : allowed) list += (list.empty() ? "" : ", ") + std::string(x);
    return BadField("by", "not_one_of", list);
}

// The departments in the subtree of `root` (itself included).
std::set<core::Id> Subtree(const std::vector<DeptInfo>& tree, core::Id root) {
    std::set<core::Id> out{root};
    bool grew = true;
    while (grew) {
        grew = false;
        for (const auto& d : tree)
            if (d.parent && out.count(*d.parent) && out.insert(d.id).second) grew = true;
    }
    return out;
}

double Rub(std::int64_t minor) {
    return static_cast<double>(minor) / 100.0;
}

std::string Money(std::int64_t minor) {
    const bool neg = minor < 0;
    std::uint64_t v = neg ? static_cast<std::uint64_t>(-minor) : static_cast<std::uint64_t>(minor);
    std::string whole = std::to_string(v / 100);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i && (whole.size() - i) % 3 == 0) grouped += ' ';
        grouped += whole[i];
    }
    const unsigned cents = static_cast<unsigned>(v % 100);
    return (neg ? "-" : "") + grouped + "." + (cents < 10 ? "0" : "") + std::to_string(cents);
}

std::string Percent(std::optional<int> bp) {
    if (!bp) return "";
    return std::to_string(*bp / 100) + "." + (*bp % 100 < 10 ? "0" : "") + std::to_string(*bp % 100);
}

TableCell Num(long long v) {
    return {std::to_string(v), static_cast<double>(v)};
}
TableCell MoneyCell(std::int64_t minor) {
    return {Money(minor), Rub(minor)};
}
TableCell PctCell(std::optional<int> bp) {
    if (!bp) return {"", std::nullopt};
    return {Percent(bp), *bp / 100.0};
}
TableCell Text(std::string s) {
    return {std::move(s), std::nullopt};
}
TableCell Days(std::optional<std::int64_t> ms) {
    if (!ms) return {"", std::nullopt};
    const double d = static_cast<double>(*ms) / 86'400'000.0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", d);
    return {buf, d};
}
TableCell Minutes(std::optional<std::int64_t> ms) {
    if (!ms) return {"", std::nullopt};
    return Num(*ms / 60'000);
}

}  // namespace

// ---- filters ----

core::Result<ReportQuery> ParseQuery(const std::map<std::string, std::string>& params) {
    ReportQuery q;
    std::vector<core::FieldError> errs;
    static const std::set<std::string> known = {"from",       "to",    "period",  "pipeline_id", "department_id",
                                                "product_id", "owner", "channel", "currency",    "by"};
    auto id = [&](const char* name) -> std::optional<core::Id> {
        auto it = params.find(name);
        if (it == params.end() || it->second.empty()) return std::nullopt;
        auto v = ParseId(it->second);
        if (!v) errs.push_back({name, "invalid", ""});
        return v;
    };
    for (const auto& [k, v] : params)
        if (!known.count(k) && k != "measure" && k != "stage_id" && k != "reason_id" && k != "key" && k != "day" &&
            k != "format" && k != "kind" && k != "cell_owner" && k != "cell_department_id")
            errs.push_back({k, "unknown_field", ""});
    for (const char* name : {"from", "to"}) {
        auto it = params.find(name);
        if (it == params.end() || it->second.empty()) continue;
        if (!IsDay(it->second)) {
            errs.push_back({name, "invalid_date", ""});
            continue;
        }
        (std::string(name) == "from" ? q.from : q.to) = it->second;
    }
    if (auto it = params.find("period"); it != params.end() && !it->second.empty()) {
        if (!RelativePeriod(it->second, "2026-01-01")) {
            errs.push_back({"period", "not_one_of", "today, week, month, quarter, year"});
        } else {
            q.period = it->second;
        }
    }
    q.pipeline_id = id("pipeline_id");
    q.department_id = id("department_id");
    q.product_id = id("product_id");
    if (auto it = params.find("owner"); it != params.end() && !it->second.empty()) {
        if (it->second != "me" && !ParseId(it->second)) {
            errs.push_back({"owner", "invalid", ""});
        } else {
            q.owner = it->second;
        }
    }
    if (auto it = params.find("channel"); it != params.end() && !it->second.empty()) {
        static const std::set<std::string> channels = {"form",    "email",  "phone",  "telegram",
                                                       "webhook", "manual", "import", "none"};
        if (!channels.count(it->second)) {
            errs.push_back({"channel", "not_one_of", "form, email, phone, telegram, webhook, manual, import, none"});
        } else {
            q.channel = it->second;
        }
    }
    if (auto it = params.find("currency"); it != params.end() && !it->second.empty()) {
        bool ok = it->second.size() == 3;
        for (char c : it->second) ok = ok && c >= 'A' && c <= 'Z';
        if (!ok) {
            errs.push_back({"currency", "invalid", ""});
        } else {
            q.currency = it->second;
        }
    }
    if (auto it = params.find("by"); it != params.end() && !it->second.empty()) {
        if (it->second != "person" && it->second != "team" && it->second != "channel" && it->second != "product") {
            errs.push_back({"by", "not_one_of", "person, team, channel, product"});
        } else {
            q.by = it->second;
        }
    }
    if (!errs.empty()) return Error{ErrorCode::kBadRequest, {}, std::move(errs), 0};
    return q;
}

std::map<std::string, std::string> QueryParams(const ReportQuery& q) {
    std::map<std::string, std::string> out;
    if (q.from) out["from"] = *q.from;
    if (q.to) out["to"] = *q.to;
    if (q.period) out["period"] = *q.period;
    if (q.pipeline_id) out["pipeline_id"] = std::to_string(*q.pipeline_id);
    if (q.department_id) out["department_id"] = std::to_string(*q.department_id);
    if (q.product_id) out["product_id"] = std::to_string(*q.product_id);
    if (q.owner) out["owner"] = *q.owner;
    if (q.channel) out["channel"] = *q.channel;
    if (q.currency != "RUB") out["currency"] = q.currency;
    if (!q.by.empty()) out["by"] = q.by;
    return out;
}

// ---- reports ----

namespace {

// The period's local day numbers (the rollups' days).
rollup::Days DaysOf(const Scope& s) {
    return {*DayNumber(s.from), *DayNumber(s.to)};
}

// Funnel of deals created in the period, for one pipeline: from the rollups when `rollups` and the filters allow
// (counts per day, completed stays for the median), else from the deals themselves.
FunnelReport BuildFunnelReport(soci::session& sql, const core::Actor& a, const Context& ctx, const Resolved& r,
                               std::vector<DealFact>* keep = nullptr, bool rollups = false) {
    FunnelReport out;
    out.scope = r.scope;
    if (!r.filter.pipeline_id) return out;
    out.stages = store::SelectStages(sql, a.workspace_id, *r.filter.pipeline_id);
    const auth::Predicate visible = ctx.vis.Read("d");
    if (rollups && !keep && rollup::Covers(r.filter, r.by)) {
        auto cells = rollup::FunnelCells(sql, a.workspace_id, r.filter, DaysOf(r.scope), r.by, visible);
        auto stays = rollup::FunnelStays(sql, a.workspace_id, r.filter, DaysOf(r.scope), r.by, visible);
        std::vector<FunnelCell> all;
        std::map<std::string, std::vector<FunnelCell>> groups;
        for (auto& [k, c] : cells) {
            all.push_back(c);
            if (!r.by.empty()) groups[k].push_back(c);
        }
        out.total = BuildFunnelFromCells(out.stages, all, std::move(stays.total));
        if (!r.by.empty()) {
            std::set<std::string> keys;
            for (const auto& [k, v] : groups) keys.insert(k);
            auto labels = LabelsFor(sql, a.workspace_id, r.by, a.lang, keys);
            for (const auto& [k, v] : groups)
                out.groups.push_back({{k, labels[k]}, BuildFunnelFromCells(out.stages, v, std::move(stays.groups[k]))});
        }
        return out;
    }
    auto deals = store::SelectDeals(sql, a.workspace_id, r.filter, store::PeriodOn::kCreated, visible);
    auto ptrs = Pointers(deals);
    out.total = BuildFunnel(out.stages, ptrs);
    if (!r.by.empty()) {
        std::map<std::string, std::vector<const DealFact*>> groups;
        for (const auto* d : ptrs)
            for (const auto& k : GroupKeys(*d, r.by)) groups[k].push_back(d);
        std::set<std::string> keys;
        for (const auto& [k, v] : groups) keys.insert(k);
        auto labels = LabelsFor(sql, a.workspace_id, r.by, a.lang, keys);
        for (const auto& [k, v] : groups) out.groups.push_back({{k, labels[k]}, BuildFunnel(out.stages, v)});
    }
    if (keep) *keep = std::move(deals);
    return out;
}

}  // namespace

bool ReportsService::EnsureRollups(core::Id ws) {
    if (!config_.use_rollups) return false;
    auto fresh =
        db_.Read([&](soci::session& sql) { return rollup::Fresh(sql, ws, org::store::WorkspaceTimeZone(sql, ws)); });
    if (fresh) return true;
    auto built = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const std::string tz = org::store::WorkspaceTimeZone(sql, ws);
        if (!rollup::Fresh(sql, ws, tz)) rollup::Rebuild(sql, ws, tz, clock_.NowMs());
        return core::Ok();
    });
    if (!built) spdlog::warn("reports: rollups of workspace {} not built; reading raw rows", ws);
    return built.ok();
}

core::Result<FunnelReport> ReportsService::FunnelOf(const core::Actor& a, const ReportQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    OTDEL_TRY_VOID(CheckBy(q.by, {"person", "team", "channel"}));
    const bool rollups = EnsureRollups(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<FunnelReport> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        auto r = Resolve(sql, a, ctx, q, true);
        if (!r) return r.take_error();
        return BuildFunnelReport(sql, a, ctx, *r, nullptr, rollups);
    });
}

core::Result<WinLossReport> ReportsService::WinLossOf(const core::Actor& a, const ReportQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    OTDEL_TRY_VOID(CheckBy(q.by, {"person", "team", "channel", "product"}));
    const bool rollups = EnsureRollups(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<WinLossReport> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        auto r = Resolve(sql, a, ctx, q, false);
        if (!r) return r.take_error();
        const auth::Predicate visible = ctx.vis.Read("d");
        WinLossReport out;
        out.scope = r->scope;
        const std::string by = r->by.empty() ? "person" : r->by;
        if (rollups && rollup::Covers(r->filter, by)) {
            out.data = BuildWinLossFromCells(rollup::WinLossCells(sql, r->filter, DaysOf(r->scope), by, visible));
        } else {
            auto deals = store::SelectDeals(sql, a.workspace_id, r->filter, store::PeriodOn::kClosed, visible);
            out.data = BuildWinLoss(Pointers(deals), by);
        }
        std::set<std::string> keys;
        for (const auto& row : out.data.rows) keys.insert(row.key);
        out.labels = LabelsFor(sql, a.workspace_id, by, a.lang, keys);
        auto reasons = store::LossReasonNames(sql, a.workspace_id);
        for (const auto& lr : out.data.reasons) {
            const std::string key = lr.reason ? std::to_string(*lr.reason) : "";
            auto it = lr.reason ? reasons.find(*lr.reason) : reasons.end();
            out.reason_labels[key] = it == reasons.end()
                                         ? std::string(Tr(a.lang, "Причина не указана", "No reason given"))
                                         : (a.lang == core::Lang::kEn ? it->second.second : it->second.first);
        }
        return out;
    });
}

core::Result<ActivityReportOut> ReportsService::ActivityOf(const core::Actor& a, const ReportQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    const bool rollups = EnsureRollups(a.workspace_id);
    return db_.Read([&](soci::session& sql) -> core::Result<ActivityReportOut> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        auto r = Resolve(sql, a, ctx, q, false);
        if (!r) return r.take_error();
        const auth::Predicate deals_visible = ctx.vis.Read("d");
        const auth::Predicate acts_visible = ctx.vis.Read("a");
        const auth::Predicate la_visible = ctx.vis.Read("la", "user_id");
        store::Filter people = r->filter;  // activities and responses: person filters only
        auto responses = store::SelectResponses(sql, a.workspace_id, people, ctx.tz, la_visible);
        ActivityReportOut out;
        out.scope = r->scope;
        if (rollups && rollup::Covers(r->filter, "")) {
            out.data = BuildActivityFromCells(
                rollup::ActivityDayCells(sql, r->filter, DaysOf(r->scope), acts_visible, deals_visible), responses);
        } else {
            auto acts = store::SelectActivities(sql, a.workspace_id, people, ctx.tz, acts_visible);
            auto deals =
                store::SelectDeals(sql, a.workspace_id, r->filter, store::PeriodOn::kCreatedOrClosed, deals_visible);
            std::vector<DealDays> days;
            LocalDays local(ctx.tz);
            for (const auto& d : deals) {
                DealDays dd{&d, "", ""};
                if (d.created_at >= r->filter.from && d.created_at < r->filter.to)
                    dd.created_day = local.Of(d.created_at);
                if (d.closed_at && *d.closed_at >= r->filter.from && *d.closed_at < r->filter.to)
                    dd.closed_day = local.Of(*d.closed_at);
                days.push_back(dd);
            }
            out.data = BuildActivity(acts, days, responses);
        }
        std::set<std::string> keys;
        for (const auto& row : out.data.by_person) keys.insert(row.owner ? std::to_string(*row.owner) : "");
        out.labels = LabelsFor(sql, a.workspace_id, "person", a.lang, keys);
        return out;
    });
}

core::Result<ForecastReport> ReportsService::ForecastOf(const core::Actor& a, const ReportQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<ForecastReport> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        auto r = Resolve(sql, a, ctx, q, true);
        if (!r) return r.take_error();
        ForecastReport out;
        out.scope = r->scope;
        if (!r->filter.pipeline_id) return out;
        const auto stages = store::SelectStages(sql, a.workspace_id, *r->filter.pipeline_id);
        const auth::Predicate visible = ctx.vis.Read("d");
        // Every deal of the pipeline: the open ones are forecast, the closed ones are the history (the lean read).
        auto deals = store::SelectForecastDeals(sql, a.workspace_id, r->filter, visible);
        auto ptrs = Pointers(deals);
        out.weighted = WeightedPipeline(stages, ptrs);
        for (const auto& w : out.weighted) {
            out.weighted_total += w.weighted;
            out.open_total += w.amount;
        }
        // Categories: the open deals and those won in the period.
        std::vector<const DealFact*> in_period;
        for (const auto* d : ptrs)
            if (d->status == "open" ||
                (d->status == "won" && d->closed_at && *d->closed_at >= r->filter.from && *d->closed_at < r->filter.to))
                in_period.push_back(d);
        out.categories = CategoriesByTree(store::SelectDepartments(sql, a.workspace_id), in_period);
        const core::Millis as_of = std::clamp(now, r->filter.from, r->filter.to);
        std::vector<std::pair<core::Millis, core::Millis>> periods;
        for (const auto& [f, t] : PreviousPeriods(r->scope.from, r->scope.to, kBacktestPeriods))
            periods.emplace_back(*DayStartMs(ctx.tz, f), *DayStartMs(ctx.tz, AddDays(t, 1)));
        std::tie(out.statistical, out.backtest) =
            ForecastWithBacktest(stages, ptrs, r->filter.from, r->filter.to, as_of, periods);
        return out;
    });
}

core::Result<PlanFactReport> ReportsService::PlanFactOf(const core::Actor& a, const ReportQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    PlanFactReport out;
    auto scope = db_.Read([&](soci::session& sql) -> core::Result<Resolved> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        return Resolve(sql, a, ctx, q, false);
    });
    if (!scope) return scope.take_error();
    out.scope = scope->scope;
    if (!plan_fact_) return out;
    auto lines = plan_fact_(a, out.scope.from, out.scope.to, scope->filter.owner, q.department_id);
    if (!lines) return lines.take_error();
    out.lines = std::move(*lines);
    out.available = true;
    return out;
}

// ---- drill-down ----

core::Result<Drilldown> ReportsService::DrillDown(const core::Actor& a, const std::string& report, const ReportQuery& q,
                                                  const Cell& cell) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (report == "plan_fact") return DrillPlanFact(a, q, cell);  // reports_drill.cpp
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<Drilldown> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        auto r = Resolve(sql, a, ctx, q, report == "funnel" || report == "forecast");
        if (!r) return r.take_error();
        Drilldown out;
        std::vector<core::Id> deal_ids, act_ids, response_ids;
        auto take = [&](const DealFact& d) {
            deal_ids.push_back(d.id);
            ++out.count;
            out.amount_minor += d.amount_minor;
        };
        auto in_group = [&](const DealFact& d) {
            if (!cell.key) return true;
            const auto keys = GroupKeys(d, r->by);
            return std::find(keys.begin(), keys.end(), *cell.key) != keys.end();
        };
        const auth::Predicate visible = ctx.vis.Read("d");
        if (report == "funnel") {
            if (!cell.stage_id) return BadField("stage_id", "required");
            if (cell.measure != "reached" && cell.measure != "current")
                return BadField("measure", "not_one_of", "reached, current");
            if (!r->filter.pipeline_id) return BadField("pipeline_id", "required");
            const auto stages = store::SelectStages(sql, a.workspace_id, *r->filter.pipeline_id);
            const StageInfo* stage = nullptr;
            for (const auto& s : stages)
                if (s.id == *cell.stage_id) stage = &s;
            if (!stage) return BadField("stage_id", "not_found");
            auto deals = store::SelectDeals(sql, a.workspace_id, r->filter, store::PeriodOn::kCreated, visible);
            for (const auto& d : deals) {
                if (!in_group(d)) continue;
                const bool hit = cell.measure == "reached" ? Reached(stages, *stage, d) : d.stage_id == stage->id;
                if (hit) take(d);
            }
        } else if (report == "win_loss") {
            if (cell.measure != "won" && cell.measure != "lost" && cell.measure != "closed" && cell.measure != "reason")
                return BadField("measure", "not_one_of", "won, lost, closed, reason");
            auto deals = store::SelectDeals(sql, a.workspace_id, r->filter, store::PeriodOn::kClosed, visible);
            for (const auto& d : deals) {
                if (d.status != "won" && d.status != "lost") continue;
                if (cell.measure == "reason") {
                    if (d.status != "lost") continue;
                    if (cell.reason_id ? d.loss_reason != cell.reason_id : d.loss_reason.has_value()) continue;
                } else {
                    if (cell.measure != "closed" && d.status != cell.measure) continue;
                    if (cell.key) {
                        const auto keys = GroupKeys(d, r->by.empty() ? "person" : r->by);
                        if (std::find(keys.begin(), keys.end(), *cell.key) == keys.end()) continue;
                    }
                }
                take(d);
            }
        } else if (report == "forecast") {
            if (!r->filter.pipeline_id) return BadField("pipeline_id", "required");
            auto deals = store::SelectDeals(sql, a.workspace_id, r->filter, store::PeriodOn::kNone, visible);
            if (cell.measure == "weighted") {
                if (!cell.stage_id) return BadField("stage_id", "required");
                for (const auto& d : deals)
                    if (d.status == "open" && d.stage_id == *cell.stage_id) take(d);
            } else if (cell.measure == "category") {
                if (!cell.key) return BadField("key", "required");
                std::optional<std::set<core::Id>> depts;
                if (cell.department_id)
                    depts = Subtree(store::SelectDepartments(sql, a.workspace_id), *cell.department_id);
                for (const auto& d : deals) {
                    std::string cat;
                    if (d.status == "won" && d.closed_at && *d.closed_at >= r->filter.from &&
                        *d.closed_at < r->filter.to)
                        cat = "closed";
                    else if (d.status == "open")
                        cat = d.forecast_category == "commit" || d.forecast_category == "best_case"
                                  ? d.forecast_category
                                  : "pipeline";
                    if (cat != *cell.key) continue;
                    if (depts && (!d.department || !depts->count(*d.department))) continue;
                    take(d);
                }
            } else {
                return BadField("measure", "not_one_of", "weighted, category");
            }
        } else if (report == "activity") {
            static const std::set<std::string> act_measures = {"calls", "meetings", "tasks", "tasks_done", "emails"};
            static const std::map<std::string, std::string> kinds = {{"calls", "call"},
                                                                     {"meetings", "meeting"},
                                                                     {"tasks", "task"},
                                                                     {"tasks_done", "task"},
                                                                     {"emails", "email"}};
            std::optional<std::optional<core::Id>> owner;  // set: only this owner (inner nullopt: nobody)
            if (cell.owner) {
                if (*cell.owner == "none") {
                    owner = std::optional<core::Id>();
                } else if (auto id = ParseId(*cell.owner)) {
                    owner = std::optional<core::Id>(*id);
                } else {
                    return BadField("cell_owner", "invalid");
                }
            }
            if (act_measures.count(cell.measure)) {
                const auth::Predicate acts_visible = ctx.vis.Read("a");
                auto acts = store::SelectActivities(sql, a.workspace_id, r->filter, ctx.tz, acts_visible);
                for (const auto& x : acts) {
                    if (x.kind != kinds.at(cell.measure)) continue;
                    if (cell.measure == "tasks_done" && !x.done) continue;
                    if (owner && x.owner != *owner) continue;
                    if (cell.day && x.day != *cell.day) continue;
                    act_ids.push_back(x.id);
                    ++out.count;
                }
            } else if (cell.measure == "deals_created" || cell.measure == "deals_won") {
                auto deals = store::SelectDeals(
                    sql, a.workspace_id, r->filter,
                    cell.measure == "deals_won" ? store::PeriodOn::kClosed : store::PeriodOn::kCreated, visible);
                for (const auto& d : deals) {
                    if (cell.measure == "deals_won" && d.status != "won") continue;
                    if (owner && d.owner != *owner) continue;
                    if (cell.day && org::LocalDateText(
                                        ctx.tz, cell.measure == "deals_won" ? *d.closed_at : d.created_at) != *cell.day)
                        continue;
                    take(d);
                }
            } else if (cell.measure == "leads_taken" || cell.measure == "responded" || cell.measure == "breaches") {
                // The lead assignments behind the lead and SLA columns: the rows BuildActivity counts.
                const auth::Predicate la_visible = ctx.vis.Read("la", "user_id");
                auto given = store::SelectResponses(sql, a.workspace_id, r->filter, ctx.tz, la_visible);
                for (const auto& x : given) {
                    if (owner && x.owner != *owner) continue;
                    if (cell.day && x.day != *cell.day) continue;
                    if (cell.measure == "responded" && !x.response_ms) continue;
                    if (cell.measure == "breaches" && !x.breached) continue;
                    response_ids.push_back(x.id);
                    ++out.count;
                }
            } else {
                return BadField("measure", "not_one_of",
                                "calls, meetings, tasks, tasks_done, emails, deals_created, deals_won, leads_taken, "
                                "responded, breaches");
            }
        } else {
            return Error::Of(ErrorCode::kNotFound);
        }
        const std::size_t cap = static_cast<std::size_t>(config_.max_drill_rows);
        if (report == "activity" &&
            (cell.measure == "leads_taken" || cell.measure == "responded" || cell.measure == "breaches")) {
            out.kind = "responses";
            out.truncated = response_ids.size() > cap;
            if (out.truncated) response_ids.resize(cap);
            out.responses = store::ResponseRows(sql, a.workspace_id, response_ids);
            return out;
        }
        if (!act_ids.empty() || (report == "activity" && deal_ids.empty() && cell.measure.rfind("deals", 0) != 0)) {
            out.kind = "activities";
            out.truncated = act_ids.size() > cap;
            if (out.truncated) act_ids.resize(cap);
            out.activities = store::ActivityRows(sql, a.workspace_id, act_ids);
        } else {
            out.kind = "deals";
            out.truncated = deal_ids.size() > cap;
            if (out.truncated) deal_ids.resize(cap);
            out.deals = store::DealRows(sql, a.workspace_id, deal_ids);
        }
        return out;
    });
}

// ---- tables and exports ----

core::Result<Table> ReportsService::TableOf(const core::Actor& a, const std::string& report, const ReportQuery& q) {
    const core::Lang L = a.lang;
    Table t;
    auto period = [&](const Scope& s) { return " " + s.from + " — " + s.to; };
    if (report == "funnel") {
        auto f = FunnelOf(a, q);
        if (!f) return f.take_error();
        t.title = Tr(L, "Воронка", "Funnel") + period(f->scope);
        t.columns = {Tr(L, "Группа", "Group"),
                     Tr(L, "Этап", "Stage"),
                     Tr(L, "Дошли", "Reached"),
                     Tr(L, "Сумма дошедших", "Reached amount"),
                     Tr(L, "Сейчас на этапе", "Now in stage"),
                     Tr(L, "Сумма сейчас", "Amount now"),
                     Tr(L, "Конверсия, %", "Conversion, %"),
                     Tr(L, "Медиана на этапе, дн.", "Median days in stage")};
        auto add = [&](const std::string& group, const Funnel& fn) {
            for (const auto& s : fn.stages)
                t.rows.push_back({Text(group), Text(s.name), Num(s.reached), MoneyCell(s.reached_amount),
                                  Num(s.current), MoneyCell(s.current_amount), PctCell(s.conversion_bp),
                                  Days(s.median_stay_ms)});
        };
        add(Tr(L, "Все", "All"), f->total);
        for (const auto& g : f->groups) add(g.group.label, g.funnel);
    } else if (report == "win_loss") {
        auto w = WinLossOf(a, q);
        if (!w) return w.take_error();
        t.title = Tr(L, "Выигрыши и проигрыши", "Win/loss") + period(w->scope);
        t.columns = {Tr(L, "Группа", "Group"),
                     Tr(L, "Выиграно", "Won"),
                     Tr(L, "Проиграно", "Lost"),
                     Tr(L, "Доля выигрышей, %", "Win rate, %"),
                     Tr(L, "Сумма выигранных", "Won amount"),
                     Tr(L, "Сумма проигранных", "Lost amount")};
        auto row = [&](const std::string& label, const WinLossRow& r) {
            t.rows.push_back({Text(label), Num(r.won), Num(r.lost), PctCell(r.win_rate_bp), MoneyCell(r.won_amount),
                              MoneyCell(r.lost_amount)});
        };
        row(Tr(L, "Итого", "Total"), w->data.total);
        for (const auto& r : w->data.rows) row(w->labels[r.key], r);
        for (const auto& lr : w->data.reasons) {
            const std::string key = lr.reason ? std::to_string(*lr.reason) : "";
            t.rows.push_back({Text(std::string(Tr(L, "Причина: ", "Reason: ")) + w->reason_labels[key]), Text(""),
                              Num(lr.count), Text(""), Text(""), MoneyCell(lr.amount)});
        }
    } else if (report == "activity") {
        auto r = ActivityOf(a, q);
        if (!r) return r.take_error();
        t.title = Tr(L, "Активность менеджеров", "Manager activity") + period(r->scope);
        t.columns = {Tr(L, "Сотрудник", "Person"),
                     Tr(L, "День", "Day"),
                     Tr(L, "Звонки", "Calls"),
                     Tr(L, "Встречи", "Meetings"),
                     Tr(L, "Задачи", "Tasks"),
                     Tr(L, "Задачи выполнены", "Tasks done"),
                     Tr(L, "Письма", "E-mails"),
                     Tr(L, "Сделки созданы", "Deals created"),
                     Tr(L, "Сделки выиграны", "Deals won"),
                     Tr(L, "Заявки", "Leads taken"),
                     Tr(L, "Нарушения SLA", "SLA breaches"),
                     Tr(L, "Медиана ответа, мин", "Median response, min")};
        auto row = [&](const ActivityRow& x) {
            const std::string name = r->labels[x.owner ? std::to_string(*x.owner) : ""];
            t.rows.push_back({Text(name), Text(x.day), Num(x.calls), Num(x.meetings), Num(x.tasks), Num(x.tasks_done),
                              Num(x.emails), Num(x.deals_created), Num(x.deals_won), Num(x.leads_taken),
                              Num(x.breaches), Minutes(x.response_median_ms)});
        };
        for (const auto& x : r->data.by_person_day) row(x);
    } else if (report == "forecast") {
        auto f = ForecastOf(a, q);
        if (!f) return f.take_error();
        t.title = Tr(L, "Прогноз", "Forecast") + period(f->scope);
        t.columns = {Tr(L, "Строка", "Line"), Tr(L, "Вероятность, %", "Probability, %"), Tr(L, "Сделки", "Deals"),
                     Tr(L, "Сумма", "Amount"), Tr(L, "Взвешенная сумма", "Weighted")};
        for (const auto& w : f->weighted)
            t.rows.push_back(
                {Text(w.name), Num(w.probability), Num(w.deals), MoneyCell(w.amount), MoneyCell(w.weighted)});
        t.rows.push_back({Text(Tr(L, "Итого взвешенная воронка", "Weighted pipeline total")), Text(""), Text(""),
                          MoneyCell(f->open_total), MoneyCell(f->weighted_total)});
        t.rows.push_back({Text(Tr(L, "Статистический прогноз", "Statistical forecast")), Text(""),
                          Num(f->statistical.open_deals), Text(""), MoneyCell(f->statistical.expected)});
        t.rows.push_back({Text(Tr(L, "Ошибка на истории (MAPE), %", "Backtested error (MAPE), %")),
                          PctCell(f->backtest.mape_bp), Text(""), Text(""), Text("")});
    } else if (report == "plan_fact") {
        auto p = PlanFactOf(a, q);
        if (!p) return p.take_error();
        t.title = Tr(L, "План и факт", "Plan vs fact") + period(p->scope);
        t.columns = {Tr(L, "Чей план", "Whose"), Tr(L, "Показатель", "Metric"),     Tr(L, "План", "Plan"),
                     Tr(L, "Факт", "Fact"),      Tr(L, "Выполнение, %", "Done, %"), Tr(L, "Темп, %", "Pace, %")};
        for (const auto& l : p->lines) {
            const bool money = l.metric == "revenue";
            t.rows.push_back({Text(l.label), Text(l.metric), money ? MoneyCell(l.plan) : Num(l.plan),
                              money ? MoneyCell(l.fact) : Num(l.fact), PctCell(l.percent_bp), PctCell(l.pace_bp)});
        }
    } else {
        return Error::Of(ErrorCode::kNotFound);
    }
    return t;
}

namespace {

// A report's table as a file: CSV (UTF-8 with a BOM) or XLSX; text cells that a spreadsheet would run are neutralised.
core::Result<ExportFile> FileOf(const Table& t, const std::string& report, const std::string& format) {
    ExportFile f;
    f.file_name = report + "." + format;
    if (format == "csv") {
        f.content_type = "text/csv; charset=utf-8";
        std::vector<std::string> cells;
        for (const auto& c : t.columns) cells.push_back(imports::NeutraliseCell(c));
        f.bytes = "\xEF\xBB\xBF" + imports::CsvLine(cells);
        for (const auto& row : t.rows) {
            cells.clear();
            for (const auto& c : row) cells.push_back(imports::NeutraliseCell(c.text));
            f.bytes += imports::CsvLine(cells);
        }
    } else {
        f.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        XlsxSheet sheet;
        sheet.title = t.title;
        sheet.columns = t.columns;
        for (const auto& row : t.rows) {
            std::vector<XlsxCell> cells;
            for (const auto& c : row) cells.push_back({imports::NeutraliseCell(c.text), c.number});
            sheet.rows.push_back(std::move(cells));
        }
        auto bytes = WriteXlsx(sheet);
        if (!bytes) return bytes.take_error();
        f.bytes = std::move(*bytes);
    }
    return f;
}

}  // namespace

core::Result<ExportFile> ReportsService::Export(const core::Actor& a, const std::string& report, const ReportQuery& q,
                                                const std::string& format) {
    OTDEL_TRY_VOID(SignedIn(a));
    auto allowed = db_.Read(
        [&](soci::session& sql) { return ContextOf(sql, a, clock_.NowMs()).vis.Can(Action::kExport, kReport); });
    if (!allowed) return Error::Of(ErrorCode::kForbidden, "reports.export_forbidden");
    if (format != "csv" && format != "xlsx") return BadField("format", "not_one_of", "csv, xlsx");
    auto t = TableOf(a, report, q);
    if (!t) return t.take_error();
    return FileOf(*t, report, format);
}

// ---- dashboards ----

core::Result<Dashboard> ReportsService::DashboardOf(const core::Actor& a, std::optional<std::string> kind) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto who = db_.Read([&](soci::session& sql) -> core::Result<std::string> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        if (ctx.vis.caller().unrestricted || ctx.vis.Can(Action::kUpdate, "plan")) return std::string("head");
        if (ctx.vis.scope() == auth::Scope::kReadAll) return std::string("analyst");
        return std::string("seller");
    });
    if (!who) return who.take_error();
    if (!kind) kind = *who;
    if (*kind != "head" && *kind != "seller" && *kind != "analyst")
        return BadField("kind", "not_one_of", "head, seller, analyst");
    Dashboard d;
    d.kind = *kind;
    ReportQuery month;
    month.period = "month";
    if (d.kind == "seller") month.owner = "me";
    ReportQuery today = month;
    today.period = "today";

    auto funnel = FunnelOf(a, month);
    if (!funnel) return funnel.take_error();
    d.funnel = std::move(*funnel);
    d.scope = d.funnel.scope;
    // A role without plans (the plans room refuses it) still gets the rest of its page.
    if (auto plan = PlanFactOf(a, month)) {
        d.plan = std::move(*plan);
    } else {
        d.plan.scope = d.scope;
    }
    auto act = ActivityOf(a, today);
    if (!act) return act.take_error();
    d.today = std::move(*act);
    if (d.kind == "head" || d.kind == "analyst") {
        ReportQuery by_person = month;
        by_person.by = "person";
        auto wl = WinLossOf(a, by_person);
        if (!wl) return wl.take_error();
        // Leaders and laggards: the people with closed deals this month, by money won.
        std::vector<WinLossRow> rows;
        for (const auto& r : wl->data.rows)
            if (!r.key.empty()) rows.push_back(r);
        std::stable_sort(rows.begin(), rows.end(), [](const WinLossRow& x, const WinLossRow& y) {
            return x.won_amount != y.won_amount ? x.won_amount > y.won_amount : x.won > y.won;
        });
        for (std::size_t i = 0; i < rows.size() && i < 3; ++i) d.leaders.push_back(rows[i]);
        for (std::size_t i = rows.size(); i > 0 && d.laggards.size() < 3 && rows.size() > 3; --i)
            if (i - 1 >= 3) d.laggards.push_back(rows[i - 1]);
        d.labels = wl->labels;
        if (d.kind == "analyst") d.win_loss = std::move(*wl);
    }
    if (d.kind == "head") {
        auto r = db_.Read([&](soci::session& sql) {
            const auto ctx = ContextOf(sql, a, now);
            const auth::Predicate leads = ctx.vis.Read("l");
            d.sla = store::SelectSla(sql, a.workspace_id, now, d.scope.from_ms, d.scope.to_ms, leads);
            const auth::Predicate deals = ctx.vis.Read("d");
            d.overdue = store::SelectOverdueInvoices(sql, a.workspace_id, ctx.today, deals);
            for (const auto& o : d.overdue) d.overdue_total += o.due_minor;
            return 0;
        });
        (void)r;
    }
    if (d.kind == "analyst") {
        auto f = ForecastOf(a, month);
        if (!f) return f.take_error();
        d.forecast = std::move(*f);
    }
    return d;
}

// ---- schedules ----

namespace {

core::Result<void> CheckRecipients(const std::vector<std::string>& list) {
    std::vector<core::FieldError> errs;
    if (list.empty()) errs.push_back({"recipients", "required", ""});
    if (list.size() > kMaxRecipients) errs.push_back({"recipients", "too_many", std::to_string(kMaxRecipients)});
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& e = list[i];
        const auto at = e.find('@');
        const bool ok = at != std::string::npos && at > 0 && at + 1 < e.size() && e.size() <= 254 &&
                        e.find_first_of(" \t\r\n,;<>") == std::string::npos && e.find('.', at) != std::string::npos;
        if (!ok) errs.push_back({"recipients/" + std::to_string(i), "invalid_email", ""});
    }
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

json::object FiltersJson(const std::map<std::string, std::string>& m) {
    json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return o;
}

std::map<std::string, std::string> FiltersOf(const std::string& text) {
    std::map<std::string, std::string> out;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, x] : v.as_object())
        if (x.is_string()) out[std::string(k)] = std::string(x.as_string());
    return out;
}

json::object ScheduleSnapshot(const store::Schedule& s) {
    return json::object{{"report", s.report},       {"filters", s.filters},         {"recipients", s.recipients},
                        {"every", s.cadence.every}, {"weekday", s.cadence.weekday}, {"day", s.cadence.day},
                        {"hour", s.cadence.hour}};
}

void ScheduleJob(soci::session& sql, core::Id ws, const store::Schedule& s, core::Millis now) {
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kDeliverJob;
    spec.payload = json::object{{"schedule_id", s.id}, {"at", s.next_run_at}};
    spec.run_at = s.next_run_at;
    spec.dedupe_key = "schedule:" + std::to_string(s.id) + ":" + std::to_string(s.next_run_at);
    jobs::JobStore::Schedule(sql, spec, now);
}

}  // namespace

void ReportsService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler_ = &scheduler;
    scheduler.Register(kDeliverJob, [this](const jobs::JobContext& ctx) -> core::Result<void> {
        const auto* id = ctx.job.payload.if_contains("schedule_id");
        const auto* at = ctx.job.payload.if_contains("at");
        if (!id || !id->is_int64() || !at || !at->is_int64()) return core::Ok();
        // A stale timer (the schedule was changed, deleted or already sent for this time) does nothing.
        auto current = db_.Read(
            [&](soci::session& sql) { return store::SelectSchedule(sql, ctx.job.workspace_id, id->as_int64()); });
        if (!current || current->next_run_at != at->as_int64()) return core::Ok();
        return Deliver(ctx.job.workspace_id, id->as_int64(), ctx.now, false);
    });
}

core::Result<void> ReportsService::Deliver(core::Id ws, core::Id schedule_id, core::Millis now, bool keep_next) {
    auto s = db_.Read([&](soci::session& sql) { return store::SelectSchedule(sql, ws, schedule_id); });
    if (!s) return core::Ok();
    const core::Lang lang = s->lang == "en" ? core::Lang::kEn : core::Lang::kRu;
    const core::Actor owner =
        core::Actor::SignedIn(core::ActorKind::kUser, ws, s->owner_user_id, false, lang, "report-schedule", "", "");
    std::string error;
    auto q = ParseQuery(FiltersOf(s->filters));
    if (!q) {
        error = "filters";
    } else {
        auto table = TableOf(owner, s->report, *q);
        if (!table) {
            error = std::string(core::ErrorCodeName(table.error().code));
        } else if (!mailer_) {
            error = "mail_off";
        } else {
            mail::OutgoingMail m;
            m.subject = std::string(Tr(lang, "Отчёт: ", "Report: ")) + table->title;
            m.text = table->title + "\n\n";
            for (std::size_t i = 0; i < table->columns.size(); ++i) m.text += (i ? " | " : "") + table->columns[i];
            m.text += "\n";
            for (const auto& row : table->rows) {
                for (std::size_t i = 0; i < row.size(); ++i) m.text += (i ? " | " : "") + row[i].text;
                m.text += "\n";
            }
            m.text += "\n" + std::string(Tr(lang, "Открыть в Отделе: ", "Open in Otdel: ")) + config_.public_url +
                      "/reports/" + s->report + "\n";
            // The table as XLSX and CSV, when the schedule's owner may export it (the same right as the download).
            const bool may_export = db_.Read(
                [&](soci::session& sql) { return ContextOf(sql, owner, now).vis.Can(Action::kExport, kReport); });
            for (const char* format : {"xlsx", "csv"}) {
                if (!may_export) break;
                auto file = FileOf(*table, s->report, format);
                if (file) m.attachments.push_back({file->file_name, file->content_type, std::move(file->bytes)});
            }
            boost::system::error_code ec;
            auto list = json::parse(s->recipients, ec);
            if (!ec && list.is_array()) {
                for (const auto& r : list.as_array()) {
                    if (!r.is_string()) continue;
                    m.to = std::string(r.as_string());
                    auto sent = mailer_->Send(m);
                    if (!sent && sent.error().code == ErrorCode::kPayloadTooLarge) {
                        // Too big for any retry to help: recorded on the schedule, the next time comes as usual.
                        error = "attachment_too_large";
                        break;
                    }
                    if (!sent) {
                        // The transport failed: the job retries later with the same timer.
                        return Error::Of(ErrorCode::kUnavailable);
                    }
                }
            }
        }
    }
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto cur = store::SelectSchedule(sql, ws, schedule_id);
        if (!cur) return core::Ok();
        if (error.empty()) {
            cur->last_sent_at = now;
            ++cur->sent_count;
        }
        cur->last_error = error;
        if (!keep_next) {
            const std::string tz = org::store::WorkspaceTimeZone(sql, ws);
            cur->next_run_at = NextRun(cur->cadence, tz, now);
            ScheduleJob(sql, ws, *cur, now);
        }
        cur->updated_at = now;
        store::UpdateSchedule(sql, ws, *cur);
        if (!error.empty()) spdlog::warn("report schedule {} of workspace {}: {}", schedule_id, ws, error);
        return core::Ok();
    });
}

core::Result<std::vector<store::Schedule>> ReportsService::ListSchedules(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::Schedule>> {
        const auto ctx = ContextOf(sql, a, clock_.NowMs());
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        return store::ListSchedules(sql, a.workspace_id,
                                    ctx.vis.caller().unrestricted ? std::nullopt : std::optional<core::Id>(a.user_id));
    });
}

namespace {

core::Result<void> ApplyInput(store::Schedule& s, const ScheduleInput& in, bool create) {
    std::vector<core::FieldError> errs;
    if (in.report) {
        if (std::find(ReportNames().begin(), ReportNames().end(), *in.report) == ReportNames().end())
            errs.push_back({"report", "not_one_of", "funnel, activity, plan_fact, win_loss, forecast"});
        s.report = *in.report;
    } else if (create) {
        errs.push_back({"report", "required", ""});
    }
    if (in.filters) {
        auto q = ParseQuery(*in.filters);
        if (!q) {
            for (auto& e : q.error().fields) errs.push_back({"filters/" + e.field, e.code, e.param});
        } else {
            s.filters = json::serialize(FiltersJson(QueryParams(*q)));
        }
    }
    if (in.recipients) {
        if (auto ok = CheckRecipients(*in.recipients); !ok) {
            for (auto& e : ok.error().fields) errs.push_back(e);
        } else {
            json::array arr;
            for (const auto& r : *in.recipients) arr.push_back(json::value(r));
            s.recipients = json::serialize(arr);
        }
    } else if (create) {
        errs.push_back({"recipients", "required", ""});
    }
    if (in.every) s.cadence.every = *in.every;
    if (in.weekday) s.cadence.weekday = *in.weekday;
    if (in.day) s.cadence.day = *in.day;
    if (in.hour) s.cadence.hour = *in.hour;
    for (auto& [f, c] : CheckCadence(s.cadence)) errs.push_back({f, c, ""});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
    return core::Ok();
}

}  // namespace

core::Result<store::Schedule> ReportsService::CreateSchedule(const core::Actor& a, const ScheduleInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<store::Schedule> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kForbidden);
        store::Schedule s;
        s.owner_user_id = a.user_id;
        s.lang = a.lang == core::Lang::kEn ? "en" : "ru";
        OTDEL_TRY_VOID(ApplyInput(s, in, true));
        s.next_run_at = NextRun(s.cadence, ctx.tz, now);
        s.created_at = s.updated_at = now;
        s.id = store::InsertSchedule(sql, a.workspace_id, s);
        ScheduleJob(sql, a.workspace_id, s, now);
        events::WriteAudit(sql, a, now,
                           {"report_schedule.create", "report_schedule", s.id, std::nullopt, ScheduleSnapshot(s)});
        return s;
    });
    if (r && scheduler_) scheduler_->Wake();
    return r;
}

core::Result<store::Schedule> ReportsService::UpdateSchedule(const core::Actor& a, core::Id id,
                                                             const ScheduleInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto r = db_.InTx([&](soci::session& sql) -> core::Result<store::Schedule> {
        const auto ctx = ContextOf(sql, a, now);
        if (!ctx.vis.Can(Action::kRead, kReport)) return Error::Of(ErrorCode::kNotFound);
        auto s = store::SelectSchedule(sql, a.workspace_id, id);
        if (!s || (s->owner_user_id != a.user_id && !ctx.vis.caller().unrestricted))
            return Error::Of(ErrorCode::kNotFound);
        const auto before = ScheduleSnapshot(*s);
        OTDEL_TRY_VOID(ApplyInput(*s, in, false));
        s->next_run_at = NextRun(s->cadence, ctx.tz, now);
        s->updated_at = now;
        store::UpdateSchedule(sql, a.workspace_id, *s);
        ScheduleJob(sql, a.workspace_id, *s, now);
        events::WriteAudit(sql, a, now,
                           {"report_schedule.update", "report_schedule", s->id, before, ScheduleSnapshot(*s)});
        return *s;
    });
    if (r && scheduler_) scheduler_->Wake();
    return r;
}

core::Result<void> ReportsService::DeleteSchedule(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const auto ctx = ContextOf(sql, a, now);
        auto s = store::SelectSchedule(sql, a.workspace_id, id);
        if (!s || (s->owner_user_id != a.user_id && !ctx.vis.caller().unrestricted))
            return Error::Of(ErrorCode::kNotFound);
        store::DeleteSchedule(sql, a.workspace_id, id, now);
        events::WriteAudit(sql, a, now,
                           {"report_schedule.delete", "report_schedule", id, ScheduleSnapshot(*s), std::nullopt});
        return core::Ok();
    });
}

core::Result<store::Schedule> ReportsService::SendNow(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    auto s = db_.Read([&](soci::session& sql) { return store::SelectSchedule(sql, a.workspace_id, id); });
    if (!s || (s->owner_user_id != a.user_id && !a.is_admin)) return Error::Of(ErrorCode::kNotFound);
    auto sent = Deliver(a.workspace_id, id, clock_.NowMs(), true);
    if (!sent) return Error::Of(ErrorCode::kUnavailable, "reports.mail_failed");
    auto after = db_.Read([&](soci::session& sql) { return store::SelectSchedule(sql, a.workspace_id, id); });
    if (!after) return Error::Of(ErrorCode::kNotFound);
    return *after;
}

}  // namespace otdel::reports
