#include "documents/document_mail_service.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "activities/activities.hpp"
#include "auth/visibility.hpp"
#include "billing/billing_service.hpp"
#include "billing/billing_store.hpp"
#include "documents/documents_access.hpp"
#include "documents/documents_store.hpp"
#include "events/audit.hpp"
#include "http/json.hpp"
#include "jobs/job_store.hpp"

namespace otdel::documents {
namespace json = boost::json;
using access::SignedIn;
using access::VisibilityOf;
using auth::Action;
using core::Error;
using core::ErrorCode;

namespace {

// The document a send is about, read under the caller's visibility.
struct Doc {
    std::string kind;
    core::Id id = 0;
    core::Id deal_id = 0;
    std::string number, date, currency = "RUB";
    std::int64_t amount_minor = 0;
    int version = 0;       // proposal
    core::Id file_id = 0;  // proposal: its PDF
    std::string state;     // invoice: draft | issued | cancelled
    store::DealFacts deal;
};

const char* ObjectOf(const std::string& kind) {
    return kind == "invoice" ? "invoice" : "document";
}

// 404 when the caller cannot read the document or its deal; 403 without `action` on the kind's object; for a write,
// 403 when the deal is not the caller's to change and 409 when it is in the bin.
core::Result<Doc> LoadDoc(soci::session& sql, const auth::Visibility& vis, const std::string& kind, core::Id id,
                          Action action) {
    if (!vis.Can(Action::kRead, "deal") || !vis.Can(Action::kRead, ObjectOf(kind)))
        return Error::Of(ErrorCode::kNotFound);
    const auth::Predicate readable = vis.Read("d");
    Doc d;
    d.kind = kind;
    d.id = id;
    if (kind == "proposal") {
        auto p = store::SelectProposal(sql, id, readable);
        if (!p) return Error::Of(ErrorCode::kNotFound);
        d.deal_id = p->deal_id;
        d.number = ProposalNumber(p->deal_id, p->version);
        d.version = p->version;
        d.date = p->valid_until;
        d.currency = p->currency;
        d.amount_minor = p->total_minor;
        d.file_id = p->file_id;
    } else if (kind == "invoice") {
        auto inv = billing::store::SelectInvoice(sql, id, readable);
        if (!inv) return Error::Of(ErrorCode::kNotFound);
        d.deal_id = inv->deal_id;
        d.number = inv->number.value_or("");
        d.date = inv->next_due_date.empty() ? inv->due_date : inv->next_due_date;
        d.currency = inv->currency;
        d.amount_minor = inv->totals.total_minor;
        d.state = inv->state;
    } else {
        return Error::Of(ErrorCode::kNotFound);
    }
    auto deal = access::DealFor(sql, vis, d.deal_id, action, ObjectOf(kind));
    if (!deal) return deal.take_error();
    d.deal = *deal;
    return d;
}

std::string LangCode(core::Lang l) {
    return l == core::Lang::kEn ? "en" : "ru";
}

std::string FileNameOf(const Doc& d, core::Lang lang) {
    if (d.kind == "proposal") return ProposalFileName(d.deal_id, d.version, lang);
    return std::string(lang == core::Lang::kEn ? "Invoice " : "Счёт ") + d.number + ".pdf";
}

MailTemplate TemplateFor(soci::session& sql, core::Id ws, const std::string& kind, const std::string& lang) {
    for (auto& t : store::SelectMailTemplates(sql, ws))
        if (t.kind == kind && t.lang == lang) return t;
    return DefaultMailTemplate(kind, lang);
}

MailFacts FactsFor(soci::session& sql, core::Id ws, const Doc& d, core::Lang lang, const std::string& today) {
    MailFacts f;
    f.lang = lang;
    f.seller = store::SelectRequisites(sql, ws).value_or(Requisites{});
    f.client_name = d.deal.company_name.empty() ? d.deal.contact_name : d.deal.company_name;
    f.contact_name = d.deal.contact_name;
    f.deal_title = d.deal.title;
    f.owner_name = d.deal.owner_name;
    f.owner_email = d.deal.owner_email;
    f.number = d.number;
    f.amount_minor = d.amount_minor;
    f.currency = d.currency;
    f.date = d.date;
    f.today = today;
    return f;
}

std::string Joined(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
    return out;
}

json::object AuditOf(const DocumentEmail& e) {
    return json::object{{"email_id", e.id},
                        {"to", json::value_from(e.to)},
                        {"cc", json::value_from(e.cc)},
                        {"subject", e.subject},
                        {"file_name", e.file_name},
                        {"status", e.status},
                        {"message_id", e.message_id},
                        {"last_error", http::OrNull(e.last_error)}};
}

core::Id DocId(const DocumentEmail& e) {
    return e.kind == "invoice" ? e.invoice_id.value_or(0) : e.proposal_id.value_or(0);
}

void ScheduleSend(soci::session& sql, core::Id ws, core::Id email_id, core::Millis now) {
    jobs::JobSpec spec;
    spec.workspace_id = ws;
    spec.kind = kSendDocumentJob;
    spec.payload = json::object{{"email_id", email_id}};
    spec.run_at = now;
    spec.dedupe_key = "document_email:" + std::to_string(email_id);
    spec.max_attempts = kSendAttempts;
    jobs::JobStore::Schedule(sql, spec, now);
}

// The timeline's activity follows its send: queued, sent (now) or failed with the reason.
void SyncActivity(soci::session& sql, core::Id ws, const DocumentEmail& e, core::Millis now) {
    if (!e.activity_id) return;
    auto act = activities::store::SelectActivity(sql, ws, *e.activity_id);
    if (!act) return;
    act->email_status = e.status;
    act->email_error = e.status == "failed" ? e.last_error : std::nullopt;
    if (e.status == "sent") act->at = now;
    act->updated_at = now;
    activities::store::UpdateActivity(sql, *act);
}

}  // namespace

DocumentMailService::DocumentMailService(db::Database& db, const core::Clock& clock, billing::BillingService* billing)
    : db_(db), clock_(clock), billing_(billing) {
    mailer_factory_ = [](const activities::store::EmailAccount& acc) -> std::unique_ptr<mail::Mailer> {
        return std::make_unique<mail::SmtpMailer>(
            mail::SmtpConfig{acc.smtp_url, acc.from_address, acc.smtp_user, acc.smtp_password, acc.require_tls, 20});
    };
}

void DocumentMailService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kSendDocumentJob, [this](const jobs::JobContext& ctx) { return HandleSend(ctx); });
}

