#pragma once
/// The documents room's types and pure rules (DEAL-4): the workspace's requisites, proposal templates and their
/// placeholders, proposals (versioned PDFs of a deal), contracts and their files. No SQL, JSON or HTTP here.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/lang.hpp"
#include "core/result.hpp"
#include "documents/pdf.hpp"

namespace otdel::documents {

inline constexpr std::size_t kMaxTemplateName = 200;
inline constexpr std::size_t kMaxIntro = 10'000;
inline constexpr std::size_t kMaxTerms = 20'000;
inline constexpr int kMaxValidityDays = 365;
inline constexpr std::size_t kMaxContractNumber = 64;
inline constexpr std::size_t kMaxFileName = 200;
inline constexpr std::size_t kMaxRequisite = 500;
/// The largest contract file accepted (PDF or DOCX).
inline constexpr std::size_t kMaxContractFileBytes = 10 * 1024 * 1024;

/// The workspace's requisites: printed in the header of proposals and invoices.
struct Requisites {
    PdfRequisites org;
    std::string signer_title, signer_name;  // who signs documents for the company
    std::optional<core::Id> logo_file_id;
    std::optional<core::Millis> updated_at;
};

struct ProposalTemplate {
    core::Id id = 0;
    std::string name;
    std::string intro_text, terms_text;
    int validity_days = 14;
    std::optional<core::Millis> archived_at;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
};

struct Proposal {
    core::Id id = 0;
    core::Id deal_id = 0;
    int version = 0;
    std::optional<core::Id> template_id;
    std::string title;
    std::string intro_text, terms_text;  // as printed
    std::string valid_until;             // YYYY-MM-DD
    std::int64_t total_minor = 0;
    std::string currency = "RUB";
    int line_count = 0;
    std::string lines_source;      // deal_lines | deal_amount
    std::string status = "draft";  // draft | sent
    std::optional<core::Millis> sent_at;
    core::Id file_id = 0;
    std::int64_t file_size = 0;  // read with the proposal
    std::optional<core::Id> created_by;
    std::string created_by_name;
    core::Millis created_at = 0, updated_at = 0;
};

struct Contract {
    core::Id id = 0;
    core::Id deal_id = 0;
    std::string kind = "sale";  // sale | supply | distribution | services
    std::string number;
    std::optional<std::string> signed_on, valid_from, valid_to;  // YYYY-MM-DD
    std::string terms;
    std::string status = "draft";  // draft | signed | terminated
    std::optional<core::Id> file_id;
    std::string file_name;
    std::int64_t file_size = 0;  // read with the contract
    std::string file_type;       // content type of the file, read with the contract
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
    std::optional<core::Millis> deleted_at;
};

const std::vector<std::string>& ContractKinds();     // sale, supply, distribution, services
const std::vector<std::string>& ContractStatuses();  // draft, signed, terminated
const std::vector<std::string>& ProposalStatuses();  // draft, sent

// ---- placeholders ----

/// The placeholders a template may use, in the order a settings screen lists them: client.name, client.inn,
/// contact.name, deal.title, deal.amount, owner.name, owner.email, company.name, proposal.number, valid_until, today.
const std::vector<std::string>& PlaceholderNames();

/// One problem with a template text: an unknown placeholder (`name` is what was written) or a "{{" never closed.
struct PlaceholderIssue {
    std::string code;  // unknown_placeholder | unclosed_placeholder
    std::string name;
};
/// Every "{{ name }}" of `text` (spaces inside the braces allowed) that is not in PlaceholderNames, and a "{{"
/// without its "}}". Empty when the text is fine.
std::vector<PlaceholderIssue> CheckPlaceholders(std::string_view text);

/// `text` with every known "{{ name }}" replaced by values[name] ("" when the map lacks it). Unknown placeholders and
/// an unclosed "{{" stay as written (templates are checked on save, so only old data can carry them). Values are
/// inserted as they are: a value containing "{{x}}" is not expanded again.
std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& values);
/// The same over another set of placeholder names (the e-mail templates' MailPlaceholderNames).
std::vector<PlaceholderIssue> CheckPlaceholders(std::string_view text, const std::vector<std::string>& names);
std::string FillPlaceholders(std::string_view text, const std::map<std::string, std::string>& values,
                             const std::vector<std::string>& names);

