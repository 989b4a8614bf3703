#include "auth/auth_service.hpp"

#include <boost/json.hpp>

#include "auth/auth_store.hpp"
#include "auth/credentials.hpp"
#include "core/ids.hpp"
#include "events/audit.hpp"
#include "events/notifications.hpp"
#include "http/json.hpp"

namespace otdel::auth {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr core::Millis kMsPerDay = 86'400'000;
constexpr std::size_t kMaxTokenNameLength = 100;
constexpr int kMaxTokenDays = 3650;

Error Validation(std::vector<core::FieldError> fields) {
    return Error{ErrorCode::kValidation, {}, std::move(fields), 0};
}

Error Conflict(std::string key, std::string field) {
    return Error{ErrorCode::kConflict, std::move(key), {core::FieldError{std::move(field), "not_unique", ""}}, 0};
}

// The audit rows of workspace-level operations belong to the workspace they touch, whoever acted.
core::Actor InWorkspace(core::Actor actor, core::Id workspace_id) {
    actor.workspace_id = workspace_id;
    return actor;
}

bool IsSystem(const core::Actor& a) {
    return a.kind == core::ActorKind::kSystem;
}

std::string Trimmed(std::string s) {
    auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && space(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

}  // namespace

AuthService::AuthService(db::Database& db, const core::Clock& clock, AuthConfig config,
                         events::OutboxDispatcher* outbox)
    : db_(db),
      clock_(clock),
      config_(config),
      outbox_(outbox),
      limiter_(clock,
               LoginLimits{config.login_max_failures, config.login_max_failures_per_ip, config.login_window_seconds}) {}

Argon2Params AuthService::CurrentParams() const {
    return Argon2Params{config_.argon2_t_cost, config_.argon2_m_cost_kib, config_.argon2_parallelism};
}

core::Result<core::Id> AuthService::CreateWorkspace(const NewWorkspace& input, const core::Actor& by) {
    if (!IsSystem(by)) return Error::Of(ErrorCode::kForbidden);
    NewWorkspace ws = input;
    if (auto errs = ValidateWorkspace(ws); !errs.empty()) return Validation(std::move(errs));
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<core::Id> {
        core::Id id = 0;
        try {
            id = store::InsertWorkspace(sql, ws, now);
        } catch (const std::exception& e) {
            if (db::IsUniqueViolation(e)) return Conflict({}, "slug");
            throw;
        }
        events::WriteAudit(sql, InWorkspace(by, id), now,
                           {"workspace.create", "workspace", id, std::nullopt,
                            json::object{{"name", ws.name},
                                         {"slug", ws.slug},
                                         {"default_locale", ws.default_locale},
                                         {"time_zone", ws.time_zone},
                                         {"currency", ws.currency}}});
        for (const auto& hook : workspace_hooks_) hook(sql, id, InWorkspace(by, id), now);
        return id;
    });
}

std::vector<std::pair<core::Id, std::string>> AuthService::ListWorkspaces() {
    return db_.Read([](soci::session& sql) { return store::ListWorkspaces(sql); });
}

core::Result<core::Id> AuthService::CreateUser(const NewUser& input, const core::Actor& by) {
    if (!IsSystem(by)) {
        if (!by.authenticated() || !by.is_admin) return Error::Of(ErrorCode::kForbidden, "auth.admin_only");
        if (by.workspace_id != input.workspace_id) return Error::Of(ErrorCode::kForbidden);
    }
    NewUser user = input;
    if (auto errs = ValidateUser(user, config_.min_password_length); !errs.empty()) return Validation(std::move(errs));
    // Hashing is deliberately slow: never inside the transaction.
    const std::string hash = HashPassword(user.password, CurrentParams());
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<core::Id> {
        if (!store::SelectWorkspace(sql, user.workspace_id)) return Error::Field("workspace_id", "invalid");
        core::Id id = 0;
        try {
            id = store::InsertUser(sql, user, hash, now);
        } catch (const std::exception& e) {
            if (db::IsUniqueViolation(e)) return Conflict("auth.email_taken", "email");
            throw;
        }
        events::WriteAudit(sql, InWorkspace(by, user.workspace_id), now,
                           {"user.create", "user", id, std::nullopt,
                            json::object{{"email", user.email},
                                         {"full_name", user.full_name},
                                         {"locale", user.locale},
                                         {"is_admin", user.is_admin}}});
        return id;
    });
}

