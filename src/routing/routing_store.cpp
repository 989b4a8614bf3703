#include "routing/routing_store.hpp"
#include "db/nullable.hpp"
#include "db/prepared.hpp"
#include "org/work_calendar.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

namespace otdel::routing::store {
namespace json = boost::json;

namespace {

constexpr const char* kRuleColumns =
    "id, position, name, active, CAST(conditions AS TEXT), department_id, include_subdepartments, strategy, "
    "sla_minutes, assign_off_shift, max_open_per_person, escalate_after, head_user_id";
constexpr const char* kSelectAllMembers =
    "SELECT rule_id, user_id, weight FROM routing_rule_members WHERE workspace_id = :ws ORDER BY rule_id, position";
constexpr const char* kInsertRule =
    "INSERT INTO routing_rules (workspace_id, position, name, active, conditions, department_id, "
    "include_subdepartments, strategy, sla_minutes, assign_off_shift, max_open_per_person, escalate_after, "
    "head_user_id, created_at, updated_at) VALUES (:ws, :pos, :name, :active, :cond, :dept, :sub, :strategy, :sla, "
    ":off, :cap, :esc, :head, :now, :now2) RETURNING id";
constexpr const char* kUpdateRule =
    "UPDATE routing_rules SET name = :name, active = :active, conditions = :cond, department_id = :dept, "
    "include_subdepartments = :sub, strategy = :strategy, sla_minutes = :sla, assign_off_shift = :off, "
    "max_open_per_person = :cap, escalate_after = :esc, head_user_id = :head, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteMembers = "DELETE FROM routing_rule_members WHERE workspace_id = :ws AND rule_id = :rule";
constexpr const char* kInsertMember =
    "INSERT INTO routing_rule_members (workspace_id, rule_id, user_id, weight, position) "
    "VALUES (:ws, :rule, :user, :weight, :pos)";
constexpr const char* kDeleteRule =
    "UPDATE routing_rules SET deleted_at = :now, updated_at = :now2 WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetPosition =
    "UPDATE routing_rules SET position = :pos, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMaxPosition =
    "SELECT COALESCE(MAX(position), 0) FROM routing_rules WHERE workspace_id = :ws AND deleted_at IS NULL";
constexpr const char* kCountRules =
    "SELECT COUNT(*) FROM routing_rules WHERE workspace_id = :ws AND deleted_at IS NULL";
constexpr const char* kLastUser = "SELECT last_user_id FROM routing_rules WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetLastUser = "UPDATE routing_rules SET last_user_id = :u WHERE workspace_id = :ws AND id = :id";
constexpr const char* kCounters =
    "SELECT user_id, assigned FROM routing_counters WHERE workspace_id = :ws AND rule_id = :rule";
constexpr const char* kBumpCounter =
    "INSERT INTO routing_counters (workspace_id, rule_id, user_id, assigned) VALUES (:ws, :rule, :user, 1) "
    "ON CONFLICT (workspace_id, rule_id, user_id) DO UPDATE SET assigned = routing_counters.assigned + 1";

constexpr const char* kPersonColumns =
    "u.id, u.full_name, CASE WHEN u.status = 'active' AND e.status = 'active' THEN 1 ELSE 0 END, e.department_id, "
    "COALESCE(r.code, '')";
constexpr const char* kPersonJoins =
    " FROM users u LEFT JOIN employees e ON e.workspace_id = u.workspace_id AND e.user_id = u.id "
    "LEFT JOIN roles r ON r.workspace_id = e.workspace_id AND r.id = e.role_id ";

constexpr const char* kDepartmentPath =
    "SELECT path FROM departments WHERE workspace_id = :ws AND id = :id AND archived_at IS NULL";
constexpr const char* kDepartmentHeadParent =
    "SELECT head_user_id, parent_id FROM departments WHERE workspace_id = :ws AND id = :id";

constexpr const char* kSelectLead =
    "SELECT id, status, title, owner_user_id, CASE WHEN deleted_at IS NULL AND merged_into_id IS NULL THEN 0 ELSE 1 "
    "END, channel, intake_form_id, region, product, CASE WHEN company_id IS NULL AND contact_id IS NULL THEN 0 ELSE 1 "
    "END, priority_score, CAST(custom AS TEXT) FROM leads WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetLeadOwner =
    "UPDATE leads SET owner_user_id = :owner, updated_at = :now WHERE workspace_id = :ws AND id = :id";

constexpr const char* kRoutingColumns =
    "lead_id, rule_id, state, assignment_id, deadline_at, sla_minutes, reassignments, breaches, first_assigned_at, "
    "first_response_at, COALESCE(first_response_kind, ''), updated_at";
constexpr const char* kUpsertRouting =
    "INSERT INTO lead_routing (workspace_id, lead_id, rule_id, state, assignment_id, deadline_at, sla_minutes, "
    "reassignments, breaches, first_assigned_at, first_response_at, first_response_kind, updated_at) VALUES (:ws, "
    ":lead, :rule, :state, :asg, :deadline, :sla, :re, :br, :first, :resp, :kind, :now) "
    "ON CONFLICT (workspace_id, lead_id) DO UPDATE SET rule_id = excluded.rule_id, state = excluded.state, "
    "assignment_id = excluded.assignment_id, deadline_at = excluded.deadline_at, sla_minutes = excluded.sla_minutes, "
    "reassignments = excluded.reassignments, breaches = excluded.breaches, first_assigned_at = "
    "excluded.first_assigned_at, first_response_at = excluded.first_response_at, first_response_kind = "
    "excluded.first_response_kind, updated_at = excluded.updated_at";

constexpr const char* kAssignmentColumns =
    "a.id, a.lead_id, a.user_id, a.rule_id, a.reason, CAST(a.explanation AS TEXT), a.assigned_at, a.deadline_at, "
    "a.responded_at, a.response_working_ms, a.breached_at, a.ended_at, COALESCE(a.end_reason, ''), "
    "COALESCE(u.full_name, '')";
constexpr const char* kInsertAssignment =
    "INSERT INTO lead_assignments (workspace_id, lead_id, user_id, rule_id, reason, explanation, assigned_at, "
    "deadline_at) VALUES (:ws, :lead, :user, :rule, :reason, :expl, :at, :deadline) RETURNING id";
constexpr const char* kUpdateAssignment =
    "UPDATE lead_assignments SET deadline_at = :deadline, responded_at = :resp, response_working_ms = :rms, "
    "breached_at = :br, ended_at = :ended, end_reason = :why WHERE workspace_id = :ws AND id = :id";

constexpr const char* kResponseStatuses =
    "SELECT CAST(response_statuses AS TEXT) FROM routing_settings WHERE workspace_id = :ws";
constexpr const char* kPutResponseStatuses =
    "INSERT INTO routing_settings (workspace_id, response_statuses, updated_at) VALUES (:ws, :st, :now) "
    "ON CONFLICT (workspace_id) DO UPDATE SET response_statuses = excluded.response_statuses, updated_at = "
    "excluded.updated_at";

constexpr const char* kBusy =
    "SELECT starts_at, ends_at FROM handoff_meetings WHERE workspace_id = :ws AND host_user_id = :host "
    "AND status = 'booked' AND starts_at < :to AND ends_at > :from ORDER BY starts_at";
constexpr const char* kInsertMeeting =
    "INSERT INTO handoff_meetings (workspace_id, lead_id, booked_by_user_id, host_user_id, starts_at, ends_at, place, "
    "note, status, created_at) VALUES (:ws, :lead, :by, :host, :s, :e, :place, :note, 'booked', :now) RETURNING id";
constexpr const char* kLeadMeetings =
    "SELECT id, lead_id, booked_by_user_id, host_user_id, starts_at, ends_at, place, note, status, created_at, "
    "deal_id FROM handoff_meetings WHERE workspace_id = :ws AND lead_id = :lead ORDER BY starts_at";
constexpr const char* kSetMeetingDeal =
    "UPDATE handoff_meetings SET deal_id = :deal WHERE workspace_id = :ws AND id = :id";

using NullId = db::NullableId;

std::vector<std::string> Strings(const json::object& o, const char* key) {
    std::vector<std::string> out;
    if (auto it = o.find(key); it != o.end() && it->value().is_array())
        for (const auto& v : it->value().as_array())
            if (v.is_string()) out.emplace_back(v.as_string());
    return out;
}

std::optional<int> IntOf(const json::object& o, const char* key) {
    if (auto it = o.find(key); it != o.end() && it->value().is_int64()) return static_cast<int>(it->value().as_int64());
    return std::nullopt;
}

}  // namespace

std::string ConditionsJson(const Conditions& c) {
    json::object o;
    auto arr = [](const std::vector<std::string>& v) {
        json::array a;
        for (const auto& s : v) a.emplace_back(s);
        return a;
    };
    if (!c.channels.empty()) o["channels"] = arr(c.channels);
    if (!c.form_ids.empty()) {
        json::array a;
        for (auto id : c.form_ids) a.emplace_back(id);
        o["form_ids"] = std::move(a);
    }
    if (!c.regions.empty()) o["regions"] = arr(c.regions);
    if (!c.products.empty()) o["products"] = arr(c.products);
    if (c.client_type) o["client_type"] = *c.client_type;
    if (c.min_priority) o["min_priority"] = *c.min_priority;
    if (c.max_priority) o["max_priority"] = *c.max_priority;
    if (!c.custom.empty()) {
        json::object cu;
        for (const auto& [k, v] : c.custom) cu[k] = v;
        o["custom"] = std::move(cu);
    }
    return json::serialize(o);
}

Conditions ParseConditions(const std::string& text) {
    Conditions c;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return c;
    const auto& o = v.as_object();
    c.channels = Strings(o, "channels");
    if (auto it = o.find("form_ids"); it != o.end() && it->value().is_array())
        for (const auto& x : it->value().as_array())
            if (x.is_int64()) c.form_ids.push_back(x.as_int64());
    c.regions = Strings(o, "regions");
    c.products = Strings(o, "products");
    if (auto it = o.find("client_type"); it != o.end() && it->value().is_string())
        c.client_type = std::string(it->value().as_string());
    c.min_priority = IntOf(o, "min_priority");
    c.max_priority = IntOf(o, "max_priority");
    if (auto it = o.find("custom"); it != o.end() && it->value().is_object())
        for (const auto& [k, x] : it->value().as_object())
            if (x.is_string()) c.custom[std::string(k)] = std::string(x.as_string());
    return c;
}

namespace {

std::vector<Rule> SelectRules(soci::session& sql, core::Id ws_id, const std::string& where,
                              std::optional<core::Id> id) {
    long long ws = ws_id, rid = id.value_or(0);
    long long rule_id = 0, dept = 0, cap = 0, head = 0;
    int position = 0, active = 0, sub = 0, sla = 0, off = 0, esc = 0;
    std::string name, cond, strategy;
    soci::indicator dept_ind, cap_ind, head_ind;
    std::vector<Rule> out;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string("SELECT ") + kRuleColumns + " FROM routing_rules WHERE workspace_id = :ws " + where +
               " ORDER BY position, id");
    st.exchange(soci::into(rule_id));
    st.exchange(soci::into(position));
    st.exchange(soci::into(name));
    st.exchange(soci::into(active));
    st.exchange(soci::into(cond));
    st.exchange(soci::into(dept, dept_ind));
    st.exchange(soci::into(sub));
    st.exchange(soci::into(strategy));
    st.exchange(soci::into(sla));
    st.exchange(soci::into(off));
    st.exchange(soci::into(cap, cap_ind));
    st.exchange(soci::into(esc));
    st.exchange(soci::into(head, head_ind));
    st.exchange(soci::use(ws, "ws"));
    if (id) st.exchange(soci::use(rid, "id"));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
        Rule r;
        r.id = rule_id;
        r.position = position;
        r.name = name;
        r.active = active != 0;
        r.when = ParseConditions(cond);
        if (dept_ind == soci::i_ok) r.department_id = dept;
        r.include_subdepartments = sub != 0;
        r.strategy = ParseStrategy(strategy).value_or(Strategy::kRoundRobin);
        r.sla_minutes = sla;
        r.assign_off_shift = off != 0;
        if (cap_ind == soci::i_ok) r.max_open_per_person = static_cast<int>(cap);
        r.escalate_after = esc;
        if (head_ind == soci::i_ok) r.head_user_id = head;
        out.push_back(std::move(r));
    }
    if (out.empty()) return out;
    // Every rule's members in one read (a rule set is read on every routed lead).
    std::map<core::Id, Rule*> by_id;
    for (auto& r : out) by_id[r.id] = &r;
    long long rule = 0, user = 0;
    int weight = 1;
    soci::statement ms =
        (sql.prepare << kSelectAllMembers, soci::into(rule), soci::into(user), soci::into(weight), soci::use(ws, "ws"));
    ms.execute(false);
    while (ms.fetch())
        if (auto it = by_id.find(rule); it != by_id.end()) it->second->members.push_back({user, weight});
    return out;
}

