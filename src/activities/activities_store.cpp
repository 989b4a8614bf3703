#include "activities/activities_store.hpp"

#include <boost/json.hpp>

#include <array>
#include <map>

#include "core/ids.hpp"
#include "db/nullable.hpp"

namespace otdel::activities::store {
namespace json = boost::json;
namespace {

using NullId = db::NullableId;
using NullText = db::NullableText;

// Column order of ActivityInto: 'I' nullable integer, 'T' nullable text.
constexpr const char* kColumns =
    "a.workspace_id, a.id, a.kind, a.subject, a.body, a.owner_user_id, a.created_by, a.company_id, a.contact_id, "
    "a.lead_id, a.deal_id, a.at, a.starts_at, a.ends_at, a.due_at, a.done, a.done_at, a.done_by, a.source, "
    "a.external_ref, a.call_direction, a.call_duration_s, a.call_outcome, a.call_phone, a.recording_file_id, "
    "a.recording_url, a.meeting_place, a.meeting_video_url, a.meeting_result, a.task_priority, a.escalated_at, "
    "a.escalated_to, a.email_direction, a.email_from, a.email_to, a.email_cc, a.email_message_id, "
    "a.email_in_reply_to, a.email_status, a.email_error, a.email_account_id, a.template_id, a.sms_phone, "
    "a.sms_status, a.sms_error, a.deleted_at, a.created_at, a.updated_at, COALESCE(u.full_name, '')";
constexpr std::string_view kLayout = "IITTTIIIIIIIIIIIIITTTITTITTTTTIITTTTTTTTIITTTIIIT";
constexpr const char* kFrom =
    " FROM activities a LEFT JOIN users u ON u.workspace_id = a.workspace_id AND u.id = a.owner_user_id";

constexpr const char* kInsert =
    "INSERT INTO activities (workspace_id, kind, subject, body, owner_user_id, created_by, company_id, contact_id, "
    "lead_id, deal_id, at, starts_at, ends_at, due_at, done, done_at, done_by, source, external_ref, call_direction, "
    "call_duration_s, call_outcome, call_phone, recording_file_id, recording_url, meeting_place, meeting_video_url, "
    "meeting_result, task_priority, escalated_at, escalated_to, email_direction, email_from, email_to, email_cc, "
    "email_message_id, email_in_reply_to, email_status, email_error, email_account_id, template_id, sms_phone, "
    "sms_status, sms_error, deleted_at, created_at, updated_at) VALUES (:ws, :kind, :subject, :body, :owner, :by, "
    ":company, :contact, :lead, :deal, :at, :starts, :ends, :due, :done, :done_at, :done_by, :source, :ref, :cdir, "
    ":cdur, :cout, :cphone, :rfile, :rurl, :mplace, :mvideo, :mresult, :prio, :esc_at, :esc_to, :edir, :efrom, :eto, "
    ":ecc, :emid, :ereply, :estatus, :eerror, :eacc, :tpl, :sphone, :sstatus, :serror, :deleted, :created, :updated) "
    "RETURNING id";
constexpr const char* kUpdate =
    "UPDATE activities SET kind = :kind, subject = :subject, body = :body, owner_user_id = :owner, created_by = :by, "
    "company_id = :company, contact_id = :contact, lead_id = :lead, deal_id = :deal, at = :at, starts_at = :starts, "
    "ends_at = :ends, due_at = :due, done = :done, done_at = :done_at, done_by = :done_by, source = :source, "
    "external_ref = :ref, call_direction = :cdir, call_duration_s = :cdur, call_outcome = :cout, call_phone = :cphone, "
    "recording_file_id = :rfile, recording_url = :rurl, meeting_place = :mplace, meeting_video_url = :mvideo, "
    "meeting_result = :mresult, task_priority = :prio, escalated_at = :esc_at, escalated_to = :esc_to, "
    "email_direction = :edir, email_from = :efrom, email_to = :eto, email_cc = :ecc, email_message_id = :emid, "
    "email_in_reply_to = :ereply, email_status = :estatus, email_error = :eerror, email_account_id = :eacc, "
    "template_id = :tpl, sms_phone = :sphone, sms_status = :sstatus, sms_error = :serror, deleted_at = :deleted, "
    "created_at = :created, updated_at = :updated WHERE workspace_id = :ws AND id = :id";

std::string ArrayText(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return json::serialize(a);
}

std::vector<std::string> ParseArray(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array())
        if (e.is_string()) out.emplace_back(e.as_string());
    return out;
}

// Row buffers of kColumns, laid out by kLayout.
struct ActivityInto {
    std::array<long long, kLayout.size()> ints{};
    std::array<std::string, kLayout.size()> texts{};
    std::array<soci::indicator, kLayout.size()> ind{};

