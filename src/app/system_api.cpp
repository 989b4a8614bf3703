#include "app/system_api.hpp"

#include <spdlog/spdlog.h>

#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::app {

inline constexpr const char* kVersion = "0.1.0";

void RegisterSystemApi(http::Router& router, db::Database& db, const core::Clock& clock, int schema_version) {
    router.Get("/api/v1/health", http::Access::kPublic, [&db, &clock, schema_version](http::Request& req) {
        try {
            int one = 0;
            db.Read([&](soci::session& sql) {
                sql << "SELECT 1", soci::into(one);
                return 0;
            });
        } catch (const std::exception& e) {
            spdlog::error("health: database check failed: {}", e.what());
            return http::Problem(core::Error::Of(core::ErrorCode::kUnavailable), req.lang, req.request_id);
        }
        boost::json::object o{{"status", "ok"},
                              {"version", kVersion},
                              {"database", std::string(db::EngineName(db.engine()))},
                              {"schema_version", schema_version},
                              {"time", clock.NowMs()}};
        return http::Json(o);
    });
}

}  // namespace otdel::app
