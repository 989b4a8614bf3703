#include "reports/reports_rollup.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "reports/rows.hpp"

namespace otdel::reports::rollup {
namespace {

constexpr long long kFarPast = -9'000'000'000'000'000LL, kFarFuture = 9'000'000'000'000'000LL;

// The local day of an instant column of "d" (the spans the triggers read, so both name the same day).
std::string DayOf(const std::string& col) {
    return "(" + col +
           " + COALESCE((SELECT z.offset_ms FROM report_tz_spans z WHERE z.workspace_id = d.workspace_id AND "
           "z.begin_ms <= " +
           col + " ORDER BY z.begin_ms DESC LIMIT 1), 0)) / 86400000";
}

// The same fact row the triggers write (migration 0021), for every live deal of the workspace at once.
std::string FactsRebuildSql() {
    return "INSERT INTO report_deal_facts (deal_id, workspace_id, pipeline_id, currency, owner_user_id, owner_key, "
           "amount_minor, stage_id, status, furthest_pos, loss_key, created_day, closed_day) "
           "SELECT d.id, d.workspace_id, d.pipeline_id, d.currency, d.owner_user_id, COALESCE(d.owner_user_id, 0), "
           "d.amount_minor, d.stage_id, d.status, "
           "COALESCE((SELECT MAX(s.position) FROM pipeline_stages s WHERE s.workspace_id = d.workspace_id AND "
           "s.pipeline_id = d.pipeline_id AND s.kind = 'open' AND s.archived_at IS NULL AND (s.id = d.stage_id OR "
           "s.id IN (SELECT h.to_stage_id FROM deal_stage_history h WHERE h.workspace_id = d.workspace_id AND "
           "h.deal_id = d.id))), -1), "
           "CASE WHEN d.status = 'lost' THEN COALESCE(d.loss_reason_id, 0) ELSE 0 END, " +
           DayOf("d.created_at") + ", CASE WHEN d.closed_at IS NULL THEN NULL ELSE " + DayOf("d.closed_at") +
           " END FROM deals d WHERE d.workspace_id = :ws AND d.deleted_at IS NULL";
}

constexpr const char* kDealDaysCreated =
    "INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, "
    "stage_id, status, furthest_pos, loss_key, n, amount_minor) SELECT workspace_id, 'c', created_day, pipeline_id, "
    "currency, owner_key, MAX(owner_user_id), stage_id, status, furthest_pos, 0, COUNT(*), SUM(amount_minor) "
    "FROM report_deal_facts WHERE workspace_id = :ws "
    "GROUP BY workspace_id, created_day, pipeline_id, currency, owner_key, stage_id, status, furthest_pos";
constexpr const char* kDealDaysClosed =
    "INSERT INTO report_deal_days (workspace_id, side, day, pipeline_id, currency, owner_key, owner_user_id, "
    "stage_id, status, furthest_pos, loss_key, n, amount_minor) SELECT workspace_id, 'x', closed_day, pipeline_id, "
    "currency, owner_key, MAX(owner_user_id), 0, status, -1, loss_key, COUNT(*), SUM(amount_minor) "
    "FROM report_deal_facts WHERE workspace_id = :ws AND closed_day IS NOT NULL "
    "GROUP BY workspace_id, closed_day, pipeline_id, currency, owner_key, status, loss_key";
// The completed stays of every live deal (migration 0024): each history entry with the next one of its deal.
constexpr const char* kStaysRebuild =
    "INSERT INTO report_stays (history_id, workspace_id, deal_id, pipeline_id, currency, owner_key, created_day, "
    "stage_id, stay_ms) SELECT x.id, f.workspace_id, f.deal_id, f.pipeline_id, f.currency, f.owner_key, "
    "f.created_day, x.to_stage_id, x.next_at - x.at FROM (SELECT h.id, h.deal_id, h.to_stage_id, "
    "h.at, LEAD(h.at) OVER (PARTITION BY h.deal_id ORDER BY h.at, h.id) AS next_at FROM deal_stage_history h WHERE "
    "h.workspace_id = :ws) x JOIN report_deal_facts f ON f.deal_id = x.deal_id WHERE x.next_at IS NOT NULL";
// The same stays packed per 8-day block of created days (migration 0027), text ",v1,v2,…,".
constexpr const char* kStayCellsRebuildSqlite =
    "INSERT INTO report_stay_cells (workspace_id, currency, block, pipeline_id, owner_key, stage_id, n, stays) "
    "SELECT workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id, COUNT(*), ',' || "
    "group_concat(stay_ms, ',') || ',' FROM report_stays WHERE workspace_id = :ws "
    "GROUP BY workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id";
constexpr const char* kStayCellsRebuildPg =
    "INSERT INTO report_stay_cells (workspace_id, currency, block, pipeline_id, owner_key, stage_id, n, stays) "
    "SELECT workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id, COUNT(*), ',' || "
    "string_agg(stay_ms::text, ',') || ',' FROM report_stays WHERE workspace_id = :ws "
    "GROUP BY workspace_id, currency, created_day / 8, pipeline_id, owner_key, stage_id";
// One zone span at a time (its offset is a constant there), added to what earlier spans wrote for the same day.
constexpr const char* kActivityDays =
    "INSERT INTO report_activity_days (workspace_id, day, owner_key, owner_user_id, kind, n, n_done) "
    "SELECT t.workspace_id, t.day, t.owner_key, MAX(t.owner_user_id), t.kind, COUNT(*), SUM(t.done) FROM ("
    "SELECT a.workspace_id, (a.at + :off) / 86400000 AS day, COALESCE(a.owner_user_id, 0) AS owner_key, "
    "a.owner_user_id, a.kind, CASE WHEN a.done <> 0 THEN 1 ELSE 0 END AS done FROM activities a "
    "WHERE a.workspace_id = :ws AND a.deleted_at IS NULL AND a.kind IN ('call', 'meeting', 'task', 'email') AND "
    "a.at >= :b AND a.at < :e) t WHERE 1 = 1 GROUP BY t.workspace_id, t.day, t.owner_key, t.kind "
    "ON CONFLICT (workspace_id, day, owner_key, kind) DO UPDATE SET n = report_activity_days.n + excluded.n, "
    "n_done = report_activity_days.n_done + excluded.n_done";

struct Span {
    long long begin = 0, end = 0, offset = 0;
};

// The zone's offsets from 1970 to 2100 as contiguous spans (the first and last open-ended); UTC when unknown.
std::vector<Span> SpansOf(const std::string& tz) {
    std::vector<Span> out;
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(tz);
    } catch (const std::exception&) {
        zone = nullptr;
    }
    if (!zone) return {{kFarPast, kFarFuture, 0}};
    using namespace std::chrono;
    const auto stop = date::sys_days{date::year{2100} / 1 / 1};
    date::sys_seconds t = date::sys_days{date::year{1970} / 1 / 1};
    while (true) {
        const auto info = zone->get_info(t);
        Span s;
        s.begin = out.empty() ? kFarPast : duration_cast<milliseconds>(info.begin.time_since_epoch()).count();
        s.offset = duration_cast<milliseconds>(info.offset).count();
        if (info.end >= stop) {
            s.end = kFarFuture;
            out.push_back(s);
            break;
        }
        s.end = duration_cast<milliseconds>(info.end.time_since_epoch()).count();
        // Adjacent spans with the same offset (a rename of the abbreviation) are one.
        if (!out.empty() && out.back().offset == s.offset) {
            out.back().end = s.end;
        } else {
            out.push_back(s);
        }
        t = info.end;
    }
    return out;
}

// The report filters on a rollup table with alias `t` (owner columns owner_user_id / owner_key).
struct Binds {
    long long d0 = 0, d1 = 0, pipeline = 0, owner = 0;
    std::string path, currency;
    bool use_pipeline = false, use_currency = true;

