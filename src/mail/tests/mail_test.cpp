// The mail room's message composition: a message with attachments is multipart/mixed, parsed back with vmime (as a
// receiving mail program would) it has the text, each file under its Cyrillic name with its exact bytes, a Date and
// the Message-ID it was given; limits and bad addresses are refused before anything is sent.
#include <gtest/gtest.h>

#include <vmime/vmime.hpp>

#include "mail/smtp.hpp"
#include "mail/vmime_support.hpp"

namespace otdel::mail {
namespace {

std::string Binary() {
    std::string b = "%PDF-1.5\n";
    for (int i = 0; i < 3000; ++i) b.push_back(static_cast<char>(i % 256));  // every byte value, NULs included
    return b;
}

OutgoingMail Sample() {
    OutgoingMail m;
    m.to = "buyer@kuhni.ru, Директор <director@kuhni.ru>";
    m.cc = "buh@kuhni.ru";
    m.subject = "Коммерческое предложение № 15-2";
    m.text = "Добрый день!\nВо вложении — предложение.";
    m.attachments.push_back({"Коммерческое предложение 15-2.pdf", "application/pdf", Binary()});
    m.attachments.push_back({"Отчёт «Воронка».xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             std::string("PK\x03\x04 xlsx bytes", 16)});
    m.message_id = "otdel.abc123@severny-svet.ru";
    return m;
}

std::string Extract(const vmime::shared_ptr<const vmime::contentHandler>& data) {
    std::string out;
    vmime::utility::outputStreamStringAdapter os(out);
    data->extract(os);
    return out;
}

TEST(MailCompose, AttachmentsParseBackWithNamesBytesAndHeaders) {
    auto raw = ComposeMessage("Северный свет <crm@severny-svet.ru>", Sample());
    ASSERT_TRUE(raw) << raw.error().message_key;
    EXPECT_NE(raw->find("multipart/mixed"), std::string::npos);
    EXPECT_NE(raw->find("filename*"), std::string::npos) << "RFC 2231 name";

    InitVmime();
    auto msg = vmime::make_shared<vmime::message>();
    msg->parse(*raw);
    vmime::messageParser mp(msg);
    EXPECT_EQ(mp.getSubject().getConvertedText(vmime::charsets::UTF_8), "Коммерческое предложение № 15-2");
    ASSERT_EQ(mp.getRecipients().getAddressCount(), 2u);
    ASSERT_EQ(mp.getCopyRecipients().getAddressCount(), 1u);
    EXPECT_EQ(vmime::dynamicCast<const vmime::mailbox>(mp.getCopyRecipients().getAddressAt(0))->getEmail().toString(),
              "buh@kuhni.ru");
    EXPECT_EQ(mp.getExpeditor().getEmail().toString(), "crm@severny-svet.ru");
    EXPECT_GT(mp.getDate().getYear(), 2000);
    auto id = msg->getHeader()->MessageId()->getValue<vmime::messageId>();
    EXPECT_EQ(id->getId(), "otdel.abc123@severny-svet.ru");

    ASSERT_EQ(mp.getTextPartCount(), 1u);
    auto text = mp.getTextPartAt(0);
    EXPECT_EQ(text->getType().generate(), "text/plain");
    std::string body;
    vmime::utility::outputStreamStringAdapter os(body);
    text->getText()->extract(os);
    EXPECT_EQ(body, "Добрый день!\nВо вложении — предложение.");

    ASSERT_EQ(mp.getAttachmentCount(), 2u);
    const auto pdf = mp.getAttachmentAt(0);
    EXPECT_EQ(pdf->getName().getConvertedText(vmime::charsets::UTF_8), "Коммерческое предложение 15-2.pdf");
    EXPECT_EQ(pdf->getType().generate(), "application/pdf");
    EXPECT_EQ(Extract(pdf->getData()), Binary()) << "the bytes survive base64 exactly";
    const auto xlsx = mp.getAttachmentAt(1);
    EXPECT_EQ(xlsx->getName().getConvertedText(vmime::charsets::UTF_8), "Отчёт «Воронка».xlsx");
    EXPECT_EQ(Extract(xlsx->getData()), std::string("PK\x03\x04 xlsx bytes", 16));
}

TEST(MailCompose, WithoutAttachmentsItIsOnePlainTextPartWithAMadeUpMessageId) {
    OutgoingMail m = Sample();
    m.attachments.clear();
    m.message_id.clear();
    auto raw = ComposeMessage("crm@severny-svet.ru", m);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->find("multipart/mixed"), std::string::npos);
    auto msg = vmime::make_shared<vmime::message>();
    msg->parse(*raw);
    auto id = msg->getHeader()->MessageId()->getValue<vmime::messageId>();
    EXPECT_EQ(id->getRight(), "severny-svet.ru");
    EXPECT_EQ(id->getLeft().size(), std::string("otdel.").size() + 32);
}

TEST(MailCompose, TooLargeOrNamelessAttachmentsAndNoRecipientAreRefused) {
    OutgoingMail m = Sample();
    m.attachments = {{"big.pdf", "application/pdf", std::string(kMaxAttachmentBytes / 2 + 1, 'x')},
                     {"big2.pdf", "application/pdf", std::string(kMaxAttachmentBytes / 2 + 1, 'x')}};
    auto big = ComposeMessage("crm@x.ru", m);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, core::ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(big.error().message_key, "mail.attachment_too_large");

    m.attachments = {{"", "application/pdf", "x"}};
    auto nameless = ComposeMessage("crm@x.ru", m);
    ASSERT_FALSE(nameless);
    ASSERT_EQ(nameless.error().fields.size(), 1u);
    EXPECT_EQ(nameless.error().fields[0].field, "attachments/0");

    m = Sample();
    m.to = "";
    auto nobody = ComposeMessage("crm@x.ru", m);
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().message_key, "mail.bad_address");

    // The SMTP sender refuses the same before connecting (the URL points nowhere).
    SmtpMailer smtp(SmtpConfig{"smtp://127.0.0.1:1", "crm@x.ru", "", "", false, 1});
    m = Sample();
    m.attachments = {{"big.pdf", "application/pdf", std::string(kMaxAttachmentBytes + 1, 'x')}};
    auto sent = smtp.Send(m);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, core::ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace otdel::mail
