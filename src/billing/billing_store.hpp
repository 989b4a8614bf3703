#pragma once
/// SQL of the billing room: named statements with bound parameters. Invoices have no owner column: every query
/// over invoices or payments joins the deal (alias "d") and takes the visibility predicate on it, so who sees an
/// invoice is who sees its deal.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/visibility.hpp"
#include "billing/billing.hpp"

namespace otdel::billing::store {

// ---- settings ----
Settings ReadSettings(soci::session& sql, core::Id ws);
void WriteSettings(soci::session& sql, core::Id ws, const Settings& s, core::Millis now);
/// The workspace's name.
std::string WorkspaceName(soci::session& sql, core::Id ws);

// ---- the deal an invoice is made from ----
struct DealRef {
    core::Id id = 0;
    std::string title, currency, status;
    std::optional<core::Id> owner_user_id, company_id, contact_id;
    std::string company_name, company_inn, contact_name;
    bool deleted = false;
};
/// The deal under `visible` (alias "d").
std::optional<DealRef> SelectDeal(soci::session& sql, core::Id id, const auth::Predicate& visible);

// ---- invoices ----
/// The next number of a series, taken inside the caller's transaction (a row lock until commit on PostgreSQL).
std::int64_t TakeNumber(soci::session& sql, core::Id ws, const std::string& series);

core::Id InsertInvoice(soci::session& sql, const Invoice& inv);
/// Writes every mutable column of the invoice (not its lines or schedule).
void UpdateInvoice(soci::session& sql, const Invoice& inv);
void ReplaceLines(soci::session& sql, core::Id ws, core::Id invoice_id, const std::vector<InvoiceLine>& lines);
std::vector<InvoiceLine> SelectLines(soci::session& sql, core::Id ws, core::Id invoice_id);
/// Replaces the schedule; fills the new rows' ids.
void ReplaceInstalments(soci::session& sql, core::Id ws, core::Id invoice_id, std::vector<Instalment>& items,
                        core::Millis now);
std::vector<Instalment> SelectInstalments(soci::session& sql, core::Id ws, core::Id invoice_id);
void SetInstalmentOverdue(soci::session& sql, core::Id ws, core::Id instalment_id, core::Millis at);

struct InvoiceFilter {
    core::Id workspace_id = 0;
    std::optional<core::Id> deal_id, owner_user_id, department_id;
    /// One of InvoiceStatuses(), or "unpaid" (issued and not covered); unset: all.
    std::optional<std::string> status;
    std::optional<std::string> q_folded;
    std::string today;  // YYYY-MM-DD: what overdue compares with
};
/// Newest first, keyset by id; the invoice rows only (no lines or schedule).
std::vector<Invoice> ListInvoices(soci::session& sql, const InvoiceFilter& f, std::optional<core::Id> before_id,
                                  int limit, const auth::Predicate& visible);
std::optional<Invoice> SelectInvoice(soci::session& sql, core::Id id, const auth::Predicate& visible);
/// Without visibility: jobs, and re-reads after a checked write.
std::optional<Invoice> SelectInvoiceById(soci::session& sql, core::Id ws, core::Id id);

/// What the 72-hour rule asks: the deal's live (not cancelled) invoices, and how many of them are issued and paid
/// in full.
std::pair<long long, long long> DealInvoiceCounts(soci::session& sql, core::Id ws, core::Id deal_id);

/// Issued invoices whose deal is within `visible`, for matching bank rows (number, payer INN, what is owed).
std::vector<OpenInvoice> MatchableInvoices(soci::session& sql, const auth::Predicate& visible);

/// Per owner and currency: overdue invoices (issued, not covered, next due date before `today`) under `visible`.
struct OverdueRow {
    std::optional<core::Id> user_id;
    std::string user_name;
    std::optional<core::Id> department_id;
    std::string department_name;
    std::string currency;
    long long count = 0;
    long long outstanding_minor = 0;
};
std::vector<OverdueRow> OverdueByOwner(soci::session& sql, const std::string& today, const auth::Predicate& visible);

// ---- payments ----
core::Id InsertPayment(soci::session& sql, const Payment& p);
std::vector<Payment> SelectPayments(soci::session& sql, core::Id ws, core::Id invoice_id);
std::optional<Payment> SelectPayment(soci::session& sql, core::Id ws, core::Id id);
void ReversePayment(soci::session& sql, core::Id ws, core::Id id, std::optional<core::Id> by, core::Millis at);
/// The sum of the invoice's live payments.
std::int64_t PaidSum(soci::session& sql, core::Id ws, core::Id invoice_id);
bool ImportKeyTaken(soci::session& sql, core::Id ws, const std::string& key);

// ---- bank imports ----
struct BankImport {
    core::Id id = 0;
    std::string file_name;
    long long rows_total = 0, matched = 0, duplicates = 0, unmatched = 0, rejected = 0;
    std::string report = "[]";  // JSON array
    std::optional<core::Id> created_by;
    std::string created_by_name;
    core::Millis created_at = 0;
};
core::Id InsertBankImport(soci::session& sql, core::Id ws, const BankImport& b);
void UpdateBankImport(soci::session& sql, core::Id ws, const BankImport& b);
std::optional<BankImport> SelectBankImport(soci::session& sql, core::Id ws, core::Id id);
/// Newest first (without the reports).
std::vector<BankImport> ListBankImports(soci::session& sql, core::Id ws, std::optional<core::Id> before_id, int limit);

// ---- client reminders ----
/// The client's e-mail or phone ("email" | "phone") for reminders: the contact's, else the company's; primary
/// first, a mobile phone before others.
std::optional<std::string> ClientPoint(soci::session& sql, core::Id ws, std::optional<core::Id> contact_id,
                                       std::optional<core::Id> company_id, const std::string& kind);
struct Reminder {
    core::Id id = 0, invoice_id = 0, instalment_id = 0;
    std::string kind, channel, target, status, error;
    std::optional<core::Millis> sent_at;
    core::Millis created_at = 0;
};
/// The delivery row of (instalment, kind, channel), created pending when absent.
Reminder ClaimReminder(soci::session& sql, core::Id ws, core::Id invoice_id, core::Id instalment_id,
                       const std::string& kind, const std::string& channel, const std::string& target,
                       core::Millis now);
void MarkReminder(soci::session& sql, core::Id ws, core::Id id, const std::string& status, const std::string& error,
                  std::optional<core::Millis> sent_at);
std::vector<Reminder> SelectReminders(soci::session& sql, core::Id ws, core::Id invoice_id);

}  // namespace otdel::billing::store
