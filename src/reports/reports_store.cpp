#include "reports/reports_store.hpp"

#include <algorithm>
#include <unordered_map>

namespace otdel::reports::store {
namespace {

// The deals a report reads, their owner's department and their source lead's channel.
constexpr const char* kDealFrom =
    " FROM deals d LEFT JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = d.owner_user_id "
    "LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "LEFT JOIN leads l ON l.workspace_id = d.workspace_id AND l.id = d.source_lead_id "
    "WHERE {visible} AND d.deleted_at IS NULL AND d.currency = :f_cur";
constexpr const char* kDealColumns =
    "SELECT d.id, d.pipeline_id, d.stage_id, d.owner_user_id, e.department_id, d.amount_minor, d.status, "
    "d.forecast_category, d.loss_reason_id, COALESCE(l.channel, ''), d.created_at, d.closed_at";
constexpr const char* kHistoryColumns = "SELECT h.deal_id, h.to_stage_id, h.at";
constexpr const char* kHistoryJoin =
    " FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id = h.deal_id "
    "LEFT JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = d.owner_user_id "
    "LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "LEFT JOIN leads l ON l.workspace_id = d.workspace_id AND l.id = d.source_lead_id "
    "WHERE {visible} AND d.deleted_at IS NULL AND d.currency = :f_cur";
constexpr const char* kProductColumns = "SELECT DISTINCT pl.deal_id, pl.product_id";
constexpr const char* kProductJoin =
    " FROM deal_lines pl JOIN deals d ON d.workspace_id = pl.workspace_id AND d.id = pl.deal_id "
    "LEFT JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = d.owner_user_id "
    "LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "LEFT JOIN leads l ON l.workspace_id = d.workspace_id AND l.id = d.source_lead_id "
    "WHERE {visible} AND d.deleted_at IS NULL AND d.currency = :f_cur AND pl.product_id IS NOT NULL";

constexpr const char* kActivities =
    "SELECT a.id, a.kind, a.owner_user_id, a.at, a.done FROM activities a "
    "LEFT JOIN employees e ON e.workspace_id = a.workspace_id AND e.user_id = a.owner_user_id "
    "LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "WHERE {visible} AND a.deleted_at IS NULL AND a.kind IN ('call', 'meeting', 'task', 'email') "
    "AND a.at >= :f_from AND a.at < :f_to";
constexpr const char* kResponses =
    "SELECT la.id, la.user_id, la.assigned_at, la.response_working_ms, la.breached_at FROM lead_assignments la "
    "LEFT JOIN employees e ON e.workspace_id = la.workspace_id AND e.user_id = la.user_id "
    "LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id "
    "WHERE {visible} AND la.user_id IS NOT NULL AND la.assigned_at >= :f_from AND la.assigned_at < :f_to";

constexpr const char* kStages =
    "SELECT s.id, s.name, s.position, s.probability, s.kind FROM pipeline_stages s JOIN pipelines p ON "
    "p.workspace_id = s.workspace_id AND p.id = s.pipeline_id WHERE s.workspace_id = :ws AND s.pipeline_id = :p "
    "AND s.archived_at IS NULL AND p.archived_at IS NULL ORDER BY s.position, s.id";
constexpr const char* kDefaultPipeline =
    "SELECT id FROM pipelines WHERE workspace_id = :ws AND archived_at IS NULL ORDER BY is_default DESC, position, id "
    "LIMIT 1";
constexpr const char* kDepartments =
    "SELECT id, parent_id, name FROM departments WHERE workspace_id = :ws AND archived_at IS NULL ORDER BY path, id";
constexpr const char* kDepartmentPath =
    "SELECT path FROM departments WHERE workspace_id = :ws AND id = :id AND archived_at IS NULL";
constexpr const char* kUserNames = "SELECT id, full_name FROM users WHERE workspace_id = :ws";
constexpr const char* kDepartmentNames = "SELECT id, name FROM departments WHERE workspace_id = :ws";
constexpr const char* kLossReasonNames = "SELECT id, name_ru, name_en FROM loss_reasons WHERE workspace_id = :ws";
constexpr const char* kProductNames = "SELECT id, name FROM products WHERE workspace_id = :ws";

constexpr const char* kDealRows =
    "SELECT d.id, d.title, COALESCE(c.name, ''), s.name, d.status, d.owner_user_id, COALESCE(u.full_name, ''), "
    "d.amount_minor, d.currency, d.created_at, d.closed_at FROM deals d "
    "JOIN pipeline_stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id "
    "WHERE d.workspace_id = :ws AND d.id = :id";
constexpr const char* kActivityRows =
    "SELECT a.id, a.kind, a.subject, a.owner_user_id, COALESCE(u.full_name, ''), a.at, a.done FROM activities a "
    "LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.owner_user_id "
    "WHERE a.workspace_id = :ws AND a.id = :id";

constexpr const char* kSlaWaiting =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN r.deadline_at < :now THEN 1 ELSE 0 END), 0) FROM lead_routing r "
    "JOIN leads l ON l.workspace_id = r.workspace_id AND l.id = r.lead_id "
    "WHERE {visible} AND r.state = 'running' AND l.deleted_at IS NULL";
