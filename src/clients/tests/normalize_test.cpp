#include "clients/normalize.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace otdel::clients {
namespace {

TEST(NormalizePhone, RussianSpellingsMeetInOneKey) {
    for (const char* raw : {"8 912 345-67-89", "+7 (912) 345-67-89", "912-345-67-89", "89123456789", "+79123456789",
                            "7 912 345 67 89", "8(912)345-67-89 доб. 12", " +7-912-345-6789 "}) {
        const auto p = NormalizePhone(raw);
        ASSERT_TRUE(p) << raw;
        EXPECT_EQ(p->e164, "+79123456789") << raw;
        EXPECT_EQ(p->country_code, 7);
        EXPECT_EQ(p->national, "9123456789");
    }
    EXPECT_EQ(NormalizePhone("8 (495) 123-45-67")->e164, "+74951234567");
    EXPECT_EQ(NormalizePhone("+1 650 253 0000")->e164, "+16502530000");
    EXPECT_EQ(NormalizePhone("+44 20 7946 0958")->e164, "+442079460958");
}

TEST(NormalizePhone, ImpossibleNumbersAreRejected) {
    for (const char* raw : {"", "123", "сколько стоит?", "+7 000 000 00 00", "8 912 345", "+7 912 345 67 89 00 11",
                            "abcdefghijk", "++++++", "0000000000000000000000000"}) {
        EXPECT_FALSE(NormalizePhone(raw)) << raw;
    }
}

// Found by fuzz_normalize: keypad letters and a kept national prefix gave E.164 forms that did not read back as
// themselves, so one phone could have had two dedupe keys.
TEST(NormalizePhone, TheE164FormIsAFixedPoint) {
    EXPECT_FALSE(NormalizePhone("Ivafro+4 (9 45-E,12) "));
    EXPECT_FALSE(NormalizePhone("+64007470074"));
    for (const char* raw : {"8 912 345-67-89", "+1 650 253 0000", "+44 20 7946 0958", "+64 21 123 4567"}) {
        const auto p = NormalizePhone(raw);
        ASSERT_TRUE(p) << raw;
        const auto again = NormalizePhone(p->e164);
        ASSERT_TRUE(again) << raw;
        EXPECT_EQ(again->e164, p->e164) << raw;
    }
}

TEST(NormalizePhone, ARepeatedReadingGivesTheSameAnswerAsTheFirst) {
    // Readings are remembered per thread; asking again (or in another region, or beyond the memo's size) must not
    // change any answer, refusals included.
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(NormalizePhone("8 912 345-67-89")->e164, "+79123456789") << round;
        EXPECT_EQ(NormalizePhone("  8 912 345-67-89\t")->national, "9123456789") << round;
        EXPECT_EQ(NormalizePhone("+79123456789")->country_code, 7) << round;
        EXPECT_FALSE(NormalizePhone("+64007470074")) << round;
        EXPECT_FALSE(NormalizePhone("8 000 000")) << round;
        EXPECT_EQ(NormalizePhone("020 7946 0958", "GB")->e164, "+442079460958") << round;
        EXPECT_FALSE(NormalizePhone("020 7946 0958", "RU")) << round;
        for (int i = 0; i < 5000; ++i) {  // more numbers than the memo keeps
            char raw[32];
            std::snprintf(raw, sizeof raw, "8 (916) %03d-%02d-%02d", i / 100, i % 100, (i * 7) % 100);
            ASSERT_TRUE(NormalizePhone(raw)) << raw;
        }
    }
}

