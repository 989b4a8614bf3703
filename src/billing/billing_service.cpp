#include "billing/billing_service.hpp"

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "auth/visibility.hpp"
#include "catalog/catalog_store.hpp"
#include "core/access.hpp"
#include "documents/pdf.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "http/json.hpp"
#include "jobs/job_store.hpp"
#include "leads/priority.hpp"
#include "org/absence.hpp"
#include "org/employee_store.hpp"

namespace otdel::billing {
namespace json = boost::json;
using auth::Action;
using core::Error;
using core::ErrorCode;
using PaymentState = deals::DealsService::PaymentState;

namespace {

constexpr const char* kInvoice = "invoice";
constexpr const char* kPayment = "payment";
constexpr std::size_t kMaxBankFileBytes = 4u << 20;
constexpr std::size_t kMaxBankRows = 10000;

core::Result<void> SignedIn(const core::Actor& a) {
    if (!a.authenticated() && a.kind != core::ActorKind::kSystem) return Error::Of(ErrorCode::kUnauthenticated);
    return core::Ok();
}

using core::NotFound;

auth::Visibility VisibilityOf(soci::session& sql, const core::Actor& a, core::Millis now) {
    return auth::BuildVisibility(sql, a, org::store::WorkspaceToday(sql, a.workspace_id, now));
}

std::optional<core::Id> ActorUser(const core::Actor& a) {
    return a.user_id ? std::optional<core::Id>(a.user_id) : std::nullopt;
}

using http::OrNull;

std::string DayPlus(const std::string& day, int days) {
    auto d = org::ParseDay(day);
    return d ? org::FormatDay(org::Day{d->days + days}) : day;
}

// What the audit keeps of an invoice: its money, dates, lines and schedule.
json::object Snapshot(const Invoice& i) {
    json::array lines, schedule;
    for (const auto& l : i.lines)
        lines.push_back(json::object{{"name", l.name},
                                     {"quantity_milli", l.quantity_milli},
                                     {"unit_price_minor", l.unit_price_minor},
                                     {"discount_bp", l.discount_bp},
                                     {"vat_rate_bp", OrNull(l.vat_rate_bp)},
                                     {"vat_minor", l.vat_minor},
                                     {"amount_minor", l.amount_minor}});
    for (const auto& s : i.instalments)
        schedule.push_back(json::object{{"due_date", s.due_date}, {"amount_minor", s.amount_minor}});
    return json::object{{"deal_id", i.deal_id},
                        {"number", OrNull(i.number)},
                        {"state", i.state},
                        {"issue_date", i.issue_date},
                        {"due_date", i.due_date},
                        {"currency", i.currency},
                        {"payment_form", i.payment_form},
                        {"vat_included", i.vat_included},
                        {"net_minor", i.totals.net_minor},
                        {"vat_minor", i.totals.vat_minor},
                        {"total_minor", i.totals.total_minor},
                        {"paid_minor", i.paid_minor},
                        {"note", i.note},
                        {"cancel_reason", i.cancel_reason},
                        {"lines", std::move(lines)},
                        {"instalments", std::move(schedule)}};
}

json::object PaymentSnapshot(const Payment& p) {
    return json::object{{"invoice_id", p.invoice_id},
                        {"paid_on", p.paid_on},
                        {"amount_minor", p.amount_minor},
                        {"currency", p.currency},
                        {"method", p.method},
                        {"reference", p.reference},
                        {"source", p.source},
                        {"deleted_at", OrNull(p.deleted_at)}};
}

// Field checks of an invoice's input that need no database.
void CheckInput(const InvoiceInput& in, std::vector<core::FieldError>& errs) {
    if (in.issue_date && !org::ParseDay(*in.issue_date)) errs.push_back({"issue_date", "invalid_date", ""});
    if (in.due_date && !org::ParseDay(*in.due_date)) errs.push_back({"due_date", "invalid_date", ""});
    if (in.currency && !deals::IsCurrency(*in.currency)) errs.push_back({"currency", "invalid", ""});
    if (in.payment_form && !IsPaymentForm(*in.payment_form))
        errs.push_back({"payment_form", "not_one_of",
                        "bank_transfer, letter_of_credit, cheque, collection, open_account, commodity_credit, "
                        "cash_card"});
    if (in.note && in.note->size() > kMaxNote) errs.push_back({"note", "too_long", std::to_string(kMaxNote)});
    if (in.lines)
        for (auto& e : ValidateLines(*in.lines)) errs.push_back(std::move(e));
}

// A deal's lines as invoice lines. The catalog keeps one VAT number per line and does not tell 0 % from "without
// VAT": a line at 0 goes onto the invoice without VAT (a zero-rated sale is set on the draft).
std::vector<InvoiceLine> FromDealLines(soci::session& sql, core::Id ws, core::Id deal_id) {
    std::vector<InvoiceLine> out;
    for (const auto& d : catalog::ReadDealLines(sql, ws, deal_id)) {
        InvoiceLine l;
        l.product_id = d.product_id;
        l.name = d.name;
        l.sku = d.sku;
        l.unit = d.unit;
        l.quantity_milli = d.quantity_milli;
        l.unit_price_minor = d.unit_price_minor;
        l.discount_bp = d.discount_bp;
        if (d.vat_rate_bp != 0) l.vat_rate_bp = d.vat_rate_bp;
        out.push_back(std::move(l));
    }
    return out;
}

core::Result<void> Validation(std::vector<core::FieldError> errs) {
    if (errs.empty()) return core::Ok();
    return Error{ErrorCode::kValidation, {}, std::move(errs), 0};
}

// Gives a draft its number and marks it issued (the caller writes it).
core::Result<void> IssueInTx(soci::session& sql, Invoice& inv, core::Millis now) {
    if (inv.state != kDraft) return Error::Of(ErrorCode::kConflict, "billing.not_draft");
    if (inv.totals.total_minor <= 0) return Error::Field("lines", "zero_total");
    const auto day = org::ParseDay(inv.issue_date);
    const Settings s = store::ReadSettings(sql, inv.workspace_id);
    const std::string series = SeriesOf(s.number_prefix, org::YearOf(*day));
    const std::int64_t seq = store::TakeNumber(sql, inv.workspace_id, series);
    inv.series = series;
    inv.seq = seq;
    inv.number = FormatNumber(series, seq, s.number_digits);
    inv.state = std::string(kIssued);
    inv.issued_at = now;
    return core::Ok();
}

std::string ReminderKey(core::Id instalment_id, ReminderKind k) {
    return "i" + std::to_string(instalment_id) + ":" + std::string(ReminderKindName(k));
}
std::string DueKey(core::Id instalment_id) {
    return "i" + std::to_string(instalment_id);
}
std::string InvoiceDueKey(core::Id invoice_id) {
    return "inv" + std::to_string(invoice_id);
}

std::string InvoiceLink(core::Id id) {
    return "/billing/invoices/" + std::to_string(id);
}

// Where a dispute about rights lands: the owner / subtree rule of the deal.
core::Result<void> Writable(soci::session& sql, core::Id invoice_id, const auth::Visibility& vis) {
    const auth::Predicate writable = vis.Write("d");
    if (!store::SelectInvoice(sql, invoice_id, writable))
        return Error::Of(ErrorCode::kForbidden, "billing.write_forbidden");
    return core::Ok();
}

std::vector<std::pair<std::string, long long>> AddTotal(std::vector<std::pair<std::string, long long>> totals,
                                                        const std::string& currency, long long amount) {
    for (auto& [c, v] : totals)
        if (c == currency) {
            v += amount;
            return totals;
        }
    totals.emplace_back(currency, amount);
    return totals;
}

}  // namespace

core::Millis LocalMoment(const std::string& time_zone, org::Day day, int minute) {
    const auto local = date::local_days{date::days{day.days}} + std::chrono::minutes{minute};
    try {
        const auto* zone = date::locate_zone(time_zone);
        const auto sys = zone->to_sys(local, date::choose::earliest);
        return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
    } catch (const std::exception&) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(local.time_since_epoch()).count();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

core::Result<Settings> BillingService::GetSettings(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<Settings> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, kInvoice) && !vis.Can(Action::kRead, kPayment))
            return Error::Of(ErrorCode::kForbidden);
        return store::ReadSettings(sql, a.workspace_id);
    });
}