core::Result<MailDraft> DocumentMailService::Draft(const core::Actor& a, const std::string& kind, core::Id id,
                                                   core::Lang lang) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<MailDraft> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        auto doc = LoadDoc(sql, vis, kind, id, Action::kRead);
        if (!doc) return doc.take_error();
        const MailTemplate t = TemplateFor(sql, a.workspace_id, kind, LangCode(lang));
        const MailFacts facts = FactsFor(sql, a.workspace_id, *doc, lang, vis.today());
        MailDraft out;
        out.lang = LangCode(lang);
        out.subject = FillMail(t.subject, facts);
        out.body = FillMail(t.body, facts);
        out.file_name = FileNameOf(*doc, lang);
        // The deal's contact first, then its company (each's primary e-mail).
        if (auto f = activities::store::FactsOf(sql, a.workspace_id, "deal", doc->deal_id)) {
            if (f->contact_id)
                if (auto e = activities::store::PrimaryPoint(sql, a.workspace_id, "contact", *f->contact_id, "email"))
                    out.to.push_back(*e);
            if (f->company_id)
                if (auto e = activities::store::PrimaryPoint(sql, a.workspace_id, "company", *f->company_id, "email"))
                    if (std::find(out.to.begin(), out.to.end(), *e) == out.to.end()) out.to.push_back(*e);
        }
        if (a.user_id)
            if (auto acc = activities::store::AccountFor(sql, a.workspace_id, a.user_id))
                out.from_address = acc->from_address;
        return out;
    });
}