core::Result<void> AuthService::SetPassword(const std::string& email_in, const std::string& password,
                                            const core::Actor& by) {
    if (auto e = CheckPasswordPolicy(password, config_.min_password_length)) return Validation({*e});
    const std::string email = NormalizeEmail(email_in);
    auto user = db_.Read([&](soci::session& sql) { return store::SelectUserByEmail(sql, email); });
    if (!user) return Error::Of(ErrorCode::kNotFound);
    if (!IsSystem(by)) {
        const bool self = by.authenticated() && by.workspace_id == user->workspace_id && by.user_id == user->id;
        const bool admin = by.authenticated() && by.is_admin && by.workspace_id == user->workspace_id;
        if (!self && !admin) return Error::Of(ErrorCode::kNotFound);  // another workspace's user does not exist for you
    }
    const std::string hash = HashPassword(password, CurrentParams());
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        store::UpdatePasswordHash(sql, user->workspace_id, user->id, hash, now);
        int ended = store::RevokeUserSessions(sql, user->workspace_id, user->id, now);
        events::WriteAudit(
            sql, InWorkspace(by, user->workspace_id), now,
            {"user.password_change", "user", user->id, std::nullopt, json::object{{"sessions_revoked", ended}}});
        return core::Ok();
    });
}

core::Result<MeView> AuthService::LoadMe(soci::session& sql, const core::Actor& actor) {
    auto user = store::SelectUser(sql, actor.workspace_id, actor.user_id);
    auto ws = store::SelectWorkspace(sql, actor.workspace_id);
    if (!user || !ws) return Error::Of(ErrorCode::kUnauthenticated, "auth.session_invalid");
    MeView me{std::move(*user), std::move(*ws), std::nullopt};
    if (actor.kind == core::ActorKind::kUser && !actor.credential_id.empty()) {
        if (auto s = store::SelectSession(sql, actor.credential_id)) me.csrf_token = s->csrf_token;
    }
    return me;
}