core::Result<Settings> BillingService::PutSettings(const core::Actor& a, const Settings& s) {
    OTDEL_TRY_VOID(SignedIn(a));
    OTDEL_TRY_VOID(Validation(ValidateSettings(s)));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<Settings> {
        const auto vis = VisibilityOf(sql, a, now);
        // Like pipelines: administrators and the roles that may change the organisation.
        if (!vis.caller().unrestricted && !vis.Can(Action::kUpdate, "org")) return Error::Of(ErrorCode::kForbidden);
        const Settings before = store::ReadSettings(sql, a.workspace_id);
        store::WriteSettings(sql, a.workspace_id, s, now);
        auto json_of = [](const Settings& x) {
            return json::object{{"number_prefix", x.number_prefix},
                                {"number_digits", x.number_digits},
                                {"allow_overpayment", x.allow_overpayment},
                                {"default_due_days", x.default_due_days}};
        };
        events::WriteAudit(sql, a, now, {"billing.settings", "workspace", a.workspace_id, json_of(before), json_of(s)});
        return s;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

InvoiceCard BillingService::CardOf(soci::session& sql, core::Id ws, core::Id id, const std::string& today) {
    InvoiceCard c;
    c.invoice = *store::SelectInvoiceById(sql, ws, id);
    Invoice& i = c.invoice;
    i.lines = store::SelectLines(sql, ws, id);
    i.instalments = store::SelectInstalments(sql, ws, id);
    Allocate(i.instalments, i.paid_minor, today);
    i.status = DeriveStatus(i.state, i.totals.total_minor, i.paid_minor, i.next_due_date, today);
    c.payments = store::SelectPayments(sql, ws, id);
    c.reminders = store::SelectReminders(sql, ws, id);
    return c;
}

core::Result<InvoicePage> BillingService::List(const core::Actor& a, const InvoiceQuery& q) {
    OTDEL_TRY_VOID(SignedIn(a));
    store::InvoiceFilter f;
    f.workspace_id = a.workspace_id;
    f.deal_id = q.deal_id;
    f.department_id = q.department_id;
    if (q.status) {
        const auto& all = InvoiceStatuses();
        if (*q.status != "unpaid" && std::find(all.begin(), all.end(), *q.status) == all.end())
            return Error{ErrorCode::kBadRequest,
                         {},
                         {{"status", "not_one_of", "draft, issued, partially_paid, paid, overdue, cancelled, unpaid"}},
                         0};
        f.status = q.status;
    }
    if (q.owner) {
        if (*q.owner == "me") {
            f.owner_user_id = a.user_id;
        } else {
            char* end = nullptr;
            const long long v = std::strtoll(q.owner->c_str(), &end, 10);
            if (q.owner->empty() || *end != '\0' || v < 1)
                return Error{ErrorCode::kBadRequest, {}, {{"owner", "invalid", ""}}, 0};
            f.owner_user_id = v;
        }
    }
    if (q.q && !q.q->empty()) f.q_folded = leads::FoldText(*q.q);
    std::optional<core::Id> before;
    if (q.cursor) {
        auto c = http::DecodeCursor(*q.cursor);
        if (!c || *c <= 0) return Error{ErrorCode::kBadRequest, {}, {{"cursor", "invalid", ""}}, 0};
        before = *c;
    }
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<InvoicePage> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kInvoice)) return Error::Of(ErrorCode::kForbidden);
        f.today = vis.today();
        const auth::Predicate visible = vis.Read("d");
        InvoicePage page;
        page.items = store::ListInvoices(sql, f, before, q.limit + 1, visible);
        if (static_cast<int>(page.items.size()) > q.limit) {
            page.items.resize(static_cast<std::size_t>(q.limit));
            page.next_cursor = http::EncodeCursor(page.items.back().id);
        }
        for (auto& i : page.items)
            i.status = DeriveStatus(i.state, i.totals.total_minor, i.paid_minor, i.next_due_date, f.today);
        return page;
    });
}

core::Result<InvoiceCard> BillingService::Get(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.Read([&](soci::session& sql) -> core::Result<InvoiceCard> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kInvoice)) return NotFound();
        const auth::Predicate visible = vis.Read("d");
        if (!store::SelectInvoice(sql, id, visible)) return NotFound();
        return CardOf(sql, a.workspace_id, id, vis.today());
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Changes