core::Result<DocumentEmail> DocumentMailService::Send(const core::Actor& a, const std::string& kind, core::Id id,
                                                      const MailSendInput& in_raw) {
    OTDEL_TRY_VOID(SignedIn(a));
    MailSendInput in = in_raw;
    // Every problem of the request at once: recipients, then the texts the caller typed.
    std::vector<core::FieldError> errors;
    if (auto r = NormalizeRecipients(in.to, in.cc); !r) errors = r.error().fields;
    if (in.subject || in.body)
        if (auto r = ValidateMailText(in.subject.value_or("-"), in.body.value_or("")); !r)
            for (auto& f : r.error().fields) errors.push_back(f);
    // Rights and the document before anything is rendered.
    auto checked = db_.Read([&](soci::session& sql) -> core::Result<Doc> {
        return LoadDoc(sql, VisibilityOf(sql, a, clock_.NowMs()), kind, id, Action::kUpdate);
    });
    if (!checked) return checked.take_error();
    if (kind == "invoice" && checked->state != "issued")
        return Error::Of(ErrorCode::kConflict, "documents.mail_invoice_not_issued");
    if (!errors.empty()) return Error{ErrorCode::kValidation, {}, std::move(errors), 0};

    // An invoice is rendered now (outside the write transaction) in the e-mail's language and kept with the send.
    std::optional<std::string> invoice_pdf;
    if (kind == "invoice") {
        if (!billing_) return Error::Of(ErrorCode::kNotFound);
        core::Actor as = a;
        as.lang = in.lang;
        auto pdf = billing_->Pdf(as, id);
        if (!pdf) return pdf.take_error();
        invoice_pdf = std::move(pdf->bytes);
        OTDEL_TRY_VOID(mail::CheckAttachments({{"invoice.pdf", "application/pdf", *invoice_pdf}}));
    }

    const core::Millis now = clock_.NowMs();
    auto out = db_.InTx([&](soci::session& sql) -> core::Result<DocumentEmail> {
        const auto vis = VisibilityOf(sql, a, now);
        auto doc = LoadDoc(sql, vis, kind, id, Action::kUpdate);
        if (!doc) return doc.take_error();
        if (kind == "invoice" && doc->state != "issued")
            return Error::Of(ErrorCode::kConflict, "documents.mail_invoice_not_issued");
        auto acc = a.user_id ? activities::store::AccountFor(sql, a.workspace_id, a.user_id) : std::nullopt;
        if (!acc) return Error::Of(ErrorCode::kValidation, "activities.no_email_account");

        const std::string lang = LangCode(in.lang);
        const MailTemplate t = TemplateFor(sql, a.workspace_id, kind, lang);
        const MailFacts facts = FactsFor(sql, a.workspace_id, *doc, in.lang, vis.today());
        DocumentEmail e;
        e.deal_id = doc->deal_id;
        e.kind = kind;
        if (kind == "proposal")
            e.proposal_id = id;
        else
            e.invoice_id = id;
        e.to = in.to;
        e.cc = in.cc;
        e.subject = in.subject ? *in.subject : FillMail(t.subject, facts);
        e.body = in.body ? *in.body : FillMail(t.body, facts);
        OTDEL_TRY_VOID(ValidateMailText(e.subject, e.body));
        e.lang = lang;
        e.file_name = FileNameOf(*doc, in.lang);
        if (kind == "proposal") {
            auto file = store::SelectFile(sql, a.workspace_id, doc->file_id);
            if (!file) return Error::Of(ErrorCode::kNotFound);
            OTDEL_TRY_VOID(mail::CheckAttachments({{e.file_name, file->content_type, file->bytes}}));
            e.file_id = doc->file_id;
        } else {
            e.file_id = store::InsertFile(sql, a.workspace_id, "application/pdf", *invoice_pdf, now);
        }
        e.account_id = acc->id;
        e.from_address = acc->from_address;
        e.message_id = mail::NewMessageId(acc->from_address);
        e.created_by = a.user_id;

        // The deal's (and its client's) timeline shows the e-mail with the file it carries.
        activities::Activity act;
        act.workspace_id = a.workspace_id;
        act.kind = "email";
        act.subject = e.subject;
        act.body = e.body + "\n\n" + AttachmentNote(e.file_name, in.lang);
        act.created_by = a.user_id;
        act.owner_user_id = a.user_id;
        act.deal_id = doc->deal_id;
        if (auto f = activities::store::FactsOf(sql, a.workspace_id, "deal", doc->deal_id)) {
            act.company_id = f->company_id;
            act.contact_id = f->contact_id;
        }
        act.at = now;
        act.done = true;
        act.source = "system";
        act.email_direction = "out";
        act.email_status = "queued";
        act.email_from = acc->from_address;
        act.email_to = e.to;
        act.email_cc = e.cc;
        act.email_account_id = acc->id;
        act.email_message_id = e.message_id;
        act.created_at = now;
        act.updated_at = now;
        e.activity_id = activities::store::InsertActivity(sql, act);

        e.id = store::InsertDocumentEmail(sql, a.workspace_id, e, now);
        events::WriteAudit(sql, a, now, {kind + ".email", kind, id, std::nullopt, AuditOf(e)});
        ScheduleSend(sql, a.workspace_id, e.id, now);
        return *store::SelectDocumentEmail(sql, a.workspace_id, e.id);
    });
    if (out && after_commit_) after_commit_();
    return out;
}

