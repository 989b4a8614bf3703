// The documents room's pure rules: number formats, contracts (dates, statuses), uploaded files by content, download
// names, requisites, and a proposal built from a deal's lines or from its amount.
#include <gtest/gtest.h>

#include <zip.h>

#include "documents/documents.hpp"
#include "test_support.hpp"

namespace otdel::documents {
namespace {

TEST(Formats, MoneyQuantityPercentDate) {
    EXPECT_EQ(FormatMoney(123456789, core::Lang::kRu), "1\u00a0234\u00a0567,89");
    EXPECT_EQ(FormatMoney(123456789, core::Lang::kEn), "1,234,567.89");
    EXPECT_EQ(FormatMoney(5, core::Lang::kRu), "0,05");
    EXPECT_EQ(FormatMoney(-100000, core::Lang::kRu), "-1\u00a0000,00");
    EXPECT_EQ(FormatMoney(INT64_MIN, core::Lang::kEn), "-92,233,720,368,547,758.08");
    EXPECT_EQ(FormatQuantity(1500, core::Lang::kRu), "1,5");
    EXPECT_EQ(FormatQuantity(2000, core::Lang::kRu), "2");
    EXPECT_EQ(FormatQuantity(1234005, core::Lang::kEn), "1,234.005");
    EXPECT_EQ(FormatPercentBp(1250, core::Lang::kRu), "12,5");
    EXPECT_EQ(FormatPercentBp(2000, core::Lang::kEn), "20");
    EXPECT_EQ(FormatDate("2025-12-31", core::Lang::kRu), "31.12.2025");
    EXPECT_EQ(FormatDate("2025-12-31", core::Lang::kEn), "2025-12-31");
    EXPECT_EQ(FormatDate("31.12.2025", core::Lang::kRu), "31.12.2025");
}

Contract Valid() {
    Contract c;
    c.kind = "supply";
    c.number = "Д-2025/17";
    c.valid_from = "2025-01-01";
    c.valid_to = "2025-12-31";
    return c;
}

using test_support::HasField;

TEST(Contracts, ValidToBeforeValidFromIsRefused) {
    EXPECT_TRUE(ValidateContract(Valid()));
    Contract c = Valid();
    c.valid_to = "2024-12-31";
    EXPECT_TRUE(HasField(ValidateContract(c), "valid_to", "before_valid_from"));
    c.valid_to = c.valid_from;  // one day is fine
    EXPECT_TRUE(ValidateContract(c));
}

TEST(Contracts, DatesMustBeRealDays) {
    Contract c = Valid();
    c.valid_from = "2025-02-30";
    c.signed_on = "25.01.2025";
    auto r = ValidateContract(c);
    EXPECT_TRUE(HasField(r, "valid_from", "invalid_date"));
    EXPECT_TRUE(HasField(r, "signed_on", "invalid_date"));
    EXPECT_TRUE(IsIsoDay("2024-02-29"));
    EXPECT_FALSE(IsIsoDay("2025-02-29"));
    EXPECT_FALSE(IsIsoDay("2025-1-01"));
}

TEST(Contracts, KindStatusNumberAndSigningDate) {
    Contract c = Valid();
    c.kind = "lease";
    c.status = "signed";
    c.number = " ";
    auto r = ValidateContract(c);
    EXPECT_TRUE(HasField(r, "kind", "not_one_of"));
    EXPECT_TRUE(HasField(r, "number", "required"));
    EXPECT_TRUE(HasField(r, "signed_on", "required"));
}

TEST(Contracts, StatusMovesForwardOnly) {
    EXPECT_TRUE(ContractStatusAllowed("draft", "signed"));
    EXPECT_TRUE(ContractStatusAllowed("draft", "terminated"));
    EXPECT_TRUE(ContractStatusAllowed("signed", "terminated"));
    EXPECT_TRUE(ContractStatusAllowed("signed", "signed"));
    EXPECT_FALSE(ContractStatusAllowed("signed", "draft"));
    EXPECT_FALSE(ContractStatusAllowed("terminated", "signed"));
    EXPECT_FALSE(ContractStatusAllowed("terminated", "draft"));
}

TEST(Dates, AddDaysCrossesMonthsAndYears) {
    EXPECT_EQ(AddDays("2025-12-20", 14), "2026-01-03");
    EXPECT_EQ(AddDays("2024-02-28", 1), "2024-02-29");
}

// A ZIP in memory with the given entry names (each a tiny text).
std::string Zip(const std::vector<std::string>& names) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_source_keep(buf);
    zip_t* z = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
    for (const auto& n : names) {
        static const char kText[] = "<x/>";
        zip_file_add(z, n.c_str(), zip_source_buffer(z, kText, sizeof kText - 1, 0), ZIP_FL_OVERWRITE);
    }
    zip_close(z);
    zip_source_open(buf);
    zip_source_seek(buf, 0, SEEK_END);
    const auto size = zip_source_tell(buf);
    zip_source_seek(buf, 0, SEEK_SET);
    std::string out(static_cast<std::size_t>(size), '\0');
    zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(buf);
    zip_source_free(buf);
    zip_error_fini(&err);
    return out;
}

TEST(Files, ContractFilesAreSniffedByContent) {
    EXPECT_EQ(SniffContractFile("%PDF-1.7\n...")->ext, "pdf");
    const auto docx = SniffContractFile(Zip({"[Content_Types].xml", "word/document.xml", "word/styles.xml"}));
    ASSERT_TRUE(docx);
    EXPECT_EQ(docx->ext, "docx");
    EXPECT_EQ(docx->content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    EXPECT_FALSE(SniffContractFile(Zip({"[Content_Types].xml", "xl/workbook.xml"})));  // an XLSX
    EXPECT_FALSE(SniffContractFile("PK\x03\x04 not really a zip"));
    EXPECT_FALSE(SniffContractFile("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"));  // an old .doc
    EXPECT_FALSE(SniffContractFile("\x89PNG\r\n\x1a\n"));
    EXPECT_FALSE(SniffContractFile(""));
    EXPECT_FALSE(SniffContractFile(" %PDF-1.7"));
}

TEST(Files, CleanFileNameKeepsCyrillicAndForcesTheExtension) {
    EXPECT_EQ(CleanFileName("C:\\Users\\anna\\Договор поставки №5.PDF", "pdf", "contract"), "Договор поставки №5.pdf");
    EXPECT_EQ(CleanFileName("../../etc/passwd", "pdf", "contract"), "passwd.pdf");
    EXPECT_EQ(CleanFileName("отчёт.docx.exe", "docx", "contract"), "отчёт.docx.exe.docx");
    EXPECT_EQ(CleanFileName("a\"b<c>\x01.pdf", "pdf", "contract"), "abc.pdf");
    EXPECT_EQ(CleanFileName("", "docx", "contract"), "contract.docx");
    const std::string long_name(300, 'x');
    EXPECT_EQ(CleanFileName(long_name + ".pdf", "pdf", "c").size(), kMaxFileName);
    std::string cyr;
    for (int i = 0; i < 150; ++i) cyr += "ж";  // 300 bytes: cut at a character boundary
    const std::string cut = CleanFileName(cyr, "pdf", "c");
    EXPECT_LE(cut.size(), kMaxFileName);
    EXPECT_EQ(cut.substr(cut.size() - 4), ".pdf");
    EXPECT_EQ((cut.size() - 4) % 2, 0u);
}

TEST(Files, ContentDispositionHasAnAsciiFallbackAndRfc5987Name) {
    EXPECT_EQ(ContentDisposition("attachment", "КП 15-2.pdf"),
              "attachment; filename=\"__ 15-2.pdf\"; filename*=UTF-8''%D0%9A%D0%9F%2015-2.pdf");
    EXPECT_EQ(ContentDisposition("inline", "a\"b\\c.pdf"),
              "inline; filename=\"abc.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf");
    EXPECT_EQ(ContentDisposition("inline", "КП 15-2.pdf", "proposal-15-2.pdf"),
              "inline; filename=\"proposal-15-2.pdf\"; filename*=UTF-8''%D0%9A%D0%9F%2015-2.pdf");
    EXPECT_EQ(ContentDisposition("inline", "kp.pdf", "other.pdf"),
              "inline; filename=\"kp.pdf\"; filename*=UTF-8''kp.pdf");
}

TEST(Requisites, ChecksReuseTheClientsRules) {
    Requisites r;
    r.org.inn = "7707083893";  // Sberbank: valid control digits
    r.org.kpp = "773601001";
    r.org.bik = "044525225";
    r.org.account = "40702810938000000001";
    r.org.email = "info@example.ru";
    const auto ok = ValidateRequisites(r);
    EXPECT_TRUE(!HasField(ok, "inn", "invalid_inn") && !HasField(ok, "kpp", "invalid_kpp"));
    r.org.inn = "7707083894";
    r.org.bik = "12345";
    r.org.email = "no-at-sign";
    auto bad = ValidateRequisites(r);
    EXPECT_TRUE(HasField(bad, "inn", "invalid_inn"));
    EXPECT_TRUE(HasField(bad, "bik", "invalid_bik"));
    EXPECT_TRUE(HasField(bad, "email", "invalid_email"));
    EXPECT_TRUE(ValidateRequisites(Requisites{}));  // nothing filled in is fine
}

ProposalFacts Facts() {
    ProposalFacts f;
    f.deal_id = 15;
    f.version = 2;
    f.deal_title = "Кухня «Прованс»";
    f.client_name = "Ёлкина Жанна";
    f.owner_name = "Дмитрий Кузнецов";
    f.seller.org.legal_name = "ООО «Кухни Сибири»";
    f.today = "2025-12-03";
    f.valid_until = "2025-12-17";
    f.deal_amount_minor = 35000000;
    f.intro_template = "Уважаемая {{client.name}}! КП № {{proposal.number}} по сделке «{{deal.title}}».";
    f.terms_template = "Цены действительны до {{valid_until}}.";
    return f;
}

TEST(Proposal, FromTheDealsLinesWithVatPerRate) {
    ProposalFacts f = Facts();
    catalog::DealLine a;
    a.name = "Фасады";
    a.quantity_milli = 2000;
    a.unit_price_minor = 6000000;
    a.amount_minor = 12000000;
    a.vat_rate_bp = 2000;
    catalog::DealLine b = a;
    b.name = "Монтаж";
    b.amount_minor = 1000000;
    b.vat_rate_bp = 0;
    b.discount_bp = 500;
    f.lines = {a, b};
    const ProposalDraft d = BuildProposal(f);
    EXPECT_EQ(d.record.lines_source, "deal_lines");
    EXPECT_EQ(d.record.total_minor, 13000000);
    EXPECT_EQ(d.record.line_count, 2);
    EXPECT_EQ(d.record.title, "Коммерческое предложение № 15-2");
    EXPECT_EQ(d.record.intro_text, "Уважаемая Ёлкина Жанна! КП № 15-2 по сделке «Кухня «Прованс»».");
    EXPECT_EQ(d.record.terms_text, "Цены действительны до 17.12.2025.");
    ASSERT_EQ(d.pdf.totals.size(), 2u);
    EXPECT_EQ(d.pdf.totals[1].amount_minor, 2000000);  // 120 000 incl. 20 % VAT → 20 000
    EXPECT_TRUE(d.pdf.columns.discount);
    EXPECT_EQ(d.pdf.signatures.at(0).name, "Дмитрий Кузнецов");
}

TEST(Proposal, WithoutLinesOneLineOfTheDealsAmount) {
    const ProposalDraft d = BuildProposal(Facts());
    EXPECT_EQ(d.record.lines_source, "deal_amount");
    ASSERT_EQ(d.pdf.lines.size(), 1u);
    EXPECT_EQ(d.pdf.lines[0].name, "Кухня «Прованс»");
    EXPECT_EQ(d.pdf.lines[0].amount_minor, 35000000);
    EXPECT_EQ(d.record.total_minor, 35000000);
    EXPECT_FALSE(d.pdf.columns.discount);
    EXPECT_EQ(ProposalFileName(15, 2, core::Lang::kRu), "Коммерческое предложение 15-2.pdf");
}

TEST(Proposal, TheWorkspacesSignerSignsWhenSet) {
    ProposalFacts f = Facts();
    f.seller.signer_title = "Генеральный директор";
    f.seller.signer_name = "И. И. Петров";
    const ProposalDraft d = BuildProposal(f);
    EXPECT_EQ(d.pdf.signatures.at(0).role, "Генеральный директор");
    EXPECT_EQ(d.pdf.signatures.at(0).name, "И. И. Петров");
}

}  // namespace
}  // namespace otdel::documents
