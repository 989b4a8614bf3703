// BillingService on both engines: who may invoice and pay what (a seller, a supervisor, the head, an accountant,
// a read-only analyst, support without rights), gap-free numbers (also under concurrent issues), payments with the
// overpayment rule and reversal, the schedule's validation, the bank statement import, the overdue lists — and, on
// the manual clock, an invoice with three instalments that gets its mid-term and day-before reminders and the miss
// notification at the right moments, and the 72-hour rule that now waits for the invoices to be paid.
#include <gtest/gtest.h>

#include <thread>

#include "billing/billing_service.hpp"
#include "clients/clients_service.hpp"
#include "deals/deals_service.hpp"
#include "jobs/scheduler.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::billing {
namespace {

using core::kHour;
using leads::testing::LeadsFixture;

class RecordingMailer : public mail::Mailer {
public:
    core::Result<void> Send(const mail::OutgoingMail& m) override {
        std::lock_guard lock(mu_);
        sent_.push_back(m);
        return core::Ok();
    }
    std::vector<mail::OutgoingMail> sent() {
        std::lock_guard lock(mu_);
        return sent_;
    }

private:
    std::mutex mu_;
    std::vector<mail::OutgoingMail> sent_;
};

class BillingServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        deals_->SetPaymentStateHook(&BillingService::DealPaymentState);
        billing_ = std::make_unique<BillingService>(tdb_.db(), clock_, *deals_, &mailer_, &sms_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        other_ = Dept("Команда Б", sales_);
        seller1_ = Person("s1@kuhni.test", "designer_manager", team_);
        seller2_ = Person("s2@kuhni.test", "designer_manager", team_);
        outsider_ = Person("s3@kuhni.test", "key_account_manager", other_);
        supervisor_ = Person("sup@kuhni.test", "supervisor", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        support_ = Person("help@kuhni.test", "support_specialist", sales_);
        accountant_ = Person("buh@kuhni.test", "accountant", sales_);
        auto p = deals_->ListPipelines(As(rop_), false);
        ASSERT_TRUE(p.ok());
        pipeline_ = p->front();
    }

    core::Id Company(core::Id owner, const std::string& inn) {
        clients::CompanyInput in;
        in.name = "ООО Ромашка " + std::to_string(++companies_);
        in.set_inn = true;
        in.inn = inn;
        in.points = std::vector<clients::PointInput>{
            {"email", "work", "client" + std::to_string(companies_) + "@romashka.test", true},
            {"phone", "mobile", "+7 916 123-45-6" + std::to_string(companies_ % 10), true}};
        auto c = clients_->CreateCompany(As(owner), in);
        EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message_key);
        return c.ok() ? c->company.id : 0;
    }
    core::Id NewDeal(core::Id owner, std::int64_t amount = 30'000'000, const std::string& inn = "7707083893") {
        deals::DealInput in;
        in.title = "Кухня " + std::to_string(++deals_made_);
        in.amount_minor = amount;
        in.set_company = true;
        in.company_id = Company(owner, inn);
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message_key);
        return d.ok() ? d->id : 0;
    }
    static InvoiceLine Line(std::int64_t price, std::optional<std::int32_t> vat = 2200) {
        InvoiceLine l;
        l.name = "Кухонный гарнитур";
        l.unit = "компл.";
        l.unit_price_minor = price;
        l.vat_rate_bp = vat;
        return l;
    }
    InvoiceInput Input(core::Id deal, std::int64_t total, bool issue) {
        InvoiceInput in;
        in.deal_id = deal;
        in.lines = std::vector<InvoiceLine>{Line(total)};
        in.issue = issue;
        return in;
    }
    InvoiceCard Invoice(core::Id owner, core::Id deal, std::int64_t total = 30'000'000, bool issue = true) {
        auto r = billing_->Create(As(owner), Input(deal, total, issue));
        EXPECT_TRUE(r.ok()) << (r.ok() ? ""
                                       : r.error().message_key + " " +
                                             (r.error().fields.empty() ? "" : r.error().fields[0].field));
        return r.ok() ? *r : InvoiceCard{};
    }
    core::Result<InvoiceCard> Pay(core::Id who, core::Id invoice, std::int64_t amount,
                                  const std::string& on = "2026-03-02") {
        PaymentInput p;
        p.paid_on = on;
        p.amount_minor = amount;
        p.reference = "п/п " + std::to_string(++refs_);
        return billing_->AddPayment(As(who), invoice, p);
    }
    std::set<core::Id> Visible(core::Id user) {
        InvoiceQuery q;
        q.limit = 200;
        auto page = billing_->List(As(user), q);
        std::set<core::Id> ids;
        if (page.ok())
            for (const auto& i : page->items) ids.insert(i.id);
        return ids;
    }
    core::Millis At(const char* day, int minute) { return LocalMoment("Europe/Moscow", *org::ParseDay(day), minute); }
    long long Notifications(const std::string& kind) {
        return Count("SELECT COUNT(*) FROM notifications WHERE kind = '" + kind + "'");
    }
    const deals::Stage& StageOfKind(const std::string& kind) {
        for (const auto& s : pipeline_.stages)
            if (s.kind == kind) return s;
        throw std::logic_error(kind);
    }
    const deals::Stage& Decision() {
        for (const auto& s : pipeline_.stages)
            if (s.is_decision) return s;
        throw std::logic_error("decision");
    }

    RecordingMailer mailer_;
    LoggingSmsSender sms_;
    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<BillingService> billing_;
    deals::Pipeline pipeline_;
    int companies_ = 0, deals_made_ = 0, refs_ = 0;
    core::Id sales_ = 0, team_ = 0, other_ = 0, seller1_ = 0, seller2_ = 0, outsider_ = 0, supervisor_ = 0, rop_ = 0,
             analyst_ = 0, support_ = 0, accountant_ = 0;
};

