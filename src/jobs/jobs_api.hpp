#pragma once
/// Admin endpoints for time and jobs. The clock can be moved only when the server runs with
/// --manual-clock (tests and demos); then also test-only endpoints exist to schedule and inspect jobs.
#include "core/clock.hpp"
#include "events/audit.hpp"
#include "http/router.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::jobs {

/// GET/POST /api/v1/admin/clock always; with a manual clock also POST /api/v1/admin/jobs,
/// GET /api/v1/admin/jobs/{id}, GET /api/v1/admin/sleep and the `test.echo` job kind.
void RegisterAdminApi(http::Router& router, Scheduler& scheduler, const core::Clock& clock, core::ManualClock* manual);

}  // namespace otdel::jobs
