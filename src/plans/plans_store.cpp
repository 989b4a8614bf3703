#include "plans/plans_store.hpp"

#include "db/nullable.hpp"

namespace otdel::plans::store {
namespace {

constexpr const char* kPlanColumns =
    "p.id, p.period_kind, p.first_day, p.last_day, p.department_id, p.owner_user_id, p.metric, p.target, p.currency, "
    "p.parent_plan_id, p.split_weight, p.note, p.created_by, p.created_at, p.updated_at";
constexpr const char* kSelectPlansOfPeriod =
    " FROM sales_plans p WHERE p.workspace_id = :ws AND p.first_day = :first AND (p.department_id IS NOT NULL OR "
    "{visible}) ORDER BY p.id";
constexpr const char* kSelectPlanById = " FROM sales_plans p WHERE p.workspace_id = :ws AND p.id = :id";
constexpr const char* kFindPlan =
    " FROM sales_plans p WHERE p.workspace_id = :ws AND p.period_kind = :kind AND p.first_day = :first AND p.metric = "
    ":metric AND COALESCE(p.department_id, 0) = :dept AND COALESCE(p.owner_user_id, 0) = :owner";
constexpr const char* kInsertPlan =
    "INSERT INTO sales_plans (workspace_id, period_kind, first_day, last_day, department_id, owner_user_id, metric, "
    "target, currency, parent_plan_id, split_weight, note, created_by, created_at, updated_at) VALUES (:ws, :kind, "
    ":first, :last, :dept, :owner, :metric, :target, :currency, :parent, :weight, :note, :by, :created, :updated) "
    "RETURNING id";
constexpr const char* kUpdatePlan =
    "UPDATE sales_plans SET target = :target, parent_plan_id = :parent, split_weight = :weight, note = :note, "
    "updated_at = :updated WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeletePlan = "DELETE FROM sales_plans WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDetachChildren =
    "UPDATE sales_plans SET parent_plan_id = NULL WHERE workspace_id = :ws AND parent_plan_id = :id";

constexpr const char* kGoalColumns =
    "g.id, g.title, g.kpi, g.target, g.currency, g.owner_user_id, g.department_id, g.starts_on, g.deadline, g.note, "
    "g.created_by, g.created_at, g.updated_at";
constexpr const char* kGoalWhere = " FROM goals g WHERE g.workspace_id = :ws AND {visible} AND g.deleted_at IS NULL";
constexpr const char* kInsertGoal =
    "INSERT INTO goals (workspace_id, title, kpi, target, currency, owner_user_id, department_id, starts_on, deadline, "
    "note, created_by, created_at, updated_at) VALUES (:ws, :title, :kpi, :target, :currency, :owner, :dept, :starts, "
    ":deadline, :note, :by, :created, :updated) RETURNING id";
constexpr const char* kUpdateGoal =
    "UPDATE goals SET title = :title, kpi = :kpi, target = :target, currency = :currency, owner_user_id = :owner, "
    "department_id = :dept, starts_on = :starts, deadline = :deadline, note = :note, updated_at = :updated WHERE "
    "workspace_id = :ws AND id = :id AND deleted_at IS NULL";
constexpr const char* kDeleteGoal =
    "UPDATE goals SET deleted_at = :now WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL";

constexpr const char* kSelectDepartments =
    "SELECT id, parent_id, name, path, head_user_id FROM departments WHERE workspace_id = :ws AND archived_at IS NULL "
    "ORDER BY path";
constexpr const char* kSelectPeople =
    "SELECT e.user_id, e.department_id, u.full_name FROM employees e JOIN users u ON u.workspace_id = e.workspace_id "
    "AND u.id = e.user_id WHERE e.workspace_id = :ws AND {visible} AND e.status = 'active' ORDER BY u.full_name, "
    "e.user_id";
constexpr const char* kSelectUserName = "SELECT full_name FROM users WHERE workspace_id = :ws AND id = :id";

// The columns of one plan row, bound once per statement.
struct PlanInto {
    long long id = 0, target = 0, created = 0, updated = 0;
    std::string kind, first, last, metric, currency, note;
    db::NullableId dept, owner, parent, weight, by;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(first));
        st.exchange(soci::into(last));
        st.exchange(soci::into(dept.v, dept.ind));
        st.exchange(soci::into(owner.v, owner.ind));
        st.exchange(soci::into(metric));
        st.exchange(soci::into(target));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(parent.v, parent.ind));
        st.exchange(soci::into(weight.v, weight.ind));
        st.exchange(soci::into(note));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Plan Take() const {
        Plan p;
        p.id = id;
        p.period = ParsePeriodKind(kind).value_or(PeriodKind::kMonth);
        p.first_day = first;
        p.last_day = last;
        p.department_id = dept.get();
        p.user_id = owner.get();
        p.metric = ParsePlanMetric(metric).value_or(PlanMetric::kRevenue);
        p.target = target;
        p.currency = currency;
        p.parent_plan_id = parent.get();
        p.weight = weight.get();
        p.note = note;
        p.created_by = by.get();
        p.created_at = created;
        p.updated_at = updated;
        return p;
    }
};

