#pragma once
/// The billing room's types and pure rules (DEAL-5, DEAL-7): invoice lines and totals with VAT in integer minor
/// units, the invoice's status, payment forms, the instalment schedule (validation, allocation of payments, the
/// reminder plan), invoice numbers, and the bank statement CSV (parsing and matching rows to invoices).
/// No SQL, JSON or HTTP here.
///
/// Rounding (every amount is an integer number of minor units; nothing goes through floating point):
///   * a line's amount is quantity × unit price × (1 − discount), rounded half up to the minor unit;
///   * VAT is computed per line and rounded half up: with prices including VAT (the default, as Russian invoices
///     print "в т.ч. НДС") it is amount × rate / (100 % + rate) and the line costs its amount; with prices without
///     VAT it is amount × rate / 100 % and the line costs amount + VAT;
///   * the invoice's VAT is the sum of its lines' VAT (not VAT of the grand total: the two may differ by a kopeck
///     per line, and the per-line figure is the one the lines print), its total the sum of its lines' costs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/lang.hpp"
#include "core/result.hpp"
#include "org/work_calendar.hpp"

namespace otdel::billing {

/// 10^13 roubles in kopecks: the largest amount anywhere in billing (the deals room uses the same bound).
inline constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000LL;
/// A billion units, in thousandths.
inline constexpr std::int64_t kMaxQuantityMilli = 1'000'000'000'000LL;
inline constexpr std::size_t kMaxLines = 500;
inline constexpr std::size_t kMaxInstalments = 120;
inline constexpr std::size_t kMaxLineName = 500;
inline constexpr std::size_t kMaxNote = 2000;
inline constexpr std::size_t kMaxReference = 200;

/// The VAT rates an invoice line may carry, in basis points (0 %, 10 %, 20 %, 22 %); "without VAT" is no rate.
const std::vector<int>& VatRates();

/// One line of an invoice: a snapshot of what is sold (copied from the deal's lines or typed in), so the invoice
/// keeps its words and prices whatever happens to the catalog later.
struct InvoiceLine {
    std::optional<core::Id> product_id;
    std::string name, sku, unit;
    std::int64_t quantity_milli = 1000;  // 1.5 units → 1500
    std::int64_t unit_price_minor = 0;
    std::int32_t discount_bp = 0;             // 0..10000
    std::optional<std::int32_t> vat_rate_bp;  // one of VatRates(); nullopt: without VAT
    // Filled by Price():
    std::int64_t amount_minor = 0;  // what the line costs the buyer, VAT included
    std::int64_t vat_minor = 0;
};

struct Totals {
    std::int64_t net_minor = 0;  // without VAT
    std::int64_t vat_minor = 0;
    std::int64_t total_minor = 0;  // to pay
    friend bool operator==(const Totals&, const Totals&) = default;
};

/// Field errors of lines as a request sends them ("lines/2/quantity_milli"…); at least one line.
std::vector<core::FieldError> ValidateLines(const std::vector<InvoiceLine>& lines);
/// quantity × price × (1 − discount), half up. Inputs within ValidateLines' bounds never overflow.
std::int64_t LineBase(std::int64_t quantity_milli, std::int64_t unit_price_minor, std::int32_t discount_bp);
/// Fills each line's amount and VAT by the rules above and answers the totals; a total above kMaxAmount is a
/// field error on "lines". Call ValidateLines first.
core::Result<Totals> Price(std::vector<InvoiceLine>& lines, bool vat_included);

/// How the buyer pays (DEAL-5): bank_transfer, letter_of_credit, cheque, collection, open_account,
/// commodity_credit, cash_card. Payments record one of these as their method.
const std::vector<std::string>& PaymentForms();
bool IsPaymentForm(std::string_view s);

/// The stored life of an invoice: draft → issued (numbered) → cancelled. Paid, partly paid and overdue are derived.
inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kIssued = "issued";
inline constexpr std::string_view kCancelled = "cancelled";
/// draft, issued, partially_paid, paid, overdue, cancelled.
const std::vector<std::string>& InvoiceStatuses();

/// The status people see: a draft or a cancelled invoice is that; an issued one is paid when payments cover its
/// total, overdue when the earliest uncovered due date (`next_due_date`: the invoice's own, or its first unpaid
/// instalment's) is before `today` (both YYYY-MM-DD in the workspace's calendar), partially paid when something
/// came in, else issued.
std::string DeriveStatus(std::string_view state, std::int64_t total_minor, std::int64_t paid_minor,
                         std::string_view next_due_date, std::string_view today);

/// One due of an instalment schedule (DEAL-7).
struct Instalment {
    core::Id id = 0;
    std::string due_date;  // YYYY-MM-DD
    std::int64_t amount_minor = 0;
    std::string note;
    /// Set by the miss job when the due date passed unpaid (and the seller was told).
    std::optional<core::Millis> overdue_at;
    // Filled by Allocate():
    std::int64_t paid_minor = 0;
    std::string status = "pending";  // pending | paid | overdue
};

/// A schedule as a request sends it: every amount positive, every date real, not before the invoice's issue date
/// and strictly increasing, at most kMaxInstalments — and the amounts sum exactly to the invoice's total
/// ("instalments", code "sum_mismatch", param the total as FormatMinor writes it). An empty schedule is valid (it
/// clears the plan).
std::vector<core::FieldError> ValidateSchedule(const std::vector<Instalment>& items, std::int64_t total_minor,
                                               std::string_view issue_date);

/// Payments cover the dues in date order: fills each instalment's paid part and status (paid when covered,
/// overdue when its date is before `today` or the miss job flagged it, else pending).
void Allocate(std::vector<Instalment>& items, std::int64_t paid_minor, std::string_view today);
/// The earliest date money is due and not covered: the first instalment payments do not cover, or the
/// invoice's own due date when it has no schedule; the last due date once everything is covered.
std::string NextDueDate(std::string_view due_date, const std::vector<Instalment>& items, std::int64_t paid_minor);

/// DEAL-7 reminders: halfway between the previous due date (or the issue date, for the first) and this one,
/// rounded down to a whole day; and the day before the due date.
enum class ReminderKind { kMidTerm, kDayBefore };
std::string_view ReminderKindName(ReminderKind k);  // "mid_term", "day_before"
std::optional<ReminderKind> ParseReminderKind(std::string_view s);

struct PlannedReminder {
    std::size_t index = 0;  // which due
    ReminderKind kind = ReminderKind::kMidTerm;
    org::Day day;
    friend bool operator==(const PlannedReminder&, const PlannedReminder&) = default;
};
/// prev + (due − prev) / 2 days.
org::Day MidTerm(org::Day prev, org::Day due);
/// The reminders of a schedule, by due and date. The day-before reminder is left out when it would fall before the
/// issue date; the mid-term one when it would not fall strictly between the previous due date and the day before
/// (a short interval gets one reminder, never two on one day).
std::vector<PlannedReminder> PlanReminders(org::Day issue, const std::vector<org::Day>& dues);

/// Invoice numbers: a series (the prefix with "{year}" replaced by the issue year; each series counts from 1, so
/// "{year}-" restarts every January) and a number zero-padded to `digits`: "2026-000123".
std::string SeriesOf(std::string_view prefix, int year);
std::string FormatNumber(std::string_view series, std::int64_t n, int digits);

/// An invoice of a deal with what is read with it. Money in minor units of `currency`.
struct Invoice {
    core::Id workspace_id = 0, id = 0, deal_id = 0;
    std::optional<std::string> number, series;
    std::optional<std::int64_t> seq;
    std::string state = "draft";  // draft | issued | cancelled
    std::string issue_date, due_date;
    /// The earliest date money is due and not covered (NextDueDate): kept with every payment and schedule change.
    std::string next_due_date;
    std::string currency = "RUB";
    std::string payment_form = "bank_transfer";
    bool vat_included = true;
    Totals totals;
    std::int64_t paid_minor = 0;
    std::optional<core::Id> company_id, contact_id;
    std::string payer_name, payer_inn, note, cancel_reason;
    std::optional<core::Millis> issued_at, paid_at, cancelled_at, overdue_at;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
    // Read with it: the deal and its owner (whose tree decides who sees the invoice).
    std::string deal_title;
    std::optional<core::Id> owner_user_id;
    std::string owner_name;
    std::vector<InvoiceLine> lines;
    std::vector<Instalment> instalments;
    /// DeriveStatus, filled by the service.
    std::string status;