core::Result<LoginOutcome> AuthService::Login(const LoginInput& in) {
    const std::string email = NormalizeEmail(in.email);
    if (int wait = limiter_.RetryAfterSeconds(in.ip, email); wait > 0)
        return Error{ErrorCode::kRateLimited, "auth.login_rate_limited", {}, wait};

    auto user = db_.Read([&](soci::session& sql) { return store::SelectUserByEmail(sql, email); });
    if (!user) {
        // Same work as for a known e-mail, so response time does not reveal which e-mails exist.
        // Computed on first need, not at start: hashing costs as much as a sign-in and would slow every start.
        std::call_once(dummy_once_, [this] { dummy_hash_ = HashPassword(core::RandomToken(16), CurrentParams()); });
        (void)VerifyPassword(dummy_hash_, in.password);
        limiter_.RecordFailure(in.ip, email);
        return Error::Of(ErrorCode::kInvalidCredentials);
    }
    const bool password_ok = VerifyPassword(user->password_hash, in.password);
    if (!password_ok || !user->active()) {
        limiter_.RecordFailure(in.ip, email);
        core::Actor attempt;
        attempt.workspace_id = user->workspace_id;
        attempt.request_id = in.request_id;
        attempt.ip = in.ip;
        const core::Millis now = clock_.NowMs();
        const char* reason = password_ok ? "user_disabled" : "wrong_password";
        auto audited = db_.InTx([&](soci::session& sql) -> core::Result<void> {
            events::WriteAudit(sql, attempt, now,
                               {"user.login_failed", "user", user->id, std::nullopt, json::object{{"reason", reason}}});
            return core::Ok();
        });
        (void)audited;
        // The right password of a disabled account may learn that it is disabled; a wrong one learns nothing.
        if (password_ok) return Error::Of(ErrorCode::kUnauthenticated, "auth.user_disabled");
        return Error::Of(ErrorCode::kInvalidCredentials);
    }

    const Argon2Params params = CurrentParams();
    std::optional<std::string> new_hash;
    if (NeedsRehash(user->password_hash, params)) new_hash = HashPassword(in.password, params);

    LoginOutcome out;
    out.session_token = core::RandomToken(kTokenBytes);
    const std::string session_id = core::Sha256Hex(out.session_token);
    const std::string csrf = core::RandomToken(kTokenBytes);
    const core::Millis now = clock_.NowMs();

    const core::Actor actor =
        core::Actor::SignedIn(core::ActorKind::kUser, user->workspace_id, user->id, user->is_admin,
                              core::ParseLang(user->locale), in.request_id, in.ip, session_id);

    auto me = db_.InTx([&](soci::session& sql) -> core::Result<MeView> {
        bool rehashed = new_hash && store::UpdatePasswordHashIf(sql, user->workspace_id, user->id, user->password_hash,
                                                                *new_hash, now);
        bool rotated = in.presented_session && IsWellFormedSessionToken(*in.presented_session) &&
                       store::RevokeSessionById(sql, core::Sha256Hex(*in.presented_session), now);
        store::NewSessionRow s;
        s.id = session_id;
        s.csrf_token = csrf;
        s.ip = in.ip;
        s.user_agent = in.user_agent.substr(0, 512);
        s.workspace_id = user->workspace_id;
        s.user_id = user->id;
        s.created_at = now;
        s.expires_at = now + static_cast<core::Millis>(config_.session_absolute_hours) * 3'600'000;
        store::InsertSession(sql, s);
        store::UpdateLastLogin(sql, user->workspace_id, user->id, now);
        events::WriteAudit(
            sql, actor, now,
            {"user.login", "user", user->id, std::nullopt,
             json::object{
                 {"method", "password"}, {"password_rehashed", rehashed}, {"previous_session_revoked", rotated}}});
        return LoadMe(sql, actor);
    });
    if (!me) return me.take_error();
    limiter_.ClearEmail(email);
    out.me = std::move(*me);
    return out;
}

core::Result<void> AuthService::Logout(const core::Actor& actor) {
    if (!actor.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    if (actor.kind != core::ActorKind::kUser) return core::Ok();
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        if (!store::RevokeSession(sql, actor.workspace_id, actor.credential_id, now))
            return Error::Of(ErrorCode::kUnauthenticated, "auth.session_invalid");
        events::WriteAudit(sql, actor, now, {"user.logout", "user", actor.user_id, std::nullopt, std::nullopt});
        return core::Ok();
    });
}