constexpr const char* kSlaPeriod =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN la.breached_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
    "FROM lead_assignments la JOIN leads l ON l.workspace_id = la.workspace_id AND l.id = la.lead_id "
    "WHERE {visible} AND la.user_id IS NOT NULL AND la.assigned_at >= :from AND la.assigned_at < :to";
constexpr const char* kOverdueInvoices =
    "SELECT i.id, i.deal_id, COALESCE(i.number, ''), d.title, i.next_due_date, COALESCE(u.full_name, ''), "
    "i.total_minor - i.paid_minor FROM invoices i JOIN deals d ON d.workspace_id = i.workspace_id AND d.id = i.deal_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id "
    "WHERE {visible} AND i.state = 'issued' AND i.paid_minor < i.total_minor AND i.next_due_date < :today "
    "AND d.deleted_at IS NULL ORDER BY i.next_due_date, i.id LIMIT 200";

constexpr const char* kScheduleColumns =
    "SELECT id, owner_user_id, report, filters, recipients, every, weekday, month_day, hour, lang, next_run_at, "
    "last_sent_at, last_error, sent_count, created_at, updated_at FROM report_schedules ";
constexpr const char* kInsertSchedule =
    "INSERT INTO report_schedules (workspace_id, owner_user_id, report, filters, recipients, every, weekday, "
    "month_day, hour, lang, next_run_at, created_at, updated_at) VALUES (:ws, :owner, :report, :filters, :recipients, "
    ":every, :weekday, :day, :hour, :lang, :next, :created, :updated) RETURNING id";
constexpr const char* kUpdateSchedule =
    "UPDATE report_schedules SET report = :report, filters = :filters, recipients = :recipients, every = :every, "
    "weekday = :weekday, month_day = :day, hour = :hour, lang = :lang, next_run_at = :next, last_sent_at = :sent, "
    "last_error = :err, sent_count = :count, updated_at = :updated WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteSchedule =
    "UPDATE report_schedules SET deleted_at = :now, updated_at = :now2 WHERE workspace_id = :ws AND id = :id";

// The filter's fragments after the base WHERE (alias d, e, dp, l) and their bound values.
struct DealBinds {
    long long pipeline = 0, owner = 0, product = 0, from = 0, to = 0;
    std::string path, channel, currency;

    std::string Sql(const Filter& f, PeriodOn on) const {
        std::string t;
        if (f.pipeline_id) t += " AND d.pipeline_id = :f_pipeline";
        if (f.owner) t += " AND d.owner_user_id = :f_owner";
        if (f.dept_path) t += " AND dp.path LIKE :f_path";
        if (f.channel) t += *f.channel == "none" ? " AND l.id IS NULL" : " AND l.channel = :f_channel";
        if (f.product_id)
            t += " AND EXISTS (SELECT 1 FROM deal_lines dl WHERE dl.workspace_id = d.workspace_id AND dl.deal_id = "
                 "d.id AND dl.product_id = :f_product)";
        if (on == PeriodOn::kCreated) t += " AND d.created_at >= :f_from AND d.created_at < :f_to";
        if (on == PeriodOn::kClosed) t += " AND d.closed_at >= :f_from AND d.closed_at < :f_to";
        if (on == PeriodOn::kCreatedOrClosed)
            t += " AND ((d.created_at >= :f_from AND d.created_at < :f_to) OR (d.closed_at >= :f_from AND "
                 "d.closed_at < :f_to))";
        return t;
    }
    void Bind(soci::statement& st, const Filter& f, PeriodOn on) {
        pipeline = f.pipeline_id.value_or(0);
        owner = f.owner.value_or(0);
        product = f.product_id.value_or(0);
        from = f.from;
        to = f.to;
        path = f.dept_path ? *f.dept_path + "%" : "";
        channel = f.channel.value_or("");
        currency = f.currency;
        st.exchange(soci::use(currency, "f_cur"));
        if (f.pipeline_id) st.exchange(soci::use(pipeline, "f_pipeline"));
        if (f.owner) st.exchange(soci::use(owner, "f_owner"));
        if (f.dept_path) st.exchange(soci::use(path, "f_path"));
        if (f.channel && *f.channel != "none") st.exchange(soci::use(channel, "f_channel"));
        if (f.product_id) st.exchange(soci::use(product, "f_product"));
        if (on != PeriodOn::kNone) {
            st.exchange(soci::use(from, "f_from"));
            st.exchange(soci::use(to, "f_to"));
        }
    }
};

