#pragma once
/// Writing an import batch (PLAT-3) in the caller's transaction: the bulk counterpart of CreateCompanyInTx /
/// CreateContactInTx for the import pipeline. The same validation as a card written by hand (clients_write.hpp),
/// but the dedupe keys of a whole batch are looked up in a few queries instead of several per row, the custom field
/// definitions are read once, and the audit is one summary row per batch written by the caller (Summary()) instead
/// of a row per record. A row matching an existing record fills that record's empty fields and adds its new phones
/// and e-mails (never overwriting), audited as an update with before/after and re-indexed for search.
/// No permission or visibility checks: the caller (the import runner) decided.
#include <soci/soci.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "clients/clients.hpp"
#include "clients/clients_import_store.hpp"
#include "clients/clients_service.hpp"
#include "clients/clients_write.hpp"
#include "core/actor.hpp"
#include "core/result.hpp"

namespace otdel::clients {

/// Pure: each empty scalar field of `record` takes the row's value when the row has one; non-empty fields are never
/// overwritten. Returns the names of the fields filled. Contacts: the full name follows the filled parts.
std::vector<std::string> FillEmptyFields(Company& record, const Company& row);
std::vector<std::string> FillEmptyFields(Contact& record, const Contact& row);
/// Pure: the custom values of `row` whose code `record` lacks or holds empty (null, "", []), as code → value.
std::map<std::string, CustomValue> NewCustomValues(const std::map<std::string, CustomValue>& record,
                                                   const std::map<std::string, CustomValue>& row);
/// Pure: the row's phones/e-mails the record lacks (same kind and value), in the row's order; the first of a kind
/// the record has none of becomes primary; the record never exceeds kMaxPoints.
std::vector<ContactPoint> NewPoints(const std::vector<ContactPoint>& record, const std::vector<ContactPoint>& row);

/// Sorted distinct ids as [first, last] ranges — how import audit rows name the records of a batch (its created ids
/// are mostly consecutive).
boost::json::array IdRanges(std::vector<core::Id> ids);

/// What filling a matched record changed.
struct FillResult {
    std::vector<std::string> fields;  // "inn", "birthday", "custom/<code>", …
    int points_added = 0;
    /// The row's values did not pass validation on the record (e.g. an INN of another legal form): nothing changed.
    std::vector<core::FieldError> refused;
    bool changed() const { return !fields.empty() || points_added > 0; }
};

class ImportWriter {
public:
    ImportWriter(soci::session& sql, const core::Actor& by, core::Millis now);

    /// Reads, in a few queries, which live records of `type` (company | contact) hold these normalised phones and
    /// e-mails, and which live companies have these INNs (digits) / exact names. Keys not prefetched are looked up
    /// one by one when asked.
    void PrefetchPoints(const std::string& type, const std::vector<std::string>& phones,
                        const std::vector<std::string>& emails);
    void PrefetchCompanies(const std::vector<std::string>& inns, const std::vector<std::string>& names);

    /// The record of `type` holding the first of `points` (kind, normalised value) that any record holds: records
    /// of the base (oldest point first) before those written earlier in this batch.
    std::optional<core::Id> FindByPoints(const std::string& type,
                                         const std::vector<std::pair<std::string, std::string>>& points);
    std::optional<core::Id> FindCompanyByInn(const std::string& inn_digits);
    std::optional<core::Id> FindCompanyByName(const std::string& name);

    /// Creates a company / contact with its phones and e-mails and its search document. Owner defaults to the
    /// actor. A validation error writes nothing.
    core::Result<core::Id> CreateCompany(const CompanyInput& in);
    core::Result<core::Id> CreateContact(const ContactInput& in);
    /// Links a contact created by this writer to a company.
    void LinkNewContact(const Link& link);

    /// Fills the empty fields of live record `id` from the row's input and adds its new phones/e-mails; writes an
    /// update audit row (before/after) and the search document when something changed.
    FillResult FillCompany(core::Id id, const CompanyInput& in);
    FillResult FillContact(core::Id id, const ContactInput& in);

    /// Buffered mode (the import runner's for companies and contacts): new records get their ids at once
    /// (store::AllocateIds) but are written later, set-based, by FlushRecords / Flush — companies, contacts, their
    /// phones and e-mails and the links in one statement each. A record a later row fills is written first.
    /// Off by default: callers that insert rows referring to new records themselves (deals) need them written.
    void SetBuffered(bool on) { buffered_ = on; }
    /// Writes the buffered records (see SetBuffered).
    void FlushRecords();

    /// Writes the buffered records and the search documents of the batch's new and filled records (one statement;
    /// see store::InsertSearchDocs). Call once, after the batch's last row.
    void Flush();

    /// Rows written in savepoints: AbortRow forgets what the writer noted since BeginRow (keys, ids), after the
    /// caller rolled the row back.
    void BeginRow();
    void AbortRow();

    /// What this batch wrote, for its summary audit row: per type the created ids (as [first, last] ranges) and
    /// count, the merged (matched) ids, the filled ids and the links made.
    boost::json::object Summary() const;

private:
    struct PendingDoc {
        detail::SearchDoc doc;
        bool is_new = false;  // the record was created in this batch: insert, else replace
    };
    using DocKey = std::pair<std::string, core::Id>;
    void QueueDoc(detail::SearchDoc doc, bool is_new);
    std::optional<core::Id> Lookup(const std::string& key, const std::string& type, const std::string& kind,
                                   const std::string& value);
    void Note(const std::string& key, core::Id id);
    void NoteRecord(std::vector<core::Id>& list, core::Id id);
    const std::vector<CustomField>& Fields(const std::string& entity);

    soci::session& sql_;
    const core::Actor& by_;
    core::Millis now_;
    // key ("<type>\n<kind>\n<value>", kind: phone | email | inn | name) → the base's record (nullopt: none).
    std::unordered_map<std::string, std::optional<core::Id>> base_;
    // key → the record written (or filled) earlier in this batch.
    std::unordered_map<std::string, core::Id> batch_;
    std::optional<std::vector<CustomField>> company_fields_, contact_fields_;
    std::vector<core::Id> companies_created_, contacts_created_, companies_merged_, contacts_merged_, companies_filled_,
        contacts_filled_;
    int links_ = 0;
    // Undo log of the current row: keys added to batch_ and the sizes of the id lists at BeginRow.
    std::vector<std::string> row_keys_;
    std::vector<std::size_t> row_sizes_;
    int row_links_ = 0;
    core::Id NextId(const std::string& table);

    bool buffered_ = false;
    std::vector<Company> new_companies_;
    std::vector<Contact> new_contacts_;
    std::vector<store::NewPoint> new_points_;
    std::vector<Link> new_links_;
    std::vector<std::size_t> row_buffered_;  // sizes of the four buffers at BeginRow
    // Allocated but not yet handed out ids per table (front = next).
    std::vector<core::Id> free_company_ids_, free_contact_ids_;
    std::size_t next_company_id_ = 0, next_contact_id_ = 0;
    std::map<DocKey, PendingDoc> docs_;
    std::vector<std::pair<DocKey, std::optional<PendingDoc>>> row_docs_;  // the docs' state before the row

public:
    /// Notes a row merged into `id` (for the summary).
    void NoteMerged(const std::string& type, core::Id id);
};

}  // namespace otdel::clients
