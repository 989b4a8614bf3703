#include "core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace otdel::core {
namespace {

Result<int> ParsePositive(int n) {
    if (n <= 0) return Error::Field("n", "out_of_range", "1…");
    return n;
}

Result<void> Check(int n) {
    OTDEL_TRY_VOID(ParsePositive(n));
    return Ok();
}

TEST(Result, HoldsTheValueWhenBuiltFromOne) {
    Result<std::string> r = std::string("лид");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(*r, "лид");
    EXPECT_EQ(r->size(), std::string("лид").size());
}

TEST(Result, HoldsTheErrorWhenBuiltFromOne) {
    Result<int> r = Error::Of(ErrorCode::kNotFound, "auth.token_invalid");
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(static_cast<bool>(r));
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(r.error().message_key, "auth.token_invalid");
}

TEST(Result, MovesAMoveOnlyValueOut) {
    Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
    std::unique_ptr<int> p = std::move(r).value();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 7);
}

TEST(Result, TakeErrorHandsOverTheFieldErrors) {
    Result<int> r = ParsePositive(0);
    ASSERT_FALSE(r);
    Error e = r.take_error();
    EXPECT_EQ(e.code, ErrorCode::kValidation);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].field, "n");
    EXPECT_EQ(e.fields[0].code, "out_of_range");
    EXPECT_EQ(e.fields[0].param, "1…");
}

TEST(ResultVoid, OkIsSuccess) {
    Result<void> r = Ok();
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(static_cast<bool>(r));
}

TEST(ResultVoid, CarriesAnError) {
    Result<void> r = Error::Of(ErrorCode::kConflict);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST(OtdelTryVoid, PropagatesTheFirstError) {
    Result<void> r = Check(-1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

TEST(OtdelTryVoid, ContinuesWhenTheExpressionSucceeds) {
    EXPECT_TRUE(Check(3).ok());
}

TEST(Error, RateLimitedErrorCarriesRetryAfter) {
    Error e = Error::Of(ErrorCode::kRateLimited);
    e.retry_after_s = 30;
    Result<void> r = e;
    EXPECT_EQ(r.error().retry_after_s, 30);
}

}  // namespace
}  // namespace otdel::core
