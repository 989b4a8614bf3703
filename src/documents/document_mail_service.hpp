#pragma once
/// DocumentMailService (issue 6 items 4–5): a commercial proposal version or an issued invoice sent to the client by
/// e-mail from the deal, with its PDF attached.
///
/// - The draft (`Draft`) prefills the recipients from the deal's contact and company e-mails and the subject and body
///   from the workspace's template for the document's kind and language, filled with the workspace's requisites.
/// - Sending (`Send`) checks the recipients and texts, takes the PDF (the proposal version's own file; an invoice is
///   rendered then and kept), and in one transaction writes the send (`document_emails`, status queued), an e-mail
///   activity on the deal's timeline (queued, the attachment named in its text), the audit row and the durable job
///   `documents.send_email`. A send answered 202 is therefore never lost: the job sends it through the sender's SMTP
///   account (their own, else the workspace's — as activities send), retrying with the scheduler's back-off; the
///   Message-ID chosen at acceptance is the same on every attempt. A sent e-mail marks the send, the activity and (for
///   a proposal) the proposal as sent; when the job gives up, or the failure cannot be helped by retrying (the
///   account was removed, the attachment is too large), the send and the activity are `failed` with the reason and a
///   person may `Retry` it.
///
/// Rights follow the document: reading a proposal (document:read) or an invoice (invoice:read) on a deal the caller
/// sees to read the draft and the history; changing it (document:update / invoice:update) on a deal the caller may
/// change to send or retry. Templates are settings (administrators and org:update change them).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "activities/activities_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "documents/documents.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "mail/smtp.hpp"

namespace otdel::billing {
class BillingService;
}

namespace otdel::documents {

inline constexpr const char* kSendDocumentJob = "documents.send_email";
/// Attempts before a send is `failed` (the scheduler's back-off between them).
inline constexpr int kSendAttempts = 6;

/// What the "Send by e-mail" dialog starts from.
struct MailDraft {
    std::vector<std::string> to, cc;
    std::string subject, body, lang;
    std::string file_name;
    std::string from_address;  // the account it would go from; empty: none is set up (sending is refused)
};

struct MailSendInput {
    std::vector<std::string> to, cc;
    /// Unset: from the template.
    std::optional<std::string> subject, body;
    core::Lang lang = core::Lang::kRu;  // of the template, the file name and the invoice PDF
};

/// Sends one message through an account (SMTP in production; a recorder in tests).
using DocumentMailerFactory = std::function<std::unique_ptr<mail::Mailer>(const activities::store::EmailAccount&)>;

class DocumentMailService {
public:
    /// `billing` renders invoices (null: invoices cannot be sent, 404).
    DocumentMailService(db::Database& db, const core::Clock& clock, billing::BillingService* billing);

    void SetMailerFactory(DocumentMailerFactory f) { mailer_factory_ = std::move(f); }
    /// Called after a send was accepted or retried (wakes the scheduler).
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    void AttachScheduler(jobs::Scheduler& scheduler);

    /// `kind`: proposal | invoice.
    core::Result<MailDraft> Draft(const core::Actor& a, const std::string& kind, core::Id id, core::Lang lang);
    core::Result<DocumentEmail> Send(const core::Actor& a, const std::string& kind, core::Id id,
                                     const MailSendInput& in);
    core::Result<std::vector<DocumentEmail>> History(const core::Actor& a, const std::string& kind, core::Id id);
    /// A failed send queued again (same recipients, texts, file and Message-ID).
    core::Result<DocumentEmail> Retry(const core::Actor& a, core::Id email_id);

    /// Four templates (proposal, invoice × ru, en): the workspace's own or the built-in ones.
    core::Result<std::vector<MailTemplate>> Templates(const core::Actor& a);
    /// Saves a template; `reset` returns it to the built-in text.
    core::Result<MailTemplate> PutTemplate(const core::Actor& a, const MailTemplate& t, bool reset);

    /// The job (public for tests).
    core::Result<void> HandleSend(const jobs::JobContext& ctx);

    /// /api/v1/{proposals|invoices}/{id}/email-draft, …/emails, /api/v1/document-emails/{id}/retry,
    /// /api/v1/document-mail-templates…
    void Register(http::Router& router);

private:
    db::Database& db_;
    const core::Clock& clock_;
    billing::BillingService* billing_;
    DocumentMailerFactory mailer_factory_;
    std::function<void()> after_commit_;
};

}  // namespace otdel::documents