core::Result<InvoiceCard> BillingService::Create(const core::Actor& a, const InvoiceInput& in) {
    OTDEL_TRY_VOID(SignedIn(a));
    std::vector<core::FieldError> errs;
    if (!in.deal_id) errs.push_back({"deal_id", "required", ""});
    CheckInput(in, errs);
    OTDEL_TRY_VOID(Validation(std::move(errs)));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<InvoiceCard> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kCreate, kInvoice)) return Error::Of(ErrorCode::kForbidden);
        const core::Id ws = a.workspace_id;
        const auth::Predicate readable = vis.Read("d");
        auto deal = store::SelectDeal(sql, *in.deal_id, readable);
        if (!deal || !vis.Can(Action::kRead, "deal")) return Error::Field("deal_id", "invalid");
        const auth::Predicate writable = vis.Write("d");
        if (!store::SelectDeal(sql, *in.deal_id, writable))
            return Error::Of(ErrorCode::kForbidden, "billing.deal_write_forbidden");
        if (deal->deleted) return Error::Of(ErrorCode::kConflict, "billing.deal_deleted");
        if (deal->status == "lost") return Error::Of(ErrorCode::kConflict, "billing.deal_lost");
        const Settings settings = store::ReadSettings(sql, ws);
        Invoice inv;
        inv.workspace_id = ws;
        inv.deal_id = deal->id;
        inv.deal_title = deal->title;
        inv.issue_date = in.issue_date.value_or(vis.today());
        inv.due_date = in.due_date.value_or(DayPlus(inv.issue_date, settings.default_due_days));
        if (inv.due_date < inv.issue_date) return Error::Field("due_date", "before_issue", inv.issue_date);
        inv.currency = in.currency.value_or(deal->currency);
        inv.payment_form = in.payment_form.value_or("bank_transfer");
        inv.vat_included = in.vat_included.value_or(true);
        inv.note = in.note.value_or("");
        inv.company_id = deal->company_id;
        inv.contact_id = deal->contact_id;
        inv.payer_name = !deal->company_name.empty() ? deal->company_name : deal->contact_name;
        inv.payer_inn = deal->company_inn;
        inv.lines = in.lines ? *in.lines : FromDealLines(sql, ws, deal->id);
        OTDEL_TRY_VOID(Validation(ValidateLines(inv.lines)));
        auto totals = Price(inv.lines, inv.vat_included);
        if (!totals) return totals.take_error();
        inv.totals = *totals;
        inv.next_due_date = inv.due_date;
        inv.created_by = ActorUser(a);
        inv.created_at = inv.updated_at = now;
        inv.id = store::InsertInvoice(sql, inv);
        store::ReplaceLines(sql, ws, inv.id, inv.lines);
        events::WriteAudit(sql, a, now, {"invoice.create", kInvoice, inv.id, std::nullopt, Snapshot(inv)});
        if (in.issue) {
            const json::object before = Snapshot(inv);
            OTDEL_TRY_VOID(IssueInTx(sql, inv, now));
            store::UpdateInvoice(sql, inv);
            Reschedule(sql, inv, {}, now);
            events::WriteAudit(sql, a, now, {"invoice.issue", kInvoice, inv.id, before, Snapshot(inv)});
        }
        return CardOf(sql, ws, inv.id, vis.today());
    });
}

core::Result<InvoiceCard> BillingService::Change(const core::Actor& a, core::Id id, std::string_view object,
                                                 Action action, const Edit& edit) {
    OTDEL_TRY_VOID(SignedIn(a));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<InvoiceCard> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kRead, kInvoice) && !vis.Can(Action::kRead, kPayment)) return NotFound();
        const auth::Predicate readable = vis.Read("d");
        auto inv = store::SelectInvoice(sql, id, readable);
        if (!inv) return NotFound();
        if (!vis.Can(action, object)) return Error::Of(ErrorCode::kForbidden);
        OTDEL_TRY_VOID(Writable(sql, id, vis));
        inv->lines = store::SelectLines(sql, a.workspace_id, id);
        inv->instalments = store::SelectInstalments(sql, a.workspace_id, id);
        const json::object before = Snapshot(*inv);
        auto audit_action = edit(sql, vis, *inv);
        if (!audit_action) return audit_action.take_error();
        SaveMoney(sql, *inv, a, now);
        auto card = CardOf(sql, a.workspace_id, id, vis.today());
        if (!audit_action->empty())
            events::WriteAudit(sql, a, now, {*audit_action, kInvoice, id, before, Snapshot(card.invoice)});
        return card;
    });
}

void BillingService::SaveMoney(soci::session& sql, Invoice& inv, const core::Actor& by, core::Millis now) {
    inv.updated_at = now;
    store::UpdateInvoice(sql, inv);
    if (DealPaymentState(sql, inv.workspace_id, inv.deal_id) == PaymentState::kPaid)
        deals_.SettlePaymentWindowInTx(sql, inv.workspace_id, inv.deal_id, by, now);
}

core::Id BillingService::RecordPayment(soci::session& sql, Invoice& inv, Payment p, const core::Actor& by,
                                       core::Millis now) {
    p.workspace_id = inv.workspace_id;
    p.invoice_id = inv.id;
    p.currency = inv.currency;
    p.created_by = ActorUser(by);
    p.created_at = now;
    const json::object before{{"paid_minor", inv.paid_minor}};
    p.id = store::InsertPayment(sql, p);
    AfterMoney(sql, inv, now);
    json::object after = PaymentSnapshot(p);
    after["paid_minor"] = inv.paid_minor;
    events::WriteAudit(sql, by, now, {"payment.create", kPayment, p.id, before, after});
    return p.id;
}

void BillingService::AfterMoney(soci::session& sql, Invoice& inv, core::Millis now,
                                const std::vector<core::Id>& old_instalments) {
    inv.paid_minor = store::PaidSum(sql, inv.workspace_id, inv.id);
    inv.next_due_date = NextDueDate(inv.due_date, inv.instalments, inv.paid_minor);
    if (inv.paid_minor >= inv.totals.total_minor) {
        if (!inv.paid_at) inv.paid_at = now;
    } else {
        inv.paid_at.reset();
    }
    Reschedule(sql, inv, old_instalments, now);
}

