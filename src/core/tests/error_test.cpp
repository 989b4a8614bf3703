#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace otdel::core {
namespace {

// Wire codes are a public contract: clients switch on them. This table must only ever grow.
TEST(ErrorCodeName, EveryCodeHasItsStableWireName) {
    const std::pair<ErrorCode, std::string_view> expected[] = {
        {ErrorCode::kBadRequest, "bad_request"},
        {ErrorCode::kMalformedJson, "malformed_json"},
        {ErrorCode::kUnsupportedMediaType, "unsupported_media_type"},
        {ErrorCode::kValidation, "validation_failed"},
        {ErrorCode::kUnauthenticated, "unauthenticated"},
        {ErrorCode::kInvalidCredentials, "invalid_credentials"},
        {ErrorCode::kSessionExpired, "session_expired"},
        {ErrorCode::kForbidden, "forbidden"},
        {ErrorCode::kCsrfFailed, "csrf_failed"},
        {ErrorCode::kNotFound, "not_found"},
        {ErrorCode::kMethodNotAllowed, "method_not_allowed"},
        {ErrorCode::kConflict, "conflict"},
        {ErrorCode::kPayloadTooLarge, "payload_too_large"},
        {ErrorCode::kRateLimited, "rate_limited"},
        {ErrorCode::kUnavailable, "unavailable"},
        {ErrorCode::kInternal, "internal_error"},
    };
    ASSERT_EQ(std::size(expected), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
    for (const auto& [code, name] : expected) EXPECT_EQ(ErrorCodeName(code), name);
}

TEST(ErrorCodeName, NamesAreUnique) {
    std::set<std::string_view> names;
    for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c)
        names.insert(ErrorCodeName(static_cast<ErrorCode>(c)));
    EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
}

TEST(Error, FieldBuildsAValidationErrorWithOneField) {
    Error e = Error::Field("email", "required");
    EXPECT_EQ(e.code, ErrorCode::kValidation);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].field, "email");
    EXPECT_EQ(e.fields[0].code, "required");
    EXPECT_TRUE(e.fields[0].param.empty());
}

}  // namespace
}  // namespace otdel::core
