// What one API request costs in the dispatcher before any database work: routing among many routes,
// JSON body parsing with field checks, problem+json rendering.
#include <benchmark/benchmark.h>

#include "http/dispatcher.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace {

using namespace otdel;  // NOLINT(google-build-using-namespace)

http::Router MakeRouter() {
    http::Router r;
    const char* rooms[] = {"leads", "clients", "deals", "activities", "plans", "reports", "tickets", "departments"};
    for (const char* room : rooms) {
        std::string base = std::string("/api/v1/") + room;
        auto ok = [](http::Request&) { return http::Json(boost::json::object{{"ok", true}}); };
        r.Get(base, http::Access::kUser, ok);
        r.Post(base, http::Access::kUser, ok);
        r.Get(base + "/{id}", http::Access::kUser, ok);
        r.Patch(base + "/{id}", http::Access::kUser, ok);
        r.Delete(base + "/{id}", http::Access::kUser, ok);
        r.Post(base + "/{id}/restore", http::Access::kUser, ok);
    }
    return r;
}

void BM_RouterMatchParam(benchmark::State& state) {
    auto router = MakeRouter();
    std::unordered_map<std::string, std::string> params;
    for (auto _ : state) {
        auto m = router.Match("PATCH", "/api/v1/departments/123456", params);
        benchmark::DoNotOptimize(m.route);
    }
}
BENCHMARK(BM_RouterMatchParam);

void BM_DispatchJsonBody(benchmark::State& state) {
    http::Router router;
    router.Post("/api/v1/leads", http::Access::kPublic, [](http::Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(body.error(), req.lang, req.request_id);
        http::FieldReader f(*body);
        auto name = f.String("name", {.required = true, .max_len = 200});
        auto phone = f.String("phone", {.max_len = 40});
        auto text = f.String("text", {.max_len = 5000});
        if (auto r = f.Finish(); !r) return http::Problem(r.error(), req.lang, req.request_id);
        return http::Json(201, boost::json::object{{"name", *name}});
    });
    http::Dispatcher d(router, {});
    for (auto _ : state) {
        http::Request req;
        req.method = "POST";
        req.path = "/api/v1/leads";
        req.headers["content-type"] = "application/json";
        req.body =
            R"({"name":"Иван Петров","phone":"+7 912 345-67-89","text":"Нужна кухня 3 м, бюджет 300 тыс., до марта"})";
        auto res = d.Handle(req);
        benchmark::DoNotOptimize(res.body.data());
    }
}
BENCHMARK(BM_DispatchJsonBody);

void BM_ProblemWithFields(benchmark::State& state) {
    core::Error e{core::ErrorCode::kValidation, {}, {{"email", "invalid_email", ""}, {"name", "too_long", "200"}}, 0};
    for (auto _ : state) {
        auto res = http::Problem(e, core::Lang::kRu, "bench");
        benchmark::DoNotOptimize(res.body.data());
    }
}
BENCHMARK(BM_ProblemWithFields);

}  // namespace
