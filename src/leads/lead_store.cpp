#include "leads/lead_store.hpp"
#include "db/nullable.hpp"

#include <array>

namespace otdel::leads::store {
namespace {

constexpr const char* kColumns =
    "l.workspace_id, l.id, l.status, l.junk_reason, l.junk_comment, l.title, l.request_text, l.contact_name, "
    "l.company_name, l.inn, l.channel, l.intake_form_id, l.intake_channel_id, l.external_ref, l.campaign, "
    "l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, l.utm_term, l.referrer, l.region, l.product, "
    "l.priority_score, CAST(l.priority_reasons AS TEXT), CAST(l.custom AS TEXT), l.owner_user_id, l.company_id, "
    "l.contact_id, l.converted_at, l.converted_company_id, l.converted_contact_id, l.repeat_count, "
    "l.last_request_at, l.merged_into_id, l.deleted_at, l.created_by, l.created_at, l.updated_at";

constexpr const char* kInsertLead =
    "INSERT INTO leads (workspace_id, status, junk_reason, junk_comment, title, request_text, contact_name, "
    "company_name, inn, channel, intake_form_id, intake_channel_id, external_ref, campaign, utm_source, utm_medium, "
    "utm_campaign, utm_content, utm_term, referrer, region, product, priority_score, priority_reasons, custom, "
    "owner_user_id, company_id, contact_id, repeat_count, last_request_at, created_by, created_at, updated_at) "
    "VALUES (:ws, :status, :junk_reason, :junk_comment, :title, :request_text, :contact_name, :company_name, :inn, "
    ":channel, :form, :chan, :ext, :campaign, :utm_source, :utm_medium, :utm_campaign, :utm_content, :utm_term, "
    ":referrer, :region, :product, :score, :reasons, :custom, :owner, :company, :contact, :repeats, :last_req, :by, "
    ":created, :updated) RETURNING id";

constexpr const char* kUpdateLead =
    "UPDATE leads SET status = :status, junk_reason = :junk_reason, junk_comment = :junk_comment, title = :title, "
    "request_text = :request_text, contact_name = :contact_name, company_name = :company_name, inn = :inn, "
    "campaign = :campaign, region = :region, product = :product, priority_score = :score, "
    "priority_reasons = :reasons, custom = :custom, owner_user_id = :owner, company_id = :company, "
    "contact_id = :contact, converted_at = :conv_at, converted_company_id = :conv_company, "
    "converted_contact_id = :conv_contact, repeat_count = :repeats, last_request_at = :last_req, "
    "merged_into_id = :merged, deleted_at = :deleted, updated_at = :updated "
    "WHERE id = :id AND {visible}";

constexpr const char* kInsertPoint =
    "INSERT INTO contact_points (workspace_id, subject_type, subject_id, kind, label, raw, value, is_primary, "
    "created_at) VALUES (:ws, 'lead', :lead, :kind, :label, :raw, :value, :primary, :now)";
constexpr const char* kSelectPoints =
    "SELECT id, kind, label, raw, value, is_primary FROM contact_points WHERE workspace_id = :ws "
    "AND subject_type = 'lead' AND subject_id = :lead ORDER BY kind DESC, is_primary DESC, id";
constexpr const char* kDeleteDuplicatePoints =
    "DELETE FROM contact_points WHERE workspace_id = :ws AND subject_type = 'lead' AND subject_id = :from "
    "AND EXISTS (SELECT 1 FROM contact_points q WHERE q.workspace_id = :ws2 AND q.subject_type = 'lead' "
    "AND q.subject_id = :to AND q.kind = contact_points.kind AND q.value = contact_points.value)";
constexpr const char* kMovePoints =
    "UPDATE contact_points SET subject_id = :to, is_primary = 0 WHERE workspace_id = :ws AND subject_type = 'lead' "
    "AND subject_id = :from";

// Intake reads back the owner routing gave a lead it has just written (system actor: the whole workspace).
constexpr const char* kSelectOwner = "SELECT owner_user_id FROM leads WHERE workspace_id = :ws AND id = :id";
constexpr const char* kByExternalRef =
    "SELECT id FROM leads WHERE workspace_id = :ws AND channel = :channel AND external_ref = :ref";
constexpr const char* kTimelineRef =
    "SELECT COUNT(*) FROM timeline_events WHERE workspace_id = :ws AND channel = :channel AND external_ref = :ref";
constexpr const char* kHandoverSelect =
    "SELECT id FROM leads WHERE workspace_id = :ws AND owner_user_id = :from AND deleted_at IS NULL "
    "AND merged_into_id IS NULL AND status IN ('new', 'in_work', 'qualified') ORDER BY id";
constexpr const char* kHandoverUpdate =
    "UPDATE leads SET owner_user_id = :to, updated_at = :now WHERE workspace_id = :ws AND owner_user_id = :from "
    "AND deleted_at IS NULL AND merged_into_id IS NULL AND status IN ('new', 'in_work', 'qualified')";

constexpr const char* kInsertMerge =
    "INSERT INTO merges (workspace_id, subject_type, survivor_id, merged_id, actor_user_id, snapshot, at) "
    "VALUES (:ws, 'lead', :survivor, :merged, :actor, :snapshot, :at)";
constexpr const char* kMoveTimeline =
    "UPDATE timeline_events SET subject_id = :to WHERE workspace_id = :ws AND subject_type = 'lead' "
    "AND subject_id = :from";

using NullId = db::NullableId;
using NullText = db::NullableText;

// The row buffers of kColumns, bound to a statement in order.
struct LeadInto {
    Lead l;
    long long ws = 0, id = 0, form = 0, chan = 0, score = 0, owner = 0, company = 0, contact = 0, conv_at = 0,
              conv_company = 0, conv_contact = 0, repeats = 0, last_req = 0, merged = 0, deleted = 0, by = 0,
              created = 0, updated = 0;
    std::string junk_reason, inn, ext;
    std::array<soci::indicator, 17> ind{};

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(l.status));
        st.exchange(soci::into(junk_reason, ind[0]));
        st.exchange(soci::into(l.junk_comment));
        st.exchange(soci::into(l.title));
        st.exchange(soci::into(l.request_text));
        st.exchange(soci::into(l.contact_name));
        st.exchange(soci::into(l.company_name));
        st.exchange(soci::into(inn, ind[1]));
        st.exchange(soci::into(l.channel));
        st.exchange(soci::into(form, ind[2]));
        st.exchange(soci::into(chan, ind[3]));
        st.exchange(soci::into(ext, ind[4]));
        st.exchange(soci::into(l.campaign));
        st.exchange(soci::into(l.utm_source));
        st.exchange(soci::into(l.utm_medium));
        st.exchange(soci::into(l.utm_campaign));
        st.exchange(soci::into(l.utm_content));
        st.exchange(soci::into(l.utm_term));
        st.exchange(soci::into(l.referrer));
        st.exchange(soci::into(l.region));
        st.exchange(soci::into(l.product));
        st.exchange(soci::into(score));
        st.exchange(soci::into(l.priority_reasons));
        st.exchange(soci::into(l.custom));
        st.exchange(soci::into(owner, ind[5]));
        st.exchange(soci::into(company, ind[6]));
        st.exchange(soci::into(contact, ind[7]));
        st.exchange(soci::into(conv_at, ind[8]));
        st.exchange(soci::into(conv_company, ind[9]));
        st.exchange(soci::into(conv_contact, ind[10]));
        st.exchange(soci::into(repeats));
        st.exchange(soci::into(last_req));
        st.exchange(soci::into(merged, ind[11]));
        st.exchange(soci::into(deleted, ind[12]));
        st.exchange(soci::into(by, ind[13]));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    template <class T>
    static std::optional<T> Opt(T v, soci::indicator i) {
        return i == soci::i_ok ? std::optional<T>(v) : std::nullopt;
    }
    Lead Take() {
        Lead out = l;
        out.workspace_id = ws;
        out.id = id;
        out.junk_reason = Opt(junk_reason, ind[0]);
        out.inn = Opt(inn, ind[1]);
        out.intake_form_id = Opt<core::Id>(form, ind[2]);
        out.intake_channel_id = Opt<core::Id>(chan, ind[3]);
        out.external_ref = Opt(ext, ind[4]);
        out.priority_score = static_cast<int>(score);
        out.owner_user_id = Opt<core::Id>(owner, ind[5]);
        out.company_id = Opt<core::Id>(company, ind[6]);
        out.contact_id = Opt<core::Id>(contact, ind[7]);
        out.converted_at = Opt<core::Millis>(conv_at, ind[8]);
        out.converted_company_id = Opt<core::Id>(conv_company, ind[9]);
        out.converted_contact_id = Opt<core::Id>(conv_contact, ind[10]);
        out.repeat_count = static_cast<int>(repeats);
        out.last_request_at = last_req;
        out.merged_into_id = Opt<core::Id>(merged, ind[11]);
        out.deleted_at = Opt<core::Millis>(deleted, ind[12]);
        out.created_by = Opt<core::Id>(by, ind[13]);
        out.created_at = created;
        out.updated_at = updated;
        return out;
    }
};

}  // namespace

