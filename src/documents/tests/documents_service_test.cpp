// DocumentsService and its store on both engines: requisites and logo (bad input changes nothing), templates with
// checked placeholders, proposal versions from a deal's lines or amount, contracts (unique numbers, dates, statuses,
// files sniffed by content, soft delete) — and who may do what: the owner, a colleague, the supervisor of the team,
// the head of sales, a read-only analyst, support without deal rights. Audit rows checked.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "deals/deals_service.hpp"
#include "documents/documents_service.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "test_support.hpp"

namespace otdel::documents {
namespace {

using core::ErrorCode;
using leads::testing::LeadsFixture;

using test_support::kPng;

class DocumentsServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        docs_ = std::make_unique<DocumentsService>(tdb_.db(), clock_, DocumentsConfig{64 * 1024});
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        seller1_ = Person("s1@kuhni.test", "key_account_manager", team_);
        seller2_ = Person("s2@kuhni.test", "key_account_manager", team_);
        supervisor_ = Person("sup@kuhni.test", "supervisor", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        support_ = Person("sup2@kuhni.test", "support_specialist", sales_);
        deal_ = NewDeal(seller1_, "Кухня «Прованс»", 35'000'000);
    }
    core::Id NewDeal(core::Id owner, const std::string& title, std::int64_t amount) {
        deals::DealInput in;
        in.title = title;
        in.amount_minor = amount;
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    void AddLine(core::Id deal, const std::string& name, std::int64_t amount, int vat_bp, int position) {
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            long long ws = ws_, d = deal, a = amount, v = vat_bp, pos = position, now = clock_.NowMs();
            std::string n = name;
            sql << "INSERT INTO deal_lines (workspace_id, deal_id, position, name, unit, quantity_milli, "
                   "unit_price_minor, vat_rate_bp, amount_minor, created_at, updated_at) VALUES (:ws, :d, :pos, :n, "
                   "'шт', 1000, :a, :v, :a2, :now, :now2)",
                soci::use(ws, "ws"), soci::use(d, "d"), soci::use(pos, "pos"), soci::use(n, "n"), soci::use(a, "a"),
                soci::use(v, "v"), soci::use(a, "a2"), soci::use(now, "now"), soci::use(now, "now2");
            return core::Ok();
        });
    }
    ContractInput ContractOf(const std::string& number) {
        ContractInput in;
        in.kind = "supply";
        in.number = number;
        in.set_valid_from = in.set_valid_to = true;
        in.valid_from = "2026-03-01";
        in.valid_to = "2027-02-28";
        return in;
    }
    long long Audits(const std::string& action) {
        return Count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
    }

    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<DocumentsService> docs_;
    core::Id sales_ = 0, team_ = 0, seller1_ = 0, seller2_ = 0, supervisor_ = 0, rop_ = 0, analyst_ = 0, support_ = 0;
    core::Id deal_ = 0;
};

TEST_P(DocumentsServiceTest, RequisitesAreSettingsOfTheHeadAndBadInputChangesNothing) {
    Requisites r;
    r.org.legal_name = "ООО «Кухни Сибири»";
    r.org.inn = "7707083893";
    r.signer_name = "Петров И. А.";
    EXPECT_EQ(docs_->SetRequisites(As(seller1_), r).error().code, ErrorCode::kForbidden);
    auto saved = docs_->SetRequisites(As(rop_), r);
    ASSERT_TRUE(saved.ok());
    EXPECT_EQ(saved->org.legal_name, "ООО «Кухни Сибири»");
    // Everyone with document rights reads them (for their proposals); support has none.
    EXPECT_EQ(docs_->GetRequisites(As(seller1_))->org.inn, "7707083893");
    EXPECT_EQ(docs_->GetRequisites(As(support_)).error().code, ErrorCode::kForbidden);

    Requisites bad = r;
    bad.org.inn = "7707083894";
    bad.org.legal_name = "Другое";
    auto refused = docs_->SetRequisites(As(rop_), bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().fields.at(0).field, "inn");
    EXPECT_EQ(docs_->GetRequisites(As(rop_))->org.legal_name, "ООО «Кухни Сибири»");
    EXPECT_EQ(Audits("document_settings.update"), 1);
}