TEST_P(BillingServiceTest, SellersInvoiceTheirOwnDealsAndVisibilityFollowsTheDealsTree) {
    const core::Id d1 = NewDeal(seller1_), d2 = NewDeal(seller2_), d3 = NewDeal(outsider_);
    const auto i1 = Invoice(seller1_, d1);
    const auto i2 = Invoice(seller2_, d2);
    const auto i3 = Invoice(outsider_, d3);
    EXPECT_EQ(i1.invoice.owner_user_id, seller1_);
    EXPECT_EQ(i1.invoice.payer_inn, "7707083893") << "the payer is the deal's client";
    // Another seller's deal does not exist for a seller.
    auto foreign = billing_->Create(As(seller1_), Input(d2, 100, false));
    ASSERT_FALSE(foreign.ok());
    EXPECT_EQ(foreign.error().fields.at(0).field, "deal_id");
    EXPECT_EQ(Visible(seller1_), (std::set<core::Id>{i1.invoice.id}));
    EXPECT_EQ(Visible(supervisor_), (std::set<core::Id>{i1.invoice.id, i2.invoice.id}));
    EXPECT_EQ(Visible(rop_), (std::set<core::Id>{i1.invoice.id, i2.invoice.id, i3.invoice.id}));
    EXPECT_EQ(Visible(analyst_), (std::set<core::Id>{i1.invoice.id, i2.invoice.id, i3.invoice.id}));
    EXPECT_EQ(Visible(accountant_), (std::set<core::Id>{i1.invoice.id, i2.invoice.id, i3.invoice.id}));
    EXPECT_EQ(billing_->Get(As(seller2_), i1.invoice.id).error().code, core::ErrorCode::kNotFound);
    // Read-only and rightless roles.
    EXPECT_EQ(billing_->Create(As(analyst_), Input(d1, 100, false)).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(billing_->Create(As(supervisor_), Input(d1, 100, false)).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(billing_->List(As(support_), InvoiceQuery{}).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(billing_->Get(As(support_), i1.invoice.id).error().code, core::ErrorCode::kNotFound);
    // Payments are the accountant's and the head's; a seller reads them.
    EXPECT_EQ(Pay(seller1_, i1.invoice.id, 100).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(Pay(analyst_, i1.invoice.id, 100).error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(Pay(accountant_, i3.invoice.id, 100).ok());
    // An issued invoice is taken back by invoice:delete (the head), not by its seller.
    EXPECT_EQ(billing_->Cancel(As(seller1_), i1.invoice.id, "").error().code, core::ErrorCode::kForbidden);
    auto cancelled = billing_->Cancel(As(rop_), i1.invoice.id, "Клиент попросил новый счёт");
    ASSERT_TRUE(cancelled.ok());
    EXPECT_EQ(cancelled->invoice.status, "cancelled");
    EXPECT_EQ(billing_->Cancel(As(rop_), i3.invoice.id, "").error().message_key, "billing.has_payments");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.cancel'"), 1);
}

TEST_P(BillingServiceTest, NumbersAreGivenAtIssueInOrderWithoutGaps) {
    const core::Id deal = NewDeal(seller1_);
    const auto a = Invoice(seller1_, deal, 1000, false);
    const auto b = Invoice(seller1_, deal, 1000, false);
    const auto c = Invoice(seller1_, deal, 1000, false);
    EXPECT_FALSE(a.invoice.number) << "a draft has no number";
    ASSERT_TRUE(billing_->Cancel(As(seller1_), a.invoice.id, "").ok()) << "a cancelled draft takes no number";
    EXPECT_EQ(billing_->Issue(As(seller1_), c.invoice.id)->invoice.number, "2026-000001");
    EXPECT_EQ(billing_->Issue(As(seller1_), b.invoice.id)->invoice.number, "2026-000002");
    EXPECT_EQ(billing_->Issue(As(seller1_), b.invoice.id).error().message_key, "billing.not_draft");
    // A zero invoice is never issued (and takes no number).
    const auto zero = Invoice(seller1_, deal, 0, false);
    auto refused = billing_->Issue(As(seller1_), zero.invoice.id);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().fields.at(0).code, "zero_total");
    // Another prefix is another series, counted from 1; the year's series goes on where it stood.
    Settings s;
    s.number_prefix = "СЧ-{year}/";
    s.number_digits = 4;
    EXPECT_EQ(billing_->PutSettings(As(seller1_), s).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(billing_->PutSettings(As(rop_), s).ok());
    EXPECT_EQ(Invoice(seller1_, deal).invoice.number, "СЧ-2026/0001");
    s.number_prefix = "{year}-";
    s.number_digits = 6;
    ASSERT_TRUE(billing_->PutSettings(As(rop_), s).ok());
    EXPECT_EQ(Invoice(seller1_, deal).invoice.number, "2026-000003");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.issue'"), 4);
}

TEST_P(BillingServiceTest, ConcurrentIssuesTakeEveryNumberOnce) {
    const core::Id deal = NewDeal(seller1_);
    constexpr int kThreads = 4, kEach = 6;
    std::vector<core::Id> drafts;
    for (int i = 0; i < kThreads * kEach; ++i) drafts.push_back(Invoice(seller1_, deal, 1000 + i, false).invoice.id);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i)
                if (!billing_->Issue(As(seller1_), drafts[static_cast<std::size_t>(t * kEach + i)]).ok()) ++failures;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    std::set<std::string> numbers;
    for (core::Id id : drafts) numbers.insert(*billing_->Get(As(seller1_), id)->invoice.number);
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kEach));
    EXPECT_EQ(*numbers.begin(), "2026-000001");
    EXPECT_EQ(*numbers.rbegin(), "2026-000024") << "no gaps";
}

TEST_P(BillingServiceTest, PaymentsAddUpAndAnOverpaymentIsRefusedUnlessAllowed) {
    const core::Id deal = NewDeal(seller1_);
    const auto inv = Invoice(seller1_, deal, 10'000'000);
    EXPECT_EQ(inv.invoice.status, "issued");
    auto part = Pay(accountant_, inv.invoice.id, 4'000'000);
    ASSERT_TRUE(part.ok());
    EXPECT_EQ(part->invoice.status, "partially_paid");
    EXPECT_EQ(part->invoice.outstanding_minor(), 6'000'000);
    const long long audit = Count("SELECT COUNT(*) FROM audit_log");
    auto over = Pay(accountant_, inv.invoice.id, 6'000'001);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().fields.at(0).field, "amount_minor");
    EXPECT_EQ(over.error().fields.at(0).code, "overpayment");
    EXPECT_EQ(over.error().fields.at(0).param, "60000.00");
    EXPECT_EQ(Pay(accountant_, inv.invoice.id, -5).error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(Pay(accountant_, inv.invoice.id, 0).error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1) << "nothing changed";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit);
    EXPECT_EQ(billing_->Get(As(seller1_), inv.invoice.id)->invoice.paid_minor, 4'000'000);
    Settings s;
    s.allow_overpayment = true;
    ASSERT_TRUE(billing_->PutSettings(As(rop_), s).ok());
    auto paid = Pay(accountant_, inv.invoice.id, 6'000'001);
    ASSERT_TRUE(paid.ok());
    EXPECT_EQ(paid->invoice.status, "paid");
    EXPECT_EQ(paid->invoice.outstanding_minor(), 0);
    EXPECT_TRUE(paid->invoice.paid_at);
    // A payment entered by mistake is reversed, kept and left out of the sum; the invoice owes again.
    const core::Id mistaken = paid->payments.back().id;
    auto reversed = billing_->ReversePayment(As(accountant_), mistaken);
    ASSERT_TRUE(reversed.ok());
    EXPECT_EQ(reversed->invoice.paid_minor, 4'000'000);
    EXPECT_EQ(reversed->invoice.status, "partially_paid");
    EXPECT_TRUE(reversed->payments.back().deleted_at);
    EXPECT_EQ(billing_->ReversePayment(As(accountant_), mistaken).error().message_key, "billing.payment_reversed");
    EXPECT_EQ(billing_->ReversePayment(As(seller1_), mistaken).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('payment.create', 'payment.reverse')"), 3);
    // Payments go against issued invoices only.
    const auto draft = Invoice(seller1_, deal, 1000, false);
    EXPECT_EQ(Pay(accountant_, draft.invoice.id, 100).error().message_key, "billing.not_issued");
}

TEST_P(BillingServiceTest, AScheduleMustSumToTheTotalAndABadOneChangesNothing) {
    const core::Id deal = NewDeal(seller1_);
    const auto inv = Invoice(seller1_, deal, 30'000'000);
    auto schedule = [](std::initializer_list<std::pair<const char*, std::int64_t>> dues) {
        std::vector<Instalment> out;
        for (const auto& [d, a] : dues) {
            Instalment it;
            it.due_date = d;
            it.amount_minor = a;
            out.push_back(it);
        }
        return out;
    };
    auto short_sum = billing_->SetSchedule(As(seller1_), inv.invoice.id,
                                           schedule({{"2026-04-01", 10'000'000}, {"2026-05-01", 10'000'000}}));
    ASSERT_FALSE(short_sum.ok());
    EXPECT_EQ(short_sum.error().fields.at(0).code, "sum_mismatch");
    auto backwards = billing_->SetSchedule(
        As(seller1_), inv.invoice.id,
        schedule({{"2026-05-01", 10'000'000}, {"2026-04-01", 10'000'000}, {"2026-02-01", 10'000'000}}));
    ASSERT_FALSE(backwards.ok());
    EXPECT_EQ(backwards.error().fields.size(), 2u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM invoice_instalments"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.schedule'"), 0);
    auto ok = billing_->SetSchedule(
        As(seller1_), inv.invoice.id,
        schedule({{"2026-04-01", 10'000'000}, {"2026-05-01", 10'000'000}, {"2026-06-01", 10'000'000}}));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->invoice.due_date, "2026-06-01") << "the invoice is due with its last instalment";
    EXPECT_EQ(ok->invoice.next_due_date, "2026-04-01");
    ASSERT_EQ(ok->invoice.instalments.size(), 3u);
    // A due date of its own no longer applies; an issued invoice keeps its money.
    InvoiceInput due;
    due.due_date = "2026-07-01";
    EXPECT_EQ(billing_->Update(As(seller1_), inv.invoice.id, due).error().fields.at(0).code, "from_schedule");
    InvoiceInput lines;
    lines.lines = std::vector<InvoiceLine>{Line(1)};
    EXPECT_EQ(billing_->Update(As(seller1_), inv.invoice.id, lines).error().message_key, "billing.issued_locked");
}

