// Sending documents by e-mail, the pure part: recipients normalised and checked (all problems at once), the built-in
// templates in both languages use only known placeholders and fill from the workspace's requisites, lines left empty
// by missing requisites are dropped, templates with unknown placeholders or a multi-line subject are refused.
#include <gtest/gtest.h>

#include "documents/documents.hpp"
#include "test_support.hpp"

namespace otdel::documents {
namespace {

using test_support::HasField;

MailFacts Facts(core::Lang lang) {
    MailFacts f;
    f.lang = lang;
    f.seller.org.legal_name = "ООО «Северный свет»";
    f.seller.org.inn = "7707083893";
    f.seller.org.phone = "+7 495 000-00-00";
    f.seller.org.email = "hello@severny-svet.ru";
    f.client_name = "ООО «Кухни на заказ»";
    f.contact_name = "Ольга Петрова";
    f.deal_title = "Кухня в таунхаус";
    f.owner_name = "Мария Соколова";
    f.number = "15-2";
    f.amount_minor = 89000000;
    f.date = "2026-12-31";
    f.today = "2026-12-04";
    return f;
}

TEST(MailRecipients, NormalisedDeduplicatedAndCheckedAllAtOnce) {
    std::vector<std::string> to{" Buyer@Kuhni.RU ", "director@kuhni.ru", "buyer@kuhni.ru"};
    std::vector<std::string> cc{"BUYER@kuhni.ru", "buh@kuhni.ru"};
    ASSERT_TRUE(NormalizeRecipients(to, cc));
    EXPECT_EQ(to, (std::vector<std::string>{"buyer@kuhni.ru", "director@kuhni.ru"}));
    EXPECT_EQ(cc, (std::vector<std::string>{"buh@kuhni.ru"})) << "an address in To is not copied again";

    std::vector<std::string> bad_to{"not an address", "ok@kuhni.ru"}, bad_cc{"also@bad"};
    auto r = NormalizeRecipients(bad_to, bad_cc);
    EXPECT_TRUE(HasField(r, "to/0", "invalid_email"));
    EXPECT_TRUE(HasField(r, "cc/0", "invalid_email"));

    std::vector<std::string> none, cc_only{"buh@kuhni.ru"};
    EXPECT_TRUE(HasField(NormalizeRecipients(none, cc_only), "to", "required"));

    std::vector<std::string> many, empty;
    for (int i = 0; i < 21; ++i) many.push_back("p" + std::to_string(i) + "@kuhni.ru");
    EXPECT_TRUE(HasField(NormalizeRecipients(many, empty), "to", "too_many"));
}

TEST(MailTemplates, BuiltInOnesAreValidAndFillInBothLanguages) {
    for (const auto& kind : MailDocKinds())
        for (const char* lang : {"ru", "en"}) {
            const MailTemplate t = DefaultMailTemplate(kind, lang);
            EXPECT_TRUE(ValidateMailTemplate(t)) << kind << " " << lang;
            EXPECT_FALSE(t.custom);
        }
    const MailTemplate ru = DefaultMailTemplate("proposal", "ru");
    const MailFacts f = Facts(core::Lang::kRu);
    EXPECT_EQ(FillMail(ru.subject, f), "Коммерческое предложение № 15-2 — ООО «Северный свет»");
    const std::string body = FillMail(ru.body, f);
    EXPECT_NE(body.find("«Кухня в таунхаус» на сумму 890\u00a0000,00 руб."), std::string::npos) << body;
    EXPECT_NE(body.find("действует до 31.12.2026"), std::string::npos) << body;
    EXPECT_NE(body.find("+7 495 000-00-00 hello@severny-svet.ru"), std::string::npos) << body;
    EXPECT_EQ(body.find("{{"), std::string::npos);
    // The workspace has no website: its line is dropped, not left empty at the end.
    EXPECT_EQ(body.substr(body.size() - std::string("hello@severny-svet.ru").size()), "hello@severny-svet.ru");

    const MailTemplate en = DefaultMailTemplate("invoice", "en");
    MailFacts fe = Facts(core::Lang::kEn);
    fe.number = "2026-000123";
    EXPECT_EQ(FillMail(en.subject, fe), "Invoice 2026-000123 — ООО «Северный свет»");
    EXPECT_NE(FillMail(en.body, fe).find("due by 2026-12-31"), std::string::npos);
}

TEST(MailTemplates, EmptyValuesDropTheirLineButParagraphsStay) {
    MailFacts f = Facts(core::Lang::kRu);
    f.seller.org.phone.clear();
    f.seller.org.email.clear();
    EXPECT_EQ(FillMail("Добрый день!\n\n{{company.phone}} {{company.email}}\n{{company.name}}", f),
              "Добрый день!\n\nООО «Северный свет»");
    // A value is inserted as it is, never expanded again.
    f.client_name = "{{deal.title}}";
    EXPECT_EQ(FillMail("Для {{client.name}}", f), "Для {{deal.title}}");
}

TEST(MailTemplates, UnknownPlaceholdersAndMultiLineSubjectsAreRefused) {
    MailTemplate t = DefaultMailTemplate("proposal", "ru");
    t.subject = "КП {{proposal.number}}";  // a proposal-template placeholder, not an e-mail one
    t.body = "Текст {{deal.title";
    auto r = ValidateMailTemplate(t);
    EXPECT_TRUE(HasField(r, "subject", "unknown_placeholder"));
    EXPECT_TRUE(HasField(r, "body", "unclosed_placeholder"));
    t = DefaultMailTemplate("invoice", "en");
    t.subject = "Line one\nLine two";
    EXPECT_TRUE(HasField(ValidateMailTemplate(t), "subject", "one_line"));
    t.subject = "";
    EXPECT_TRUE(HasField(ValidateMailTemplate(t), "subject", "required"));
    EXPECT_TRUE(HasField(ValidateMailText("ok", std::string(kMaxMailBody + 1, 'x')), "body", "too_long"));
    EXPECT_EQ(AttachmentNote("Счёт 2026-000123.pdf", core::Lang::kRu), "Вложение: Счёт 2026-000123.pdf");
    EXPECT_EQ(AttachmentNote("Proposal 15-2.pdf", core::Lang::kEn), "Attachment: Proposal 15-2.pdf");
}

}  // namespace
}  // namespace otdel::documents
