// ParseMail: headers and bodies in UTF-8, cp1251 and koi8-r; multipart with an attachment; HTML only; broken MIME.
#include <gtest/gtest.h>

#include "intake/form_submission.hpp"
#include "intake/mail_message.hpp"
#include "mail_samples.hpp"

namespace otdel::intake {
namespace {

TEST(MailMessage, Utf8WithEncodedHeaders) {
    const MailMessage m = ParseMail(samples::kUtf8);
    EXPECT_TRUE(m.parsed);
    EXPECT_EQ(m.from_email, "ivan@example.ru");
    EXPECT_EQ(m.from_name, "Иван Петров");
    EXPECT_EQ(m.subject, "Кухня на заказ");
    EXPECT_EQ(m.message_id, "m1@example.ru");
    EXPECT_EQ(m.date, 1'772'349'300'000);
    EXPECT_EQ(m.text, "Добрый день! Нужна кухня 3 метра, телефон +7 912 555-11-22.");
}

TEST(MailMessage, RussianCharsetsDecodedToUtf8) {
    const MailMessage w = ParseMail(samples::kCp1251);
    EXPECT_EQ(w.subject, "Заявка на шкаф");
    EXPECT_EQ(w.text, "Здравствуйте! Нужен шкаф-купе 2 метра, бюджет 80 тысяч.");
    const MailMessage k = ParseMail(samples::kKoi8);
    EXPECT_EQ(k.subject, "Кухня");
    EXPECT_EQ(k.from_name, "Anna");
    EXPECT_EQ(k.text, "Перезвоните мне по поводу кухни, телефон 8 912 555-44-33");
}

TEST(MailMessage, MultipartKeepsTheTextNotTheAttachment) {
    const MailMessage m = ParseMail(samples::kMultipart);
    EXPECT_EQ(m.text, "Посмотрите смету во вложении.");
    EXPECT_EQ(m.text.find("JVBER"), std::string::npos);
}

TEST(MailMessage, HtmlOnlyIsReducedToText) {
    const MailMessage m = ParseMail(samples::kHtmlOnly);
    EXPECT_EQ(m.text, "Заказ «стол»\n2 шт.");
    EXPECT_EQ(HtmlToText("a<br>b<script>x</script>c &amp; d"), "a\nbc & d");
}

TEST(MailMessage, BrokenMimeStillYieldsValidUtf8Text) {
    const MailMessage m = ParseMail(samples::kBroken);
    EXPECT_TRUE(IsValidUtf8(m.text));
    EXPECT_NE(m.text.find("8 912 555 66 77"), std::string::npos) << m.text;
    EXPECT_TRUE(m.from_email.empty()) << m.from_email;
    EXPECT_FALSE(m.parsed);
    for (const std::string junk : {std::string(""), std::string("\r\n\r\n"), std::string(5000, '\xff'),
                                   std::string("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x")}) {
        const MailMessage j = ParseMail(junk);
        EXPECT_TRUE(IsValidUtf8(j.text));
    }
}

}  // namespace
}  // namespace otdel::intake
