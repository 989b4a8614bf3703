#pragma once
/// The import pipeline: reads the stored file after the checkpoint, maps and checks each row, writes records through
/// the clients and leads rooms (dedupe: a row matching a live company/contact or an open lead by phone, e-mail or
/// INN is merged into it), and commits every batch together with its rejected rows and the checkpoint
/// (processed_rows). A run interrupted anywhere resumes after the last committed batch and ends with exactly the
/// records of an uninterrupted run. A dry run goes through the same steps inside a savepoint it rolls back, keeping
/// only the counters and the rejected rows. The same code serves the job (API) and the CLI.
#include <functional>
#include <optional>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "imports/import_store.hpp"
#include "imports/xlsx_reader.hpp"

namespace otdel::leads {
class LeadIntake;
}

namespace otdel::imports {

struct RunOptions {
    int batch_size = 5000;
    XlsxLimits xlsx;
    /// Called after each committed batch with the run as stored.
    std::function<void(const store::ImportRow&)> on_progress;
    /// Tests: stop (as a crash would) after this many committed batches, leaving the run 'running'.
    std::optional<int> stop_after_batches;
};

class ImportRunner {
public:
    ImportRunner(db::Database& db, const core::Clock& clock, leads::LeadIntake& intake)
        : db_(db), clock_(clock), intake_(intake) {}

    /// Runs (or resumes) import `id` to its end. Returns the run as stored afterwards; an error only for what
    /// should be retried (the database failing); a file that cannot be read ends the run as 'failed'.
    core::Result<store::ImportRow> Run(core::Id ws, core::Id id, const RunOptions& options);

private:
    db::Database& db_;
    const core::Clock& clock_;
    leads::LeadIntake& intake_;
};

}  // namespace otdel::imports