    std::string Sql(const store::Filter& f, const std::string& t) const {
        std::string s = " AND " + t + ".day >= :d0 AND " + t + ".day <= :d1";
        if (use_currency) s += " AND " + t + ".currency = :f_cur";
        if (use_pipeline && f.pipeline_id) s += " AND " + t + ".pipeline_id = :f_pipeline";
        if (f.owner) s += " AND " + t + ".owner_user_id = :f_owner";
        if (f.dept_path) s += " AND dp.path LIKE :f_path";
        return s;
    }
    void Bind(soci::statement& st, const store::Filter& f, Days days) {
        d0 = days.first;
        d1 = days.last;
        pipeline = f.pipeline_id.value_or(0);
        owner = f.owner.value_or(0);
        path = f.dept_path ? *f.dept_path + "%" : "";
        currency = f.currency;
        st.exchange(soci::use(d0, "d0"));
        st.exchange(soci::use(d1, "d1"));
        if (use_currency) st.exchange(soci::use(currency, "f_cur"));
        if (use_pipeline && f.pipeline_id) st.exchange(soci::use(pipeline, "f_pipeline"));
        if (f.owner) st.exchange(soci::use(owner, "f_owner"));
        if (f.dept_path) st.exchange(soci::use(path, "f_path"));
    }
};

std::string Joins(const std::string& t, bool needed) {
    if (!needed) return "";
    return " LEFT JOIN employees e ON e.workspace_id = " + t + ".workspace_id AND e.user_id = " + t +
           ".owner_user_id LEFT JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id";
}

// The group column of a deal rollup for `by` (0 = none).
std::string GroupSql(const std::string& by) {
    if (by == "person") return "d.owner_key";
    if (by == "team") return "COALESCE(e.department_id, 0)";
    return "0";
}

std::string Key(long long v) {
    return v == 0 ? std::string() : std::to_string(v);
}

}  // namespace