void WriteMembers(soci::session& sql, core::Id ws_id, const Rule& r) {
    long long ws = ws_id, rule = r.id;
    sql << kDeleteMembers, soci::use(ws, "ws"), soci::use(rule, "rule");
    int pos = 0;
    for (const auto& m : r.members) {
        long long user = m.user_id;
        int weight = m.weight;
        ++pos;
        sql << kInsertMember, soci::use(ws, "ws"), soci::use(rule, "rule"), soci::use(user, "user"),
            soci::use(weight, "weight"), soci::use(pos, "pos");
    }
}

}  // namespace

std::vector<Rule> ListRules(soci::session& sql, core::Id ws) {
    return SelectRules(sql, ws, "AND deleted_at IS NULL", std::nullopt);
}

std::optional<Rule> GetRule(soci::session& sql, core::Id ws, core::Id id, bool include_deleted) {
    auto rules = SelectRules(sql, ws, include_deleted ? "AND id = :id" : "AND id = :id AND deleted_at IS NULL", id);
    if (rules.empty()) return std::nullopt;
    return rules.front();
}

core::Id InsertRule(soci::session& sql, core::Id ws_id, const Rule& r, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = 0;
    int pos = r.position;
    if (pos <= 0) {
        sql << kMaxPosition, soci::use(ws, "ws"), soci::into(pos);
        ++pos;
    }
    const std::string cond = ConditionsJson(r.when), strategy(StrategyName(r.strategy));
    int active = r.active, sub = r.include_subdepartments, sla = r.sla_minutes, off = r.assign_off_shift,
        esc = r.escalate_after;
    NullId dept(r.department_id), cap(r.max_open_per_person), head(r.head_user_id);
    sql << kInsertRule, soci::use(ws, "ws"), soci::use(pos, "pos"), soci::use(r.name, "name"),
        soci::use(active, "active"), soci::use(cond, "cond"), soci::use(dept.v, dept.ind, "dept"),
        soci::use(sub, "sub"), soci::use(strategy, "strategy"), soci::use(sla, "sla"), soci::use(off, "off"),
        soci::use(cap.v, cap.ind, "cap"), soci::use(esc, "esc"), soci::use(head.v, head.ind, "head"),
        soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    Rule copy = r;
    copy.id = id;
    WriteMembers(sql, ws_id, copy);
    return id;
}

