#include "agenda/plan_store.hpp"

namespace otdel::agenda::store {
namespace {

// The caller's team: employees rows under the visibility predicate with the person's user id as the owner column
// (:uid 0: everyone visible).
constexpr const char* kVisiblePeople =
    "SELECT e.user_id, u.full_name FROM employees e JOIN users u ON u.workspace_id = e.workspace_id "
    "AND u.id = e.user_id WHERE {visible} AND e.status = 'active' AND (:uid = 0 OR e.user_id = :uid) "
    "ORDER BY u.full_name, e.user_id";

// Today's meetings (hosted), calls and tasks due today (done, or not yet overdue) per person.
constexpr const char* kDayCounts =
    "SELECT e.user_id, "
    "SUM(CASE WHEN a.kind = 'meeting' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.kind = 'task' AND a.due_at >= :s AND a.due_at < :e AND (a.done = 1 OR a.due_at >= :now) "
    "THEN 1 ELSE 0 END) "
    "FROM employees e JOIN activities a ON a.workspace_id = e.workspace_id AND a.owner_user_id = e.user_id "
    "AND a.at >= :s AND a.at < :e "
    "WHERE {visible} AND e.status = 'active' AND a.deleted_at IS NULL GROUP BY e.user_id";
// Meetings a person attends without hosting.
constexpr const char* kParticipantMeetings =
    "SELECT e.user_id, COUNT(*) FROM employees e JOIN activity_participants p ON p.workspace_id = e.workspace_id "
    "AND p.user_id = e.user_id JOIN activities a ON a.workspace_id = p.workspace_id AND a.id = p.activity_id "
    "WHERE {visible} AND e.status = 'active' AND a.kind = 'meeting' AND a.deleted_at IS NULL AND a.at >= :s "
    "AND a.at < :e AND (a.owner_user_id IS NULL OR a.owner_user_id <> e.user_id) GROUP BY e.user_id";
// Open tasks past due (the activities room's partial index: kind, done, deleted_at exactly so).
constexpr const char* kOverdueCounts =
    "SELECT e.user_id, COUNT(*) FROM employees e JOIN activities a ON a.workspace_id = e.workspace_id "
    "AND a.owner_user_id = e.user_id WHERE {visible} AND e.status = 'active' AND a.kind = 'task' AND a.done = 0 "
    "AND a.deleted_at IS NULL AND a.due_at < :now GROUP BY e.user_id";
// deals::IsIdle in SQL: an open deal whose stage has idle_days and no activity for that many days.
constexpr const char* kIdleCounts =
    "SELECT e.user_id, COUNT(*) FROM employees e JOIN deals d ON d.workspace_id = e.workspace_id "
    "AND d.owner_user_id = e.user_id AND d.status = 'open' JOIN pipeline_stages s ON s.workspace_id = d.workspace_id "
    "AND s.id = d.stage_id WHERE {visible} AND e.status = 'active' AND d.deleted_at IS NULL AND s.idle_days > 0 "
    "AND d.last_activity_at <= :now - s.idle_days * CAST(86400000 AS BIGINT) GROUP BY e.user_id";
constexpr const char* kSlaCounts =
    "SELECT e.user_id, COUNT(*), SUM(CASE WHEN r.deadline_at <= :now THEN 1 ELSE 0 END) FROM employees e "
    "JOIN leads l ON l.workspace_id = e.workspace_id AND l.owner_user_id = e.user_id "
    "AND l.status IN ('new', 'in_work', 'qualified') "
    "JOIN lead_routing r ON r.workspace_id = l.workspace_id AND r.lead_id = l.id "
    "WHERE {visible} AND e.status = 'active' AND l.deleted_at IS NULL AND r.state = 'running' "
    "AND r.deadline_at IS NOT NULL GROUP BY e.user_id";
// Driven by the invoices' due index (few issued invoices are due at once), then their deals' owners.
constexpr const char* kInstalmentCounts =
    "SELECT e.user_id, COUNT(*) FROM invoices i JOIN deals d ON d.workspace_id = i.workspace_id AND d.id = i.deal_id "
    "JOIN employees e ON e.workspace_id = d.workspace_id AND e.user_id = d.owner_user_id "
    "WHERE {visible} AND e.status = 'active' AND i.state = 'issued' AND i.next_due_date <= :today "
    "AND i.paid_minor < i.total_minor AND d.deleted_at IS NULL GROUP BY e.user_id";

constexpr const char* kIdleDeals =
    "SELECT d.id, d.title, s.name, COALESCE(c.name, ''), d.currency, d.amount_minor, d.last_activity_at, s.idle_days "
    "FROM deals d JOIN pipeline_stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id "
    "LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "WHERE {visible} AND d.owner_user_id = :uid AND d.status = 'open' AND d.deleted_at IS NULL AND s.idle_days > 0 "
    "AND d.last_activity_at <= :now - s.idle_days * CAST(86400000 AS BIGINT) "
    "ORDER BY d.last_activity_at, d.id LIMIT :lim";
constexpr const char* kRunningSla =
    "SELECT l.id, l.title, l.contact_name, l.company_name, r.deadline_at FROM leads l "
    "JOIN lead_routing r ON r.workspace_id = l.workspace_id AND r.lead_id = l.id "
    "WHERE {visible} AND l.owner_user_id = :uid AND l.status IN ('new', 'in_work', 'qualified') "
    "AND l.deleted_at IS NULL AND r.state = 'running' AND r.deadline_at IS NOT NULL "
    "ORDER BY r.deadline_at, l.id LIMIT :lim";
constexpr const char* kInstalmentsDue =
    "SELECT i.id, i.deal_id, COALESCE(i.number, ''), d.title, i.payer_name, i.next_due_date, i.currency, "
    "i.total_minor - i.paid_minor FROM invoices i JOIN deals d ON d.workspace_id = i.workspace_id "
    "AND d.id = i.deal_id WHERE {visible} AND d.owner_user_id = :uid AND d.deleted_at IS NULL "
    "AND i.state = 'issued' AND i.next_due_date <= :today AND i.paid_minor < i.total_minor "
    "ORDER BY i.next_due_date, i.id LIMIT :lim";

std::vector<Person> People(soci::session& sql, const auth::Visibility& vis, std::optional<core::Id> only) {
    const auth::Predicate visible = vis.Read("e", "user_id");
    std::vector<Person> out;
    long long uid = 0, want = only.value_or(0);
    std::string name;
    soci::statement st = (sql.prepare << visible.Expand(kVisiblePeople), soci::into(uid), soci::into(name),
                          soci::use(want, "uid"), visible);
    st.execute();
    while (st.fetch()) out.push_back({uid, name});
    return out;
}

PersonCounts& Row(std::map<core::Id, PersonCounts>& m, long long uid) {
    auto& r = m[uid];
    r.user_id = uid;
    return r;
}

}  // namespace

std::vector<Person> VisiblePeople(soci::session& sql, const auth::Visibility& vis) {
    return People(sql, vis, std::nullopt);
}

std::optional<Person> VisiblePerson(soci::session& sql, const auth::Visibility& vis, core::Id user_id) {
    auto p = People(sql, vis, user_id);
    if (p.empty()) return std::nullopt;
    return p.front();
}

std::map<core::Id, PersonCounts> TeamCounts(soci::session& sql, const auth::Visibility& vis, const CountWindow& w,
                                            bool activities, bool deals, bool leads, bool invoices) {
    std::map<core::Id, PersonCounts> out;
    long long s = w.start, e = w.end, now = w.now, uid = 0, a = 0, b = 0, c = 0;
    std::string today = w.today;
    if (activities) {
        const auth::Predicate visible = vis.Read("e", "user_id");
        soci::statement day = (sql.prepare << visible.Expand(kDayCounts), soci::into(uid), soci::into(a), soci::into(b),
                               soci::into(c), soci::use(s, "s"), soci::use(e, "e"), soci::use(now, "now"), visible);
        day.execute();
        while (day.fetch()) {
            auto& r = Row(out, uid);
            r.meetings = static_cast<int>(a);
            r.calls = static_cast<int>(b);
            r.tasks = static_cast<int>(c);
        }
        soci::statement attend = (sql.prepare << visible.Expand(kParticipantMeetings), soci::into(uid), soci::into(a),
                                  soci::use(s, "s"), soci::use(e, "e"), visible);
        attend.execute();
        while (attend.fetch()) Row(out, uid).meetings += static_cast<int>(a);
        soci::statement overdue = (sql.prepare << visible.Expand(kOverdueCounts), soci::into(uid), soci::into(a),
                                   soci::use(now, "now"), visible);
        overdue.execute();
        while (overdue.fetch()) Row(out, uid).overdue = static_cast<int>(a);
    }
    if (deals) {
        const auth::Predicate visible = vis.Read("e", "user_id");
        soci::statement idle = (sql.prepare << visible.Expand(kIdleCounts), soci::into(uid), soci::into(a),
                                soci::use(now, "now"), visible);
        idle.execute();
        while (idle.fetch()) Row(out, uid).idle_deals = static_cast<int>(a);
    }
    if (leads) {
        const auth::Predicate visible = vis.Read("e", "user_id");
        soci::statement sla = (sql.prepare << visible.Expand(kSlaCounts), soci::into(uid), soci::into(a), soci::into(b),
                               soci::use(now, "now"), visible);
        sla.execute();
        while (sla.fetch()) {
            auto& r = Row(out, uid);
            r.sla_breached = static_cast<int>(b);
            r.sla_running = static_cast<int>(a - b);
        }
    }
    if (invoices) {
        const auth::Predicate visible = vis.Read("e", "user_id");
        soci::statement due = (sql.prepare << visible.Expand(kInstalmentCounts), soci::into(uid), soci::into(a),
                               soci::use(today, "today"), visible);
        due.execute();
        while (due.fetch()) Row(out, uid).instalments_due = static_cast<int>(a);
    }
    return out;
}

std::vector<IdleDeal> IdleDeals(soci::session& sql, const auth::Visibility& vis, core::Id user_id, core::Millis now,
                                int limit) {
    const auth::Predicate visible = vis.Read("d");
    std::vector<IdleDeal> out;
    IdleDeal r;
    long long id = 0, amount = 0, last = 0, idle = 0, uid = user_id, at = now, lim = limit;
    soci::statement st =
        (sql.prepare << visible.Expand(kIdleDeals), soci::into(id), soci::into(r.title), soci::into(r.stage_name),
         soci::into(r.company_name), soci::into(r.currency), soci::into(amount), soci::into(last), soci::into(idle),
         soci::use(uid, "uid"), soci::use(at, "now"), soci::use(lim, "lim"), visible);
    st.execute();
    while (st.fetch()) {
        r.id = id;
        r.amount_minor = amount;
        r.last_activity_at = last;
        r.idle_days = static_cast<int>(idle);
        out.push_back(r);
    }
    return out;
}

std::vector<SlaClock> RunningSla(soci::session& sql, const auth::Visibility& vis, core::Id user_id, int limit) {
    const auth::Predicate visible = vis.Read("l");
    std::vector<SlaClock> out;
    SlaClock r;
    long long id = 0, deadline = 0, uid = user_id, lim = limit;
    soci::statement st =
        (sql.prepare << visible.Expand(kRunningSla), soci::into(id), soci::into(r.title), soci::into(r.contact_name),
         soci::into(r.company_name), soci::into(deadline), soci::use(uid, "uid"), soci::use(lim, "lim"), visible);
    st.execute();
    while (st.fetch()) {
        r.lead_id = id;
        r.deadline_at = deadline;
        out.push_back(r);
    }
    return out;
}

std::vector<InstalmentDue> InstalmentsDue(soci::session& sql, const auth::Visibility& vis, core::Id user_id,
                                          const std::string& today, int limit) {
    const auth::Predicate visible = vis.Read("d");
    std::vector<InstalmentDue> out;
    InstalmentDue r;
    long long id = 0, deal = 0, outstanding = 0, uid = user_id, lim = limit;
    std::string day = today;
    soci::statement st =
        (sql.prepare << visible.Expand(kInstalmentsDue), soci::into(id), soci::into(deal), soci::into(r.number),
         soci::into(r.deal_title), soci::into(r.payer_name), soci::into(r.due_date), soci::into(r.currency),
         soci::into(outstanding), soci::use(uid, "uid"), soci::use(day, "today"), soci::use(lim, "lim"), visible);
    st.execute();
    while (st.fetch()) {
        r.invoice_id = id;
        r.deal_id = deal;
        r.outstanding_minor = outstanding;
        out.push_back(r);
    }
    return out;
}

}  // namespace otdel::agenda::store
