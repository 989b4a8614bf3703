#pragma once
/// SQL of the documents room: named statements with bound parameters. Requisites and templates are workspace settings
/// (scoped by workspace_id); proposals and contracts follow their deal: every read and write of them carries the
/// deals' visibility predicate on alias "d" (a join or an EXISTS over the deal).
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "documents/documents.hpp"

namespace otdel::documents::store {

// ---- files (bytes kept base64 in document_files) ----
struct File {
    core::Id id = 0;
    std::string content_type;
    std::int64_t size_bytes = 0;
    std::string sha256;
    std::string bytes;
};
core::Id InsertFile(soci::session& sql, core::Id ws, const std::string& content_type, std::string_view bytes,
                    core::Millis now);
std::optional<File> SelectFile(soci::session& sql, core::Id ws, core::Id id);
void DeleteFile(soci::session& sql, core::Id ws, core::Id id);

// ---- requisites ----
/// The workspace's row (without the logo's bytes); nullopt when it has none yet.
std::optional<Requisites> SelectRequisites(soci::session& sql, core::Id ws);
/// Writes every requisite field (the logo stays), creating the row when needed.
void UpsertRequisites(soci::session& sql, core::Id ws, const Requisites& r, std::optional<core::Id> by,
                      core::Millis now);
/// Points the row at a logo file (nullopt removes it), creating the row when needed.
void SetLogo(soci::session& sql, core::Id ws, std::optional<core::Id> file_id, std::optional<core::Id> by,
             core::Millis now);

// ---- templates ----
std::vector<ProposalTemplate> ListTemplates(soci::session& sql, core::Id ws, bool include_archived);
std::optional<ProposalTemplate> SelectTemplate(soci::session& sql, core::Id ws, core::Id id);
core::Id InsertTemplate(soci::session& sql, core::Id ws, const ProposalTemplate& t, core::Millis now);
void UpdateTemplate(soci::session& sql, core::Id ws, const ProposalTemplate& t, core::Millis now);

// ---- the deal behind documents ----
struct DealFacts {
    core::Id id = 0;
    std::string title, currency, status;
    std::int64_t amount_minor = 0;
    std::optional<core::Id> owner_user_id;
    std::string owner_name, owner_email;
    std::string company_name, company_inn, contact_name;
    bool deleted = false;
};
/// The deal under `visible` (alias "d"), live or deleted, with its owner's and client's names.
std::optional<DealFacts> SelectDeal(soci::session& sql, core::Id id, const auth::Predicate& visible);

// ---- proposals ----
std::vector<Proposal> ProposalsOfDeal(soci::session& sql, core::Id ws, core::Id deal_id);
/// A proposal whose deal is under `visible` (alias "d").
std::optional<Proposal> SelectProposal(soci::session& sql, core::Id id, const auth::Predicate& visible);
int NextProposalVersion(soci::session& sql, core::Id ws, core::Id deal_id);
core::Id InsertProposal(soci::session& sql, core::Id ws, const Proposal& p, core::Millis now);
/// Sets status and sent_at when the proposal's deal is under `visible`; false otherwise.
bool UpdateProposalStatus(soci::session& sql, const Proposal& p, core::Millis now, const auth::Predicate& visible);

// ---- contracts ----
std::vector<Contract> ContractsOfDeal(soci::session& sql, core::Id ws, core::Id deal_id, bool include_deleted);
/// A contract (live, or also deleted) whose deal is under `visible` (alias "d").
std::optional<Contract> SelectContract(soci::session& sql, core::Id id, const auth::Predicate& visible,
                                       bool include_deleted);
core::Id InsertContract(soci::session& sql, core::Id ws, const Contract& c, core::Millis now);
/// Writes every mutable column (with deleted_at and the file) when the contract's deal is under `visible`.
bool UpdateContract(soci::session& sql, const Contract& c, core::Millis now, const auth::Predicate& visible);
/// Whether a live contract of the workspace other than `except` has this number.
bool ContractNumberTaken(soci::session& sql, core::Id ws, const std::string& number, core::Id except);

// ---- e-mail templates and sends (proposals and invoices by e-mail) ----
/// The workspace's own templates (those it changed; the rest are DefaultMailTemplate).
std::vector<MailTemplate> SelectMailTemplates(soci::session& sql, core::Id ws);
void UpsertMailTemplate(soci::session& sql, core::Id ws, const MailTemplate& t, std::optional<core::Id> by,
                        core::Millis now);
/// Back to the built-in text.
void DeleteMailTemplate(soci::session& sql, core::Id ws, const std::string& kind, const std::string& lang);

core::Id InsertDocumentEmail(soci::session& sql, core::Id ws, const DocumentEmail& e, core::Millis now);
/// One send by id within the workspace (the caller has checked the document it belongs to, or is the job).
std::optional<DocumentEmail> SelectDocumentEmail(soci::session& sql, core::Id ws, core::Id id);
/// The sends of one proposal or invoice (`kind` a code constant), newest first; the caller has checked that it sees
/// the document.
std::vector<DocumentEmail> DocumentEmailsOf(soci::session& sql, core::Id ws, const std::string& kind, core::Id doc_id);
/// Writes status, attempts, last_error, activity_id, sent_at.
void UpdateDocumentEmail(soci::session& sql, core::Id ws, const DocumentEmail& e, core::Millis now);
/// The job marks the proposal it sent (visibility was checked when the send was accepted).
void MarkProposalSent(soci::session& sql, core::Id ws, core::Id proposal_id, core::Millis now);

}  // namespace otdel::documents::store
