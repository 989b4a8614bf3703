// ParseFormSubmission: JSON and urlencoded (Cyrillic), honeypot, contact rules, limits, utm from the page address.
#include <gtest/gtest.h>

#include "intake/form_submission.hpp"

namespace otdel::intake {
namespace {

constexpr const char* kUrlencoded = "application/x-www-form-urlencoded";

TEST(FormSubmission, UrlencodedCyrillicWithPlusAndPercentEscapes) {
    // "Иван Петров" and "Нужна кухня 3 м" as a browser encodes them.
    const std::string body =
        "name=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2&phone=8+912+345-67-89"
        "&message=%D0%9D%D1%83%D0%B6%D0%BD%D0%B0+%D0%BA%D1%83%D1%85%D0%BD%D1%8F+3+%D0%BC&consent=on"
        "&custom.square=12&website=";
    auto s = ParseFormSubmission(std::string(kUrlencoded) + "; charset=UTF-8", body);
    ASSERT_TRUE(s.ok()) << s.error().fields.size();
    EXPECT_EQ(s->name, "Иван Петров");
    EXPECT_EQ(s->phone, "8 912 345-67-89");
    EXPECT_EQ(s->message, "Нужна кухня 3 м");
    EXPECT_TRUE(s->consent);
    ASSERT_EQ(s->custom.size(), 1u);
    EXPECT_EQ(s->custom[0].first, "square");
    EXPECT_EQ(s->custom[0].second, "12");
    EXPECT_FALSE(s->honeypot_filled);
}

// Found by fuzz_form: the urlencoded parser was handed a buffer without a terminating NUL and Boost.URL read past
// it. A view into a larger buffer must be parsed by its own bytes only, and a raw NUL byte is refused.
TEST(FormSubmission, UrlencodedBodyIsReadWithinItsBytes) {
    const std::string buffer = "name=Ivan&phone=89123456789&website=&message=ignored";
    const std::string_view body(buffer.data(), buffer.find("&message"));
    auto s = ParseFormSubmission(kUrlencoded, body);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->name, "Ivan");
    EXPECT_EQ(s->message, "");
    auto nul = ParseFormSubmission(kUrlencoded, std::string_view("name=Iv\0an&phone=89123456789", 29));
    ASSERT_FALSE(nul.ok());
    EXPECT_EQ(nul.error().message_key, "intake.bad_form_encoding");
}

TEST(FormSubmission, JsonWithNestedCustomAndNumbers) {
    auto s = ParseFormSubmission("application/json",
                                 R"({"name":"Anna","email":" Anna@Example.RU ","phone":79123456789,)"
                                 R"("custom":{"budget":"500000","rooms":3},"consent":true,"utm_source":"yandex"})");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->email, "anna@example.ru");
    EXPECT_EQ(s->phone, "79123456789");
    EXPECT_TRUE(s->consent);
    EXPECT_EQ(s->utm_source, "yandex");
    ASSERT_EQ(s->custom.size(), 2u);
}

TEST(FormSubmission, PhoneOrEmailRequired) {
    auto s = ParseFormSubmission("application/json", R"({"name":"Аноним","message":"сколько стоит?"})");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, core::ErrorCode::kValidation);
    EXPECT_TRUE(s.error().HasField("phone", "phone_or_email_required"));
    EXPECT_TRUE(s.error().HasField("email", "phone_or_email_required"));
}

TEST(FormSubmission, BadPhoneEmailInnAreFieldErrorsAllAtOnce) {
    auto s = ParseFormSubmission(kUrlencoded, "phone=12&email=not-an-email&inn=7707083894");
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().HasField("phone", "invalid_phone"));
    EXPECT_TRUE(s.error().HasField("email", "invalid_email"));
    EXPECT_TRUE(s.error().HasField("inn", "invalid_inn"));
    auto ok = ParseFormSubmission(kUrlencoded, "phone=%2B7+912+345+67+89&inn=77-07+083893");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->inn, "7707083893");
}

TEST(FormSubmission, HoneypotShortCircuitsValidation) {
    auto s = ParseFormSubmission(kUrlencoded, "website=http%3A%2F%2Fspam.example&message=buy", "website");
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->honeypot_filled);
    auto other = ParseFormSubmission(kUrlencoded, "fax=1&phone=89123456789", "fax");
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(other->honeypot_filled);
    auto blank = ParseFormSubmission(kUrlencoded, "fax=+&phone=89123456789", "fax");
    ASSERT_TRUE(blank.ok());
    EXPECT_FALSE(blank->honeypot_filled);
}

TEST(FormSubmission, UtmFromPageUrlDoesNotOverrideExplicitFields) {
    auto s = ParseFormSubmission(
        "application/json",
        R"({"email":"a@b.ru","utm_source":"direct","page_url":"https://shop.example/kitchens?utm_source=vk&utm_medium=cpc&utm_campaign=%D0%BB%D0%B5%D1%82%D0%BE"})");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->utm_source, "direct");
    EXPECT_EQ(s->utm_medium, "cpc");
    EXPECT_EQ(s->utm_campaign, "лето");
}

TEST(FormSubmission, LimitsAndShapes) {
    EXPECT_EQ(ParseFormSubmission("text/html", "phone=1").error().code, core::ErrorCode::kUnsupportedMediaType);
    EXPECT_EQ(ParseFormSubmission("application/json", "[1]").error().code, core::ErrorCode::kMalformedJson);
    EXPECT_EQ(ParseFormSubmission("application/json", R"({"phone":[1]})").error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(ParseFormSubmission(kUrlencoded, std::string(kMaxFormBodyBytes + 1, 'a')).error().code,
              core::ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(ParseFormSubmission(kUrlencoded, "phone=%FF%FE").error().code, core::ErrorCode::kBadRequest);
    auto long_name = ParseFormSubmission(kUrlencoded, "phone=89123456789&name=" + std::string(201, 'x'));
    ASSERT_FALSE(long_name.ok());
    EXPECT_TRUE(long_name.error().HasField("name", "too_long"));
    auto bad_code = ParseFormSubmission(kUrlencoded, "phone=89123456789&custom.Bad-Code=1");
    ASSERT_FALSE(bad_code.ok());
    EXPECT_TRUE(bad_code.error().HasField("custom.Bad-Code", "invalid"));
    std::string many = "phone=89123456789";
    for (int i = 0; i < 21; ++i) many += "&custom.f" + std::to_string(i) + "=x";
    auto too_many = ParseFormSubmission(kUrlencoded, many);
    ASSERT_FALSE(too_many.ok());
    EXPECT_TRUE(too_many.error().HasField("custom", "too_many"));
}

TEST(FormSubmission, Utf8Check) {
    EXPECT_TRUE(IsValidUtf8("Привет, мир"));
    EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));         // overlong '/'
    EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));     // surrogate
    EXPECT_FALSE(IsValidUtf8("\xD0"));             // truncated
    EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji
}

}  // namespace
}  // namespace otdel::intake