    void Bind(soci::statement& st) {
        for (std::size_t i = 0; i < kLayout.size(); ++i) {
            if (kLayout[i] == 'I')
                st.exchange(soci::into(ints[i], ind[i]));
            else
                st.exchange(soci::into(texts[i], ind[i]));
        }
    }
    std::optional<long long> I(std::size_t i) const {
        return ind[i] == soci::i_ok ? std::optional<long long>(ints[i]) : std::nullopt;
    }
    std::optional<std::string> T(std::size_t i) const {
        return ind[i] == soci::i_ok ? std::optional<std::string>(texts[i]) : std::nullopt;
    }
    Activity Take() const {
        Activity a;
        a.workspace_id = ints[0];
        a.id = ints[1];
        a.kind = texts[2];
        a.subject = T(3).value_or("");
        a.body = T(4).value_or("");
        a.owner_user_id = I(5);
        a.created_by = I(6);
        a.company_id = I(7);
        a.contact_id = I(8);
        a.lead_id = I(9);
        a.deal_id = I(10);
        a.at = ints[11];
        a.starts_at = I(12);
        a.ends_at = I(13);
        a.due_at = I(14);
        a.done = I(15).value_or(0) != 0;
        a.done_at = I(16);
        a.done_by = I(17);
        a.source = T(18).value_or("manual");
        a.external_ref = T(19);
        a.call_direction = T(20);
        a.call_duration_s = I(21);
        a.call_outcome = T(22);
        a.call_phone = T(23);
        a.recording_file_id = I(24);
        a.recording_url = T(25);
        a.meeting_place = T(26);
        a.meeting_video_url = T(27);
        a.meeting_result = T(28);
        a.task_priority = T(29);
        a.escalated_at = I(30);
        a.escalated_to = I(31);
        a.email_direction = T(32);
        a.email_from = T(33);
        if (auto to = T(34)) a.email_to = ParseArray(*to);
        if (auto cc = T(35)) a.email_cc = ParseArray(*cc);
        a.email_message_id = T(36);
        a.email_in_reply_to = T(37);
        a.email_status = T(38);
        a.email_error = T(39);
        a.email_account_id = I(40);
        a.template_id = I(41);
        a.sms_phone = T(42);
        a.sms_status = T(43);
        a.sms_error = T(44);
        a.deleted_at = I(45);
        a.created_at = ints[46];
        a.updated_at = ints[47];
        a.owner_name = texts[48];
        return a;
    }
};

// Bound values of kInsert / kUpdate.
struct ActivityBinds {
    long long ws = 0, id = 0, at = 0, done = 0, created = 0, updated = 0;
    std::string kind, subject, body, source;
    NullId owner, by, company, contact, lead, deal, starts, ends, due, done_at, done_by, cdur, rfile, esc_at, esc_to,
        eacc, tpl, deleted;
    NullText ref, cdir, cout, cphone, rurl, mplace, mvideo, mresult, prio, edir, efrom, eto, ecc, emid, ereply, estatus,
        eerror, sphone, sstatus, serror;

    explicit ActivityBinds(const Activity& a)
        : ws(a.workspace_id),
          id(a.id),
          at(a.at),
          done(a.done ? 1 : 0),
          created(a.created_at),
          updated(a.updated_at),
          kind(a.kind),
          subject(a.subject),
          body(a.body),
          source(a.source),
          owner(a.owner_user_id),
          by(a.created_by),
          company(a.company_id),
          contact(a.contact_id),
          lead(a.lead_id),
          deal(a.deal_id),
          starts(a.starts_at),
          ends(a.ends_at),
          due(a.due_at),
          done_at(a.done_at),
          done_by(a.done_by),
          cdur(a.call_duration_s),
          rfile(a.recording_file_id),
          esc_at(a.escalated_at),
          esc_to(a.escalated_to),
          eacc(a.email_account_id),
          tpl(a.template_id),
          deleted(a.deleted_at),
          ref(a.external_ref),
          cdir(a.call_direction),
          cout(a.call_outcome),
          cphone(a.call_phone),
          rurl(a.recording_url),
          mplace(a.meeting_place),
          mvideo(a.meeting_video_url),
          mresult(a.meeting_result),
          prio(a.task_priority),
          edir(a.email_direction),
          efrom(a.email_from),
          eto(a.kind == "email" ? std::optional<std::string>(ArrayText(a.email_to)) : std::nullopt),
          ecc(a.kind == "email" ? std::optional<std::string>(ArrayText(a.email_cc)) : std::nullopt),
          emid(a.email_message_id),
          ereply(a.email_in_reply_to),
          estatus(a.email_status),
          eerror(a.email_error),
          sphone(a.sms_phone),
          sstatus(a.sms_status),
          serror(a.sms_error) {}

    void Bind(soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(kind, "kind"));
        st.exchange(soci::use(subject, "subject"));
        st.exchange(soci::use(body, "body"));
        st.exchange(soci::use(owner.v, owner.ind, "owner"));
        st.exchange(soci::use(by.v, by.ind, "by"));
        st.exchange(soci::use(company.v, company.ind, "company"));
        st.exchange(soci::use(contact.v, contact.ind, "contact"));
        st.exchange(soci::use(lead.v, lead.ind, "lead"));
        st.exchange(soci::use(deal.v, deal.ind, "deal"));
        st.exchange(soci::use(at, "at"));
        st.exchange(soci::use(starts.v, starts.ind, "starts"));
        st.exchange(soci::use(ends.v, ends.ind, "ends"));
        st.exchange(soci::use(due.v, due.ind, "due"));
        st.exchange(soci::use(done, "done"));
        st.exchange(soci::use(done_at.v, done_at.ind, "done_at"));
        st.exchange(soci::use(done_by.v, done_by.ind, "done_by"));
        st.exchange(soci::use(source, "source"));
        st.exchange(soci::use(ref.v, ref.ind, "ref"));
        st.exchange(soci::use(cdir.v, cdir.ind, "cdir"));
        st.exchange(soci::use(cdur.v, cdur.ind, "cdur"));
        st.exchange(soci::use(cout.v, cout.ind, "cout"));
        st.exchange(soci::use(cphone.v, cphone.ind, "cphone"));
        st.exchange(soci::use(rfile.v, rfile.ind, "rfile"));
        st.exchange(soci::use(rurl.v, rurl.ind, "rurl"));
        st.exchange(soci::use(mplace.v, mplace.ind, "mplace"));
        st.exchange(soci::use(mvideo.v, mvideo.ind, "mvideo"));
        st.exchange(soci::use(mresult.v, mresult.ind, "mresult"));
        st.exchange(soci::use(prio.v, prio.ind, "prio"));
        st.exchange(soci::use(esc_at.v, esc_at.ind, "esc_at"));
        st.exchange(soci::use(esc_to.v, esc_to.ind, "esc_to"));
        st.exchange(soci::use(edir.v, edir.ind, "edir"));
        st.exchange(soci::use(efrom.v, efrom.ind, "efrom"));
        st.exchange(soci::use(eto.v, eto.ind, "eto"));
        st.exchange(soci::use(ecc.v, ecc.ind, "ecc"));
        st.exchange(soci::use(emid.v, emid.ind, "emid"));
        st.exchange(soci::use(ereply.v, ereply.ind, "ereply"));
        st.exchange(soci::use(estatus.v, estatus.ind, "estatus"));
        st.exchange(soci::use(eerror.v, eerror.ind, "eerror"));
        st.exchange(soci::use(eacc.v, eacc.ind, "eacc"));
        st.exchange(soci::use(tpl.v, tpl.ind, "tpl"));
        st.exchange(soci::use(sphone.v, sphone.ind, "sphone"));
        st.exchange(soci::use(sstatus.v, sstatus.ind, "sstatus"));
        st.exchange(soci::use(serror.v, serror.ind, "serror"));
        st.exchange(soci::use(deleted.v, deleted.ind, "deleted"));
        st.exchange(soci::use(created, "created"));
        st.exchange(soci::use(updated, "updated"));
    }
};