bool Covers(const store::Filter& f, const std::string& by) {
    return !f.channel && !f.product_id && (by.empty() || by == "person" || by == "team");
}

bool Fresh(soci::session& sql, core::Id ws_id, const std::string& tz) {
    long long ws = ws_id;
    std::string built;
    sql << "SELECT time_zone FROM report_rollup_state WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(built);
    return sql.got_data() && built == tz;
}

void Rebuild(soci::session& sql, core::Id ws_id, const std::string& tz, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    // No writer of these tables may commit between our snapshot and our state row (its trigger would have skipped).
    if (sql.get_backend_name() == "postgresql")
        sql << "LOCK TABLE deals, deal_stage_history, pipeline_stages, activities IN SHARE MODE";
    // Without a state row the triggers do nothing, so the deletes and bulk inserts below do not fire them.
    sql << "DELETE FROM report_rollup_state WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_deal_facts WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_deal_days WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_activity_days WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_stays WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_stay_cells WHERE workspace_id = :ws", soci::use(ws, "ws");
    sql << "DELETE FROM report_tz_spans WHERE workspace_id = :ws", soci::use(ws, "ws");
    const auto spans = SpansOf(tz);
    for (const auto& s : spans) {
        long long b = s.begin, e = s.end, off = s.offset;
        sql << "INSERT INTO report_tz_spans (workspace_id, begin_ms, end_ms, offset_ms) VALUES (:ws, :b, :e, :o)",
            soci::use(ws, "ws"), soci::use(b, "b"), soci::use(e, "e"), soci::use(off, "o");
    }
    sql << FactsRebuildSql(), soci::use(ws, "ws");
    sql << kStaysRebuild, soci::use(ws, "ws");
    sql << (sql.get_backend_name() == "postgresql" ? kStayCellsRebuildPg : kStayCellsRebuildSqlite),
        soci::use(ws, "ws");
    sql << kDealDaysCreated, soci::use(ws, "ws");
    sql << kDealDaysClosed, soci::use(ws, "ws");
    for (const auto& s : spans) {
        long long b = s.begin, e = s.end, off = s.offset;
        sql << kActivityDays, soci::use(off, "off"), soci::use(ws, "ws"), soci::use(b, "b"), soci::use(e, "e");
    }
    std::string zone = tz;
    sql << "INSERT INTO report_rollup_state (workspace_id, time_zone, built_at) VALUES (:ws, :tz, :now)",
        soci::use(ws, "ws"), soci::use(zone, "tz"), soci::use(now, "now");
}

