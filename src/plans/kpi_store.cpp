#include "plans/kpi_store.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include "db/nullable.hpp"

namespace otdel::plans::store {
namespace {

// ---- filter fragments: code constants appended to a statement; every value is bound ----

// Owners placed in a department's subtree.
constexpr const char* kOwnerInSubtree =
    " AND {o} IN (SELECT fe.user_id FROM employees fe JOIN departments fdep ON fdep.workspace_id = fe.workspace_id "
    "AND fdep.id = fe.department_id WHERE fe.workspace_id = :f_ws_dep AND fdep.path LIKE :f_path)";
constexpr const char* kOwnerIs = " AND {o} = :f_user";
constexpr const char* kDealPipeline = " AND d.pipeline_id = :f_pipeline";
constexpr const char* kDealChannel =
    " AND d.source_lead_id IN (SELECT fl.id FROM leads fl WHERE fl.workspace_id = :f_ws_ch AND fl.channel = "
    ":f_channel)";
constexpr const char* kDealProduct =
    " AND d.id IN (SELECT fdl.deal_id FROM deal_lines fdl WHERE fdl.workspace_id = :f_ws_pr AND fdl.product_id = "
    ":f_product)";
constexpr const char* kLeadChannel = " AND l.channel = :f_channel";

// Deals created in the window, or won / lost in it, or (retention) won in the equally long window before.
// The columns every deal row is read with (FetchDeals), followed by one of the conditions below.
constexpr const char* kDealColumns =
    "SELECT d.id, d.owner_user_id, d.pipeline_id, d.stage_id, d.amount_minor, d.currency, d.status, d.created_at, "
    "d.closed_at, d.loss_reason_id, d.company_id, d.contact_id FROM deals d ";
constexpr const char* kDealsWhere =
    "WHERE d.workspace_id = :ws AND {visible} "
    "AND d.deleted_at IS NULL AND ((d.created_at >= :from1 AND d.created_at < :to1) OR (d.closed_at >= :from2 AND "
    "d.closed_at < :to2))";
// The stage positions the deals created in the window entered.
constexpr const char* kSelectReached =
    "SELECT h.deal_id, s.position FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id "
    "= h.deal_id JOIN pipeline_stages s ON s.workspace_id = h.workspace_id AND s.id = h.to_stage_id WHERE "
    "h.workspace_id = :ws AND {visible} AND d.deleted_at IS NULL AND d.created_at >= :from1 AND d.created_at < :to1";
constexpr const char* kSelectStages =
    "SELECT id, name, position, kind FROM pipeline_stages WHERE workspace_id = :ws AND pipeline_id = :pipeline AND "
    "archived_at IS NULL ORDER BY position, id";
constexpr const char* kSelectDefaultPipeline =
    "SELECT id FROM pipelines WHERE workspace_id = :ws AND archived_at IS NULL ORDER BY is_default DESC, position, id "
    "LIMIT 1";
constexpr const char* kSelectLeads =
    "SELECT l.id, l.owner_user_id, l.created_at, CASE WHEN l.converted_at IS NOT NULL OR EXISTS (SELECT 1 FROM deals "
    "ld WHERE ld.workspace_id = l.workspace_id AND ld.source_lead_id = l.id AND ld.deleted_at IS NULL) THEN 1 ELSE 0 "
    "END FROM leads l WHERE l.workspace_id = :ws AND {visible} AND l.deleted_at IS NULL AND l.merged_into_id IS NULL "
    "AND l.created_at >= :from1 AND l.created_at < :to1";
constexpr const char* kSelectAssignments =
    "SELECT la.id, la.lead_id, la.user_id, la.assigned_at, la.response_working_ms, CASE WHEN la.deadline_at IS NULL "
    "THEN 0 ELSE 1 END, CASE WHEN la.breached_at IS NULL THEN 0 ELSE 1 END FROM lead_assignments la JOIN leads l ON "
    "l.workspace_id = la.workspace_id AND l.id = la.lead_id WHERE la.workspace_id = :ws AND {visible} AND la.user_id "
    "IS NOT NULL AND la.assigned_at >= :from1 AND la.assigned_at < :to1";
// Calls and meetings per owner (grouped: the formulas sum counts).
constexpr const char* kSelectActivities =
    "SELECT a.owner_user_id, a.kind, COUNT(*) FROM activities a WHERE a.workspace_id = :ws AND {visible} AND "
    "a.deleted_at IS NULL AND a.kind IN ('call', 'meeting') AND a.at >= :from1 AND a.at < :to1";
constexpr const char* kGroupActivities = " GROUP BY a.owner_user_id, a.kind";
// Live payments of the period's days, on the deal's owner.
constexpr const char* kSelectPayments =
    "SELECT p.id, d.id, d.owner_user_id, p.amount_minor, p.currency, p.paid_on FROM payments p JOIN invoices i ON "
    "i.workspace_id = p.workspace_id AND i.id = p.invoice_id JOIN deals d ON d.workspace_id = i.workspace_id AND d.id "
    "= i.deal_id WHERE p.workspace_id = :ws AND {visible} AND p.deleted_at IS NULL AND p.paid_on >= :first1 AND "
    "p.paid_on <= :last1";
// Won deals of the window that are their client's first win ever (a client: the company, else the contact).
constexpr const char* kFirstWinsWhere =
    "WHERE d.workspace_id = :ws AND {visible} AND d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= :from1 "
    "AND d.closed_at < :to1 AND (d.company_id IS NOT NULL OR d.contact_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM "
    "deals d2 WHERE d2.workspace_id = d.workspace_id AND d2.status = 'won' AND d2.deleted_at IS NULL AND d2.id <> d.id "
    "AND ((d.company_id IS NOT NULL AND d2.company_id = d.company_id) OR (d.company_id IS NULL AND d2.company_id IS "
    "NULL AND d2.contact_id = d.contact_id)) AND (d2.closed_at < d.closed_at OR (d2.closed_at = d.closed_at AND d2.id "
    "< d.id)))";
// The same deals from plan_first_wins (migration 0026: each client's first won deal ever, kept exact by triggers on
// deals): the window's range of its close-instant index, joined to the deals for their columns and the filters.
constexpr const char* kFirstWinsFrom =
    "JOIN plan_first_wins fw ON fw.workspace_id = d.workspace_id AND fw.deal_id = d.id WHERE fw.workspace_id = :ws AND "
    "fw.closed_at >= :from1 AND fw.closed_at < :to1 AND d.workspace_id = :ws_d AND {visible}";
// Scored reviews (ACT-3) of calls and meetings held in the window, on the reviewed person.
constexpr const char* kSelectReviews =
    "SELECT r.id, r.reviewed_user_id, r.score_bp FROM reviews r WHERE r.workspace_id = :ws AND {visible} AND "
    "r.deleted_at IS NULL AND r.score_bp IS NOT NULL AND r.activity_at >= :from1 AND r.activity_at < :to1";
constexpr const char* kSelectDepartmentPath = "SELECT path FROM departments WHERE workspace_id = :ws AND id = :id";

std::string Replace(std::string text, std::string_view what, std::string_view with) {
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
        text.replace(pos, what.size(), with);
    return text;
}

// Bound values that outlive the statement (soci binds references).
class Binds {
public:
    void Int(std::string name, long long v) { ints_.emplace_back(std::move(name), v); }
    void Text(std::string name, std::string v) { texts_.emplace_back(std::move(name), std::move(v)); }
    void To(soci::statement& st) {
        for (auto& [n, v] : ints_) st.exchange(soci::use(v, n));
        for (auto& [n, v] : texts_) st.exchange(soci::use(v, n));
    }

private:
    std::deque<std::pair<std::string, long long>> ints_;
    std::deque<std::pair<std::string, std::string>> texts_;
};

// Owner filters (person, department subtree) on `owner_column`, and — for deal-based rows — the deal filters.
std::string Filters(const KpiFilter& f, const std::optional<std::string>& path, std::string_view owner_column,
                    bool deal_filters, bool lead_channel, Binds& b) {
    std::string t;
    if (f.user_id) {
        t += Replace(kOwnerIs, "{o}", owner_column);
        b.Int("f_user", *f.user_id);
    }
    if (path) {
        t += Replace(kOwnerInSubtree, "{o}", owner_column);
        b.Int("f_ws_dep", f.workspace_id);
        b.Text("f_path", *path + "%");
    }
    if (deal_filters) {
        if (f.pipeline_id) {
            t += kDealPipeline;
            b.Int("f_pipeline", *f.pipeline_id);
        }
        if (f.channel) {
            t += kDealChannel;
            b.Int("f_ws_ch", f.workspace_id);
            b.Text("f_channel", *f.channel);
        }
        if (f.product_id) {
            t += kDealProduct;
            b.Int("f_ws_pr", f.workspace_id);
            b.Int("f_product", *f.product_id);
        }
    }
    if (lead_channel && f.channel) {
        t += kLeadChannel;
        b.Text("f_channel", *f.channel);
    }
    return t;
}

// Prepares `text` (with {visible}) and binds the predicate and the filter values; the caller adds its intos.
void Prepare(soci::statement& st, const std::string& text, const auth::Predicate& visible, Binds& b) {
    st.alloc();
    st.prepare(visible.Expand(text));
    visible.BindTo(st);
    b.To(st);
}

std::string ClientKey(const db::NullableId& company, const db::NullableId& contact) {
    if (company.ind == soci::i_ok) return "c" + std::to_string(company.v);
    if (contact.ind == soci::i_ok) return "p" + std::to_string(contact.v);
    return "";
}

std::optional<core::Id> Opt(const db::NullableId& v) {
    return v.get();
}

// Runs a deal query (kDealColumns + condition) and reads its rows.
std::vector<DealRow> FetchDeals(soci::session& sql, const std::string& text, const auth::Predicate& visible, Binds& b) {
    long long id = 0, pipeline = 0, stage = 0, amount = 0, created = 0;
    db::NullableId owner, closed, reason, company, contact;
    std::string currency, status;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner.v, owner.ind));
    st.exchange(soci::into(pipeline));
    st.exchange(soci::into(stage));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(currency));
    st.exchange(soci::into(status));
    st.exchange(soci::into(created));
    st.exchange(soci::into(closed.v, closed.ind));
    st.exchange(soci::into(reason.v, reason.ind));
    st.exchange(soci::into(company.v, company.ind));
    st.exchange(soci::into(contact.v, contact.ind));
    st.define_and_bind();
    st.execute(false);
    std::vector<DealRow> out;
    while (st.fetch()) {
        DealRow r;
        r.id = id;
        r.owner = Opt(owner);
        r.pipeline_id = pipeline;
        r.stage_id = stage;
        r.amount_minor = amount;
        r.currency = currency;
        r.status = status;
        r.created_at = created;
        r.closed_at = Opt(closed);
        r.loss_reason_id = Opt(reason);
        r.client_key = ClientKey(company, contact);
        out.push_back(std::move(r));
    }
    return out;
}