// ---- validation (field errors name the API's fields) ----

core::Result<void> ValidateTemplate(const ProposalTemplate& t);
/// The clients room's checks of requisites (INN, KPP, OGRN with control digits; BIK; accounts keyed to the BIK), an
/// e-mail shaped like one, lengths; empty fields are allowed.
core::Result<void> ValidateRequisites(const Requisites& r);
/// Kind, status, number (1..64 characters), real calendar dates, valid_to ≥ valid_from, a signed or terminated
/// contract has its signing date.
core::Result<void> ValidateContract(const Contract& c);
/// Whether a contract may go from `from` to `to`: draft → signed → terminated, draft → terminated; staying is fine;
/// nothing comes back from terminated, and a signed contract is not a draft again.
bool ContractStatusAllowed(std::string_view from, std::string_view to);

/// A real calendar day written YYYY-MM-DD.
bool IsIsoDay(std::string_view s);
/// `day` + `days` (YYYY-MM-DD); `day` must be IsIsoDay.
std::string AddDays(std::string_view day, int days);

// ---- files ----

struct FileKind {
    std::string ext;           // pdf | docx
    std::string content_type;  // application/pdf | application/vnd.openxmlformats-officedocument.wordprocessingml…
};
/// What an uploaded contract file is, by its bytes (the name does not count): a PDF starts with "%PDF-"; a DOCX is a
/// ZIP whose directory holds [Content_Types].xml and word/document.xml. nullopt for anything else (a renamed XLSX,
/// an old binary .doc, an image…).
std::optional<FileKind> SniffContractFile(std::string_view bytes);

/// A file name safe to keep and to send back: the last path component, control characters and the characters
/// Windows forbids dropped, at most kMaxFileName bytes of whole UTF-8 characters, ending with "." + `ext` (added
/// when the name has another extension or none). `fallback` when nothing is left.
std::string CleanFileName(std::string_view name, std::string_view ext, std::string_view fallback);

/// Content-Disposition for a download (RFC 6266 + RFC 5987): `kind` ("inline" or "attachment"), an ASCII
/// `filename="…"` for old clients — `ascii_fallback` when the name is not ASCII and one is given, else the name with
/// "_" for each non-ASCII character (quotes and backslashes dropped) — and `filename*=UTF-8''…`, percent-encoded.
std::string ContentDisposition(std::string_view kind, std::string_view file_name, std::string_view ascii_fallback = {});

// ---- proposals ----

/// What a proposal is made of; the service reads it from the deal, its client, its owner and the workspace.
struct ProposalFacts {
    core::Lang lang = core::Lang::kRu;
    Requisites seller;
    std::string logo_png;
    core::Id deal_id = 0;
    int version = 1;
    std::string deal_title, client_name, client_inn, contact_name, owner_name, owner_email;
    std::string currency = "RUB";
    std::int64_t deal_amount_minor = 0;
    /// The deal's lines by position; empty means one line of the deal's amount.
    std::vector<catalog::DealLine> lines;
    std::string today;        // YYYY-MM-DD
    std::string valid_until;  // YYYY-MM-DD
    std::string intro_template, terms_template;
};

/// "15-2": the deal and the version.
std::string ProposalNumber(core::Id deal_id, int version);
/// "Коммерческое предложение № 15-2" / "Commercial proposal No. 15-2".
std::string ProposalTitle(core::Id deal_id, int version, core::Lang lang);
/// "Коммерческое предложение 15-2.pdf" / "Proposal 15-2.pdf".
std::string ProposalFileName(core::Id deal_id, int version, core::Lang lang);
/// "proposal-15-2.pdf": the ASCII name for clients that do not read RFC 5987.
std::string ProposalAsciiFileName(core::Id deal_id, int version);

/// The placeholder values of a proposal (formatted for `facts.lang`).
std::map<std::string, std::string> ProposalValues(const ProposalFacts& facts);

