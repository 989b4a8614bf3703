#include "imports/import_store.hpp"

#include <boost/json.hpp>

#include "imports/mapping.hpp"

namespace otdel::imports::store {
namespace json = boost::json;
namespace {

constexpr const char* kMappingColumns =
    "SELECT id, entity, name, builtin, definition, created_by, created_at, updated_at FROM import_mappings ";
constexpr const char* kInsertMapping =
    "INSERT INTO import_mappings (workspace_id, entity, name, builtin, definition, created_by, created_at, "
    "updated_at) VALUES (:ws, :entity, :name, :builtin, :definition, :by, :now, :now2) RETURNING id";
constexpr const char* kUpdateMapping =
    "UPDATE import_mappings SET name = :name, definition = :definition, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id AND builtin = 0";
constexpr const char* kDeleteMapping =
    "DELETE FROM import_mappings WHERE workspace_id = :ws AND id = :id AND builtin = 0";

constexpr const char* kImportColumns =
    "SELECT i.workspace_id, i.id, i.entity, i.file_name, i.stored_path, i.file_size, i.format, i.encoding, "
    "i.delimiter, i.mapping, i.mapping_id, i.dry_run, i.status, i.total_rows, i.processed_rows, i.created_rows, "
    "i.merged_rows, i.rejected_rows, i.error, i.created_by, i.created_at, i.started_at, i.finished_at, i.updated_at "
    "FROM imports i ";
constexpr const char* kInsertImport =
    "INSERT INTO imports (workspace_id, entity, file_name, stored_path, file_size, format, encoding, delimiter, "
    "mapping, status, created_by, created_at, updated_at) VALUES (:ws, :entity, :file_name, :path, :size, :format, "
    ":encoding, :delimiter, :mapping, :status, :by, :now, :now2) RETURNING id";
constexpr const char* kQueueImport =
    "UPDATE imports SET mapping = :mapping, mapping_id = :mapping_id, dry_run = :dry, status = 'queued', "
    "updated_at = :now WHERE workspace_id = :ws AND id = :id AND status = 'uploaded'";
constexpr const char* kSetRunning =
    "UPDATE imports SET status = 'running', started_at = COALESCE(started_at, :now), updated_at = :now2 "
    "WHERE workspace_id = :ws AND id = :id AND status IN ('queued', 'running')";
constexpr const char* kAdvance =
    "UPDATE imports SET processed_rows = :processed, created_rows = created_rows + :created, "
    "merged_rows = merged_rows + :merged, rejected_rows = rejected_rows + :rejected, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kFinish =
    "UPDATE imports SET status = :status, error = :error, total_rows = processed_rows, finished_at = :now, "
    "updated_at = :now2 WHERE workspace_id = :ws AND id = :id AND status IN ('queued', 'running')";
constexpr const char* kCancel =
    "UPDATE imports SET status = 'cancelled', finished_at = :now, updated_at = :now2 "
    "WHERE workspace_id = :ws AND id = :id AND status IN ('uploaded', 'queued', 'running')";
constexpr const char* kStatus = "SELECT status FROM imports WHERE workspace_id = :ws AND id = :id";
constexpr const char* kInsertReject =
    "INSERT INTO import_rejects (workspace_id, import_id, row_no, reasons, raw) VALUES (:ws, :imp, :row_no, :reasons, "
    ":raw)";
constexpr const char* kSelectRejects =
    "SELECT row_no, reasons, raw FROM import_rejects WHERE workspace_id = :ws AND import_id = :imp "
    "AND row_no > :after ORDER BY row_no LIMIT :lim";
constexpr const char* kUserByEmail =
    "SELECT id FROM users WHERE workspace_id = :ws AND LOWER(email) = LOWER(:v) AND status = 'active'";
constexpr const char* kUsersByName =
    "SELECT id FROM users WHERE workspace_id = :ws AND full_name = :v AND status = 'active' LIMIT 2";

template <class T>
std::optional<T> Opt(const T& v, soci::indicator ind) {
    return ind == soci::i_ok ? std::optional<T>(v) : std::nullopt;
}

struct MappingInto {
    long long id = 0, created_by = 0, created_at = 0, updated_at = 0;
    int builtin = 0;
    std::string entity, name, definition;
    soci::indicator by_ind = soci::i_null;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(entity));
        st.exchange(soci::into(name));
        st.exchange(soci::into(builtin));
        st.exchange(soci::into(definition));
        st.exchange(soci::into(created_by, by_ind));
        st.exchange(soci::into(created_at));
        st.exchange(soci::into(updated_at));
    }
    MappingRow Row() const {
        return MappingRow{id,         entity,    name, builtin != 0, definition, Opt<core::Id>(created_by, by_ind),
                          created_at, updated_at};
    }
};

