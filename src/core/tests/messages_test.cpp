#include "core/messages.hpp"

#include <gtest/gtest.h>

namespace otdel::core {
namespace {

TEST(Messages, CatalogIsCompleteInBothLanguages) {
    EXPECT_TRUE(CatalogComplete());
}

TEST(Messages, RussianAndEnglishTitlesDifferForEveryCode) {
    for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
        auto code = static_cast<ErrorCode>(c);
        EXPECT_NE(ErrorTitle(code, Lang::kRu), ErrorTitle(code, Lang::kEn)) << ErrorCodeName(code);
        EXPECT_FALSE(ErrorTitle(code, Lang::kEn).empty()) << ErrorCodeName(code);
    }
}

TEST(Messages, RussianAndEnglishDetailsDifferForEveryCode) {
    for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
        Error e = Error::Of(static_cast<ErrorCode>(c));
        EXPECT_NE(ErrorMessage(e, Lang::kRu), ErrorMessage(e, Lang::kEn)) << ErrorCodeName(e.code);
    }
}

TEST(Messages, MessageKeyPicksTheSpecificText) {
    Error e = Error::Of(ErrorCode::kConflict, "clock.backwards");
    EXPECT_EQ(ErrorMessage(e, Lang::kEn), "Time cannot be moved backwards.");
    EXPECT_EQ(ErrorMessage(e, Lang::kRu), "Время нельзя перевести назад.");
}

TEST(Messages, UnknownMessageKeyFallsBackToTheCodeDefault) {
    Error e = Error::Of(ErrorCode::kNotFound, "no.such.key");
    EXPECT_EQ(ErrorMessage(e, Lang::kEn), ErrorMessage(Error::Of(ErrorCode::kNotFound), Lang::kEn));
}

TEST(Messages, FieldMessageSubstitutesTheParameter) {
    FieldError f{"name", "too_long", "200"};
    EXPECT_EQ(FieldMessage(f, Lang::kEn), "Too long: at most 200 characters.");
    EXPECT_EQ(FieldMessage(f, Lang::kRu), "Слишком длинное значение: не более 200 символов.");
}

TEST(Messages, FieldMessageWithoutPlaceholderIgnoresTheParameter) {
    FieldError f{"email", "required", "ignored"};
    EXPECT_EQ(FieldMessage(f, Lang::kEn), "This field is required.");
}

TEST(Messages, UnknownFieldCodeFallsBackToInvalid) {
    FieldError f{"x", "no_such_reason", ""};
    EXPECT_EQ(FieldMessage(f, Lang::kEn), "Invalid value.");
    EXPECT_EQ(FieldMessage(f, Lang::kRu), "Недопустимое значение.");
}

}  // namespace
}  // namespace otdel::core
