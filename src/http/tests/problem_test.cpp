#include "http/problem.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/messages.hpp"

namespace otdel::http {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Lang;

TEST(StatusFor, MapsEveryErrorCodeToItsHttpStatus) {
    const std::pair<ErrorCode, int> expected[] = {
        {ErrorCode::kBadRequest, 400},           {ErrorCode::kMalformedJson, 400},
        {ErrorCode::kUnsupportedMediaType, 415}, {ErrorCode::kValidation, 422},
        {ErrorCode::kUnauthenticated, 401},      {ErrorCode::kInvalidCredentials, 401},
        {ErrorCode::kSessionExpired, 401},       {ErrorCode::kForbidden, 403},
        {ErrorCode::kCsrfFailed, 403},           {ErrorCode::kNotFound, 404},
        {ErrorCode::kMethodNotAllowed, 405},     {ErrorCode::kConflict, 409},
        {ErrorCode::kPayloadTooLarge, 413},      {ErrorCode::kRateLimited, 429},
        {ErrorCode::kUnavailable, 503},          {ErrorCode::kInternal, 500},
    };
    ASSERT_EQ(std::size(expected), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
    for (const auto& [code, status] : expected) {
        EXPECT_EQ(StatusFor(code), status) << core::ErrorCodeName(code);
        EXPECT_EQ(Problem(Error::Of(code), Lang::kEn, "r").status, status) << core::ErrorCodeName(code);
    }
}

TEST(Problem, IsProblemJsonWithEveryStandardField) {
    Response r = Problem(Error::Of(ErrorCode::kNotFound), Lang::kEn, "req-1");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("type").as_string(), "https://otdel.dev/problems/not_found");
    EXPECT_EQ(body.at("title").as_string(), "Not found");
    EXPECT_EQ(body.at("status").as_int64(), 404);
    EXPECT_EQ(body.at("code").as_string(), "not_found");
    EXPECT_EQ(body.at("detail").as_string(), "The requested resource was not found.");
    EXPECT_EQ(body.at("request_id").as_string(), "req-1");
    EXPECT_FALSE(body.contains("errors"));
}

TEST(Problem, DetailFollowsTheLanguage) {
    auto ru = json::parse(Problem(Error::Of(ErrorCode::kForbidden), Lang::kRu, "r").body).as_object();
    auto en = json::parse(Problem(Error::Of(ErrorCode::kForbidden), Lang::kEn, "r").body).as_object();
    EXPECT_EQ(ru.at("detail").as_string(), "У вас нет прав на это действие.");
    EXPECT_EQ(en.at("detail").as_string(), "You are not allowed to do this.");
    EXPECT_EQ(ru.at("title").as_string(), "Недостаточно прав");
    EXPECT_EQ(ru.at("code"), en.at("code"));
}

TEST(Problem, MessageKeyGivesTheSpecificDetail) {
    auto body =
        json::parse(Problem(Error::Of(ErrorCode::kConflict, "auth.email_taken"), Lang::kEn, "r").body).as_object();
    EXPECT_EQ(body.at("code").as_string(), "conflict");
    EXPECT_EQ(body.at("detail").as_string(), "A user with this e-mail already exists.");
}

TEST(Problem, RateLimitedCarriesRetryAfter) {
    Error e = Error::Of(ErrorCode::kRateLimited);
    e.retry_after_s = 42;
    Response r = Problem(e, Lang::kRu, "r");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.HeaderValue("Retry-After"), "42");
}

TEST(Problem, RateLimitedWithoutADelayHasNoRetryAfter) {
    EXPECT_EQ(Problem(Error::Of(ErrorCode::kRateLimited), Lang::kRu, "r").HeaderValue("Retry-After"), "");
}

TEST(Problem, OtherErrorsHaveNoRetryAfter) {
    Error e = Error::Of(ErrorCode::kConflict);
    e.retry_after_s = 5;
    EXPECT_EQ(Problem(e, Lang::kRu, "r").HeaderValue("Retry-After"), "");
}

TEST(Problem, UnauthenticatedChallengesForBearer) {
    EXPECT_EQ(Problem(Error::Of(ErrorCode::kUnauthenticated), Lang::kEn, "r").HeaderValue("WWW-Authenticate"),
              "Bearer realm=\"otdel\"");
    EXPECT_EQ(Problem(Error::Of(ErrorCode::kForbidden), Lang::kEn, "r").HeaderValue("WWW-Authenticate"), "");
}

TEST(Problem, FieldErrorsCarryLocalisedMessages) {
    Error e{ErrorCode::kValidation, {}, {{"name", "too_long", "200"}, {"email", "required", ""}}, 0};
    auto en = json::parse(Problem(e, Lang::kEn, "r").body).as_object();
    auto ru = json::parse(Problem(e, Lang::kRu, "r").body).as_object();
    EXPECT_EQ(en.at("status").as_int64(), 422);
    const auto& errs = en.at("errors").as_array();
    ASSERT_EQ(errs.size(), 2u);
    EXPECT_EQ(errs[0].at("field").as_string(), "name");
    EXPECT_EQ(errs[0].at("code").as_string(), "too_long");
    EXPECT_EQ(errs[0].at("message").as_string(), "Too long: at most 200 characters.");
    EXPECT_EQ(errs[1].at("field").as_string(), "email");
    EXPECT_EQ(errs[1].at("message").as_string(), "This field is required.");
    EXPECT_EQ(ru.at("errors").as_array()[0].at("message").as_string(),
              "Слишком длинное значение: не более 200 символов.");
}

}  // namespace
}  // namespace otdel::http