// Runs `text` (kColumns + kFrom + conditions) with `bind` adding the parameters, and reads every row.
template <class BindFn>
std::vector<Activity> Rows(soci::session& sql, const std::string& text, BindFn&& bind) {
    ActivityInto row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    row.Bind(st);
    bind(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Activity> out;
    while (st.fetch()) out.push_back(row.Take());
    return out;
}

// "(1, 2, 3)": ids the store itself read or the service checked (never text from a request).
std::string IdList(const std::vector<core::Id>& ids) {
    std::string out = "(";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
    return out + ")";
}

constexpr const char* kSelectParticipants =
    "SELECT activity_id, id, user_id, contact_id, name, email FROM activity_participants WHERE workspace_id = :ws "
    "AND activity_id IN ";
constexpr const char* kSelectChecklist =
    "SELECT activity_id, id, position, text, done, done_at, done_by FROM activity_checklist_items WHERE "
    "workspace_id = :ws AND activity_id IN ";
constexpr const char* kSelectMentions =
    "SELECT activity_id, user_id FROM activity_mentions WHERE workspace_id = :ws AND activity_id IN ";

// Loads participants, checklists and mentions of a page in three queries.
void LoadChildren(soci::session& sql, core::Id ws_id, std::vector<Activity>& items) {
    if (items.empty()) return;
    std::vector<core::Id> meetings, tasks, all;
    std::map<core::Id, Activity*> by_id;
    for (auto& a : items) {
        by_id[a.id] = &a;
        all.push_back(a.id);
        if (a.kind == "meeting") meetings.push_back(a.id);
        if (a.kind == "task") tasks.push_back(a.id);
    }
    long long ws = ws_id;
    if (!meetings.empty()) {
        long long aid = 0, id = 0, uid = 0, cid = 0;
        std::string name, email;
        soci::indicator ui = soci::i_null, ci = soci::i_null;
        soci::statement st = (sql.prepare << std::string(kSelectParticipants) + IdList(meetings) + " ORDER BY id",
                              soci::into(aid), soci::into(id), soci::into(uid, ui), soci::into(cid, ci),
                              soci::into(name), soci::into(email), soci::use(ws, "ws"));
        st.execute(false);
        while (st.fetch()) {
            Participant p;
            p.id = id;
            if (ui == soci::i_ok) p.user_id = uid;
            if (ci == soci::i_ok) p.contact_id = cid;
            p.name = name;
            p.email = email;
            by_id[aid]->participants.push_back(std::move(p));
        }
    }
    if (!tasks.empty()) {
        long long aid = 0, id = 0, pos = 0, done = 0, done_at = 0, done_by = 0;
        std::string text;
        soci::indicator dai = soci::i_null, dbi = soci::i_null;
        soci::statement st = (sql.prepare << std::string(kSelectChecklist) + IdList(tasks) + " ORDER BY position, id",
                              soci::into(aid), soci::into(id), soci::into(pos), soci::into(text), soci::into(done),
                              soci::into(done_at, dai), soci::into(done_by, dbi), soci::use(ws, "ws"));
        st.execute(false);
        while (st.fetch()) {
            ChecklistItem c;
            c.id = id;
            c.position = static_cast<int>(pos);
            c.text = text;
            c.done = done != 0;
            if (dai == soci::i_ok) c.done_at = done_at;
            if (dbi == soci::i_ok) c.done_by = done_by;
            by_id[aid]->checklist.push_back(std::move(c));
        }
    }
    {
        long long aid = 0, uid = 0;
        soci::statement st = (sql.prepare << std::string(kSelectMentions) + IdList(all) + " ORDER BY user_id",
                              soci::into(aid), soci::into(uid), soci::use(ws, "ws"));
        st.execute(false);
        while (st.fetch()) by_id[aid]->mentions.push_back(uid);
    }
}

std::string RecordColumn(const std::string& record_type) {
    if (record_type == "company") return "company_id";
    if (record_type == "contact") return "contact_id";
    if (record_type == "lead") return "lead_id";
    if (record_type == "deal") return "deal_id";
    throw std::invalid_argument("activities: unknown record type " + record_type);
}

std::string RecordTable(const std::string& record_type) {
    if (record_type == "company") return "companies";
    if (record_type == "contact") return "contacts";
    if (record_type == "lead") return "leads";
    if (record_type == "deal") return "deals";
    throw std::invalid_argument("activities: unknown record type " + record_type);
}

}  // namespace