// NormalizePhone reads the common Russian spellings without libphonenumber's parser: for every such spelling of
// every kind of national number (all first digits, so invalid ranges too) it must answer exactly as the parser.
TEST(NormalizePhone, TheFastRussianReadingAgreesWithTheParser) {
    std::uint64_t state = 88172645463325252ULL;  // xorshift: the same numbers on every run
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int valid = 0, checked = 0;
    for (int i = 0; i < 4000; ++i) {
        char d[11];
        std::snprintf(d, sizeof d, "%010llu", static_cast<unsigned long long>(next() % 10'000'000'000ULL));
        // Bias toward the real ranges (mobile 9xx, Moscow 495/499, St Petersburg 812, toll-free 800, Kazakhstan 7xx).
        static const char* kPrefixes[] = {"9", "495", "499", "812", "800", "7", "3", "4", "8", "1", "0", "5", "6"};
        const std::string prefix = kPrefixes[next() % (sizeof kPrefixes / sizeof *kPrefixes)];
        const std::string n = prefix + std::string(d).substr(prefix.size());
        const std::string a = n.substr(0, 3), b = n.substr(3, 3), c = n.substr(6, 2), e = n.substr(8);
        for (const std::string& raw :
             {"+7 (" + a + ") " + b + "-" + c + "-" + e, "8 (" + a + ") " + b + "-" + c + "-" + e, "+7" + n, "8" + n,
              "7" + n, n, "8 " + a + " " + b + " " + c + " " + e, "+7-" + a + "-" + b + "-" + c + "-" + e,
              "(" + a + ") " + b + "-" + c + "-" + e, "810" + n.substr(0, 8), "+8" + n,
              " 8-" + a + "-" + b + c + e + " "}) {
            const auto fast = NormalizePhone(raw);
            const auto slow = NormalizePhoneByParser(raw);
            ASSERT_EQ(fast.has_value(), slow.has_value()) << raw;
            if (fast) {
                EXPECT_EQ(fast->e164, slow->e164) << raw;
                EXPECT_EQ(fast->country_code, slow->country_code) << raw;
                EXPECT_EQ(fast->national, slow->national) << raw;
                ++valid;
            }
            ++checked;
        }
    }
    EXPECT_GT(valid, checked / 10);  // the sample reaches valid numbers, not only rejections
}

TEST(NormalizePhone, SearchTermsCoverTheUsualSpellings) {
    const auto p = NormalizePhone("8 912 345-67-89");
    EXPECT_EQ(PhoneSearchTerms(*p), "+79123456789 79123456789 89123456789 9123456789");
    EXPECT_EQ(PhoneSearchTerms(*NormalizePhone("+16502530000")), "+16502530000 16502530000 6502530000");
}

TEST(NormalizeEmail, LowerCasesAndChecksTheShape) {
    EXPECT_EQ(NormalizeEmail("  Ivan.Petrov@Example.RU "), "ivan.petrov@example.ru");
    EXPECT_EQ(NormalizeEmail("a+tag@sub.example.com"), "a+tag@sub.example.com");
    for (const char* raw : {"", "ivan", "ivan@", "@example.ru", "ivan@example", "ivan@@example.ru", "iv an@example.ru",
                            "ivan@.example.ru", "ivan@example..ru", ".ivan@example.ru", "ivan.@example.ru", "a@b@c.ru",
                            "ivan@example.r", "<ivan@example.ru>"}) {
        EXPECT_FALSE(NormalizeEmail(raw)) << raw;
    }
}

TEST(RegistrationNumbers, InnControlDigits) {
    EXPECT_TRUE(IsValidInn("7707083893"));    // an organisation
    EXPECT_TRUE(IsValidInn("500100732259"));  // a person
    EXPECT_FALSE(IsValidInn("7707083894"));
    EXPECT_FALSE(IsValidInn("500100732258"));
    EXPECT_FALSE(IsValidInn("770708389"));
    EXPECT_FALSE(IsValidInn("77070838931"));
    EXPECT_FALSE(IsValidInn("77O7083893"));
    EXPECT_EQ(DigitsOnly(" 7707-083 893 "), "7707083893");
}

TEST(RegistrationNumbers, KppOgrnAndBank) {
    EXPECT_TRUE(IsValidKpp("773601001"));
    EXPECT_TRUE(IsValidKpp("7736AB001"));
    EXPECT_FALSE(IsValidKpp("77360100"));
    EXPECT_FALSE(IsValidKpp("7736ab001"));
    EXPECT_FALSE(IsValidKpp("A73601001"));
    EXPECT_TRUE(IsValidOgrn("1027700132195"));    // OGRN
    EXPECT_TRUE(IsValidOgrn("304500116000157"));  // OGRNIP
    EXPECT_FALSE(IsValidOgrn("1027700132196"));
    EXPECT_FALSE(IsValidOgrn("304500116000158"));
    EXPECT_FALSE(IsValidOgrn("10277001321"));
    EXPECT_TRUE(IsValidBik("044525225"));
    EXPECT_FALSE(IsValidBik("144525225"));
    EXPECT_TRUE(IsValidCorrAccount("30101810400000000225", "044525225"));
    EXPECT_FALSE(IsValidCorrAccount("30101810400000000226", "044525225"));
    EXPECT_TRUE(IsValidAccount("40702810938000000001", "044525225"));
    EXPECT_FALSE(IsValidAccount("40702810938000000002", "044525225"));
    EXPECT_FALSE(IsValidAccount("4070281093800000000", "044525225"));
}

}  // namespace
}  // namespace otdel::clients