core::Id InsertLead(soci::session& sql, const Lead& l) {
    long long ws = l.workspace_id, score = l.priority_score, repeats = l.repeat_count, last_req = l.last_request_at,
              created = l.created_at, updated = l.updated_at;
    NullText junk(l.junk_reason), inn(l.inn), ext(l.external_ref);
    NullId form(l.intake_form_id), chan(l.intake_channel_id), owner(l.owner_user_id), company(l.company_id),
        contact(l.contact_id), by(l.created_by);
    long long id = 0;
    sql << kInsertLead, soci::use(ws, "ws"), soci::use(l.status, "status"), soci::use(junk.v, junk.ind, "junk_reason"),
        soci::use(l.junk_comment, "junk_comment"), soci::use(l.title, "title"),
        soci::use(l.request_text, "request_text"), soci::use(l.contact_name, "contact_name"),
        soci::use(l.company_name, "company_name"), soci::use(inn.v, inn.ind, "inn"), soci::use(l.channel, "channel"),
        soci::use(form.v, form.ind, "form"), soci::use(chan.v, chan.ind, "chan"), soci::use(ext.v, ext.ind, "ext"),
        soci::use(l.campaign, "campaign"), soci::use(l.utm_source, "utm_source"), soci::use(l.utm_medium, "utm_medium"),
        soci::use(l.utm_campaign, "utm_campaign"), soci::use(l.utm_content, "utm_content"),
        soci::use(l.utm_term, "utm_term"), soci::use(l.referrer, "referrer"), soci::use(l.region, "region"),
        soci::use(l.product, "product"), soci::use(score, "score"), soci::use(l.priority_reasons, "reasons"),
        soci::use(l.custom, "custom"), soci::use(owner.v, owner.ind, "owner"),
        soci::use(company.v, company.ind, "company"), soci::use(contact.v, contact.ind, "contact"),
        soci::use(repeats, "repeats"), soci::use(last_req, "last_req"), soci::use(by.v, by.ind, "by"),
        soci::use(created, "created"), soci::use(updated, "updated"), soci::into(id);
    return id;
}