    std::int64_t outstanding_minor() const {
        return totals.total_minor > paid_minor ? totals.total_minor - paid_minor : 0;
    }
};

/// Money received against an invoice. A reversed payment (entered by mistake) keeps its row, out of every sum.
struct Payment {
    core::Id workspace_id = 0, id = 0, invoice_id = 0;
    std::string paid_on;
    std::int64_t amount_minor = 0;
    std::string currency = "RUB";
    std::string method = "bank_transfer";
    std::string reference, payer_inn, note;
    std::string source = "manual";  // manual | bank_import
    std::optional<core::Id> bank_import_id;
    std::optional<std::string> import_key;
    std::optional<core::Millis> deleted_at;
    std::optional<core::Id> deleted_by, created_by;
    core::Millis created_at = 0;
    std::string created_by_name;  // read with it
};

/// "41200.00": how field errors name an amount of money (their messages show it as is, in any language).
std::string FormatMinor(std::int64_t minor);

/// The workspace's billing settings.
struct Settings {
    std::string number_prefix = "{year}-";
    int number_digits = 6;
    /// A payment above what is still owed is refused (422) unless this is on.
    bool allow_overpayment = false;
    /// The due date a new invoice gets without one: issue date + this many days.
    int default_due_days = 5;
};
std::vector<core::FieldError> ValidateSettings(const Settings& s);

/// A payment as a person enters it.
struct PaymentInput {
    std::string paid_on;  // YYYY-MM-DD
    std::int64_t amount_minor = 0;
    std::string method = "bank_transfer";
    std::string reference, payer_inn, note;
};
std::vector<core::FieldError> ValidatePayment(const PaymentInput& p);

// ---- bank statement CSV ----
/// One row of a bank statement file: `date;amount;payer INN;purpose;reference` (reference optional). A first row
/// whose date does not read as a date is the header. Dates YYYY-MM-DD or DD.MM.YYYY; amounts in roubles with "."
/// or "," before the kopecks and spaces between thousands. UTF-8 (with or without BOM) or Windows-1251; `;`, `,`
/// or tab between cells.
struct BankRow {
    std::int64_t line = 0;
    std::string date;  // YYYY-MM-DD
    std::int64_t amount_minor = 0;
    std::string payer_inn, purpose, reference;
    /// Cells that did not read ("date", "amount"…), or the reader's error on "row".
    std::vector<core::FieldError> errors;
};
/// Reads every row; never throws on bad data (the bad rows carry their errors).
std::vector<BankRow> ParseBankStatement(std::string_view bytes);
/// "12 345,67" / "12345.67" / "12345" → minor units; nullopt for anything else (negative included).
std::optional<std::int64_t> ParseAmount(std::string_view text);
/// YYYY-MM-DD or DD.MM.YYYY → YYYY-MM-DD.
std::optional<std::string> ParseBankDate(std::string_view text);
/// What makes a re-imported row the same payment: its reference when it has one, else the row's contents.
std::string BankRowKey(const BankRow& row);

/// An issued invoice as matching sees it.
struct OpenInvoice {
    core::Id id = 0;
    std::string number;
    std::string payer_inn;
    std::int64_t outstanding_minor = 0;
};
struct Match {
    std::optional<core::Id> invoice_id;
    std::string by;      // "number" | "inn_amount" when matched
    std::string reason;  // "no_match" | "ambiguous" when not
};
/// Matches by the invoice number named in the purpose text (as a whole word: "2026-000123" never matches
/// "2026-0001234"); failing that, by the payer's INN and an amount equal to what an invoice still owes. Several
/// candidates are "ambiguous": a person decides.
Match MatchBankRow(const BankRow& row, const std::vector<OpenInvoice>& invoices);

/// What a client reminder says (e-mail subject and body, and the SMS), in the client's language.
struct ReminderFacts {
    std::string seller;             // the workspace's name
    std::string payer;              // the client as the invoice names it
    std::string invoice_number;     // "2026-000123"
    std::string due_date;           // YYYY-MM-DD
    std::int64_t amount_minor = 0;  // what is owed on that date
    std::string currency = "RUB";
};
struct ReminderText {
    std::string subject, body, sms;
};
ReminderText RenderReminder(ReminderKind kind, const ReminderFacts& f, core::Lang lang);

/// "Двенадцать тысяч триста сорок пять рублей 67 копеек" / "twelve thousand three hundred forty-five roubles 67
/// kopecks" for RUB; other currencies get the number and the currency code.
std::string AmountInWords(std::int64_t minor, std::string_view currency, core::Lang lang);

}  // namespace otdel::billing
