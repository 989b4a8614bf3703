#include "events/audit_api.hpp"

#include <charconv>

#include "events/audit.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::events {
namespace {

namespace json = boost::json;

json::value ParsedOrNull(const std::string& s) {
    if (s.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(s, ec);
    return ec ? json::value(nullptr) : v;
}

json::object ToJson(const AuditRow& a) {
    json::object o{{"id", a.id},
                   {"at", a.at},
                   {"actor_kind", a.actor_kind},
                   {"action", a.action},
                   {"object_type", a.object_type},
                   {"request_id", a.request_id},
                   {"ip", a.ip}};
    o["actor_user_id"] = a.actor_user_id ? json::value(*a.actor_user_id) : json::value(nullptr);
    o["object_id"] = a.object_id ? json::value(*a.object_id) : json::value(nullptr);
    o["before"] = ParsedOrNull(a.before_json);
    o["after"] = ParsedOrNull(a.after_json);
    return o;
}

bool ValidObjectType(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

void RegisterAuditApi(http::Router& router, db::Database& db) {
    router.Get("/api/v1/audit-log", http::Access::kAdmin, [&db](http::Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(page.error(), req.lang, req.request_id);
        std::optional<std::string> object_type = req.Query("object_type");
        if (object_type && !ValidObjectType(*object_type))
            return http::Problem(core::Error{core::ErrorCode::kBadRequest, {}, {{"object_type", "invalid", ""}}, 0},
                                 req.lang, req.request_id);
        std::optional<core::Id> object_id;
        if (auto q = req.Query("object_id")) {
            core::Id id = 0;
            auto [p, ec] = std::from_chars(q->data(), q->data() + q->size(), id);
            if (ec != std::errc() || p != q->data() + q->size() || id <= 0)
                return http::Problem(core::Error{core::ErrorCode::kBadRequest, {}, {{"object_id", "invalid", ""}}, 0},
                                     req.lang, req.request_id);
            object_id = id;
        }
        auto rows = db.Read([&](soci::session& sql) {
            return ListAudit(sql, req.actor.workspace_id, object_type, object_id, page->after_id, page->limit + 1);
        });
        json::value next = nullptr;
        if (static_cast<int>(rows.size()) > page->limit) {
            rows.pop_back();
            next = http::EncodeCursor(rows.back().id);
        }
        json::array items;
        for (const auto& r : rows) items.push_back(ToJson(r));
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
    });
}

}  // namespace otdel::events
