#pragma once
/// AuthService: workspaces and users, sign-in with cookie sessions, API tokens, and the guard that identifies the
/// caller of every request (cookie or bearer token), enforces the route's Access and CSRF, and sets req.actor.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/account.hpp"
#include "auth/login_limiter.hpp"
#include "auth/password.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "events/outbox.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"

namespace otdel::auth {

struct AuthConfig {
    int argon2_t_cost = 3;
    int argon2_m_cost_kib = 65536;
    int argon2_parallelism = 1;
    int session_idle_minutes = 720;
    int session_absolute_hours = 168;
    int login_max_failures = 5;      // per e-mail within the window
    int login_window_seconds = 900;  // sliding window of the limiter, per (ip) and per (email)
    /// Failures per client IP within the window. Higher than per e-mail: a whole sales office shares one NAT
    /// address, and honest typos of twenty people must not lock all of them out.
    int login_max_failures_per_ip = 20;
    bool cookie_secure = false;  // force Secure on cookies
    bool trust_proxy = false;    // honour X-Forwarded-Proto/X-Forwarded-For from a reverse proxy
    int min_password_length = 8;
    /// How long a cookie session identified from the database answers from the process's SessionCache (0: always
    /// read). Changes through this process take effect at once; another process's are seen within this time.
    int session_cache_ms = 1000;
};

/// The signed-in user as /me shows it.
struct MeView {
    User user;
    Workspace workspace;
    std::optional<std::string> csrf_token;  // cookie sessions only
};

struct LoginInput {
    std::string email;
    std::string password;
    std::string ip;
    std::string user_agent;
    std::string request_id;
    /// The session cookie the client already had: revoked at sign-in (rotation).
    std::optional<std::string> presented_session;
};

struct LoginOutcome {
    std::string session_token;  // the cookie value; the database keeps only its hash
    MeView me;
};

struct MePatch {
    std::optional<std::string> full_name;
    std::optional<std::string> locale;
};

struct CreatedApiToken {
    ApiToken token;
    std::string secret;  // "otd_<64 hex>", returned once
};

struct ApiTokenPage {
    std::vector<ApiToken> items;
    std::optional<core::Id> next_after;  // id to continue after; nullopt at the end
};

/// Who is calling, as established from a cookie or a bearer token.
struct Identity {
    core::Actor actor;
    bool via_cookie = false;
    std::string csrf_token;  // cookie sessions only
};

class AuthService {
public:
    AuthService(db::Database& db, const core::Clock& clock, AuthConfig config,
                events::OutboxDispatcher* outbox = nullptr);

    /// Creates a workspace (system actor only); 409 conflict with field slug/not_unique when the slug is taken.
    core::Result<core::Id> CreateWorkspace(const NewWorkspace& ws, const core::Actor& by);
    /// Runs inside the transaction that creates a workspace, after its row exists: rooms that give every new
    /// workspace its starting data (the org room's role catalog) register here at wiring time.
    using WorkspaceCreatedHook =
        std::function<void(soci::session& sql, core::Id workspace_id, const core::Actor& by, core::Millis now)>;
    void OnWorkspaceCreated(WorkspaceCreatedHook hook) { workspace_hooks_.push_back(std::move(hook)); }
    /// Every workspace: id and name.
    std::vector<std::pair<core::Id, std::string>> ListWorkspaces();
    /// Creates a user (system actor, or an admin of the same workspace); e-mail trimmed and lower-cased;
    /// duplicate e-mail -> 409 auth.email_taken with field email/not_unique.
    core::Result<core::Id> CreateUser(const NewUser& user, const core::Actor& by);
    /// Sets a user's password (system actor, the user, or an admin of the workspace); ends all their sessions.
    core::Result<void> SetPassword(const std::string& email, const std::string& password, const core::Actor& by);

    /// Signs in: rate limit, argon2id verification (also for unknown e-mails), rehash when parameters changed,
    /// a new session (the presented one is revoked), audit.
    core::Result<LoginOutcome> Login(const LoginInput& in);
    /// Ends the actor's cookie session. A bearer-token caller has no session: nothing to end.
    core::Result<void> Logout(const core::Actor& actor);
    core::Result<MeView> GetMe(const core::Actor& actor);
    core::Result<MeView> UpdateMe(const core::Actor& actor, const MePatch& patch);

    core::Result<CreatedApiToken> CreateApiToken(const core::Actor& actor, const std::string& name,
                                                 std::optional<int> expires_in_days);
    ApiTokenPage ListApiTokens(const core::Actor& actor, std::optional<core::Id> after_id, int limit);
    /// Revokes one of the actor's own tokens; 404 for a token of anyone else or one already revoked.
    core::Result<void> RevokeApiToken(const core::Actor& actor, core::Id id);

    /// Identifies the caller: nullopt for a request without credentials, an error (401) for bad, expired or
    /// revoked credentials or a disabled user.
    core::Result<std::optional<Identity>> Identify(const http::Request& req);

    /// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET+PATCH /api/v1/me,
    /// GET+POST /api/v1/api-tokens, DELETE /api/v1/api-tokens/{id}.
    void Register(http::Router& router);
    /// The guard for the Dispatcher: identify, enforce Access and CSRF, set req.actor and req.lang.
    http::Guard MakeGuard();

    /// The client address of a request: the first X-Forwarded-For hop behind a trusted proxy, else the peer.
    std::string ClientIp(const http::Request& req) const;
    /// Whether cookies get Secure: configured, or the trusted proxy says the client used https.
    bool SecureCookies(const http::Request& req) const;
    const AuthConfig& config() const { return config_; }

private:
    Argon2Params CurrentParams() const;
    core::Result<std::optional<Identity>> IdentifySession(const http::Request& req, const std::string& token);
    core::Result<std::optional<Identity>> IdentifyToken(const http::Request& req, const std::string& token);
    core::Result<MeView> LoadMe(soci::session& sql, const core::Actor& actor);

    db::Database& db_;
    const core::Clock& clock_;
    AuthConfig config_;
    events::OutboxDispatcher* outbox_;
    LoginLimiter limiter_;
    /// Hash of a random password with the current parameters: verified for unknown e-mails so a miss costs
    /// as much time as a wrong password.
    std::string dummy_hash_;
    std::once_flag dummy_once_;
    std::vector<WorkspaceCreatedHook> workspace_hooks_;
};

/// Minimum interval between writes of sessions.last_seen_at / api_tokens.last_used_at for one credential.
inline constexpr core::Millis kTouchIntervalMs = 60'000;

}  // namespace otdel::auth