// DEAL-7 on the manual clock: reminders to the client at mid-term and the day before each due date, the seller told
// on a miss, nothing more once the money is in.
TEST_P(BillingServiceTest, ThreeInstalmentsGetTheirRemindersAndTheMissAtTheRightMoments) {
    jobs::Scheduler scheduler(tdb_.db(), clock_);
    billing_->AttachScheduler(scheduler);
    const core::Id deal = NewDeal(seller1_);
    auto draft = Invoice(seller1_, deal, 30'000'000, false);
    std::vector<Instalment> dues(3);
    const char* dates[] = {"2026-04-01", "2026-05-01", "2026-06-01"};
    for (int i = 0; i < 3; ++i) {
        dues[static_cast<std::size_t>(i)].due_date = dates[i];
        dues[static_cast<std::size_t>(i)].amount_minor = 10'000'000;
    }
    ASSERT_TRUE(billing_->SetSchedule(As(seller1_), draft.invoice.id, dues).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'billing.%' AND status = 'pending'"), 0)
        << "a draft has no timers";
    auto issued = billing_->Issue(As(seller1_), draft.invoice.id);
    ASSERT_TRUE(issued.ok());
    const core::Id id = issued->invoice.id;
    // 3 mid-term + 3 day-before reminders, 3 miss checks.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'billing.%' AND status = 'pending'"), 9);
    auto mails = [&] { return mailer_.sent().size(); };

    // Mid-term of the first: halfway from the issue date (03-02) to 04-01 is 03-17, at 09:00 Moscow time.
    ASSERT_TRUE(clock_.Set(At("2026-03-17", kReminderMinute) - 1));
    scheduler.RunDue();
    EXPECT_EQ(mails(), 0u);
    ASSERT_TRUE(clock_.Set(At("2026-03-17", kReminderMinute)));
    scheduler.RunDue();
    ASSERT_EQ(mails(), 1u);
    EXPECT_EQ(mailer_.sent()[0].to, "client1@romashka.test");
    EXPECT_NE(mailer_.sent()[0].subject.find("2026-000001"), std::string::npos) << mailer_.sent()[0].subject;
    ASSERT_EQ(sms_.sent().size(), 1u);
    EXPECT_EQ(sms_.sent()[0].phone, "+79161234561");
    // The day before the first due date.
    ASSERT_TRUE(clock_.Set(At("2026-03-31", kReminderMinute)));
    scheduler.RunDue();
    EXPECT_EQ(mails(), 2u);
    EXPECT_NE(mailer_.sent()[1].text.find("завтра"), std::string::npos);
    // Paid on time: no miss on 04-02.
    ASSERT_TRUE(Pay(accountant_, id, 10'000'000, "2026-03-31").ok());
    ASSERT_TRUE(clock_.Set(At("2026-04-02", 0)));
    scheduler.RunDue();
    EXPECT_EQ(Notifications("billing.instalment_missed"), 0);
    // Mid-term of the second (04-16) and its day before (04-30).
    ASSERT_TRUE(clock_.Set(At("2026-04-16", kReminderMinute)));
    scheduler.RunDue();
    EXPECT_EQ(mails(), 3u);
    ASSERT_TRUE(clock_.Set(At("2026-04-30", kReminderMinute)));
    scheduler.RunDue();
    EXPECT_EQ(mails(), 4u);
    // The second is not paid: when 05-01 ends, the seller is told and the instalment is flagged.
    ASSERT_TRUE(clock_.Set(At("2026-05-02", 0) - 1));
    scheduler.RunDue();
    EXPECT_EQ(Notifications("billing.instalment_missed"), 0);
    ASSERT_TRUE(clock_.Set(At("2026-05-02", 0)));
    scheduler.RunDue();
    EXPECT_EQ(Notifications("billing.instalment_missed"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'billing.instalment_missed' AND user_id = " +
                    std::to_string(seller1_)),
              1);
    auto card = billing_->Get(As(seller1_), id);
    ASSERT_TRUE(card.ok());
    EXPECT_EQ(card->invoice.status, "overdue");
    EXPECT_EQ(card->invoice.instalments[0].status, "paid");
    EXPECT_EQ(card->invoice.instalments[1].status, "overdue");
    EXPECT_TRUE(card->invoice.instalments[1].overdue_at);
    EXPECT_EQ(card->invoice.instalments[2].status, "pending");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'instalment.overdue'"), 1);
    // A job that runs twice sends nothing twice.
    jobs::JobRecord again;
    again.workspace_id = ws_;
    again.kind = kReminderJob;
    again.payload = boost::json::object{{"invoice_id", id},
                                        {"instalment_id", card->invoice.instalments[1].id},
                                        {"kind", "day_before"},
                                        {"due_date", "2026-05-01"}};
    again.attempts = 1;
    again.max_attempts = 8;
    EXPECT_TRUE(billing_->HandleReminder({again, clock_.NowMs(), tdb_.db()}).ok());
    EXPECT_EQ(mails(), 4u);
    EXPECT_EQ(card->reminders.size(), 8u) << "4 reminders × e-mail and SMS";
    // Everything paid: the third's reminders and miss check are gone.
    ASSERT_TRUE(Pay(accountant_, id, 20'000'000, "2026-05-05").ok());
    ASSERT_TRUE(clock_.Set(At("2026-06-03", 0)));
    scheduler.RunDue();
    EXPECT_EQ(mails(), 4u);
    EXPECT_EQ(Notifications("billing.instalment_missed"), 1);
    EXPECT_EQ(billing_->Get(As(seller1_), id)->invoice.status, "paid");
}

// DEAL-6: with invoices, "paid" means the invoices are paid — winning the deal no longer stops the 72-hour clock.
TEST_P(BillingServiceTest, TheSeventyTwoHourWindowClosesWhenTheInvoicesArePaid) {
    jobs::Scheduler scheduler(tdb_.db(), clock_);
    deals_->AttachScheduler(scheduler);
    billing_->AttachScheduler(scheduler);
    const core::Id deal = NewDeal(seller1_);
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), deal, Decision().id, std::nullopt, "").ok());
    const auto inv = Invoice(seller1_, deal, 30'000'000);
    auto won = deals_->MoveStage(As(seller1_), deal, StageOfKind("won").id, std::nullopt, "");
    ASSERT_TRUE(won.ok());
    EXPECT_TRUE(won->payment_due_at) << "won but unpaid: the window keeps running";
    clock_.Advance(deals::kPaymentWindow - deals::kPaymentReminderBefore);
    scheduler.RunDue();
    EXPECT_EQ(Notifications("deals.payment_reminder"), 1);
    ASSERT_TRUE(Pay(accountant_, inv.invoice.id, 30'000'000).ok());
    auto paid = deals_->Get(As(seller1_), deal);
    ASSERT_TRUE(paid.ok());
    EXPECT_FALSE(paid->payment_due_at);
    EXPECT_FALSE(paid->payment_overdue);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'deal.paid'"), 1);
    clock_.Advance(deals::kPaymentReminderBefore);
    scheduler.RunDue();
    EXPECT_EQ(Notifications("deals.payment_overdue"), 0);
    // A deal whose invoice is still unpaid is flagged after 72 hours even when won.
    const core::Id late = NewDeal(seller1_);
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), late, Decision().id, std::nullopt, "").ok());
    Invoice(seller1_, late, 1000);
    ASSERT_TRUE(deals_->MoveStage(As(seller1_), late, StageOfKind("won").id, std::nullopt, "").ok());
    clock_.Advance(deals::kPaymentWindow);
    scheduler.RunDue();
    EXPECT_TRUE(deals_->Get(As(seller1_), late)->payment_overdue);
}

