#include "clients/clients_import_store.hpp"

#include "db/prepared.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "clients/clients_store.hpp"

namespace otdel::clients::store {
namespace {

// {keys} becomes ":k0, :k1, …" — generated placeholders, the values are always bound. {by_value} and the like name
// the index on SQLite (" INDEXED BY …"; nothing on PostgreSQL): SQLite plans with the statistics of the base as it
// was before the import (tiny tables, say) and for a long IN list would scan every point or company, or build a
// Bloom filter over a whole joined table, on each call. Liveness is a correlated lookup by primary key, no join.
constexpr const char* kPointHoldersCompany =
    "SELECT p.value, p.subject_id FROM contact_points p{by_value} WHERE p.workspace_id = :ws AND p.kind = :kind "
    "AND p.value IN ({keys}) AND p.subject_type = 'company' AND EXISTS (SELECT 1 FROM companies c "
    "WHERE c.workspace_id = p.workspace_id AND c.id = p.subject_id AND c.deleted_at IS NULL) ORDER BY p.id";
constexpr const char* kPointHoldersContact =
    "SELECT p.value, p.subject_id FROM contact_points p{by_value} WHERE p.workspace_id = :ws AND p.kind = :kind "
    "AND p.value IN ({keys}) AND p.subject_type = 'contact' AND EXISTS (SELECT 1 FROM contacts c "
    "WHERE c.workspace_id = p.workspace_id AND c.id = p.subject_id AND c.deleted_at IS NULL) ORDER BY p.id";
constexpr const char* kCompaniesByInns =
    "SELECT c.inn, c.id FROM companies c{by_inn} WHERE c.workspace_id = :ws AND c.inn IN ({keys}) "
    "AND c.deleted_at IS NULL ORDER BY c.id";
constexpr const char* kCompaniesByNames =
    "SELECT c.name, c.id FROM companies c{by_name} WHERE c.workspace_id = :ws AND c.name IN ({keys}) "
    "AND c.deleted_at IS NULL ORDER BY c.id";
const std::pair<const char*, const char*> kSqliteIndexes[] = {{"{by_value}", " INDEXED BY contact_points_value_idx"},
                                                              {"{by_inn}", " INDEXED BY companies_inn_idx"},
                                                              {"{by_name}", " INDEXED BY companies_name_idx"}};
constexpr const char* kInsertLink =
    "INSERT INTO company_contacts (workspace_id, company_id, contact_id, position, decision_role, is_primary, "
    "created_at) VALUES (:ws, :co, :ct, :position, :role, :primary, :now)";

// Set-based inserts: the rows arrive as one JSON array of arrays bound to :rows; each column is an element of the
// row's array, typed per engine (SQLite stores what ->> gives; PostgreSQL casts). 'i' integer, 's' small integer,
// 't' text, 'j' JSON (kept as text on SQLite, jsonb on PostgreSQL). :ws and :now are the same for every row.
struct BulkColumn {
    const char* name;
    char type;
};
constexpr BulkColumn kCompanyBulk[] = {{"id", 'i'},
                                       {"legal_form", 't'},
                                       {"name", 't'},
                                       {"full_name", 't'},
                                       {"inn", 't'},
                                       {"kpp", 't'},
                                       {"ogrn", 't'},
                                       {"legal_address", 't'},
                                       {"actual_address", 't'},
                                       {"bank_details", 'j'},
                                       {"financial_state", 't'},
                                       {"purchase_volume_minor", 'i'},
                                       {"currency", 't'},
                                       {"payment_discipline", 't'},
                                       {"preferences", 't'},
                                       {"notes", 't'},
                                       {"website", 't'},
                                       {"tags", 'j'},
                                       {"custom", 'j'},
                                       {"owner_user_id", 'i'},
                                       {"source_lead_id", 'i'},
                                       {"created_by", 'i'}};
constexpr BulkColumn kContactBulk[] = {{"id", 'i'},          {"last_name", 't'},     {"first_name", 't'},
                                       {"middle_name", 't'}, {"full_name", 't'},     {"birthday", 't'},
                                       {"preferences", 't'}, {"notes", 't'},         {"tags", 'j'},
                                       {"custom", 'j'},      {"owner_user_id", 'i'}, {"source_lead_id", 'i'},
                                       {"created_by", 'i'}};
constexpr BulkColumn kPointBulk[] = {{"subject_type", 't'}, {"subject_id", 'i'}, {"kind", 't'},      {"label", 't'},
                                     {"raw", 't'},          {"value", 't'},      {"is_primary", 's'}};
constexpr BulkColumn kLinkBulk[] = {
    {"company_id", 'i'}, {"contact_id", 'i'}, {"position", 't'}, {"decision_role", 't'}, {"is_primary", 's'}};
constexpr BulkColumn kDocBulk[] = {
    {"subject_type", 't'}, {"subject_id", 'i'}, {"owner_user_id", 'i'}, {"title", 't'}, {"body", 't'}};

// "INSERT INTO <table> (workspace_id, <columns>, <stamps>) SELECT :ws, <elements>, :now… FROM <the array>".
template <std::size_t N>
std::string BulkInsertText(bool sqlite, const char* table, const BulkColumn (&cols)[N],
                           std::initializer_list<const char*> stamps) {
    std::string names = "workspace_id", values = ":ws";
    for (std::size_t i = 0; i < N; ++i) {
        names += std::string(", ") + cols[i].name;
        const std::string at = std::to_string(i);
        if (sqlite) {
            values += ", r.value ->> " + at;
        } else {
            const char* cast = cols[i].type == 'i'   ? "BIGINT"
                               : cols[i].type == 's' ? "SMALLINT"
                               : cols[i].type == 'j' ? "JSONB"
                                                     : nullptr;
            values += cast ? ", CAST(r ->> " + at + " AS " + cast + ")" : ", r ->> " + at;
        }
    }
    int k = 0;
    for (const char* s : stamps) {
        names += std::string(", ") + s;
        values += ", :now" + std::to_string(k++);
    }
    return std::string("INSERT INTO ") + table + " (" + names + ") SELECT " + values +
           (sqlite ? " FROM json_each(:rows) r" : " FROM jsonb_array_elements(CAST(:rows AS JSONB)) r");
}

template <int Which>
struct BulkInsertStatement {
    long long ws = 0, at = 0;
    std::string rows;
    soci::statement st;
    static std::string Text(bool sqlite) {
        if constexpr (Which == 0)
            return BulkInsertText(sqlite, "companies", kCompanyBulk, {"created_at", "updated_at"});
        if constexpr (Which == 1) return BulkInsertText(sqlite, "contacts", kContactBulk, {"created_at", "updated_at"});
        if constexpr (Which == 2) return BulkInsertText(sqlite, "contact_points", kPointBulk, {"created_at"});
        if constexpr (Which == 3) return BulkInsertText(sqlite, "company_contacts", kLinkBulk, {"created_at"});
        return BulkInsertText(sqlite, "search_docs", kDocBulk, {"updated_at"});
    }
    static constexpr int kStamps = Which <= 1 ? 2 : 1;
    explicit BulkInsertStatement(soci::session& sql) : st(sql) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(rows, "rows"));
        st.exchange(soci::use(at, "now0"));
        if (kStamps > 1) st.exchange(soci::use(at, "now1"));
        st.alloc();
        st.prepare(Text(sql.get_backend_name() == "sqlite3"));
        st.define_and_bind();
    }
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

template <int Which>
void RunBulk(soci::session& sql, core::Id ws, const boost::json::array& rows, core::Millis now) {
    if (rows.empty()) return;
    db::WithPrepared<BulkInsertStatement<Which>>(sql, [&](BulkInsertStatement<Which>& q) {
        q.ws = ws;
        q.at = now;
        q.rows = boost::json::serialize(rows);
        q.st.execute(true);
    });
}

boost::json::value Text(const std::optional<std::string>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
boost::json::value Number(const std::optional<core::Id>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// Keys per statement: few enough for any engine's parameter limit, many enough to make the round trips rare.
constexpr std::size_t kChunk = 64;

// Runs `text` over `keys` in chunks; `kind` is bound when not empty. Results in the statement's order per chunk.
std::vector<KeyHolder> ByKeys(soci::session& sql, core::Id ws, const char* text, const std::string& kind,
                              const std::vector<std::string>& keys) {
    std::vector<KeyHolder> out;
    for (std::size_t from = 0; from < keys.size(); from += kChunk) {
        const std::size_t n = std::min(kChunk, keys.size() - from);
        std::string list;
        for (std::size_t i = 0; i < n; ++i) list += (i ? ", :k" : ":k") + std::to_string(i);
        std::string q = text;
        q.replace(q.find("{keys}"), 6, list);
        const bool sqlite = sql.get_backend_name() == "sqlite3";
        for (const auto& [mark, hint] : kSqliteIndexes)
            if (auto at = q.find(mark); at != std::string::npos)
                q.replace(at, std::string_view(mark).size(), sqlite ? hint : "");
        long long w = ws, id = 0;
        std::string key;
        soci::statement st(sql);
        st.exchange(soci::into(key));
        st.exchange(soci::into(id));
        st.exchange(soci::use(w, "ws"));
        if (!kind.empty()) st.exchange(soci::use(kind, "kind"));
        std::vector<std::string> names(n);
        for (std::size_t i = 0; i < n; ++i) {
            names[i] = "k" + std::to_string(i);
            st.exchange(soci::use(keys[from + i], names[i]));
        }
        st.alloc();
        st.prepare(q);
        st.define_and_bind();
        st.execute(false);
        while (st.fetch()) out.push_back({key, static_cast<core::Id>(id)});
    }
    return out;
}

struct InsertLinkStatement {
    long long ws = 0, co = 0, ct = 0, at = 0;
    int primary = 0;
    std::string position, role;
    soci::statement st;
    explicit InsertLinkStatement(soci::session& sql)
        : st((sql.prepare << kInsertLink, soci::use(ws, "ws"), soci::use(co, "co"), soci::use(ct, "ct"),
              soci::use(position, "position"), soci::use(role, "role"), soci::use(primary, "primary"),
              soci::use(at, "now"))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

std::vector<KeyHolder> FindPointHolders(soci::session& sql, core::Id ws, const std::string& type,
                                        const std::string& kind, const std::vector<std::string>& values) {
    return ByKeys(sql, ws, type == "company" ? kPointHoldersCompany : kPointHoldersContact, kind, values);
}

std::vector<KeyHolder> FindCompaniesByInns(soci::session& sql, core::Id ws, const std::vector<std::string>& inns) {
    return ByKeys(sql, ws, kCompaniesByInns, "", inns);
}

std::vector<KeyHolder> FindCompaniesByNames(soci::session& sql, core::Id ws, const std::vector<std::string>& names) {
    return ByKeys(sql, ws, kCompaniesByNames, "", names);
}

void InsertSearchDocs(soci::session& sql, core::Id ws, const std::vector<NewSearchDoc>& docs, core::Millis now) {
    boost::json::array rows;
    rows.reserve(docs.size());
    for (const auto& d : docs) rows.push_back(boost::json::array{d.type, d.id, Number(d.owner), d.title, d.body});
    RunBulk<4>(sql, ws, rows, now);
}

std::vector<core::Id> AllocateIds(soci::session& sql, const std::string& table, std::size_t n, core::Id after) {
    std::vector<core::Id> ids;
    if (n == 0) return ids;
    ids.reserve(n);
    // `table` is one of two names chosen by the caller's code, never input.
    const std::string t = table == "companies" ? "companies" : "contacts";
    long long v = 0;
    if (sql.get_backend_name() == "sqlite3") {
        sql << "SELECT COALESCE(MAX(id), 0) FROM " + t, soci::into(v);
        v = std::max<long long>(v, after);
        for (std::size_t i = 1; i <= n; ++i) ids.push_back(static_cast<core::Id>(v) + static_cast<core::Id>(i));
        return ids;
    }
    long long count = static_cast<long long>(n);
    soci::statement st =
        (sql.prepare << "SELECT nextval(pg_get_serial_sequence('" + t + "', 'id')) FROM generate_series(1, :n)",
         soci::use(count, "n"), soci::into(v));
    st.execute(false);
    while (st.fetch()) ids.push_back(static_cast<core::Id>(v));
    std::sort(ids.begin(), ids.end());
    return ids;
}

void InsertCompanies(soci::session& sql, core::Id ws, const std::vector<Company>& list, core::Millis now) {
    boost::json::array rows;
    rows.reserve(list.size());
    for (const auto& c : list) {
        rows.push_back(boost::json::array{c.id,
                                          c.legal_form,
                                          c.name,
                                          c.full_name,
                                          Text(c.inn),
                                          Text(c.kpp),
                                          Text(c.ogrn),
                                          c.legal_address,
                                          c.actual_address,
                                          BankText(c.bank),
                                          c.financial_state,
                                          Number(c.purchase_volume_minor),
                                          c.currency,
                                          c.payment_discipline,
                                          c.preferences,
                                          c.notes,
                                          c.website,
                                          TagsText(c.tags),
                                          c.custom_json,
                                          Number(c.owner_user_id),
                                          Number(c.source_lead_id),
                                          Number(c.created_by)});
    }
    RunBulk<0>(sql, ws, rows, now);
}

void InsertContacts(soci::session& sql, core::Id ws, const std::vector<Contact>& list, core::Millis now) {
    boost::json::array rows;
    rows.reserve(list.size());
    for (const auto& c : list) {
        rows.push_back(boost::json::array{c.id, c.last_name, c.first_name, c.middle_name, c.full_name, Text(c.birthday),
                                          c.preferences, c.notes, TagsText(c.tags), c.custom_json,
                                          Number(c.owner_user_id), Number(c.source_lead_id), Number(c.created_by)});
    }
    RunBulk<1>(sql, ws, rows, now);
}

void InsertPoints(soci::session& sql, core::Id ws, const std::vector<NewPoint>& list, core::Millis now) {
    // In key order: the (workspace, kind, value) index takes them as an ordered run instead of random probes.
    std::vector<const NewPoint*> sorted;
    sorted.reserve(list.size());
    for (const auto& p : list) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const NewPoint* a, const NewPoint* b) {
        return std::tie(a->point.kind, a->point.value) < std::tie(b->point.kind, b->point.value);
    });
    boost::json::array rows;
    rows.reserve(list.size());
    for (const NewPoint* p : sorted) {
        rows.push_back(boost::json::array{p->subject_type, p->subject_id, p->point.kind, p->point.label, p->point.raw,
                                          p->point.value, p->point.is_primary ? 1 : 0});
    }
    RunBulk<2>(sql, ws, rows, now);
}

void InsertLinks(soci::session& sql, core::Id ws, const std::vector<Link>& list, core::Millis now) {
    boost::json::array rows;
    rows.reserve(list.size());
    for (const auto& l : list)
        rows.push_back(
            boost::json::array{l.company_id, l.contact_id, l.position, l.decision_role, l.is_primary ? 1 : 0});
    RunBulk<3>(sql, ws, rows, now);
}

void InsertNewLink(soci::session& sql, core::Id ws, const Link& l, core::Millis now) {
    db::WithPrepared<InsertLinkStatement>(sql, [&](InsertLinkStatement& q) {
        q.ws = ws;
        q.co = l.company_id;
        q.ct = l.contact_id;
        q.position = l.position;
        q.role = l.decision_role;
        q.primary = l.is_primary ? 1 : 0;
        q.at = now;
        q.st.execute(true);
    });
}

}  // namespace otdel::clients::store
