// DocumentMailService and its store on both engines, with a recording mailer and the manual clock: a proposal's PDF
// and an issued invoice's go out through the durable job with the Message-ID chosen at acceptance; the send, the
// timeline's activity and the proposal become sent, with audit rows; a failing mail server is retried with back-off
// until the job gives up (failed, with the reason), and a person's retry sends it; who may send (owner, head) and who
// may not (a colleague, the supervisor, the analyst, support, another workspace), every refusal leaving no row and
// sending nothing.
#include <gtest/gtest.h>

#include "activities/activities_store.hpp"
#include "billing/billing_service.hpp"
#include "deals/deals_service.hpp"
#include "documents/document_mail_service.hpp"
#include "documents/documents_service.hpp"
#include "jobs/scheduler.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::documents {
namespace {

using core::ErrorCode;
using leads::testing::LeadsFixture;

struct Outbox {
    std::vector<mail::OutgoingMail> sent;
    bool down = false;
};

class Recorder final : public mail::Mailer {
public:
    explicit Recorder(Outbox& box) : box_(box) {}
    core::Result<void> Send(const mail::OutgoingMail& m) override {
        if (box_.down) return core::Error::Of(ErrorCode::kUnavailable, "mail.send_failed");
        box_.sent.push_back(m);
        return core::Ok();
    }

private:
    Outbox& box_;
};

class DocumentMailServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        docs_ = std::make_unique<DocumentsService>(tdb_.db(), clock_);
        billing_ = std::make_unique<billing::BillingService>(tdb_.db(), clock_, *deals_, nullptr, nullptr);
        mail_ = std::make_unique<DocumentMailService>(tdb_.db(), clock_, billing_.get());
        mail_->SetMailerFactory(
            [this](const activities::store::EmailAccount&) { return std::make_unique<Recorder>(box_); });
        scheduler_ = std::make_unique<jobs::Scheduler>(tdb_.db(), clock_);
        mail_->AttachScheduler(*scheduler_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        seller1_ = Person("s1@kuhni.test", "key_account_manager", team_);
        seller2_ = Person("s2@kuhni.test", "key_account_manager", team_);
        supervisor_ = Person("sup@kuhni.test", "supervisor", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        support_ = Person("sup2@kuhni.test", "support_specialist", sales_);
        deals::DealInput in;
        in.title = "Кухня «Прованс»";
        in.amount_minor = 35'000'000;
        auto d = deals_->Create(As(seller1_), in);
        ASSERT_TRUE(d.ok());
        deal_ = d->id;
        auto p = docs_->GenerateProposal(As(seller1_), deal_, {});
        ASSERT_TRUE(p.ok());
        proposal_ = p->id;
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            activities::store::EmailAccount acc;
            acc.from_address = "Кухни <crm@kuhni.test>";
            acc.smtp_url = "smtp://127.0.0.1:1";
            activities::store::InsertAccount(sql, ws_, acc, clock_.NowMs());
            return core::Ok();
        });
    }
    MailSendInput To(std::vector<std::string> to, std::vector<std::string> cc = {}) {
        MailSendInput in;
        in.to = std::move(to);
        in.cc = std::move(cc);
        return in;
    }
    long long Audits(const std::string& action) {
        return Count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
    }

    Outbox box_;
    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<DocumentsService> docs_;
    std::unique_ptr<billing::BillingService> billing_;
    std::unique_ptr<DocumentMailService> mail_;
    std::unique_ptr<jobs::Scheduler> scheduler_;
    core::Id sales_ = 0, team_ = 0, seller1_ = 0, seller2_ = 0, supervisor_ = 0, rop_ = 0, analyst_ = 0, support_ = 0;
    core::Id deal_ = 0, proposal_ = 0;
};