// Person filters of activities and assignments (the owner column `col`).
std::string PersonSql(const Filter& f, const char* col) {
    std::string t;
    if (f.owner) t += std::string(" AND ") + col + " = :f_owner";
    if (f.dept_path) t += " AND dp.path LIKE :f_path";
    return t;
}

}  // namespace

std::vector<DealFact> SelectDeals(soci::session& sql, core::Id ws_id, const Filter& f, PeriodOn on,
                                  const auth::Predicate& visible) {
    (void)ws_id;  // the predicate scopes by workspace
    std::vector<DealFact> out;
    std::unordered_map<core::Id, std::size_t> index;
    {
        DealBinds b;
        long long id = 0, pipeline = 0, stage = 0, owner = 0, dept = 0, amount = 0, reason = 0, created = 0, closed = 0;
        std::string status, category, channel;
        soci::indicator owner_ind, dept_ind, reason_ind, closed_ind;
        soci::statement st(sql);
        st.alloc();
        st.prepare(visible.Expand(std::string(kDealColumns) + kDealFrom + b.Sql(f, on) + " ORDER BY d.id"));
        st.exchange(soci::into(id));
        st.exchange(soci::into(pipeline));
        st.exchange(soci::into(stage));
        st.exchange(soci::into(owner, owner_ind));
        st.exchange(soci::into(dept, dept_ind));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(status));
        st.exchange(soci::into(category));
        st.exchange(soci::into(reason, reason_ind));
        st.exchange(soci::into(channel));
        st.exchange(soci::into(created));
        st.exchange(soci::into(closed, closed_ind));
        b.Bind(st, f, on);
        visible.BindTo(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) {
            DealFact d;
            d.id = id;
            d.pipeline_id = pipeline;
            d.stage_id = stage;
            if (owner_ind == soci::i_ok) d.owner = owner;
            if (dept_ind == soci::i_ok) d.department = dept;
            d.amount_minor = amount;
            d.status = status;
            d.forecast_category = category;
            if (reason_ind == soci::i_ok) d.loss_reason = reason;
            d.channel = channel;
            d.created_at = created;
            if (closed_ind == soci::i_ok) d.closed_at = closed;
            index[d.id] = out.size();
            out.push_back(std::move(d));
        }
    }
    if (out.empty()) return out;
    {
        DealBinds b;
        long long deal = 0, stage = 0, at = 0;
        soci::statement st(sql);
        st.alloc();
        st.prepare(visible.Expand(std::string(kHistoryColumns) + kHistoryJoin + b.Sql(f, on) +
                                  " ORDER BY h.deal_id, h.at, h.id"));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(stage));
        st.exchange(soci::into(at));
        b.Bind(st, f, on);
        visible.BindTo(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch())
            if (auto it = index.find(deal); it != index.end()) out[it->second].history.push_back({stage, at});
    }
    {
        DealBinds b;
        long long deal = 0, product = 0;
        soci::statement st(sql);
        st.alloc();
        st.prepare(visible.Expand(std::string(kProductColumns) + kProductJoin + b.Sql(f, on)));
        st.exchange(soci::into(deal));
        st.exchange(soci::into(product));
        b.Bind(st, f, on);
        visible.BindTo(st);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch())
            if (auto it = index.find(deal); it != index.end()) out[it->second].products.push_back(product);
    }
    return out;
}