core::Result<InvoiceCard> BillingService::Update(const core::Actor& a, core::Id id, const InvoiceInput& in) {
    std::vector<core::FieldError> errs;
    CheckInput(in, errs);
    OTDEL_TRY_VOID(Validation(std::move(errs)));
    const core::Millis now = clock_.NowMs();
    return Change(
        a, id, kInvoice, Action::kUpdate,
        [&](soci::session& sql, const auth::Visibility&, Invoice& inv) -> core::Result<std::string> {
            if (inv.state == kCancelled) return Error::Of(ErrorCode::kConflict, "billing.cancelled");
            if (inv.state == kIssued && (in.lines || in.currency || in.vat_included || in.issue_date))
                return Error::Of(ErrorCode::kConflict, "billing.issued_locked");
            if (in.due_date) {
                if (!inv.instalments.empty()) return Error::Field("due_date", "from_schedule");
                inv.due_date = *in.due_date;
            }
            if (in.issue_date) inv.issue_date = *in.issue_date;
            if (in.currency) inv.currency = *in.currency;
            if (in.payment_form) inv.payment_form = *in.payment_form;
            if (in.note) inv.note = *in.note;
            if (in.vat_included) inv.vat_included = *in.vat_included;
            if (in.lines) inv.lines = *in.lines;
            if (inv.due_date < inv.issue_date) return Error::Field("due_date", "before_issue", inv.issue_date);
            if (inv.state == kDraft) {
                auto totals = Price(inv.lines, inv.vat_included);
                if (!totals) return totals.take_error();
                inv.totals = *totals;
                // The schedule keeps summing to the total and starting on or after the issue date.
                OTDEL_TRY_VOID(Validation(ValidateSchedule(inv.instalments, inv.totals.total_minor, inv.issue_date)));
                if (in.lines) store::ReplaceLines(sql, inv.workspace_id, inv.id, inv.lines);
            }
            AfterMoney(sql, inv, now);
            return std::string("invoice.update");
        });
}

core::Result<InvoiceCard> BillingService::Issue(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return Change(a, id, kInvoice, Action::kUpdate,
                  [&](soci::session& sql, const auth::Visibility&, Invoice& inv) -> core::Result<std::string> {
                      OTDEL_TRY_VOID(IssueInTx(sql, inv, now));
                      AfterMoney(sql, inv, now);
                      return std::string("invoice.issue");
                  });
}

core::Result<InvoiceCard> BillingService::Cancel(const core::Actor& a, core::Id id, const std::string& reason) {
    if (reason.size() > kMaxNote) return Error::Field("reason", "too_long", std::to_string(kMaxNote));
    const core::Millis now = clock_.NowMs();
    return Change(a, id, kInvoice, Action::kUpdate,
                  [&](soci::session& sql, const auth::Visibility& vis, Invoice& inv) -> core::Result<std::string> {
                      if (inv.state == kCancelled) return Error::Of(ErrorCode::kConflict, "billing.cancelled");
                      // An issued invoice is a document the client holds: taking it back needs invoice:delete, and no
                      // money on it.
                      if (inv.state == kIssued && !vis.Can(Action::kDelete, kInvoice))
                          return Error::Of(ErrorCode::kForbidden);
                      if (inv.state == kIssued && store::PaidSum(sql, inv.workspace_id, inv.id) > 0)
                          return Error::Of(ErrorCode::kConflict, "billing.has_payments");
                      inv.state = std::string(kCancelled);
                      inv.cancelled_at = now;
                      inv.cancel_reason = reason;
                      Reschedule(sql, inv, {}, now);
                      return std::string("invoice.cancel");
                  });
}

core::Result<InvoiceCard> BillingService::SetSchedule(const core::Actor& a, core::Id id,
                                                      std::vector<Instalment> items) {
    const core::Millis now = clock_.NowMs();
    return Change(a, id, kInvoice, Action::kUpdate,
                  [&](soci::session& sql, const auth::Visibility&, Invoice& inv) -> core::Result<std::string> {
                      if (inv.state == kCancelled) return Error::Of(ErrorCode::kConflict, "billing.cancelled");
                      if (inv.state == kIssued && inv.paid_minor >= inv.totals.total_minor)
                          return Error::Of(ErrorCode::kConflict, "billing.paid");
                      OTDEL_TRY_VOID(Validation(ValidateSchedule(items, inv.totals.total_minor, inv.issue_date)));
                      std::vector<core::Id> old;
                      for (const auto& it : inv.instalments) old.push_back(it.id);
                      store::ReplaceInstalments(sql, inv.workspace_id, inv.id, items, now);
                      inv.instalments = items;
                      if (!items.empty()) inv.due_date = items.back().due_date;
                      AfterMoney(sql, inv, now, old);
                      return std::string("invoice.schedule");
                  });
}

core::Result<InvoiceCard> BillingService::AddPayment(const core::Actor& a, core::Id invoice_id,
                                                     const PaymentInput& in) {
    OTDEL_TRY_VOID(Validation(ValidatePayment(in)));
    const core::Millis now = clock_.NowMs();
    return Change(a, invoice_id, kPayment, Action::kCreate,
                  [&](soci::session& sql, const auth::Visibility&, Invoice& inv) -> core::Result<std::string> {
                      if (inv.state == kDraft) return Error::Of(ErrorCode::kConflict, "billing.not_issued");
                      if (inv.state == kCancelled) return Error::Of(ErrorCode::kConflict, "billing.cancelled");
                      if (in.amount_minor > inv.outstanding_minor() &&
                          !store::ReadSettings(sql, inv.workspace_id).allow_overpayment)
                          return Error::Field("amount_minor", "overpayment", FormatMinor(inv.outstanding_minor()));
                      Payment p;
                      p.paid_on = in.paid_on;
                      p.amount_minor = in.amount_minor;
                      p.method = in.method;
                      p.reference = in.reference;
                      p.payer_inn = in.payer_inn;
                      p.note = in.note;
                      RecordPayment(sql, inv, std::move(p), a, now);
                      return std::string();  // audited as the payment
                  });
}