TEST_P(DocumentMailServiceTest, AProposalGoesOutThroughTheJobWithItsPdfAndIsMarkedSent) {
    auto draft = mail_->Draft(As(seller1_), "proposal", proposal_, core::Lang::kRu);
    ASSERT_TRUE(draft.ok());
    EXPECT_EQ(draft->from_address, "Кухни <crm@kuhni.test>");
    EXPECT_EQ(draft->file_name, "Коммерческое предложение " + std::to_string(deal_) + "-1.pdf");

    auto sent = mail_->Send(As(seller1_), "proposal", proposal_, To({"Buyer@Client.ru"}, {"buh@client.ru"}));
    ASSERT_TRUE(sent.ok()) << sent.error().message_key;
    EXPECT_EQ(sent->status, "queued");
    EXPECT_TRUE(box_.sent.empty()) << "nothing goes out inside the request";
    EXPECT_EQ(scheduler_->RunDue(), 1);
    ASSERT_EQ(box_.sent.size(), 1u);
    const mail::OutgoingMail& m = box_.sent[0];
    EXPECT_EQ(m.to, "buyer@client.ru");
    EXPECT_EQ(m.cc, "buh@client.ru");
    EXPECT_EQ(m.message_id, sent->message_id);
    EXPECT_EQ(m.subject, draft->subject);
    ASSERT_EQ(m.attachments.size(), 1u);
    auto pdf = docs_->ProposalPdf(As(seller1_), proposal_, core::Lang::kRu);
    ASSERT_TRUE(pdf.ok());
    EXPECT_EQ(m.attachments[0].bytes, pdf->bytes);
    EXPECT_EQ(m.attachments[0].content_type, "application/pdf");

    auto history = mail_->History(As(rop_), "proposal", proposal_);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 1u);
    EXPECT_EQ(history->at(0).status, "sent");
    EXPECT_EQ(history->at(0).sent_at, clock_.NowMs());
    EXPECT_EQ(docs_->GetProposal(As(seller1_), proposal_)->status, "sent");
    tdb_.db().Read([&](soci::session& sql) {
        auto act = activities::store::SelectActivity(sql, ws_, *history->at(0).activity_id);
        EXPECT_TRUE(act.has_value());
        if (act) {
            EXPECT_EQ(act->email_status, "sent");
            EXPECT_EQ(act->deal_id, deal_);
            EXPECT_NE(act->body.find("Вложение: Коммерческое предложение"), std::string::npos);
        }
        return 0;
    });
    EXPECT_EQ(Audits("proposal.email"), 1);
    EXPECT_EQ(Audits("proposal.email_sent"), 1);
    // The job ran once; running again sends nothing twice.
    EXPECT_EQ(scheduler_->RunDue(), 0);
    EXPECT_EQ(box_.sent.size(), 1u);
}

