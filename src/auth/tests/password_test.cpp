#include "auth/password.hpp"

#include <gtest/gtest.h>

namespace otdel::auth {
namespace {

const Argon2Params kTiny{1, 1024, 1};

TEST(Password, HashIsArgon2idWithTheGivenParameters) {
    std::string hash = HashPassword("correct horse", kTiny);
    EXPECT_EQ(hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << hash;
    auto params = ParseArgon2idParams(hash);
    ASSERT_TRUE(params);
    EXPECT_EQ(*params, kTiny);
}

TEST(Password, VerifiesOnlyTheSamePassword) {
    std::string hash = HashPassword("correct horse", kTiny);
    EXPECT_TRUE(VerifyPassword(hash, "correct horse"));
    EXPECT_FALSE(VerifyPassword(hash, "correct horsE"));
    EXPECT_FALSE(VerifyPassword(hash, "correct horse "));
    EXPECT_FALSE(VerifyPassword(hash, ""));
}

TEST(Password, SaltMakesEveryHashDifferent) {
    std::string a = HashPassword("same", kTiny);
    std::string b = HashPassword("same", kTiny);
    EXPECT_NE(a, b);
    EXPECT_TRUE(VerifyPassword(a, "same"));
    EXPECT_TRUE(VerifyPassword(b, "same"));
}

TEST(Password, CyrillicPasswordsWork) {
    std::string hash = HashPassword("пароль-длинный", kTiny);
    EXPECT_TRUE(VerifyPassword(hash, "пароль-длинный"));
    EXPECT_FALSE(VerifyPassword(hash, "Пароль-длинный"));
}

TEST(Password, MalformedHashesNeverVerify) {
    for (const char* bad : {"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
                            "$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=19$m=1024,t=1$x$y",
                            "$argon2id$v=19$m=1024,t=1,p=1$$", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaA"}) {
        EXPECT_FALSE(VerifyPassword(bad, "x")) << bad;
        EXPECT_FALSE(ParseArgon2idParams(bad)) << bad;
        EXPECT_TRUE(NeedsRehash(bad, kTiny)) << bad;
    }
}

TEST(Password, NeedsRehashWhenAnyParameterDiffers) {
    std::string hash = HashPassword("pw", kTiny);
    EXPECT_FALSE(NeedsRehash(hash, kTiny));
    EXPECT_TRUE(NeedsRehash(hash, Argon2Params{2, 1024, 1}));
    EXPECT_TRUE(NeedsRehash(hash, Argon2Params{1, 2048, 1}));
    EXPECT_TRUE(NeedsRehash(hash, Argon2Params{1, 1024, 2}));
}

TEST(PasswordPolicy, LengthInCharactersBetweenMinimumAndMaximum) {
    EXPECT_FALSE(CheckPasswordPolicy("12345678", 8));
    auto short_pw = CheckPasswordPolicy("1234567", 8);
    ASSERT_TRUE(short_pw);
    EXPECT_EQ(short_pw->field, "password");
    EXPECT_EQ(short_pw->code, "weak_password");
    EXPECT_EQ(short_pw->param, "8");
    // Eight Cyrillic letters are 16 bytes but 8 characters.
    EXPECT_FALSE(CheckPasswordPolicy("абвгдежз", 8));
    EXPECT_TRUE(CheckPasswordPolicy("абвгдеж", 8));
    auto too_long = CheckPasswordPolicy(std::string(kMaxPasswordLength + 1, 'x'), 8, "new_password");
    ASSERT_TRUE(too_long);
    EXPECT_EQ(too_long->field, "new_password");
    EXPECT_EQ(too_long->code, "too_long");
    EXPECT_FALSE(CheckPasswordPolicy(std::string(kMaxPasswordLength, 'x'), 8));
}

TEST(PasswordPolicy, OnlySpacesIsWeak) {
    auto e = CheckPasswordPolicy("            ", 8);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, "weak_password");
}

}  // namespace
}  // namespace otdel::auth