core::Result<InvoiceCard> BillingService::ReversePayment(const core::Actor& a, core::Id payment_id) {
    OTDEL_TRY_VOID(SignedIn(a));
    const auto found =
        db_.Read([&](soci::session& sql) { return store::SelectPayment(sql, a.workspace_id, payment_id); });
    if (!found) return NotFound();
    const core::Millis now = clock_.NowMs();
    return Change(a, found->invoice_id, kPayment, Action::kDelete,
                  [&](soci::session& sql, const auth::Visibility&, Invoice& inv) -> core::Result<std::string> {
                      auto p = store::SelectPayment(sql, a.workspace_id, payment_id);
                      if (p->deleted_at) return Error::Of(ErrorCode::kConflict, "billing.payment_reversed");
                      const json::object before = PaymentSnapshot(*p);
                      store::ReversePayment(sql, a.workspace_id, payment_id, ActorUser(a), now);
                      AfterMoney(sql, inv, now);
                      p->deleted_at = now;
                      json::object after = PaymentSnapshot(*p);
                      after["paid_minor"] = inv.paid_minor;
                      events::WriteAudit(sql, a, now, {"payment.reverse", kPayment, payment_id, before, after});
                      return std::string();  // audited as the payment
                  });
}

// ---------------------------------------------------------------------------------------------------------------
// Bank statements

core::Result<BankImportResult> BillingService::ImportBankStatement(const core::Actor& a, const std::string& file_name,
                                                                   const std::string& bytes) {
    OTDEL_TRY_VOID(SignedIn(a));
    if (bytes.size() > kMaxBankFileBytes) return Error::Of(ErrorCode::kPayloadTooLarge);
    if (bytes.empty()) return Error::Field("file", "empty_file");
    if (file_name.size() > 255) return Error::Field("file_name", "too_long", "255");
    const auto rows = ParseBankStatement(bytes);
    if (rows.size() > kMaxBankRows) return Error::Field("file", "too_many", std::to_string(kMaxBankRows));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<BankImportResult> {
        const auto vis = VisibilityOf(sql, a, now);
        if (!vis.Can(Action::kCreate, kPayment)) return Error::Of(ErrorCode::kForbidden);
        const core::Id ws = a.workspace_id;
        const Settings settings = store::ReadSettings(sql, ws);
        const auth::Predicate writable = vis.Write("d");
        auto open = store::MatchableInvoices(sql, writable);
        BankImportResult result;
        store::BankImport& b = result.summary;
        b.file_name = file_name;
        b.created_by = ActorUser(a);
        b.created_at = now;
        b.id = store::InsertBankImport(sql, ws, b);
        json::array report;
        for (const auto& row : rows) {
            ImportRow r;
            r.row = row;
            ++b.rows_total;
            const std::string key = BankRowKey(row);
            std::optional<Match> m;
            if (!row.errors.empty()) {
                r.result = "invalid";
            } else if (store::ImportKeyTaken(sql, ws, key)) {
                r.result = "duplicate";
            } else if (m = MatchBankRow(row, open); !m->invoice_id) {
                r.result = "unmatched";
                r.reason = m->reason;
            } else {
                auto inv = store::SelectInvoiceById(sql, ws, *m->invoice_id);
                r.invoice_id = inv->id;
                r.invoice_number = inv->number.value_or("");
                r.matched_by = m->by;
                if (row.amount_minor > inv->outstanding_minor() && !settings.allow_overpayment) {
                    r.result = "rejected";
                    r.reason = "overpayment";
                } else {
                    Payment p;
                    p.paid_on = row.date;
                    p.amount_minor = row.amount_minor;
                    p.reference = row.reference;
                    p.payer_inn = row.payer_inn;
                    p.note = row.purpose;
                    p.source = "bank_import";
                    p.bank_import_id = b.id;
                    p.import_key = key;
                    inv->instalments = store::SelectInstalments(sql, ws, inv->id);
                    r.payment_id = RecordPayment(sql, *inv, std::move(p), a, now);
                    SaveMoney(sql, *inv, a, now);
                    for (auto& o : open)
                        if (o.id == inv->id) o.outstanding_minor = inv->outstanding_minor();
                    r.result = "matched";
                }
            }
            if (r.result == "matched") ++b.matched;
            if (r.result == "duplicate") ++b.duplicates;
            if (r.result == "unmatched") ++b.unmatched;
            if (r.result == "rejected" || r.result == "invalid") ++b.rejected;
            json::array errors;
            for (const auto& e : row.errors)
                errors.push_back(json::object{{"field", e.field}, {"code", e.code}, {"message", ""}});
            report.push_back(json::object{{"line", row.line},
                                          {"date", row.date},
                                          {"amount_minor", row.amount_minor},
                                          {"payer_inn", row.payer_inn},
                                          {"purpose", row.purpose},
                                          {"reference", row.reference},
                                          {"result", r.result},
                                          {"reason", r.reason},
                                          {"matched_by", r.matched_by},
                                          {"invoice_id", OrNull(r.invoice_id)},
                                          {"invoice_number", r.invoice_number},
                                          {"payment_id", OrNull(r.payment_id)},
                                          {"errors", std::move(errors)}});
            result.rows.push_back(std::move(r));
        }
        b.report = json::serialize(report);
        store::UpdateBankImport(sql, ws, b);
        events::WriteAudit(sql, a, now,
                           {"bank_import.create", "bank_import", b.id, std::nullopt,
                            json::object{{"file_name", b.file_name},
                                         {"rows", b.rows_total},
                                         {"matched", b.matched},
                                         {"duplicates", b.duplicates},
                                         {"unmatched", b.unmatched},
                                         {"rejected", b.rejected}}});
        return result;
    });
}

core::Result<std::vector<store::BankImport>> BillingService::ListBankImports(const core::Actor& a,
                                                                             std::optional<core::Id> before,
                                                                             int limit) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::BankImport>> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kCreate, kPayment)) return Error::Of(ErrorCode::kForbidden);
        return store::ListBankImports(sql, a.workspace_id, before, limit);
    });
}

core::Result<BankImportResult> BillingService::GetBankImport(const core::Actor& a, core::Id id) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<BankImportResult> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kCreate, kPayment)) return NotFound();
        auto b = store::SelectBankImport(sql, a.workspace_id, id);
        if (!b) return NotFound();
        BankImportResult r;
        r.summary = *b;
        return r;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Overdue lists