void UpdateRule(soci::session& sql, core::Id ws_id, const Rule& r, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = r.id;
    const std::string cond = ConditionsJson(r.when), strategy(StrategyName(r.strategy));
    int active = r.active, sub = r.include_subdepartments, sla = r.sla_minutes, off = r.assign_off_shift,
        esc = r.escalate_after;
    NullId dept(r.department_id), cap(r.max_open_per_person), head(r.head_user_id);
    sql << kUpdateRule, soci::use(r.name, "name"), soci::use(active, "active"), soci::use(cond, "cond"),
        soci::use(dept.v, dept.ind, "dept"), soci::use(sub, "sub"), soci::use(strategy, "strategy"),
        soci::use(sla, "sla"), soci::use(off, "off"), soci::use(cap.v, cap.ind, "cap"), soci::use(esc, "esc"),
        soci::use(head.v, head.ind, "head"), soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
    WriteMembers(sql, ws_id, r);
}

void DeleteRule(soci::session& sql, core::Id ws_id, core::Id id_v, core::Millis now_ms) {
    long long ws = ws_id, id = id_v, now = now_ms;
    sql << kDeleteRule, soci::use(now, "now"), soci::use(now, "now2"), soci::use(ws, "ws"), soci::use(id, "id");
    std::vector<core::Id> rest;
    for (const auto& r : ListRules(sql, ws_id)) rest.push_back(r.id);
    SetPositions(sql, ws_id, rest, now_ms);
}

void SetPositions(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    int pos = 0;
    for (core::Id i : ids) {
        long long id = i;
        ++pos;
        sql << kSetPosition, soci::use(pos, "pos"), soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
    }
}

int CountRules(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, n = 0;
    sql << kCountRules, soci::use(ws, "ws"), soci::into(n);
    return static_cast<int>(n);
}