struct ImportInto {
    long long ws = 0, id = 0, size = 0, mapping_id = 0, total = 0, processed = 0, created = 0, merged = 0, rejected = 0,
              by = 0, created_at = 0, started = 0, finished = 0, updated = 0;
    int dry = 0;
    std::string entity, file_name, path, format, encoding, delimiter, mapping, status, error;
    soci::indicator mapping_ind = soci::i_null, total_ind = soci::i_null, by_ind = soci::i_null,
                    started_ind = soci::i_null, finished_ind = soci::i_null;
    void Bind(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(entity));
        st.exchange(soci::into(file_name));
        st.exchange(soci::into(path));
        st.exchange(soci::into(size));
        st.exchange(soci::into(format));
        st.exchange(soci::into(encoding));
        st.exchange(soci::into(delimiter));
        st.exchange(soci::into(mapping));
        st.exchange(soci::into(mapping_id, mapping_ind));
        st.exchange(soci::into(dry));
        st.exchange(soci::into(status));
        st.exchange(soci::into(total, total_ind));
        st.exchange(soci::into(processed));
        st.exchange(soci::into(created));
        st.exchange(soci::into(merged));
        st.exchange(soci::into(rejected));
        st.exchange(soci::into(error));
        st.exchange(soci::into(by, by_ind));
        st.exchange(soci::into(created_at));
        st.exchange(soci::into(started, started_ind));
        st.exchange(soci::into(finished, finished_ind));
        st.exchange(soci::into(updated));
    }
    ImportRow Row() const {
        ImportRow r;
        r.workspace_id = ws;
        r.id = id;
        r.entity = entity;
        r.file_name = file_name;
        r.stored_path = path;
        r.file_size = size;
        r.format = format;
        r.encoding = encoding;
        r.delimiter = delimiter;
        r.mapping = mapping;
        r.mapping_id = Opt<core::Id>(mapping_id, mapping_ind);
        r.dry_run = dry != 0;
        r.status = status;
        r.total_rows = Opt<std::int64_t>(total, total_ind);
        r.processed_rows = processed;
        r.created_rows = created;
        r.merged_rows = merged;
        r.rejected_rows = rejected;
        r.error = error;
        r.created_by = Opt<core::Id>(by, by_ind);
        r.created_at = created_at;
        r.started_at = Opt<core::Millis>(started, started_ind);
        r.finished_at = Opt<core::Millis>(finished, finished_ind);
        r.updated_at = updated;
        return r;
    }
};

// Runs a prepared statement whose uses were added by `bind`, collecting every row.
template <class Into, class RowT, class BindUses>
std::vector<RowT> Fetch(soci::session& sql, const std::string& text, BindUses bind) {
    Into into;
    soci::statement st(sql);
    st.alloc();
    st.prepare(text);
    into.Bind(st);
    bind(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<RowT> out;
    while (st.fetch()) out.push_back(into.Row());
    return out;
}

}  // namespace

std::vector<MappingRow> ListMappings(soci::session& sql, core::Id ws, const std::string& entity) {
    long long w = ws;
    std::string e = entity;
    return Fetch<MappingInto, MappingRow>(
        sql, std::string(kMappingColumns) + "WHERE workspace_id = :ws AND entity = :entity ORDER BY builtin DESC, name",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(e, "entity"));
        });
}

