#include "jobs/jobs_api.hpp"

#include <chrono>
#include <thread>

#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::jobs {
namespace {

namespace json = boost::json;
using http::Access;
using http::Problem;

json::object JobJson(const JobRecord& j) {
    json::object o{{"id", j.id},
                   {"kind", j.kind},
                   {"status", j.status},
                   {"attempts", j.attempts},
                   {"max_attempts", j.max_attempts},
                   {"run_at", j.run_at},
                   {"payload", j.payload}};
    o["last_error"] = j.last_error.empty() ? json::value(nullptr) : json::value(j.last_error);
    o["finished_at"] = j.finished_at ? json::value(*j.finished_at) : json::value(nullptr);
    return o;
}

}  // namespace

void RegisterAdminApi(http::Router& router, Scheduler& scheduler, const core::Clock& clock, core::ManualClock* manual) {
    router.Get("/api/v1/admin/clock", Access::kAdmin, [&clock](http::Request&) {
        return http::Json(json::object{{"now", clock.NowMs()}, {"manual", clock.IsManual()}});
    });

    router.Post("/api/v1/admin/clock", Access::kAdmin, [&scheduler, &clock, manual](http::Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Problem(body.error(), req.lang, req.request_id);
        http::FieldReader f(*body);
        auto advance = f.Int("advance_ms", false, 0, 366LL * 24 * 3600 * 1000);
        auto set = f.Int("set_ms", false, 0, INT64_MAX);
        if (!f.Has("advance_ms") && !f.Has("set_ms")) f.AddError("advance_ms", "required");
        if (f.Has("advance_ms") && f.Has("set_ms")) f.AddError("set_ms", "invalid");
        if (auto r = f.Finish(); !r) return Problem(r.error(), req.lang, req.request_id);
        if (!manual)
            return Problem(core::Error::Of(core::ErrorCode::kConflict, "clock.not_manual"), req.lang, req.request_id);
        if (advance) manual->Advance(*advance);
        if (set && !manual->Set(*set))
            return Problem(core::Error::Of(core::ErrorCode::kConflict, "clock.backwards"), req.lang, req.request_id);
        // Everything that became due runs before the answer, so a test can assert its effects right away.
        int ran = scheduler.RunDue();
        return http::Json(json::object{{"now", clock.NowMs()}, {"manual", true}, {"jobs_run", ran}});
    });

    if (!manual) return;

    scheduler.Register("test.echo", [](const JobContext& ctx) -> core::Result<void> {
        // Observable side effect: an audit row per run.
        return ctx.db.InTx([&](soci::session& sql) -> core::Result<void> {
            events::WriteAudit(sql, core::Actor::System(ctx.job.workspace_id), ctx.now,
                               {"job.test_echo", "job", ctx.job.id, std::nullopt, json::value(ctx.job.payload)});
            return core::Ok();
        });
    });

    router.Post("/api/v1/admin/jobs", Access::kAdmin, [&scheduler, &clock](http::Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Problem(body.error(), req.lang, req.request_id);
        http::FieldReader f(*body);
        auto kind = f.Enum("kind", true, {"test.echo"});
        auto run_in = f.Int("run_in_ms", false, 0, 366LL * 24 * 3600 * 1000);
        const json::object* payload_in = f.Object("payload", false);
        json::object payload = payload_in ? *payload_in : json::object{};
        if (auto r = f.Finish(); !r) return Problem(r.error(), req.lang, req.request_id);
        JobSpec spec{req.actor.workspace_id, *kind, payload, clock.NowMs() + run_in.value_or(0), std::nullopt, 10};
        core::Id id = scheduler.store().Schedule(spec, clock.NowMs());
        scheduler.Wake();
        return http::Json(201, json::object{{"id", id}});
    });

    router.Get("/api/v1/admin/jobs/{id}", Access::kAdmin, [&scheduler](http::Request& req) {
        auto id = http::PathId(req);
        if (!id) return Problem(id.error(), req.lang, req.request_id);
        auto job = scheduler.store().Get(req.actor.workspace_id, *id);
        if (!job) return Problem(core::Error::Of(core::ErrorCode::kNotFound), req.lang, req.request_id);
        return http::Json(JobJson(*job));
    });

    // Holds a worker for a while: lets black-box tests prove that shutdown waits for requests in flight.
    router.Get("/api/v1/admin/sleep", Access::kAdmin, [](http::Request& req) {
        int ms = 0;
        if (auto q = req.Query("ms")) ms = std::atoi(q->c_str());
        if (ms < 0 || ms > 10'000)
            return Problem(core::Error{core::ErrorCode::kBadRequest, {}, {{"ms", "out_of_range", "0…10000"}}, 0},
                           req.lang, req.request_id);
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        return http::Json(json::object{{"slept_ms", ms}});
    });
}

}  // namespace otdel::jobs
