#pragma once
/// BillingService: invoices made from deals (numbered at issue, lines copied, VAT per line), payments against them
/// (typed in or matched from a bank statement), instalment schedules whose client reminders and miss checks are
/// durable jobs, overdue lists per person and team, and the invoice PDF.
///
/// Rights are the role's on "invoice" and "payment"; which invoices a caller reaches is the visibility of their deals
/// (read for reads; write — own deals for a seller, the subtree for a head — for changes). An invoice outside it
/// answers 404. Every change of money is one transaction with its audit row (before/after).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "billing/billing.hpp"
#include "billing/billing_store.hpp"
#include "billing/sms.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "deals/deals_service.hpp"
#include "documents/pdf.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "mail/smtp.hpp"

namespace otdel::billing {

inline constexpr const char* kReminderJob = "billing.reminder";
inline constexpr const char* kDueJob = "billing.due";
/// Client reminders go out at 09:00 in the workspace's time zone; a due date is missed when its day ends.
inline constexpr int kReminderMinute = 9 * 60;

/// Fields of an invoice (create: unset means default; update: unset means unchanged).
struct InvoiceInput {
    std::optional<core::Id> deal_id;  // create only
    /// Unset on create: the deal's lines (a deal without lines needs them given).
    std::optional<std::vector<InvoiceLine>> lines;
    std::optional<std::string> issue_date, due_date, currency, payment_form, note;
    std::optional<bool> vat_included;
    bool issue = false;  // create only: issue at once
};

struct InvoiceQuery {
    std::optional<core::Id> deal_id, department_id;
    std::optional<std::string> owner;  // "me" or a user id
    std::optional<std::string> status;
    std::optional<std::string> q;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct InvoicePage {
    std::vector<Invoice> items;
    std::optional<std::string> next_cursor;
};

/// An invoice with everything its page shows.
struct InvoiceCard {
    Invoice invoice;
    std::vector<Payment> payments;
    std::vector<store::Reminder> reminders;
};

/// One row of a bank statement import's report.
struct ImportRow {
    BankRow row;
    /// matched | duplicate | unmatched | rejected | invalid
    std::string result;
    std::string reason;  // unmatched: no_match | ambiguous; rejected: overpayment | not_payable
    std::string matched_by;
    std::optional<core::Id> invoice_id, payment_id;
    std::string invoice_number;
};
struct BankImportResult {
    store::BankImport summary;
    std::vector<ImportRow> rows;
};

struct OverdueGroup {
    std::optional<core::Id> id;  // the person (by person) or department (by team); null: nobody / no department
    std::string name;
    std::optional<core::Id> department_id;  // by person: where the person works
    std::string department_name;
    long long count = 0;
    std::vector<std::pair<std::string, long long>> totals;  // currency → outstanding
};
struct OverdueSummary {
    std::string today;
    std::vector<OverdueGroup> by_person, by_team;
};

/// The seller as invoices print it: the workspace's requisites (bank details included), logo and signer.
struct Seller {
    documents::PdfRequisites org;
    std::string logo_png, signer_title, signer_name;
};

class BillingService {
public:
    /// `mailer` and `sms` may be null: that reminder channel is off (the delivery rows say so).
    BillingService(db::Database& db, const core::Clock& clock, deals::DealsService& deals, mail::Mailer* mailer,
                   SmsSender* sms)
        : db_(db), clock_(clock), deals_(deals), mailer_(mailer), sms_(sms) {}

    core::Result<Settings> GetSettings(const core::Actor& a);
    core::Result<Settings> PutSettings(const core::Actor& a, const Settings& s);

    core::Result<InvoicePage> List(const core::Actor& a, const InvoiceQuery& q);
    core::Result<InvoiceCard> Get(const core::Actor& a, core::Id id);
    core::Result<InvoiceCard> Create(const core::Actor& a, const InvoiceInput& in);
    /// A draft changes in everything; an issued invoice only in its due date (without a schedule), payment form and
    /// note — its money is fixed by its number (cancel it and issue another).
    core::Result<InvoiceCard> Update(const core::Actor& a, core::Id id, const InvoiceInput& in);
    /// Gives the draft its number (gap-free per series) and starts its timers.
    core::Result<InvoiceCard> Issue(const core::Actor& a, core::Id id);
    /// A draft, or an issued invoice without live payments (needs invoice:delete).
    core::Result<InvoiceCard> Cancel(const core::Actor& a, core::Id id, const std::string& reason);
    /// Replaces the instalment schedule (empty clears it); the sum must equal the total.
    core::Result<InvoiceCard> SetSchedule(const core::Actor& a, core::Id id, std::vector<Instalment> items);
    /// The invoice as a PDF (A4, Russian or English by `a.lang`) and its file name ("invoice-2026-000123.pdf").
    struct PdfFile {
        std::string file_name, bytes;
    };
    core::Result<PdfFile> Pdf(const core::Actor& a, core::Id id);