void LoadDeals(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path, unsigned inputs,
               const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("d");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.to);
    // Retention reads the wins of the window before as well.
    b.Int("from2", (inputs & kInPriorWins) ? f.from - (f.to - f.from) : f.from);
    b.Int("to2", f.to);
    const std::string text = kDealColumns + std::string(kDealsWhere) +
                             Filters(f, path, "d.owner_user_id", true, false, b) + " ORDER BY d.id";
    out.deals = FetchDeals(sql, text, visible, b);
    if (!(inputs & kInStages)) return;
    // Stage positions the deals entered (per-stage conversion).
    std::map<core::Id, std::size_t> at;
    for (std::size_t i = 0; i < out.deals.size(); ++i) at[out.deals[i].id] = i;
    Binds hb;
    hb.Int("ws", f.workspace_id);
    hb.Int("from1", f.from);
    hb.Int("to1", f.to);
    const std::string htext = kSelectReached + Filters(f, path, "d.owner_user_id", true, false, hb);
    const auth::Predicate hvisible = vis.Read("d");
    long long deal = 0;
    int position = 0;
    soci::statement hs(sql);
    Prepare(hs, htext, hvisible, hb);
    hs.exchange(soci::into(deal));
    hs.exchange(soci::into(position));
    hs.define_and_bind();
    hs.execute(false);
    while (hs.fetch())
        if (auto it = at.find(deal); it != at.end()) out.deals[it->second].positions_reached.push_back(position);
    for (auto& d : out.deals) std::sort(d.positions_reached.begin(), d.positions_reached.end());
}