core::Result<std::vector<DocumentEmail>> DocumentMailService::History(const core::Actor& a, const std::string& kind,
                                                                      core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<DocumentEmail>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        auto doc = LoadDoc(sql, vis, kind, id, Action::kRead);
        if (!doc) return doc.take_error();
        return store::DocumentEmailsOf(sql, a.workspace_id, kind, id);
    });
}

core::Result<DocumentEmail> DocumentMailService::Retry(const core::Actor& a, core::Id email_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    auto out = db_.InTx([&](soci::session& sql) -> core::Result<DocumentEmail> {
        const auto vis = VisibilityOf(sql, a, now);
        auto e = store::SelectDocumentEmail(sql, a.workspace_id, email_id);
        if (!e) return Error::Of(ErrorCode::kNotFound);
        auto doc = LoadDoc(sql, vis, e->kind, DocId(*e), Action::kUpdate);
        if (!doc) return doc.take_error();
        if (e->status != "failed") return Error::Of(ErrorCode::kConflict, "documents.mail_not_failed");
        const json::object before = AuditOf(*e);
        e->status = "queued";
        e->attempts = 0;
        e->last_error.reset();
        store::UpdateDocumentEmail(sql, a.workspace_id, *e, now);
        SyncActivity(sql, a.workspace_id, *e, now);
        events::WriteAudit(sql, a, now, {e->kind + ".email_retry", e->kind, DocId(*e), before, AuditOf(*e)});
        ScheduleSend(sql, a.workspace_id, e->id, now);
        return *store::SelectDocumentEmail(sql, a.workspace_id, e->id);
    });
    if (out && after_commit_) after_commit_();
    return out;
}

