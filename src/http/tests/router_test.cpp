#include "http/router.hpp"

#include <gtest/gtest.h>

namespace otdel::http {
namespace {

Handler Named(std::string name) {
    return [name](Request&) {
        Response r;
        r.body = name;
        return r;
    };
}

std::string HandlerOf(const RouteMatch& m) {
    Request req;
    return m.route ? m.route->handler(req).body : "<none>";
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        router.Get("/api/v1/api-tokens", Access::kUser, Named("list"));
        router.Post("/api/v1/api-tokens", Access::kUser, Named("create"));
        router.Get("/api/v1/api-tokens/{id}", Access::kUser, Named("get"));
        router.Delete("/api/v1/api-tokens/{id}", Access::kUser, Named("delete"));
        router.Get("/api/v1/api-tokens/current", Access::kUser, Named("current"));
        router.Get("/api/v1/deals/{deal_id}/items/{item_id}", Access::kUser, Named("item"));
        router.Post("/api/v1/auth/login", Access::kPublic, Named("login"));
    }
    Router router;
    std::unordered_map<std::string, std::string> params;
};

TEST_F(RouterTest, MatchesALiteralRoute) {
    auto m = router.Match("GET", "/api/v1/api-tokens", params);
    EXPECT_EQ(HandlerOf(m), "list");
    EXPECT_TRUE(params.empty());
}

TEST_F(RouterTest, PicksTheRouteByMethod) {
    EXPECT_EQ(HandlerOf(router.Match("POST", "/api/v1/api-tokens", params)), "create");
}

TEST_F(RouterTest, FillsPathParameters) {
    auto m = router.Match("GET", "/api/v1/deals/17/items/305", params);
    EXPECT_EQ(HandlerOf(m), "item");
    EXPECT_EQ(params.at("deal_id"), "17");
    EXPECT_EQ(params.at("item_id"), "305");
}

TEST_F(RouterTest, LiteralSegmentBeatsAParameter) {
    auto m = router.Match("GET", "/api/v1/api-tokens/current", params);
    EXPECT_EQ(HandlerOf(m), "current");
    EXPECT_TRUE(params.empty());
}

TEST_F(RouterTest, ParameterStillMatchesOtherValues) {
    auto m = router.Match("GET", "/api/v1/api-tokens/42", params);
    EXPECT_EQ(HandlerOf(m), "get");
    EXPECT_EQ(params.at("id"), "42");
}

TEST_F(RouterTest, KnownPathWithAnotherMethodReportsTheAllowedMethods) {
    auto m = router.Match("PATCH", "/api/v1/api-tokens/42", params);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_exists);
    EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "DELETE"}));
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
    auto m = router.Match("GET", "/api/v1/nothing-here", params);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_FALSE(m.path_exists);
    EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, PathWithExtraSegmentsDoesNotMatch) {
    auto m = router.Match("GET", "/api/v1/api-tokens/42/extra", params);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_FALSE(m.path_exists);
}

TEST_F(RouterTest, HeadIsServedByTheGetRoute) {
    EXPECT_EQ(HandlerOf(router.Match("HEAD", "/api/v1/api-tokens", params)), "list");
}

TEST_F(RouterTest, HeadOnAPostOnlyPathIsMethodNotAllowed) {
    auto m = router.Match("HEAD", "/api/v1/auth/login", params);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_exists);
    EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"POST"}));
}

// Empty segments are ignored, so a trailing slash (or a doubled one) reaches the same route.
TEST_F(RouterTest, TrailingSlashReachesTheSameRoute) {
    EXPECT_EQ(HandlerOf(router.Match("GET", "/api/v1/api-tokens/", params)), "list");
    EXPECT_EQ(HandlerOf(router.Match("GET", "/api/v1/api-tokens/7/", params)), "get");
    EXPECT_EQ(params.at("id"), "7");
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
    auto m = router.Match("get", "/api/v1/api-tokens", params);
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_exists);
}

TEST_F(RouterTest, ParametersFromAFailedMatchAreNotLeftBehind) {
    params["stale"] = "x";
    auto m = router.Match("GET", "/api/v1/api-tokens/9", params);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(params.count("stale"), 0u);
}

TEST_F(RouterTest, RouteKeepsItsAccessPolicy) {
    auto m = router.Match("POST", "/api/v1/auth/login", params);
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->access, Access::kPublic);
    EXPECT_EQ(m.route->pattern, "/api/v1/auth/login");
}

}  // namespace
}  // namespace otdel::http