void LoadStages(soci::session& sql, const KpiFilter& f, KpiInputs& out) {
    std::optional<core::Id> pipeline = f.pipeline_id ? f.pipeline_id : DefaultPipeline(sql, f.workspace_id);
    if (!pipeline) return;
    long long ws = f.workspace_id, p = *pipeline, id = 0;
    int position = 0;
    std::string name, kind;
    soci::statement st = (sql.prepare << kSelectStages, soci::into(id), soci::into(name), soci::into(position),
                          soci::into(kind), soci::use(ws, "ws"), soci::use(p, "pipeline"));
    st.execute(false);
    while (st.fetch()) out.stages.push_back({id, name, position, kind});
}

void LoadLeads(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
               const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("l");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.to);
    const std::string text = kSelectLeads + Filters(f, path, "l.owner_user_id", false, true, b);
    long long id = 0, created = 0;
    int became = 0;
    db::NullableId owner;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner.v, owner.ind));
    st.exchange(soci::into(created));
    st.exchange(soci::into(became));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.leads.push_back({id, Opt(owner), created, became != 0});
}

void LoadAssignments(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
                     const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("la", "user_id");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.to);
    const std::string text = kSelectAssignments + Filters(f, path, "la.user_id", false, true, b);
    long long id = 0, lead = 0, at = 0;
    int deadline = 0, breached = 0;
    db::NullableId owner, response;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(id));
    st.exchange(soci::into(lead));
    st.exchange(soci::into(owner.v, owner.ind));
    st.exchange(soci::into(at));
    st.exchange(soci::into(response.v, response.ind));
    st.exchange(soci::into(deadline));
    st.exchange(soci::into(breached));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
        AssignmentRow r;
        r.id = id;
        r.lead_id = lead;
        r.owner = Opt(owner);
        r.assigned_at = at;
        r.response_working_ms = response.get();
        r.has_deadline = deadline != 0;
        r.breached = breached != 0;
        out.assignments.push_back(r);
    }
}

