#include "clients/clients_import_store.hpp"

#include "db/prepared.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <iterator>
#include <stdexcept>
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

boost::json::value Number(const std::optional<core::Id>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// The record inserts take each row's values column by column (in the order of the table's BulkColumn list) through
// one of two sinks: on SQLite a prepared single-row INSERT run once per row (no round trips there, and decoding the
// rows from a JSON array with json_each and ->> per column cost more than stepping the statement: the contacts insert
// takes about 40 % less CPU so, bench/results/import.md), on PostgreSQL one row of the JSON array of the set-based
// statement (one round trip per table and batch).
template <int Which>
constexpr std::pair<const BulkColumn*, std::size_t> ColumnsOf() {
    if constexpr (Which == 0) return {kCompanyBulk, std::size(kCompanyBulk)};
    if constexpr (Which == 1) return {kContactBulk, std::size(kContactBulk)};
    if constexpr (Which == 2) return {kPointBulk, std::size(kPointBulk)};
    if constexpr (Which == 3) return {kLinkBulk, std::size(kLinkBulk)};
    return {kDocBulk, std::size(kDocBulk)};
}

template <int Which>
struct RowInsertStatement {
    static constexpr std::size_t kMaxColumns = std::size(kCompanyBulk);
    static constexpr std::size_t kColumns = ColumnsOf<Which>().second;
    static_assert(kColumns <= kMaxColumns);
    long long ws = 0, at = 0;
    std::array<long long, kMaxColumns> ints{};
    std::array<std::string, kMaxColumns> texts;
    std::array<soci::indicator, kMaxColumns> inds{};
    std::size_t next = 0;  // the column the next value goes to
    soci::statement st;

    explicit RowInsertStatement(soci::session& sql) : st(sql) {
        const auto [cols, n] = ColumnsOf<Which>();
        const char* table = Which == 0   ? "companies"
                            : Which == 1 ? "contacts"
                            : Which == 2 ? "contact_points"
                                         : "company_contacts";
        std::string names = "workspace_id", values = ":ws";
        st.exchange(soci::use(ws, "ws"));
        for (std::size_t i = 0; i < n; ++i) {
            const std::string at_name = "c" + std::to_string(i);
            names += std::string(", ") + cols[i].name;
            values += ", :" + at_name;
            if (cols[i].type == 'i' || cols[i].type == 's') {
                st.exchange(soci::use(ints[i], inds[i], at_name));
            } else {
                st.exchange(soci::use(texts[i], inds[i], at_name));
            }
        }
        names += ", created_at";
        values += ", :now0";
        st.exchange(soci::use(at, "now0"));
        if (Which <= 1) {
            names += ", updated_at";
            values += ", :now1";
            st.exchange(soci::use(at, "now1"));
        }
        st.alloc();
        st.prepare(std::string("INSERT INTO ") + table + " (" + names + ") VALUES (" + values + ")");
        st.define_and_bind();
    }
    void Text(const std::string& v) {
        texts[next] = v;
        inds[next++] = soci::i_ok;
    }
    void Text(const std::optional<std::string>& v) {
        if (v) return Text(*v);
        texts[next].clear();
        inds[next++] = soci::i_null;
    }
    void Int(long long v) {
        ints[next] = v;
        inds[next++] = soci::i_ok;
    }
    void Int(const std::optional<core::Id>& v) {
        if (v) return Int(static_cast<long long>(*v));
        ints[next] = 0;
        inds[next++] = soci::i_null;
    }
    void Run() {
        if (next != kColumns) throw std::logic_error("row insert: wrong number of values");
        next = 0;
        st.execute(true);
    }
    void Reset(soci::session& sql) {
        next = 0;
        db::ResetStatement(sql, st);
    }
};

// A row of the JSON array the set-based statement reads (PostgreSQL).
struct JsonRow {
    boost::json::array a;
    void Text(const std::string& v) { a.emplace_back(v); }
    void Text(const std::optional<std::string>& v) {
        a.push_back(v ? boost::json::value(*v) : boost::json::value(nullptr));
    }
    void Int(long long v) { a.emplace_back(v); }
    void Int(const std::optional<core::Id>& v) { a.push_back(Number(v)); }
};

// Inserts `list`, `cells(sink, item)` giving each item's values.
template <int Which, class List, class Cells>
void InsertRows(soci::session& sql, core::Id ws, const List& list, core::Millis now, Cells cells) {
    if (list.empty()) return;
    if (sql.get_backend_name() == "sqlite3") {
        db::WithPrepared<RowInsertStatement<Which>>(sql, [&](RowInsertStatement<Which>& q) {
            q.ws = ws;
            q.at = now;
            for (const auto& item : list) {
                cells(q, item);
                q.Run();
            }
        });
        return;
    }
    boost::json::array rows;
    rows.reserve(list.size());
    for (const auto& item : list) {
        JsonRow r;
        cells(r, item);
        rows.push_back(std::move(r.a));
    }
    RunBulk<Which>(sql, ws, rows, now);
}

// Keys per statement: few enough for any engine's parameter limit, many enough to make the round trips rare.
constexpr std::size_t kChunk = 64;

// The statement of one lookup (Q: 0 points of companies, 1 points of contacts, 2 INNs, 3 names) over a full chunk
// of keys, prepared once per connection: a shorter chunk repeats its last key (IN takes each row once), so every
// call of a batch reuses the one compiled statement instead of compiling one per chunk.
template <int Q>
struct ByKeysStatement {
    long long ws = 0, id = 0;
    std::string kind, key;
    std::array<std::string, kChunk> keys;
    soci::statement st;
    explicit ByKeysStatement(soci::session& sql) : st(sql) {
        const char* text = Q == 0   ? kPointHoldersCompany
                           : Q == 1 ? kPointHoldersContact
                           : Q == 2 ? kCompaniesByInns
                                    : kCompaniesByNames;
        std::string list;
        for (std::size_t i = 0; i < kChunk; ++i) list += (i ? ", :k" : ":k") + std::to_string(i);
        std::string q = text;
        q.replace(q.find("{keys}"), 6, list);
        const bool sqlite = sql.get_backend_name() == "sqlite3";
        for (const auto& [mark, hint] : kSqliteIndexes)
            if (auto at = q.find(mark); at != std::string::npos)
                q.replace(at, std::string_view(mark).size(), sqlite ? hint : "");
        st.exchange(soci::into(key));
        st.exchange(soci::into(id));
        st.exchange(soci::use(ws, "ws"));
        if (Q <= 1) st.exchange(soci::use(kind, "kind"));
        for (std::size_t i = 0; i < kChunk; ++i) st.exchange(soci::use(keys[i], "k" + std::to_string(i)));
        st.alloc();
        st.prepare(q);
        st.define_and_bind();
    }
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

// Runs lookup Q over `keys` in chunks; `kind` is bound for the point lookups. Results in the statement's order per
// chunk.
template <int Q>
std::vector<KeyHolder> ByKeys(soci::session& sql, core::Id ws, const std::string& kind,
                              const std::vector<std::string>& keys) {
    std::vector<KeyHolder> out;
    if (keys.empty()) return out;
    db::WithPrepared<ByKeysStatement<Q>>(sql, [&](ByKeysStatement<Q>& q) {
        q.ws = ws;
        q.kind = kind;
        for (std::size_t from = 0; from < keys.size(); from += kChunk) {
            const std::size_t n = std::min(kChunk, keys.size() - from);
            for (std::size_t i = 0; i < kChunk; ++i) q.keys[i] = keys[from + std::min(i, n - 1)];
            q.st.execute(false);
            while (q.st.fetch()) out.push_back({q.key, static_cast<core::Id>(q.id)});
        }
    });
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
    return type == "company" ? ByKeys<0>(sql, ws, kind, values) : ByKeys<1>(sql, ws, kind, values);
}

std::vector<KeyHolder> FindCompaniesByInns(soci::session& sql, core::Id ws, const std::vector<std::string>& inns) {
    return ByKeys<2>(sql, ws, "", inns);
}

std::vector<KeyHolder> FindCompaniesByNames(soci::session& sql, core::Id ws, const std::vector<std::string>& names) {
    return ByKeys<3>(sql, ws, "", names);
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
    InsertRows<0>(sql, ws, list, now, [](auto& r, const Company& c) {
        r.Int(c.id);
        r.Text(c.legal_form);
        r.Text(c.name);
        r.Text(c.full_name);
        r.Text(c.inn);
        r.Text(c.kpp);
        r.Text(c.ogrn);
        r.Text(c.legal_address);
        r.Text(c.actual_address);
        r.Text(BankText(c.bank));
        r.Text(c.financial_state);
        r.Int(c.purchase_volume_minor);
        r.Text(c.currency);
        r.Text(c.payment_discipline);
        r.Text(c.preferences);
        r.Text(c.notes);
        r.Text(c.website);
        r.Text(TagsText(c.tags));
        r.Text(c.custom_json);
        r.Int(c.owner_user_id);
        r.Int(c.source_lead_id);
        r.Int(c.created_by);
    });
}

void InsertContacts(soci::session& sql, core::Id ws, const std::vector<Contact>& list, core::Millis now) {
    InsertRows<1>(sql, ws, list, now, [](auto& r, const Contact& c) {
        r.Int(c.id);
        r.Text(c.last_name);
        r.Text(c.first_name);
        r.Text(c.middle_name);
        r.Text(c.full_name);
        r.Text(c.birthday);
        r.Text(c.preferences);
        r.Text(c.notes);
        r.Text(TagsText(c.tags));
        r.Text(c.custom_json);
        r.Int(c.owner_user_id);
        r.Int(c.source_lead_id);
        r.Int(c.created_by);
    });
}

void InsertPoints(soci::session& sql, core::Id ws, const std::vector<NewPoint>& list, core::Millis now) {
    // In key order: the (workspace, kind, value) index takes them as an ordered run instead of random probes.
    std::vector<const NewPoint*> sorted;
    sorted.reserve(list.size());
    for (const auto& p : list) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const NewPoint* a, const NewPoint* b) {
        return std::tie(a->point.kind, a->point.value) < std::tie(b->point.kind, b->point.value);
    });
    InsertRows<2>(sql, ws, sorted, now, [](auto& r, const NewPoint* p) {
        r.Text(p->subject_type);
        r.Int(p->subject_id);
        r.Text(p->point.kind);
        r.Text(p->point.label);
        r.Text(p->point.raw);
        r.Text(p->point.value);
        r.Int(p->point.is_primary ? 1 : 0);
    });
}

void InsertLinks(soci::session& sql, core::Id ws, const std::vector<Link>& list, core::Millis now) {
    InsertRows<3>(sql, ws, list, now, [](auto& r, const Link& l) {
        r.Int(l.company_id);
        r.Int(l.contact_id);
        r.Text(l.position);
        r.Text(l.decision_role);
        r.Int(l.is_primary ? 1 : 0);
    });
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