/// The printable proposal: filled texts, the lines (or one line of the deal's amount), totals with the VAT the prices
/// include per rate, validity, signature. `Proposal` gets total, line count, source and the filled texts.
struct ProposalDraft {
    PdfDocument pdf;
    Proposal record;
};
ProposalDraft BuildProposal(const ProposalFacts& facts);

// ---- sending a proposal or an invoice by e-mail ----

inline constexpr std::size_t kMaxMailRecipients = 20;  // To and Cc together
inline constexpr std::size_t kMaxMailSubject = 300;
inline constexpr std::size_t kMaxMailBody = 20'000;

/// What may be sent: proposal, invoice.
const std::vector<std::string>& MailDocKinds();

/// The placeholders of an e-mail template, in the order a settings screen lists them: client.name, contact.name,
/// deal.title, document.number, document.amount, document.date (a proposal's validity, an invoice's due date),
/// company.name, company.inn, company.phone, company.email, company.website, signer.name, signer.title, owner.name,
/// owner.email, today.
const std::vector<std::string>& MailPlaceholderNames();

/// A workspace's e-mail template for one kind of document in one language.
struct MailTemplate {
    std::string kind;  // proposal | invoice
    std::string lang;  // ru | en
    std::string subject, body;
    bool custom = false;  // false: the built-in text (the workspace has not changed it)
    std::optional<core::Millis> updated_at;
};
/// The built-in template (`kind` in MailDocKinds, `lang` ru | en).
MailTemplate DefaultMailTemplate(std::string_view kind, std::string_view lang);
/// Subject 1..kMaxMailSubject characters on one line, body up to kMaxMailBody, only MailPlaceholderNames.
core::Result<void> ValidateMailTemplate(const MailTemplate& t);

/// The facts a template is filled from (formatted for `lang`).
struct MailFacts {
    core::Lang lang = core::Lang::kRu;
    Requisites seller;
    std::string client_name, contact_name, deal_title, owner_name, owner_email;
    std::string number;  // "15-2", "2026-000123"
    std::int64_t amount_minor = 0;
    std::string currency = "RUB";
    std::string date;   // YYYY-MM-DD: valid until / due
    std::string today;  // YYYY-MM-DD
};
std::map<std::string, std::string> MailValues(const MailFacts& facts);
/// A filled template: the placeholders replaced, lines left empty by missing values dropped, spaces trimmed.
std::string FillMail(std::string_view text, const MailFacts& facts);

/// Trims and lower-cases the addresses (clients' NormalizeEmail), drops repeats (an address in To is not repeated in
/// Cc) and checks them: `to` at least one, every address shaped like one (`to/<i>` / `cc/<i>` `invalid_email`), at most
/// kMaxMailRecipients in all (`to` `too_many`). All problems at once.
core::Result<void> NormalizeRecipients(std::vector<std::string>& to, std::vector<std::string>& cc);
/// Subject required on one line, lengths.
core::Result<void> ValidateMailText(const std::string& subject, const std::string& body);

/// One send of a proposal or an invoice: the outbox row the job `documents.send_email` works from and the history a
/// document shows ("sent at … to …").
struct DocumentEmail {
    core::Id id = 0;
    core::Id deal_id = 0;
    std::string kind;  // proposal | invoice
    std::optional<core::Id> proposal_id, invoice_id;
    std::vector<std::string> to, cc;
    std::string subject, body, lang = "ru";
    core::Id file_id = 0;
    std::string file_name;
    core::Id account_id = 0;
    std::string from_address, message_id;
    std::string status = "queued";  // queued | sent | failed
    int attempts = 0;
    std::optional<std::string> last_error;
    std::optional<core::Id> activity_id;
    std::optional<core::Id> created_by;
    std::string created_by_name;  // read with the row
    core::Millis created_at = 0, updated_at = 0;
    std::optional<core::Millis> sent_at;
    std::int64_t file_size = 0;  // read with the row
};

/// The line the timeline's e-mail activity ends with: "Вложение: <name>" / "Attachment: <name>".
std::string AttachmentNote(std::string_view file_name, core::Lang lang);

}  // namespace otdel::documents