namespace {

// The forecast's lean read: no products; the source lead and the owner's department joined only when a filter needs
// them (the department of every deal comes from one read of the employees instead).
std::string LeanFrom(const Filter& f, const std::string& table_and_join) {
    std::string t = table_and_join;
    if (f.dept_path)
        t += " LEFT JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = d.owner_user_id LEFT JOIN "
             "departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id";
    if (f.channel) t += " LEFT JOIN leads l ON l.workspace_id = d.workspace_id AND l.id = d.source_lead_id";
    return t + " WHERE {visible} AND d.deleted_at IS NULL AND d.currency = :f_cur";
}

}  // namespace

std::vector<DealFact> SelectForecastDeals(soci::session& sql, core::Id ws_id, const Filter& f,
                                          const auth::Predicate& visible) {
    // Each person's department (one row per employee).
    std::unordered_map<core::Id, core::Id> dept_of;
    {
        long long ws = ws_id, user = 0, dept = 0;
        soci::statement st = (sql.prepare << "SELECT user_id, department_id FROM employees WHERE workspace_id = :ws",
                              soci::use(ws, "ws"), soci::into(user), soci::into(dept));
        st.execute(false);
        while (st.fetch()) dept_of[user] = dept;
    }
    std::vector<DealFact> out;
    {
        // Reserved up to the workspace's id range (an upper bound of what is read, from the primary key's ends): the
        // vector never grows by copying itself, and pages of the reserve that stay unused are never touched.
        long long ws = ws_id, lo = 0, hi = -1;
        soci::indicator lo_ind = soci::i_null, hi_ind = soci::i_null;
        sql << "SELECT MIN(id), MAX(id) FROM deals WHERE workspace_id = :ws", soci::use(ws, "ws"),
            soci::into(lo, lo_ind), soci::into(hi, hi_ind);
        if (lo_ind == soci::i_ok && hi_ind == soci::i_ok && hi >= lo)
            out.reserve(static_cast<std::size_t>(std::min<long long>(hi - lo + 1, 4'000'000)));
    }
    {
        DealBinds b;
        Rows rows(sql, "iiinissin");
        soci::statement st(sql);
        st.alloc();
        st.prepare(
            visible.Expand("SELECT d.id, d.pipeline_id, d.stage_id, d.owner_user_id, d.amount_minor, "
                           "d.status, d.forecast_category, d.created_at, d.closed_at" +
                           LeanFrom(f, " FROM deals d") + b.Sql(f, PeriodOn::kNone) + " ORDER BY d.id"));
        rows.Into(st);
        b.Bind(st, f, PeriodOn::kNone);
        visible.BindTo(st);
        st.define_and_bind();
        rows.Each(st, [&](Rows& r, std::size_t i) {
            DealFact& d = out.emplace_back();
            d.id = r.Int(0, i);
            d.pipeline_id = r.Int(1, i);
            d.stage_id = r.Int(2, i);
            if (!r.Null(3, i)) {
                d.owner = r.Int(3, i);
                if (auto it = dept_of.find(*d.owner); it != dept_of.end()) d.department = it->second;
            }
            d.amount_minor = r.Int(4, i);
            d.status = std::move(r.Text(5, i));
            d.forecast_category = std::move(r.Text(6, i));
            d.created_at = r.Int(7, i);
            if (!r.Null(8, i)) d.closed_at = r.Int(8, i);
        });
    }
    if (out.empty()) return out;
    // The history in deal order: a merge with the deals (also in id order), no lookup per row.
    DealBinds b;
    Rows rows(sql, "iii");
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(
        "SELECT h.deal_id, h.to_stage_id, h.at" +
        LeanFrom(f, " FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id = h.deal_id") +
        b.Sql(f, PeriodOn::kNone) + " ORDER BY h.deal_id, h.at, h.id"));
    rows.Into(st);
    b.Bind(st, f, PeriodOn::kNone);
    visible.BindTo(st);
    st.define_and_bind();
    std::size_t k = 0;
    rows.Each(st, [&](Rows& r, std::size_t i) {
        const long long deal = r.Int(0, i);
        while (k < out.size() && out[k].id < deal) ++k;
        if (k == out.size() || out[k].id != deal) return;
        auto& h = out[k].history;
        if (h.empty()) h.reserve(4);
        h.push_back({r.Int(1, i), r.Int(2, i)});
    });
    return out;
}

