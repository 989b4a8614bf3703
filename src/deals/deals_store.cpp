#include "deals/deals_store.hpp"

#include <boost/json.hpp>

#include <array>
#include <memory>
#include <unordered_map>

#include "db/nullable.hpp"
#include "db/prepared.hpp"
#include "leads/priority.hpp"

namespace otdel::deals::store {
namespace json = boost::json;
namespace {

using NullId = db::NullableId;
using NullText = db::NullableText;

// ---- settings ----
constexpr const char* kSelectPipelines =
    "SELECT id, name, position, is_default, archived_at FROM pipelines WHERE workspace_id = :ws "
    "ORDER BY position, id";
constexpr const char* kStageColumns =
    "id, pipeline_id, name, position, probability, kind, CAST(required_fields AS TEXT), CAST(checklist AS TEXT), "
    "idle_days, is_decision, archived_at";
// Follows "SELECT " + kStageColumns.
constexpr const char* kSelectStagesOf =
    " FROM pipeline_stages WHERE workspace_id = :ws AND pipeline_id = :p AND archived_at IS NULL "
    "ORDER BY position, id";
constexpr const char* kDefaultPipeline =
    "SELECT id FROM pipelines WHERE workspace_id = :ws AND is_default = 1 AND archived_at IS NULL";
constexpr const char* kInsertPipeline =
    "INSERT INTO pipelines (workspace_id, name, position, is_default, created_at, updated_at) VALUES "
    "(:ws, :name, (SELECT COALESCE(MAX(position), -1) + 1 FROM pipelines WHERE workspace_id = :ws2), :def, :now, "
    ":now2) RETURNING id";
constexpr const char* kUpdatePipeline =
    "UPDATE pipelines SET name = :name, archived_at = :archived, updated_at = :now WHERE workspace_id = :ws "
    "AND id = :id";
constexpr const char* kClearDefault =
    "UPDATE pipelines SET is_default = 0, updated_at = :now WHERE workspace_id = :ws AND is_default = 1 "
    "AND id <> :id";
constexpr const char* kSetDefault =
    "UPDATE pipelines SET is_default = 1, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertStage =
    "INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind, required_fields, "
    "checklist, idle_days, is_decision, created_at, updated_at) VALUES (:ws, :p, :name, :pos, :prob, :kind, :req, "
    ":check, :idle, :decision, :now, :now2) RETURNING id";
constexpr const char* kUpdateStage =
    "UPDATE pipeline_stages SET name = :name, probability = :prob, kind = :kind, required_fields = :req, "
    "checklist = :check, idle_days = :idle, is_decision = :decision, archived_at = :archived, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetStagePosition =
    "UPDATE pipeline_stages SET position = :pos, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kCountDealsInStage =
    "SELECT COUNT(*) FROM deals WHERE workspace_id = :ws AND stage_id = :s AND deleted_at IS NULL";
constexpr const char* kCountOpenInPipeline =
    "SELECT COUNT(*) FROM deals WHERE workspace_id = :ws AND pipeline_id = :p AND status = 'open' "
    "AND deleted_at IS NULL";

constexpr const char* kSelectLossReasons =
    "SELECT id, name_ru, name_en, position, archived_at FROM loss_reasons WHERE workspace_id = :ws "
    "ORDER BY position, id";
constexpr const char* kSelectLossReason =
    "SELECT name_ru, name_en, position, archived_at FROM loss_reasons WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertLossReason =
    "INSERT INTO loss_reasons (workspace_id, name_ru, name_en, position, created_at) VALUES (:ws, :ru, :en, "
    "(SELECT COALESCE(MAX(position), -1) + 1 FROM loss_reasons WHERE workspace_id = :ws2), :now) RETURNING id";
constexpr const char* kUpdateLossReason =
    "UPDATE loss_reasons SET name_ru = :ru, name_en = :en, archived_at = :archived WHERE workspace_id = :ws "
    "AND id = :id";

constexpr const char* kCustomRequiredFrom =
    "SELECT f.entity, f.code FROM custom_fields f JOIN pipeline_stages s ON s.workspace_id = f.workspace_id "
    "AND s.id = f.required_from_stage_id WHERE f.workspace_id = :ws AND f.archived_at IS NULL "
    "AND f.entity IN ('company', 'contact') AND s.pipeline_id = :p AND s.position <= :pos ORDER BY f.position, f.id";
constexpr const char* kClientCustomFields =
    "SELECT entity, code, label_ru, label_en FROM custom_fields WHERE workspace_id = :ws AND archived_at IS NULL "
    "AND entity IN ('company', 'contact') ORDER BY entity, position, id";

// ---- deals ----
constexpr const char* kDealColumns =
    "d.workspace_id, d.id, d.pipeline_id, d.stage_id, d.title, d.company_id, d.contact_id, d.owner_user_id, "
    "d.amount_minor, d.currency, d.expected_close_date, d.source_lead_id, d.forecast_category, d.status, "
    "d.loss_reason_id, d.loss_comment, CAST(d.checklist AS TEXT), CAST(d.custom AS TEXT), d.stage_entered_at, "
    "d.last_activity_at, d.closed_at, d.deleted_at, d.created_by, d.created_at, d.updated_at, "
    "COALESCE(c.name, ''), COALESCE(p.full_name, ''), COALESCE(u.full_name, ''), d.payment_due_at, "
    "d.payment_overdue";
constexpr const char* kDealFrom =
    " FROM deals d LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN contacts p ON p.workspace_id = d.workspace_id AND p.id = d.contact_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id";

constexpr const char* kInsertDeal =
    "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, company_id, contact_id, owner_user_id, "
    "amount_minor, currency, expected_close_date, source_lead_id, forecast_category, status, loss_reason_id, "
    "loss_comment, checklist, custom, search_text, stage_entered_at, last_activity_at, closed_at, payment_due_at, "
    "payment_overdue, created_by, created_at, updated_at) VALUES (:ws, :p, :s, :title, :company, :contact, :owner, "
    ":amount, :currency, :close, :lead, :forecast, :status, :reason, :comment, :checklist, :custom, :search, "
    ":entered, :activity, :closed, :due, :overdue, :by, :created, :updated) RETURNING id";
constexpr const char* kUpdateDeal =
    "UPDATE deals AS d SET pipeline_id = :p, stage_id = :s, title = :title, company_id = :company, contact_id = "
    ":contact, "
    "owner_user_id = :owner, amount_minor = :amount, currency = :currency, expected_close_date = :close, "
    "forecast_category = :forecast, status = :status, loss_reason_id = :reason, loss_comment = :comment, "
    "checklist = :checklist, custom = :custom, search_text = :search, stage_entered_at = :entered, "
    "last_activity_at = :activity, closed_at = :closed, payment_due_at = :due, payment_overdue = :overdue, "
    "deleted_at = :deleted, updated_at = :updated "
    "WHERE id = :id AND {visible}";

constexpr const char* kAddTotals =
    "INSERT INTO deal_totals (workspace_id, pipeline_id, stage_id, owner_user_id, currency, deals, amount_minor) "
    "VALUES (:ws, :p, :s, :owner, :currency, :n, :amount) ON CONFLICT (workspace_id, pipeline_id, stage_id, "
    "owner_user_id, currency) DO UPDATE SET deals = deal_totals.deals + excluded.deals, "
    "amount_minor = deal_totals.amount_minor + excluded.amount_minor";
constexpr const char* kRollupTotals =
    "SELECT t.stage_id, t.currency, CAST(SUM(t.deals) AS BIGINT), CAST(SUM(t.amount_minor) AS BIGINT) "
    "FROM deal_totals t WHERE {visible} AND t.pipeline_id = :p";

constexpr const char* kInsertHistory =
    "INSERT INTO deal_stage_history (workspace_id, deal_id, from_stage_id, to_stage_id, by_user_id, at) VALUES "
    "(:ws, :deal, :from, :to, :by, :at)";
constexpr const char* kSelectHistory =
    "SELECT h.id, h.from_stage_id, h.to_stage_id, h.by_user_id, COALESCE(u.full_name, ''), h.at "
    "FROM deal_stage_history h LEFT JOIN users u ON u.workspace_id = h.workspace_id AND u.id = h.by_user_id "
    "WHERE h.workspace_id = :ws AND h.deal_id = :deal ORDER BY h.at, h.id";

constexpr const char* kCompanyFacts =
    "SELECT name, COALESCE(inn, ''), COALESCE(kpp, ''), COALESCE(ogrn, ''), legal_address, actual_address, "
    "CAST(bank_details AS TEXT), CAST(custom AS TEXT) FROM companies WHERE workspace_id = :ws AND id = :id";
constexpr const char* kContactFacts =
    "SELECT full_name, CAST(custom AS TEXT) FROM contacts WHERE workspace_id = :ws AND id = :id";
constexpr const char* kPointKinds =
    "SELECT DISTINCT kind FROM contact_points WHERE workspace_id = :ws AND subject_type = :type "
    "AND subject_id = :id";
constexpr const char* kCompanyName =
    "SELECT name FROM companies WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL";
constexpr const char* kContactName =
    "SELECT full_name FROM contacts WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL";
constexpr const char* kUserActive =
    "SELECT COUNT(*) FROM users WHERE workspace_id = :ws AND id = :id AND status = 'active'";
constexpr const char* kLeadExists = "SELECT COUNT(*) FROM leads WHERE workspace_id = :ws AND id = :id";
constexpr const char* kOpenDealsOf =
    "SELECT id FROM deals WHERE workspace_id = :ws AND owner_user_id = :u AND status = 'open' "
    "AND deleted_at IS NULL ORDER BY id";
constexpr const char* kSetAmount =
    "UPDATE deals SET amount_minor = :amount, updated_at = :now, last_activity_at = :now2 WHERE workspace_id = :ws "
    "AND id = :id";
constexpr const char* kMoveOpenDeals =
    "UPDATE deals SET owner_user_id = :to, updated_at = :now WHERE workspace_id = :ws AND owner_user_id = :from "
    "AND status = 'open' AND deleted_at IS NULL";

std::vector<std::string> StringArray(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array())
        if (e.is_string()) out.emplace_back(e.as_string());
    return out;
}

std::string StringArrayJson(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return json::serialize(a);
}

std::vector<ChecklistItem> ChecklistOf(const std::string& text) {
    std::vector<ChecklistItem> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array()) {
        if (!e.is_object()) continue;
        const auto& o = e.as_object();
        ChecklistItem i;
        if (auto* c = o.if_contains("code"); c && c->is_string()) i.code = std::string(c->as_string());
        if (auto* l = o.if_contains("label"); l && l->is_string()) i.label = std::string(l->as_string());
        out.push_back(std::move(i));
    }
    return out;
}