void InsertPoint(soci::session& sql, core::Id ws_id, core::Id lead_id, const LeadPoint& p, core::Millis now) {
    long long ws = ws_id, lead = lead_id, at = now;
    int primary = p.is_primary ? 1 : 0;
    sql << kInsertPoint, soci::use(ws, "ws"), soci::use(lead, "lead"), soci::use(p.kind, "kind"),
        soci::use(p.label, "label"), soci::use(p.raw, "raw"), soci::use(p.value, "value"),
        soci::use(primary, "primary"), soci::use(at, "now");
}

struct LeadWriter::Buffers {
    // Insert-lead parameters, in kInsertLead order.
    long long ws = 0, score = 0, repeats = 0, last_req = 0, created = 0, updated = 0, id = 0;
    std::string status, junk_comment, title, request_text, contact_name, company_name, channel, campaign, utm_source,
        utm_medium, utm_campaign, utm_content, utm_term, referrer, region, product, reasons, custom;
    NullText junk{std::nullopt}, inn{std::nullopt}, ext{std::nullopt};
    NullId form{std::nullopt}, chan{std::nullopt}, owner{std::nullopt}, company{std::nullopt}, contact{std::nullopt},
        by{std::nullopt};
    // Insert-point parameters.
    long long p_ws = 0, p_lead = 0, p_at = 0;
    int p_primary = 0;
    std::string p_kind, p_label, p_raw, p_value;
    // Owner-read parameters.
    long long o_ws = 0, o_id = 0, o_owner = 0;
    soci::indicator o_ind = soci::i_null;
    soci::statement lead_st;
    soci::statement point_st;
    soci::statement owner_st;