namespace {

// The statements routing runs for every lead, prepared once per pooled connection (db/prepared.hpp).
struct LastUserStatements {
    long long ws = 0, id = 0, user = 0;
    soci::indicator user_ind = soci::i_null;
    soci::statement get, set;
    explicit LastUserStatements(soci::session& sql)
        : get((sql.prepare << kLastUser, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(user, user_ind))),
          set((sql.prepare << kSetLastUser, soci::use(user, "u"), soci::use(ws, "ws"), soci::use(id, "id"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, get);
        db::ResetStatement(sql, set);
    }
};

struct CounterStatements {
    long long ws = 0, rule = 0, user = 0, n = 0;
    soci::statement select, bump;
    explicit CounterStatements(soci::session& sql)
        : select((sql.prepare << kCounters, soci::into(user), soci::into(n), soci::use(ws, "ws"),
                  soci::use(rule, "rule"))),
          bump((sql.prepare << kBumpCounter, soci::use(ws, "ws"), soci::use(rule, "rule"), soci::use(user, "user"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, select);
        db::ResetStatement(sql, bump);
    }
};

}  // namespace

std::optional<core::Id> LastUser(soci::session& sql, core::Id ws_id, core::Id rule_id) {
    return db::WithPrepared<LastUserStatements>(sql, [&](LastUserStatements& q) -> std::optional<core::Id> {
        q.ws = ws_id;
        q.id = rule_id;
        q.user_ind = soci::i_null;
        if (!q.get.execute(true) || q.user_ind != soci::i_ok) return std::nullopt;
        return q.user;
    });
}

void SetLastUser(soci::session& sql, core::Id ws_id, core::Id rule_id, core::Id user_id) {
    db::WithPrepared<LastUserStatements>(sql, [&](LastUserStatements& q) {
        q.ws = ws_id;
        q.id = rule_id;
        q.user = user_id;
        q.set.execute(true);
    });
}

std::map<core::Id, std::int64_t> Counters(soci::session& sql, core::Id ws_id, core::Id rule_id) {
    return db::WithPrepared<CounterStatements>(sql, [&](CounterStatements& q) {
        q.ws = ws_id;
        q.rule = rule_id;
        std::map<core::Id, std::int64_t> out;
        q.select.execute(false);
        while (q.select.fetch()) out[q.user] = q.n;
        return out;
    });
}

void BumpCounter(soci::session& sql, core::Id ws_id, core::Id rule_id, core::Id user_id) {
    db::WithPrepared<CounterStatements>(sql, [&](CounterStatements& q) {
        q.ws = ws_id;
        q.rule = rule_id;
        q.user = user_id;
        q.bump.execute(true);
    });
}

namespace {

std::vector<Person> SelectPeople(soci::session& sql, const std::string& text,
                                 const std::function<void(soci::statement&)>& bind) {
    long long uid = 0, dept = 0;
    int employed = 0;
    std::string name, role;
    soci::indicator dept_ind;
    std::vector<Person> out;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    st.exchange(soci::into(uid));
    st.exchange(soci::into(name));
    st.exchange(soci::into(employed));
    st.exchange(soci::into(dept, dept_ind));
    st.exchange(soci::into(role));
    bind(st);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
        Person p;
        p.user_id = uid;
        p.name = name;
        p.employed = employed != 0;
        if (dept_ind == soci::i_ok) p.department_id = dept;
        p.role_code = role;
        out.push_back(std::move(p));
    }
    return out;
}

std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws_id, core::Id dept_id) {
    long long ws = ws_id, id = dept_id;
    std::string path;
    sql << kDepartmentPath, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(path);
    if (!sql.got_data()) return std::nullopt;
    return path;
}

}  // namespace

std::vector<Person> PoolPeople(soci::session& sql, core::Id ws_id, const Rule& r) {
    long long ws = ws_id;
    if (!r.members.empty()) {
        std::vector<Person> out;
        for (const auto& m : r.members) {
            if (auto p = PersonOf(sql, ws_id, m.user_id)) out.push_back(*p);
        }
        return out;
    }
    if (!r.department_id) return {};
    auto path = DepartmentPath(sql, ws_id, *r.department_id);
    if (!path) return {};
    long long dept = *r.department_id;
    std::string like = *path + "%";
    std::string text = std::string("SELECT ") + kPersonColumns + kPersonJoins +
                       "JOIN departments d ON d.workspace_id = e.workspace_id AND d.id = e.department_id "
                       "WHERE u.workspace_id = :ws AND e.status = 'active' AND " +
                       (r.include_subdepartments ? "d.path LIKE :path" : "d.id = :dept") + " ORDER BY u.id";
    return SelectPeople(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        if (r.include_subdepartments) {
            st.exchange(soci::use(like, "path"));
        } else {
            st.exchange(soci::use(dept, "dept"));
        }
    });
}

std::optional<Person> PersonOf(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, id = user_id;
    auto people = SelectPeople(
        sql, std::string("SELECT ") + kPersonColumns + kPersonJoins + "WHERE u.workspace_id = :ws AND u.id = :id",
        [&](soci::statement& st) {
            st.exchange(soci::use(ws, "ws"));
            st.exchange(soci::use(id, "id"));
        });
    if (people.empty()) return std::nullopt;
    return people.front();
}

