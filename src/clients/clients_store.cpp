#include "clients/clients_store.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "db/nullable.hpp"
#include "db/prepared.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace otdel::clients::store {
namespace json = boost::json;
namespace {

constexpr const char* kCompanyColumns =
    "SELECT c.workspace_id, c.id, c.legal_form, c.name, c.full_name, c.inn, c.kpp, c.ogrn, c.legal_address, "
    "c.actual_address, CAST(c.bank_details AS TEXT), c.financial_state, c.purchase_volume_minor, c.currency, "
    "c.payment_discipline, c.preferences, c.notes, c.website, CAST(c.tags AS TEXT), CAST(c.custom AS TEXT), "
    "c.owner_user_id, c.source_lead_id, c.merged_into_id, c.deleted_at, c.created_by, c.created_at, c.updated_at "
    "FROM companies c ";
constexpr const char* kInsertCompany =
    "INSERT INTO companies (workspace_id, legal_form, name, full_name, inn, kpp, ogrn, legal_address, "
    "actual_address, bank_details, financial_state, purchase_volume_minor, currency, payment_discipline, "
    "preferences, notes, website, tags, custom, owner_user_id, source_lead_id, created_by, created_at, updated_at) "
    "VALUES (:ws, :legal_form, :name, :full_name, :inn, :kpp, :ogrn, :legal_address, :actual_address, :bank, "
    ":financial_state, :volume, :currency, :discipline, :preferences, :notes, :website, :tags, :custom, :owner, "
    ":lead, :by, :now, :now2) RETURNING id";
constexpr const char* kUpdateCompany =
    "UPDATE companies SET legal_form = :legal_form, name = :name, full_name = :full_name, inn = :inn, kpp = :kpp, "
    "ogrn = :ogrn, legal_address = :legal_address, actual_address = :actual_address, bank_details = :bank, "
    "financial_state = :financial_state, purchase_volume_minor = :volume, currency = :currency, "
    "payment_discipline = :discipline, preferences = :preferences, notes = :notes, website = :website, "
    "tags = :tags, custom = :custom, owner_user_id = :owner, updated_at = :now WHERE workspace_id = :ws AND id = :id";

constexpr const char* kContactColumns =
    "SELECT c.workspace_id, c.id, c.last_name, c.first_name, c.middle_name, c.full_name, c.birthday, "
    "c.preferences, c.notes, CAST(c.tags AS TEXT), CAST(c.custom AS TEXT), c.owner_user_id, c.source_lead_id, "
    "c.merged_into_id, c.deleted_at, c.created_by, c.created_at, c.updated_at FROM contacts c ";
constexpr const char* kInsertContact =
    "INSERT INTO contacts (workspace_id, last_name, first_name, middle_name, full_name, birthday, preferences, "
    "notes, tags, custom, owner_user_id, source_lead_id, created_by, created_at, updated_at) VALUES (:ws, :last, "
    ":first, :middle, :full, :birthday, :preferences, :notes, :tags, :custom, :owner, :lead, :by, :now, :now2) "
    "RETURNING id";
constexpr const char* kUpdateContact =
    "UPDATE contacts SET last_name = :last, first_name = :first, middle_name = :middle, full_name = :full, "
    "birthday = :birthday, preferences = :preferences, notes = :notes, tags = :tags, custom = :custom, "
    "owner_user_id = :owner, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetRemovedCompany =
    "UPDATE companies SET deleted_at = :deleted, merged_into_id = :merged, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kSetRemovedContact =
    "UPDATE contacts SET deleted_at = :deleted, merged_into_id = :merged, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";

constexpr const char* kUserName = "SELECT full_name FROM users WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUserStatus = "SELECT status FROM users WHERE workspace_id = :ws AND id = :id";
constexpr const char* kTimeZone = "SELECT time_zone FROM workspaces WHERE id = :ws";

constexpr const char* kInsertPoint =
    "INSERT INTO contact_points (workspace_id, subject_type, subject_id, kind, label, raw, value, is_primary, "
    "created_at) VALUES (:ws, :type, :sid, :kind, :label, :raw, :value, :primary, :now) RETURNING id";
constexpr const char* kListPoints =
    "SELECT id, kind, label, raw, value, is_primary FROM contact_points WHERE workspace_id = :ws "
    "AND subject_type = :type AND subject_id = :sid ORDER BY kind DESC, is_primary DESC, id";
constexpr const char* kDeletePoints =
    "DELETE FROM contact_points WHERE workspace_id = :ws AND subject_type = :type AND subject_id = :sid";
constexpr const char* kDeletePoint = "DELETE FROM contact_points WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMovePoint =
    "UPDATE contact_points SET subject_id = :to, is_primary = 0 WHERE workspace_id = :ws AND id = :id";

// Dedupe lookups: live companies/contacts and open leads; no visibility (the service decides what to show).
constexpr const char* kFindByPoint =
    "SELECT 'company', c.id, c.name, c.owner_user_id FROM contact_points p JOIN companies c "
    "ON c.workspace_id = p.workspace_id AND c.id = p.subject_id WHERE p.workspace_id = :ws AND p.kind = :kind "
    "AND p.value = :value AND p.subject_type = 'company' AND c.deleted_at IS NULL "
    "UNION ALL SELECT 'contact', c.id, c.full_name, c.owner_user_id FROM contact_points p JOIN contacts c "
    "ON c.workspace_id = p.workspace_id AND c.id = p.subject_id WHERE p.workspace_id = :ws2 AND p.kind = :kind2 "
    "AND p.value = :value2 AND p.subject_type = 'contact' AND c.deleted_at IS NULL "
    "UNION ALL SELECT 'lead', l.id, l.title, l.owner_user_id FROM contact_points p JOIN leads l "
    "ON l.workspace_id = p.workspace_id AND l.id = p.subject_id WHERE p.workspace_id = :ws3 AND p.kind = :kind3 "
    "AND p.value = :value3 AND p.subject_type = 'lead' AND l.deleted_at IS NULL AND l.merged_into_id IS NULL "
    "AND l.status IN ('new', 'in_work', 'qualified')";
constexpr const char* kFindByInn =
    "SELECT 'company', c.id, c.name, c.owner_user_id FROM companies c WHERE c.workspace_id = :ws AND c.inn = :inn "
    "AND c.deleted_at IS NULL UNION ALL SELECT 'lead', l.id, l.title, l.owner_user_id FROM leads l "
    "WHERE l.workspace_id = :ws2 AND l.inn = :inn2 AND l.deleted_at IS NULL AND l.merged_into_id IS NULL "
    "AND l.status IN ('new', 'in_work', 'qualified')";
constexpr const char* kFindByName =
    "SELECT 'company', c.id, c.name, c.owner_user_id FROM companies c WHERE c.workspace_id = :ws "
    "AND c.name = :name AND c.deleted_at IS NULL LIMIT 20";
constexpr const char* kDuplicatePoints =
    "SELECT p.kind, p.value, p.subject_id FROM contact_points p WHERE p.workspace_id = :ws AND p.subject_type = :type "
    "AND p.value IN (SELECT q.value FROM contact_points q WHERE q.workspace_id = :ws2 AND q.subject_type = :type2 "
    "GROUP BY q.kind, q.value HAVING COUNT(DISTINCT q.subject_id) > 1) ORDER BY p.kind, p.value, p.subject_id";
constexpr const char* kDuplicateInn =
    "SELECT c.inn, c.id FROM companies c WHERE c.workspace_id = :ws AND c.deleted_at IS NULL AND c.inn IN "
    "(SELECT d.inn FROM companies d WHERE d.workspace_id = :ws2 AND d.deleted_at IS NULL AND d.inn IS NOT NULL "
    "GROUP BY d.inn HAVING COUNT(*) > 1) ORDER BY c.inn, c.id";
constexpr const char* kLiveCompany =
    "SELECT COUNT(*) FROM companies WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL";
constexpr const char* kLiveContact =
    "SELECT COUNT(*) FROM contacts WHERE workspace_id = :ws AND id = :id AND deleted_at IS NULL";

constexpr const char* kSelectLink =
    "SELECT position, decision_role, is_primary FROM company_contacts WHERE workspace_id = :ws AND company_id = :co "
    "AND contact_id = :ct";
constexpr const char* kUpdateLink =
    "UPDATE company_contacts SET position = :position, decision_role = :role, is_primary = :primary "
    "WHERE workspace_id = :ws AND company_id = :co AND contact_id = :ct";
constexpr const char* kDeleteLink =
    "DELETE FROM company_contacts WHERE workspace_id = :ws AND company_id = :co AND contact_id = :ct";
constexpr const char* kLinksOfCompany =
    "SELECT l.company_id, l.contact_id, l.position, l.decision_role, l.is_primary, c.full_name, c.owner_user_id "
    "FROM company_contacts l JOIN contacts c ON c.workspace_id = l.workspace_id AND c.id = l.contact_id "
    "WHERE l.workspace_id = :ws AND l.company_id = :id AND c.deleted_at IS NULL "
    "ORDER BY CASE l.decision_role WHEN 'decision_maker' THEN 0 ELSE 1 END, c.full_name, c.id";
constexpr const char* kLinksOfContact =
    "SELECT l.company_id, l.contact_id, l.position, l.decision_role, l.is_primary, c.name, c.owner_user_id "
    "FROM company_contacts l JOIN companies c ON c.workspace_id = l.workspace_id AND c.id = l.company_id "
    "WHERE l.workspace_id = :ws AND l.contact_id = :id AND c.deleted_at IS NULL ORDER BY c.name, c.id";

constexpr const char* kFieldColumns =
    "SELECT workspace_id, id, entity, code, label_ru, label_en, kind, CAST(options AS TEXT), required, "
    "required_from_stage_id, "
    "position, archived_at, created_at, updated_at FROM custom_fields ";
constexpr const char* kInsertField =
    "INSERT INTO custom_fields (workspace_id, entity, code, label_ru, label_en, kind, options, required, "
    "required_from_stage_id, position, created_at, updated_at) VALUES (:ws, :entity, :code, :label_ru, :label_en, "
    ":kind, :options, :required, :stage, :position, :now, :now2) RETURNING id";
constexpr const char* kUpdateField =
    "UPDATE custom_fields SET label_ru = :label_ru, label_en = :label_en, options = :options, required = :required, "
    "required_from_stage_id = :stage, position = :position, archived_at = :archived, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";

constexpr const char* kFindEvent =
    "SELECT id FROM timeline_events WHERE workspace_id = :ws AND channel = :channel AND external_ref = :ref";
constexpr const char* kInsertEvent =
    "INSERT INTO timeline_events (workspace_id, subject_type, subject_id, at, kind, channel, actor_user_id, summary, "
    "payload, external_ref, created_at) VALUES (:ws, :type, :sid, :at, :kind, :channel, :actor, :summary, :payload, "
    ":ref, :now) RETURNING id";
constexpr const char* kRepointEvents =
    "UPDATE timeline_events SET subject_id = :to WHERE workspace_id = :ws AND subject_type = :type "
    "AND subject_id = :from";
constexpr const char* kRepointLeadsCompany =
    "UPDATE leads SET company_id = CASE WHEN company_id = :from THEN :to ELSE company_id END, "
    "converted_company_id = CASE WHEN converted_company_id = :from2 THEN :to2 ELSE converted_company_id END "
    "WHERE workspace_id = :ws AND (company_id = :from3 OR converted_company_id = :from4)";
constexpr const char* kRepointLeadsContact =
    "UPDATE leads SET contact_id = CASE WHEN contact_id = :from THEN :to ELSE contact_id END, "
    "converted_contact_id = CASE WHEN converted_contact_id = :from2 THEN :to2 ELSE converted_contact_id END "
    "WHERE workspace_id = :ws AND (contact_id = :from3 OR converted_contact_id = :from4)";

constexpr const char* kInsertMerge =
    "INSERT INTO merges (workspace_id, subject_type, survivor_id, merged_id, actor_user_id, snapshot, at) "
    "VALUES (:ws, :type, :survivor, :merged, :actor, :snapshot, :now) RETURNING id";
constexpr const char* kMergedInto =
    "SELECT merged_id FROM merges WHERE workspace_id = :ws AND subject_type = :type AND survivor_id = :id";

constexpr const char* kViewColumns =
    "SELECT id, entity, user_id, name, CAST(definition AS TEXT), created_at, updated_at FROM saved_views ";
constexpr const char* kInsertView =
    "INSERT INTO saved_views (workspace_id, entity, user_id, name, definition, created_at, updated_at) "
    "VALUES (:ws, :entity, :uid, :name, :def, :now, :now2) RETURNING id";
constexpr const char* kUpdateView =
    "UPDATE saved_views SET name = :name, definition = :def, user_id = :uid, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteView = "DELETE FROM saved_views WHERE workspace_id = :ws AND id = :id";

constexpr const char* kSelectDoc =
    "SELECT id FROM search_docs WHERE workspace_id = :ws AND subject_type = :type AND subject_id = :sid";
constexpr const char* kInsertDoc =
    "INSERT INTO search_docs (workspace_id, subject_type, subject_id, owner_user_id, title, body, updated_at) "
    "VALUES (:ws, :type, :sid, :owner, :title, :body, :now)";
constexpr const char* kUpdateDoc =
    "UPDATE search_docs SET owner_user_id = :owner, title = :title, body = :body, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kDeleteDoc =
    "DELETE FROM search_docs WHERE workspace_id = :ws AND subject_type = :type AND subject_id = :sid";
constexpr const char* kReassignDocs =
    "UPDATE search_docs SET owner_user_id = :to WHERE workspace_id = :ws AND subject_type = :type "
    "AND owner_user_id = :from";
// SQLite: FTS5 over search_docs (external content, kept in step by triggers); newest documents first.
constexpr const char* kSearchSqlite =
    "SELECT d.subject_type, d.subject_id, d.title, d.body, d.owner_user_id, COALESCE(u.full_name, '') "
    "FROM search_fts f JOIN search_docs d ON d.id = f.rowid LEFT JOIN users u ON u.workspace_id = d.workspace_id "
    "AND u.id = d.owner_user_id WHERE search_fts MATCH :m AND {visible} AND d.subject_type IN ({types}) "
    "ORDER BY f.rowid DESC LIMIT :lim";
// SQLite, words longer than the longest prefix index (4): FTS5 answers "word"* for such a word by reading and merging
// the postings of every term starting with it before the first row comes out (all "вектор…" terms at 1M documents:
// ~1.8 ms of the 2.7 ms CPU of "ооо вектор"), whereas a prefix of 2-4 characters is one posting list read lazily,
// newest first. So the words' first four characters are matched through the prefix indexes and each long word is
// then checked on the document's tokens ({words}: instr over ' ' || body, which holds the case-folded tokens
// separated by spaces): 0.34 ms for the same page. The result is exact; only its cost depends on how many
// candidates share the four characters without the word, so it runs under a work budget (see Search).
constexpr const char* kSearchSqliteShortPrefixes =
    "SELECT d.subject_type, d.subject_id, d.title, d.body, d.owner_user_id, COALESCE(u.full_name, '') "
    "FROM search_fts f JOIN search_docs d ON d.id = f.rowid LEFT JOIN users u ON u.workspace_id = d.workspace_id "
    "AND u.id = d.owner_user_id WHERE search_fts MATCH :m AND {words} AND {visible} "
    "AND d.subject_type IN ({types}) ORDER BY f.rowid DESC LIMIT :lim";
// SQLite virtual machine steps the short-prefix form may take (~20 per candidate: ~2,500 candidates) before it is
// abandoned for kSearchSqlite — a rare word behind a common beginning ("ивантеевка" among "иван…").
constexpr int kShortPrefixBudget = 50000;
// PostgreSQL: the GIN expression index search_docs_fts_idx answers the @@ with prefix terms ('word:*').
constexpr const char* kSearchPostgres =
    "SELECT d.subject_type, d.subject_id, d.title, d.body, d.owner_user_id, COALESCE(u.full_name, '') "
    "FROM search_docs d LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_user_id "
    "WHERE to_tsvector('simple', d.body) @@ to_tsquery('simple', :m) AND {visible} AND d.subject_type IN ({types}) "
    "ORDER BY d.id DESC LIMIT :lim";

template <class T>
std::optional<T> Opt(const T& v, soci::indicator ind) {
    if (ind == soci::i_ok) return v;
    return std::nullopt;
}

json::value Parse(const std::string& s) {
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(nullptr) : v;
}

std::string TagsJson(const std::vector<std::string>& tags) {
    json::array a;
    for (const auto& t : tags) a.emplace_back(t);
    return json::serialize(a);
}

std::vector<std::string> ParseTags(const std::string& s) {
    std::vector<std::string> out;
    json::value v = Parse(s);
    if (!v.is_array()) return out;
    for (const auto& x : v.as_array())
        if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

std::string BankJson(const BankDetails& b) {
    if (b.empty()) return "{}";
    return json::serialize(json::object{
        {"bank_name", b.bank_name}, {"bik", b.bik}, {"account", b.account}, {"corr_account", b.corr_account}});
}

BankDetails ParseBank(const std::string& s) {
    BankDetails b;
    json::value v = Parse(s);
    if (!v.is_object()) return b;
    auto get = [&](const char* k) -> std::string {
        const json::value* x = v.as_object().if_contains(k);
        return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    b.bank_name = get("bank_name");
    b.bik = get("bik");
    b.account = get("account");
    b.corr_account = get("corr_account");
    return b;
}

using Nullable = db::NullableId;
using db::NullableText;

struct CompanyInto {
    long long ws = 0, id = 0, volume = 0, owner = 0, lead = 0, merged = 0, deleted = 0, by = 0, created = 0,
              updated = 0;
    soci::indicator inn_ind = soci::i_null, kpp_ind = soci::i_null, ogrn_ind = soci::i_null, volume_ind = soci::i_null,
                    owner_ind = soci::i_null, lead_ind = soci::i_null, merged_ind = soci::i_null,
                    deleted_ind = soci::i_null, by_ind = soci::i_null;
    std::string legal_form, name, full_name, inn, kpp, ogrn, legal_address, actual_address, bank, financial_state,
        currency, discipline, preferences, notes, website, tags, custom;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(legal_form));
        st.exchange(soci::into(name));
        st.exchange(soci::into(full_name));
        st.exchange(soci::into(inn, inn_ind));
        st.exchange(soci::into(kpp, kpp_ind));
        st.exchange(soci::into(ogrn, ogrn_ind));
        st.exchange(soci::into(legal_address));
        st.exchange(soci::into(actual_address));
        st.exchange(soci::into(bank));
        st.exchange(soci::into(financial_state));
        st.exchange(soci::into(volume, volume_ind));
        st.exchange(soci::into(currency));
        st.exchange(soci::into(discipline));
        st.exchange(soci::into(preferences));
        st.exchange(soci::into(notes));
        st.exchange(soci::into(website));
        st.exchange(soci::into(tags));
        st.exchange(soci::into(custom));
        st.exchange(soci::into(owner, owner_ind));
        st.exchange(soci::into(lead, lead_ind));
        st.exchange(soci::into(merged, merged_ind));
        st.exchange(soci::into(deleted, deleted_ind));
        st.exchange(soci::into(by, by_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Company Row() const {
        Company c;
        c.workspace_id = ws;
        c.id = id;
        c.legal_form = legal_form;
        c.name = name;
        c.full_name = full_name;
        c.inn = Opt(inn, inn_ind);
        c.kpp = Opt(kpp, kpp_ind);
        c.ogrn = Opt(ogrn, ogrn_ind);
        c.legal_address = legal_address;
        c.actual_address = actual_address;
        c.bank = ParseBank(bank);
        c.financial_state = financial_state;
        c.purchase_volume_minor = Opt<std::int64_t>(volume, volume_ind);
        c.currency = currency;
        c.payment_discipline = discipline;
        c.preferences = preferences;
        c.notes = notes;
        c.website = website;
        c.tags = ParseTags(tags);
        c.custom_json = custom;
        c.owner_user_id = Opt<core::Id>(owner, owner_ind);
        c.source_lead_id = Opt<core::Id>(lead, lead_ind);
        c.merged_into_id = Opt<core::Id>(merged, merged_ind);
        c.deleted_at = Opt<core::Millis>(deleted, deleted_ind);
        c.created_by = Opt<core::Id>(by, by_ind);
        c.created_at = created;
        c.updated_at = updated;
        return c;
    }
};

struct ContactInto {
    long long ws = 0, id = 0, owner = 0, lead = 0, merged = 0, deleted = 0, by = 0, created = 0, updated = 0;
    soci::indicator birthday_ind = soci::i_null, owner_ind = soci::i_null, lead_ind = soci::i_null,
                    merged_ind = soci::i_null, deleted_ind = soci::i_null, by_ind = soci::i_null;
    std::string last, first, middle, full, birthday, preferences, notes, tags, custom;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(last));
        st.exchange(soci::into(first));
        st.exchange(soci::into(middle));
        st.exchange(soci::into(full));
        st.exchange(soci::into(birthday, birthday_ind));
        st.exchange(soci::into(preferences));
        st.exchange(soci::into(notes));
        st.exchange(soci::into(tags));
        st.exchange(soci::into(custom));
        st.exchange(soci::into(owner, owner_ind));
        st.exchange(soci::into(lead, lead_ind));
        st.exchange(soci::into(merged, merged_ind));
        st.exchange(soci::into(deleted, deleted_ind));
        st.exchange(soci::into(by, by_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    Contact Row() const {
        Contact c;
        c.workspace_id = ws;
        c.id = id;
        c.last_name = last;
        c.first_name = first;
        c.middle_name = middle;
        c.full_name = full;
        c.birthday = Opt(birthday, birthday_ind);
        c.preferences = preferences;
        c.notes = notes;
        c.tags = ParseTags(tags);
        c.custom_json = custom;
        c.owner_user_id = Opt<core::Id>(owner, owner_ind);
        c.source_lead_id = Opt<core::Id>(lead, lead_ind);
        c.merged_into_id = Opt<core::Id>(merged, merged_ind);
        c.deleted_at = Opt<core::Millis>(deleted, deleted_ind);
        c.created_by = Opt<core::Id>(by, by_ind);
        c.created_at = created;
        c.updated_at = updated;
        return c;
    }
};

struct FieldInto {
    long long ws = 0, id = 0, stage = 0, archived = 0, created = 0, updated = 0;
    int required = 0, position = 0;
    soci::indicator stage_ind = soci::i_null, archived_ind = soci::i_null;
    std::string entity, code, label_ru, label_en, kind, options;

    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(entity));
        st.exchange(soci::into(code));
        st.exchange(soci::into(label_ru));
        st.exchange(soci::into(label_en));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(options));
        st.exchange(soci::into(required));
        st.exchange(soci::into(stage, stage_ind));
        st.exchange(soci::into(position));
        st.exchange(soci::into(archived, archived_ind));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    CustomField Row() const {
        CustomField f;
        f.workspace_id = ws;
        f.id = id;
        f.entity = entity;
        f.code = code;
        f.label_ru = label_ru;
        f.label_en = label_en;
        f.kind = ParseFieldKind(kind).value_or(FieldKind::kText);
        json::value v = Parse(options);
        if (v.is_array()) {
            for (const auto& o : v.as_array()) {
                if (!o.is_object()) continue;
                auto get = [&](const char* k) -> std::string {
                    const json::value* x = o.as_object().if_contains(k);
                    return x && x->is_string() ? std::string(x->as_string()) : std::string();
                };
                f.options.push_back({get("value"), get("label_ru"), get("label_en")});
            }
        }
        f.required = required != 0;
        f.required_from_stage_id = Opt<core::Id>(stage, stage_ind);
        f.position = position;
        f.archived_at = Opt<core::Millis>(archived, archived_ind);
        f.created_at = created;
        f.updated_at = updated;
        return f;
    }
};

std::string OptionsJson(const std::vector<FieldOption>& options) {
    json::array a;
    for (const auto& o : options)
        a.push_back(json::object{{"value", o.value}, {"label_ru", o.label_ru}, {"label_en", o.label_en}});
    return json::serialize(a);
}

struct ViewInto {
    long long id = 0, uid = 0, created = 0, updated = 0;
    soci::indicator uid_ind = soci::i_null;
    std::string entity, name, def;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(entity));
        st.exchange(soci::into(uid, uid_ind));
        st.exchange(soci::into(name));
        st.exchange(soci::into(def));
        st.exchange(soci::into(created));
        st.exchange(soci::into(updated));
    }
    SavedView Row() const { return SavedView{id, entity, Opt<core::Id>(uid, uid_ind), name, def, created, updated}; }
};

template <class Into, class Row, class BindParams>
std::vector<Row> Fetch(soci::session& sql, const std::string& text, BindParams bind_params) {
    Into into;
    soci::statement st(sql);
    into.Bind(st);
    bind_params(st);
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    std::vector<Row> out;
    while (st.fetch()) out.push_back(into.Row());
    return out;
}

// A record by id with no visibility predicate, prepared once per connection: the import reads one per merged row.
template <class Into, int Which>
struct SelectByIdStatement {
    Into into;
    long long ws = 0, id = 0;
    soci::statement st;
    explicit SelectByIdStatement(soci::session& sql) : st(sql) {
        into.Bind(st);
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(id, "id"));
        st.alloc();
        st.prepare(std::string(Which == 0 ? kCompanyColumns : kContactColumns) +
                   "WHERE c.workspace_id = :ws AND c.id = :id");
        st.define_and_bind();
    }
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

template <class Into, class Row, int Which>
std::optional<Row> SelectById(soci::session& sql, core::Id ws, core::Id id) {
    return db::WithPrepared<SelectByIdStatement<Into, Which>>(
        sql, [&](SelectByIdStatement<Into, Which>& q) -> std::optional<Row> {
            q.ws = ws;
            q.id = id;
            if (!q.st.execute(true)) return std::nullopt;
            return q.into.Row();
        });
}

std::string IdList(const std::vector<core::Id>& ids) {
    std::string out;
    for (core::Id id : ids) {
        if (!out.empty()) out += ',';
        out += std::to_string(id);  // ids are integers from the database, never user text
    }
    return out;
}

const char* Table(const std::string& type) {
    return type == "company" ? "companies" : "contacts";
}

}  // namespace