TEST_P(DocumentMailServiceTest, AFailingServerIsRetriedWithBackOffThenFailedAndAPersonRetries) {
    box_.down = true;
    auto sent = mail_->Send(As(seller1_), "proposal", proposal_, To({"buyer@client.ru"}));
    ASSERT_TRUE(sent.ok());
    scheduler_->RunDue();
    auto h = mail_->History(As(seller1_), "proposal", proposal_);
    EXPECT_EQ(h->at(0).status, "queued");
    EXPECT_EQ(h->at(0).attempts, 1);
    EXPECT_EQ(h->at(0).last_error, "mail.send_failed");
    for (int i = 0; i < kSendAttempts; ++i) {
        clock_.Advance(2 * 3600 * 1000);
        scheduler_->RunDue();
    }
    h = mail_->History(As(seller1_), "proposal", proposal_);
    EXPECT_EQ(h->at(0).status, "failed");
    EXPECT_EQ(h->at(0).attempts, kSendAttempts);
    EXPECT_EQ(docs_->GetProposal(As(seller1_), proposal_)->status, "draft");
    EXPECT_EQ(Audits("proposal.email_failed"), 1);
    // Others may not retry it; the owner does once the server is back.
    EXPECT_EQ(mail_->Retry(As(seller2_), sent->id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(mail_->Retry(As(analyst_), sent->id).error().code, ErrorCode::kForbidden);
    box_.down = false;
    auto again = mail_->Retry(As(seller1_), sent->id);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->status, "queued");
    scheduler_->RunDue();
    ASSERT_EQ(box_.sent.size(), 1u);
    EXPECT_EQ(box_.sent[0].message_id, sent->message_id) << "the same Message-ID on every attempt";
    EXPECT_EQ(mail_->History(As(seller1_), "proposal", proposal_)->at(0).status, "sent");
    EXPECT_EQ(mail_->Retry(As(seller1_), sent->id).error().code, ErrorCode::kConflict);
}

TEST_P(DocumentMailServiceTest, OnlyThoseWhoMayChangeTheDealSendAndRefusalsLeaveNothing) {
    auto bad = mail_->Send(As(seller1_), "proposal", proposal_, To({"not an address"}, {"x@"}));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
    EXPECT_EQ(bad.error().fields.size(), 2u);
    EXPECT_EQ(mail_->Send(As(seller1_), "proposal", proposal_, To({})).error().fields.at(0).field, "to");
    EXPECT_EQ(mail_->Send(As(seller2_), "proposal", proposal_, To({"a@b.ru"})).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(mail_->Send(As(supervisor_), "proposal", proposal_, To({"a@b.ru"})).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(mail_->Send(As(analyst_), "proposal", proposal_, To({"a@b.ru"})).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(mail_->Send(As(support_), "proposal", proposal_, To({"a@b.ru"})).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(mail_->Send(As(seller1_), "proposal", proposal_ + 1000, To({"a@b.ru"})).error().code,
              ErrorCode::kNotFound);
    // Another workspace's administrator does not find the proposal.
    auto other = auth_->CreateWorkspace(auth::NewWorkspace{"Другая студия", "drugaya"}, core::Actor::System(0));
    ASSERT_TRUE(other.ok());
    core::Actor stranger =
        core::Actor::SignedIn(core::ActorKind::kUser, *other, seller1_, true, core::Lang::kRu, "test", "", "");
    EXPECT_EQ(mail_->Send(stranger, "proposal", proposal_, To({"a@b.ru"})).error().code, ErrorCode::kNotFound);
    // A draft invoice has no number yet.
    billing::InvoiceInput inv;
    inv.deal_id = deal_;
    billing::InvoiceLine line;
    line.name = "Кухня";
    line.unit = "шт";
    line.unit_price_minor = 35'000'000;
    line.vat_rate_bp = 2200;
    inv.lines = std::vector<billing::InvoiceLine>{line};
    auto draft = billing_->Create(As(seller1_), inv);
    ASSERT_TRUE(draft.ok()) << draft.error().message_key;
    auto early = mail_->Send(As(seller1_), "invoice", draft->invoice.id, To({"a@b.ru"}));
    EXPECT_EQ(early.error().code, ErrorCode::kConflict);
    EXPECT_EQ(early.error().message_key, "documents.mail_invoice_not_issued");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_emails"), 0);
    EXPECT_EQ(scheduler_->RunDue(), 0);
    EXPECT_TRUE(box_.sent.empty());

    // Issued, it goes out (the head of sales sends it), rendered as a PDF and kept with the send.
    ASSERT_TRUE(billing_->Issue(As(seller1_), draft->invoice.id).ok());
    MailSendInput in = To({"a@b.ru"});
    in.lang = core::Lang::kEn;
    auto ok = mail_->Send(As(rop_), "invoice", draft->invoice.id, in);
    ASSERT_TRUE(ok.ok()) << ok.error().message_key;
    EXPECT_EQ(ok->file_name.rfind("Invoice ", 0), 0u);
    scheduler_->RunDue();
    ASSERT_EQ(box_.sent.size(), 1u);
    EXPECT_EQ(box_.sent[0].attachments.at(0).bytes.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(Audits("invoice.email_sent"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, DocumentMailServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::documents