core::Id InsertActivity(soci::session& sql, const Activity& a) {
    ActivityBinds b(a);
    long long id = 0;
    soci::statement st(sql);
    st.alloc();
    st.prepare(kInsert);
    st.exchange(soci::into(id));
    b.Bind(st);
    st.define_and_bind();
    st.execute(true);
    return id;
}

void UpdateActivity(soci::session& sql, const Activity& a) {
    ActivityBinds b(a);
    soci::statement st(sql);
    st.alloc();
    st.prepare(kUpdate);
    b.Bind(st);
    st.exchange(soci::use(b.id, "id"));
    st.define_and_bind();
    st.execute(true);
}

void ReplaceParticipants(soci::session& sql, const Activity& a) {
    long long ws = a.workspace_id, aid = a.id;
    sql << "DELETE FROM activity_participants WHERE workspace_id = :ws AND activity_id = :a", soci::use(ws, "ws"),
        soci::use(aid, "a");
    for (const auto& p : a.participants) {
        NullId uid(p.user_id), cid(p.contact_id);
        std::string name = p.name, email = p.email;
        sql << "INSERT INTO activity_participants (workspace_id, activity_id, user_id, contact_id, name, email) "
               "VALUES (:ws, :a, :u, :c, :name, :email)",
            soci::use(ws, "ws"), soci::use(aid, "a"), soci::use(uid.v, uid.ind, "u"), soci::use(cid.v, cid.ind, "c"),
            soci::use(name, "name"), soci::use(email, "email");
    }
}

void ReplaceChecklist(soci::session& sql, const Activity& a) {
    long long ws = a.workspace_id, aid = a.id;
    sql << "DELETE FROM activity_checklist_items WHERE workspace_id = :ws AND activity_id = :a", soci::use(ws, "ws"),
        soci::use(aid, "a");
    int pos = 0;
    for (const auto& c : a.checklist) {
        long long position = pos++, done = c.done ? 1 : 0;
        NullId done_at(c.done_at), done_by(c.done_by);
        std::string text = c.text;
        sql << "INSERT INTO activity_checklist_items (workspace_id, activity_id, position, text, done, done_at, "
               "done_by) VALUES (:ws, :a, :pos, :text, :done, :at, :by)",
            soci::use(ws, "ws"), soci::use(aid, "a"), soci::use(position, "pos"), soci::use(text, "text"),
            soci::use(done, "done"), soci::use(done_at.v, done_at.ind, "at"), soci::use(done_by.v, done_by.ind, "by");
    }
}

void InsertMentions(soci::session& sql, core::Id ws_id, core::Id activity_id, const std::vector<core::Id>& users,
                    core::Millis now_ms) {
    long long ws = ws_id, aid = activity_id, now = now_ms;
    for (core::Id u : users) {
        long long uid = u;
        sql << "INSERT INTO activity_mentions (workspace_id, activity_id, user_id, created_at) VALUES (:ws, :a, :u, "
               ":now) ON CONFLICT DO NOTHING",
            soci::use(ws, "ws"), soci::use(aid, "a"), soci::use(uid, "u"), soci::use(now, "now");
    }
}

std::optional<Activity> SelectActivity(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    auto rows = Rows(sql, std::string("SELECT ") + kColumns + kFrom + " WHERE a.workspace_id = :ws AND a.id = :id",
                     [&](soci::statement& st) {
                         st.exchange(soci::use(ws, "ws"));
                         st.exchange(soci::use(id, "id"));
                     });
    if (rows.empty()) return std::nullopt;
    LoadChildren(sql, ws_id, rows);
    return std::move(rows.front());
}

std::optional<core::Id> ActivityByRef(soci::session& sql, core::Id ws_id, const std::string& source_in,
                                      const std::string& ref_in) {
    long long ws = ws_id, id = 0;
    std::string source = source_in, ref = ref_in;
    soci::indicator ind = soci::i_null;
    sql << "SELECT id FROM activities WHERE workspace_id = :ws AND source = :s AND external_ref = :r",
        soci::into(id, ind), soci::use(ws, "ws"), soci::use(source, "s"), soci::use(ref, "r");
    if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
    return id;
}

std::vector<Activity> ListByRecord(soci::session& sql, core::Id ws_id, const std::string& record_type,
                                   core::Id record_id, const std::optional<Cursor>& before,
                                   const std::optional<std::string>& kind_in, int limit_in) {
    const std::string col = "a." + RecordColumn(record_type);
    // The keyset condition as a row comparison both engines read straight off the (ws, record, at, id) index.
    std::string text = std::string("SELECT ") + kColumns + kFrom + " WHERE a.workspace_id = :ws AND " + col +
                       " = :rid AND a.deleted_at IS NULL";
    if (before) text += " AND (a.at < :bat OR (a.at = :bat2 AND a.id < :bid))";
    if (kind_in) text += " AND a.kind = :kind";
    text += " ORDER BY a.at DESC, a.id DESC LIMIT :lim";
    long long ws = ws_id, rid = record_id, bat = before ? before->at : 0, bid = before ? before->id : 0, lim = limit_in;
    std::string kind = kind_in.value_or("");
    auto rows = Rows(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(rid, "rid"));
        if (before) {
            st.exchange(soci::use(bat, "bat"));
            st.exchange(soci::use(bat, "bat2"));
            st.exchange(soci::use(bid, "bid"));
        }
        if (kind_in) st.exchange(soci::use(kind, "kind"));
        st.exchange(soci::use(lim, "lim"));
    });
    LoadChildren(sql, ws_id, rows);
    return rows;
}

