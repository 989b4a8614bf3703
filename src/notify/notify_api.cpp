// HTTP handlers of the notify room: a person's own e-mail and Telegram channels.
#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "notify/notify_service.hpp"

namespace otdel::notify {
namespace json = boost::json;
using http::Access;
using http::Request;

namespace {

json::object ViewJson(const ChannelView& v) {
    json::array kinds;
    for (const auto& k : v.channel.kinds) kinds.emplace_back(k);
    return json::object{{"channel", ChannelName(v.channel.kind)},
                        {"target", v.channel.target},
                        {"kinds", std::move(kinds)},
                        {"enabled", v.channel.enabled},
                        {"configured", v.configured}};
}

core::Result<ChannelKind> KindOf(const Request& req) {
    auto it = req.params.find("channel");
    auto k = it == req.params.end() ? std::nullopt : ParseChannel(it->second);
    if (!k) return core::Error::Of(core::ErrorCode::kNotFound);
    return *k;
}

}  // namespace

void NotifyService::Register(http::Router& router) {
    router.Get("/api/v1/me/notification-channels", Access::kUser, [this](Request& req) {
        auto r = List(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& v : *r) items.push_back(ViewJson(v));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Put("/api/v1/me/notification-channels/{channel}", Access::kUser, [this](Request& req) {
        auto kind = KindOf(req);
        if (!kind) return http::Problem(req, kind.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        Channel c;
        c.kind = *kind;
        c.target = f.String("target", {true, 1, 320}).value_or("");
        c.enabled = f.Bool("enabled", false).value_or(true);
        f.Known("kinds");
        if (auto it = body->find("kinds"); it != body->end() && !it->value().is_null()) {
            if (!it->value().is_array()) {
                f.AddError("kinds", "wrong_type", "array");
            } else {
                c.kinds.clear();
                for (const auto& k : it->value().as_array()) {
                    if (!k.is_string()) {
                        f.AddError("kinds", "wrong_type", "string");
                        break;
                    }
                    c.kinds.emplace_back(k.as_string());
                }
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Put(req.actor, c);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ViewJson(*r));
    });
    router.Delete("/api/v1/me/notification-channels/{channel}", Access::kUser, [this](Request& req) {
        auto kind = KindOf(req);
        if (!kind) return http::Problem(req, kind.error());
        auto r = Delete(req.actor, *kind);
        if (!r) return http::Problem(req, r.error());
        return http::Response::NoContent();
    });
    router.Post("/api/v1/me/notification-channels/{channel}/test", Access::kUser, [this](Request& req) {
        auto kind = KindOf(req);
        if (!kind) return http::Problem(req, kind.error());
        auto r = SendTest(req.actor, *kind);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"sent", true}});
    });
}

}  // namespace otdel::notify