core::Result<MeView> AuthService::GetMe(const core::Actor& actor) {
    if (!actor.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    return db_.Read([&](soci::session& sql) { return LoadMe(sql, actor); });
}

core::Result<MeView> AuthService::UpdateMe(const core::Actor& actor, const MePatch& patch) {
    if (!actor.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    std::vector<core::FieldError> errs;
    if (!patch.full_name && !patch.locale) {
        // An empty patch is a client bug: say which fields it may carry.
        errs.push_back({"full_name", "required", ""});
        errs.push_back({"locale", "required", ""});
    }
    std::optional<std::string> name;
    if (patch.full_name) {
        name = Trimmed(*patch.full_name);
        if (name->empty()) {
            errs.push_back({"full_name", "too_short", "1"});
        } else if (CharLength(*name) > kMaxFullNameLength) {
            errs.push_back({"full_name", "too_long", std::to_string(kMaxFullNameLength)});
        }
    }
    if (patch.locale && !core::IsSupportedLang(*patch.locale)) errs.push_back({"locale", "not_one_of", "ru, en"});
    if (!errs.empty()) return Validation(std::move(errs));

    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<MeView> {
        auto user = store::SelectUser(sql, actor.workspace_id, actor.user_id);
        if (!user) return Error::Of(ErrorCode::kUnauthenticated, "auth.session_invalid");
        const std::string new_name = name.value_or(user->full_name);
        const std::string new_locale = patch.locale.value_or(user->locale);
        if (new_name != user->full_name || new_locale != user->locale) {
            store::UpdateProfile(sql, actor.workspace_id, actor.user_id, new_name, new_locale, now);
            events::WriteAudit(sql, actor, now,
                               {"user.update", "user", actor.user_id,
                                json::object{{"full_name", user->full_name}, {"locale", user->locale}},
                                json::object{{"full_name", new_name}, {"locale", new_locale}}});
        }
        return LoadMe(sql, actor);
    });
}

core::Result<CreatedApiToken> AuthService::CreateApiToken(const core::Actor& actor, const std::string& name_in,
                                                          std::optional<int> expires_in_days) {
    if (!actor.authenticated() || actor.user_id == 0) return Error::Of(ErrorCode::kUnauthenticated);
    std::vector<core::FieldError> errs;
    const std::string name = Trimmed(name_in);
    if (name.empty()) {
        errs.push_back({"name", "too_short", "1"});
    } else if (CharLength(name) > kMaxTokenNameLength) {
        errs.push_back({"name", "too_long", std::to_string(kMaxTokenNameLength)});
    }
    if (expires_in_days && (*expires_in_days < 1 || *expires_in_days > kMaxTokenDays))
        errs.push_back({"expires_in_days", "out_of_range", "1…" + std::to_string(kMaxTokenDays)});
    if (!errs.empty()) return Validation(std::move(errs));

    CreatedApiToken out;
    out.secret = MakeApiToken(core::RandomToken(kTokenBytes));
    const std::string hash = core::Sha256Hex(out.secret);
    const core::Millis now = clock_.NowMs();
    ApiToken& t = out.token;
    t.workspace_id = actor.workspace_id;
    t.user_id = actor.user_id;
    t.name = name;
    t.prefix = ApiTokenDisplayPrefix(out.secret);
    t.created_at = now;
    if (expires_in_days) t.expires_at = now + static_cast<core::Millis>(*expires_in_days) * kMsPerDay;

    auto created = db_.InTx([&](soci::session& sql) -> core::Result<core::Id> {
        core::Id id = store::InsertApiToken(sql, t.workspace_id, t.user_id, t.name, hash, t.prefix, now, t.expires_at);
        events::WriteAudit(
            sql, actor, now,
            {"api_token.create", "api_token", id, std::nullopt,
             json::object{{"name", t.name}, {"prefix", t.prefix}, {"expires_at", http::OrNull(t.expires_at)}}});
        events::Notify(sql, actor.workspace_id, actor.user_id, "security.api_token_created",
                       json::object{{"name", t.name}}, "/me", now);
        return id;
    });
    if (!created) return created.take_error();
    t.id = *created;
    if (outbox_) outbox_->Kick();
    return out;
}

ApiTokenPage AuthService::ListApiTokens(const core::Actor& actor, std::optional<core::Id> after_id, int limit) {
    ApiTokenPage page;
    if (!actor.authenticated() || limit <= 0) return page;
    const core::Millis now = clock_.NowMs();
    page.items = db_.Read([&](soci::session& sql) {
        return store::ListApiTokens(sql, actor.workspace_id, actor.user_id, after_id, limit + 1, now);
    });
    if (static_cast<int>(page.items.size()) > limit) {
        page.items.resize(static_cast<std::size_t>(limit));
        page.next_after = page.items.back().id;
    }
    return page;
}

core::Result<void> AuthService::RevokeApiToken(const core::Actor& actor, core::Id id) {
    if (!actor.authenticated()) return Error::Of(ErrorCode::kUnauthenticated);
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto t = store::SelectUserApiToken(sql, actor.workspace_id, actor.user_id, id);
        if (!t || !store::RevokeApiToken(sql, actor.workspace_id, actor.user_id, id, now))
            return Error::Of(ErrorCode::kNotFound);
        events::WriteAudit(sql, actor, now,
                           {"api_token.revoke", "api_token", id, json::object{{"name", t->name}, {"prefix", t->prefix}},
                            json::object{{"revoked_at", now}}});
        return core::Ok();
    });
}

}  // namespace otdel::auth