std::vector<Activity> ListForPeople(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& users,
                                    core::Millis from_ms, core::Millis to_ms, const std::vector<std::string>& kinds) {
    if (users.empty()) return {};
    long long ws = ws_id, from = from_ms, to = to_ms;
    std::string kind_filter;
    // Kinds come from the service's allow-list (Kinds()), checked before they get here.
    for (const auto& k : kinds) {
        if (std::find(Kinds().begin(), Kinds().end(), k) == Kinds().end())
            throw std::invalid_argument("activities: unknown kind " + k);
        kind_filter += (kind_filter.empty() ? "'" : ", '") + k + "'";
    }
    std::string text = std::string("SELECT ") + kColumns + kFrom +
                       " WHERE a.workspace_id = :ws AND a.deleted_at IS NULL AND a.at >= :from AND a.at < :to AND "
                       "(a.owner_user_id IN " +
                       IdList(users) +
                       " OR a.id IN (SELECT p.activity_id FROM activity_participants p WHERE p.workspace_id = :ws2 "
                       "AND p.user_id IN " +
                       IdList(users) + "))";
    if (!kind_filter.empty()) text += " AND a.kind IN (" + kind_filter + ")";
    text += " ORDER BY a.at, a.id";
    auto rows = Rows(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(from, "from"));
        st.exchange(soci::use(to, "to"));
        st.exchange(soci::use(ws, "ws2"));
    });
    LoadChildren(sql, ws_id, rows);
    return rows;
}

std::vector<Activity> ListTasks(soci::session& sql, const TaskFilter& f, const auth::Predicate& visible,
                                const std::optional<Cursor>& after, int limit_in) {
    // Open tasks by due time (a task without one sorts as the far future), done ones newest first by completion.
    const bool open = f.status == "open";
    const std::string key = open ? "COALESCE(a.due_at, 9000000000000000)" : "COALESCE(a.done_at, 0)";
    std::string text = std::string("SELECT ") + kColumns + kFrom + " WHERE {visible} AND a.kind = 'task' AND " +
                       "a.deleted_at IS NULL";
    if (f.status == "open") text += " AND a.done = 0";
    if (f.status == "done") text += " AND a.done = 1";
    if (!f.owners.empty()) text += " AND a.owner_user_id IN " + IdList(f.owners);
    if (f.due_before) text += " AND a.done = 0 AND a.due_at < :due_before";
    if (after) {
        text += open || f.status == "all" ? " AND (" + key + " > :k OR (" + key + " = :k2 AND a.id > :kid))"
                                          : " AND (" + key + " < :k OR (" + key + " = :k2 AND a.id < :kid))";
    }
    text += open || f.status == "all" ? " ORDER BY " + key + ", a.id" : " ORDER BY " + key + " DESC, a.id DESC";
    text += " LIMIT :lim";
    long long due_before = f.due_before.value_or(0), k = after ? after->at : 0, kid = after ? after->id : 0,
              lim = limit_in;
    auto rows = Rows(sql, visible.Expand(text), [&](soci::statement& st) {
        if (f.due_before) st.exchange(soci::use(due_before, "due_before"));
        if (after) {
            st.exchange(soci::use(k, "k"));
            st.exchange(soci::use(k, "k2"));
            st.exchange(soci::use(kid, "kid"));
        }
        st.exchange(soci::use(lim, "lim"));
        visible.BindTo(st);
    });
    if (!rows.empty()) LoadChildren(sql, rows.front().workspace_id, rows);
    return rows;
}

std::vector<Activity> OpenTasksOf(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& owners,
                                  std::optional<core::Millis> due_before, int limit_in) {
    std::string text = std::string("SELECT ") + kColumns + kFrom +
                       " WHERE a.workspace_id = :ws AND a.kind = 'task' AND a.done = 0 AND a.deleted_at IS NULL";
    if (!owners.empty()) text += " AND a.owner_user_id IN " + IdList(owners);
    if (due_before) text += " AND a.due_at < :before";
    text += " ORDER BY a.due_at, a.id LIMIT :lim";
    long long ws = ws_id, before = due_before.value_or(0), lim = limit_in;
    auto rows = Rows(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        if (due_before) st.exchange(soci::use(before, "before"));
        st.exchange(soci::use(lim, "lim"));
    });
    LoadChildren(sql, ws_id, rows);
    return rows;
}

// ---- files

core::Id InsertFile(soci::session& sql, core::Id ws_id, const std::string& content_type_in,
                    const std::string& file_name_in, const std::string& bytes, std::optional<core::Id> by_in,
                    core::Millis now_ms) {
    long long ws = ws_id, size = static_cast<long long>(bytes.size()), now = now_ms, id = 0;
    std::string type = content_type_in, name = file_name_in, sha = core::Sha256Hex(bytes),
                b64 = core::Base64Encode(bytes);
    NullId by(by_in);
    sql << "INSERT INTO activity_files (workspace_id, content_type, file_name, size_bytes, sha256, content_b64, "
           "created_by, created_at) VALUES (:ws, :type, :name, :size, :sha, :b64, :by, :now) RETURNING id",
        soci::into(id), soci::use(ws, "ws"), soci::use(type, "type"), soci::use(name, "name"), soci::use(size, "size"),
        soci::use(sha, "sha"), soci::use(b64, "b64"), soci::use(by.v, by.ind, "by"), soci::use(now, "now");
    return id;
}