std::optional<MappingRow> GetMapping(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<MappingInto, MappingRow>(
        sql, std::string(kMappingColumns) + "WHERE workspace_id = :ws AND id = :id", [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(k, "id"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<MappingRow> FindMappingByName(soci::session& sql, core::Id ws, const std::string& entity,
                                            const std::string& name) {
    long long w = ws;
    std::string e = entity, n = name;
    auto rows = Fetch<MappingInto, MappingRow>(
        sql, std::string(kMappingColumns) + "WHERE workspace_id = :ws AND entity = :entity AND name = :name",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(e, "entity"));
            st.exchange(soci::use(n, "name"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

core::Id InsertMapping(soci::session& sql, core::Id ws, const MappingRow& m, core::Millis now) {
    long long w = ws, at = now, id = 0, by = m.created_by.value_or(0);
    soci::indicator by_ind = m.created_by ? soci::i_ok : soci::i_null;
    int builtin = m.builtin ? 1 : 0;
    sql << kInsertMapping, soci::use(w, "ws"), soci::use(m.entity, "entity"), soci::use(m.name, "name"),
        soci::use(builtin, "builtin"), soci::use(m.definition, "definition"), soci::use(by, by_ind, "by"),
        soci::use(at, "now"), soci::use(at, "now2"), soci::into(id);
    return id;
}

bool UpdateMapping(soci::session& sql, core::Id ws, core::Id id, const std::string& name, const std::string& definition,
                   core::Millis now) {
    long long w = ws, k = id, at = now;
    soci::statement st = (sql.prepare << kUpdateMapping, soci::use(name, "name"), soci::use(definition, "definition"),
                          soci::use(at, "now"), soci::use(w, "ws"), soci::use(k, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

bool DeleteMapping(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    soci::statement st = (sql.prepare << kDeleteMapping, soci::use(w, "ws"), soci::use(k, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

int EnsureBuiltinMappings(soci::session& sql, core::Id ws, core::Millis now) {
    int added = 0;
    for (const auto& b : BuiltinMappings()) {
        const std::string entity(EntityName(b.entity));
        if (FindMappingByName(sql, ws, entity, b.name)) continue;
        json::object cols;
        for (const auto& [h, f] : b.columns) cols[h] = f;
        MappingRow m;
        m.entity = entity;
        m.name = b.name;
        m.builtin = true;
        m.definition = json::serialize(json::object{{"columns", cols}});
        InsertMapping(sql, ws, m, now);
        ++added;
    }
    return added;
}

core::Id InsertImport(soci::session& sql, const ImportRow& r, core::Millis now) {
    long long w = r.workspace_id, size = r.file_size, at = now, id = 0, by = r.created_by.value_or(0);
    soci::indicator by_ind = r.created_by ? soci::i_ok : soci::i_null;
    sql << kInsertImport, soci::use(w, "ws"), soci::use(r.entity, "entity"), soci::use(r.file_name, "file_name"),
        soci::use(r.stored_path, "path"), soci::use(size, "size"), soci::use(r.format, "format"),
        soci::use(r.encoding, "encoding"), soci::use(r.delimiter, "delimiter"), soci::use(r.mapping, "mapping"),
        soci::use(r.status, "status"), soci::use(by, by_ind, "by"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::into(id);
    return id;
}

std::optional<ImportRow> GetImport(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    auto rows = Fetch<ImportInto, ImportRow>(
        sql, std::string(kImportColumns) + "WHERE i.workspace_id = :ws AND i.id = :id", [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(k, "id"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<ImportRow> GetVisibleImport(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate& vis) {
    long long k = id;
    (void)ws;  // the predicate scopes by workspace
    auto rows = Fetch<ImportInto, ImportRow>(
        sql, vis.Expand(std::string(kImportColumns) + "WHERE {visible} AND i.id = :id"), [&](soci::statement& st) {
            st.exchange(soci::use(k, "id"));
            vis.BindTo(st);
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<ImportRow> ListImports(soci::session& sql, const auth::Predicate& vis, std::optional<core::Id> before_id,
                                   int limit) {
    long long before = before_id.value_or(INT64_MAX), lim = limit;
    return Fetch<ImportInto, ImportRow>(
        sql,
        vis.Expand(std::string(kImportColumns) + "WHERE {visible} AND i.id < :before ORDER BY i.id DESC LIMIT :lim"),
        [&](soci::statement& st) {
            st.exchange(soci::use(before, "before"));
            st.exchange(soci::use(lim, "lim"));
            vis.BindTo(st);
        });
}

std::optional<ImportRow> FindUnfinished(soci::session& sql, core::Id ws, const std::string& entity,
                                        const std::string& stored_path, std::int64_t file_size) {
    long long w = ws, size = file_size;
    std::string e = entity, p = stored_path;
    auto rows = Fetch<ImportInto, ImportRow>(
        sql,
        std::string(kImportColumns) +
            "WHERE i.workspace_id = :ws AND i.entity = :entity AND i.stored_path = :path AND i.file_size = :size "
            "AND i.status IN ('queued', 'running') ORDER BY i.id DESC LIMIT 1",
        [&](soci::statement& st) {
            st.exchange(soci::use(w, "ws"));
            st.exchange(soci::use(e, "entity"));
            st.exchange(soci::use(p, "path"));
            st.exchange(soci::use(size, "size"));
        });
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

bool QueueImport(soci::session& sql, core::Id ws, core::Id id, const std::string& mapping,
                 std::optional<core::Id> mapping_id, bool dry_run, core::Millis now) {
    long long w = ws, k = id, at = now, mid = mapping_id.value_or(0);
    soci::indicator mid_ind = mapping_id ? soci::i_ok : soci::i_null;
    int dry = dry_run ? 1 : 0;
    soci::statement st =
        (sql.prepare << kQueueImport, soci::use(mapping, "mapping"), soci::use(mid, mid_ind, "mapping_id"),
         soci::use(dry, "dry"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(k, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

void SetRunning(soci::session& sql, core::Id ws, core::Id id, core::Millis now) {
    long long w = ws, k = id, at = now;
    sql << kSetRunning, soci::use(at, "now"), soci::use(at, "now2"), soci::use(w, "ws"), soci::use(k, "id");
}

void AdvanceCheckpoint(soci::session& sql, core::Id ws, core::Id id, std::int64_t processed, std::int64_t created,
                       std::int64_t merged, std::int64_t rejected, core::Millis now) {
    long long w = ws, k = id, at = now, p = processed, c = created, m = merged, r = rejected;
    sql << kAdvance, soci::use(p, "processed"), soci::use(c, "created"), soci::use(m, "merged"),
        soci::use(r, "rejected"), soci::use(at, "now"), soci::use(w, "ws"), soci::use(k, "id");
}

void Finish(soci::session& sql, core::Id ws, core::Id id, const std::string& status, const std::string& error,
            core::Millis now) {
    long long w = ws, k = id, at = now;
    sql << kFinish, soci::use(status, "status"), soci::use(error, "error"), soci::use(at, "now"), soci::use(at, "now2"),
        soci::use(w, "ws"), soci::use(k, "id");
}

bool Cancel(soci::session& sql, core::Id ws, core::Id id, core::Millis now) {
    long long w = ws, k = id, at = now;
    soci::statement st =
        (sql.prepare << kCancel, soci::use(at, "now"), soci::use(at, "now2"), soci::use(w, "ws"), soci::use(k, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::string StatusOf(soci::session& sql, core::Id ws, core::Id id) {
    long long w = ws, k = id;
    std::string s;
    sql << kStatus, soci::use(w, "ws"), soci::use(k, "id"), soci::into(s);
    return sql.got_data() ? s : "";
}

void InsertRejects(soci::session& sql, core::Id ws, core::Id import_id, const std::vector<RejectRow>& rows) {
    if (rows.empty()) return;
    long long w = ws, imp = import_id, row_no = 0;
    std::string reasons, raw;
    soci::statement st = (sql.prepare << kInsertReject, soci::use(w, "ws"), soci::use(imp, "imp"),
                          soci::use(row_no, "row_no"), soci::use(reasons, "reasons"), soci::use(raw, "raw"));
    for (const auto& r : rows) {
        row_no = r.row_no;
        reasons = r.reasons;
        raw = r.raw;
        st.execute(true);
    }
}

std::vector<RejectRow> ListRejects(soci::session& sql, core::Id ws, core::Id import_id, std::int64_t after_row,
                                   int limit) {
    long long w = ws, imp = import_id, after = after_row, lim = limit, row_no = 0;
    std::string reasons, raw;
    soci::statement st =
        (sql.prepare << kSelectRejects, soci::use(w, "ws"), soci::use(imp, "imp"), soci::use(after, "after"),
         soci::use(lim, "lim"), soci::into(row_no), soci::into(reasons), soci::into(raw));
    st.execute(false);
    std::vector<RejectRow> out;
    while (st.fetch()) out.push_back({row_no, reasons, raw});
    return out;
}

std::optional<core::Id> FindUserForOwner(soci::session& sql, core::Id ws, const std::string& v) {
    long long w = ws, id = 0;
    sql << kUserByEmail, soci::use(w, "ws"), soci::use(v, "v"), soci::into(id);
    if (sql.got_data()) return id;
    soci::statement st = (sql.prepare << kUsersByName, soci::use(w, "ws"), soci::use(v, "v"), soci::into(id));
    st.execute(false);
    std::vector<long long> ids;
    while (st.fetch()) ids.push_back(id);
    if (ids.size() == 1) return ids.front();
    return std::nullopt;
}

}  // namespace otdel::imports::store
