#pragma once
/// DocumentsService (DEAL-4): the workspace's requisites and logo, proposal templates, proposals generated for a deal
/// as versioned PDFs, and contracts with their files.
///
/// Rights: the role's "document" permissions (org/role.cpp) — read to see, create to generate a proposal or add a
/// contract, update to change one or upload its file, delete to delete a contract. Visibility follows the deal: a
/// deal the caller cannot read (and so its documents) answers 404; a deal the caller reads but may not change (a
/// read-only analyst, a supervisor's team) answers 403 to writes. Requisites and templates are settings: everyone
/// with document rights reads them, administrators and roles that may change the organisation change them.
/// Every change is one transaction with its audit row.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "documents/documents.hpp"
#include "documents/documents_store.hpp"
#include "http/router.hpp"

namespace otdel::documents {

struct DocumentsConfig {
    /// The largest contract file accepted (413 above it); the server reads upload bodies up to one byte more.
    std::size_t max_file_bytes = kMaxContractFileBytes;
};

/// A template as a settings screen sends it (create: unset means default; update: unset means unchanged).
struct TemplateInput {
    std::optional<std::string> name, intro_text, terms_text;
    std::optional<int> validity_days;
    std::optional<bool> archived;  // update only
};

struct ProposalRequest {
    std::optional<core::Id> template_id;     // none: the built-in texts
    core::Lang lang = core::Lang::kRu;       // the document's language
    std::optional<std::string> valid_until;  // none: today + the template's validity days
};

/// Contract fields (create: unset means default; update: unset means unchanged; `set_*` marks a nullable date that
/// was sent, null clearing it).
struct ContractInput {
    std::optional<std::string> kind, number, terms, status;
    bool set_signed_on = false, set_valid_from = false, set_valid_to = false;
    std::optional<std::string> signed_on, valid_from, valid_to;
};

/// A file to send back.
struct Download {
    std::string content_type;
    std::string file_name;
    std::string ascii_name;  // for clients that do not read RFC 5987 names
    std::string sha256;
    std::string bytes;
};

class DocumentsService {
public:
    DocumentsService(db::Database& db, const core::Clock& clock, DocumentsConfig config = {})
        : db_(db), clock_(clock), config_(config) {}

    const DocumentsConfig& config() const { return config_; }

    // ---- settings ----
    core::Result<Requisites> GetRequisites(const core::Actor& a);
    core::Result<Requisites> SetRequisites(const core::Actor& a, const Requisites& in);
    /// `png` is checked by ValidateLogo (413 over kMaxLogoBytes, 422 when it is not a whole PNG of sane size).
    core::Result<Requisites> SetLogo(const core::Actor& a, const std::string& png);
    core::Result<Requisites> RemoveLogo(const core::Actor& a);
    core::Result<Download> Logo(const core::Actor& a);

    core::Result<std::vector<ProposalTemplate>> ListTemplates(const core::Actor& a, bool include_archived);
    core::Result<ProposalTemplate> CreateTemplate(const core::Actor& a, const TemplateInput& in);
    core::Result<ProposalTemplate> UpdateTemplate(const core::Actor& a, core::Id id, const TemplateInput& in);

    // ---- proposals ----
    core::Result<std::vector<Proposal>> ListProposals(const core::Actor& a, core::Id deal_id);
    /// Renders the next version of the deal's proposal from its lines (or its amount), stores the PDF, audits.
    core::Result<Proposal> GenerateProposal(const core::Actor& a, core::Id deal_id, const ProposalRequest& in);
    core::Result<Proposal> GetProposal(const core::Actor& a, core::Id id);
    /// draft ↔ sent (sending by e-mail comes later: the status is recorded by hand).
    core::Result<Proposal> SetProposalStatus(const core::Actor& a, core::Id id, const std::string& status);
    core::Result<Download> ProposalPdf(const core::Actor& a, core::Id id, core::Lang lang);

    // ---- contracts ----
    core::Result<std::vector<Contract>> ListContracts(const core::Actor& a, core::Id deal_id, bool include_deleted);
    core::Result<Contract> CreateContract(const core::Actor& a, core::Id deal_id, const ContractInput& in);
    core::Result<Contract> GetContract(const core::Actor& a, core::Id id);
    core::Result<Contract> UpdateContract(const core::Actor& a, core::Id id, const ContractInput& in);
    core::Result<Contract> DeleteContract(const core::Actor& a, core::Id id);
    core::Result<Contract> RestoreContract(const core::Actor& a, core::Id id);
    /// A PDF or DOCX (by content) of at most config().max_file_bytes; replaces the previous file.
    core::Result<Contract> UploadContractFile(const core::Actor& a, core::Id id, const std::string& file_name,
                                              const std::string& bytes);
    core::Result<Download> ContractFile(const core::Actor& a, core::Id id);

    /// /api/v1/document-settings…, /api/v1/proposal-templates…, /api/v1/deals/{id}/proposals,
    /// /api/v1/proposals/{id}…, /api/v1/deals/{id}/contracts, /api/v1/contracts/{id}…
    void Register(http::Router& router);

private:
    /// Applies `edit` to a contract the caller may change (`action` on "document"), writes it and audits
    /// before/after in one transaction; `edit` answers the audit action.
    using ContractEdit = std::function<core::Result<std::string>(soci::session&, Contract&)>;
    core::Result<Contract> ChangeContract(const core::Actor& a, core::Id id, bool include_deleted, auth::Action action,
                                          const ContractEdit& edit);

    db::Database& db_;
    const core::Clock& clock_;
    DocumentsConfig config_;
};

}  // namespace otdel::documents