    explicit Buffers(soci::session& sql)
        : lead_st((sql.prepare << kInsertLead, soci::use(ws, "ws"), soci::use(status, "status"),
                   soci::use(junk.v, junk.ind, "junk_reason"), soci::use(junk_comment, "junk_comment"),
                   soci::use(title, "title"), soci::use(request_text, "request_text"),
                   soci::use(contact_name, "contact_name"), soci::use(company_name, "company_name"),
                   soci::use(inn.v, inn.ind, "inn"), soci::use(channel, "channel"), soci::use(form.v, form.ind, "form"),
                   soci::use(chan.v, chan.ind, "chan"), soci::use(ext.v, ext.ind, "ext"),
                   soci::use(campaign, "campaign"), soci::use(utm_source, "utm_source"),
                   soci::use(utm_medium, "utm_medium"), soci::use(utm_campaign, "utm_campaign"),
                   soci::use(utm_content, "utm_content"), soci::use(utm_term, "utm_term"),
                   soci::use(referrer, "referrer"), soci::use(region, "region"), soci::use(product, "product"),
                   soci::use(score, "score"), soci::use(reasons, "reasons"), soci::use(custom, "custom"),
                   soci::use(owner.v, owner.ind, "owner"), soci::use(company.v, company.ind, "company"),
                   soci::use(contact.v, contact.ind, "contact"), soci::use(repeats, "repeats"),
                   soci::use(last_req, "last_req"), soci::use(by.v, by.ind, "by"), soci::use(created, "created"),
                   soci::use(updated, "updated"), soci::into(id))),
          point_st((sql.prepare << kInsertPoint, soci::use(p_ws, "ws"), soci::use(p_lead, "lead"),
                    soci::use(p_kind, "kind"), soci::use(p_label, "label"), soci::use(p_raw, "raw"),
                    soci::use(p_value, "value"), soci::use(p_primary, "primary"), soci::use(p_at, "now"))),
          owner_st((sql.prepare << kSelectOwner, soci::use(o_ws, "ws"), soci::use(o_id, "id"),
                    soci::into(o_owner, o_ind))) {}
};

LeadWriter::LeadWriter(soci::session& sql) : b_(std::make_unique<Buffers>(sql)) {}
LeadWriter::~LeadWriter() = default;

core::Id LeadWriter::InsertLead(const Lead& l) {
    Buffers& b = *b_;
    b.ws = l.workspace_id;
    b.status = l.status;
    b.junk = NullText(l.junk_reason);
    b.junk_comment = l.junk_comment;
    b.title = l.title;
    b.request_text = l.request_text;
    b.contact_name = l.contact_name;
    b.company_name = l.company_name;
    b.inn = NullText(l.inn);
    b.channel = l.channel;
    b.form = NullId(l.intake_form_id);
    b.chan = NullId(l.intake_channel_id);
    b.ext = NullText(l.external_ref);
    b.campaign = l.campaign;
    b.utm_source = l.utm_source;
    b.utm_medium = l.utm_medium;
    b.utm_campaign = l.utm_campaign;
    b.utm_content = l.utm_content;
    b.utm_term = l.utm_term;
    b.referrer = l.referrer;
    b.region = l.region;
    b.product = l.product;
    b.score = l.priority_score;
    b.reasons = l.priority_reasons;
    b.custom = l.custom;
    b.owner = NullId(l.owner_user_id);
    b.company = NullId(l.company_id);
    b.contact = NullId(l.contact_id);
    b.repeats = l.repeat_count;
    b.last_req = l.last_request_at;
    b.by = NullId(l.created_by);
    b.created = l.created_at;
    b.updated = l.updated_at;
    b.lead_st.execute(true);
    // Step past the RETURNING row: SQLite refuses to release a savepoint while a statement is still active.
    while (b.lead_st.fetch()) {
    }
    return b.id;
}

