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

/// A search document as written (body: the indexed tokens).
struct NewSearchDoc {
    std::string type;
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string title, body;
};
/// Inserts the documents of records created in this transaction, many rows per INSERT: on SQLite the FTS5 index
/// then takes them in one go (every statement of a transaction that has written FTS5 flushes its pending terms as
/// a new segment, so one document per statement costs a segment and its merges each).
void InsertSearchDocs(soci::session& sql, core::Id ws, const std::vector<NewSearchDoc>& docs, core::Millis now);

/// Links a contact created in this transaction (so it has no link yet) to a company; prepared once per connection.
void InsertNewLink(soci::session& sql, core::Id ws, const Link& l, core::Millis now);

}  // namespace otdel::clients::store