TEST_P(DocumentsServiceTest, ALogoMustBeAWholePngOfLimitedSize) {
    ASSERT_TRUE(docs_->SetLogo(As(rop_), kPng).ok());
    EXPECT_EQ(docs_->Logo(As(seller1_))->bytes, kPng);
    EXPECT_EQ(docs_->SetLogo(As(rop_), "GIF89a....").error().fields.at(0).code, "not_png");
    EXPECT_EQ(docs_->SetLogo(As(rop_), kPng.substr(0, 50)).error().fields.at(0).code, "corrupt");
    EXPECT_EQ(docs_->SetLogo(As(rop_), std::string(kMaxLogoBytes + 1, 'x')).error().code, ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(docs_->SetLogo(As(seller1_), kPng).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 1);
    EXPECT_EQ(docs_->Logo(As(rop_))->bytes, kPng);
    // Replacing keeps one file; removing leaves none.
    ASSERT_TRUE(docs_->SetLogo(As(rop_), kPng).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 1);
    ASSERT_TRUE(docs_->RemoveLogo(As(rop_)).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 0);
    EXPECT_EQ(docs_->Logo(As(rop_)).error().code, ErrorCode::kNotFound);
}

TEST_P(DocumentsServiceTest, TemplatesRefuseUnknownPlaceholdersAndArchive) {
    TemplateInput in;
    in.name = "Стандартное КП";
    in.intro_text = "Здравствуйте, {{client.name}}!";
    in.terms_text = "До {{valid_untl}}";
    auto bad = docs_->CreateTemplate(As(rop_), in);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
    EXPECT_EQ(bad.error().fields.at(0).code, "unknown_placeholder");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM proposal_templates"), 0);
    in.terms_text = "До {{ valid_until }}";
    EXPECT_EQ(docs_->CreateTemplate(As(seller1_), in).error().code, ErrorCode::kForbidden);
    auto t = docs_->CreateTemplate(As(rop_), in);
    ASSERT_TRUE(t.ok());

    TemplateInput edit;
    edit.intro_text = "{{owner.phone}}";
    EXPECT_FALSE(docs_->UpdateTemplate(As(rop_), t->id, edit).ok());
    EXPECT_EQ(docs_->ListTemplates(As(seller1_), false)->at(0).intro_text, "Здравствуйте, {{client.name}}!");
    TemplateInput archive;
    archive.archived = true;
    ASSERT_TRUE(docs_->UpdateTemplate(As(rop_), t->id, archive).ok());
    EXPECT_TRUE(docs_->ListTemplates(As(seller1_), false)->empty());
    EXPECT_EQ(docs_->ListTemplates(As(seller1_), true)->size(), 1u);
    ProposalRequest req;
    req.template_id = t->id;
    EXPECT_EQ(docs_->GenerateProposal(As(seller1_), deal_, req).error().fields.at(0).code, "archived");
    EXPECT_EQ(Audits("proposal_template.create"), 1);
    EXPECT_EQ(Audits("proposal_template.archive"), 1);
}

TEST_P(DocumentsServiceTest, ProposalsAreVersionedFromTheDealsLinesOrItsAmount) {
    TemplateInput in;
    in.name = "КП";
    in.intro_text = "Для {{client.name}}: {{deal.title}}, менеджер {{owner.name}}.";
    in.validity_days = 10;
    const auto tpl = docs_->CreateTemplate(As(rop_), in);
    ASSERT_TRUE(tpl.ok());
    ProposalRequest req;
    req.template_id = tpl->id;

    auto v1 = docs_->GenerateProposal(As(seller1_), deal_, req);
    ASSERT_TRUE(v1.ok()) << v1.error().message_key;
    EXPECT_EQ(v1->version, 1);
    EXPECT_EQ(v1->lines_source, "deal_amount");
    EXPECT_EQ(v1->total_minor, 35'000'000);
    EXPECT_EQ(v1->valid_until, "2026-03-12");  // the fixture's day + 10
    EXPECT_EQ(v1->intro_text, "Для : Кухня «Прованс», менеджер s1@kuhni.test.");
    EXPECT_EQ(v1->status, "draft");

    AddLine(deal_, "Фасады", 24'000'000, 2000, 0);
    AddLine(deal_, "Монтаж", 6'000'000, 0, 1);
    auto v2 = docs_->GenerateProposal(As(seller1_), deal_, req);
    ASSERT_TRUE(v2.ok());
    EXPECT_EQ(v2->version, 2);
    EXPECT_EQ(v2->lines_source, "deal_lines");
    EXPECT_EQ(v2->line_count, 2);
    EXPECT_EQ(v2->total_minor, 30'000'000);

    auto list = docs_->ListProposals(As(seller1_), deal_);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->at(0).version, 2);  // newest first
    auto pdf = docs_->ProposalPdf(As(seller1_), v1->id, core::Lang::kRu);
    ASSERT_TRUE(pdf.ok());
    EXPECT_EQ(pdf->content_type, "application/pdf");
    EXPECT_EQ(pdf->bytes.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(pdf->file_name, "Коммерческое предложение " + std::to_string(deal_) + "-1.pdf");
    EXPECT_EQ(static_cast<std::int64_t>(pdf->bytes.size()), v1->file_size);

    auto sent = docs_->SetProposalStatus(As(seller1_), v1->id, "sent");
    ASSERT_TRUE(sent.ok());
    EXPECT_EQ(sent->status, "sent");
    EXPECT_EQ(*sent->sent_at, clock_.NowMs());
    EXPECT_EQ(Audits("proposal.create"), 2);
    EXPECT_EQ(Audits("proposal.status"), 1);

    // Bad input: a day in the past, a day that is none, an empty deal.
    ProposalRequest past;
    past.valid_until = "2026-03-01";
    EXPECT_EQ(docs_->GenerateProposal(As(seller1_), deal_, past).error().fields.at(0).code, "in_the_past");
    past.valid_until = "2026-02-30";
    EXPECT_EQ(docs_->GenerateProposal(As(seller1_), deal_, past).error().fields.at(0).code, "invalid_date");
    const core::Id empty = NewDeal(seller1_, "Пустая", 0);
    EXPECT_EQ(docs_->GenerateProposal(As(seller1_), empty, {}).error().message_key, "documents.proposal_empty");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM proposals"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 2);
}

TEST_P(DocumentsServiceTest, DocumentsFollowTheDealsVisibility) {
    auto p = docs_->GenerateProposal(As(seller1_), deal_, {});
    ASSERT_TRUE(p.ok());
    auto c = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-1"));
    ASSERT_TRUE(c.ok());
    // A colleague does not see the deal: 404 for lists, by-id reads and writes.
    EXPECT_EQ(docs_->ListProposals(As(seller2_), deal_).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(docs_->GetProposal(As(seller2_), p->id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(docs_->ProposalPdf(As(seller2_), p->id, core::Lang::kRu).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(docs_->GenerateProposal(As(seller2_), deal_, {}).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(docs_->GetContract(As(seller2_), c->id).error().code, ErrorCode::kNotFound);
    ContractInput rename;
    rename.number = "Д-2";
    EXPECT_EQ(docs_->UpdateContract(As(seller2_), c->id, rename).error().code, ErrorCode::kNotFound);
    // The supervisor of the team reads, and may not change.
    EXPECT_EQ(docs_->ListContracts(As(supervisor_), deal_, false)->size(), 1u);
    EXPECT_EQ(docs_->GenerateProposal(As(supervisor_), deal_, {}).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(docs_->UpdateContract(As(supervisor_), c->id, rename).error().code, ErrorCode::kForbidden);
    // The analyst reads everything, changes nothing.
    EXPECT_TRUE(docs_->ProposalPdf(As(analyst_), p->id, core::Lang::kEn).ok());
    EXPECT_EQ(docs_->SetProposalStatus(As(analyst_), p->id, "sent").error().code, ErrorCode::kForbidden);
    EXPECT_EQ(docs_->CreateContract(As(analyst_), deal_, ContractOf("Д-3")).error().code, ErrorCode::kForbidden);
    // Support has no deal rights at all.
    EXPECT_EQ(docs_->ListContracts(As(support_), deal_, false).error().code, ErrorCode::kNotFound);
    // The head of sales changes them.
    EXPECT_EQ(docs_->UpdateContract(As(rop_), c->id, rename)->number, "Д-2");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contracts"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM proposals"), 1);
}

TEST_P(DocumentsServiceTest, ContractNumbersAreUniqueAndDatesOrdered) {
    auto a = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-2026/1"));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->status, "draft");
    const core::Id other = NewDeal(seller2_, "Шкаф", 100);
    auto dup = docs_->CreateContract(As(seller2_), other, ContractOf("Д-2026/1"));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    EXPECT_EQ(dup.error().fields.at(0).code, "not_unique");

    ContractInput backwards = ContractOf("Д-2026/2");
    backwards.valid_to = "2026-02-01";
    auto bad = docs_->CreateContract(As(seller1_), deal_, backwards);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "valid_to");
    EXPECT_EQ(bad.error().fields.at(0).code, "before_valid_from");
    ContractInput edit;
    edit.set_valid_to = true;
    edit.valid_to = "2025-01-01";
    EXPECT_FALSE(docs_->UpdateContract(As(seller1_), a->id, edit).ok());
    EXPECT_EQ(*docs_->GetContract(As(seller1_), a->id)->valid_to, "2027-02-28");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM contracts"), 1);
    EXPECT_EQ(Audits("contract.create"), 1);
    EXPECT_EQ(Audits("contract.update"), 0);
}

TEST_P(DocumentsServiceTest, ContractStatusMovesForwardAndSigningNeedsADate) {
    auto c = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-7"));
    ASSERT_TRUE(c.ok());
    ContractInput sign;
    sign.status = "signed";
    EXPECT_EQ(docs_->UpdateContract(As(seller1_), c->id, sign).error().fields.at(0).field, "signed_on");
    sign.set_signed_on = true;
    sign.signed_on = "2026-03-02";
    ASSERT_EQ(docs_->UpdateContract(As(seller1_), c->id, sign)->status, "signed");
    ContractInput back;
    back.status = "draft";
    EXPECT_EQ(docs_->UpdateContract(As(seller1_), c->id, back).error().fields.at(0).code, "status_not_allowed");
    ContractInput end;
    end.status = "terminated";
    ASSERT_EQ(docs_->UpdateContract(As(seller1_), c->id, end)->status, "terminated");
    EXPECT_EQ(Audits("contract.update"), 2);
}

TEST_P(DocumentsServiceTest, ContractFilesArePdfOrDocxByContentAndLimited) {
    auto c = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-9"));
    ASSERT_TRUE(c.ok());
    const std::string pdf = "%PDF-1.7\n% договор\n";
    auto up = docs_->UploadContractFile(As(seller1_), c->id, "C:\\scans\\Договор Д-9.PDF", pdf);
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(up->file_name, "Договор Д-9.pdf");
    EXPECT_EQ(up->file_type, "application/pdf");
    EXPECT_EQ(up->file_size, static_cast<std::int64_t>(pdf.size()));
    auto file = docs_->ContractFile(As(supervisor_), c->id);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->bytes, pdf);

    // A PNG named .pdf, an empty file, an oversized one, an outsider: refused, the stored file unchanged.
    EXPECT_EQ(docs_->UploadContractFile(As(seller1_), c->id, "x.pdf", kPng).error().fields.at(0).code,
              "not_pdf_or_docx");
    EXPECT_EQ(docs_->UploadContractFile(As(seller1_), c->id, "x.pdf", "").error().fields.at(0).code, "empty_file");
    EXPECT_EQ(
        docs_->UploadContractFile(As(seller1_), c->id, "x.pdf", "%PDF-" + std::string(64 * 1024, 'x')).error().code,
        ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(docs_->UploadContractFile(As(seller2_), c->id, "x.pdf", pdf).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(docs_->ContractFile(As(seller1_), c->id)->bytes, pdf);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 1);

    // A new file replaces the old one.
    ASSERT_TRUE(docs_->UploadContractFile(As(seller1_), c->id, "v2.pdf", pdf + "v2").ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM document_files"), 1);
    EXPECT_EQ(Audits("contract.file"), 2);
}

TEST_P(DocumentsServiceTest, DeletedContractsFreeTheirNumberAndRestoreOnlyWhenItIsFree) {
    auto c = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-5"));
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(docs_->DeleteContract(As(seller1_), c->id).error().code, ErrorCode::kForbidden);  // sellers do not
    ASSERT_TRUE(docs_->DeleteContract(As(rop_), c->id).ok());
    EXPECT_TRUE(docs_->ListContracts(As(seller1_), deal_, false)->empty());
    EXPECT_EQ(docs_->ListContracts(As(seller1_), deal_, true)->size(), 1u);
    auto again = docs_->CreateContract(As(seller1_), deal_, ContractOf("Д-5"));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(docs_->RestoreContract(As(rop_), c->id).error().code, ErrorCode::kConflict);
    ASSERT_TRUE(docs_->DeleteContract(As(rop_), again->id).ok());
    ASSERT_TRUE(docs_->RestoreContract(As(rop_), c->id).ok());
    EXPECT_EQ(Audits("contract.delete"), 2);
    EXPECT_EQ(Audits("contract.restore"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, DocumentsServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::documents
