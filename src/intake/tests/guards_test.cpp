// Public endpoint guards: token buckets, HMAC signatures and the freshness window.
#include <gtest/gtest.h>

#include "intake/rate_limiter.hpp"
#include "intake/signature.hpp"

namespace otdel::intake {
namespace {

TEST(RateLimiter, BucketEmptiesThenRefillsAtTheRate) {
    RateLimiter rl;
    const core::Millis t0 = 1'000'000;
    for (int i = 0; i < 10; ++i) EXPECT_EQ(rl.Take("ip:1", 10, t0), 0) << i;
    const int wait = rl.Take("ip:1", 10, t0);
    EXPECT_EQ(wait, 6);  // one token per 6 s at 10/min
    EXPECT_GT(rl.Take("ip:1", 10, t0 + 5'999), 0);
    EXPECT_EQ(rl.Take("ip:1", 10, t0 + 6'000), 0);
    // Other keys have their own buckets.
    EXPECT_EQ(rl.Take("ip:2", 10, t0), 0);
}

TEST(RateLimiter, RefillIsCappedAndClockGoingBackDoesNotMint) {
    RateLimiter rl;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(rl.Take("k", 3, 0), 0);
    // An hour later the bucket holds 3, not 30.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(rl.Take("k", 3, 3'600'000), 0);
    EXPECT_GT(rl.Take("k", 3, 3'600'000), 0);
    EXPECT_GT(rl.Take("k", 3, 0), 0);
    EXPECT_GT(rl.Take("zero", 0, 0), 0);
}

TEST(RateLimiter, BoundedKeysSweepIdleBuckets) {
    RateLimiter rl(2);
    EXPECT_EQ(rl.Take("a", 60, 0), 0);
    EXPECT_EQ(rl.Take("b", 60, 0), 0);
    EXPECT_EQ(rl.Take("c", 60, 0), 1);  // full of busy buckets: refused, no growth
    EXPECT_EQ(rl.size(), 2u);
    EXPECT_EQ(rl.Take("c", 60, 10'000), 0);  // a and b refilled -> swept
    EXPECT_EQ(rl.size(), 1u);
}

TEST(Signature, KnownVectorAndVerify) {
    // printf %s '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    const std::string sig = SignHmac("secret", "1700000000", R"({"a":1})");
    EXPECT_EQ(sig, "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
    EXPECT_TRUE(VerifyHmac("secret", "1700000000", R"({"a":1})", sig));
    EXPECT_TRUE(VerifyHmac("secret", "1700000000", R"({"a":1})", "sha256=" + sig));
    std::string upper = sig;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(VerifyHmac("secret", "1700000000", R"({"a":1})", upper));
    EXPECT_FALSE(VerifyHmac("secret", "1700000001", R"({"a":1})", sig));
    EXPECT_FALSE(VerifyHmac("secret", "1700000000", R"({"a":2})", sig));
    EXPECT_FALSE(VerifyHmac("other", "1700000000", R"({"a":1})", sig));
    EXPECT_FALSE(VerifyHmac("", "1700000000", R"({"a":1})", SignHmac("", "1700000000", R"({"a":1})")));
    EXPECT_FALSE(VerifyHmac("secret", "1700000000", R"({"a":1})", sig.substr(0, 63) + "z"));
    EXPECT_FALSE(VerifyHmac("secret", "1700000000", R"({"a":1})", ""));
}

TEST(Signature, MatchesOpenssl) {
    // printf '%s' 'what do ya want .for nothing?' | openssl dgst -sha256 -hmac Jefe
    EXPECT_EQ(SignHmac("Jefe", "what do ya want ", "for nothing?"),
              "83fb3421ec48dc8ee8cd58e1f03bb1f80ae0110c64a82771c98a0cea22cecdd2");
}

TEST(Signature, TimestampWindow) {
    EXPECT_EQ(ParseTimestamp("1700000000"), 1'700'000'000'000);
    EXPECT_FALSE(ParseTimestamp(""));
    EXPECT_FALSE(ParseTimestamp("17e8"));
    EXPECT_FALSE(ParseTimestamp("-1"));
    EXPECT_FALSE(ParseTimestamp("1234567890123"));
    const core::Millis now = 1'700'000'000'000;
    EXPECT_TRUE(FreshTimestamp(now - kSignatureWindowMs, now));
    EXPECT_TRUE(FreshTimestamp(now + kSignatureWindowMs, now));
    EXPECT_FALSE(FreshTimestamp(now - kSignatureWindowMs - 1, now));
    EXPECT_FALSE(FreshTimestamp(now + kSignatureWindowMs + 1, now));
}

TEST(Signature, SecretToken) {
    EXPECT_TRUE(SecretMatches("abc", "abc"));
    EXPECT_FALSE(SecretMatches("abc", "abd"));
    EXPECT_FALSE(SecretMatches("abc", "ab"));
    EXPECT_FALSE(SecretMatches("", ""));
}

}  // namespace
}  // namespace otdel::intake