namespace {

// The owner keys (user id; 0 = no owner) whose deals `visible` (alias "d") lets the caller see, asked once per owner
// instead of once per row: the predicate reads only the row's workspace and owner (deals.owner_user_id references
// users), so the workspace's users and "no owner" stand in for the deals.
std::set<long long> VisibleOwners(soci::session& sql, core::Id ws_id, const auth::Predicate& visible) {
    long long ws = ws_id, key = 0;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(
        "SELECT COALESCE(d.owner_user_id, 0) FROM (SELECT u.workspace_id, u.id AS owner_user_id FROM users u WHERE "
        "u.workspace_id = :o_ws UNION ALL SELECT CAST(:o_ws2 AS BIGINT), NULL) d WHERE {visible}"));
    st.exchange(soci::into(key));
    st.exchange(soci::use(ws, "o_ws"));
    st.exchange(soci::use(ws, "o_ws2"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::set<long long> out;
    while (st.fetch()) out.insert(key);
    return out;
}

// Owner → department id (0 = none) of the workspace's people; `path`: only those placed in that subtree.
std::map<long long, long long> OwnerDepartments(soci::session& sql, core::Id ws_id,
                                                const std::optional<std::string>& path) {
    long long ws = ws_id, user = 0, dept = 0;
    std::string like = path ? *path + "%" : "";
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string("SELECT e.user_id, e.department_id FROM employees e") +
               (path ? " JOIN departments dp ON dp.workspace_id = e.workspace_id AND dp.id = e.department_id" : "") +
               " WHERE e.workspace_id = :ws" + (path ? " AND dp.path LIKE :p" : ""));
    st.exchange(soci::into(user));
    st.exchange(soci::into(dept));
    st.exchange(soci::use(ws, "ws"));
    if (path) st.exchange(soci::use(like, "p"));
    st.define_and_bind();
    st.execute(false);
    std::map<long long, long long> out;
    while (st.fetch()) out[user] = dept;
    return out;
}

}  // namespace

namespace {

// Who counts in a funnel: the visible owners (owner key 0 = no owner), narrowed by the owner and department filters,
// decided once per owner (the predicate reads only the workspace and the owner). Everybody the workspace has (the
// head, an administrator): no owner test at all. A few people (a seller, a small team): their keys go into the
// statement. Otherwise the owners are tested in the loop, once per run of one owner.
struct OwnerScope {
    std::set<long long> owners;
    std::map<long long, long long> depts;  // owner → department, for "by team" and the department filter
    bool all = false, listed = false;
    std::string in_list;  // " AND <alias>.owner_key IN (…)" when listed

    bool Counts(long long o) const { return all || listed || owners.count(o) > 0; }
    // The group key of an owner's rows for `by` (0 when ungrouped or without a department).
    long long GroupOf(const std::string& by, long long o) const {
        if (by == "person") return o;
        if (by == "team") {
            auto it = depts.find(o);
            return it == depts.end() ? 0 : it->second;
        }
        return 0;
    }
};

OwnerScope ScopeOf(soci::session& sql, core::Id ws_id, const store::Filter& f, const std::string& by,
                   const auth::Predicate& visible, const std::string& alias) {
    OwnerScope s;
    s.owners = VisibleOwners(sql, ws_id, visible);
    if (f.owner) s.owners = s.owners.count(*f.owner) ? std::set<long long>{*f.owner} : std::set<long long>{};
    if (f.dept_path || by == "team") s.depts = OwnerDepartments(sql, ws_id, f.dept_path);
    if (f.dept_path) std::erase_if(s.owners, [&](long long o) { return !s.depts.count(o); });
    if (s.owners.empty()) return s;
    long long ws = ws_id, everyone = 0;
    sql << "SELECT COUNT(*) + 1 FROM users WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(everyone);
    s.all = static_cast<long long>(s.owners.size()) >= everyone;
    s.listed = !s.all && s.owners.size() <= 64;
    if (s.listed) {
        s.in_list = " AND " + alias + ".owner_key IN (";
        bool first = true;
        for (long long o : s.owners) {
            s.in_list += (first ? "" : ", ") + std::to_string(o);
            first = false;
        }
        s.in_list += ")";
    }
    return s;
}

}  // namespace

