#include "http/dispatcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>
#include <stdexcept>

namespace otdel::http {
namespace {

namespace json = boost::json;

Request Req(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.request_id = "rid-1";
    r.lang = core::Lang::kEn;
    return r;
}

class DispatcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        router.Get("/api/v1/leads/{id}", Access::kUser, [this](Request& req) {
            ++handler_calls;
            Response r;
            r.body = "lead " + req.params.at("id");
            return r;
        });
        router.Patch("/api/v1/leads/{id}", Access::kUser, [](Request&) { return Response::NoContent(); });
        router.Get("/api/v1/boom", Access::kPublic,
                   [](Request&) -> Response { throw std::runtime_error("password=hunter2 in connection string"); });
        router.Get("/api/v1/boom-int", Access::kPublic, [](Request&) -> Response { throw 42; });
        router.Get("/api/v1/admin/thing", Access::kAdmin, [this](Request&) {
            ++handler_calls;
            return Response::NoContent();
        });
    }

    // Refuses admin routes, lets everything else through: enough to see that a refusal short-circuits.
    Guard guard = [](Request& req, const Route& route) -> std::optional<Response> {
        if (route.access != Access::kAdmin) return std::nullopt;
        Response r;
        r.status = 403;
        r.body = "refused";
        return r;
    };
    Router router;
    int handler_calls = 0;
};

TEST_F(DispatcherTest, RunsTheMatchedHandlerWithPathParameters) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/leads/42");
    Response r = d.Handle(req);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "lead 42");
}

TEST_F(DispatcherTest, UnknownPathIsANotFoundProblem) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/nope");
    Response r = d.Handle(req);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("code").as_string(), "not_found");
    EXPECT_EQ(body.at("request_id").as_string(), "rid-1");
}

TEST_F(DispatcherTest, WrongMethodIs405WithAllow) {
    Dispatcher d(router, guard);
    Request req = Req("DELETE", "/api/v1/leads/42");
    Response r = d.Handle(req);
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(json::parse(r.body).at("code").as_string(), "method_not_allowed");
    EXPECT_EQ(r.HeaderValue("Allow"), "GET, PATCH");
}

TEST_F(DispatcherTest, HandlerExceptionBecomesA500WithoutItsMessage) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/boom");
    Response r = d.Handle(req);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(json::parse(r.body).at("code").as_string(), "internal_error");
    EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
    EXPECT_EQ(r.body.find("connection string"), std::string::npos);
}

TEST_F(DispatcherTest, NonStandardExceptionAlsoBecomesA500) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/boom-int");
    EXPECT_EQ(d.Handle(req).status, 500);
}

TEST_F(DispatcherTest, GuardRefusalShortCircuitsTheHandler) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/admin/thing");
    Response r = d.Handle(req);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, "refused");
    EXPECT_EQ(handler_calls, 0);
}

TEST_F(DispatcherTest, GuardIsNotConsultedForUnknownRoutes) {
    int guard_calls = 0;
    Dispatcher d(router, [&](Request&, const Route&) -> std::optional<Response> {
        ++guard_calls;
        return std::nullopt;
    });
    Request req = Req("GET", "/api/v1/nope");
    EXPECT_EQ(d.Handle(req).status, 404);
    EXPECT_EQ(guard_calls, 0);
}

TEST_F(DispatcherTest, AfterHookSeesEveryResponseIncludingRefusals) {
    std::vector<int> seen;
    Dispatcher d(router, guard, [&](const Request&, Response& r) {
        seen.push_back(r.status);
        r.Header("Set-Cookie", "x=1");
    });
    Request a = Req("GET", "/api/v1/leads/1"), b = Req("GET", "/api/v1/admin/thing"), c = Req("GET", "/api/v1/boom");
    Response ra = d.Handle(a);
    d.Handle(b);
    d.Handle(c);
    EXPECT_EQ(seen, (std::vector<int>{200, 403, 500}));
    EXPECT_EQ(ra.HeaderValue("Set-Cookie"), "x=1");
}

TEST_F(DispatcherTest, ProblemsFollowTheRequestLanguage) {
    Dispatcher d(router, guard);
    Request req = Req("GET", "/api/v1/nope");
    req.lang = core::Lang::kRu;
    EXPECT_EQ(json::parse(d.Handle(req).body).at("title").as_string(), "Не найдено");
}

TEST(ApplyCommonHeaders, AddsSecurityHeadersAndTheRequestId) {
    Response r;
    ApplyCommonHeaders(r, "abc");
    EXPECT_EQ(r.HeaderValue("X-Request-Id"), "abc");
    EXPECT_EQ(r.HeaderValue("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.HeaderValue("X-Frame-Options"), "DENY");
    EXPECT_NE(r.HeaderValue("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(r.HeaderValue("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST(ChooseRequestId, KeepsASafeClientId) {
    EXPECT_EQ(ChooseRequestId("a1B2-c3_d4.e5"), "a1B2-c3_d4.e5");
    EXPECT_EQ(ChooseRequestId(std::string(64, 'x')), std::string(64, 'x'));
}

TEST(ChooseRequestId, ReplacesAnUnsafeOrOversizedId) {
    for (std::string bad : {std::string("has space"), std::string("inject\r\nSet-Cookie: x=1"), std::string(65, 'x'),
                            std::string("<script>"), std::string("ид")}) {
        std::string id = ChooseRequestId(bad);
        EXPECT_NE(id, bad);
        EXPECT_EQ(id.size(), 16u) << id;
    }
}

TEST(ChooseRequestId, GeneratesAFreshHexIdWhenNoneIsSupplied) {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        std::string id = ChooseRequestId("");
        EXPECT_EQ(id.size(), 16u);
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace otdel::http