void LoadActivities(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
                    const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("a");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.until ? std::min(f.to, *f.until) : f.to);
    const std::string text =
        kSelectActivities + Filters(f, path, "a.owner_user_id", false, false, b) + kGroupActivities;
    db::NullableId owner;
    std::string kind;
    long long n = 0;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(owner.v, owner.ind));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(n));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.activities.push_back({Opt(owner), kind, n});
}

void LoadPayments(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
                  const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("d");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Text("first1", f.first_day);
    b.Text("last1", f.last_day);
    const std::string text = kSelectPayments + Filters(f, path, "d.owner_user_id", true, false, b) + " ORDER BY p.id";
    long long id = 0, deal = 0, amount = 0;
    db::NullableId owner;
    std::string currency, paid_on;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(id));
    st.exchange(soci::into(deal));
    st.exchange(soci::into(owner.v, owner.ind));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(currency));
    st.exchange(soci::into(paid_on));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.payments.push_back({id, deal, Opt(owner), amount, currency, paid_on});
}

void LoadFirstWins(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
                   const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("d");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.to);
    if (!f.first_wins_from_records) b.Int("ws_d", f.workspace_id);
    const std::string text = kDealColumns + std::string(f.first_wins_from_records ? kFirstWinsWhere : kFirstWinsFrom) +
                             Filters(f, path, "d.owner_user_id", true, false, b) + " ORDER BY d.id";
    out.first_wins = FetchDeals(sql, text, visible, b);
}

void LoadReviews(soci::session& sql, const KpiFilter& f, const std::optional<std::string>& path,
                 const auth::Visibility& vis, KpiInputs& out) {
    const auth::Predicate visible = vis.Read("r", "reviewed_user_id");
    Binds b;
    b.Int("ws", f.workspace_id);
    b.Int("from1", f.from);
    b.Int("to1", f.to);
    const std::string text =
        kSelectReviews + Filters(f, path, "r.reviewed_user_id", false, false, b) + " ORDER BY r.id";
    long long id = 0, owner = 0, score = 0;
    soci::statement st(sql);
    Prepare(st, text, visible, b);
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(score));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.reviews.push_back({id, owner, score, 10000});
}

}  // namespace

std::optional<std::string> DepartmentPath(soci::session& sql, core::Id ws_id, core::Id department_id) {
    long long ws = ws_id, id = department_id;
    std::string path;
    soci::indicator ind = soci::i_null;
    sql << kSelectDepartmentPath, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(path, ind);
    if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
    return path;
}

std::optional<core::Id> DefaultPipeline(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0;
    sql << kSelectDefaultPipeline, soci::use(ws, "ws"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

KpiInputs LoadKpiInputs(soci::session& sql, const KpiFilter& f, unsigned inputs, const auth::Visibility& vis) {
    KpiInputs out;
    std::optional<std::string> path;
    if (f.department_id) {
        path = DepartmentPath(sql, f.workspace_id, *f.department_id);
        if (!path) return out;  // an unknown department has no records
    }
    if (inputs & (kInDeals | kInPriorWins | kInStages)) LoadDeals(sql, f, path, inputs, vis, out);
    if (inputs & kInStages) LoadStages(sql, f, out);
    if (inputs & kInLeads) LoadLeads(sql, f, path, vis, out);
    if (inputs & kInAssignments) LoadAssignments(sql, f, path, vis, out);
    if (inputs & kInActivities) LoadActivities(sql, f, path, vis, out);
    if (inputs & kInPayments) LoadPayments(sql, f, path, vis, out);
    if (inputs & kInFirstWins) LoadFirstWins(sql, f, path, vis, out);
    if (inputs & kInReviews) LoadReviews(sql, f, path, vis, out);
    return out;
}

}  // namespace otdel::plans::store
