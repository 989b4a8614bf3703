#include "auth/credentials.hpp"

#include <gtest/gtest.h>

namespace otdel::auth {
namespace {

const std::string kHex64(64, 'a');

TEST(Credentials, SessionTokenIsExactly64LowerHex) {
    EXPECT_TRUE(IsWellFormedSessionToken(kHex64));
    EXPECT_TRUE(IsWellFormedSessionToken("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    EXPECT_FALSE(IsWellFormedSessionToken(std::string(63, 'a')));
    EXPECT_FALSE(IsWellFormedSessionToken(std::string(65, 'a')));
    EXPECT_FALSE(IsWellFormedSessionToken(std::string(64, 'A')));
    EXPECT_FALSE(IsWellFormedSessionToken(std::string(63, 'a') + "g"));
    EXPECT_FALSE(IsWellFormedSessionToken(""));
    EXPECT_FALSE(IsWellFormedSessionToken("' OR 1=1 --"));
}

TEST(Credentials, ApiTokenFormatAndPrefix) {
    std::string token = MakeApiToken("0123456789abcdef" + std::string(48, 'f'));
    EXPECT_TRUE(IsWellFormedApiToken(token));
    EXPECT_EQ(ApiTokenDisplayPrefix(token), "otd_01234567");
    EXPECT_EQ(token.rfind(ApiTokenDisplayPrefix(token), 0), 0u) << "the prefix is the start of the token";
    EXPECT_FALSE(IsWellFormedApiToken(kHex64));
    EXPECT_FALSE(IsWellFormedApiToken("otd_" + std::string(63, 'a')));
    EXPECT_FALSE(IsWellFormedApiToken("OTD_" + kHex64));
    EXPECT_FALSE(IsWellFormedApiToken("otd_" + std::string(64, 'A')));
    EXPECT_FALSE(IsWellFormedApiToken("otd_" + kHex64 + "x"));
}

TEST(Credentials, ParseBearer) {
    EXPECT_EQ(ParseBearer("Bearer abc").value_or(""), "abc");
    EXPECT_EQ(ParseBearer("bearer abc").value_or(""), "abc");
    EXPECT_EQ(ParseBearer("BEARER   abc  ").value_or(""), "abc");
    EXPECT_FALSE(ParseBearer("Bearer"));
    EXPECT_FALSE(ParseBearer("Bearer "));
    EXPECT_FALSE(ParseBearer("Basic YWRtaW46b3RkZWw="));
    EXPECT_FALSE(ParseBearer("Token abc"));
    EXPECT_FALSE(ParseBearer(""));
}

TEST(Credentials, SessionCookieAttributes) {
    EXPECT_EQ(SessionCookie("tok", 604800, false), "otdel_session=tok; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax");
    EXPECT_EQ(SessionCookie("tok", 60, true), "otdel_session=tok; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
    EXPECT_EQ(ClearSessionCookie(false), "otdel_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    EXPECT_EQ(ClearSessionCookie(true), "otdel_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

TEST(Credentials, SafeMethods) {
    for (const char* m : {"GET", "HEAD", "OPTIONS"}) EXPECT_TRUE(IsSafeMethod(m)) << m;
    for (const char* m : {"POST", "PUT", "PATCH", "DELETE", "get", ""}) EXPECT_FALSE(IsSafeMethod(m)) << m;
}

TEST(Credentials, ForwardedHeaders) {
    EXPECT_EQ(ForwardedForClient("203.0.113.7, 10.0.0.1"), "203.0.113.7");
    EXPECT_EQ(ForwardedForClient(" 2001:db8::1 "), "2001:db8::1");
    EXPECT_EQ(ForwardedForClient(""), "");
    EXPECT_EQ(ForwardedForClient("<script>, 10.0.0.1"), "");
    EXPECT_TRUE(ForwardedProtoIsHttps("https"));
    EXPECT_TRUE(ForwardedProtoIsHttps("HTTPS, http"));
    EXPECT_FALSE(ForwardedProtoIsHttps("http"));
    EXPECT_FALSE(ForwardedProtoIsHttps(""));
}

}  // namespace
}  // namespace otdel::auth
