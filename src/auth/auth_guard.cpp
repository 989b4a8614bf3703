// Authentication of every request: cookie session or bearer token -> req.actor; Access and CSRF enforcement.
#include "auth/auth_service.hpp"
#include "auth/auth_store.hpp"
#include "auth/credentials.hpp"
#include "auth/session_cache.hpp"
#include "core/ids.hpp"
#include "http/problem.hpp"

namespace otdel::auth {
using core::Error;
using core::ErrorCode;

std::string AuthService::ClientIp(const http::Request& req) const {
    if (config_.trust_proxy) {
        if (std::string forwarded = ForwardedForClient(req.Header("x-forwarded-for")); !forwarded.empty())
            return forwarded;
    }
    return req.remote_ip;
}

bool AuthService::SecureCookies(const http::Request& req) const {
    return config_.cookie_secure || (config_.trust_proxy && ForwardedProtoIsHttps(req.Header("x-forwarded-proto")));
}

core::Result<std::optional<Identity>> AuthService::Identify(const http::Request& req) {
    std::string_view authorization = req.Header("authorization");
    if (!authorization.empty()) {
        auto bearer = ParseBearer(authorization);
        if (!bearer) return Error::Of(ErrorCode::kUnauthenticated);
        return IdentifyToken(req, *bearer);
    }
    auto cookie = req.Cookie(kSessionCookieName);
    if (!cookie || cookie->empty()) return std::optional<Identity>{};
    return IdentifySession(req, *cookie);
}

core::Result<std::optional<Identity>> AuthService::IdentifySession(const http::Request& req, const std::string& token) {
    const Error invalid = Error::Of(ErrorCode::kUnauthenticated, "auth.session_invalid");
    if (!IsWellFormedSessionToken(token)) return invalid;
    const std::string id = core::Sha256Hex(token);
    const core::Millis now = clock_.NowMs();
    const core::Millis idle_ms = static_cast<core::Millis>(config_.session_idle_minutes) * 60'000;
    auto identity = [&](core::Id ws, core::Id user, bool admin, const std::string& locale, const std::string& csrf) {
        Identity who;
        who.via_cookie = true;
        who.csrf_token = csrf;
        who.actor = core::Actor::SignedIn(core::ActorKind::kUser, ws, user, admin, core::ParseLang(locale),
                                          req.request_id, ClientIp(req), id);
        return std::optional<Identity>(std::move(who));
    };
    // Read from the database within the last session_cache_ms, live, not idle and not due for its touch: answered
    // without the database. Every other case (unknown, expired, idle, touch due, revoked, disabled) goes below.
    if (config_.session_cache_ms > 0) {
        if (auto hit = SessionCache::Global().Find(id, now, config_.session_cache_ms);
            hit && now < hit->expires_at && now < hit->last_seen_at + idle_ms &&
            now - hit->last_seen_at < kTouchIntervalMs)
            return identity(hit->workspace_id, hit->user_id, hit->user_is_admin, hit->user_locale, hit->csrf_token);
    }
    auto row = db_.Read([&](soci::session& sql) { return store::SelectSession(sql, id); });
    if (!row || row->revoked_at) return invalid;
    if (now >= row->expires_at || now >= row->last_seen_at + idle_ms) return Error::Of(ErrorCode::kSessionExpired);
    if (row->user_status != "active") return Error::Of(ErrorCode::kUnauthenticated, "auth.user_disabled");
    // Idle tracking at minute resolution: a GET stays a read for all but one request a minute.
    core::Millis seen = row->last_seen_at;
    if (now - row->last_seen_at >= kTouchIntervalMs) {
        auto touched = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            store::TouchSession(sql, id, now, now - kTouchIntervalMs + 1);
            return core::Ok();
        });
        if (touched.ok()) seen = now;
    }
    if (config_.session_cache_ms > 0) {
        SessionCache::Entry e;
        e.workspace_id = row->workspace_id;
        e.user_id = row->user_id;
        e.user_is_admin = row->user_is_admin;
        e.user_locale = row->user_locale;
        e.csrf_token = row->csrf_token;
        e.expires_at = row->expires_at;
        e.last_seen_at = seen;
        e.read_at = now;
        SessionCache::Global().Put(id, e);
    }
    return identity(row->workspace_id, row->user_id, row->user_is_admin, row->user_locale, row->csrf_token);
}

core::Result<std::optional<Identity>> AuthService::IdentifyToken(const http::Request& req, const std::string& token) {
    const Error invalid = Error::Of(ErrorCode::kUnauthenticated, "auth.token_invalid");
    if (!IsWellFormedApiToken(token)) return invalid;
    auto row = db_.Read([&](soci::session& sql) { return store::SelectApiTokenByHash(sql, core::Sha256Hex(token)); });
    const core::Millis now = clock_.NowMs();
    if (!row || row->token.revoked_at || (row->token.expires_at && now >= *row->token.expires_at)) return invalid;
    if (row->user_status != "active") return Error::Of(ErrorCode::kUnauthenticated, "auth.user_disabled");
    const ApiToken& t = row->token;
    if (!t.last_used_at || now - *t.last_used_at >= kTouchIntervalMs) {
        auto touched = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            store::TouchApiToken(sql, t.workspace_id, t.id, now, now - kTouchIntervalMs + 1);
            return core::Ok();
        });
        (void)touched;
    }
    Identity who;
    who.actor =
        core::Actor::SignedIn(core::ActorKind::kApiToken, t.workspace_id, t.user_id, row->user_is_admin,
                              core::ParseLang(row->user_locale), req.request_id, ClientIp(req), std::to_string(t.id));
    return std::optional<Identity>(std::move(who));
}

http::Guard AuthService::MakeGuard() {
    return [this](http::Request& req, const http::Route& route) -> std::optional<http::Response> {
        // Anonymous callers still carry the request id and address (public intake, audit of failed sign-ins).
        req.actor = core::Actor{};
        req.actor.request_id = req.request_id;
        req.actor.ip = ClientIp(req);
        const bool needs_user = route.access != http::Access::kPublic;
        auto refuse = [&](const Error& e) { return http::Problem(e, req.lang, req.request_id); };

        auto identified = Identify(req);
        if (!identified) {
            // A public route runs anonymously whatever junk credentials came along.
            if (!needs_user) return std::nullopt;
            http::Response res = refuse(identified.error());
            if (req.Header("authorization").empty()) res.Header("Set-Cookie", ClearSessionCookie(SecureCookies(req)));
            return res;
        }
        if (!identified->has_value()) {
            if (!needs_user) return std::nullopt;
            return refuse(Error::Of(ErrorCode::kUnauthenticated));
        }
        Identity& who = **identified;
        const core::Lang user_lang = who.actor.lang;
        if (who.via_cookie && !IsSafeMethod(req.method)) {
            const std::string presented(req.Header(std::string(kCsrfHeader)));
            if (presented.empty() || !core::ConstantTimeEquals(presented, who.csrf_token)) {
                // Without the token the request may be forged by another site: never act as the user. A public
                // route (sign-in itself) still runs, anonymously.
                if (!needs_user) return std::nullopt;
                return http::Problem(Error::Of(ErrorCode::kCsrfFailed), user_lang, req.request_id);
            }
        }
        req.lang = user_lang;
        if (route.access == http::Access::kAdmin && !who.actor.is_admin)
            return refuse(Error::Of(ErrorCode::kForbidden, "auth.admin_only"));
        req.actor = std::move(who.actor);
        return std::nullopt;
    };
}

}  // namespace otdel::auth