    core::Result<InvoiceCard> AddPayment(const core::Actor& a, core::Id invoice_id, const PaymentInput& in);
    core::Result<InvoiceCard> ReversePayment(const core::Actor& a, core::Id payment_id);

    core::Result<BankImportResult> ImportBankStatement(const core::Actor& a, const std::string& file_name,
                                                       const std::string& bytes);
    core::Result<std::vector<store::BankImport>> ListBankImports(const core::Actor& a, std::optional<core::Id> before,
                                                                 int limit);
    core::Result<BankImportResult> GetBankImport(const core::Actor& a, core::Id id);

    core::Result<OverdueSummary> Overdue(const core::Actor& a);

    /// DEAL-6: the deal is paid when it has live invoices and every one is paid in full (the deals room's hook).
    static deals::DealsService::PaymentState DealPaymentState(soci::session& sql, core::Id ws, core::Id deal_id);

    void AttachScheduler(jobs::Scheduler& scheduler);
    /// Called after the jobs' own transactions commit (the outbox's Kick).
    void SetAfterCommit(std::function<void()> f) { after_commit_ = std::move(f); }
    /// Where the PDF's seller comes from (the documents room keeps the requisites; wired in app/). Without it, or
    /// when it answers nothing, the seller is the workspace's name.
    using SellerSource = std::function<std::optional<Seller>(const core::Actor&)>;
    void SetSellerSource(SellerSource f) { seller_ = std::move(f); }
    /// /api/v1/invoices…, /api/v1/payments…, /api/v1/bank-imports…, /api/v1/billing/…
    void Register(http::Router& router);

    // The durable jobs (public for tests).
    core::Result<void> HandleReminder(const jobs::JobContext& ctx);
    core::Result<void> HandleDue(const jobs::JobContext& ctx);

private:
    /// Loads an invoice the caller may change (`action` on `object` — "invoice" or "payment" — and the deal
    /// writable), applies `edit` (which answers the invoice's audit action, or "" when it audits its own change) and
    /// saves it with the audit row in one transaction.
    using Edit = std::function<core::Result<std::string>(soci::session&, const auth::Visibility&, Invoice&)>;
    core::Result<InvoiceCard> Change(const core::Actor& a, core::Id id, std::string_view object, auth::Action action,
                                     const Edit& edit);
    /// Writes the invoice and, once all of its deal's invoices are paid, closes the deal's 72-hour window.
    void SaveMoney(soci::session& sql, Invoice& inv, const core::Actor& by, core::Millis now);
    /// Records a payment against `inv` (its instalments loaded), recomputes its money and timers, audits the payment;
    /// the caller saves the invoice. Answers the payment's id.
    core::Id RecordPayment(soci::session& sql, Invoice& inv, Payment p, const core::Actor& by, core::Millis now);
    InvoiceCard CardOf(soci::session& sql, core::Id ws, core::Id id, const std::string& today);
    /// Recomputes paid, the next due date and paid_at from the payments and reschedules the timers (cancelling
    /// those of `old_instalments` too: a replaced schedule's).
    void AfterMoney(soci::session& sql, Invoice& inv, core::Millis now,
                    const std::vector<core::Id>& old_instalments = {});
    void Reschedule(soci::session& sql, const Invoice& inv, const std::vector<core::Id>& old_instalments,
                    core::Millis now);

    db::Database& db_;
    const core::Clock& clock_;
    deals::DealsService& deals_;
    mail::Mailer* mailer_;
    SmsSender* sms_;
    std::function<void()> after_commit_;
    SellerSource seller_;
};

/// The UTC instant of a local wall-clock time (`minute` after midnight of `day`) in an IANA time zone; UTC when the
/// zone is unknown.
core::Millis LocalMoment(const std::string& time_zone, org::Day day, int minute);

}  // namespace otdel::billing