std::vector<std::pair<std::string, FunnelCell>> FunnelCells(soci::session& sql, core::Id ws_id, const store::Filter& f,
                                                            Days days, const std::string& by,
                                                            const auth::Predicate& visible) {
    const OwnerScope scope = ScopeOf(sql, ws_id, f, by, visible, "d");
    std::vector<std::pair<std::string, FunnelCell>> out;
    if (scope.owners.empty()) return out;
    // The rollup's rows of the period, summed here per (group, stage, status, furthest stage): on SQLite in key order
    // without GROUP BY (it sorted ~90,000 rows for a year in a temporary b-tree), and no join for the owner's team.
    long long ws = ws_id, d0 = days.first, d1 = days.last, pipeline = f.pipeline_id.value_or(0);
    std::string currency = f.currency;
    // PostgreSQL sums per owner first (a hash aggregate: far fewer rows to hand over, which costs more there).
    const bool pg = sql.get_backend_name() == "postgresql";
    std::string text = pg ? "SELECT d.owner_key, d.stage_id, d.status, d.furthest_pos, CAST(SUM(d.n) AS BIGINT), "
                            "CAST(SUM(d.amount_minor) AS BIGINT) FROM report_deal_days d"
                          : "SELECT d.owner_key, d.stage_id, d.status, d.furthest_pos, d.n, d.amount_minor FROM "
                            "report_deal_days d";
    text += " WHERE d.workspace_id = :ws AND d.side = 'c' AND d.day >= :d0 AND d.day <= :d1 AND d.currency = :cur";
    if (f.pipeline_id) text += " AND d.pipeline_id = :p";
    text += scope.in_list;
    if (pg) text += " GROUP BY d.owner_key, d.stage_id, d.status, d.furthest_pos";
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    store::Rows rows(sql, "iisiii");
    rows.Into(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(d0, "d0"));
    st.exchange(soci::use(d1, "d1"));
    st.exchange(soci::use(currency, "cur"));
    if (f.pipeline_id) st.exchange(soci::use(pipeline, "p"));
    st.define_and_bind();
    std::vector<std::string> statuses;  // a status's index in the key
    std::map<std::tuple<long long, long long, std::size_t, long long>, std::pair<long long, std::int64_t>> sums;
    long long last_owner = -1, group = 0;
    bool counts = false;
    rows.Each(st, [&](store::Rows& r, std::size_t i) {
        const long long o = r.Int(0, i);
        if (o != last_owner) {
            counts = scope.Counts(o);
            group = scope.GroupOf(by, o);
            last_owner = o;
        }
        if (!counts) return;
        const std::string& status = r.Text(2, i);
        std::size_t si = 0;
        while (si < statuses.size() && statuses[si] != status) ++si;
        if (si == statuses.size()) statuses.push_back(status);
        auto& sum = sums[{group, r.Int(1, i), si, r.Int(3, i)}];
        sum.first += r.Int(4, i);
        sum.second += r.Int(5, i);
    });
    for (const auto& [k, v] : sums) {
        const auto& [g, stage, si, furthest] = k;
        if (v.first != 0)
            out.emplace_back(Key(g), FunnelCell{stage, statuses[si], static_cast<int>(furthest), v.first, v.second});
    }
    return out;
}