std::string ChecklistJson(const std::vector<ChecklistItem>& items) {
    json::array a;
    for (const auto& i : items) a.push_back(json::object{{"code", i.code}, {"label", i.label}});
    return json::serialize(a);
}

std::set<std::string> TickedOf(const std::string& text) {
    std::set<std::string> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, val] : v.as_object())
        if (val.is_bool() && val.as_bool()) out.emplace(k);
    return out;
}

std::string TickedJson(const std::set<std::string>& ticked) {
    json::object o;
    for (const auto& t : ticked) o[t] = true;
    return json::serialize(o);
}

// Row buffers of kStageColumns.
struct StageInto {
    long long id = 0, pipeline = 0, pos = 0, prob = 0, idle = 0, decision = 0, archived = 0;
    std::string name, kind, req, check;
    soci::indicator idle_ind = soci::i_null, archived_ind = soci::i_null;

    template <class St>
    void Bind(St& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(pipeline));
        st.exchange(soci::into(name));
        st.exchange(soci::into(pos));
        st.exchange(soci::into(prob));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(req));
        st.exchange(soci::into(check));
        st.exchange(soci::into(idle, idle_ind));
        st.exchange(soci::into(decision));
        st.exchange(soci::into(archived, archived_ind));
    }
    Stage Take() const {
        Stage s;
        s.id = id;
        s.pipeline_id = pipeline;
        s.name = name;
        s.position = static_cast<int>(pos);
        s.probability = static_cast<int>(prob);
        s.kind = kind;
        s.required_fields = StringArray(req);
        s.checklist = ChecklistOf(check);
        if (idle_ind == soci::i_ok) s.idle_days = static_cast<int>(idle);
        s.is_decision = decision != 0;
        if (archived_ind == soci::i_ok) s.archived_at = archived;
        return s;
    }
};

// Row buffers of kDealColumns.
struct DealInto {
    long long ws = 0, id = 0, pipeline = 0, stage = 0, company = 0, contact = 0, owner = 0, amount = 0, lead = 0,
              reason = 0, entered = 0, activity = 0, closed = 0, deleted = 0, by = 0, created = 0, updated = 0;
    std::string title, currency, close, forecast, status, comment, checklist, custom, company_name, contact_name,
        owner_name;
    long long due = 0, overdue = 0;
    std::array<soci::indicator, 10> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(pipeline));
        st.exchange(soci::into(stage));
        st.exchange(soci::into(title));
        st.exchange(soci::into(company, ind[0]));
        st.exchange(soci::into(contact, ind[1]));
        st.exchange(soci::into(owner, ind[2]));
        st.exchange(soci::into(amount));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(close, ind[3]));
        st.exchange(soci::into(lead, ind[4]));
        st.exchange(soci::into(forecast));
        st.exchange(soci::into(status));
        st.exchange(soci::into(reason, ind[5]));
        st.exchange(soci::into(comment));
        st.exchange(soci::into(checklist));
        st.exchange(soci::into(custom));
        st.exchange(soci::into(entered));
        st.exchange(soci::into(activity));
        st.exchange(soci::into(closed, ind[6]));
        st.exchange(soci::into(deleted, ind[7]));
        st.exchange(soci::into(by, ind[8]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
        st.exchange(soci::into(company_name));
        st.exchange(soci::into(contact_name));
        st.exchange(soci::into(owner_name));
        st.exchange(soci::into(due, ind[9]));
        st.exchange(soci::into(overdue));
    }
    Deal Take() const {
        auto opt = [&](long long v, int i) { return ind[i] == soci::i_ok ? std::optional<core::Id>(v) : std::nullopt; };
        Deal d;
        d.workspace_id = ws;
        d.id = id;
        d.pipeline_id = pipeline;
        d.stage_id = stage;
        d.title = title;
        d.company_id = opt(company, 0);
        d.contact_id = opt(contact, 1);
        d.owner_user_id = opt(owner, 2);
        d.amount_minor = amount;
        d.currency = currency;
        if (ind[3] == soci::i_ok) d.expected_close_date = close;
        d.source_lead_id = opt(lead, 4);
        d.forecast_category = forecast;
        d.status = status;
        d.loss_reason_id = opt(reason, 5);
        d.loss_comment = comment;
        d.checklist = TickedOf(checklist);
        d.custom = custom;
        d.stage_entered_at = entered;
        d.last_activity_at = activity;
        d.closed_at = opt(closed, 6);
        d.deleted_at = opt(deleted, 7);
        d.created_by = opt(by, 8);
        d.created_at = created;
        d.updated_at = updated;
        d.company_name = company_name;
        d.contact_name = contact_name;
        d.owner_name = owner_name;
        d.payment_due_at = opt(due, 9);
        d.payment_overdue = overdue != 0;
        return d;
    }
};

