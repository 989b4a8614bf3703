#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace otdel::core {
namespace {

TEST(RandomToken, IsHexOfTwiceTheByteCount) {
    for (std::size_t bytes : {1u, 8u, 32u}) {
        std::string t = RandomToken(bytes);
        EXPECT_EQ(t.size(), bytes * 2);
        EXPECT_TRUE(std::all_of(t.begin(), t.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c));
        })) << t;
    }
}

TEST(RandomToken, DefaultIs32BytesOf64HexChars) {
    EXPECT_EQ(RandomToken().size(), 64u);
}

TEST(RandomToken, ThousandTokensAreAllDifferent) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(RandomToken(16));
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(Sha256Hex, MatchesTheFipsVectorForAbc) {
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Hex, MatchesTheVectorForTheEmptyString) {
    EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Hex, HashesEmbeddedZeroBytes) {
    EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("a"));
}

TEST(ConstantTimeEquals, EqualStringsMatch) {
    EXPECT_TRUE(ConstantTimeEquals("s3cr3t-token", "s3cr3t-token"));
}

TEST(ConstantTimeEquals, OneDifferentByteDoesNotMatch) {
    EXPECT_FALSE(ConstantTimeEquals("s3cr3t-token", "s3cr3t-tokem"));
}

TEST(ConstantTimeEquals, DifferentLengthsDoNotMatch) {
    EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
    EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(ConstantTimeEquals, TwoEmptyStringsMatch) {
    EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace otdel::core
