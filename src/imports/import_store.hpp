#pragma once
/// SQL of the imports room: saved mappings, import runs (progress and checkpoint) and rejected rows. Every
/// statement is scoped by workspace; lists of runs go through the visibility predicate on `created_by`.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::imports::store {

struct MappingRow {
    core::Id id = 0;
    std::string entity, name;
    bool builtin = false;
    std::string definition;  // {"columns": {...}}
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
};

struct ImportRow {
    core::Id workspace_id = 0, id = 0;
    std::string entity, file_name, stored_path;
    std::int64_t file_size = 0;
    std::string format, encoding, delimiter;
    std::string mapping = "{}";
    std::optional<core::Id> mapping_id;
    bool dry_run = false;
    std::string status = "uploaded";
    std::optional<std::int64_t> total_rows;
    std::int64_t processed_rows = 0, created_rows = 0, merged_rows = 0, rejected_rows = 0;
    std::string error;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0;
    std::optional<core::Millis> started_at, finished_at;
    core::Millis updated_at = 0;
};

struct RejectRow {
    std::int64_t row_no = 0;
    std::string reasons;  // JSON array of {"field","code","param"}
    std::string raw;      // JSON array of strings
};

// --- mappings
std::vector<MappingRow> ListMappings(soci::session& sql, core::Id ws, const std::string& entity);
std::optional<MappingRow> GetMapping(soci::session& sql, core::Id ws, core::Id id);
std::optional<MappingRow> FindMappingByName(soci::session& sql, core::Id ws, const std::string& entity,
                                            const std::string& name);
core::Id InsertMapping(soci::session& sql, core::Id ws, const MappingRow& m, core::Millis now);
bool UpdateMapping(soci::session& sql, core::Id ws, core::Id id, const std::string& name, const std::string& definition,
                   core::Millis now);
bool DeleteMapping(soci::session& sql, core::Id ws, core::Id id);
/// Inserts the ready mappings the workspace lacks (by entity and name); returns how many were added.
int EnsureBuiltinMappings(soci::session& sql, core::Id ws, core::Millis now);

// --- runs
core::Id InsertImport(soci::session& sql, const ImportRow& r, core::Millis now);
std::optional<ImportRow> GetImport(soci::session& sql, core::Id ws, core::Id id);
/// The same, only when the predicate (over created_by) lets the caller see it.
std::optional<ImportRow> GetVisibleImport(soci::session& sql, core::Id ws, core::Id id, const auth::Predicate& vis);
std::vector<ImportRow> ListImports(soci::session& sql, const auth::Predicate& vis, std::optional<core::Id> before_id,
                                   int limit);
/// An unfinished import of the same file (path and size) and entity: the CLI resumes it.
std::optional<ImportRow> FindUnfinished(soci::session& sql, core::Id ws, const std::string& entity,
                                        const std::string& stored_path, std::int64_t file_size);
/// Sets mapping, dry-run flag and status 'queued' when the run is 'uploaded'; false otherwise.
bool QueueImport(soci::session& sql, core::Id ws, core::Id id, const std::string& mapping,
                 std::optional<core::Id> mapping_id, bool dry_run, core::Millis now);
void SetRunning(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
/// The checkpoint: counters and processed_rows move forward together, in the batch's transaction.
void AdvanceCheckpoint(soci::session& sql, core::Id ws, core::Id id, std::int64_t processed, std::int64_t created,
                       std::int64_t merged, std::int64_t rejected, core::Millis now);
void Finish(soci::session& sql, core::Id ws, core::Id id, const std::string& status, const std::string& error,
            core::Millis now);
/// Cancels a run that has not finished; false when it had.
bool Cancel(soci::session& sql, core::Id ws, core::Id id, core::Millis now);
std::string StatusOf(soci::session& sql, core::Id ws, core::Id id);

// --- rejected rows
void InsertRejects(soci::session& sql, core::Id ws, core::Id import_id, const std::vector<RejectRow>& rows);
/// Rejects in row order after `after_row`, at most `limit`.
std::vector<RejectRow> ListRejects(soci::session& sql, core::Id ws, core::Id import_id, std::int64_t after_row,
                                   int limit);

/// Users of the workspace by e-mail (case-insensitive) or by full name, for owner columns. nullopt when none or
/// when a name is ambiguous.
std::optional<core::Id> FindUserForOwner(soci::session& sql, core::Id ws, const std::string& email_or_name);

}  // namespace otdel::imports::store
