#pragma once
/// SQL of the import writer (clients_import.hpp): the batch lookups that replace one dedupe query per row with one
/// per few hundred keys, and the prepared link insert of a new contact. Runs in the caller's transaction, scoped by
/// workspace; no visibility (dedupe must see every live record).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "clients/clients.hpp"

namespace otdel::clients::store {

/// A key (a normalised phone or e-mail, an INN, a company name) and a live record holding it.
struct KeyHolder {
    std::string key;
    core::Id id = 0;
};

/// Live records of `type` (company | contact) holding any of `values` (normalised, of `kind` phone | email);
/// oldest contact point first, so the first pair of a key is the record a one-key lookup finds first.
std::vector<KeyHolder> FindPointHolders(soci::session& sql, core::Id ws, const std::string& type,
                                        const std::string& kind, const std::vector<std::string>& values);
/// Live companies with any of these INNs (digits) / exact names; lowest id first.
std::vector<KeyHolder> FindCompaniesByInns(soci::session& sql, core::Id ws, const std::vector<std::string>& inns);
std::vector<KeyHolder> FindCompaniesByNames(soci::session& sql, core::Id ws, const std::vector<std::string>& names);

/// `n` new ids for `table` (companies | contacts), increasing, for records the caller inserts later in this
/// transaction with InsertCompanies / InsertContacts. SQLite: after the table's largest id and after `after` (ids
/// handed out earlier whose records are not written yet; the transaction holds the write lock, and the writer is
/// the only one inserting into these tables in it); PostgreSQL: from the table's identity sequence.
std::vector<core::Id> AllocateIds(soci::session& sql, const std::string& table, std::size_t n, core::Id after);

/// A phone or e-mail of a record created in this transaction.
struct NewPoint {
    std::string subject_type;
    core::Id subject_id = 0;
    ContactPoint point;
};

/// Inserts of records created in this transaction (their ids already allocated). PostgreSQL: all rows of a call go
/// to the database as one JSON array bound to one prepared INSERT … SELECT (jsonb_array_elements), one round trip
/// per table and batch. SQLite (no round trips): one prepared single-row INSERT per table, run once per row, which
/// costs less than decoding the rows from JSON with json_each and ->> per column.
void InsertCompanies(soci::session& sql, core::Id ws, const std::vector<Company>& rows, core::Millis now);
void InsertContacts(soci::session& sql, core::Id ws, const std::vector<Contact>& rows, core::Millis now);
void InsertPoints(soci::session& sql, core::Id ws, const std::vector<NewPoint>& rows, core::Millis now);
void InsertLinks(soci::session& sql, core::Id ws, const std::vector<Link>& rows, core::Millis now);

/// A search document as written (body: the indexed tokens).
struct NewSearchDoc {
    std::string type;
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string title, body;
};
/// Inserts the documents of records created in this transaction, all in one statement (as the inserts above): on
/// SQLite the FTS5 index then takes them as one segment (every statement of a transaction that has written FTS5
/// flushes its pending terms as a new segment, so one document per statement cost a segment and its merges each).
void InsertSearchDocs(soci::session& sql, core::Id ws, const std::vector<NewSearchDoc>& docs, core::Millis now);

/// Links a contact created in this transaction (so it has no link yet) to a company; prepared once per connection.
void InsertNewLink(soci::session& sql, core::Id ws, const Link& l, core::Millis now);

}  // namespace otdel::clients::store
