#pragma once
/// Writing the deal rows of an import batch (PLAT-3, issue 6 item 10) in the caller's transaction, so a company can
/// bring its history and see it in the reports on day one.
///
/// A row names its pipeline and stage by name (or a won/lost status), its owner (resolved by the runner), its client
/// by INN or name, its amount and currency, its dates and its product lines. What the row refers to must exist:
/// unknown pipelines, stages, loss reasons and checklist items reject the row, listed by name; people are never
/// created (the runner rejects unknown owners). A client company named but not found is created, like the contact
/// import does; a product not found in the catalog by SKU or name becomes a free-text line. Every row goes through the
/// deals room's entry check (DealsService::CheckEntryInTx: the stage's gate, or a loss reason for a lost stage) —
/// a row failing it is rejected with each missing item, and leaves nothing behind (not even its new company).
///
/// Dates are kept: `created_at` from the row (else the import's time), `closed_at` for won and lost deals (else the
/// created date), and the stage history the funnel reports read — entering the stage at the created date, and for a
/// closed deal entering the pipeline's first open stage then, and the won/lost stage at the close date. The 72-hour
/// payment window is not started (a decision from the past has no window to run).
#include <soci/soci.h>

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/visibility.hpp"
#include "catalog/catalog.hpp"
#include "clients/clients_import.hpp"
#include "core/actor.hpp"
#include "core/error.hpp"
#include "deals/deal.hpp"
#include "imports/mapping_deals.hpp"

namespace date {
class time_zone;
}

namespace otdel::imports {

class DealImportWriter {
public:
    /// Reads the workspace's pipelines, loss reasons, currency, time zone and (when `rows` name products) its live
    /// products once, and looks the batch's companies up together through `clients`.
    DealImportWriter(soci::session& sql, const core::Actor& by, core::Millis now, clients::ImportWriter& clients,
                     const std::vector<const DealRow*>& rows);

    /// Creates the deal of one row, owned by `owner` (the importing user when unset); answers why not instead, and
    /// then nothing of the row stays written.
    std::vector<core::FieldError> Write(const DealRow& row, std::optional<core::Id> owner);
    /// Whether the last Write found its deal by the row's external id (updated or skipped, not created).
    bool last_existing() const { return last_existing_; }

    /// Rows written in savepoints by the runner's careful pass: AbortRow forgets what the row noted.
    void BeginRow();
    void AbortRow();

    /// The deals this batch created, for the batch's audit row: {"deals": {"created": n, "ids": [[first, last]…]},
    /// "lines": n}.
    void Summarise(boost::json::object& summary) const;

private:
    struct Resolved;
    std::vector<core::FieldError> Resolve(const DealRow& row, Resolved& out);
    core::Millis ToMillis(const LocalStamp& s) const;
    const std::string& CompanyNameOf(core::Id id);
    const std::vector<std::pair<core::Id, std::string>>& CompanyContactsOf(core::Id company_id);
    /// A row whose external id names a deal already there: its fields refreshed (audited), or nothing when equal.
    std::vector<core::FieldError> UpdateExisting(const DealRow& row, const Resolved& r, core::Id id,
                                                 std::optional<core::Id> owner);

    soci::session& sql_;
    const core::Actor& by_;
    core::Millis now_;
    clients::ImportWriter& clients_;
    std::vector<deals::Pipeline> pipelines_;
    std::optional<core::Id> default_pipeline_;
    std::vector<deals::LossReason> loss_reasons_;
    /// Names folded once per batch rather than per row: pipelines (the last of a name wins), each pipeline's stages
    /// (the first wins), loss reasons in either language (the last wins) — as the loops over them decided before.
    std::unordered_map<std::string, const deals::Pipeline*> pipeline_by_name_;
    std::unordered_map<core::Id, std::unordered_map<std::string, const deals::Stage*>> stage_by_name_;
    std::unordered_map<std::string, core::Id> loss_reason_by_name_;
    std::string currency_ = "RUB";
    const date::time_zone* zone_ = nullptr;
    /// Live products by folded SKU and by folded name (a name shared by several products matches none).
    std::unordered_map<std::string, const catalog::Product*> by_sku_, by_name_;
    std::vector<catalog::Product> products_;
    std::unordered_map<core::Id, std::string> company_names_;
    std::unordered_map<core::Id, std::vector<std::string>> required_from_;  // per stage, read at its first row
    std::unordered_map<core::Id, std::vector<std::pair<core::Id, std::string>>> company_contacts_;
    std::optional<auth::Visibility> vis_;  // the importing person's, read at the first re-imported deal
    std::vector<core::Id> created_, updated_, skipped_;
    bool last_existing_ = false;
    long long lines_ = 0;
    std::size_t row_created_ = 0, row_updated_ = 0, row_skipped_ = 0;
    long long row_lines_ = 0;
};

}  // namespace otdel::imports