void LeadWriter::InsertPoint(core::Id ws, core::Id lead_id, const LeadPoint& p, core::Millis now) {
    Buffers& b = *b_;
    b.p_ws = ws;
    b.p_lead = lead_id;
    b.p_kind = p.kind;
    b.p_label = p.label;
    b.p_raw = p.raw;
    b.p_value = p.value;
    b.p_primary = p.is_primary ? 1 : 0;
    b.p_at = now;
    b.point_st.execute(true);
}

bool LeadWriter::ReadOwner(core::Id ws, core::Id lead_id, std::optional<core::Id>& owner) {
    Buffers& b = *b_;
    b.o_ws = ws;
    b.o_id = lead_id;
    b.o_ind = soci::i_null;
    const bool found = b.owner_st.execute(true);
    // Step past the row: SQLite refuses to release a savepoint while a statement is still active.
    while (b.owner_st.fetch()) {
    }
    if (found) owner = b.o_ind == soci::i_ok ? std::optional<core::Id>(b.o_owner) : std::nullopt;
    return found;
}

std::vector<LeadPoint> SelectPoints(soci::session& sql, core::Id ws_id, core::Id lead_id) {
    long long ws = ws_id, lead = lead_id;
    std::vector<LeadPoint> out;
    LeadPoint p;
    long long id = 0;
    int primary = 0;
    soci::statement st =
        (sql.prepare << kSelectPoints, soci::into(id), soci::into(p.kind), soci::into(p.label), soci::into(p.raw),
         soci::into(p.value), soci::into(primary), soci::use(ws, "ws"), soci::use(lead, "lead"));
    st.execute();
    while (st.fetch()) {
        p.id = id;
        p.is_primary = primary != 0;
        out.push_back(p);
    }
    return out;
}

void MovePoints(soci::session& sql, core::Id ws_id, core::Id from_id, core::Id to_id) {
    long long ws = ws_id, from = from_id, to = to_id;
    sql << kDeleteDuplicatePoints, soci::use(ws, "ws"), soci::use(from, "from"), soci::use(ws, "ws2"),
        soci::use(to, "to");
    sql << kMovePoints, soci::use(to, "to"), soci::use(ws, "ws"), soci::use(from, "from");
}