std::optional<File> SelectFile(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in, created = 0;
    File f;
    std::string b64;
    sql << "SELECT content_type, file_name, sha256, content_b64, created_at FROM activity_files WHERE "
           "workspace_id = :ws AND id = :id",
        soci::into(f.content_type), soci::into(f.file_name), soci::into(f.sha256), soci::into(b64), soci::into(created),
        soci::use(ws, "ws"), soci::use(id, "id");
    if (!sql.got_data()) return std::nullopt;
    f.id = id;
    f.created_at = created;
    auto raw = core::Base64Decode(b64);
    if (!raw) return std::nullopt;
    f.bytes = std::move(*raw);
    return f;
}

// ---- settings

Settings SelectSettings(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id, delay = 0;
    std::string kinds, hosts;
    sql << "SELECT CAST(first_response_kinds AS TEXT), escalation_delay_minutes, CAST(recording_hosts AS TEXT) FROM "
           "activity_settings WHERE workspace_id = :ws",
        soci::into(kinds), soci::into(delay), soci::into(hosts), soci::use(ws, "ws");
    Settings s;
    if (!sql.got_data()) return s;
    s.first_response_kinds = ParseArray(kinds);
    s.escalation_delay_minutes = static_cast<int>(delay);
    s.recording_hosts = ParseArray(hosts);
    return s;
}

void UpsertSettings(soci::session& sql, core::Id ws_id, const Settings& s, core::Millis now_ms) {
    long long ws = ws_id, delay = s.escalation_delay_minutes, now = now_ms;
    std::string kinds = ArrayText(s.first_response_kinds), hosts = ArrayText(s.recording_hosts);
    sql << "INSERT INTO activity_settings (workspace_id, first_response_kinds, escalation_delay_minutes, "
           "recording_hosts, updated_at) VALUES (:ws, :kinds, :delay, :hosts, :now) ON CONFLICT (workspace_id) DO "
           "UPDATE SET first_response_kinds = excluded.first_response_kinds, escalation_delay_minutes = "
           "excluded.escalation_delay_minutes, recording_hosts = excluded.recording_hosts, updated_at = "
           "excluded.updated_at",
        soci::use(ws, "ws"), soci::use(kinds, "kinds"), soci::use(delay, "delay"), soci::use(hosts, "hosts"),
        soci::use(now, "now");
}

// ---- e-mail accounts

namespace {
constexpr const char* kAccountColumns =
    "SELECT id, user_id, from_address, smtp_url, smtp_user, smtp_password, require_tls, active, created_at, "
    "updated_at FROM email_accounts WHERE workspace_id = :ws";

std::vector<EmailAccount> Accounts(soci::session& sql, const std::string& text, core::Id ws_id,
                                   std::optional<core::Id> extra) {
    long long ws = ws_id, x = extra.value_or(0), id = 0, uid = 0, tls = 0, active = 0, created = 0, updated = 0;
    soci::indicator ui = soci::i_null;
    std::string from, url, user, pass;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    st.exchange(soci::into(id));
    st.exchange(soci::into(uid, ui));
    st.exchange(soci::into(from));
    st.exchange(soci::into(url));
    st.exchange(soci::into(user));
    st.exchange(soci::into(pass));
    st.exchange(soci::into(tls));
    st.exchange(soci::into(active));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
    st.exchange(soci::use(ws, "ws"));
    if (extra) st.exchange(soci::use(x, "x"));
    st.define_and_bind();
    st.execute(false);
    std::vector<EmailAccount> out;
    while (st.fetch()) {
        EmailAccount a;
        a.id = id;
        if (ui == soci::i_ok) a.user_id = uid;
        a.from_address = from;
        a.smtp_url = url;
        a.smtp_user = user;
        a.smtp_password = pass;
        a.require_tls = tls != 0;
        a.active = active != 0;
        a.created_at = created;
        a.updated_at = updated;
        out.push_back(std::move(a));
    }
    return out;
}
}  // namespace

std::vector<EmailAccount> SelectAccounts(soci::session& sql, core::Id ws) {
    return Accounts(sql, std::string(kAccountColumns) + " ORDER BY id", ws, std::nullopt);
}