struct GoalInto {
    long long id = 0, target = 0, owner = 0, created = 0, updated = 0;
    std::string title, kpi, currency, starts, deadline, note;
    db::NullableId dept, by;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(title));
        st.exchange(soci::into(kpi));
        st.exchange(soci::into(target));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(owner));
        st.exchange(soci::into(dept.v, dept.ind));
        st.exchange(soci::into(starts));
        st.exchange(soci::into(deadline));
        st.exchange(soci::into(note));
        st.exchange(soci::into(by.v, by.ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Goal Take() const {
        Goal g;
        g.id = id;
        g.title = title;
        g.kpi = ParseKpi(kpi).value_or(KpiCode::kRevenue);
        g.target = target;
        g.currency = currency;
        g.owner_user_id = owner;
        g.department_id = dept.get();
        g.starts_on = starts;
        g.deadline = deadline;
        g.note = note;
        g.created_by = by.get();
        g.created_at = created;
        g.updated_at = updated;
        return g;
    }
};

std::vector<Plan> FetchPlans(soci::statement& st, PlanInto& row) {
    st.define_and_bind();
    st.execute(false);
    std::vector<Plan> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

}  // namespace

std::vector<Plan> PlansOfPeriod(soci::session& sql, core::Id ws_id, const std::string& first_day,
                                const auth::Predicate& visible) {
    long long ws = ws_id;
    std::string first = first_day;
    PlanInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string("SELECT ") + kPlanColumns + kSelectPlansOfPeriod));
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(first, "first"));
    visible.BindTo(st);
    return FetchPlans(st, row);
}

std::optional<Plan> SelectPlan(soci::session& sql, core::Id ws_id, core::Id plan_id) {
    long long ws = ws_id, id = plan_id;
    PlanInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string("SELECT ") + kPlanColumns + kSelectPlanById);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(id, "id"));
    auto v = FetchPlans(st, row);
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::optional<Plan> FindPlan(soci::session& sql, core::Id ws_id, const Plan& like) {
    long long ws = ws_id, dept = like.department_id.value_or(0), owner = like.user_id.value_or(0);
    std::string first = like.first_day, metric(PlanMetricName(like.metric)), kind(PeriodKindName(like.period));
    PlanInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string("SELECT ") + kPlanColumns + kFindPlan);
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(kind, "kind"));
    st.exchange(soci::use(first, "first"));
    st.exchange(soci::use(metric, "metric"));
    st.exchange(soci::use(dept, "dept"));
    st.exchange(soci::use(owner, "owner"));
    auto v = FetchPlans(st, row);
    if (v.empty()) return std::nullopt;
    return v.front();
}