namespace {

/// The company insert, prepared once per connection (import writes one per row, or one per named employer).
struct InsertCompanyStatement {
    long long ws = 0, at = 0, id = 0, volume = 0, owner = 0, lead = 0, by = 0;
    std::string legal_form, name, full_name, inn, kpp, ogrn, legal_address, actual_address, bank, financial_state,
        currency, discipline, preferences, notes, website, tags, custom;
    soci::indicator inn_ind = soci::i_null, kpp_ind = soci::i_null, ogrn_ind = soci::i_null, volume_ind = soci::i_null,
                    owner_ind = soci::i_null, lead_ind = soci::i_null, by_ind = soci::i_null;
    soci::statement st;
    explicit InsertCompanyStatement(soci::session& sql)
        : st((sql.prepare << kInsertCompany, soci::use(ws, "ws"), soci::use(legal_form, "legal_form"),
              soci::use(name, "name"), soci::use(full_name, "full_name"), soci::use(inn, inn_ind, "inn"),
              soci::use(kpp, kpp_ind, "kpp"), soci::use(ogrn, ogrn_ind, "ogrn"),
              soci::use(legal_address, "legal_address"), soci::use(actual_address, "actual_address"),
              soci::use(bank, "bank"), soci::use(financial_state, "financial_state"),
              soci::use(volume, volume_ind, "volume"), soci::use(currency, "currency"),
              soci::use(discipline, "discipline"), soci::use(preferences, "preferences"), soci::use(notes, "notes"),
              soci::use(website, "website"), soci::use(tags, "tags"), soci::use(custom, "custom"),
              soci::use(owner, owner_ind, "owner"), soci::use(lead, lead_ind, "lead"), soci::use(by, by_ind, "by"),
              soci::use(at, "now"), soci::use(at, "now2"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::string TagsText(const std::vector<std::string>& tags) {
    return TagsJson(tags);
}

std::string BankText(const BankDetails& b) {
    return BankJson(b);
}

core::Id InsertCompany(soci::session& sql, const Company& c, core::Millis now) {
    return db::WithPrepared<InsertCompanyStatement>(sql, [&](InsertCompanyStatement& q) {
        q.ws = c.workspace_id;
        q.at = now;
        q.legal_form = c.legal_form;
        q.name = c.name;
        q.full_name = c.full_name;
        db::SetNullable(c.inn, q.inn, q.inn_ind);
        db::SetNullable(c.kpp, q.kpp, q.kpp_ind);
        db::SetNullable(c.ogrn, q.ogrn, q.ogrn_ind);
        q.legal_address = c.legal_address;
        q.actual_address = c.actual_address;
        q.bank = BankJson(c.bank);
        q.financial_state = c.financial_state;
        db::SetNullable(c.purchase_volume_minor, q.volume, q.volume_ind);
        q.currency = c.currency;
        q.discipline = c.payment_discipline;
        q.preferences = c.preferences;
        q.notes = c.notes;
        q.website = c.website;
        q.tags = TagsJson(c.tags);
        q.custom = c.custom_json;
        db::SetNullable(c.owner_user_id, q.owner, q.owner_ind);
        db::SetNullable(c.source_lead_id, q.lead, q.lead_ind);
        db::SetNullable(c.created_by, q.by, q.by_ind);
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

void UpdateCompany(soci::session& sql, const Company& c, core::Millis now) {
    long long ws = c.workspace_id, id = c.id, at = now;
    NullableText inn(c.inn), kpp(c.kpp), ogrn(c.ogrn);
    long long volume = c.purchase_volume_minor.value_or(0);
    soci::indicator volume_ind = c.purchase_volume_minor ? soci::i_ok : soci::i_null;
    Nullable owner(c.owner_user_id);
    const std::string bank = BankJson(c.bank), tags = TagsJson(c.tags);
    sql << kUpdateCompany, soci::use(c.legal_form, "legal_form"), soci::use(c.name, "name"),
        soci::use(c.full_name, "full_name"), soci::use(inn.v, inn.ind, "inn"), soci::use(kpp.v, kpp.ind, "kpp"),
        soci::use(ogrn.v, ogrn.ind, "ogrn"), soci::use(c.legal_address, "legal_address"),
        soci::use(c.actual_address, "actual_address"), soci::use(bank, "bank"),
        soci::use(c.financial_state, "financial_state"), soci::use(volume, volume_ind, "volume"),
        soci::use(c.currency, "currency"), soci::use(c.payment_discipline, "discipline"),
        soci::use(c.preferences, "preferences"), soci::use(c.notes, "notes"), soci::use(c.website, "website"),
        soci::use(tags, "tags"), soci::use(c.custom_json, "custom"), soci::use(owner.v, owner.ind, "owner"),
        soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<Company> SelectCompany(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate* visible) {
    if (!visible) return SelectById<CompanyInto, Company, 0>(sql, ws, id);
    long long w = ws, k = id;
    std::string text = std::string(kCompanyColumns) + "WHERE c.workspace_id = :ws AND c.id = :id";
    if (visible) text = visible->Expand(text + " AND {visible}");
    auto rows = Fetch<CompanyInto, Company>(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(w, "ws"));
        st.exchange(soci::use(k, "id"));
        if (visible) visible->BindTo(st);
    });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

namespace {

/// The contact insert, prepared once per connection (import writes one per row).
struct InsertContactStatement {
    long long ws = 0, at = 0, id = 0, owner = 0, lead = 0, by = 0;
    std::string last, first, middle, full, birthday, preferences, notes, tags, custom;
    soci::indicator birthday_ind = soci::i_null, owner_ind = soci::i_null, lead_ind = soci::i_null,
                    by_ind = soci::i_null;
    soci::statement st;
    explicit InsertContactStatement(soci::session& sql)
        : st((sql.prepare << kInsertContact, soci::use(ws, "ws"), soci::use(last, "last"), soci::use(first, "first"),
              soci::use(middle, "middle"), soci::use(full, "full"), soci::use(birthday, birthday_ind, "birthday"),
              soci::use(preferences, "preferences"), soci::use(notes, "notes"), soci::use(tags, "tags"),
              soci::use(custom, "custom"), soci::use(owner, owner_ind, "owner"), soci::use(lead, lead_ind, "lead"),
              soci::use(by, by_ind, "by"), soci::use(at, "now"), soci::use(at, "now2"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

core::Id InsertContact(soci::session& sql, const Contact& c, core::Millis now) {
    return db::WithPrepared<InsertContactStatement>(sql, [&](InsertContactStatement& q) {
        q.ws = c.workspace_id;
        q.at = now;
        q.last = c.last_name;
        q.first = c.first_name;
        q.middle = c.middle_name;
        q.full = c.full_name;
        db::SetNullable(c.birthday, q.birthday, q.birthday_ind);
        q.preferences = c.preferences;
        q.notes = c.notes;
        q.tags = TagsJson(c.tags);
        q.custom = c.custom_json;
        db::SetNullable(c.owner_user_id, q.owner, q.owner_ind);
        db::SetNullable(c.source_lead_id, q.lead, q.lead_ind);
        db::SetNullable(c.created_by, q.by, q.by_ind);
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

void UpdateContact(soci::session& sql, const Contact& c, core::Millis now) {
    long long ws = c.workspace_id, id = c.id, at = now;
    NullableText birthday(c.birthday);
    Nullable owner(c.owner_user_id);
    const std::string tags = TagsJson(c.tags);
    sql << kUpdateContact, soci::use(c.last_name, "last"), soci::use(c.first_name, "first"),
        soci::use(c.middle_name, "middle"), soci::use(c.full_name, "full"),
        soci::use(birthday.v, birthday.ind, "birthday"), soci::use(c.preferences, "preferences"),
        soci::use(c.notes, "notes"), soci::use(tags, "tags"), soci::use(c.custom_json, "custom"),
        soci::use(owner.v, owner.ind, "owner"), soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<Contact> SelectContact(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate* visible) {
    if (!visible) return SelectById<ContactInto, Contact, 1>(sql, ws, id);
    long long w = ws, k = id;
    std::string text = std::string(kContactColumns) + "WHERE c.workspace_id = :ws AND c.id = :id";
    if (visible) text = visible->Expand(text + " AND {visible}");
    auto rows = Fetch<ContactInto, Contact>(sql, text, [&](soci::statement& st) {
        st.exchange(soci::use(w, "ws"));
        st.exchange(soci::use(k, "id"));
        if (visible) visible->BindTo(st);
    });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

void SetRemoved(soci::session& sql, const std::string& type, core::Id ws, core::Id id,
                std::optional<core::Millis> deleted_at, std::optional<core::Id> merged_into, core::Millis now) {
    long long w = ws, k = id, at = now;
    Nullable deleted(deleted_at), merged(merged_into);
    sql << (type == "company" ? kSetRemovedCompany : kSetRemovedContact), soci::use(deleted.v, deleted.ind, "deleted"),
        soci::use(merged.v, merged.ind, "merged"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(k, "id");
}

namespace {

// The WHERE/ORDER of a list query: pieces are code constants; values are bound by the caller via Binder.
struct ListSql {
    std::string table;  // "companies" or "contacts", aliased c
    std::string where, order;
    /// The sort key follows the owner in an index (workspace, owner, name, id): a page of one owner's rows is an
    /// ordered index walk.
    bool owner_indexed = false;
    std::vector<std::pair<std::string, std::string>> texts;  // name -> value
    std::vector<std::pair<std::string, long long>> numbers;  // name -> value
};

ListSql BuildList(db::Engine engine, const std::string& type, core::Id ws, const ListFilter& f) {
    ListSql q;
    q.table = Table(type);
    const std::string name_col = type == "company" ? "c.name" : "c.full_name";
    q.where = "c.workspace_id = :ws AND {visible}";
    q.numbers.push_back({"ws", ws});
    q.where += f.deleted ? " AND c.deleted_at IS NOT NULL AND c.merged_into_id IS NULL" : " AND c.deleted_at IS NULL";
    if (f.owner_user_id) {
        q.where += " AND c.owner_user_id = :owner";
        q.numbers.push_back({"owner", *f.owner_user_id});
    }
    if (f.tag) {
        if (engine == db::Engine::kSqlite) {
            // The substring test rejects most rows cheaply (json_each per row is half the cost of a tagged page);
            // json_each keeps the match exact. Tags are stored as TagsJson writes them, so a tagged row holds
            // the tag's JSON text.
            q.where +=
                " AND instr(c.tags, :tag_json) > 0 AND EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE "
                "t.value = :tag)";
            q.texts.push_back({"tag_json", json::serialize(json::value(*f.tag))});
        } else {
            q.where += " AND jsonb_exists(c.tags, :tag)";
        }
        q.texts.push_back({"tag", *f.tag});
    }
    if (f.q) {
        // Prefix of the name as typed or with a capital first letter (index range scans on both engines).
        q.where += " AND ((" + name_col + " >= :q1 AND " + name_col + " < :q1e) OR (" + name_col + " >= :q2 AND " +
                   name_col + " < :q2e))";
        const std::string end = "\xF4\x8F\xBF\xBF";
        std::string cap = *f.q;
        if (!cap.empty()) {
            // Capitalise the first letter (ASCII and Cyrillic а..я, ё).
            auto folded = cap;
            unsigned char c0 = static_cast<unsigned char>(cap[0]);
            if (c0 >= 'a' && c0 <= 'z') {
                cap[0] = static_cast<char>(c0 - 32);
            } else if (cap.size() >= 2 && c0 == 0xD0 && static_cast<unsigned char>(cap[1]) >= 0xB0 &&
                       static_cast<unsigned char>(cap[1]) <= 0xBF) {
                cap[1] = static_cast<char>(static_cast<unsigned char>(cap[1]) - 0x20);  // а..п
            } else if (cap.size() >= 2 && c0 == 0xD1 && static_cast<unsigned char>(cap[1]) >= 0x80 &&
                       static_cast<unsigned char>(cap[1]) <= 0x8F) {
                cap[0] = static_cast<char>(0xD0);  // р..я
                cap[1] = static_cast<char>(static_cast<unsigned char>(cap[1]) + 0x20);
            } else if (cap.size() >= 2 && c0 == 0xD1 && static_cast<unsigned char>(cap[1]) == 0x91) {
                cap[0] = static_cast<char>(0xD0);  // ё
                cap[1] = static_cast<char>(0x81);
            }
            (void)folded;
        }
        q.texts.push_back({"q1", *f.q});
        q.texts.push_back({"q1e", *f.q + end});
        q.texts.push_back({"q2", cap});
        q.texts.push_back({"q2e", cap + end});
    }
    if (f.payment_discipline && type == "company") {
        q.where += " AND c.payment_discipline = :discipline";
        q.texts.push_back({"discipline", *f.payment_discipline});
    }
    if (f.has_phone) {
        q.where += std::string(*f.has_phone ? " AND EXISTS" : " AND NOT EXISTS") +
                   " (SELECT 1 FROM contact_points p WHERE p.workspace_id = c.workspace_id AND p.subject_type = '" +
                   type + "' AND p.subject_id = c.id AND p.kind = 'phone')";
    }
    if (f.created_from) {
        q.where += " AND c.created_at >= :cfrom";
        q.numbers.push_back({"cfrom", *f.created_from});
    }
    if (f.created_to) {
        q.where += " AND c.created_at < :cto";
        q.numbers.push_back({"cto", *f.created_to});
    }
    if (f.custom) {
        if (engine == db::Engine::kSqlite) {
            q.where += " AND CAST(json_extract(c.custom, :cpath) AS TEXT) = :cval";
            q.texts.push_back({"cpath", "$." + f.custom->first});
        } else {
            q.where += " AND (c.custom ->> CAST(:cpath AS TEXT)) = :cval";
            q.texts.push_back({"cpath", f.custom->first});
        }
        q.texts.push_back({"cval", f.custom->second});
    }
    // Sort: an allow-listed column; keyset on (column, id).
    std::string col = "c.id";
    bool desc = f.sort.rfind('-', 0) == 0;
    const std::string key = desc ? f.sort.substr(1) : f.sort;
    bool text_key = false;
    if (key == "name") {
        col = name_col;
        text_key = true;
    } else if (key == "updated_at") {
        col = "c.updated_at";
    } else if (key == "created_at") {
        col = "c.created_at";
    }
    const std::string dir = desc ? " DESC" : "", cmp = desc ? " < " : " > ";
    if (f.after_id) {
        if (col == "c.id") {
            q.where += " AND c.id" + cmp + ":aid";
        } else {
            q.where += " AND (" + col + cmp + ":ak OR (" + col + " = :ak2 AND c.id" + cmp + ":aid))";
            if (text_key) {
                q.texts.push_back({"ak", f.after_key.value_or("")});
                q.texts.push_back({"ak2", f.after_key.value_or("")});
            } else {
                long long k = 0;
                try {
                    k = std::stoll(f.after_key.value_or("0"));
                } catch (...) {
                }
                q.numbers.push_back({"ak", k});
                q.numbers.push_back({"ak2", k});
            }
        }
        q.numbers.push_back({"aid", *f.after_id});
    }
    q.order = " ORDER BY " + (col == "c.id" ? std::string("c.id") + dir : col + dir + ", c.id" + dir);
    // *_owner_name_idx. Not for id: the plain plan walks the rowid in order and filters the owners, which measured
    // ~17% more pages/s than one walk per owner when the filters keep most rows (newest first, has phone).
    q.owner_indexed = col == name_col;
    q.numbers.push_back({"lim", f.limit});
    return q;
}

// More owners than this and the page is read the plain way.
constexpr std::size_t kMaxOwnerWalks = 8;

/// The page's text. A caller who sees a few owners' rows (own scope: the caller and today's delegators) gets one
/// ordered walk of the (owner, key) index per owner, each cut at the page size, and the page is taken from their
/// union: the condition "owner IN (...)" alone cannot be read in key order, so the database would sort all those
/// owners' rows (or scan the whole table in key order). Every walk and the outer query keep the visibility
/// condition and the filters; the owner equality only narrows them.
std::string ListText(const std::string& columns, const ListSql& q,
                     const std::optional<std::vector<long long>>& owners) {
    if (!owners || owners->empty() || owners->size() > kMaxOwnerWalks || !q.owner_indexed)
        return columns + "WHERE " + q.where + q.order + " LIMIT :lim";
    std::string walks;
    for (std::size_t i = 0; i < owners->size(); ++i) {
        const std::string n = std::to_string(i);
        if (i > 0) walks += " UNION ALL ";
        walks += "SELECT w" + n + ".id FROM (SELECT c.id FROM " + q.table + " c WHERE " + q.where +
                 " AND c.owner_user_id = :walk" + n + q.order + " LIMIT :lim) w" + n;
    }
    return columns + "WHERE " + q.where + " AND c.id IN (" + walks + ")" + q.order + " LIMIT :lim";
}

template <class Into, class Row>
std::vector<Row> RunList(soci::session& sql, const std::string& columns, const ListSql& q,
                         const auth::Predicate& visible) {
    const std::optional<std::vector<long long>> owners = visible.owners();
    const std::string text = visible.Expand(ListText(columns, q, owners));
    const bool walks = text.find(":walk0") != std::string::npos;
    return Fetch<Into, Row>(sql, text, [&](soci::statement& st) {
        visible.BindTo(st);
        for (const auto& [n, v] : q.texts) st.exchange(soci::use(v, n));
        for (const auto& [n, v] : q.numbers) st.exchange(soci::use(v, n));
        if (walks)
            for (std::size_t i = 0; i < owners->size(); ++i)
                st.exchange(soci::use((*owners)[i], "walk" + std::to_string(i)));
    });
}

}  // namespace

std::vector<Company> ListCompanies(soci::session& sql, db::Engine engine, core::Id ws, const ListFilter& f,
                                   const auth::Predicate& visible) {
    const ListSql q = BuildList(engine, "company", ws, f);
    return RunList<CompanyInto, Company>(sql, kCompanyColumns, q, visible);
}

std::vector<Contact> ListContacts(soci::session& sql, db::Engine engine, core::Id ws, const ListFilter& f,
                                  const auth::Predicate& visible) {
    const ListSql q = BuildList(engine, "contact", ws, f);
    return RunList<ContactInto, Contact>(sql, kContactColumns, q, visible);
}

namespace {

/// A user's name and status by id: every card and every owner check asks, so prepared once per connection.
struct UserLookup {
    long long ws = 0, id = 0;
    std::string name, status;
    soci::statement by_name, by_status;
    explicit UserLookup(soci::session& sql)
        : by_name((sql.prepare << kUserName, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(name))),
          by_status((sql.prepare << kUserStatus, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(status))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, by_name);
        db::ResetStatement(sql, by_status);
    }
};

}  // namespace

std::optional<std::string> UserName(soci::session& sql, core::Id ws, core::Id user_id) {
    return db::WithPrepared<UserLookup>(sql, [&](UserLookup& q) -> std::optional<std::string> {
        q.ws = ws;
        q.id = user_id;
        if (!q.by_name.execute(true)) return std::nullopt;
        return q.name;
    });
}

bool UserIsActive(soci::session& sql, core::Id ws, core::Id user_id) {
    return db::WithPrepared<UserLookup>(sql, [&](UserLookup& q) {
        q.ws = ws;
        q.id = user_id;
        return q.by_status.execute(true) && q.status == "active";
    });
}

std::string WorkspaceTimeZone(soci::session& sql, core::Id ws) {
    long long w = ws;
    std::string tz;
    sql << kTimeZone, soci::use(w, "ws"), soci::into(tz);
    return sql.got_data() && !tz.empty() ? tz : "Europe/Moscow";
}

namespace {

struct InsertPointStatement {
    long long ws = 0, sid = 0, at = 0, id = 0;
    int primary = 0;
    std::string type, kind, label, raw, value;
    soci::statement st;
    explicit InsertPointStatement(soci::session& sql)
        : st((sql.prepare << kInsertPoint, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(sid, "sid"),
              soci::use(kind, "kind"), soci::use(label, "label"), soci::use(raw, "raw"), soci::use(value, "value"),
              soci::use(primary, "primary"), soci::use(at, "now"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

core::Id InsertPoint(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id subject_id,
                     const ContactPoint& p, core::Millis now) {
    return db::WithPrepared<InsertPointStatement>(sql, [&](InsertPointStatement& q) {
        q.ws = ws;
        q.type = subject_type;
        q.sid = subject_id;
        q.kind = p.kind;
        q.label = p.label;
        q.raw = p.raw;
        q.value = p.value;
        q.primary = p.is_primary ? 1 : 0;
        q.at = now;
        q.id = 0;
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
}

namespace {

/// The points of one record, prepared once per connection (cards, merges, the import's filled records).
struct ListPointsStatement {
    long long ws = 0, sid = 0, id = 0;
    int primary = 0;
    std::string type, kind, label, raw, value;
    soci::statement st;
    explicit ListPointsStatement(soci::session& sql)
        : st((sql.prepare << kListPoints, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(sid, "sid"),
              soci::into(id), soci::into(kind), soci::into(label), soci::into(raw), soci::into(value),
              soci::into(primary))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::vector<ContactPoint> ListPoints(soci::session& sql, core::Id ws, const std::string& subject_type,
                                     core::Id subject_id) {
    return db::WithPrepared<ListPointsStatement>(sql, [&](ListPointsStatement& q) {
        q.ws = ws;
        q.type = subject_type;
        q.sid = subject_id;
        q.st.execute();
        std::vector<ContactPoint> out;
        while (q.st.fetch()) out.push_back({q.id, q.kind, q.label, q.raw, q.value, q.primary != 0});
        return out;
    });
}

void DeletePoints(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id subject_id) {
    long long w = ws, sid = subject_id;
    sql << kDeletePoints, soci::use(w, "ws"), soci::use(subject_type, "type"), soci::use(sid, "sid");
}

void DeletePoint(soci::session& sql, core::Id ws, core::Id point_id) {
    long long w = ws, id = point_id;
    sql << kDeletePoint, soci::use(w, "ws"), soci::use(id, "id");
}

void MovePoint(soci::session& sql, core::Id ws, core::Id point_id, core::Id to_subject_id) {
    long long w = ws, id = point_id, to = to_subject_id;
    sql << kMovePoint, soci::use(to, "to"), soci::use(w, "ws"), soci::use(id, "id");
}

namespace {

/// The contact-point lookup, prepared once per pooled connection: every intake item and import row runs it.
struct FindByPointQuery {
    long long ws = 0, id = 0, owner = 0;
    std::string kind, value, type, title;
    soci::indicator owner_ind = soci::i_null;
    soci::statement st;
    explicit FindByPointQuery(soci::session& sql)
        : st((sql.prepare << kFindByPoint, soci::into(type), soci::into(id), soci::into(title),
              soci::into(owner, owner_ind), soci::use(ws, "ws"), soci::use(kind, "kind"), soci::use(value, "value"),
              soci::use(ws, "ws2"), soci::use(kind, "kind2"), soci::use(value, "value2"), soci::use(ws, "ws3"),
              soci::use(kind, "kind3"), soci::use(value, "value3"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::vector<Match> FindByPoint(soci::session& sql, core::Id ws, const std::string& kind, const std::string& value) {
    return db::WithPrepared<FindByPointQuery>(sql, [&](FindByPointQuery& q) {
        q.ws = ws;
        q.kind = kind;
        q.value = value;
        std::vector<Match> out;
        q.st.execute(false);
        while (q.st.fetch()) out.push_back({q.type, q.id, q.title, Opt<core::Id>(q.owner, q.owner_ind), kind, value});
        return out;
    });
}

namespace {

/// The INN and exact-name lookups of intake and import, prepared once per connection.
struct CompanyLookup {
    long long ws = 0, id = 0, owner = 0;
    std::string key, type, title;
    soci::indicator owner_ind = soci::i_null;
    soci::statement by_inn, by_name;
    explicit CompanyLookup(soci::session& sql)
        : by_inn((sql.prepare << kFindByInn, soci::into(type), soci::into(id), soci::into(title),
                  soci::into(owner, owner_ind), soci::use(ws, "ws"), soci::use(key, "inn"), soci::use(ws, "ws2"),
                  soci::use(key, "inn2"))),
          by_name((sql.prepare << kFindByName, soci::into(type), soci::into(id), soci::into(title),
                   soci::into(owner, owner_ind), soci::use(ws, "ws"), soci::use(key, "name"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, by_inn);
        db::ResetStatement(sql, by_name);
    }
    std::vector<Match> Run(soci::statement& st, const std::string& match) {
        std::vector<Match> out;
        st.execute(false);
        while (st.fetch()) out.push_back({type, id, title, Opt<core::Id>(owner, owner_ind), match, key});
        return out;
    }
};

}  // namespace

std::vector<Match> FindCompaniesByInn(soci::session& sql, core::Id ws, const std::string& inn) {
    return db::WithPrepared<CompanyLookup>(sql, [&](CompanyLookup& q) {
        q.ws = ws;
        q.key = inn;
        return q.Run(q.by_inn, "inn");
    });
}

std::vector<Match> FindCompaniesByName(soci::session& sql, core::Id ws, const std::string& name) {
    return db::WithPrepared<CompanyLookup>(sql, [&](CompanyLookup& q) {
        q.ws = ws;
        q.key = name;
        return q.Run(q.by_name, "name");
    });
}

std::vector<DuplicateGroup> DuplicateGroups(soci::session& sql, core::Id ws, const std::string& type, int limit) {
    long long w = ws;
    std::vector<DuplicateGroup> out;
    auto add = [&](const std::string& match, const std::string& value, core::Id id) {
        if (out.empty() || out.back().match != match || out.back().value != value) out.push_back({match, value, {}});
        out.back().ids.push_back(id);
    };
    const char* live = type == "company" ? kLiveCompany : kLiveContact;
    auto is_live = [&](core::Id id) {
        long long k = id, n = 0;
        sql << live, soci::use(w, "ws"), soci::use(k, "id"), soci::into(n);
        return n > 0;
    };
    {
        std::string kind, value;
        long long sid = 0;
        soci::statement st =
            (sql.prepare << kDuplicatePoints, soci::use(w, "ws"), soci::use(type, "type"), soci::use(w, "ws2"),
             soci::use(type, "type2"), soci::into(kind), soci::into(value), soci::into(sid));
        st.execute();
        std::vector<std::tuple<std::string, std::string, core::Id>> rows;
        while (st.fetch()) rows.emplace_back(kind, value, sid);
        for (const auto& [k, v, id] : rows)
            if (is_live(id)) add(k, v, id);
    }
    if (type == "company") {
        std::string inn;
        long long id = 0;
        soci::statement st =
            (sql.prepare << kDuplicateInn, soci::use(w, "ws"), soci::use(w, "ws2"), soci::into(inn), soci::into(id));
        st.execute();
        while (st.fetch()) add("inn", inn, id);
    }
    // A group needs two distinct live records.
    std::vector<DuplicateGroup> groups;
    for (auto& g : out) {
        std::sort(g.ids.begin(), g.ids.end());
        g.ids.erase(std::unique(g.ids.begin(), g.ids.end()), g.ids.end());
        if (g.ids.size() > 1) groups.push_back(std::move(g));
        if (static_cast<int>(groups.size()) >= limit) break;
    }
    return groups;
}

void UpsertLink(soci::session& sql, core::Id ws, const Link& l, core::Millis now) {
    long long w = ws, co = l.company_id, ct = l.contact_id, at = now;
    int primary = l.is_primary ? 1 : 0;
    if (SelectLink(sql, ws, l.company_id, l.contact_id)) {
        sql << kUpdateLink, soci::use(l.position, "position"), soci::use(l.decision_role, "role"),
            soci::use(primary, "primary"), soci::use(w, "ws"), soci::use(co, "co"), soci::use(ct, "ct");
    } else {
        sql << kInsertLink, soci::use(w, "ws"), soci::use(co, "co"), soci::use(ct, "ct"),
            soci::use(l.position, "position"), soci::use(l.decision_role, "role"), soci::use(primary, "primary"),
            soci::use(at, "now");
    }
}

bool DeleteLink(soci::session& sql, core::Id ws, core::Id company_id, core::Id contact_id) {
    long long w = ws, co = company_id, ct = contact_id;
    soci::statement st = (sql.prepare << kDeleteLink, soci::use(w, "ws"), soci::use(co, "co"), soci::use(ct, "ct"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

namespace {

struct SelectLinkStatement {
    long long ws = 0, co = 0, ct = 0;
    int primary = 0;
    std::string position, role;
    soci::statement st;
    explicit SelectLinkStatement(soci::session& sql)
        : st((sql.prepare << kSelectLink, soci::use(ws, "ws"), soci::use(co, "co"), soci::use(ct, "ct"),
              soci::into(position), soci::into(role), soci::into(primary))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::optional<Link> SelectLink(soci::session& sql, core::Id ws, core::Id company_id, core::Id contact_id) {
    return db::WithPrepared<SelectLinkStatement>(sql, [&](SelectLinkStatement& q) -> std::optional<Link> {
        q.ws = ws;
        q.co = company_id;
        q.ct = contact_id;
        if (!q.st.execute(true)) return std::nullopt;
        return Link{company_id, contact_id, q.position, q.role, q.primary != 0};
    });
}

namespace {
std::vector<LinkView> Links(soci::session& sql, const char* text, core::Id ws, core::Id id) {
    long long w = ws, k = id, co = 0, ct = 0, owner = 0;
    int primary = 0;
    soci::indicator owner_ind = soci::i_null;
    std::string position, role, name;
    soci::statement st =
        (sql.prepare << text, soci::use(w, "ws"), soci::use(k, "id"), soci::into(co), soci::into(ct),
         soci::into(position), soci::into(role), soci::into(primary), soci::into(name), soci::into(owner, owner_ind));
    st.execute();
    std::vector<LinkView> out;
    while (st.fetch())
        out.push_back({Link{co, ct, position, role, primary != 0}, name, Opt<core::Id>(owner, owner_ind)});
    return out;
}
}  // namespace

std::vector<LinkView> LinksOfCompany(soci::session& sql, core::Id ws, core::Id company_id) {
    return Links(sql, kLinksOfCompany, ws, company_id);
}

std::vector<LinkView> LinksOfContact(soci::session& sql, core::Id ws, core::Id contact_id) {
    return Links(sql, kLinksOfContact, ws, contact_id);
}

int MoveLinks(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to, core::Millis now) {
    // Read the absorbed record's links (deleted counterparts included), then re-create them on the survivor.
    long long w = ws, f = from, co = 0, ct = 0;
    int primary = 0;
    std::string position, role;
    const std::string text = type == "company"
                                 ? "SELECT company_id, contact_id, position, decision_role, is_primary FROM "
                                   "company_contacts WHERE workspace_id = :ws AND company_id = :id"
                                 : "SELECT company_id, contact_id, position, decision_role, is_primary FROM "
                                   "company_contacts WHERE workspace_id = :ws AND contact_id = :id";
    std::vector<Link> links;
    {
        soci::statement st = (sql.prepare << text, soci::use(w, "ws"), soci::use(f, "id"), soci::into(co),
                              soci::into(ct), soci::into(position), soci::into(role), soci::into(primary));
        st.execute();
        while (st.fetch()) links.push_back({co, ct, position, role, primary != 0});
    }
    int moved = 0;
    for (Link l : links) {
        DeleteLink(sql, ws, l.company_id, l.contact_id);
        if (type == "company") {
            l.company_id = to;
        } else {
            l.contact_id = to;
        }
        if (SelectLink(sql, ws, l.company_id, l.contact_id)) continue;  // the survivor already has this link
        UpsertLink(sql, ws, l, now);
        ++moved;
    }
    return moved;
}

core::Id InsertField(soci::session& sql, const CustomField& f, core::Millis now) {
    long long ws = f.workspace_id, at = now, id = 0;
    Nullable stage(f.required_from_stage_id);
    int required = f.required ? 1 : 0, position = f.position;
    const std::string kind(FieldKindName(f.kind)), options = OptionsJson(f.options);
    sql << kInsertField, soci::use(ws, "ws"), soci::use(f.entity, "entity"), soci::use(f.code, "code"),
        soci::use(f.label_ru, "label_ru"), soci::use(f.label_en, "label_en"), soci::use(kind, "kind"),
        soci::use(options, "options"), soci::use(required, "required"), soci::use(stage.v, stage.ind, "stage"),
        soci::use(position, "position"), soci::use(at, "now"), soci::use(at, "now2"), soci::into(id);
    return id;
}

void UpdateField(soci::session& sql, const CustomField& f, core::Millis now) {
    long long ws = f.workspace_id, id = f.id, at = now;
    Nullable stage(f.required_from_stage_id), archived(f.archived_at);
    int required = f.required ? 1 : 0, position = f.position;
    const std::string options = OptionsJson(f.options);
    sql << kUpdateField, soci::use(f.label_ru, "label_ru"), soci::use(f.label_en, "label_en"),
        soci::use(options, "options"), soci::use(required, "required"), soci::use(stage.v, stage.ind, "stage"),
        soci::use(position, "position"), soci::use(archived.v, archived.ind, "archived"), soci::use(at, "now"),
        soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<CustomField> SelectField(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<FieldInto, CustomField>(sql, std::string(kFieldColumns) + "WHERE workspace_id = :ws AND id = :id",
                                              [&](soci::statement& st) {
                                                  st.exchange(soci::use(w, "ws"));
                                                  st.exchange(soci::use(k, "id"));
                                              });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

namespace {

constexpr const char* kListFieldsWhere =
    "WHERE workspace_id = :ws AND (:entity = '' OR entity = :entity2) AND (:inc = 1 OR archived_at IS NULL) "
    "ORDER BY entity, position, id";

/// The workspace's field definitions: every card written (one per import row) checks its custom values against
/// them, so the read is prepared once per connection.
struct ListFieldsStatement {
    long long ws = 0;
    int inc = 0;
    std::string entity;
    FieldInto into;
    soci::statement st;
    explicit ListFieldsStatement(soci::session& sql) : st(sql) {
        into.Bind(st);
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(entity, "entity"));
        st.exchange(soci::use(entity, "entity2"));
        st.exchange(soci::use(inc, "inc"));
        st.alloc();
        st.prepare(std::string(kFieldColumns) + kListFieldsWhere);
        st.define_and_bind();
    }
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::vector<CustomField> ListFields(soci::session& sql, core::Id ws, const std::string& entity, bool include_archived) {
    return db::WithPrepared<ListFieldsStatement>(sql, [&](ListFieldsStatement& q) {
        q.ws = ws;
        q.entity = entity;
        q.inc = include_archived ? 1 : 0;
        q.st.execute(false);
        std::vector<CustomField> out;
        while (q.st.fetch()) out.push_back(q.into.Row());
        return out;
    });
}

namespace {

/// Finding an event by its external reference and inserting one, prepared once per connection: intake and the
/// import's merged rows write one per item.
struct InsertEventStatements {
    long long ws = 0, sid = 0, at = 0, created = 0, id = 0, actor = 0;
    soci::indicator actor_ind = soci::i_null, ref_ind = soci::i_null;
    std::string type, kind, channel, summary, payload, ref;
    soci::statement find, insert;
    explicit InsertEventStatements(soci::session& sql)
        : find((sql.prepare << kFindEvent, soci::use(ws, "ws"), soci::use(channel, "channel"), soci::use(ref, "ref"),
                soci::into(id))),
          insert((sql.prepare << kInsertEvent, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(sid, "sid"),
                  soci::use(at, "at"), soci::use(kind, "kind"), soci::use(channel, "channel"),
                  soci::use(actor, actor_ind, "actor"), soci::use(summary, "summary"), soci::use(payload, "payload"),
                  soci::use(ref, ref_ind, "ref"), soci::use(created, "now"), soci::into(id))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, find);
        db::ResetStatement(sql, insert);
    }
};

}  // namespace

std::pair<core::Id, bool> InsertEvent(soci::session& sql, core::Id ws, const TimelineEvent& e, core::Millis now) {
    return db::WithPrepared<InsertEventStatements>(sql, [&](InsertEventStatements& q) -> std::pair<core::Id, bool> {
        q.ws = ws;
        q.channel = e.channel;
        db::SetNullable(e.external_ref, q.ref, q.ref_ind);
        if (e.external_ref && q.find.execute(true)) return {static_cast<core::Id>(q.id), false};
        q.type = e.subject_type;
        q.sid = e.subject_id;
        q.at = e.at;
        q.kind = e.kind;
        db::SetNullable(e.actor_user_id, q.actor, q.actor_ind);
        q.summary = e.summary;
        q.payload = e.payload;
        q.created = now;
        q.id = 0;
        q.insert.execute(true);
        return {static_cast<core::Id>(q.id), true};
    });
}

int RepointEvents(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to) {
    long long w = ws, f = from, t = to;
    soci::statement st = (sql.prepare << kRepointEvents, soci::use(t, "to"), soci::use(w, "ws"),
                          soci::use(type, "type"), soci::use(f, "from"));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
}

int RepointLeads(soci::session& sql, core::Id ws, const std::string& type, core::Id from, core::Id to) {
    long long w = ws, f = from, t = to;
    soci::statement st = (sql.prepare << (type == "company" ? kRepointLeadsCompany : kRepointLeadsContact),
                          soci::use(f, "from"), soci::use(t, "to"), soci::use(f, "from2"), soci::use(t, "to2"),
                          soci::use(w, "ws"), soci::use(f, "from3"), soci::use(f, "from4"));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
}

std::vector<TimelineRow> Timeline(soci::session& sql, core::Id ws,
                                  const std::vector<std::pair<std::string, std::vector<core::Id>>>& subjects,
                                  const std::optional<TimelineCursor>& cursor, int limit) {
    std::vector<TimelineRow> all;
    long long w = ws, lim = limit;
    for (int source : {0, 1}) {
        long long at = cursor ? cursor->at : INT64_MAX, bound = INT64_MAX;
        if (cursor) {
            if (source == cursor->source) {
                bound = cursor->id;
            } else if (source > cursor->source) {
                bound = 0;  // later sources sort first at an equal instant: already returned
            }
        }
        for (const auto& [type, ids] : subjects) {
            if (ids.empty()) continue;
            TimelineRow r;
            r.source = source;
            long long id = 0, rat = 0, sid = 0, actor = 0;
            soci::indicator actor_ind = soci::i_null;
            std::string kind, summary, payload, before, after, channel, actor_name;
            std::string text;
            if (source == 0) {
                text =
                    "SELECT a.id, a.at, a.action, '', COALESCE(CAST(a.before_json AS TEXT), ''), "
                    "COALESCE(CAST(a.after_json AS TEXT), ''), "
                    "a.object_id, 'audit', a.actor_user_id, COALESCE(u.full_name, '') FROM audit_log a LEFT JOIN users "
                    "u ON u.workspace_id = a.workspace_id AND u.id = a.actor_user_id WHERE a.workspace_id = :ws AND "
                    "a.object_type = :type AND a.object_id IN (" +
                    IdList(ids) +
                    ") AND (a.at < :at OR (a.at = :at2 AND a.id < :bound)) ORDER BY a.at DESC, a.id DESC LIMIT :lim";
            } else {
                text =
                    "SELECT e.id, e.at, e.kind, e.summary, CAST(e.payload AS TEXT), '', e.subject_id, e.channel, "
                    "e.actor_user_id, COALESCE(u.full_name, '') FROM timeline_events e LEFT JOIN users u ON "
                    "u.workspace_id = e.workspace_id AND u.id = e.actor_user_id WHERE e.workspace_id = :ws AND "
                    "e.subject_type = :type AND e.subject_id IN (" +
                    IdList(ids) +
                    ") AND (e.at < :at OR (e.at = :at2 AND e.id < :bound)) ORDER BY e.at DESC, e.id DESC LIMIT :lim";
            }
            soci::statement st =
                (sql.prepare << text, soci::use(w, "ws"), soci::use(type, "type"), soci::use(at, "at"),
                 soci::use(at, "at2"), soci::use(bound, "bound"), soci::use(lim, "lim"), soci::into(id),
                 soci::into(rat), soci::into(kind), soci::into(summary), soci::into(before), soci::into(after),
                 soci::into(sid), soci::into(channel), soci::into(actor, actor_ind), soci::into(actor_name));
            st.execute();
            while (st.fetch()) {
                TimelineRow row;
                row.source = source;
                row.id = id;
                row.at = rat;
                row.kind = kind;
                row.summary = summary;
                row.subject_type = type;
                row.subject_id = sid;
                row.channel = channel;
                row.actor_user_id = Opt<core::Id>(actor, actor_ind);
                row.actor_name = actor_name;
                if (source == 0) {
                    row.before_json = before;
                    row.after_json = after;
                } else {
                    row.payload = before;
                }
                all.push_back(std::move(row));
            }
        }
    }
    std::sort(all.begin(), all.end(), [](const TimelineRow& a, const TimelineRow& b) {
        if (a.at != b.at) return a.at > b.at;
        if (a.source != b.source) return a.source > b.source;
        return a.id > b.id;
    });
    if (static_cast<int>(all.size()) > limit) all.resize(limit);
    return all;
}

core::Id InsertMerge(soci::session& sql, core::Id ws, const std::string& type, core::Id survivor, core::Id merged,
                     std::optional<core::Id> actor, const std::string& snapshot, core::Millis now) {
    long long w = ws, s = survivor, m = merged, at = now, id = 0;
    Nullable a(actor);
    sql << kInsertMerge, soci::use(w, "ws"), soci::use(type, "type"), soci::use(s, "survivor"), soci::use(m, "merged"),
        soci::use(a.v, a.ind, "actor"), soci::use(snapshot, "snapshot"), soci::use(at, "now"), soci::into(id);
    return id;
}

std::vector<core::Id> MergedInto(soci::session& sql, core::Id ws, const std::string& type, core::Id survivor) {
    std::vector<core::Id> out;
    std::vector<core::Id> todo{survivor};
    std::set<core::Id> seen{survivor};
    long long w = ws;
    while (!todo.empty() && out.size() < 200) {
        long long k = todo.back(), m = 0;
        todo.pop_back();
        soci::statement st = (sql.prepare << kMergedInto, soci::use(w, "ws"), soci::use(type, "type"),
                              soci::use(k, "id"), soci::into(m));
        st.execute();
        std::vector<core::Id> found;
        while (st.fetch()) found.push_back(m);
        for (core::Id id : found)
            if (seen.insert(id).second) {
                out.push_back(id);
                todo.push_back(id);
            }
    }
    return out;
}

core::Id InsertView(soci::session& sql, core::Id ws, const SavedView& v, core::Millis now) {
    long long w = ws, at = now, id = 0;
    Nullable uid(v.user_id);
    sql << kInsertView, soci::use(w, "ws"), soci::use(v.entity, "entity"), soci::use(uid.v, uid.ind, "uid"),
        soci::use(v.name, "name"), soci::use(v.definition, "def"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::into(id);
    return id;
}

void UpdateView(soci::session& sql, core::Id ws, const SavedView& v, core::Millis now) {
    long long w = ws, id = v.id, at = now;
    Nullable uid(v.user_id);
    sql << kUpdateView, soci::use(v.name, "name"), soci::use(v.definition, "def"), soci::use(uid.v, uid.ind, "uid"),
        soci::use(at, "now"), soci::use(w, "ws"), soci::use(id, "id");
}

void DeleteView(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    sql << kDeleteView, soci::use(w, "ws"), soci::use(k, "id");
}

std::optional<SavedView> SelectView(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<ViewInto, SavedView>(sql, std::string(kViewColumns) + "WHERE workspace_id = :ws AND id = :id",
                                           [&](soci::statement& st) {
                                               st.exchange(soci::use(w, "ws"));
                                               st.exchange(soci::use(k, "id"));
                                           });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<SavedView> ListViews(soci::session& sql, core::Id ws, const std::string& entity, core::Id user_id) {
    long long w = ws, uid = user_id;
    return Fetch<ViewInto, SavedView>(sql,
                                      std::string(kViewColumns) +
                                          "WHERE workspace_id = :ws AND entity = :entity AND (user_id IS NULL OR "
                                          "user_id = :uid) ORDER BY name, id",
                                      [&](soci::statement& st) {
                                          st.exchange(soci::use(w, "ws"));
                                          st.exchange(soci::use(entity, "entity"));
                                          st.exchange(soci::use(uid, "uid"));
                                      });
}

namespace {

/// The search document's select-then-write, prepared once per pooled connection (every write of a card or lead).
struct SearchDocStatements {
    long long ws = 0, sid = 0, at = 0, doc = 0, owner = 0;
    soci::indicator owner_ind = soci::i_null;
    std::string type, title, body;
    soci::statement select, update, insert;
    explicit SearchDocStatements(soci::session& sql)
        : select((sql.prepare << kSelectDoc, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(sid, "sid"),
                  soci::into(doc))),
          update((sql.prepare << kUpdateDoc, soci::use(owner, owner_ind, "owner"), soci::use(title, "title"),
                  soci::use(body, "body"), soci::use(at, "now"), soci::use(ws, "ws"), soci::use(doc, "id"))),
          insert((sql.prepare << kInsertDoc, soci::use(ws, "ws"), soci::use(type, "type"), soci::use(sid, "sid"),
                  soci::use(owner, owner_ind, "owner"), soci::use(title, "title"), soci::use(body, "body"),
                  soci::use(at, "now"))) {}
    void Reset(soci::session& sql) {
        db::ResetStatement(sql, select);
        db::ResetStatement(sql, update);
        db::ResetStatement(sql, insert);
    }
};

}  // namespace

void UpsertSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id,
                     std::optional<core::Id> owner, const std::string& title, const std::string& body,
                     core::Millis now) {
    db::WithPrepared<SearchDocStatements>(sql, [&](SearchDocStatements& q) {
        q.ws = ws;
        q.type = type;
        q.sid = id;
        q.at = now;
        q.owner = owner.value_or(0);
        q.owner_ind = owner ? soci::i_ok : soci::i_null;
        q.title = title;
        q.body = body;
        q.doc = 0;
        if (q.select.execute(true)) {
            q.update.execute(true);
        } else {
            q.insert.execute(true);
        }
    });
}

void UpsertSearchDocs(soci::session& sql, const std::vector<SearchDocWrite>& docs) {
    // The last version of each subject, in the order of its last write.
    std::map<std::tuple<core::Id, std::string, core::Id>, std::size_t> last;
    for (std::size_t i = 0; i < docs.size(); ++i) last[{docs[i].ws, docs[i].type, docs[i].id}] = i;
    std::vector<const SearchDocWrite*> fresh;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const SearchDocWrite& d = docs[i];
        if (last.at({d.ws, d.type, d.id}) != i) continue;
        const bool updated = db::WithPrepared<SearchDocStatements>(sql, [&](SearchDocStatements& q) {
            q.ws = d.ws;
            q.type = d.type;
            q.sid = d.id;
            q.doc = 0;
            if (!q.select.execute(true)) return false;
            q.at = d.now;
            q.owner = d.owner.value_or(0);
            q.owner_ind = d.owner ? soci::i_ok : soci::i_null;
            q.title = d.title;
            q.body = d.text;
            q.update.execute(true);
            return true;
        });
        if (!updated) fresh.push_back(&d);
    }
    constexpr std::size_t kRowsPerInsert = 100;
    for (std::size_t from = 0; from < fresh.size(); from += kRowsPerInsert) {
        const std::size_t n = std::min(kRowsPerInsert, fresh.size() - from);
        std::vector<long long> ws(n), sid(n), owner(n), at(n);
        std::vector<soci::indicator> owner_ind(n);
        // Bound by position: SQLite looks every named parameter up in a list while compiling (quadratic in a long
        // VALUES list), so it gets plain `?`; SOCI turns PostgreSQL's `:p` into $1, $2, … in order.
        const bool sqlite = sql.get_backend_name() == "sqlite3";
        const std::string row = sqlite ? "(?, ?, ?, ?, ?, ?, ?)" : "(:p, :p, :p, :p, :p, :p, :p)";
        std::string text =
            "INSERT INTO search_docs (workspace_id, subject_type, subject_id, owner_user_id, title, body, updated_at) "
            "VALUES ";
        for (std::size_t k = 0; k < n; ++k) {
            text += (k ? ", " : "") + row;
            const SearchDocWrite& d = *fresh[from + k];
            ws[k] = d.ws;
            sid[k] = d.id;
            owner[k] = d.owner.value_or(0);
            owner_ind[k] = d.owner ? soci::i_ok : soci::i_null;
            at[k] = d.now;
        }
        soci::statement st(sql);
        st.alloc();
        st.prepare(text);
        for (std::size_t k = 0; k < n; ++k) {
            const SearchDocWrite& d = *fresh[from + k];
            st.exchange(soci::use(ws[k]));
            st.exchange(soci::use(d.type));
            st.exchange(soci::use(sid[k]));
            st.exchange(soci::use(owner[k], owner_ind[k]));
            st.exchange(soci::use(d.title));
            st.exchange(soci::use(d.text));
            st.exchange(soci::use(at[k]));
        }
        st.define_and_bind();
        st.execute(true);
    }
}

void RemoveSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id) {
    long long w = ws, sid = id;
    sql << kDeleteDoc, soci::use(w, "ws"), soci::use(type, "type"), soci::use(sid, "sid");
}

namespace {

// While alive, makes the SQLite statements of `sql` fail (SQLITE_INTERRUPT; soci throws) after about `steps`
// virtual machine steps; spent() tells that this budget, not something else, stopped the statement. An
// interrupted SELECT leaves the transaction as it was. Nothing on PostgreSQL.
class WorkBudget {
public:
    WorkBudget(soci::session& sql, int steps) : left_(steps / kStep) {
        if (sql.get_backend_name() != "sqlite3") return;
        auto* b = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
        if (!b || !b->conn_) return;
        conn_ = b->conn_;
        sqlite_api::sqlite3_progress_handler(conn_, kStep, &WorkBudget::Tick, this);
    }
    ~WorkBudget() {
        if (conn_) sqlite_api::sqlite3_progress_handler(conn_, 0, nullptr, nullptr);
    }
    WorkBudget(const WorkBudget&) = delete;
    WorkBudget& operator=(const WorkBudget&) = delete;
    bool spent() const { return spent_; }

private:
    static int Tick(void* self) {
        auto* w = static_cast<WorkBudget*>(self);
        if (--w->left_ > 0) return 0;
        w->spent_ = true;
        return 1;
    }
    static constexpr int kStep = 1000;
    sqlite_api::sqlite3* conn_ = nullptr;
    int left_ = 0;
    bool spent_ = false;
};

// Characters of a word (UTF-8 code points) when it is Cyrillic letters and digits only, else nullopt. FTS5's
// unicode61 tokenizer (remove_diacritics 2) folds Latin letters with marks ("müller" matches "muller") but no
// Cyrillic letter (й, ё stay), so for such a word "starts with it" on the stored tokens is exactly what FTS5
// matches; a word with Latin letters could match a stored token only after folding, which instr cannot see.
std::optional<std::vector<std::string>> PlainChars(const std::string& word) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < word.size();) {
        const unsigned char c = static_cast<unsigned char>(word[i]);
        if (c >= '0' && c <= '9') {
            out.push_back(word.substr(i, 1));
            ++i;
        } else if ((c == 0xD0 || c == 0xD1) && i + 1 < word.size()) {
            out.push_back(word.substr(i, 2));  // U+0400..U+047F
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::vector<SearchHit> RunSearch(soci::session& sql, const std::string& text, const std::string& m,
                                 const std::vector<std::pair<std::string, std::string>>& words, long long limit,
                                 const auth::Predicate& visible) {
    std::vector<SearchHit> out;
    std::string type, title, body, owner_name;
    long long id = 0, owner = 0, lim = limit;
    soci::indicator owner_ind = soci::i_null;
    soci::statement st(sql);
    st.exchange(soci::into(type));
    st.exchange(soci::into(id));
    st.exchange(soci::into(title));
    st.exchange(soci::into(body));
    st.exchange(soci::into(owner, owner_ind));
    st.exchange(soci::into(owner_name));
    st.exchange(soci::use(m, "m"));
    for (const auto& [name, value] : words) st.exchange(soci::use(value, name));
    visible.BindTo(st);
    st.exchange(soci::use(lim, "lim"));
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.push_back({type, id, title, body, Opt<core::Id>(owner, owner_ind), owner_name});
    return out;
}

}  // namespace

std::vector<SearchHit> Search(soci::session& sql, db::Engine engine, core::Id ws,
                              const std::vector<std::string>& tokens, bool companies, bool contacts, bool leads,
                              int limit, const auth::Predicate& visible) {
    (void)ws;  // the predicate restricts to the caller's workspace
    std::vector<SearchHit> out;
    if (tokens.empty()) return out;
    std::string types;
    for (auto [on, name] : {std::pair{companies, "'company'"}, {contacts, "'contact'"}, {leads, "'lead'"}}) {
        if (!on) continue;
        if (!types.empty()) types += ", ";
        types += name;
    }
    if (types.empty()) return out;
    std::string m;
    for (const auto& t : tokens) {
        if (!m.empty()) m += engine == db::Engine::kSqlite ? " " : " & ";
        // Tokens hold letters and digits only (SearchTokens), so quoting cannot be broken out of.
        m += engine == db::Engine::kSqlite ? "\"" + t + "\"*" : t + ":*";
    }
    if (engine == db::Engine::kSqlite) {
        // Long words as their first four characters plus a check of the whole word (kSearchSqliteShortPrefixes).
        std::string short_m, checks;
        std::vector<std::pair<std::string, std::string>> words;
        bool plain = true;
        for (const auto& t : tokens) {
            auto chars = PlainChars(t);
            if (!chars) {
                plain = false;
                break;
            }
            if (!short_m.empty()) short_m += " ";
            if (std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                // Digits (phones, INNs) keep their own prefix: every phone spelling is a term of its own, so
                // "8916"* stands for tens of thousands of terms and measured slower than "8916123"* itself.
                short_m += "\"" + t + "\"*";
                continue;
            }
            std::string head;
            for (std::size_t i = 0; i < chars->size() && i < 4; ++i) head += (*chars)[i];
            short_m += "\"" + head + "\"*";
            if (chars->size() > 4) {
                const std::string name = "w" + std::to_string(words.size());
                checks += (checks.empty() ? "" : " AND ") + std::string("instr(' ' || d.body, :") + name + ") > 0";
                words.push_back({name, " " + t});
            }
        }
        if (plain && !words.empty()) {
            std::string text = kSearchSqliteShortPrefixes;
            text.replace(text.find("{types}"), 7, types);
            text.replace(text.find("{words}"), 7, checks);
            WorkBudget budget(sql, kShortPrefixBudget);
            try {
                return RunSearch(sql, visible.Expand(text), short_m, words, limit, visible);
            } catch (const soci::soci_error&) {
                if (!budget.spent()) throw;
                // Too many candidates: the exact form below reads only the word's own postings.
            }
        }
    }
    std::string text = engine == db::Engine::kSqlite ? kSearchSqlite : kSearchPostgres;
    text.replace(text.find("{types}"), 7, types);
    return RunSearch(sql, visible.Expand(text), m, {}, limit, visible);
}

std::vector<core::Id> Reassign(soci::session& sql, core::Id ws, const std::string& type, core::Id from,
                               std::optional<core::Id> to, core::Millis now) {
    long long w = ws, f = from, at = now, id = 0;
    Nullable t(to);
    const std::string text = std::string("UPDATE ") + Table(type) +
                             " SET owner_user_id = :to, updated_at = :now WHERE workspace_id = :ws AND "
                             "owner_user_id = :from AND deleted_at IS NULL RETURNING id";
    std::vector<core::Id> ids;
    {
        soci::statement st = (sql.prepare << text, soci::use(t.v, t.ind, "to"), soci::use(at, "now"),
                              soci::use(w, "ws"), soci::use(f, "from"), soci::into(id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
    }
    soci::statement docs = (sql.prepare << kReassignDocs, soci::use(t.v, t.ind, "to"), soci::use(w, "ws"),
                            soci::use(type, "type"), soci::use(f, "from"));
    docs.execute(true);
    return ids;
}

}  // namespace otdel::clients::store