Stays FunnelStays(soci::session& sql, core::Id ws_id, const store::Filter& f, Days days, const std::string& by,
                  const auth::Predicate& visible, bool packed) {
    const OwnerScope scope = ScopeOf(sql, ws_id, f, by, visible, "s");
    Stays out;
    if (scope.owners.empty()) return out;
    const bool all = scope.all, listed = scope.listed;
    long long ws = ws_id, pipeline = f.pipeline_id.value_or(0);
    // The owner column only when a group or the owner test needs it (a third less to hand over for the head).
    const bool need_owner = !by.empty() || !(all || listed);
    const std::string& owner_list = scope.in_list;
    std::string currency = f.currency;

    // One vector per stage (and per group and stage), looked up once per run of equal keys; the stages' vectors
    // through a short list first (a pipeline has a handful of stages and a run is often one or two rows long), a
    // group's stages through its owner (once per owner, not a key text per run).
    std::vector<std::pair<long long, std::vector<std::int64_t>*>> stage_totals;
    auto total_of = [&](long long stage) {
        for (const auto& [id, v] : stage_totals)
            if (id == stage) return v;
        auto* v = &out.total[stage];
        stage_totals.emplace_back(stage, v);
        return v;
    };
    std::unordered_map<long long, std::map<core::Id, std::vector<std::int64_t>>*> group_of_owner;
    auto group_of = [&](long long o) {
        auto [it, fresh] = group_of_owner.try_emplace(o, nullptr);
        if (fresh) {
            it->second = &out.groups[Key(scope.GroupOf(by, o))];
        }
        return it->second;
    };
    std::vector<std::int64_t>* total = nullptr;
    std::vector<std::int64_t>* group = nullptr;
    long long last_stage = -1, last_owner = -1;
    bool last_counts = false;
    // Where the stays of (owner, stage) go; false when the owner does not count.
    auto run = [&](long long o, long long stage) {
        if (o != last_owner || stage != last_stage) {
            last_counts = scope.Counts(o);
            if (last_counts) {
                total = total_of(stage);
                if (!by.empty()) group = &(*group_of(o))[stage];
            }
            last_owner = o;
            last_stage = stage;
        }
        return last_counts;
    };
    const std::size_t stage_at = need_owner ? 1 : 0;

    // Whole 8-day blocks of created days from the packed cells (migration 0027); block 0 is never used (integer
    // division truncates negative days into it).
    long long b0 = std::max(1LL, (days.first + 7) / 8), b1 = days.last >= 15 ? (days.last + 1) / 8 - 1 : 0;
    std::vector<std::pair<long long, long long>> edges;  // days read row by row from report_stays
    if (!packed) b1 = b0 - 1;
    if (b0 > b1) {
        edges.emplace_back(days.first, days.last);
    } else {
        if (days.first < 8 * b0) edges.emplace_back(days.first, 8 * b0 - 1);
        if (8 * b1 + 7 < days.last) edges.emplace_back(8 * b1 + 8, days.last);
    }
    if (b0 <= b1) {
        std::string text = std::string("SELECT ") + (need_owner ? "s.owner_key, " : "") +
                           "s.stage_id, s.stays FROM report_stay_cells s WHERE s.workspace_id = :ws AND s.currency = "
                           ":cur AND s.block >= :b0 AND s.block <= :b1";
        if (f.pipeline_id) text += " AND s.pipeline_id = :p";
        text += owner_list;
        soci::statement st(sql);
        st.alloc();
        st.prepare(text);
        store::Rows rows(sql, need_owner ? "iis" : "is");
        rows.Into(st);
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(currency, "cur"));
        st.exchange(soci::use(b0, "b0"));
        st.exchange(soci::use(b1, "b1"));
        if (f.pipeline_id) st.exchange(soci::use(pipeline, "p"));
        st.define_and_bind();
        rows.Each(st, [&](store::Rows& r, std::size_t i) {
            if (!run(need_owner ? r.Int(0, i) : 0, r.Int(stage_at, i))) return;
            // ",v1,v2,…,": every value between two commas.
            const std::string& cell = r.Text(stage_at + 1, i);
            const char* p = cell.data();
            const char* const end = p + cell.size();
            while (p < end) {
                if (*p == ',') {
                    ++p;
                    continue;
                }
                std::int64_t v = 0;
                auto [next, ec] = std::from_chars(p, end, v);
                if (ec != std::errc()) throw std::runtime_error("report_stay_cells: a stay that is not a number");
                total->push_back(v);
                if (group) group->push_back(v);
                p = next;
            }
        });
    }
    for (auto [e0, e1] : edges) {
        long long d0 = e0, d1 = e1;
        std::string text = std::string("SELECT ") + (need_owner ? "s.owner_key, " : "") +
                           "s.stage_id, s.stay_ms FROM report_stays s WHERE s.workspace_id = :ws AND s.currency = :cur "
                           "AND s.created_day >= :d0 AND s.created_day <= :d1";
        if (f.pipeline_id) text += " AND s.pipeline_id = :p";
        text += owner_list;
        soci::statement st(sql);
        st.alloc();
        st.prepare(text);
        // Not SOCI vectors: its SQLite backend reads an INTEGER column into a vector as 32 bits (stays pass 24.8 days).
        store::Rows rows(sql, need_owner ? "iii" : "ii");
        rows.Into(st);
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(currency, "cur"));
        st.exchange(soci::use(d0, "d0"));
        st.exchange(soci::use(d1, "d1"));
        if (f.pipeline_id) st.exchange(soci::use(pipeline, "p"));
        st.define_and_bind();
        rows.Each(st, [&](store::Rows& r, std::size_t i) {
            if (!run(need_owner ? r.Int(0, i) : 0, r.Int(stage_at, i))) return;
            const long long stay = r.Int(stage_at + 1, i);
            total->push_back(stay);
            if (group) group->push_back(stay);
        });
    }
    return out;
}