namespace {

constexpr const char* kOpenLeads =
    "SELECT owner_user_id, COUNT(*) FROM leads WHERE workspace_id = :ws AND status IN ('new', 'in_work', "
    "'qualified') AND deleted_at IS NULL AND owner_user_id IS NOT NULL GROUP BY owner_user_id";

struct OpenLeadsQuery {
    long long ws = 0, owner = 0, n = 0;
    soci::statement st;
    explicit OpenLeadsQuery(soci::session& sql)
        : st((sql.prepare << kOpenLeads, soci::into(owner), soci::into(n), soci::use(ws, "ws"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::map<core::Id, int> OpenLeads(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& users) {
    std::map<core::Id, int> out;
    if (users.empty()) return out;
    // One grouped read over the owner index; the pool's people are picked out of it.
    std::map<core::Id, int> all = db::WithPrepared<OpenLeadsQuery>(sql, [&](OpenLeadsQuery& q) {
        q.ws = ws_id;
        std::map<core::Id, int> rows;
        q.st.execute(false);
        while (q.st.fetch()) rows[q.owner] = static_cast<int>(q.n);
        return rows;
    });
    for (core::Id u : users) out[u] = all.contains(u) ? all[u] : 0;
    return out;
}

std::map<core::Id, std::string> AbsentOn(soci::session& sql, core::Id ws_id, const std::string& day) {
    std::map<core::Id, std::string> out;
    long long ws = ws_id, user = 0;
    std::string kind;
    soci::statement st =
        (sql.prepare << "SELECT user_id, kind FROM absences WHERE workspace_id = :ws AND "
                        "cancelled_at IS NULL AND starts_on <= :d1 AND ends_on >= :d2",
         soci::into(user), soci::into(kind), soci::use(ws, "ws"), soci::use(day, "d1"), soci::use(day, "d2"));
    st.execute(false);
    while (st.fetch()) out[user] = kind;  // several absences on one day: the last one read, as ever
    return out;
}

std::map<core::Id, std::string> AbsencesOn(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& users,
                                           const std::string& day) {
    std::map<core::Id, std::string> out;
    if (users.empty()) return out;
    const auto all = AbsentOn(sql, ws_id, day);
    for (core::Id u : users)
        if (auto it = all.find(u); it != all.end()) out[u] = it->second;
    return out;
}

bool DepartmentExists(soci::session& sql, core::Id ws, core::Id id) {
    return DepartmentPath(sql, ws, id).has_value();
}

std::optional<core::Id> DepartmentHead(soci::session& sql, core::Id ws_id, core::Id department_id,
                                       const std::vector<core::Id>& not_these) {
    long long ws = ws_id, id = department_id;
    for (int depth = 0; depth < 64; ++depth) {
        long long head = 0, parent = 0;
        soci::indicator head_ind = soci::i_null, parent_ind = soci::i_null;
        sql << kDepartmentHeadParent, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(head, head_ind),
            soci::into(parent, parent_ind);
        if (!sql.got_data()) return std::nullopt;
        if (head_ind == soci::i_ok && std::find(not_these.begin(), not_these.end(), head) == not_these.end())
            return head;
        if (parent_ind != soci::i_ok) return std::nullopt;
        id = parent;
    }
    return std::nullopt;
}

std::vector<Person> PeopleWithRoles(soci::session& sql, core::Id ws_id, core::Id department_id,
                                    const std::vector<std::string>& role_codes) {
    auto path = DepartmentPath(sql, ws_id, department_id);
    if (!path) return {};
    long long ws = ws_id;
    std::string like = *path + "%";
    auto people = SelectPeople(sql,
                               std::string("SELECT ") + kPersonColumns + kPersonJoins +
                                   "JOIN departments d ON d.workspace_id = e.workspace_id AND d.id = e.department_id "
                                   "WHERE u.workspace_id = :ws AND e.status = 'active' AND u.status = 'active' AND "
                                   "d.path LIKE :path ORDER BY u.id",
                               [&](soci::statement& st) {
                                   st.exchange(soci::use(ws, "ws"));
                                   st.exchange(soci::use(like, "path"));
                               });
    std::vector<Person> out;
    for (auto& p : people)
        if (std::find(role_codes.begin(), role_codes.end(), p.role_code) != role_codes.end()) out.push_back(p);
    return out;
}

std::string WorkspaceTimeZone(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string tz = "Europe/Moscow";
    sql << "SELECT time_zone FROM workspaces WHERE id = :ws", soci::use(ws, "ws"), soci::into(tz);
    return tz;
}

std::string WorkspaceToday(soci::session& sql, core::Id ws_id, core::Millis now_ms) {
    return org::LocalDateText(WorkspaceTimeZone(sql, ws_id), now_ms);
}

namespace {

struct LeadQuery {
    long long ws = 0, id = 0, lid = 0, owner = 0, form = 0;
    int deleted = 0, known = 0, priority = 0;
    std::string status, title, channel, region, product, custom;
    soci::indicator owner_ind = soci::i_null, form_ind = soci::i_null;
    soci::statement st;
    explicit LeadQuery(soci::session& sql)
        : st((sql.prepare << kSelectLead, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(lid), soci::into(status),
              soci::into(title), soci::into(owner, owner_ind), soci::into(deleted), soci::into(channel),
              soci::into(form, form_ind), soci::into(region), soci::into(product), soci::into(known),
              soci::into(priority), soci::into(custom))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::optional<LeadRow> GetLead(soci::session& sql, core::Id ws_id, core::Id lead_id) {
    return db::WithPrepared<LeadQuery>(sql, [&](LeadQuery& q) -> std::optional<LeadRow> {
        q.ws = ws_id;
        q.id = lead_id;
        if (!q.st.execute(true)) return std::nullopt;
        LeadRow r;
        r.id = q.lid;
        r.status = q.status;
        r.title = q.title;
        if (q.owner_ind == soci::i_ok) r.owner_user_id = q.owner;
        r.deleted = q.deleted != 0;
        r.facts.channel = q.channel;
        if (q.form_ind == soci::i_ok) r.facts.form_id = q.form;
        r.facts.region = q.region;
        r.facts.product = q.product;
        r.facts.known_client = q.known != 0;
        r.facts.priority = q.priority;
        boost::system::error_code ec;
        json::value v = json::parse(q.custom, ec);
        if (!ec && v.is_object())
            for (const auto& [k, x] : v.as_object()) {
                if (x.is_string()) {
                    r.facts.custom[std::string(k)] = std::string(x.as_string());
                } else if (!x.is_null()) {
                    r.facts.custom[std::string(k)] = json::serialize(x);
                }
            }
        return r;
    });
}

bool LeadVisible(soci::session& sql, core::Id lead_id, const auth::Predicate& visible) {
    long long id = lead_id, n = 0;
    sql << visible.Expand("SELECT COUNT(*) FROM leads l WHERE l.id = :id AND {visible}"), soci::use(id, "id"), visible,
        soci::into(n);
    return n > 0;
}

namespace {

struct SetOwnerStatement {
    long long ws = 0, id = 0, now = 0, owner = 0;
    soci::indicator owner_ind = soci::i_null;
    soci::statement st;
    explicit SetOwnerStatement(soci::session& sql)
        : st((sql.prepare << kSetLeadOwner, soci::use(owner, owner_ind, "owner"), soci::use(now, "now"),
              soci::use(ws, "ws"), soci::use(id, "id"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

void SetLeadOwner(soci::session& sql, core::Id ws_id, core::Id lead_id, std::optional<core::Id> owner_id,
                  core::Millis now_ms) {
    db::WithPrepared<SetOwnerStatement>(sql, [&](SetOwnerStatement& q) {
        q.ws = ws_id;
        q.id = lead_id;
        q.now = now_ms;
        db::SetNullable(owner_id, q.owner, q.owner_ind);
        q.st.execute(true);
    });
}

namespace {

struct RoutingInto {
    long long lead = 0, rule = 0, asg = 0, deadline = 0, first = 0, resp = 0, updated = 0;
    int sla = 0, re = 0, br = 0;
    std::string state, kind;
    soci::indicator rule_ind = soci::i_null, asg_ind = soci::i_null, deadline_ind = soci::i_null,
                    first_ind = soci::i_null, resp_ind = soci::i_null;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(lead));
        st.exchange(soci::into(rule, rule_ind));
        st.exchange(soci::into(state));
        st.exchange(soci::into(asg, asg_ind));
        st.exchange(soci::into(deadline, deadline_ind));
        st.exchange(soci::into(sla));
        st.exchange(soci::into(re));
        st.exchange(soci::into(br));
        st.exchange(soci::into(first, first_ind));
        st.exchange(soci::into(resp, resp_ind));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(updated));
    }
    LeadRouting Take() const {
        LeadRouting r;
        r.lead_id = lead;
        if (rule_ind == soci::i_ok) r.rule_id = rule;
        r.state = state;
        if (asg_ind == soci::i_ok) r.assignment_id = asg;
        if (deadline_ind == soci::i_ok) r.deadline_at = deadline;
        r.sla_minutes = sla;
        r.reassignments = re;
        r.breaches = br;
        if (first_ind == soci::i_ok) r.first_assigned_at = first;
        if (resp_ind == soci::i_ok) r.first_response_at = resp;
        r.first_response_kind = kind;
        r.updated_at = updated;
        return r;
    }
};

}  // namespace

namespace {

struct RoutingStatements {
    long long ws = 0, id = 0;
    RoutingInto row;
    // The upsert's buffers.
    long long lead = 0, rule = 0, asg = 0, deadline = 0, first = 0, resp = 0, now = 0;
    int sla = 0, re = 0, br = 0;
    std::string state, kind;
    soci::indicator rule_ind = soci::i_null, asg_ind = soci::i_null, deadline_ind = soci::i_null,
                    first_ind = soci::i_null, resp_ind = soci::i_null, kind_ind = soci::i_null;
    soci::statement select, upsert;
    explicit RoutingStatements(soci::session& sql)
        : select(sql),
          upsert((sql.prepare << kUpsertRouting, soci::use(ws, "ws"), soci::use(lead, "lead"),
                  soci::use(rule, rule_ind, "rule"), soci::use(state, "state"), soci::use(asg, asg_ind, "asg"),
                  soci::use(deadline, deadline_ind, "deadline"), soci::use(sla, "sla"), soci::use(re, "re"),
                  soci::use(br, "br"), soci::use(first, first_ind, "first"), soci::use(resp, resp_ind, "resp"),
                  soci::use(kind, kind_ind, "kind"), soci::use(now, "now"))) {
        select.alloc();
        select.prepare(std::string("SELECT ") + kRoutingColumns +
                       " FROM lead_routing WHERE workspace_id = :ws AND lead_id = :id");
        row.Bind(select);
        select.exchange(soci::use(ws, "ws"));
        select.exchange(soci::use(id, "id"));
        select.define_and_bind();
    }
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, select);
        db::ResetStatement(sql, upsert);
    }
};

}  // namespace

std::optional<LeadRouting> GetLeadRouting(soci::session& sql, core::Id ws_id, core::Id lead_id) {
    return db::WithPrepared<RoutingStatements>(sql, [&](RoutingStatements& q) -> std::optional<LeadRouting> {
        q.ws = ws_id;
        q.id = lead_id;
        if (!q.select.execute(true)) return std::nullopt;
        return q.row.Take();
    });
}

void PutLeadRouting(soci::session& sql, core::Id ws_id, const LeadRouting& r) {
    db::WithPrepared<RoutingStatements>(sql, [&](RoutingStatements& q) {
        q.ws = ws_id;
        q.lead = r.lead_id;
        q.now = r.updated_at;
        db::SetNullable(r.rule_id, q.rule, q.rule_ind);
        db::SetNullable(r.assignment_id, q.asg, q.asg_ind);
        db::SetNullable(r.deadline_at, q.deadline, q.deadline_ind);
        db::SetNullable(r.first_assigned_at, q.first, q.first_ind);
        db::SetNullable(r.first_response_at, q.resp, q.resp_ind);
        q.state = r.state;
        q.sla = r.sla_minutes;
        q.re = r.reassignments;
        q.br = r.breaches;
        q.kind = r.first_response_kind;
        q.kind_ind = q.kind.empty() ? soci::i_null : soci::i_ok;
        q.upsert.execute(true);
    });
}

namespace {

struct InsertAssignmentStatement {
    long long ws = 0, lead = 0, at = 0, id = 0, user = 0, rule = 0, deadline = 0;
    soci::indicator user_ind = soci::i_null, rule_ind = soci::i_null, deadline_ind = soci::i_null;
    std::string reason, expl;
    soci::statement st;
    explicit InsertAssignmentStatement(soci::session& sql)
        : st((sql.prepare << kInsertAssignment, soci::use(ws, "ws"), soci::use(lead, "lead"),
              soci::use(user, user_ind, "user"), soci::use(rule, rule_ind, "rule"), soci::use(reason, "reason"),
              soci::use(expl, "expl"), soci::use(at, "at"), soci::use(deadline, deadline_ind, "deadline"),
              soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

core::Id InsertAssignment(soci::session& sql, core::Id ws_id, const Assignment& a) {
    return db::WithPrepared<InsertAssignmentStatement>(sql, [&](InsertAssignmentStatement& q) {
        q.ws = ws_id;
        q.lead = a.lead_id;
        q.at = a.assigned_at;
        db::SetNullable(a.user_id, q.user, q.user_ind);
        db::SetNullable(a.rule_id, q.rule, q.rule_ind);
        db::SetNullable(a.deadline_at, q.deadline, q.deadline_ind);
        q.reason = a.reason;
        q.expl = a.explanation;
        q.id = 0;
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

namespace {

std::vector<Assignment> SelectAssignments(soci::session& sql, core::Id ws_id, const char* where, core::Id key) {
    long long ws = ws_id, k = key;
    long long id = 0, lead = 0, user = 0, rule = 0, at = 0, deadline = 0, resp = 0, rms = 0, br = 0, ended = 0;
    std::string reason, expl, why, name;
    soci::indicator user_ind, rule_ind, deadline_ind, resp_ind, rms_ind, br_ind, ended_ind;
    std::vector<Assignment> out;
    soci::statement st =
        (sql.prepare << std::string("SELECT ") + kAssignmentColumns +
                            " FROM lead_assignments a LEFT JOIN users u ON u.workspace_id = a.workspace_id AND "
                            "u.id = a.user_id WHERE a.workspace_id = :ws AND " +
                            where + " ORDER BY a.id",
         soci::into(id), soci::into(lead), soci::into(user, user_ind), soci::into(rule, rule_ind), soci::into(reason),
         soci::into(expl), soci::into(at), soci::into(deadline, deadline_ind), soci::into(resp, resp_ind),
         soci::into(rms, rms_ind), soci::into(br, br_ind), soci::into(ended, ended_ind), soci::into(why),
         soci::into(name), soci::use(ws, "ws"), soci::use(k, "k"));
    st.execute(false);
    while (st.fetch()) {
        Assignment a;
        a.id = id;
        a.lead_id = lead;
        if (user_ind == soci::i_ok) a.user_id = user;
        if (rule_ind == soci::i_ok) a.rule_id = rule;
        a.reason = reason;
        a.explanation = expl;
        a.assigned_at = at;
        if (deadline_ind == soci::i_ok) a.deadline_at = deadline;
        if (resp_ind == soci::i_ok) a.responded_at = resp;
        if (rms_ind == soci::i_ok) a.response_working_ms = rms;
        if (br_ind == soci::i_ok) a.breached_at = br;
        if (ended_ind == soci::i_ok) a.ended_at = ended;
        a.end_reason = why;
        a.user_name = name;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

std::optional<Assignment> GetAssignment(soci::session& sql, core::Id ws, core::Id id) {
    auto v = SelectAssignments(sql, ws, "a.id = :k", id);
    if (v.empty()) return std::nullopt;
    return v.front();
}

void UpdateAssignment(soci::session& sql, core::Id ws_id, const Assignment& a) {
    long long ws = ws_id, id = a.id;
    NullId deadline(a.deadline_at), resp(a.responded_at), rms(a.response_working_ms), br(a.breached_at),
        ended(a.ended_at);
    std::string why = a.end_reason;
    soci::indicator why_ind = why.empty() ? soci::i_null : soci::i_ok;
    sql << kUpdateAssignment, soci::use(deadline.v, deadline.ind, "deadline"), soci::use(resp.v, resp.ind, "resp"),
        soci::use(rms.v, rms.ind, "rms"), soci::use(br.v, br.ind, "br"), soci::use(ended.v, ended.ind, "ended"),
        soci::use(why, why_ind, "why"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<Assignment> LeadAssignments(soci::session& sql, core::Id ws, core::Id lead_id) {
    return SelectAssignments(sql, ws, "a.lead_id = :k", lead_id);
}

std::vector<Clock> OpenClocks(soci::session& sql, const auth::Predicate& visible, int limit) {
    RoutingInto row;
    long long lead_id = 0, owner = 0, at = 0;
    int priority = 0;
    std::string title, status, owner_name;
    soci::indicator owner_ind, at_ind;
    long long lim = limit;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(
        std::string("SELECT ") +
        "r.lead_id, r.rule_id, r.state, r.assignment_id, r.deadline_at, r.sla_minutes, r.reassignments, r.breaches, "
        "r.first_assigned_at, r.first_response_at, COALESCE(r.first_response_kind, ''), r.updated_at, "
        "l.id, l.title, l.status, l.priority_score, l.owner_user_id, COALESCE(u.full_name, ''), a.assigned_at "
        "FROM lead_routing r JOIN leads l ON l.workspace_id = r.workspace_id AND l.id = r.lead_id "
        "LEFT JOIN users u ON u.workspace_id = l.workspace_id AND u.id = l.owner_user_id "
        "LEFT JOIN lead_assignments a ON a.workspace_id = r.workspace_id AND a.id = r.assignment_id "
        "WHERE {visible} AND r.state IN ('running', 'queued', 'escalated') AND l.deleted_at IS NULL "
        "ORDER BY CASE WHEN r.deadline_at IS NULL THEN 1 ELSE 0 END, r.deadline_at, r.lead_id LIMIT :lim"));
    row.Bind(st);
    st.exchange(soci::into(lead_id));
    st.exchange(soci::into(title));
    st.exchange(soci::into(status));
    st.exchange(soci::into(priority));
    st.exchange(soci::into(owner, owner_ind));
    st.exchange(soci::into(owner_name));
    st.exchange(soci::into(at, at_ind));
    visible.BindTo(st);
    st.exchange(soci::use(lim, "lim"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Clock> out;
    while (st.fetch()) {
        Clock c;
        c.lead_id = lead_id;
        c.title = title;
        c.lead_status = status;
        c.priority = priority;
        if (owner_ind == soci::i_ok) c.owner_user_id = owner;
        c.owner_name = owner_name;
        c.routing = row.Take();
        if (at_ind == soci::i_ok) c.assigned_at = at;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<PersonFacts> FactsByPerson(soci::session& sql, const auth::Predicate& visible, core::Millis from_ms,
                                       core::Millis to_ms) {
    long long from = from_ms, to = to_ms, user = 0, rms = 0;
    std::string name, reason, why;
    soci::indicator rms_ind, br_ind, resp_ind;
    long long br = 0, resp = 0;
    soci::statement st(sql);
    st.alloc();
    st.prepare(
        visible.Expand("SELECT a.user_id, COALESCE(u.full_name, ''), a.reason, a.response_working_ms, a.breached_at, "
                       "a.responded_at, COALESCE(a.end_reason, '') FROM lead_assignments a "
                       "JOIN leads l ON l.workspace_id = a.workspace_id AND l.id = a.lead_id "
                       "JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.user_id "
                       "WHERE {visible} AND a.assigned_at >= :f AND a.assigned_at < :t ORDER BY a.user_id, a.id"));
    st.exchange(soci::into(user));
    st.exchange(soci::into(name));
    st.exchange(soci::into(reason));
    st.exchange(soci::into(rms, rms_ind));
    st.exchange(soci::into(br, br_ind));
    st.exchange(soci::into(resp, resp_ind));
    st.exchange(soci::into(why));
    visible.BindTo(st);
    st.exchange(soci::use(from, "f"));
    st.exchange(soci::use(to, "t"));
    st.define_and_bind();
    st.execute(false);
    std::vector<PersonFacts> out;
    while (st.fetch()) {
        if (out.empty() || out.back().user_id != user) {
            out.emplace_back();
            out.back().user_id = user;
            out.back().name = name;
        }
        auto& p = out.back();
        ++p.assigned;
        if (resp_ind == soci::i_ok) ++p.responded;
        if (rms_ind == soci::i_ok) p.response_working_ms.push_back(rms);
        if (br_ind == soci::i_ok) ++p.breached;
        if (why == "breached") ++p.reassigned_away;
    }
    return out;
}

std::vector<std::string> ResponseStatuses(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string text;
    sql << kResponseStatuses, soci::use(ws, "ws"), soci::into(text);
    if (!sql.got_data()) return {"in_work", "qualified"};
    std::vector<std::string> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

void PutResponseStatuses(soci::session& sql, core::Id ws_id, const std::vector<std::string>& statuses,
                         core::Millis now_ms) {
    long long ws = ws_id, now = now_ms;
    json::array a;
    for (const auto& s : statuses) a.emplace_back(s);
    const std::string text = json::serialize(a);
    sql << kPutResponseStatuses, soci::use(ws, "ws"), soci::use(text, "st"), soci::use(now, "now");
}

std::vector<Span> BusySpans(soci::session& sql, core::Id ws_id, core::Id host_id, core::Millis from_ms,
                            core::Millis to_ms) {
    long long ws = ws_id, host = host_id, from = from_ms, to = to_ms, s = 0, e = 0;
    std::vector<Span> out;
    soci::statement st = (sql.prepare << kBusy, soci::into(s), soci::into(e), soci::use(ws, "ws"),
                          soci::use(host, "host"), soci::use(to, "to"), soci::use(from, "from"));
    st.execute(false);
    while (st.fetch()) out.push_back({s, e});
    return out;
}

core::Id InsertMeeting(soci::session& sql, core::Id ws_id, const Meeting& m) {
    long long ws = ws_id, lead = m.lead_id, by = m.booked_by_user_id, host = m.host_user_id, s = m.starts_at,
              e = m.ends_at, now = m.created_at, id = 0;
    sql << kInsertMeeting, soci::use(ws, "ws"), soci::use(lead, "lead"), soci::use(by, "by"), soci::use(host, "host"),
        soci::use(s, "s"), soci::use(e, "e"), soci::use(m.place, "place"), soci::use(m.note, "note"),
        soci::use(now, "now"), soci::into(id);
    return id;
}

std::vector<Meeting> LeadMeetings(soci::session& sql, core::Id ws_id, core::Id lead_id) {
    long long ws = ws_id, lead = lead_id;
    Meeting m;
    long long id = 0, lid = 0, by = 0, host = 0, s = 0, e = 0, created = 0, deal = 0;
    soci::indicator deal_ind = soci::i_null;
    std::vector<Meeting> out;
    soci::statement st =
        (sql.prepare << kLeadMeetings, soci::into(id), soci::into(lid), soci::into(by), soci::into(host), soci::into(s),
         soci::into(e), soci::into(m.place), soci::into(m.note), soci::into(m.status), soci::into(created),
         soci::into(deal, deal_ind), soci::use(ws, "ws"), soci::use(lead, "lead"));
    st.execute(false);
    while (st.fetch()) {
        Meeting x = m;
        x.id = id;
        x.lead_id = lid;
        x.booked_by_user_id = by;
        x.host_user_id = host;
        x.starts_at = s;
        x.ends_at = e;
        x.created_at = created;
        if (deal_ind == soci::i_ok) x.deal_id = deal;
        out.push_back(std::move(x));
    }
    return out;
}

void SetMeetingDeal(soci::session& sql, core::Id ws_id, core::Id meeting_id, core::Id deal_id) {
    long long ws = ws_id, id = meeting_id, deal = deal_id;
    sql << kSetMeetingDeal, soci::use(deal, "deal"), soci::use(ws, "ws"), soci::use(id, "id");
}

}  // namespace otdel::routing::store
