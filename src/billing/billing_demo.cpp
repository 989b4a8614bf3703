#include "billing/billing_demo.hpp"

#include <stdexcept>

#include "billing/billing_service.hpp"
#include "core/messages.hpp"
#include "org/work_calendar.hpp"

namespace otdel::billing {
namespace {

using core::kDay;

// A date relative to today and a share of the invoice's total in percent (the last due takes the rest).
struct Due {
    int in_days;
    int percent;
};

struct DemoInvoice {
    const char* deal_title;  // one of the demo deals (deals_demo.cpp)
    int issued_days_ago;
    int due_in_days;
    const char* payment_form;
    bool issue;
    std::vector<Due> schedule;
    std::vector<Due> payments;  // in_days: when it came (negative: days ago)
};

const std::vector<DemoInvoice>& Invoices() {
    static const std::vector<DemoInvoice> k = {
        {"Кухня 3 м, фасады МДФ", 20, -15, "bank_transfer", true, {}, {{-16, 100}}},
        {"Встроенная кухня с техникой", 40, 2, "bank_transfer", true, {{-30, 40}, {-5, 30}, {2, 30}}, {{-31, 40}}},
        {"Гардеробная и кухня в таунхаус", 3, 7, "bank_transfer", true, {}, {{-2, 50}}},
        {"П-образная кухня с барной стойкой", 12, -2, "bank_transfer", true, {}, {}},
        {"Шкаф-купе в прихожую и кухня", 10, -3, "bank_transfer", true, {}, {}},
        {"Кухня для кафе «Пышка»", 0, 5, "open_account", false, {}, {}},
    };
    return k;
}

constexpr const char* kCountInvoices = "SELECT COUNT(*) FROM invoices WHERE workspace_id = :ws";
constexpr const char* kDealByTitle =
    "SELECT id, amount_minor FROM deals WHERE workspace_id = :ws AND title = :title AND deleted_at IS NULL";

void Check(const core::Result<InvoiceCard>& r, const std::string& what) {
    if (!r) throw std::runtime_error("demo invoices: " + what + ": " + core::ErrorMessage(r.error(), core::Lang::kEn));
}

}  // namespace

int SeedDemoBilling(db::Database& db, const core::Clock& clock, core::Id ws) {
    const long long wsl = ws;
    long long existing = 0;
    db.Read([&](soci::session& sql) {
        sql << kCountInvoices, soci::use(wsl, "ws"), soci::into(existing);
        return 0;
    });
    if (existing > 0) return 0;
    deals::DealsService deals(db, clock);
    BillingService billing(db, clock, deals, nullptr, nullptr);
    const core::Actor system = core::Actor::System(ws);
    const core::Millis now = clock.NowMs();
    auto day = [&](int offset) { return org::LocalDateText("Europe/Moscow", now + offset * kDay); };
    int created = 0;
    for (const auto& demo : Invoices()) {
        long long deal_id = 0, amount = 0;
        const std::string title = demo.deal_title;
        db.Read([&](soci::session& sql) {
            sql << kDealByTitle, soci::use(wsl, "ws"), soci::use(title, "title"), soci::into(deal_id),
                soci::into(amount);
            return 0;
        });
        if (deal_id == 0 || amount <= 0) continue;  // the demo deals were changed by hand: leave their money alone
        InvoiceInput in;
        in.deal_id = deal_id;
        in.issue_date = day(-demo.issued_days_ago);
        in.due_date = day(demo.due_in_days);
        in.payment_form = std::string(demo.payment_form);
        in.note = "Оплата по счёту означает согласие с условиями договора.";
        // The deal's own lines when the catalog gave it some; else the studio's usual two: the furniture by the
        // design project, and delivery with fitting (about 8 %).
        auto inv = billing.Create(system, in);
        if (!inv && !inv.error().fields.empty() && inv.error().fields[0].field.rfind("lines", 0) == 0) {
            const std::int64_t fitting = amount / 100 * 8 / 100 * 100;
            InvoiceLine kitchen, work;
            kitchen.name = "Мебель по дизайн-проекту: " + std::string(demo.deal_title);
            kitchen.unit = "компл.";
            kitchen.unit_price_minor = amount - fitting;
            kitchen.vat_rate_bp = 2200;
            work.name = "Доставка, сборка и монтаж";
            work.unit = "усл.";
            work.unit_price_minor = fitting;
            work.vat_rate_bp = 2200;
            in.lines = std::vector<InvoiceLine>{kitchen, work};
            inv = billing.Create(system, in);
        }
        Check(inv, std::string("cannot invoice ") + demo.deal_title);
        const core::Id id = inv->invoice.id;
        const std::int64_t total = inv->invoice.totals.total_minor;
        auto share = [&](int percent) { return total / 100 * percent; };
        if (!demo.schedule.empty()) {
            std::vector<Instalment> items;
            std::int64_t planned = 0;
            for (std::size_t k = 0; k < demo.schedule.size(); ++k) {
                Instalment it;
                it.due_date = day(demo.schedule[k].in_days);
                it.amount_minor = k + 1 == demo.schedule.size() ? total - planned : share(demo.schedule[k].percent);
                planned += it.amount_minor;
                items.push_back(it);
            }
            Check(billing.SetSchedule(system, id, items), "cannot plan the instalments");
        }
        if (demo.issue) Check(billing.Issue(system, id), std::string("cannot issue ") + demo.deal_title);
        int n = 0;
        for (const auto& p : demo.payments) {
            PaymentInput pay;
            pay.paid_on = day(p.in_days);
            pay.amount_minor = p.percent == 100 ? total : share(p.percent);
            pay.reference = "п/п " + std::to_string(1200 + 17 * created + n++);
            Check(billing.AddPayment(system, id, pay), "cannot record a payment");
        }
        ++created;
    }
    return created;
}

}  // namespace otdel::billing