std::vector<WinLossCell> WinLossCells(soci::session& sql, const store::Filter& f, Days days, const std::string& by,
                                      const auth::Predicate& visible) {
    Binds b;
    b.use_pipeline = true;
    const std::string grp = GroupSql(by.empty() ? "person" : by);
    const std::string text = "SELECT d.status, d.loss_key, " + grp +
                             ", CAST(SUM(d.n) AS BIGINT), CAST(SUM(d.amount_minor) AS BIGINT) FROM report_deal_days d" +
                             Joins("d", f.dept_path || by == "team") +
                             " WHERE {visible} AND d.side = 'x' AND d.status IN ('won', 'lost')" + b.Sql(f, "d") +
                             " GROUP BY d.status, d.loss_key, " + grp;
    long long reason = 0, key = 0, n = 0, amount = 0;
    std::string status;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    st.exchange(soci::into(status));
    st.exchange(soci::into(reason));
    st.exchange(soci::into(key));
    st.exchange(soci::into(n));
    st.exchange(soci::into(amount));
    b.Bind(st, f, days);
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<WinLossCell> out;
    while (st.fetch())
        if (n != 0)
            out.push_back({Key(key), status, reason == 0 ? std::nullopt : std::optional<core::Id>(reason), n, amount});
    return out;
}

// ---- manager activity in batches (issue 8: a year of a department is ~73,000 person-days) ----

namespace {

// One person-day's counts while they are gathered.
struct DayCounts {
    long long owner = 0, day = 0;
    long long calls = 0, meetings = 0, tasks = 0, tasks_done = 0, emails = 0, created = 0, won = 0;
    std::int64_t won_amount = 0;
};

}  // namespace