core::Id InsertPlan(soci::session& sql, core::Id ws_id, const Plan& p) {
    long long ws = ws_id, target = p.target, created = p.created_at, updated = p.updated_at, id = 0;
    std::string kind(PeriodKindName(p.period)), metric(PlanMetricName(p.metric));
    db::NullableId dept(p.department_id), owner(p.user_id), parent(p.parent_plan_id), weight(p.weight),
        by(p.created_by);
    sql << kInsertPlan, soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(p.first_day, "first"),
        soci::use(p.last_day, "last"), soci::use(dept.v, dept.ind, "dept"), soci::use(owner.v, owner.ind, "owner"),
        soci::use(metric, "metric"), soci::use(target, "target"), soci::use(p.currency, "currency"),
        soci::use(parent.v, parent.ind, "parent"), soci::use(weight.v, weight.ind, "weight"), soci::use(p.note, "note"),
        soci::use(by.v, by.ind, "by"), soci::use(created, "created"), soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdatePlanTarget(soci::session& sql, core::Id ws_id, core::Id plan_id, std::int64_t target_v,
                      std::optional<core::Id> parent_plan_id, std::optional<std::int64_t> weight_v,
                      const std::string& note, core::Millis now) {
    long long ws = ws_id, id = plan_id, target = target_v, updated = now;
    db::NullableId parent(parent_plan_id), weight(weight_v);
    sql << kUpdatePlan, soci::use(target, "target"), soci::use(parent.v, parent.ind, "parent"),
        soci::use(weight.v, weight.ind, "weight"), soci::use(note, "note"), soci::use(updated, "updated"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

void DeletePlan(soci::session& sql, core::Id ws_id, core::Id plan_id) {
    long long ws = ws_id, id = plan_id;
    sql << kDeletePlan, soci::use(ws, "ws"), soci::use(id, "id");
}

void DetachChildren(soci::session& sql, core::Id ws_id, core::Id parent_id) {
    long long ws = ws_id, id = parent_id;
    sql << kDetachChildren, soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<Goal> ListGoals(soci::session& sql, core::Id ws_id, const GoalFilter& f, const auth::Predicate& visible) {
    long long ws = ws_id, owner = f.owner.value_or(0), before = f.before.value_or(0), lim = f.limit;
    std::string today = f.today;
    std::string text = std::string("SELECT ") + kGoalColumns + kGoalWhere;
    if (f.owner) text += " AND g.owner_user_id = :owner";
    if (f.overdue_only) text += " AND g.deadline < :today";
    if (f.before) text += " AND g.id < :before";
    text += " ORDER BY g.id DESC LIMIT :lim";
    GoalInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    if (f.owner) st.exchange(soci::use(owner, "owner"));
    if (f.overdue_only) st.exchange(soci::use(today, "today"));
    if (f.before) st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Goal> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

std::optional<Goal> SelectGoal(soci::session& sql, core::Id ws_id, core::Id goal_id, const auth::Predicate& visible) {
    long long ws = ws_id, id = goal_id;
    GoalInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(std::string("SELECT ") + kGoalColumns + kGoalWhere + " AND g.id = :id"));
    row.Bind(st);
    st.exchange(soci::use(ws, "ws"));
    st.exchange(soci::use(id, "id"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    if (!st.fetch()) return std::nullopt;
    return row.Take();
}

core::Id InsertGoal(soci::session& sql, core::Id ws_id, const Goal& g) {
    long long ws = ws_id, target = g.target, owner = g.owner_user_id, created = g.created_at, updated = g.updated_at,
              id = 0;
    std::string kpi(Def(g.kpi).key);
    db::NullableId dept(g.department_id), by(g.created_by);
    sql << kInsertGoal, soci::use(ws, "ws"), soci::use(g.title, "title"), soci::use(kpi, "kpi"),
        soci::use(target, "target"), soci::use(g.currency, "currency"), soci::use(owner, "owner"),
        soci::use(dept.v, dept.ind, "dept"), soci::use(g.starts_on, "starts"), soci::use(g.deadline, "deadline"),
        soci::use(g.note, "note"), soci::use(by.v, by.ind, "by"), soci::use(created, "created"),
        soci::use(updated, "updated"), soci::into(id);
    return id;
}

void UpdateGoal(soci::session& sql, core::Id ws_id, const Goal& g) {
    long long ws = ws_id, id = g.id, target = g.target, owner = g.owner_user_id, updated = g.updated_at;
    std::string kpi(Def(g.kpi).key);
    db::NullableId dept(g.department_id);
    sql << kUpdateGoal, soci::use(g.title, "title"), soci::use(kpi, "kpi"), soci::use(target, "target"),
        soci::use(g.currency, "currency"), soci::use(owner, "owner"), soci::use(dept.v, dept.ind, "dept"),
        soci::use(g.starts_on, "starts"), soci::use(g.deadline, "deadline"), soci::use(g.note, "note"),
        soci::use(updated, "updated"), soci::use(ws, "ws"), soci::use(id, "id");
}

void SoftDeleteGoal(soci::session& sql, core::Id ws_id, core::Id goal_id, core::Millis now_ms) {
    long long ws = ws_id, id = goal_id, now = now_ms;
    sql << kDeleteGoal, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<OrgDept> Departments(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0;
    db::NullableId parent, head;
    std::string name, path;
    soci::statement st = (sql.prepare << kSelectDepartments, soci::into(id), soci::into(parent.v, parent.ind),
                          soci::into(name), soci::into(path), soci::into(head.v, head.ind), soci::use(ws, "ws"));
    st.execute(false);
    std::vector<OrgDept> out;
    while (st.fetch()) out.push_back({id, parent.get(), name, path, head.get()});
    return out;
}

std::vector<OrgPerson> People(soci::session& sql, core::Id ws_id, const auth::Predicate& visible) {
    long long ws = ws_id, uid = 0, dept = 0;
    std::string name;
    soci::statement st = (sql.prepare << visible.Expand(kSelectPeople), soci::into(uid), soci::into(dept),
                          soci::into(name), soci::use(ws, "ws"), visible);
    st.execute(false);
    std::vector<OrgPerson> out;
    while (st.fetch()) out.push_back({uid, dept, name});
    return out;
}

std::string UserName(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, id = user_id;
    std::string name;
    sql << kSelectUserName, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name);
    return sql.got_data() ? name : std::string();
}

}  // namespace otdel::plans::store