core::Result<void> DocumentMailService::HandleSend(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto* pid = ctx.job.payload.if_contains("email_id");
    if (!pid || !pid->is_int64()) return core::Ok();  // not ours to fix by retrying
    const core::Id email_id = pid->as_int64();
    struct Loaded {
        std::optional<DocumentEmail> email;
        std::optional<store::File> file;
        std::optional<activities::store::EmailAccount> account;
    };
    const Loaded l = db_.Read([&](soci::session& sql) {
        Loaded out;
        out.email = store::SelectDocumentEmail(sql, ws, email_id);
        if (out.email && out.email->status == "queued") {
            out.file = store::SelectFile(sql, ws, out.email->file_id);
            out.account = activities::store::SelectAccount(sql, ws, out.email->account_id);
        }
        return out;
    });
    if (!l.email || l.email->status != "queued") return core::Ok();  // sent, failed or retried since
    const DocumentEmail& e = *l.email;

    core::Result<void> sent = core::Ok();
    bool permanent = false;  // retrying cannot help
    if (!l.file) {
        sent = Error::Of(ErrorCode::kNotFound, "documents.file_missing");
        permanent = true;
    } else if (!l.account || !l.account->active) {
        sent = Error::Of(ErrorCode::kValidation, "activities.no_email_account");
        permanent = true;
    } else if (!mailer_factory_) {
        sent = Error::Of(ErrorCode::kUnavailable, "mail.not_configured");
    } else {
        mail::OutgoingMail m{
            Joined(e.to), e.subject, e.body, Joined(e.cc), {{e.file_name, l.file->content_type, l.file->bytes}},
            e.message_id};
        sent = mailer_factory_(*l.account)->Send(m);
        if (!sent && sent.error().code != ErrorCode::kUnavailable) permanent = true;
    }
    const bool give_up = !sent && (permanent || ctx.job.attempts >= ctx.job.max_attempts);
    const core::Millis now = clock_.NowMs();
    // Should this fail after a sent message, the job runs again and may send it twice — with the same Message-ID,
    // which mail programs show once.
    auto saved = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto cur = store::SelectDocumentEmail(sql, ws, email_id);
        if (!cur || cur->status != "queued") return core::Ok();
        const json::object before = AuditOf(*cur);
        cur->attempts = ctx.job.attempts;
        std::string action;
        if (sent) {
            cur->status = "sent";
            cur->sent_at = now;
            cur->last_error.reset();
            action = cur->kind + ".email_sent";
            if (cur->proposal_id) store::MarkProposalSent(sql, ws, *cur->proposal_id, now);
            activities::store::TouchDeal(sql, ws, cur->deal_id, now);
        } else {
            cur->last_error = sent.error().message_key.empty() ? std::string(core::ErrorCodeName(sent.error().code))
                                                               : sent.error().message_key;
            if (give_up) {
                cur->status = "failed";
                action = cur->kind + ".email_failed";
            }
        }
        store::UpdateDocumentEmail(sql, ws, *cur, now);
        SyncActivity(sql, ws, *cur, now);
        if (!action.empty())
            events::WriteAudit(sql, core::Actor::System(ws), now,
                               {action, cur->kind, DocId(*cur), before, AuditOf(*cur)});
        return core::Ok();
    });
    if (!saved) return saved;
    if (after_commit_) after_commit_();
    if (!sent && !give_up) return sent;  // the scheduler tries again after its back-off
    return core::Ok();
}

core::Result<std::vector<MailTemplate>> DocumentMailService::Templates(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<MailTemplate>> {
        OTDEL_TRY_VOID(access::MayReadSettings(VisibilityOf(sql, a, clock_.NowMs())));
        std::vector<MailTemplate> out;
        for (const auto& kind : MailDocKinds())
            for (const char* lang : {"ru", "en"}) out.push_back(TemplateFor(sql, a.workspace_id, kind, lang));
        return out;
    });
}

core::Result<MailTemplate> DocumentMailService::PutTemplate(const core::Actor& a, const MailTemplate& t, bool reset) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (std::find(MailDocKinds().begin(), MailDocKinds().end(), t.kind) == MailDocKinds().end() ||
        (t.lang != "ru" && t.lang != "en"))
        return Error::Of(ErrorCode::kNotFound);
    if (!reset) OTDEL_TRY_VOID(ValidateMailTemplate(t));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<MailTemplate> {
        OTDEL_TRY_VOID(access::MayConfigure(VisibilityOf(sql, a, now)));
        const MailTemplate before = TemplateFor(sql, a.workspace_id, t.kind, t.lang);
        if (reset)
            store::DeleteMailTemplate(sql, a.workspace_id, t.kind, t.lang);
        else
            store::UpsertMailTemplate(sql, a.workspace_id, t,
                                      a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt, now);
        const MailTemplate after = TemplateFor(sql, a.workspace_id, t.kind, t.lang);
        auto snap = [](const MailTemplate& m) {
            return json::object{
                {"kind", m.kind}, {"lang", m.lang}, {"subject", m.subject}, {"body", m.body}, {"custom", m.custom}};
        };
        events::WriteAudit(
            sql, a, now,
            {"document_mail_template.update", "document_mail_template", std::nullopt, snap(before), snap(after)});
        return after;
    });
}

}  // namespace otdel::documents