std::vector<ActivityRow> ActivityDayCells(soci::session& sql, const store::Filter& f, Days days,
                                          const auth::Predicate& acts, const auth::Predicate& deals) {
    // One cell per (owner, day), found by a hash of the two (a day number is below 2^24); the rows come in index
    // order, so runs of one person-day (its kinds, its stages) reuse the last cell without a lookup.
    std::vector<DayCounts> cells;
    std::unordered_map<long long, std::size_t> at;
    long long last_key = -1;
    std::size_t last = 0;
    auto cell = [&](long long owner, long long day) -> DayCounts& {
        const long long key = owner * (1LL << 24) + day;
        if (key != last_key) {
            auto [it, fresh] = at.try_emplace(key, cells.size());
            if (fresh) {
                DayCounts& c = cells.emplace_back();
                c.owner = owner;
                c.day = day;
            }
            last_key = key;
            last = it->second;
        }
        return cells[last];
    };
    {
        // The rows in index order; runs of one person-day's kinds are summed here (a GROUP BY with a sum per kind
        // costs more than that on both engines: ~0.6 s for a year on PostgreSQL).
        Binds b;
        b.use_currency = false;
        store::Rows rows(sql, "iiiii");
        soci::statement st(sql);
        st.alloc();
        st.prepare(acts.Expand(
            "SELECT a.owner_key, a.day, CASE a.kind WHEN 'call' THEN 0 WHEN 'meeting' THEN 1 WHEN 'task' THEN 2 WHEN "
            "'email' THEN 3 ELSE 4 END, a.n, a.n_done FROM report_activity_days a" +
            Joins("a", f.dept_path.has_value()) + " WHERE {visible}" + b.Sql(f, "a")));
        rows.Into(st);
        b.Bind(st, f, days);
        acts.BindTo(st);
        st.define_and_bind();
        rows.Each(st, [&](store::Rows& r, std::size_t i) {
            const long long kind = r.Int(2, i), n = r.Int(3, i), done = r.Int(4, i);
            if (n == 0 && done == 0) return;
            DayCounts& c = cell(r.Int(0, i), r.Int(1, i));
            if (kind == 0) c.calls += n;
            if (kind == 1) c.meetings += n;
            if (kind == 3) c.emails += n;
            if (kind == 2) {
                c.tasks += n;
                c.tasks_done += done;
            }
        });
    }
    {
        // The rollup's rows one by one (no GROUP BY: a temporary b-tree costs more than adding them up here).
        Binds b;
        b.use_pipeline = true;
        store::Rows rows(sql, "iiiii");
        soci::statement st(sql);
        st.alloc();
        st.prepare(deals.Expand(
            "SELECT CASE WHEN d.side = 'c' THEN 0 ELSE 1 END, d.owner_key, d.day, d.n, d.amount_minor FROM "
            "report_deal_days d" +
            Joins("d", f.dept_path.has_value()) +
            " WHERE {visible} AND (d.side = 'c' OR (d.side = 'x' AND d.status = 'won'))" + b.Sql(f, "d")));
        rows.Into(st);
        b.Bind(st, f, days);
        deals.BindTo(st);
        st.define_and_bind();
        rows.Each(st, [&](store::Rows& r, std::size_t i) {
            const long long n = r.Int(3, i);
            if (n == 0) return;
            DayCounts& c = cell(r.Int(1, i), r.Int(2, i));
            if (r.Int(0, i) == 0) {
                c.created += n;
            } else {
                c.won += n;
                c.won_amount += r.Int(4, i);
            }
        });
    }
    std::sort(cells.begin(), cells.end(), [](const DayCounts& x, const DayCounts& y) {
        return x.owner != y.owner ? x.owner < y.owner : x.day < y.day;
    });
    // Each day's text made once (a year of a department names 365 days ~73,000 times).
    long long lo = 0, hi = -1;
    for (const DayCounts& c : cells) {
        if (hi < lo || c.day < lo) lo = c.day;
        if (c.day > hi) hi = c.day;
    }
    std::vector<std::string> names(hi >= lo && hi - lo < 100'000 ? static_cast<std::size_t>(hi - lo + 1) : 0);
    auto name = [&](long long day) {
        if (names.empty()) return DayText(day);
        std::string& n = names[static_cast<std::size_t>(day - lo)];
        if (n.empty()) n = DayText(day);
        return n;
    };
    std::vector<ActivityRow> out;
    out.reserve(cells.size());
    for (const DayCounts& c : cells) {
        ActivityRow& r = out.emplace_back();
        r.owner = c.owner == 0 ? std::nullopt : std::optional<core::Id>(c.owner);
        r.day = name(c.day);
        r.calls = c.calls;
        r.meetings = c.meetings;
        r.tasks = c.tasks;
        r.tasks_done = c.tasks_done;
        r.emails = c.emails;
        r.deals_created = c.created;
        r.deals_won = c.won;
        r.won_amount = c.won_amount;
    }
    return out;
}

}  // namespace otdel::reports::rollup
