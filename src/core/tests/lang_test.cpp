#include "core/lang.hpp"

#include <gtest/gtest.h>

namespace otdel::core {
namespace {

TEST(ParseLang, EnglishBrowserHeaderGivesEnglish) {
    EXPECT_EQ(ParseLang("en-US,en;q=0.9"), Lang::kEn);
}

TEST(ParseLang, PlainRuGivesRussian) {
    EXPECT_EQ(ParseLang("ru"), Lang::kRu);
}

TEST(ParseLang, UnsupportedFirstChoiceFallsThroughToTheNextSupportedOne) {
    EXPECT_EQ(ParseLang("de-DE,en;q=0.5"), Lang::kEn);
}

TEST(ParseLang, EmptyHeaderGivesRussian) {
    EXPECT_EQ(ParseLang(""), Lang::kRu);
}

TEST(ParseLang, GarbageGivesRussian) {
    EXPECT_EQ(ParseLang(";;;,,,===\x01\xff"), Lang::kRu);
    EXPECT_EQ(ParseLang("english"), Lang::kRu);
    EXPECT_EQ(ParseLang("*"), Lang::kRu);
}

TEST(ParseLang, TagsAreCaseInsensitive) {
    EXPECT_EQ(ParseLang("EN-gb"), Lang::kEn);
    EXPECT_EQ(ParseLang("Ru-RU"), Lang::kRu);
}

TEST(ParseLang, SpacesAroundItemsAreIgnored) {
    EXPECT_EQ(ParseLang("fr ,  en-US ; q=0.8"), Lang::kEn);
}

TEST(ParseLang, RussianFirstWinsOverEnglish) {
    EXPECT_EQ(ParseLang("ru-RU,ru;q=0.9,en-US;q=0.8"), Lang::kRu);
}

TEST(LangTag, RoundTripsThroughParseLang) {
    EXPECT_EQ(LangTag(Lang::kRu), "ru");
    EXPECT_EQ(LangTag(Lang::kEn), "en");
    EXPECT_EQ(ParseLang(LangTag(Lang::kEn)), Lang::kEn);
}

TEST(IsSupportedLang, AcceptsOnlyExactTags) {
    EXPECT_TRUE(IsSupportedLang("ru"));
    EXPECT_TRUE(IsSupportedLang("en"));
    EXPECT_FALSE(IsSupportedLang("en-US"));
    EXPECT_FALSE(IsSupportedLang("EN"));
    EXPECT_FALSE(IsSupportedLang(""));
}

}  // namespace
}  // namespace otdel::core