TEST_P(BillingServiceTest, ABankStatementMatchesByNumberThenInnAndAmountAndSkipsWhatItAlreadyTook) {
    const auto a = Invoice(seller1_, NewDeal(seller1_), 4'120'000);
    const auto b = Invoice(seller2_, NewDeal(seller2_, 100, "7736207543"), 1'500'050);
    const std::string csv =
        "Дата;Сумма;ИНН;Назначение;Документ\n"
        "01.03.2026;41 200,00;7707083893;Оплата по счёту № " +
        *a.invoice.number +
        ";п/п 1\n"
        "02.03.2026;15000,50;7736207543;Оплата за кухню по договору;п/п 2\n"
        "02.03.2026;999,00;7812014560;Оплата неизвестно за что;п/п 3\n"
        "02.03.2026;10,00;7707083893;Доплата по счёту " +
        *a.invoice.number +
        ";п/п 4\n"
        "вчера;10,00;7707083893;;п/п 5\n";
    EXPECT_EQ(billing_->ImportBankStatement(As(seller1_), "bank.csv", csv).error().code, core::ErrorCode::kForbidden);
    auto first = billing_->ImportBankStatement(As(accountant_), "bank.csv", csv);
    ASSERT_TRUE(first.ok()) << first.error().message_key;
    EXPECT_EQ(first->summary.rows_total, 5);
    EXPECT_EQ(first->summary.matched, 2);
    EXPECT_EQ(first->summary.unmatched, 1);
    EXPECT_EQ(first->summary.rejected, 2) << "an overpayment and a row without a date";
    ASSERT_EQ(first->rows.size(), 5u);
    EXPECT_EQ(first->rows[0].matched_by, "number");
    EXPECT_EQ(first->rows[1].matched_by, "inn_amount");
    EXPECT_EQ(first->rows[1].invoice_id, b.invoice.id);
    EXPECT_EQ(first->rows[2].reason, "no_match");
    EXPECT_EQ(first->rows[3].reason, "overpayment");
    EXPECT_EQ(first->rows[4].result, "invalid");
    EXPECT_EQ(billing_->Get(As(rop_), a.invoice.id)->invoice.status, "paid");
    EXPECT_EQ(billing_->Get(As(rop_), b.invoice.id)->invoice.status, "paid");
    // The same file again: the two payments are not taken twice.
    auto again = billing_->ImportBankStatement(As(accountant_), "bank.csv", csv);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->summary.duplicates, 2);
    EXPECT_EQ(again->summary.matched, 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM bank_imports"), 2);
    auto stored = billing_->GetBankImport(As(accountant_), first->summary.id);
    ASSERT_TRUE(stored.ok());
    EXPECT_NE(stored->summary.report.find("inn_amount"), std::string::npos);
    EXPECT_EQ(billing_->ImportBankStatement(As(accountant_), "empty.csv", "").error().code,
              core::ErrorCode::kValidation);
}