// The WHERE fragments of a filter (fixed text; only which ones appear depends on the filter).
std::string FilterSql(const DealFilter& f, std::vector<std::string>& status_names) {
    std::string text = f.deleted ? " AND d.deleted_at IS NOT NULL" : " AND d.deleted_at IS NULL";
    if (f.pipeline_id) text += " AND d.pipeline_id = :f_pipeline";
    if (f.stage_id) text += " AND d.stage_id = :f_stage";
    if (f.company_id) text += " AND d.company_id = :f_company";
    if (f.contact_id) text += " AND d.contact_id = :f_contact";
    if (f.owner_user_id) text += " AND d.owner_user_id = :f_owner";
    if (f.owner_none) text += " AND d.owner_user_id IS NULL";
    if (!f.statuses.empty()) {
        text += " AND d.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) {
            status_names.push_back("f_st" + std::to_string(i));
            text += (i ? ", :" : ":") + status_names.back();
        }
        text += ")";
    }
    if (f.q_folded) text += " AND d.search_text LIKE :f_q";
    if (f.idle_only)
        text +=
            " AND d.status = 'open' AND EXISTS (SELECT 1 FROM pipeline_stages ps WHERE ps.workspace_id = "
            "d.workspace_id AND ps.id = d.stage_id AND ps.idle_days IS NOT NULL AND d.last_activity_at <= "
            ":f_now - ps.idle_days * 86400000)";
    return text;
}

// Bound values of FilterSql's fragments; lives as long as the statement.
// Holds its own copies, so a statement prepared once (same FilterSql text) takes a later filter's values by Set.
struct FilterBinds {
    long long pipeline = 0, stage = 0, company = 0, contact = 0, owner = 0, now = 0;
    std::string like;
    std::vector<std::string> statuses;

    void Set(const DealFilter& f) {
        pipeline = f.pipeline_id.value_or(0);
        stage = f.stage_id.value_or(0);
        company = f.company_id.value_or(0);
        contact = f.contact_id.value_or(0);
        owner = f.owner_user_id.value_or(0);
        now = f.now;
        like = f.q_folded ? "%" + *f.q_folded + "%" : std::string();
        for (std::size_t i = 0; i < statuses.size() && i < f.statuses.size(); ++i) statuses[i] = f.statuses[i];
    }
    void Bind(soci::statement& st, const DealFilter& f, const std::vector<std::string>& status_names) {
        statuses.assign(f.statuses.begin(), f.statuses.end());
        Set(f);
        if (f.pipeline_id) st.exchange(soci::use(pipeline, "f_pipeline"));
        if (f.stage_id) st.exchange(soci::use(stage, "f_stage"));
        if (f.company_id) st.exchange(soci::use(company, "f_company"));
        if (f.contact_id) st.exchange(soci::use(contact, "f_contact"));
        if (f.owner_user_id) st.exchange(soci::use(owner, "f_owner"));
        for (std::size_t i = 0; i < statuses.size(); ++i) st.exchange(soci::use(statuses[i], status_names[i]));
        if (f.q_folded) st.exchange(soci::use(like, "f_q"));
        if (f.idle_only) st.exchange(soci::use(now, "f_now"));
    }
};

// Statements whose text depends on the caller's visibility condition and the filter's shape (which fragments
// appear), prepared once per pooled connection and text (db::ByText): each keeps a clone of the predicate it was
// prepared with and takes the request's values by AssignValues. A connection keeps a handful of texts (the scopes and
// filters people use); past ByText::kMaxTexts it starts again.
using db::ByText;
using db::RowsOf;
using db::RowsQuery;

std::vector<Stage> StagesOf(soci::session& sql, core::Id ws, core::Id pipeline_id) {
    static const std::string text = std::string("SELECT ") + kStageColumns + kSelectStagesOf;
    return RowsOf<StageInto>(sql, text, ws, "p", pipeline_id);
}

// The deal columns' joins, on the outer alias d.
constexpr const char* kDealJoins =
    " LEFT JOIN companies c ON c.workspace_id = d.workspace_id AND c.id = d.company_id "
    "LEFT JOIN contacts p ON p.workspace_id = d.workspace_id AND p.id = d.contact_id "
    "LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id";

// The kanban's first pages in one statement: for each live stage of the pipeline, the ids of its newest visible
// deals under the filter (a correlated subquery with LIMIT, which walks the (workspace, stage, deleted, id) index
// backwards and stops), then those deals by primary key. The inner alias d is the one {visible} and the filter name.
struct BoardQuery {
    DealInto row;
    FilterBinds binds;
    long long ws = 0, p = 0, lim = 0;
    std::unique_ptr<auth::Predicate> vis;
    soci::statement st;
    BoardQuery(soci::session& sql, const std::string& text, const DealFilter& f, const std::vector<std::string>& names,
               const auth::Predicate& visible)
        : vis(visible.Clone()), st(sql) {
        st.alloc();
        st.prepare(text);
        row.Bind(st);
        binds.Bind(st, f, names);
        st.exchange(soci::use(lim, "lim"));
        st.exchange(soci::use(ws, "b_ws"));
        st.exchange(soci::use(p, "b_p"));
        vis->BindTo(st);
        st.define_and_bind();
    }
};

// One deal by id under a visibility condition.
struct VisibleDealQuery {
    DealInto row;
    long long id = 0;
    std::unique_ptr<auth::Predicate> vis;
    soci::statement st;
    VisibleDealQuery(soci::session& sql, const std::string& text, const auth::Predicate& visible)
        : vis(visible.Clone()), st(sql) {
        st.alloc();
        st.prepare(text);
        row.Bind(st);
        st.exchange(soci::use(id, "id"));
        vis->BindTo(st);
        st.define_and_bind();
    }
};

// The board totals from the rollup.
struct RollupQuery {
    long long p = 0, owner = 0, stage = 0, count = 0, amount = 0;
    std::string currency;
    std::unique_ptr<auth::Predicate> vis;
    soci::statement st;
    RollupQuery(soci::session& sql, const std::string& text, bool by_owner, const auth::Predicate& visible)
        : vis(visible.Clone()), st(sql) {
        st.alloc();
        st.prepare(text);
        st.exchange(soci::into(stage));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(count));
        st.exchange(soci::into(amount));
        st.exchange(soci::use(p, "p"));
        if (by_owner) st.exchange(soci::use(owner, "owner"));
        vis->BindTo(st);
        st.define_and_bind();
    }
};

// What the list's text filter matches: the title and the client's names, case-folded.
std::string SearchTextOf(const Deal& d) {
    return leads::FoldText(d.title + " " + d.company_name + " " + d.contact_name);
}