std::optional<EmailAccount> SelectAccount(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = Accounts(sql, std::string(kAccountColumns) + " AND id = :x", ws, id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<EmailAccount> AccountFor(soci::session& sql, core::Id ws, core::Id user_id) {
    auto own =
        Accounts(sql, std::string(kAccountColumns) + " AND active = 1 AND user_id = :x ORDER BY id", ws, user_id);
    if (!own.empty()) return own.front();
    auto shared = Accounts(sql, std::string(kAccountColumns) + " AND active = 1 AND user_id IS NULL ORDER BY id", ws,
                           std::nullopt);
    if (!shared.empty()) return shared.front();
    return std::nullopt;
}

core::Id InsertAccount(soci::session& sql, core::Id ws_id, const EmailAccount& a, core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, tls = a.require_tls ? 1 : 0, active = a.active ? 1 : 0, id = 0;
    NullId uid(a.user_id);
    std::string from = a.from_address, url = a.smtp_url, user = a.smtp_user, pass = a.smtp_password;
    sql << "INSERT INTO email_accounts (workspace_id, user_id, from_address, smtp_url, smtp_user, smtp_password, "
           "require_tls, active, created_at, updated_at) VALUES (:ws, :u, :from, :url, :user, :pass, :tls, :active, "
           ":now, :now2) RETURNING id",
        soci::into(id), soci::use(ws, "ws"), soci::use(uid.v, uid.ind, "u"), soci::use(from, "from"),
        soci::use(url, "url"), soci::use(user, "user"), soci::use(pass, "pass"), soci::use(tls, "tls"),
        soci::use(active, "active"), soci::use(now, "now"), soci::use(now, "now2");
    return id;
}

void UpdateAccount(soci::session& sql, core::Id ws_id, const EmailAccount& a, core::Millis now_ms) {
    long long ws = ws_id, id = a.id, now = now_ms, tls = a.require_tls ? 1 : 0, active = a.active ? 1 : 0;
    std::string from = a.from_address, url = a.smtp_url, user = a.smtp_user, pass = a.smtp_password;
    sql << "UPDATE email_accounts SET from_address = :from, smtp_url = :url, smtp_user = :user, smtp_password = "
           ":pass, require_tls = :tls, active = :active, updated_at = :now WHERE workspace_id = :ws AND id = :id",
        soci::use(from, "from"), soci::use(url, "url"), soci::use(user, "user"), soci::use(pass, "pass"),
        soci::use(tls, "tls"), soci::use(active, "active"), soci::use(now, "now"), soci::use(ws, "ws"),
        soci::use(id, "id");
}

// ---- templates

namespace {
std::vector<Template> Templates(soci::session& sql, const std::string& text, core::Id ws_id,
                                std::optional<core::Id> extra) {
    long long ws = ws_id, x = extra.value_or(0), id = 0, archived = 0, created = 0, updated = 0;
    soci::indicator ai = soci::i_null;
    std::string channel, name, subject, body;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    st.exchange(soci::into(id));
    st.exchange(soci::into(channel));
    st.exchange(soci::into(name));
    st.exchange(soci::into(subject));
    st.exchange(soci::into(body));
    st.exchange(soci::into(archived, ai));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
    st.exchange(soci::use(ws, "ws"));
    if (extra) st.exchange(soci::use(x, "x"));
    st.define_and_bind();
    st.execute(false);
    std::vector<Template> out;
    while (st.fetch()) {
        Template t;
        t.id = id;
        t.channel = channel;
        t.name = name;
        t.subject = subject;
        t.body = body;
        if (ai == soci::i_ok) t.archived_at = archived;
        t.created_at = created;
        t.updated_at = updated;
        out.push_back(std::move(t));
    }
    return out;
}
constexpr const char* kTemplateColumns =
    "SELECT id, channel, name, subject, body, archived_at, created_at, updated_at FROM activity_templates WHERE "
    "workspace_id = :ws";
}  // namespace

std::vector<Template> SelectTemplates(soci::session& sql, core::Id ws, bool include_archived) {
    return Templates(sql,
                     std::string(kTemplateColumns) + (include_archived ? "" : " AND archived_at IS NULL") +
                         " ORDER BY channel, name, id",
                     ws, std::nullopt);
}

std::optional<Template> SelectTemplate(soci::session& sql, core::Id ws, core::Id id) {
    auto rows = Templates(sql, std::string(kTemplateColumns) + " AND id = :x", ws, id);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

core::Id InsertTemplate(soci::session& sql, core::Id ws_id, const Template& t, std::optional<core::Id> by_in,
                        core::Millis now_ms) {
    long long ws = ws_id, now = now_ms, id = 0;
    NullId by(by_in);
    std::string channel = t.channel, name = t.name, subject = t.subject, body = t.body;
    sql << "INSERT INTO activity_templates (workspace_id, channel, name, subject, body, created_by, created_at, "
           "updated_at) VALUES (:ws, :ch, :name, :subject, :body, :by, :now, :now2) RETURNING id",
        soci::into(id), soci::use(ws, "ws"), soci::use(channel, "ch"), soci::use(name, "name"),
        soci::use(subject, "subject"), soci::use(body, "body"), soci::use(by.v, by.ind, "by"), soci::use(now, "now"),
        soci::use(now, "now2");
    return id;
}

void UpdateTemplate(soci::session& sql, core::Id ws_id, const Template& t, core::Millis now_ms) {
    long long ws = ws_id, id = t.id, now = now_ms;
    NullId archived(t.archived_at);
    std::string channel = t.channel, name = t.name, subject = t.subject, body = t.body;
    sql << "UPDATE activity_templates SET channel = :ch, name = :name, subject = :subject, body = :body, archived_at = "
           ":archived, updated_at = :now WHERE workspace_id = :ws AND id = :id",
        soci::use(channel, "ch"), soci::use(name, "name"), soci::use(subject, "subject"), soci::use(body, "body"),
        soci::use(archived.v, archived.ind, "archived"), soci::use(now, "now"), soci::use(ws, "ws"),
        soci::use(id, "id");
}

// ---- other rooms' records

bool RecordVisible(soci::session& sql, const std::string& record_type, core::Id id_in, const auth::Predicate& visible) {
    long long id = id_in, n = 0;
    const std::string text = "SELECT COUNT(*) FROM " + RecordTable(record_type) +
                             " r WHERE {visible} AND r.id = :id AND r.deleted_at IS NULL";
    sql << visible.Expand(text), soci::into(n), soci::use(id, "id"), visible;
    return n > 0;
}

bool RecordExists(soci::session& sql, core::Id ws_id, const std::string& record_type, core::Id id_in) {
    long long ws = ws_id, id = id_in, n = 0;
    sql << "SELECT COUNT(*) FROM " + RecordTable(record_type) +
               " WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL",
        soci::into(n), soci::use(ws, "ws"), soci::use(id, "id");
    return n > 0;
}

std::optional<RecordFacts> FactsOf(soci::session& sql, core::Id ws_id, const std::string& record_type, core::Id id_in) {
    long long ws = ws_id, id = id_in, company = 0, contact = 0, owner = 0;
    soci::indicator ci = soci::i_null, pi = soci::i_null, oi = soci::i_null;
    RecordFacts f;
    if (record_type == "deal") {
        sql << "SELECT company_id, contact_id, owner_user_id, title FROM deals WHERE workspace_id = :ws AND id = :id "
               "AND deleted_at IS NULL",
            soci::into(company, ci), soci::into(contact, pi), soci::into(owner, oi), soci::into(f.title),
            soci::use(ws, "ws"), soci::use(id, "id");
    } else if (record_type == "lead") {
        sql << "SELECT COALESCE(converted_company_id, company_id), COALESCE(converted_contact_id, contact_id), "
               "owner_user_id, title FROM leads WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL",
            soci::into(company, ci), soci::into(contact, pi), soci::into(owner, oi), soci::into(f.title),
            soci::use(ws, "ws"), soci::use(id, "id");
    } else if (record_type == "company") {
        sql << "SELECT owner_user_id, name FROM companies WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL",
            soci::into(owner, oi), soci::into(f.title), soci::use(ws, "ws"), soci::use(id, "id");
        if (sql.got_data()) f.company_id = id;
    } else {
        sql << "SELECT owner_user_id, full_name FROM contacts WHERE workspace_id = :ws AND id = :id AND deleted_at IS "
               "NULL",
            soci::into(owner, oi), soci::into(f.title), soci::use(ws, "ws"), soci::use(id, "id");
        if (sql.got_data()) f.contact_id = id;
    }
    if (!sql.got_data()) return std::nullopt;
    if (ci == soci::i_ok) f.company_id = company;
    if (pi == soci::i_ok) f.contact_id = contact;
    if (oi == soci::i_ok) f.owner_user_id = owner;
    return f;
}

void TouchDeal(soci::session& sql, core::Id ws_id, core::Id deal_id, core::Millis at_ms) {
    long long ws = ws_id, id = deal_id, at = at_ms;
    sql << "UPDATE deals SET last_activity_at = :at WHERE workspace_id = :ws AND id = :id AND last_activity_at < :at2",
        soci::use(at, "at"), soci::use(ws, "ws"), soci::use(id, "id"), soci::use(at, "at2");
}

std::optional<std::string> PrimaryPoint(soci::session& sql, core::Id ws_id, const std::string& subject_type_in,
                                        core::Id id_in, const std::string& kind_in) {
    long long ws = ws_id, id = id_in;
    std::string type = subject_type_in, kind = kind_in, value;
    sql << "SELECT value FROM contact_points WHERE workspace_id = :ws AND subject_type = :t AND subject_id = :id AND "
           "kind = :k ORDER BY is_primary DESC, id LIMIT 1",
        soci::into(value), soci::use(ws, "ws"), soci::use(type, "t"), soci::use(id, "id"), soci::use(kind, "k");
    if (!sql.got_data()) return std::nullopt;
    return value;
}

std::string ContactName(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    std::string name;
    sql << "SELECT full_name FROM contacts WHERE workspace_id = :ws AND id = :id", soci::into(name),
        soci::use(ws, "ws"), soci::use(id, "id");
    return sql.got_data() ? name : std::string();
}

std::string CompanyName(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    std::string name;
    sql << "SELECT name FROM companies WHERE workspace_id = :ws AND id = :id", soci::into(name), soci::use(ws, "ws"),
        soci::use(id, "id");
    return sql.got_data() ? name : std::string();
}

bool PersonVisible(soci::session& sql, core::Id user_id, const auth::Predicate& visible) {
    long long uid = user_id, n = 0;
    sql << visible.Expand(
        "SELECT COUNT(*) FROM employees e JOIN users u ON u.workspace_id = e.workspace_id AND u.id = "
        "e.user_id WHERE {visible} AND e.user_id = :uid AND e.status = 'active' AND u.status = "
        "'active'"),
        soci::into(n), soci::use(uid, "uid"), visible;
    return n > 0;
}

std::vector<core::Id> VisiblePeople(soci::session& sql, const auth::Predicate& visible) {
    long long uid = 0;
    soci::statement st =
        (sql.prepare << visible.Expand("SELECT e.user_id FROM employees e JOIN users u ON u.workspace_id = "
                                       "e.workspace_id AND u.id = e.user_id WHERE {visible} AND e.status = 'active' "
                                       "AND u.status = 'active' ORDER BY e.user_id"),
         soci::into(uid), visible);
    st.execute(false);
    std::vector<core::Id> out;
    while (st.fetch()) out.push_back(uid);
    return out;
}

std::vector<core::Id> ActiveUsers(soci::session& sql, core::Id ws_id, const std::vector<core::Id>& ids) {
    if (ids.empty()) return {};
    long long ws = ws_id, uid = 0;
    soci::statement st =
        (sql.prepare << "SELECT id FROM users WHERE workspace_id = :ws AND status = 'active' AND id IN " + IdList(ids) +
                            " ORDER BY id",
         soci::into(uid), soci::use(ws, "ws"));
    st.execute(false);
    std::vector<core::Id> out;
    while (st.fetch()) out.push_back(uid);
    return out;
}

std::optional<UserFacts> UserOf(soci::session& sql, core::Id ws_id, core::Id id_in) {
    long long ws = ws_id, id = id_in;
    UserFacts u;
    sql << "SELECT full_name, email FROM users WHERE workspace_id = :ws AND id = :id", soci::into(u.full_name),
        soci::into(u.email), soci::use(ws, "ws"), soci::use(id, "id");
    if (!sql.got_data()) return std::nullopt;
    return u;
}

}  // namespace otdel::activities::store
