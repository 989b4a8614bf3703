// HTTP handlers of the auth room: parse with FieldReader, call the service, answer JSON.
#include <boost/json.hpp>

#include "auth/auth_service.hpp"
#include "auth/credentials.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::auth {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object WorkspaceJson(const Workspace& w) {
    return json::object{{"id", w.id},
                        {"name", w.name},
                        {"slug", w.slug},
                        {"time_zone", w.time_zone},
                        {"currency", w.currency},
                        {"default_locale", w.default_locale}};
}

json::object MeJson(const MeView& me) {
    json::object o{
        {"id", me.user.id},         {"email", me.user.email},       {"full_name", me.user.full_name},
        {"locale", me.user.locale}, {"is_admin", me.user.is_admin}, {"workspace", WorkspaceJson(me.workspace)}};
    if (me.csrf_token) o["csrf_token"] = *me.csrf_token;
    return o;
}

json::object TokenJson(const ApiToken& t) {
    return json::object{{"id", t.id},
                        {"name", t.name},
                        {"prefix", t.prefix},
                        {"created_at", t.created_at},
                        {"last_used_at", http::OrNull(t.last_used_at)},
                        {"expires_at", http::OrNull(t.expires_at)}};
}

Response Fail(const Request& req, const core::Error& e) {
    return http::Problem(e, req.lang, req.request_id);
}

// Responses that carry the CSRF token or the user's profile are never cached.
Response Private(Response r) {
    r.Header("Cache-Control", "no-store");
    return r;
}

// A required string for which "" is too short rather than missing (FieldReader reports "" as required).
void RequirePresent(http::FieldReader& f, const json::object& body, std::string_view name,
                    const std::optional<std::string>& value) {
    if (value) return;
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) f.AddError(std::string(name), "required");
}

}  // namespace

void AuthService::Register(http::Router& router) {
    router.Post("/api/v1/auth/login", Access::kPublic, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        auto email = f.String("email", {.required = true, .max_len = kMaxEmailLength});
        auto password = f.String("password", {.required = true, .max_len = kMaxPasswordLength, .trim = false});
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        LoginInput in;
        in.email = *email;
        in.password = *password;
        in.ip = ClientIp(req);
        in.user_agent = std::string(req.Header("user-agent"));
        in.request_id = req.request_id;
        in.presented_session = req.Cookie(kSessionCookieName);
        auto out = Login(in);
        if (!out) return Fail(req, out.error());
        Response res = Private(http::Json(MeJson(out->me)));
        const long long max_age = static_cast<long long>(config_.session_absolute_hours) * 3600;
        res.Header("Set-Cookie", SessionCookie(out->session_token, max_age, SecureCookies(req)));
        return res;
    });

    router.Post("/api/v1/auth/logout", Access::kUser, [this](Request& req) {
        if (auto done = Logout(req.actor); !done) return Fail(req, done.error());
        Response res = Response::NoContent();
        res.Header("Set-Cookie", ClearSessionCookie(SecureCookies(req)));
        return res;
    });

    router.Get("/api/v1/me", Access::kUser, [this](Request& req) {
        auto me = GetMe(req.actor);
        if (!me) return Fail(req, me.error());
        return Private(http::Json(MeJson(*me)));
    });

    router.Patch("/api/v1/me", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        MePatch patch;
        patch.full_name = f.String("full_name", {.min_len = 1, .max_len = kMaxFullNameLength});
        patch.locale = f.Enum("locale", false, {"ru", "en"});
        if (!f.Has("full_name") && !f.Has("locale")) {
            f.AddError("full_name", "required");
            f.AddError("locale", "required");
        }
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto me = UpdateMe(req.actor, patch);
        if (!me) return Fail(req, me.error());
        return Private(http::Json(MeJson(*me)));
    });

    router.Get("/api/v1/api-tokens", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return Fail(req, page.error());
        ApiTokenPage tokens = ListApiTokens(req.actor, page->after_id, page->limit);
        json::array items;
        for (const auto& t : tokens.items) items.push_back(TokenJson(t));
        json::value next =
            tokens.next_after ? json::value(http::EncodeCursor(*tokens.next_after)) : json::value(nullptr);
        return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
    });

    router.Post("/api/v1/api-tokens", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return Fail(req, body.error());
        http::FieldReader f(*body);
        auto name = f.String("name", {.min_len = 1, .max_len = 100});
        RequirePresent(f, *body, "name", name);
        auto days = f.Int("expires_in_days", false, 1, 3650);
        if (auto done = f.Finish(); !done) return Fail(req, done.error());
        auto created =
            CreateApiToken(req.actor, *name, days ? std::optional<int>(static_cast<int>(*days)) : std::nullopt);
        if (!created) return Fail(req, created.error());
        json::object o = TokenJson(created->token);
        o["token"] = created->secret;
        return Private(http::Json(201, o));
    });

    router.Delete("/api/v1/api-tokens/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return Fail(req, id.error());
        if (auto done = RevokeApiToken(req.actor, *id); !done) return Fail(req, done.error());
        return Response::NoContent();
    });
}

}  // namespace otdel::auth