TEST_P(BillingServiceTest, OverdueListsGroupByPersonAndTeamWithinTheCallersTree) {
    auto overdue = [&](core::Id owner) {
        InvoiceInput in = Input(NewDeal(owner), 1'000'000, true);
        in.issue_date = "2026-02-01";
        in.due_date = "2026-02-10";
        auto r = billing_->Create(As(owner), in);
        EXPECT_TRUE(r.ok());
        return r.ok() ? r->invoice.id : 0;
    };
    overdue(seller1_);
    overdue(seller1_);
    overdue(outsider_);
    Invoice(seller2_, NewDeal(seller2_));  // due in 5 days: not overdue
    auto all = billing_->Overdue(As(rop_));
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->by_person.size(), 2u);
    ASSERT_EQ(all->by_team.size(), 2u);
    std::map<core::Id, long long> counts;
    for (const auto& g : all->by_person) counts[*g.id] = g.count;
    EXPECT_EQ(counts[seller1_], 2);
    EXPECT_EQ(counts[outsider_], 1);
    for (const auto& g : all->by_person)
        if (*g.id == seller1_) {
            EXPECT_EQ(g.department_id, team_);
            EXPECT_EQ(g.totals.at(0).second, 2'000'000);
        }
    auto team = billing_->Overdue(As(supervisor_));
    ASSERT_TRUE(team.ok());
    ASSERT_EQ(team->by_person.size(), 1u) << "the supervisor sees their team";
    EXPECT_EQ(*team->by_team.at(0).id, team_);
    auto own = billing_->Overdue(As(outsider_));
    ASSERT_EQ(own->by_person.size(), 1u);
    EXPECT_EQ(*own->by_person[0].id, outsider_);
    InvoiceQuery q;
    q.status = "overdue";
    q.department_id = team_;
    auto list = billing_->List(As(rop_), q);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->items.size(), 2u);
    for (const auto& i : list->items) EXPECT_EQ(i.status, "overdue");
}

INSTANTIATE_TEST_SUITE_P(Engines, BillingServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::billing
