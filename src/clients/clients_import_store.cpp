#include "clients/clients_import_store.hpp"

#include "db/prepared.hpp"

#include <string_view>
#include <utility>

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

constexpr const char* kInsertDocsHead =
    "INSERT INTO search_docs (workspace_id, subject_type, subject_id, owner_user_id, title, body, updated_at) VALUES ";
// One row of kInsertDocsHead; {i} becomes the row's number in the statement.
constexpr const char* kInsertDocsRow = "(:ws{i}, :type{i}, :sid{i}, :owner{i}, :title{i}, :body{i}, :now{i})";
constexpr std::size_t kDocsPerInsert = 25;

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
    for (std::size_t from = 0; from < docs.size(); from += kDocsPerInsert) {
        const std::size_t n = std::min(kDocsPerInsert, docs.size() - from);
        std::string q = kInsertDocsHead;
        for (std::size_t i = 0; i < n; ++i) {
            std::string row = kInsertDocsRow;
            for (std::size_t at; (at = row.find("{i}")) != std::string::npos;) row.replace(at, 3, std::to_string(i));
            if (i) q += ", ";
            q += row;
        }
        long long w = ws, at = now;
        std::vector<long long> sid(n), owner(n);
        std::vector<soci::indicator> owner_ind(n);
        std::vector<std::string> names;
        names.reserve(n * 7);
        soci::statement st(sql);
        for (std::size_t i = 0; i < n; ++i) {
            const NewSearchDoc& d = docs[from + i];
            const std::string k = std::to_string(i);
            sid[i] = d.id;
            owner[i] = d.owner.value_or(0);
            owner_ind[i] = d.owner ? soci::i_ok : soci::i_null;
            names.push_back("ws" + k);
            st.exchange(soci::use(w, names.back()));
            names.push_back("now" + k);
            st.exchange(soci::use(at, names.back()));
            names.push_back("type" + k);
            st.exchange(soci::use(d.type, names.back()));
            names.push_back("sid" + k);
            st.exchange(soci::use(sid[i], names.back()));
            names.push_back("owner" + k);
            st.exchange(soci::use(owner[i], owner_ind[i], names.back()));
            names.push_back("title" + k);
            st.exchange(soci::use(d.title, names.back()));
            names.push_back("body" + k);
            st.exchange(soci::use(d.body, names.back()));
        }
        st.alloc();
        st.prepare(q);
        st.define_and_bind();
        st.execute(true);
    }
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