// The statements every deal creation runs (a move, a create, thousands per batch of the import) are prepared once per
// connection (db/prepared.hpp): compiling them cost more than running them.
struct AddTotalsSet {
    long long ws = 0, p = 0, s = 0, owner = 0, n = 0, amount = 0;
    std::string currency;
    soci::statement st;
    explicit AddTotalsSet(soci::session& sql)
        : st((sql.prepare << kAddTotals, soci::use(ws, "ws"), soci::use(p, "p"), soci::use(s, "s"),
              soci::use(owner, "owner"), soci::use(currency, "currency"), soci::use(n, "n"),
              soci::use(amount, "amount"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

// Adds (sign +1) or takes away (-1) a live deal's share of the board totals.
void AddToTotals(soci::session& sql, const Deal& d, int sign) {
    if (d.deleted_at) return;
    db::WithPrepared<AddTotalsSet>(sql, [&](AddTotalsSet& q) {
        q.ws = d.workspace_id;
        q.p = d.pipeline_id;
        q.s = d.stage_id;
        q.owner = d.owner_user_id.value_or(0);
        q.currency = d.currency;
        q.n = sign;
        q.amount = sign * d.amount_minor;
        q.st.execute(true);
    });
}

// The buffers of an INSERT/UPDATE of a deal.
struct DealBinds {
    long long ws, pipeline, stage, amount, entered, activity, created, updated, id, overdue;
    std::string checklist;
    NullId company, contact, owner, lead, reason, closed, deleted, by, due;
    NullText close;
    DealBinds() : DealBinds(Deal{}) {}
    explicit DealBinds(const Deal& d)
        : ws(d.workspace_id),
          pipeline(d.pipeline_id),
          stage(d.stage_id),
          amount(d.amount_minor),
          entered(d.stage_entered_at),
          activity(d.last_activity_at),
          created(d.created_at),
          updated(d.updated_at),
          id(d.id),
          overdue(d.payment_overdue ? 1 : 0),
          checklist(TickedJson(d.checklist)),
          company(d.company_id),
          contact(d.contact_id),
          owner(d.owner_user_id),
          lead(d.source_lead_id),
          reason(d.loss_reason_id),
          closed(d.closed_at),
          deleted(d.deleted_at),
          by(d.created_by),
          due(d.payment_due_at),
          close(d.expected_close_date) {}
};

struct InsertDealSet {
    DealBinds b;
    std::string title, currency, forecast, status, comment, custom, search;
    long long id = 0;
    soci::statement st;
    explicit InsertDealSet(soci::session& sql)
        : st((sql.prepare << kInsertDeal, soci::use(b.ws, "ws"), soci::use(b.pipeline, "p"), soci::use(b.stage, "s"),
              soci::use(title, "title"), soci::use(b.company.v, b.company.ind, "company"),
              soci::use(b.contact.v, b.contact.ind, "contact"), soci::use(b.owner.v, b.owner.ind, "owner"),
              soci::use(b.amount, "amount"), soci::use(currency, "currency"),
              soci::use(b.close.v, b.close.ind, "close"), soci::use(b.lead.v, b.lead.ind, "lead"),
              soci::use(forecast, "forecast"), soci::use(status, "status"),
              soci::use(b.reason.v, b.reason.ind, "reason"), soci::use(comment, "comment"),
              soci::use(b.checklist, "checklist"), soci::use(custom, "custom"), soci::use(search, "search"),
              soci::use(b.entered, "entered"), soci::use(b.activity, "activity"),
              soci::use(b.closed.v, b.closed.ind, "closed"), soci::use(b.due.v, b.due.ind, "due"),
              soci::use(b.overdue, "overdue"), soci::use(b.by.v, b.by.ind, "by"), soci::use(b.created, "created"),
              soci::use(b.updated, "updated"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct UpdateDealQuery {
    DealBinds b;
    std::string title, currency, forecast, status, comment, custom, search;
    std::unique_ptr<auth::Predicate> vis;
    soci::statement st;
    UpdateDealQuery(soci::session& sql, const std::string& text, const auth::Predicate& visible)
        : vis(visible.Clone()),
          st((sql.prepare << text, soci::use(b.pipeline, "p"), soci::use(b.stage, "s"), soci::use(title, "title"),
              soci::use(b.company.v, b.company.ind, "company"), soci::use(b.contact.v, b.contact.ind, "contact"),
              soci::use(b.owner.v, b.owner.ind, "owner"), soci::use(b.amount, "amount"),
              soci::use(currency, "currency"), soci::use(b.close.v, b.close.ind, "close"),
              soci::use(forecast, "forecast"), soci::use(status, "status"),
              soci::use(b.reason.v, b.reason.ind, "reason"), soci::use(comment, "comment"),
              soci::use(b.checklist, "checklist"), soci::use(custom, "custom"), soci::use(search, "search"),
              soci::use(b.entered, "entered"), soci::use(b.activity, "activity"),
              soci::use(b.closed.v, b.closed.ind, "closed"), soci::use(b.due.v, b.due.ind, "due"),
              soci::use(b.overdue, "overdue"), soci::use(b.deleted.v, b.deleted.ind, "deleted"),
              soci::use(b.updated, "updated"), soci::use(b.id, "id"), *vis)) {}
};

// An UPDATE of a deal the caller read earlier in its transaction. SQLite rewrites the entry of every index over a
// column named in SET, and fires an "UPDATE OF" trigger (the report rollups, migration 0021) for it, even when its
// value stays: writing every column made a stage move rewrite the company, contact, owner and closing indexes of its
// row too. The columns an index or a report trigger names are therefore set only when their value changes; the
// others always. The texts are few (which of those columns change), each prepared once per connection.
enum KeyedColumn : unsigned {
    kPipelineCol = 1u << 0,
    kStageCol = 1u << 1,
    kCompanyCol = 1u << 2,
    kContactCol = 1u << 3,
    kOwnerCol = 1u << 4,
    kAmountCol = 1u << 5,
    kCurrencyCol = 1u << 6,
    kStatusCol = 1u << 7,
    kReasonCol = 1u << 8,
    kClosedCol = 1u << 9,
    kDeletedCol = 1u << 10,
};

constexpr const char* kUpdateChangedDeal =
    "UPDATE deals AS d SET title = :title, expected_close_date = :close, forecast_category = :forecast, "
    "loss_comment = :comment, checklist = :checklist, custom = :custom, search_text = :search, "
    "stage_entered_at = :entered, last_activity_at = :activity, payment_due_at = :due, payment_overdue = :overdue, "
    "updated_at = :updated";

constexpr std::array<std::pair<unsigned, const char*>, 11> kKeyedSets = {{
    {kPipelineCol, ", pipeline_id = :p"},
    {kStageCol, ", stage_id = :s"},
    {kCompanyCol, ", company_id = :company"},
    {kContactCol, ", contact_id = :contact"},
    {kOwnerCol, ", owner_user_id = :owner"},
    {kAmountCol, ", amount_minor = :amount"},
    {kCurrencyCol, ", currency = :currency"},
    {kStatusCol, ", status = :status"},
    {kReasonCol, ", loss_reason_id = :reason"},
    {kClosedCol, ", closed_at = :closed"},
    {kDeletedCol, ", deleted_at = :deleted"},
}};

unsigned ChangedKeys(const Deal& was, const Deal& d) {
    unsigned m = 0;
    if (d.pipeline_id != was.pipeline_id) m |= kPipelineCol;
    if (d.stage_id != was.stage_id) m |= kStageCol;
    if (d.company_id != was.company_id) m |= kCompanyCol;
    if (d.contact_id != was.contact_id) m |= kContactCol;
    if (d.owner_user_id != was.owner_user_id) m |= kOwnerCol;
    if (d.amount_minor != was.amount_minor) m |= kAmountCol;
    if (d.currency != was.currency) m |= kCurrencyCol;
    if (d.status != was.status) m |= kStatusCol;
    if (d.loss_reason_id != was.loss_reason_id) m |= kReasonCol;
    if (d.closed_at != was.closed_at) m |= kClosedCol;
    if (d.deleted_at != was.deleted_at) m |= kDeletedCol;
    return m;
}

std::string ChangedDealText(unsigned keys) {
    std::string text = kUpdateChangedDeal;
    for (const auto& [bit, set] : kKeyedSets)
        if (keys & bit) text += set;
    return text + " WHERE id = :id AND {visible}";
}

struct ChangedDealQuery {
    DealBinds b;
    std::string title, currency, forecast, status, comment, custom, search;
    std::unique_ptr<auth::Predicate> vis;
    soci::statement st;
    ChangedDealQuery(soci::session& sql, const std::string& text, unsigned keys, const auth::Predicate& visible)
        : vis(visible.Clone()), st(sql) {
        st.alloc();
        st.prepare(text);
        st.exchange(soci::use(title, "title"));
        st.exchange(soci::use(b.close.v, b.close.ind, "close"));
        st.exchange(soci::use(forecast, "forecast"));
        st.exchange(soci::use(comment, "comment"));
        st.exchange(soci::use(b.checklist, "checklist"));
        st.exchange(soci::use(custom, "custom"));
        st.exchange(soci::use(search, "search"));
        st.exchange(soci::use(b.entered, "entered"));
        st.exchange(soci::use(b.activity, "activity"));
        st.exchange(soci::use(b.due.v, b.due.ind, "due"));
        st.exchange(soci::use(b.overdue, "overdue"));
        st.exchange(soci::use(b.updated, "updated"));
        if (keys & kPipelineCol) st.exchange(soci::use(b.pipeline, "p"));
        if (keys & kStageCol) st.exchange(soci::use(b.stage, "s"));
        if (keys & kCompanyCol) st.exchange(soci::use(b.company.v, b.company.ind, "company"));
        if (keys & kContactCol) st.exchange(soci::use(b.contact.v, b.contact.ind, "contact"));
        if (keys & kOwnerCol) st.exchange(soci::use(b.owner.v, b.owner.ind, "owner"));
        if (keys & kAmountCol) st.exchange(soci::use(b.amount, "amount"));
        if (keys & kCurrencyCol) st.exchange(soci::use(currency, "currency"));
        if (keys & kStatusCol) st.exchange(soci::use(status, "status"));
        if (keys & kReasonCol) st.exchange(soci::use(b.reason.v, b.reason.ind, "reason"));
        if (keys & kClosedCol) st.exchange(soci::use(b.closed.v, b.closed.ind, "closed"));
        if (keys & kDeletedCol) st.exchange(soci::use(b.deleted.v, b.deleted.ind, "deleted"));
        st.exchange(soci::use(b.id, "id"));
        vis->BindTo(st);
        st.define_and_bind();
    }
};

struct PipelinesSet {
    long long ws = 0, id = 0, pos = 0, def = 0, archived = 0;
    std::string name;
    soci::indicator arch_ind = soci::i_null;
    soci::statement st;
    explicit PipelinesSet(soci::session& sql)
        : st((sql.prepare << kSelectPipelines, soci::into(id), soci::into(name), soci::into(pos), soci::into(def),
              soci::into(archived, arch_ind), soci::use(ws, "ws"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct InsertHistorySet {
    long long ws = 0, deal = 0, to = 0, at = 0;
    NullId from, by;
    soci::statement st;
    explicit InsertHistorySet(soci::session& sql)
        : st((sql.prepare << kInsertHistory, soci::use(ws, "ws"), soci::use(deal, "deal"),
              soci::use(from.v, from.ind, "from"), soci::use(to, "to"), soci::use(by.v, by.ind, "by"),
              soci::use(at, "at"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

// A lost stage's check reads the loss reason.
struct LossReasonSet {
    long long ws = 0, id = 0, pos = 0, archived = 0;
    std::string ru, en;
    soci::indicator archived_ind = soci::i_null;
    soci::statement st;
    explicit LossReasonSet(soci::session& sql)
        : st((sql.prepare << kSelectLossReason, soci::into(ru), soci::into(en), soci::into(pos),
              soci::into(archived, archived_ind), soci::use(ws, "ws"), soci::use(id, "id"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

// What a gate needs to know about the deal's client, read for every entry into a stage.
struct CustomRequiredFromSet {
    long long ws = 0, p = 0, pos = 0;
    std::string entity, code;
    soci::statement st;
    explicit CustomRequiredFromSet(soci::session& sql)
        : st((sql.prepare << kCustomRequiredFrom, soci::into(entity), soci::into(code), soci::use(ws, "ws"),
              soci::use(p, "p"), soci::use(pos, "pos"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct CompanyFactsSet {
    long long ws = 0, id = 0;
    std::string name, inn, kpp, ogrn, legal, actual, bank, custom;
    soci::statement st;
    explicit CompanyFactsSet(soci::session& sql)
        : st((sql.prepare << kCompanyFacts, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name), soci::into(inn),
              soci::into(kpp), soci::into(ogrn), soci::into(legal), soci::into(actual), soci::into(bank),
              soci::into(custom))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct ContactFactsSet {
    long long ws = 0, id = 0;
    std::string name, custom;
    soci::statement st;
    explicit ContactFactsSet(soci::session& sql)
        : st((sql.prepare << kContactFacts, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name),
              soci::into(custom))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

struct PointKindsSet {
    long long ws = 0, id = 0;
    std::string type, kind;
    soci::statement st;
    explicit PointKindsSet(soci::session& sql)
        : st((sql.prepare << kPointKinds, soci::into(kind), soci::use(ws, "ws"), soci::use(type, "type"),
              soci::use(id, "id"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::vector<Pipeline> SelectPipelines(soci::session& sql, core::Id ws_id, bool include_archived) {
    std::vector<Pipeline> out = db::WithPrepared<PipelinesSet>(sql, [&](PipelinesSet& q) {
        q.ws = ws_id;
        q.st.execute(false);
        std::vector<Pipeline> rows;
        while (q.st.fetch()) {
            if (q.arch_ind == soci::i_ok && !include_archived) continue;
            Pipeline p;
            p.id = q.id;
            p.name = q.name;
            p.position = static_cast<int>(q.pos);
            p.is_default = q.def != 0;
            if (q.arch_ind == soci::i_ok) p.archived_at = q.archived;
            rows.push_back(std::move(p));
        }
        return rows;
    });
    for (auto& p : out) p.stages = StagesOf(sql, ws_id, p.id);
    return out;
}

std::optional<Pipeline> SelectPipeline(soci::session& sql, core::Id ws, core::Id id) {
    for (auto& p : SelectPipelines(sql, ws, true))
        if (p.id == id) return std::move(p);
    return std::nullopt;
}

std::optional<core::Id> DefaultPipelineId(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, id = 0;
    sql << kDefaultPipeline, soci::use(ws, "ws"), soci::into(id);
    if (!sql.got_data()) return std::nullopt;
    return id;
}

std::optional<Stage> SelectStage(soci::session& sql, core::Id ws, core::Id id) {
    static const std::string text =
        std::string("SELECT ") + kStageColumns + " FROM pipeline_stages WHERE workspace_id = :ws AND id = :id";
    auto rows = RowsOf<StageInto>(sql, text, ws, "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

core::Id InsertPipeline(soci::session& sql, core::Id ws_id, const std::string& name, bool is_default,
                        core::Millis now_ms) {
    long long ws = ws_id, def = is_default ? 1 : 0, now = now_ms, id = 0;
    sql << kInsertPipeline, soci::use(ws, "ws"), soci::use(name, "name"), soci::use(ws, "ws2"), soci::use(def, "def"),
        soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

void UpdatePipeline(soci::session& sql, core::Id ws_id, const Pipeline& p, core::Millis now_ms) {
    long long ws = ws_id, id = p.id, now = now_ms;
    NullId archived(p.archived_at);
    sql << kUpdatePipeline, soci::use(p.name, "name"), soci::use(archived.v, archived.ind, "archived"),
        soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

void SetDefaultPipeline(soci::session& sql, core::Id ws_id, core::Id id_in, core::Millis now_ms) {
    long long ws = ws_id, id = id_in, now = now_ms;
    sql << kClearDefault, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
    sql << kSetDefault, soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

core::Id InsertStage(soci::session& sql, core::Id ws_id, const Stage& s, core::Millis now_ms) {
    long long ws = ws_id, p = s.pipeline_id, pos = s.position, prob = s.probability, decision = s.is_decision ? 1 : 0,
              now = now_ms, id = 0;
    const std::string req = StringArrayJson(s.required_fields), check = ChecklistJson(s.checklist);
    NullId idle(s.idle_days ? std::optional<std::int64_t>(*s.idle_days) : std::nullopt);
    sql << kInsertStage, soci::use(ws, "ws"), soci::use(p, "p"), soci::use(s.name, "name"), soci::use(pos, "pos"),
        soci::use(prob, "prob"), soci::use(s.kind, "kind"), soci::use(req, "req"), soci::use(check, "check"),
        soci::use(idle.v, idle.ind, "idle"), soci::use(decision, "decision"), soci::use(now, "now"),
        soci::use(now, "now2"), soci::into(id);
    return id;
}

void UpdateStage(soci::session& sql, core::Id ws_id, const Stage& s, core::Millis now_ms) {
    long long ws = ws_id, id = s.id, prob = s.probability, decision = s.is_decision ? 1 : 0, now = now_ms;
    const std::string req = StringArrayJson(s.required_fields), check = ChecklistJson(s.checklist);
    NullId idle(s.idle_days ? std::optional<std::int64_t>(*s.idle_days) : std::nullopt);
    NullId archived(s.archived_at);
    sql << kUpdateStage, soci::use(s.name, "name"), soci::use(prob, "prob"), soci::use(s.kind, "kind"),
        soci::use(req, "req"), soci::use(check, "check"), soci::use(idle.v, idle.ind, "idle"),
        soci::use(decision, "decision"), soci::use(archived.v, archived.ind, "archived"), soci::use(now, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

void SetStagePosition(soci::session& sql, core::Id ws_id, core::Id stage_id, int position, core::Millis now_ms) {
    long long ws = ws_id, id = stage_id, pos = position, now = now_ms;
    sql << kSetStagePosition, soci::use(pos, "pos"), soci::use(now, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

long long CountPipelines(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, n = 0;
    sql << "SELECT COUNT(*) FROM pipelines WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(n);
    return n;
}

long long CountDealsInStage(soci::session& sql, core::Id ws_id, core::Id stage_id) {
    long long ws = ws_id, s = stage_id, n = 0;
    sql << kCountDealsInStage, soci::use(ws, "ws"), soci::use(s, "s"), soci::into(n);
    return n;
}

long long CountOpenDealsInPipeline(soci::session& sql, core::Id ws_id, core::Id pipeline_id) {
    long long ws = ws_id, p = pipeline_id, n = 0;
    sql << kCountOpenInPipeline, soci::use(ws, "ws"), soci::use(p, "p"), soci::into(n);
    return n;
}

std::vector<LossReason> SelectLossReasons(soci::session& sql, core::Id ws_id, bool include_archived) {
    long long ws = ws_id, id = 0, pos = 0, archived = 0;
    std::string ru, en;
    soci::indicator arch_ind = soci::i_null;
    soci::statement st = (sql.prepare << kSelectLossReasons, soci::into(id), soci::into(ru), soci::into(en),
                          soci::into(pos), soci::into(archived, arch_ind), soci::use(ws, "ws"));
    st.execute(false);
    std::vector<LossReason> out;
    while (st.fetch()) {
        if (arch_ind == soci::i_ok && !include_archived) continue;
        LossReason r;
        r.id = id;
        r.name_ru = ru;
        r.name_en = en;
        r.position = static_cast<int>(pos);
        if (arch_ind == soci::i_ok) r.archived_at = archived;
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<LossReason> SelectLossReason(soci::session& sql, core::Id ws, core::Id id) {
    return db::WithPrepared<LossReasonSet>(sql, [&](LossReasonSet& q) -> std::optional<LossReason> {
        q.ws = ws;
        q.id = id;
        if (!q.st.execute(true)) return std::nullopt;
        LossReason r;
        r.id = id;
        r.name_ru = q.ru;
        r.name_en = q.en;
        r.position = static_cast<int>(q.pos);
        if (q.archived_ind == soci::i_ok) r.archived_at = q.archived;
        return r;
    });
}

core::Id InsertLossReason(soci::session& sql, core::Id ws_id, const LossReason& r, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = 0;
    sql << kInsertLossReason, soci::use(ws, "ws"), soci::use(r.name_ru, "ru"), soci::use(r.name_en, "en"),
        soci::use(ws, "ws2"), soci::use(now, "now"), soci::into(id);
    return id;
}

void UpdateLossReason(soci::session& sql, core::Id ws_id, const LossReason& r) {
    long long ws = ws_id, id = r.id;
    NullId archived(r.archived_at);
    sql << kUpdateLossReason, soci::use(r.name_ru, "ru"), soci::use(r.name_en, "en"),
        soci::use(archived.v, archived.ind, "archived"), soci::use(ws, "ws"), soci::use(id, "id");
}

long long CountLossReasons(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, n = 0;
    sql << "SELECT COUNT(*) FROM loss_reasons WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(n);
    return n;
}

std::vector<std::string> CustomRequiredFrom(soci::session& sql, core::Id ws_id, core::Id pipeline_id, int position) {
    return db::WithPrepared<CustomRequiredFromSet>(sql, [&](CustomRequiredFromSet& q) {
        q.ws = ws_id;
        q.p = pipeline_id;
        q.pos = position;
        q.st.execute(false);
        std::vector<std::string> out;
        while (q.st.fetch()) out.push_back(q.entity + ".custom." + q.code);
        return out;
    });
}

std::vector<CustomFieldRef> ClientCustomFields(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    CustomFieldRef r;
    soci::statement st = (sql.prepare << kClientCustomFields, soci::into(r.entity), soci::into(r.code),
                          soci::into(r.label_ru), soci::into(r.label_en), soci::use(ws, "ws"));
    st.execute(false);
    std::vector<CustomFieldRef> out;
    while (st.fetch()) out.push_back(r);
    return out;
}

std::vector<Deal> ListDeals(soci::session& sql, const DealFilter& f, std::optional<core::Id> before_id, int limit,
                            const auth::Predicate& visible) {
    std::vector<std::string> status_names;
    std::string text =
        std::string("SELECT ") + kDealColumns + kDealFrom + " WHERE {visible}" + FilterSql(f, status_names);
    if (before_id) text += " AND d.id < :before";
    text += " ORDER BY d.id DESC LIMIT :lim";
    DealInto row;
    FilterBinds binds;
    long long before = before_id.value_or(0), lim = limit;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    binds.Bind(st, f, status_names);
    if (before_id) st.exchange(soci::use(before, "before"));
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Deal> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

namespace {

// The totals from the rollup: a board filtered by pipeline and owner only (what the kanban asks) sums its rows.
std::vector<StageTotal> RollupTotals(soci::session& sql, const DealFilter& f, const auth::Predicate& visible) {
    std::string text = kRollupTotals;
    if (f.owner_user_id || f.owner_none) text += " AND t.owner_user_id = :owner";
    text += " GROUP BY t.stage_id, t.currency HAVING SUM(t.deals) > 0";
    const bool by_owner = f.owner_user_id || f.owner_none;
    text = visible.Expand(text);
    return db::WithPrepared<ByText<RollupQuery>>(sql, [&](ByText<RollupQuery>& set) {
        RollupQuery& q = set.Get(text, [&] { return std::make_unique<RollupQuery>(sql, text, by_owner, visible); });
        q.vis->AssignValues(visible);
        q.p = *f.pipeline_id;
        q.owner = f.owner_user_id.value_or(0);
        q.st.execute(false);
        std::vector<StageTotal> out;
        while (q.st.fetch()) out.push_back(StageTotal{q.stage, q.currency, q.count, q.amount});
        return out;
    });
}

}  // namespace

std::vector<StageTotal> BoardTotals(soci::session& sql, const DealFilter& f, const auth::Predicate& visible,
                                    const auth::Predicate& rollup_visible) {
    const bool rollup_fits = f.pipeline_id && !f.stage_id && !f.company_id && !f.contact_id && f.statuses.empty() &&
                             !f.q_folded && !f.deleted && !f.idle_only;
    if (rollup_fits) return RollupTotals(sql, f, rollup_visible);
    return LiveTotals(sql, f, visible);
}

std::vector<StageTotal> LiveTotals(soci::session& sql, const DealFilter& f, const auth::Predicate& visible) {
    std::vector<std::string> status_names;
    const std::string text =
        "SELECT d.stage_id, d.currency, COUNT(*), CAST(COALESCE(SUM(d.amount_minor), 0) AS BIGINT) FROM deals d "
        "WHERE {visible}" +
        FilterSql(f, status_names) + " GROUP BY d.stage_id, d.currency";
    StageTotal t;
    FilterBinds binds;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    long long stage = 0;
    st.exchange(soci::into(stage));
    st.exchange(soci::into(t.currency));
    st.exchange(soci::into(t.count));
    st.exchange(soci::into(t.amount_minor));
    binds.Bind(st, f, status_names);
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<StageTotal> out;
    while (st.fetch()) {
        t.stage_id = stage;
        out.push_back(t);
    }
    return out;
}

std::optional<Deal> SelectDeal(soci::session& sql, core::Id id_in, const auth::Predicate& visible,
                               bool include_deleted) {
    std::string text = std::string("SELECT ") + kDealColumns + kDealFrom + " WHERE d.id = :id AND {visible}";
    if (!include_deleted) text += " AND d.deleted_at IS NULL";
    text = visible.Expand(text);
    return db::WithPrepared<ByText<VisibleDealQuery>>(sql, [&](ByText<VisibleDealQuery>& set) -> std::optional<Deal> {
        VisibleDealQuery& q = set.Get(text, [&] { return std::make_unique<VisibleDealQuery>(sql, text, visible); });
        q.vis->AssignValues(visible);
        q.id = id_in;
        q.st.execute(false);
        if (!q.st.fetch()) return std::nullopt;
        return q.row.Take();
    });
}

std::vector<Deal> BoardPage(soci::session& sql, core::Id ws, const DealFilter& f, int per_stage,
                            const auth::Predicate& visible) {
    std::vector<std::string> names;
    const std::string where =
        " FROM deals d WHERE {visible} AND d.stage_id = s.id" + FilterSql(f, names) + " ORDER BY d.id DESC LIMIT :lim";
    // SQLite has no LATERAL but turns "id IN (correlated subquery)" into an index walk per stage; PostgreSQL runs
    // that subquery per joined row, and wants the LATERAL join instead.
    const bool sqlite = sql.get_backend_name() == "sqlite3";
    const std::string from =
        sqlite ? " FROM pipeline_stages s JOIN deals d ON d.workspace_id = s.workspace_id AND d.id IN (SELECT d.id" +
                     where + ")"
               : " FROM pipeline_stages s CROSS JOIN LATERAL (SELECT d.*" + where + ") d";
    const std::string text = visible.Expand(std::string("SELECT ") + kDealColumns + from + kDealJoins +
                                            " WHERE s.workspace_id = :b_ws AND s.pipeline_id = :b_p AND "
                                            "s.archived_at IS NULL ORDER BY s.position, s.id, d.id DESC");
    return db::WithPrepared<ByText<BoardQuery>>(sql, [&](ByText<BoardQuery>& set) {
        BoardQuery& q = set.Get(text, [&] { return std::make_unique<BoardQuery>(sql, text, f, names, visible); });
        q.vis->AssignValues(visible);
        q.binds.Set(f);
        q.ws = ws;
        q.p = f.pipeline_id.value_or(0);
        q.lim = per_stage;
        q.st.execute(false);
        std::vector<Deal> out;
        while (q.st.fetch()) out.push_back(q.row.Take());
        return out;
    });
}

std::optional<Deal> SelectDealById(soci::session& sql, core::Id ws, core::Id id) {
    static const std::string text =
        std::string("SELECT ") + kDealColumns + kDealFrom + " WHERE d.workspace_id = :ws AND d.id = :id";
    auto rows = RowsOf<DealInto>(sql, text, ws, "id", id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

namespace {

// The deal's values into a prepared INSERT's or UPDATE's buffers.
template <class Q>
void FillDealBuffers(Q& q, const Deal& d) {
    q.b = DealBinds(d);
    q.title = d.title;
    q.currency = d.currency;
    q.forecast = d.forecast_category;
    q.status = d.status;
    q.comment = d.loss_comment;
    q.custom = d.custom;
    q.search = SearchTextOf(d);
}

}  // namespace

core::Id InsertDeal(soci::session& sql, const Deal& d) {
    const core::Id id = db::WithPrepared<InsertDealSet>(sql, [&](InsertDealSet& q) {
        FillDealBuffers(q, d);
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
    AddToTotals(sql, d, +1);  // the totals do not need the id
    return id;
}

namespace {

// Fills a prepared UPDATE's buffers from the deal and runs it; true when it changed the row.
template <class Q>
bool RunDealUpdate(Q& q, const Deal& d, const auth::Predicate& visible) {
    q.vis->AssignValues(visible);
    FillDealBuffers(q, d);
    q.st.execute(true);
    return q.st.get_affected_rows() > 0;
}

}  // namespace

bool UpdateDeal(soci::session& sql, const Deal& d, const auth::Predicate& visible, const Deal* stored) {
    if (stored) {
        const unsigned keys = ChangedKeys(*stored, d);
        const std::string text = visible.Expand(ChangedDealText(keys));
        const bool updated = db::WithPrepared<ByText<ChangedDealQuery>>(sql, [&](ByText<ChangedDealQuery>& set) {
            ChangedDealQuery& q =
                set.Get(text, [&] { return std::make_unique<ChangedDealQuery>(sql, text, keys, visible); });
            return RunDealUpdate(q, d, visible);
        });
        if (!updated) return false;
        // A deal's share of the board totals: keyed by pipeline, stage, owner and currency, live deals only.
        if (keys & (kPipelineCol | kStageCol | kOwnerCol | kAmountCol | kCurrencyCol | kDeletedCol)) {
            AddToTotals(sql, *stored, -1);
            AddToTotals(sql, d, +1);
        }
        return true;
    }
    const auto old = SelectDealById(sql, d.workspace_id, d.id);
    const std::string text = visible.Expand(kUpdateDeal);
    const bool updated = db::WithPrepared<ByText<UpdateDealQuery>>(sql, [&](ByText<UpdateDealQuery>& set) {
        UpdateDealQuery& q = set.Get(text, [&] { return std::make_unique<UpdateDealQuery>(sql, text, visible); });
        return RunDealUpdate(q, d, visible);
    });
    if (!updated) return false;
    if (old) AddToTotals(sql, *old, -1);
    AddToTotals(sql, d, +1);
    return true;
}

void InsertHistory(soci::session& sql, core::Id ws_id, core::Id deal_id, std::optional<core::Id> from, core::Id to_id,
                   std::optional<core::Id> by_id, core::Millis at_ms) {
    db::WithPrepared<InsertHistorySet>(sql, [&](InsertHistorySet& q) {
        q.ws = ws_id;
        q.deal = deal_id;
        q.from = NullId(from);
        q.to = to_id;
        q.by = NullId(by_id);
        q.at = at_ms;
        q.st.execute(true);
    });
}

std::vector<HistoryRow> SelectHistory(soci::session& sql, core::Id ws_id, core::Id deal_id) {
    long long ws = ws_id, deal = deal_id, id = 0, from = 0, to = 0, by = 0, at = 0;
    std::string name;
    soci::indicator from_ind = soci::i_null, by_ind = soci::i_null;
    soci::statement st =
        (sql.prepare << kSelectHistory, soci::into(id), soci::into(from, from_ind), soci::into(to),
         soci::into(by, by_ind), soci::into(name), soci::into(at), soci::use(ws, "ws"), soci::use(deal, "deal"));
    st.execute(false);
    std::vector<HistoryRow> out;
    while (st.fetch()) {
        HistoryRow h;
        h.id = id;
        if (from_ind == soci::i_ok) h.from_stage_id = from;
        h.to_stage_id = to;
        if (by_ind == soci::i_ok) h.by_user_id = by;
        h.by_name = name;
        h.at = at;
        out.push_back(std::move(h));
    }
    return out;
}

namespace {

void CustomFacts(const std::string& custom, const std::string& prefix, std::set<std::string>& filled) {
    boost::system::error_code ec;
    json::value v = json::parse(custom, ec);
    if (ec || !v.is_object()) return;
    for (const auto& [k, val] : v.as_object()) {
        const bool empty =
            val.is_null() || (val.is_string() && val.as_string().empty()) || (val.is_array() && val.as_array().empty());
        if (!empty) filled.insert(prefix + std::string(k));
    }
}

void PointFacts(soci::session& sql, long long ws, const std::string& type, long long id, const std::string& prefix,
                std::set<std::string>& filled) {
    db::WithPrepared<PointKindsSet>(sql, [&](PointKindsSet& q) {
        q.ws = ws;
        q.type = type;
        q.id = id;
        q.st.execute(false);
        while (q.st.fetch()) filled.insert(prefix + q.kind);
    });
}

}  // namespace

void ClientFacts(soci::session& sql, core::Id ws_id, std::optional<core::Id> company_id,
                 std::optional<core::Id> contact_id, std::set<std::string>& filled) {
    const long long ws = ws_id;
    if (company_id) {
        const bool found = db::WithPrepared<CompanyFactsSet>(sql, [&](CompanyFactsSet& q) {
            q.ws = ws;
            q.id = *company_id;
            if (!q.st.execute(true)) return false;
            filled.insert("company");
            if (!q.inn.empty()) filled.insert("company.inn");
            if (!q.kpp.empty()) filled.insert("company.kpp");
            if (!q.ogrn.empty()) filled.insert("company.ogrn");
            if (!q.legal.empty()) filled.insert("company.legal_address");
            if (!q.actual.empty()) filled.insert("company.actual_address");
            boost::system::error_code ec;
            json::value b = json::parse(q.bank, ec);
            if (!ec && b.is_object()) {
                const auto* bik = b.as_object().if_contains("bik");
                const auto* account = b.as_object().if_contains("account");
                if (bik && bik->is_string() && !bik->as_string().empty() && account && account->is_string() &&
                    !account->as_string().empty())
                    filled.insert("company.bank_details");
            }
            CustomFacts(q.custom, "company.custom.", filled);
            return true;
        });
        if (found) PointFacts(sql, ws, "company", *company_id, "company.", filled);
    }
    if (contact_id) {
        const bool found = db::WithPrepared<ContactFactsSet>(sql, [&](ContactFactsSet& q) {
            q.ws = ws;
            q.id = *contact_id;
            if (!q.st.execute(true)) return false;
            filled.insert("contact");
            CustomFacts(q.custom, "contact.custom.", filled);
            return true;
        });
        if (found) PointFacts(sql, ws, "contact", *contact_id, "contact.", filled);
    }
}

std::optional<std::string> CompanyName(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    std::string name;
    sql << kCompanyName, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name);
    if (!sql.got_data()) return std::nullopt;
    return name;
}

std::optional<std::string> ContactName(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    std::string name;
    sql << kContactName, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name);
    if (!sql.got_data()) return std::nullopt;
    return name;
}

bool UserActive(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in, n = 0;
    sql << kUserActive, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(n);
    return n > 0;
}

bool LeadExists(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in, n = 0;
    sql << kLeadExists, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(n);
    return n > 0;
}

std::optional<Deal> SetAmount(soci::session& sql, core::Id ws_id, core::Id id_in, std::int64_t amount_minor,
                              core::Millis now_ms) {
    auto before = SelectDealById(sql, ws_id, id_in);
    if (!before) return std::nullopt;
    long long ws = ws_id, id = id_in, amount = amount_minor, now = now_ms;
    sql << kSetAmount, soci::use(amount, "amount"), soci::use(now, "now"), soci::use(now, "now2"), soci::use(ws, "ws"),
        soci::use(id, "id");
    Deal after = *before;
    after.amount_minor = amount_minor;
    AddToTotals(sql, *before, -1);
    AddToTotals(sql, after, +1);
    return before;
}

namespace {

constexpr const char* kDealByExternalId = "SELECT id FROM deals WHERE workspace_id = :ws AND external_id = :ext";
constexpr const char* kSetExternalId = "UPDATE deals SET external_id = :ext WHERE workspace_id = :ws AND id = :id";
constexpr const char* kCompanyContacts =
    "SELECT p.id, p.full_name FROM company_contacts cc JOIN contacts p ON p.workspace_id = cc.workspace_id "
    "AND p.id = cc.contact_id WHERE cc.workspace_id = :ws AND cc.company_id = :company AND p.deleted_at IS NULL "
    "ORDER BY cc.is_primary DESC, p.id";

struct DealByExternalIdSet {
    long long ws = 0, id = 0;
    std::string ext;
    soci::statement st;
    explicit DealByExternalIdSet(soci::session& sql)
        : st((sql.prepare << kDealByExternalId, soci::use(ws, "ws"), soci::use(ext, "ext"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::optional<core::Id> DealIdByExternalId(soci::session& sql, core::Id ws, const std::string& external_id) {
    return db::WithPrepared<DealByExternalIdSet>(sql, [&](DealByExternalIdSet& q) -> std::optional<core::Id> {
        q.ws = ws;
        q.ext = external_id;
        if (!q.st.execute(true)) return std::nullopt;
        return static_cast<core::Id>(q.id);
    });
}

void SetExternalId(soci::session& sql, core::Id ws_id, core::Id id_in, const std::string& external_id) {
    long long ws = ws_id, id = id_in;
    sql << kSetExternalId, soci::use(external_id, "ext"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::vector<std::pair<core::Id, std::string>> CompanyContacts(soci::session& sql, core::Id ws_id, core::Id company_id) {
    long long ws = ws_id, company = company_id, id = 0;
    std::string name;
    soci::statement st = (sql.prepare << kCompanyContacts, soci::into(id), soci::into(name), soci::use(ws, "ws"),
                          soci::use(company, "company"));
    st.execute(false);
    std::vector<std::pair<core::Id, std::string>> out;
    while (st.fetch()) out.emplace_back(id, name);
    return out;
}

namespace {

std::vector<core::Id> OpenDealsOf(soci::session& sql, core::Id ws_id, core::Id user) {
    long long ws = ws_id, u = user, id = 0;
    soci::statement st = (sql.prepare << kOpenDealsOf, soci::into(id), soci::use(ws, "ws"), soci::use(u, "u"));
    st.execute(false);
    std::vector<core::Id> out;
    while (st.fetch()) out.push_back(id);
    return out;
}

}  // namespace

std::vector<core::Id> MoveOpenDeals(soci::session& sql, core::Id ws_id, core::Id from_id, std::optional<core::Id> to_id,
                                    core::Millis now_ms) {
    const auto ids = OpenDealsOf(sql, ws_id, from_id);
    std::vector<Deal> before;
    for (core::Id id : ids)
        if (auto d = SelectDealById(sql, ws_id, id)) before.push_back(std::move(*d));
    long long ws = ws_id, from = from_id, now = now_ms;
    NullId to(to_id);
    sql << kMoveOpenDeals, soci::use(to.v, to.ind, "to"), soci::use(now, "now"), soci::use(ws, "ws"),
        soci::use(from, "from");
    for (auto& d : before) {
        AddToTotals(sql, d, -1);
        d.owner_user_id = to_id;
        AddToTotals(sql, d, +1);
    }
    return ids;
}

}  // namespace otdel::deals::store