core::Result<OverdueSummary> BillingService::Overdue(const core::Actor& a) {
    OTDEL_TRY_VOID(SignedIn(a));
    return db_.Read([&](soci::session& sql) -> core::Result<OverdueSummary> {
        const auto vis = VisibilityOf(sql, a, clock_.NowMs());
        if (!vis.Can(Action::kRead, kInvoice)) return Error::Of(ErrorCode::kForbidden);
        OverdueSummary s;
        s.today = vis.today();
        const auth::Predicate visible = vis.Read("d");
        std::map<std::optional<core::Id>, OverdueGroup> people, teams;
        for (const auto& r : store::OverdueByOwner(sql, s.today, visible)) {
            auto& p = people[r.user_id];
            p.id = r.user_id;
            p.name = r.user_name;
            p.department_id = r.department_id;
            p.department_name = r.department_name;
            p.count += r.count;
            p.totals = AddTotal(std::move(p.totals), r.currency, r.outstanding_minor);
            auto& t = teams[r.department_id];
            t.id = r.department_id;
            t.name = r.department_name;
            t.count += r.count;
            t.totals = AddTotal(std::move(t.totals), r.currency, r.outstanding_minor);
        }
        for (auto& [k, g] : people) s.by_person.push_back(std::move(g));
        for (auto& [k, g] : teams) s.by_team.push_back(std::move(g));
        auto by_name = [](const OverdueGroup& x, const OverdueGroup& y) { return x.name < y.name; };
        std::sort(s.by_person.begin(), s.by_person.end(), by_name);
        std::sort(s.by_team.begin(), s.by_team.end(), by_name);
        return s;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The 72-hour rule, timers and jobs

PaymentState BillingService::DealPaymentState(soci::session& sql, core::Id ws, core::Id deal_id) {
    const auto [live, paid] = store::DealInvoiceCounts(sql, ws, deal_id);
    if (live == 0) return PaymentState::kNoInvoices;
    return paid == live ? PaymentState::kPaid : PaymentState::kUnpaid;
}

void BillingService::Reschedule(soci::session& sql, const Invoice& inv, const std::vector<core::Id>& old_instalments,
                                core::Millis now) {
    const core::Id ws = inv.workspace_id;
    std::set<core::Id> ids(old_instalments.begin(), old_instalments.end());
    for (const auto& it : inv.instalments) ids.insert(it.id);
    for (core::Id id : ids) {
        jobs::JobStore::CancelPending(sql, ws, kReminderJob, ReminderKey(id, ReminderKind::kMidTerm), now);
        jobs::JobStore::CancelPending(sql, ws, kReminderJob, ReminderKey(id, ReminderKind::kDayBefore), now);
        jobs::JobStore::CancelPending(sql, ws, kDueJob, DueKey(id), now);
    }
    jobs::JobStore::CancelPending(sql, ws, kDueJob, InvoiceDueKey(inv.id), now);
    if (inv.state != kIssued || inv.paid_minor >= inv.totals.total_minor) return;
    const std::string tz = org::store::WorkspaceTimeZone(sql, ws);
    auto schedule = [&](const char* kind, const std::string& key, core::Millis at, json::object payload) {
        jobs::JobSpec spec;
        spec.workspace_id = ws;
        spec.kind = kind;
        spec.payload = std::move(payload);
        spec.run_at = std::max(at, now);
        spec.dedupe_key = key;
        spec.max_attempts = 8;
        jobs::JobStore::Schedule(sql, spec, now);
    };
    auto day_after = [](const std::string& day) { return org::Day{org::ParseDay(day)->days + 1}; };
    if (inv.instalments.empty()) {
        if (!inv.overdue_at)
            schedule(kDueJob, InvoiceDueKey(inv.id), LocalMoment(tz, day_after(inv.due_date), 0),
                     json::object{{"invoice_id", inv.id}, {"instalment_id", 0}, {"due_date", inv.due_date}});
        return;
    }
    auto items = inv.instalments;
    Allocate(items, inv.paid_minor, "");
    std::vector<org::Day> dues;
    for (const auto& it : items) dues.push_back(*org::ParseDay(it.due_date));
    for (const auto& r : PlanReminders(*org::ParseDay(inv.issue_date), dues)) {
        const Instalment& it = items[r.index];
        const core::Millis at = LocalMoment(tz, r.day, kReminderMinute);
        if (it.status == "paid" || at <= now) continue;
        schedule(kReminderJob, ReminderKey(it.id, r.kind), at,
                 json::object{{"invoice_id", inv.id},
                              {"instalment_id", it.id},
                              {"kind", ReminderKindName(r.kind)},
                              {"due_date", it.due_date}});
    }
    for (const auto& it : items)
        if (it.status != "paid" && !it.overdue_at)
            schedule(kDueJob, DueKey(it.id), LocalMoment(tz, day_after(it.due_date), 0),
                     json::object{{"invoice_id", inv.id}, {"instalment_id", it.id}, {"due_date", it.due_date}});
}

void BillingService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler.Register(kReminderJob, [this](const jobs::JobContext& ctx) { return HandleReminder(ctx); });
    scheduler.Register(kDueJob, [this](const jobs::JobContext& ctx) { return HandleDue(ctx); });
}

namespace {

struct JobRef {
    core::Id invoice_id = 0, instalment_id = 0;
    std::string due_date, kind;
};

std::optional<JobRef> ReadJob(const json::object& p) {
    const auto* inv = p.if_contains("invoice_id");
    const auto* inst = p.if_contains("instalment_id");
    const auto* due = p.if_contains("due_date");
    if (!inv || !inv->is_int64() || !inst || !inst->is_int64() || !due || !due->is_string()) return std::nullopt;
    JobRef r{inv->as_int64(), inst->as_int64(), std::string(due->as_string()), ""};
    if (const auto* k = p.if_contains("kind"); k && k->is_string()) r.kind = std::string(k->as_string());
    return r;
}

// The instalment of a job as it stands now, with its share of the payments; nullopt when the timer is stale (the
// invoice was paid, cancelled or re-planned since).
std::optional<std::pair<Invoice, Instalment>> LiveDue(soci::session& sql, core::Id ws, const JobRef& j,
                                                      const std::string& today) {
    auto inv = store::SelectInvoiceById(sql, ws, j.invoice_id);
    if (!inv || inv->state != kIssued || inv->paid_minor >= inv->totals.total_minor) return std::nullopt;
    inv->instalments = store::SelectInstalments(sql, ws, inv->id);
    Allocate(inv->instalments, inv->paid_minor, today);
    for (const auto& it : inv->instalments)
        if (it.id == j.instalment_id && it.due_date == j.due_date && it.status != "paid") return std::pair{*inv, it};
    return std::nullopt;
}

}  // namespace

core::Result<void> BillingService::HandleReminder(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto job = ReadJob(ctx.job.payload);
    const auto kind = job ? ParseReminderKind(job->kind) : std::nullopt;
    if (!job || !kind) return core::Ok();  // not ours to retry
    struct Send {
        core::Id row = 0;
        std::string channel, target;
    };
    std::vector<Send> to_send;
    ReminderText text;
    core::Lang lang = core::Lang::kRu;
    auto read = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto due = LiveDue(sql, ws, *job, org::store::WorkspaceToday(sql, ws, ctx.now));
        if (!due) return core::Ok();
        const auto& [inv, it] = *due;
        long long wsl = ws;
        std::string locale;
        sql << "SELECT default_locale FROM workspaces WHERE id = :ws", soci::use(wsl, "ws"), soci::into(locale);
        lang = core::ParseLang(locale);
        ReminderFacts facts{store::WorkspaceName(sql, ws),   inv.payer_name, inv.number.value_or(""), it.due_date,
                            it.amount_minor - it.paid_minor, inv.currency};
        text = RenderReminder(*kind, facts, lang);
        const std::string kind_name(ReminderKindName(*kind));
        for (const auto& [channel, point, on] :
             {std::tuple{std::string("email"), std::string("email"), mailer_ != nullptr},
              std::tuple{std::string("sms"), std::string("phone"), sms_ != nullptr}}) {
            const auto target = store::ClientPoint(sql, ws, inv.contact_id, inv.company_id, point);
            auto row = store::ClaimReminder(sql, ws, inv.id, it.id, kind_name, channel, target.value_or(""), ctx.now);
            if (row.status != "pending") continue;  // sent, skipped or failed before
            if (!target) {
                store::MarkReminder(sql, ws, row.id, "skipped", "no_address", std::nullopt);
            } else if (!on) {
                store::MarkReminder(sql, ws, row.id, "skipped", "channel_off", std::nullopt);
            } else {
                to_send.push_back({row.id, channel, *target});
            }
        }
        return core::Ok();
    });
    if (!read) return read;
    // The network calls happen outside any transaction; each row records its own outcome.
    std::optional<Error> failure;
    const bool last = ctx.job.attempts >= ctx.job.max_attempts;
    for (const auto& s : to_send) {
        core::Result<void> sent =
            s.channel == "email" ? mailer_->Send({s.target, text.subject, text.body}) : sms_->Send(s.target, text.sms);
        auto marked = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            if (sent)
                store::MarkReminder(sql, ws, s.row, "sent", "", clock_.NowMs());
            else
                store::MarkReminder(sql, ws, s.row, last ? "failed" : "pending", sent.error().message_key,
                                    std::nullopt);
            return core::Ok();
        });
        (void)marked;  // the row only records the outcome: a failed write leaves it pending for the retry
        if (!sent) {
            spdlog::warn("billing: reminder by {} to {} failed: {}", s.channel, s.target, sent.error().message_key);
            failure = sent.error();
        }
    }
    if (failure) return *failure;
    return core::Ok();
}

