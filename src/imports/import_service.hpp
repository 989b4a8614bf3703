#pragma once
/// ImportService (PLAT-3 import part): upload and preview, saved and ready-made mappings, starting a run as a
/// durable job, progress, the error report, cancelling, and the same pipeline synchronously for `otdel import`.
/// Permissions: uploading and starting need "create" on the entity's object ("client" for companies and contacts,
/// "lead"); giving rows to another owner needs "assign"; runs are seen through the visibility predicate over their
/// author (an administrator sees all, a head their team's, a seller their own); others answer 404.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "imports/import_runner.hpp"
#include "imports/import_store.hpp"
#include "imports/mapping.hpp"
#include "imports/row_reader.hpp"

namespace otdel::jobs {
class Scheduler;
}
namespace otdel::leads {
class LeadIntake;
}

namespace otdel::imports {

struct ImportsConfig {
    /// Where uploaded files are kept (one sub-directory per workspace).
    std::string dir = "var/imports";
    /// Larger uploads are refused with 413 (the server reads bodies of POST /api/v1/imports up to this size).
    std::int64_t max_upload_bytes = 100LL << 20;
    int batch_size = 5000;
    XlsxLimits xlsx;
};

inline constexpr int kPreviewRows = 20;

struct Upload {
    store::ImportRow run;
    std::vector<std::string> headers;
    std::vector<Row> preview;
    ColumnMap suggested;
};

struct StartInput {
    std::optional<ColumnMap> columns;
    std::optional<core::Id> mapping_id;
    bool dry_run = false;
    std::optional<std::string> save_mapping_as;
};

struct CliImport {
    std::string entity;  // clients | companies | contacts | leads
    std::string file;
    std::string mapping;  // a saved or ready mapping's name; "auto" suggests from the headers
    bool dry_run = false;
    std::string workspace_slug;  // "" = the only (first) workspace
    std::string as_email;        // "" = the workspace's first administrator
};

class ImportService {
public:
    ImportService(db::Database& db, const core::Clock& clock, leads::LeadIntake& intake, ImportsConfig config);

    core::Result<Upload> UploadFile(const core::Actor& a, const std::string& entity, const std::string& file_name,
                                    const std::string& encoding, const std::string& bytes);
    core::Result<store::ImportRow> Start(const core::Actor& a, core::Id id, const StartInput& in);
    core::Result<store::ImportRow> Get(const core::Actor& a, core::Id id);
    core::Result<std::vector<store::ImportRow>> List(const core::Actor& a, std::optional<core::Id> before, int limit);
    core::Result<store::ImportRow> Cancel(const core::Actor& a, core::Id id);
    /// The error report: UTF-8 CSV with a BOM — row number, reasons in `lang`, then the row's original cells
    /// (formula-like cells neutralised).
    core::Result<std::string> ErrorReport(const core::Actor& a, core::Id id, core::Lang lang);

    core::Result<std::vector<store::MappingRow>> ListMappings(const core::Actor& a, const std::string& entity);
    core::Result<store::MappingRow> CreateMapping(const core::Actor& a, const std::string& entity,
                                                  const std::string& name, const ColumnMap& columns);
    core::Result<store::MappingRow> UpdateMapping(const core::Actor& a, core::Id id,
                                                  const std::optional<std::string>& name,
                                                  const std::optional<ColumnMap>& columns);
    core::Result<void> DeleteMapping(const core::Actor& a, core::Id id);

    /// The job that runs imports ("import.run"): registered on the scheduler, woken by Start.
    void AttachScheduler(jobs::Scheduler& scheduler);
    /// Runs (or resumes) a run now, on the calling thread.
    core::Result<store::ImportRow> RunNow(core::Id ws, core::Id id, RunOptions options);

    /// `otdel import`: resolves workspace, user and mapping, resumes an unfinished run of the same file or starts a
    /// new one, runs it with a progress line on stderr. Returns the process exit code.
    int RunCli(const CliImport& args, std::optional<int> stop_after_batches = std::nullopt);

    /// /api/v1/imports…
    void Register(http::Router& router);

    const ImportsConfig& config() const { return config_; }

private:
    core::Result<void> MayCreate(soci::session& sql, const core::Actor& a, Entity e) const;

    db::Database& db_;
    const core::Clock& clock_;
    ImportsConfig config_;
    ImportRunner runner_;
    jobs::Scheduler* scheduler_ = nullptr;
};

/// {"columns": {...}} of a column map, and back (nullopt when the JSON is not of that shape).
std::string MappingJson(const ColumnMap& columns);
std::optional<ColumnMap> ParseMappingJson(const std::string& text);

}  // namespace otdel::imports