std::vector<ActivityFact> SelectActivities(soci::session& sql, core::Id, const Filter& f, const std::string& tz,
                                           const auth::Predicate& visible) {
    long long id = 0, owner = 0, at = 0, from = f.from, to = f.to, fowner = f.owner.value_or(0);
    int done = 0;
    std::string kind, path = f.dept_path ? *f.dept_path + "%" : "";
    soci::indicator owner_ind;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string(kActivities) + PersonSql(f, "a.owner_user_id")));
    st.exchange(soci::into(id));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(owner, owner_ind));
    st.exchange(soci::into(at));
    st.exchange(soci::into(done));
    st.exchange(soci::use(from, "f_from"));
    st.exchange(soci::use(to, "f_to"));
    if (f.owner) st.exchange(soci::use(fowner, "f_owner"));
    if (f.dept_path) st.exchange(soci::use(path, "f_path"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<ActivityFact> out;
    LocalDays days(tz);
    while (st.fetch()) {
        ActivityFact a;
        a.id = id;
        a.kind = kind;
        if (owner_ind == soci::i_ok) a.owner = owner;
        a.day = days.Of(at);
        a.done = done != 0;
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<ResponseFact> SelectResponses(soci::session& sql, core::Id, const Filter& f, const std::string& tz,
                                          const auth::Predicate& visible) {
    long long id = 0, user = 0, at = 0, ms = 0, breached = 0, from = f.from, to = f.to, fowner = f.owner.value_or(0);
    std::string path = f.dept_path ? *f.dept_path + "%" : "";
    soci::indicator ms_ind, breached_ind;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string(kResponses) + PersonSql(f, "la.user_id")));
    st.exchange(soci::into(id));
    st.exchange(soci::into(user));
    st.exchange(soci::into(at));
    st.exchange(soci::into(ms, ms_ind));
    st.exchange(soci::into(breached, breached_ind));
    st.exchange(soci::use(from, "f_from"));
    st.exchange(soci::use(to, "f_to"));
    if (f.owner) st.exchange(soci::use(fowner, "f_owner"));
    if (f.dept_path) st.exchange(soci::use(path, "f_path"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<ResponseFact> out;
    LocalDays days(tz);
    while (st.fetch()) {
        ResponseFact r;
        r.id = id;
        r.owner = user;
        r.day = days.Of(at);
        if (ms_ind == soci::i_ok) r.response_ms = ms;
        r.breached = breached_ind == soci::i_ok;
        out.push_back(r);
    }
    return out;
}

std::vector<StageInfo> SelectStages(soci::session& sql, core::Id ws_id, core::Id pipeline_id) {
    long long ws = ws_id, p = pipeline_id, id = 0;
    int position = 0, probability = 0;
    std::string name, kind;
    soci::statement st = (sql.prepare << kStages, soci::use(ws, "ws"), soci::use(p, "p"), soci::into(id),
                          soci::into(name), soci::into(position), soci::into(probability), soci::into(kind));
    st.execute(false);
    std::vector<StageInfo> out;
    while (st.fetch()) out.push_back({id, name, position, probability, kind});
    return out;
}

std::optional<core::Id> DefaultPipeline(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0;
    sql << kDefaultPipeline, soci::use(ws, "ws"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

std::vector<DeptInfo> SelectDepartments(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0, parent = 0;
    soci::indicator parent_ind;
    std::string name;
    soci::statement st = (sql.prepare << kDepartments, soci::use(ws, "ws"), soci::into(id),
                          soci::into(parent, parent_ind), soci::into(name));
    st.execute(false);
    std::vector<DeptInfo> out;
    while (st.fetch())
        out.push_back({id, parent_ind == soci::i_ok ? std::optional<core::Id>(parent) : std::nullopt, name});
    return out;
}

std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws_id, core::Id id_) {
    long long ws = ws_id, id = id_;
    std::string path;
    sql << kDepartmentPath, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(path);
    if (!sql.got_data()) return std::nullopt;
    return path;
}

namespace {
std::map<core::Id, std::string> Names(soci::session& sql, core::Id ws_id, const char* text) {
    long long ws = ws_id, id = 0;
    std::string name;
    soci::statement st = (sql.prepare << text, soci::use(ws, "ws"), soci::into(id), soci::into(name));
    st.execute(false);
    std::map<core::Id, std::string> out;
    while (st.fetch()) out[id] = name;
    return out;
}
}  // namespace

std::map<core::Id, std::string> UserNames(soci::session& sql, core::Id ws) {
    return Names(sql, ws, kUserNames);
}
std::map<core::Id, std::string> DepartmentNames(soci::session& sql, core::Id ws) {
    return Names(sql, ws, kDepartmentNames);
}
std::map<core::Id, std::string> ProductNames(soci::session& sql, core::Id ws) {
    return Names(sql, ws, kProductNames);
}
std::map<core::Id, std::pair<std::string, std::string>> LossReasonNames(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0;
    std::string ru, en;
    soci::statement st =
        (sql.prepare << kLossReasonNames, soci::use(ws, "ws"), soci::into(id), soci::into(ru), soci::into(en));
    st.execute(false);
    std::map<core::Id, std::pair<std::string, std::string>> out;
    while (st.fetch()) out[id] = {ru, en};
    return out;
}

std::vector<DealRow> DealRows(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    long long ws = ws_id, id = 0, owner = 0, amount = 0, created = 0, closed = 0;
    soci::indicator owner_ind, closed_ind;
    DealRow r;
    long long out_id = 0;
    soci::statement st = (sql.prepare << kDealRows, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(out_id),
                          soci::into(r.title), soci::into(r.company), soci::into(r.stage), soci::into(r.status),
                          soci::into(owner, owner_ind), soci::into(r.owner_name), soci::into(amount),
                          soci::into(r.currency), soci::into(created), soci::into(closed, closed_ind));
    std::vector<DealRow> out;
    for (core::Id want : ids) {
        id = want;
        st.execute(true);
        if (!st.got_data()) continue;
        r.id = out_id;
        r.owner = owner_ind == soci::i_ok ? std::optional<core::Id>(owner) : std::nullopt;
        r.amount_minor = amount;
        r.created_at = created;
        r.closed_at = closed_ind == soci::i_ok ? std::optional<core::Millis>(closed) : std::nullopt;
        out.push_back(r);
    }
    return out;
}

std::vector<ActivityRowOut> ActivityRows(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    long long ws = ws_id, id = 0, out_id = 0, owner = 0, at = 0;
    int done = 0;
    soci::indicator owner_ind;
    ActivityRowOut r;
    soci::statement st = (sql.prepare << kActivityRows, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(out_id),
                          soci::into(r.kind), soci::into(r.subject), soci::into(owner, owner_ind),
                          soci::into(r.owner_name), soci::into(at), soci::into(done));
    std::vector<ActivityRowOut> out;
    for (core::Id want : ids) {
        id = want;
        st.execute(true);
        if (!st.got_data()) continue;
        r.id = out_id;
        r.owner = owner_ind == soci::i_ok ? std::optional<core::Id>(owner) : std::nullopt;
        r.at = at;
        r.done = done != 0;
        out.push_back(r);
    }
    return out;
}

SlaSummary SelectSla(soci::session& sql, core::Id, core::Millis now_ms, core::Millis from_ms, core::Millis to_ms,
                     const auth::Predicate& visible) {
    SlaSummary s;
    long long now = now_ms, from = from_ms, to = to_ms;
    sql << visible.Expand(kSlaWaiting), soci::use(now, "now"), soci::into(s.waiting), soci::into(s.overdue), visible;
    sql << visible.Expand(kSlaPeriod), soci::use(from, "from"), soci::use(to, "to"), soci::into(s.assigned),
        soci::into(s.breaches), visible;
    return s;
}

std::vector<OverdueInvoice> SelectOverdueInvoices(soci::session& sql, core::Id, const std::string& today,
                                                  const auth::Predicate& visible) {
    long long id = 0, deal = 0, due = 0;
    OverdueInvoice r;
    soci::statement st = (sql.prepare << visible.Expand(kOverdueInvoices), soci::use(today, "today"), soci::into(id),
                          soci::into(deal), soci::into(r.number), soci::into(r.deal_title), soci::into(r.next_due_date),
                          soci::into(r.owner_name), soci::into(due), visible);
    st.execute(false);
    std::vector<OverdueInvoice> out;
    while (st.fetch()) {
        r.id = id;
        r.deal_id = deal;
        r.due_minor = due;
        out.push_back(r);
    }
    return out;
}

// ---- schedules ----

namespace {
struct ScheduleInto {
    long long id = 0, owner = 0, next = 0, sent = 0, count = 0, created = 0, updated = 0;
    int weekday = 0, day = 0, hour = 0;
    soci::indicator sent_ind;
    Schedule s;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(owner));
        st.exchange(soci::into(s.report));
        st.exchange(soci::into(s.filters));
        st.exchange(soci::into(s.recipients));
        st.exchange(soci::into(s.cadence.every));
        st.exchange(soci::into(weekday));
        st.exchange(soci::into(day));
        st.exchange(soci::into(hour));
        st.exchange(soci::into(s.lang));
        st.exchange(soci::into(next));
        st.exchange(soci::into(sent, sent_ind));
        st.exchange(soci::into(s.last_error));
        st.exchange(soci::into(count));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Schedule Take() {
        Schedule out = s;
        out.id = id;
        out.owner_user_id = owner;
        out.cadence.weekday = weekday;
        out.cadence.day = day;
        out.cadence.hour = hour;
        out.next_run_at = next;
        out.last_sent_at = sent_ind == soci::i_ok ? std::optional<core::Millis>(sent) : std::nullopt;
        out.sent_count = count;
        out.created_at = created;
        out.updated_at = updated;
        return out;
    }
};

std::vector<Schedule> QuerySchedules(soci::session& sql, const std::string& where, long long ws, long long key) {
    ScheduleInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kScheduleColumns) + where);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    if (where.find(":key") != std::string::npos) st.exchange(soci::use(key, "key"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Schedule> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}
}  // namespace

core::Id InsertSchedule(soci::session& sql, core::Id ws_id, const Schedule& s) {
    long long ws = ws_id, owner = s.owner_user_id, next = s.next_run_at, created = s.created_at, updated = s.updated_at,
              id = 0;
    int weekday = s.cadence.weekday, day = s.cadence.day, hour = s.cadence.hour;
    sql << kInsertSchedule, soci::use(ws, "ws"), soci::use(owner, "owner"), soci::use(s.report, "report"),
        soci::use(s.filters, "filters"), soci::use(s.recipients, "recipients"), soci::use(s.cadence.every, "every"),
        soci::use(weekday, "weekday"), soci::use(day, "day"), soci::use(hour, "hour"), soci::use(s.lang, "lang"),
        soci::use(next, "next"), soci::use(created, "created"), soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdateSchedule(soci::session& sql, core::Id ws_id, const Schedule& s) {
    long long ws = ws_id, id = s.id, next = s.next_run_at, sent = s.last_sent_at.value_or(0), count = s.sent_count,
              updated = s.updated_at;
    soci::indicator sent_ind = s.last_sent_at ? soci::i_ok : soci::i_null;
    int weekday = s.cadence.weekday, day = s.cadence.day, hour = s.cadence.hour;
    sql << kUpdateSchedule, soci::use(s.report, "report"), soci::use(s.filters, "filters"),
        soci::use(s.recipients, "recipients"), soci::use(s.cadence.every, "every"), soci::use(weekday, "weekday"),
        soci::use(day, "day"), soci::use(hour, "hour"), soci::use(s.lang, "lang"), soci::use(next, "next"),
        soci::use(sent, sent_ind, "sent"), soci::use(s.last_error, "err"), soci::use(count, "count"),
        soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

void DeleteSchedule(soci::session& sql, core::Id ws_id, core::Id id_, core::Millis now_ms) {
    long long ws = ws_id, id = id_, now = now_ms, now2 = now_ms;
    sql << kDeleteSchedule, soci::use(now, "now"), soci::use(now2, "now2"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<Schedule> SelectSchedule(soci::session& sql, core::Id ws, core::Id id) {
    auto v = QuerySchedules(sql, "WHERE workspace_id = :ws AND id = :key AND deleted_at IS NULL", ws, id);
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Schedule> ListSchedules(soci::session& sql, core::Id ws, std::optional<core::Id> owner) {
    if (owner)
        return QuerySchedules(
            sql, "WHERE workspace_id = :ws AND owner_user_id = :key AND deleted_at IS NULL ORDER BY id", ws, *owner);
    return QuerySchedules(sql, "WHERE workspace_id = :ws AND deleted_at IS NULL ORDER BY id", ws, 0);
}

}  // namespace otdel::reports::store