core::Result<void> BillingService::HandleDue(const jobs::JobContext& ctx) {
    const core::Id ws = ctx.job.workspace_id;
    const auto job = ReadJob(ctx.job.payload);
    if (!job) return core::Ok();
    bool notified = false;
    auto done = db_.InTx([&](soci::session& sql) -> core::Result<void> {
        const std::string today = org::store::WorkspaceToday(sql, ws, ctx.now);
        const core::Actor system = core::Actor::System(ws);
        std::optional<Invoice> inv;
        std::int64_t owed = 0;
        if (job->instalment_id == 0) {
            inv = store::SelectInvoiceById(sql, ws, job->invoice_id);
            if (!inv || inv->state != kIssued || inv->paid_minor >= inv->totals.total_minor || inv->overdue_at ||
                inv->due_date != job->due_date || inv->due_date >= today)
                return core::Ok();
            const json::object before{{"overdue_at", nullptr}};
            inv->overdue_at = ctx.now;
            inv->updated_at = ctx.now;
            store::UpdateInvoice(sql, *inv);
            events::WriteAudit(sql, system, ctx.now,
                               {"invoice.overdue", kInvoice, inv->id, before, json::object{{"overdue_at", ctx.now}}});
            owed = inv->outstanding_minor();
        } else {
            auto due = LiveDue(sql, ws, *job, today);
            if (!due || due->second.overdue_at || due->second.due_date >= today) return core::Ok();
            inv = due->first;
            store::SetInstalmentOverdue(sql, ws, due->second.id, ctx.now);
            events::WriteAudit(sql, system, ctx.now,
                               {"instalment.overdue", kInvoice, inv->id,
                                json::object{{"instalment_id", due->second.id}, {"overdue_at", nullptr}},
                                json::object{{"instalment_id", due->second.id}, {"overdue_at", ctx.now}}});
            owed = due->second.amount_minor - due->second.paid_minor;
        }
        if (inv->owner_user_id) {
            const json::object params{{"invoice_id", inv->id},    {"number", inv->number.value_or("")},
                                      {"deal_id", inv->deal_id},  {"title", inv->deal_title},
                                      {"payer", inv->payer_name}, {"due_date", job->due_date},
                                      {"amount_minor", owed},     {"currency", inv->currency}};
            events::Notify(sql, ws, *inv->owner_user_id,
                           job->instalment_id == 0 ? "billing.invoice_overdue" : "billing.instalment_missed", params,
                           InvoiceLink(inv->id), ctx.now);
            notified = true;
        }
        return core::Ok();
    });
    if (done && notified && after_commit_) after_commit_();
    return done;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

core::Result<BillingService::PdfFile> BillingService::Pdf(const core::Actor& a, core::Id id) {
    auto card = Get(a, id);
    if (!card) return card.take_error();
    const Invoice& inv = card->invoice;
    const bool en = a.lang == core::Lang::kEn;
    std::string seller_name;
    std::optional<documents::PdfRequisites> buyer;
    db_.Read([&](soci::session& sql) {
        seller_name = store::WorkspaceName(sql, a.workspace_id);
        if (inv.company_id) {
            long long wsl = a.workspace_id, cid = *inv.company_id;
            documents::PdfRequisites r;
            std::string kpp, ogrn;
            soci::indicator kpp_ind = soci::i_null, ogrn_ind = soci::i_null;
            sql << "SELECT COALESCE(NULLIF(full_name, ''), name), COALESCE(inn, ''), kpp, ogrn, legal_address FROM "
                   "companies WHERE workspace_id = :ws AND id = :id",
                soci::use(wsl, "ws"), soci::use(cid, "id"), soci::into(r.legal_name), soci::into(r.inn),
                soci::into(kpp, kpp_ind), soci::into(ogrn, ogrn_ind), soci::into(r.address);
            if (sql.got_data()) {
                if (kpp_ind == soci::i_ok) r.kpp = kpp;
                if (ogrn_ind == soci::i_ok) r.ogrn = ogrn;
                buyer = r;
            }
        }
        return 0;
    });
    documents::PdfDocument doc;
    doc.lang = a.lang;
    std::optional<Seller> seller = seller_ ? seller_(a) : std::nullopt;
    if (seller) {
        doc.seller = seller->org;
        doc.logo_png = std::move(seller->logo_png);
    }
    if (doc.seller.legal_name.empty()) doc.seller.legal_name = seller_name;
    const std::string number = inv.number.value_or(en ? "draft" : "черновик");
    doc.title = (en ? "Invoice No. " : "Счёт на оплату № ") + number + (en ? " of " : " от ") +
                documents::FormatDate(inv.issue_date, a.lang);
    if (inv.state == kCancelled) doc.subtitle = en ? "CANCELLED" : "АННУЛИРОВАН";
    doc.seller_block_label = en ? "Supplier" : "Поставщик";
    doc.buyer_block_label = en ? "Buyer" : "Покупатель";
    if (!buyer && !inv.payer_name.empty()) {
        documents::PdfRequisites r;
        r.legal_name = inv.payer_name;
        r.inn = inv.payer_inn;
        buyer = r;
    }
    doc.buyer = buyer;
    static const std::map<std::string, std::pair<const char*, const char*>> kForms = {
        {"bank_transfer", {"безналичный расчёт", "bank transfer"}},
        {"letter_of_credit", {"аккредитив", "letter of credit"}},
        {"cheque", {"чек", "cheque"}},
        {"collection", {"инкассо", "collection"}},
        {"open_account", {"открытый счёт", "open account"}},
        {"commodity_credit", {"товарный кредит", "commodity credit"}},
        {"cash_card", {"наличные или карта", "cash or card"}}};
    const auto form = kForms.find(inv.payment_form);
    doc.info.push_back({en ? "Payment due" : "Оплатить до", documents::FormatDate(inv.due_date, a.lang)});
    if (form != kForms.end())
        doc.info.push_back({en ? "Payment form" : "Форма оплаты", en ? form->second.second : form->second.first});
    doc.info.push_back({en ? "Deal" : "Сделка", inv.deal_title});
    doc.currency = inv.currency;
    doc.columns.vat = true;
    doc.columns.discount =
        std::any_of(inv.lines.begin(), inv.lines.end(), [](const auto& l) { return l.discount_bp > 0; });
    for (const auto& l : inv.lines)
        doc.lines.push_back({l.name, l.sku, l.unit, l.quantity_milli, l.unit_price_minor, l.discount_bp, l.vat_rate_bp,
                             l.vat_minor, l.amount_minor});
    if (inv.vat_included) {
        doc.totals.push_back({en ? "Total" : "Итого", inv.totals.total_minor});
        doc.totals.push_back(
            {inv.totals.vat_minor > 0 ? (en ? "incl. VAT" : "В том числе НДС") : (en ? "Without VAT" : "Без НДС"),
             inv.totals.vat_minor});
    } else {
        doc.totals.push_back({en ? "Total without VAT" : "Итого без НДС", inv.totals.net_minor});
        doc.totals.push_back({en ? "VAT" : "НДС", inv.totals.vat_minor});
    }
    if (inv.paid_minor > 0) doc.totals.push_back({en ? "Paid" : "Оплачено", inv.paid_minor});
    doc.totals.push_back({en ? "Amount due" : "Всего к оплате", inv.outstanding_minor()});
    doc.amount_in_words = (en ? "Items: " : "Всего наименований ") + std::to_string(inv.lines.size()) +
                          (en ? ", total " : ", на сумму ") + documents::FormatMoney(inv.totals.total_minor, a.lang) +
                          " " + (inv.currency == "RUB" && !en ? "руб." : inv.currency) + ". " +
                          AmountInWords(inv.totals.total_minor, inv.currency, a.lang);
    if (!inv.instalments.empty()) {
        doc.schedule_title = en ? "Payment schedule" : "График платежей";
        for (const auto& it : inv.instalments)
            doc.schedule.push_back({documents::FormatDate(it.due_date, a.lang), it.amount_minor, it.note});
    }
    if (!inv.note.empty()) doc.after.push_back({"", inv.note});
    const bool signer = seller && !seller->signer_title.empty();
    doc.signatures.push_back(
        {signer ? seller->signer_title : (en ? "Director" : "Руководитель"), seller ? seller->signer_name : ""});
    doc.signatures.push_back({en ? "Accountant" : "Бухгалтер", ""});
    doc.footer_note = number;
    try {
        // ASCII letters, digits, '-' and '_' of the number, so every client reads the name.
        std::string safe;
        for (char ch : inv.number.value_or("draft-" + std::to_string(inv.id)))
            safe += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') ? ch : '-';
        return PdfFile{"invoice-" + safe + ".pdf", documents::RenderPdf(doc)};
    } catch (const std::exception& e) {
        spdlog::error("billing: invoice PDF failed: {}", e.what());
        return Error::Of(ErrorCode::kInternal);
    }
}

}  // namespace otdel::billing