std::optional<Lead> SelectLead(soci::session& sql, core::Id lead_id, const auth::Predicate& visible,
                               bool include_deleted) {
    std::string text = std::string("SELECT ") + kColumns + " FROM leads l WHERE l.id = :id AND {visible}";
    if (!include_deleted) text += " AND l.deleted_at IS NULL";
    long long id = lead_id;
    LeadInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    st.exchange(soci::use(id, "id"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    if (!st.fetch()) return std::nullopt;
    Lead l = row.Take();
    l.points = SelectPoints(sql, l.workspace_id, l.id);
    return l;
}

bool UpdateLead(soci::session& sql, const Lead& l, const auth::Predicate& visible) {
    long long id = l.id, score = l.priority_score, repeats = l.repeat_count, last_req = l.last_request_at,
              updated = l.updated_at;
    NullText junk(l.junk_reason), inn(l.inn);
    NullId owner(l.owner_user_id), company(l.company_id), contact(l.contact_id), conv_at(l.converted_at),
        conv_company(l.converted_company_id), conv_contact(l.converted_contact_id), merged(l.merged_into_id),
        deleted(l.deleted_at);
    soci::statement st =
        (sql.prepare << visible.Expand(kUpdateLead), soci::use(l.status, "status"),
         soci::use(junk.v, junk.ind, "junk_reason"), soci::use(l.junk_comment, "junk_comment"),
         soci::use(l.title, "title"), soci::use(l.request_text, "request_text"),
         soci::use(l.contact_name, "contact_name"), soci::use(l.company_name, "company_name"),
         soci::use(inn.v, inn.ind, "inn"), soci::use(l.campaign, "campaign"), soci::use(l.region, "region"),
         soci::use(l.product, "product"), soci::use(score, "score"), soci::use(l.priority_reasons, "reasons"),
         soci::use(l.custom, "custom"), soci::use(owner.v, owner.ind, "owner"),
         soci::use(company.v, company.ind, "company"), soci::use(contact.v, contact.ind, "contact"),
         soci::use(conv_at.v, conv_at.ind, "conv_at"), soci::use(conv_company.v, conv_company.ind, "conv_company"),
         soci::use(conv_contact.v, conv_contact.ind, "conv_contact"), soci::use(repeats, "repeats"),
         soci::use(last_req, "last_req"), soci::use(merged.v, merged.ind, "merged"),
         soci::use(deleted.v, deleted.ind, "deleted"), soci::use(updated, "updated"), soci::use(id, "id"), visible);
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::optional<core::Id> LeadByExternalRef(soci::session& sql, core::Id ws_id, const std::string& channel,
                                          const std::string& ref) {
    long long ws = ws_id, id = 0;
    soci::indicator ind = soci::i_null;
    sql << kByExternalRef, soci::use(ws, "ws"), soci::use(channel, "channel"), soci::use(ref, "ref"),
        soci::into(id, ind);
    if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
    return id;
}

bool TimelineRefExists(soci::session& sql, core::Id ws_id, const std::string& channel, const std::string& ref) {
    long long ws = ws_id, n = 0;
    sql << kTimelineRef, soci::use(ws, "ws"), soci::use(channel, "channel"), soci::use(ref, "ref"), soci::into(n);
    return n > 0;
}

std::vector<Lead> ListLeads(soci::session& sql, const ListFilter& f, const std::optional<ListAfter>& after, int limit,
                            const auth::Predicate& visible) {
    // Fixed fragments only: which ones are used depends on the filter, never on user text.
    std::string text = std::string("SELECT ") + kColumns + " FROM leads l WHERE {visible}";
    text += f.deleted ? " AND l.deleted_at IS NOT NULL" : " AND l.deleted_at IS NULL AND l.merged_into_id IS NULL";
    std::vector<std::string> st_names;
    if (!f.statuses.empty()) {
        text += " AND l.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) {
            st_names.push_back("st" + std::to_string(i));
            text += (i ? ", :" : ":") + st_names.back();
        }
        text += ")";
    }
    if (f.channel) text += " AND l.channel = :channel";
    if (f.owner_none) text += " AND l.owner_user_id IS NULL";
    if (f.owner_user_id) text += " AND l.owner_user_id = :owner";
    if (f.form_id) text += " AND l.intake_form_id = :form";
    if (f.created_from) text += " AND l.created_at >= :cfrom";
    if (f.created_to) text += " AND l.created_at < :cto";
    // Text, names, e-mails and phones in every spelling are in the lead's search document (case-folded tokens).
    if (f.q_text)
        text +=
            " AND EXISTS (SELECT 1 FROM search_docs d WHERE d.workspace_id = l.workspace_id "
            "AND d.subject_type = 'lead' AND d.subject_id = l.id AND d.body LIKE :q1)";
    if (after) text += " AND (l.priority_score < :ascore OR (l.priority_score = :ascore2 AND l.id < :aid))";
    text += " ORDER BY l.priority_score DESC, l.id DESC LIMIT :lim";

    LeadInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(visible.Expand(text));
    row.Bind(st);
    for (std::size_t i = 0; i < f.statuses.size(); ++i) st.exchange(soci::use(f.statuses[i], st_names[i]));
    long long owner = f.owner_user_id.value_or(0), form = f.form_id.value_or(0), cfrom = f.created_from.value_or(0),
              cto = f.created_to.value_or(0);
    if (f.channel) st.exchange(soci::use(*f.channel, "channel"));
    if (f.owner_user_id) st.exchange(soci::use(owner, "owner"));
    if (f.form_id) st.exchange(soci::use(form, "form"));
    if (f.created_from) st.exchange(soci::use(cfrom, "cfrom"));
    if (f.created_to) st.exchange(soci::use(cto, "cto"));
    std::string like = f.q_text ? "%" + *f.q_text + "%" : "";
    if (f.q_text) st.exchange(soci::use(like, "q1"));
    long long ascore = after ? after->score : 0, aid = after ? after->id : 0, lim = limit;
    if (after) {
        st.exchange(soci::use(ascore, "ascore"));
        st.exchange(soci::use(ascore, "ascore2"));
        st.exchange(soci::use(aid, "aid"));
    }
    st.exchange(soci::use(lim, "lim"));
    visible.BindTo(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Lead> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

std::vector<core::Id> HandoverOpenLeads(soci::session& sql, core::Id ws_id, core::Id from_id,
                                        std::optional<core::Id> to_id, core::Millis now) {
    long long ws = ws_id, from = from_id, id = 0, at = now;
    std::vector<core::Id> ids;
    soci::statement st = (sql.prepare << kHandoverSelect, soci::into(id), soci::use(ws, "ws"), soci::use(from, "from"));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    if (ids.empty()) return ids;
    NullId to(to_id);
    sql << kHandoverUpdate, soci::use(to.v, to.ind, "to"), soci::use(at, "now"), soci::use(ws, "ws"),
        soci::use(from, "from");
    return ids;
}

void InsertMerge(soci::session& sql, core::Id ws_id, core::Id survivor_id, core::Id merged_id,
                 std::optional<core::Id> actor, const std::string& snapshot, core::Millis now) {
    long long ws = ws_id, survivor = survivor_id, merged = merged_id, at = now;
    NullId by(actor);
    sql << kInsertMerge, soci::use(ws, "ws"), soci::use(survivor, "survivor"), soci::use(merged, "merged"),
        soci::use(by.v, by.ind, "actor"), soci::use(snapshot, "snapshot"), soci::use(at, "at");
}

void MoveTimeline(soci::session& sql, core::Id ws_id, core::Id from_id, core::Id to_id) {
    long long ws = ws_id, from = from_id, to = to_id;
    sql << kMoveTimeline, soci::use(to, "to"), soci::use(ws, "ws"), soci::use(from, "from");
}

std::optional<LeadSla> SelectSla(soci::session& sql, core::Id ws_id, core::Id lead_id) {
    long long ws = ws_id, id = lead_id, deadline = 0, resp = 0;
    soci::indicator deadline_ind = soci::i_null, resp_ind = soci::i_null;
    LeadSla s;
    sql << "SELECT state, deadline_at, sla_minutes, reassignments, breaches, first_response_at FROM lead_routing "
           "WHERE workspace_id = :ws AND lead_id = :id",
        soci::use(ws, "ws"), soci::use(id, "id"), soci::into(s.state), soci::into(deadline, deadline_ind),
        soci::into(s.sla_minutes), soci::into(s.reassignments), soci::into(s.breaches), soci::into(resp, resp_ind);
    if (!sql.got_data()) return std::nullopt;
    if (deadline_ind == soci::i_ok) s.deadline_at = deadline;
    if (resp_ind == soci::i_ok) s.first_response_at = resp;
    return s;
}

std::string WorkspaceTimeZone(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string tz = "Europe/Moscow";
    sql << "SELECT time_zone FROM workspaces WHERE id = :ws", soci::use(ws, "ws"), soci::into(tz);
    return tz;
}

bool UserActive(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, id = user_id, n = 0;
    sql << "SELECT COUNT(*) FROM users WHERE workspace_id = :ws AND id = :id AND status = 'active'",
        soci::use(ws, "ws"), soci::use(id, "id"), soci::into(n);
    return n > 0;
}

}  // namespace otdel::leads::store
