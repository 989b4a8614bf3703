// Store + service tests, on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "auth/auth_store.hpp"
#include "auth/credentials.hpp"
#include "auth/password.hpp"
#include "auth/tests/auth_test_support.hpp"
#include "core/ids.hpp"

namespace otdel::auth::testing {
namespace {

using core::ErrorCode;

http::Request CookieRequest(const std::string& token, std::string method = "GET") {
    http::Request r;
    r.method = std::move(method);
    r.path = "/api/v1/me";
    r.headers["cookie"] = std::string(kSessionCookieName) + "=" + token;
    r.remote_ip = "192.0.2.10";
    r.request_id = "req-x";
    return r;
}

http::Request BearerRequest(const std::string& token) {
    http::Request r;
    r.method = "GET";
    r.path = "/api/v1/me";
    r.headers["authorization"] = "Bearer " + token;
    r.remote_ip = "192.0.2.10";
    return r;
}

class AuthServiceTest : public AuthFixture {
protected:
    std::string StoredHash(const std::string& email) {
        return tdb_.db().Read([&](soci::session& sql) { return store::SelectUserByEmail(sql, email)->password_hash; });
    }
    std::optional<store::SessionRow> Session(const std::string& token) {
        return tdb_.db().Read([&](soci::session& sql) { return store::SelectSession(sql, core::Sha256Hex(token)); });
    }
    core::Actor ActorOf(const std::string& token) {
        auto id = svc_->Identify(CookieRequest(token));
        EXPECT_TRUE(id.ok() && id->has_value());
        return id.ok() && id->has_value() ? (*id)->actor : core::Actor{};
    }
};

// --- workspaces and users ---------------------------------------------------------------------------------------

TEST_P(AuthServiceTest, CreateWorkspaceAndUsersWriteAuditRows) {
    auto ws_rows = Audit(ws_, "workspace.create");
    ASSERT_EQ(ws_rows.size(), 1u);
    EXPECT_EQ(ws_rows[0].actor_kind, "system");
    EXPECT_EQ(ws_rows[0].After().at("slug"), "romashka") << ws_rows[0].after_json;
    auto user_rows = Audit(ws_, "user.create");
    ASSERT_EQ(user_rows.size(), 2u);
    EXPECT_EQ(user_rows[0].object_id, admin_id_);
    EXPECT_EQ(user_rows[0].After().at("is_admin"), true);
    EXPECT_EQ(user_rows[0].After().at("email"), kAdminEmail);
    EXPECT_EQ(user_rows[0].after_json.find(kAdminPassword), std::string::npos) << "no password in the audit";
    EXPECT_EQ(user_rows[0].after_json.find("argon2"), std::string::npos) << "no hash in the audit";
    auto list = svc_->ListWorkspaces();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].first, ws_);
    EXPECT_EQ(list[0].second, "ООО Ромашка");
}

TEST_P(AuthServiceTest, EmailIsStoredNormalisedAndDuplicatesConflict) {
    core::Id id = MustCreateUser(ws_, "  New.Person@Romashka.RU ", "Новый", "long-password", false);
    auto user = tdb_.db().Read([&](soci::session& sql) { return store::SelectUser(sql, ws_, id); });
    ASSERT_TRUE(user);
    EXPECT_EQ(user->email, "new.person@romashka.ru");
    EXPECT_TRUE(user->password_hash.rfind("$argon2id$", 0) == 0);

    core::Id other_ws = MustCreateWorkspace("ООО Лютик", "lyutik");
    auto dup = svc_->CreateUser(NewUser{other_ws, "NEW.person@romashka.ru", "Двойник", "long-password"},
                                core::Actor::System(other_ws));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    EXPECT_EQ(dup.error().message_key, "auth.email_taken");
    ASSERT_EQ(dup.error().fields.size(), 1u);
    EXPECT_EQ(dup.error().fields[0].field, "email");
    EXPECT_EQ(dup.error().fields[0].code, "not_unique");
    EXPECT_EQ(Audit(other_ws, "user.create").size(), 0u) << "nothing audited for a refused create";
}

TEST_P(AuthServiceTest, DuplicateSlugConflictsAndBadWorkspaceInputIs422) {
    auto dup = svc_->CreateWorkspace(NewWorkspace{"Другая", "romashka"}, core::Actor::System(0));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    EXPECT_EQ(dup.error().fields.at(0).field, "slug");
    auto bad = svc_->CreateWorkspace(NewWorkspace{"", "Not A Slug"}, core::Actor::System(0));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
    EXPECT_EQ(bad.error().fields.size(), 2u);
}

TEST_P(AuthServiceTest, CreateUserPermissionsAndValidation) {
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    auto by_seller = svc_->CreateUser(NewUser{ws_, "x@romashka.ru", "X", "long-password"}, seller);
    ASSERT_FALSE(by_seller.ok());
    EXPECT_EQ(by_seller.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(by_seller.error().message_key, "auth.admin_only");

    core::Actor admin = ActorOf(MustLogin(kAdminEmail, kAdminPassword).session_token);
    EXPECT_TRUE(svc_->CreateUser(NewUser{ws_, "x@romashka.ru", "X", "long-password"}, admin).ok());
    core::Id other_ws = MustCreateWorkspace("ООО Лютик", "lyutik");
    auto cross = svc_->CreateUser(NewUser{other_ws, "y@lyutik.ru", "Y", "long-password"}, admin);
    ASSERT_FALSE(cross.ok());
    EXPECT_EQ(cross.error().code, ErrorCode::kForbidden);

    auto weak = svc_->CreateUser(NewUser{ws_, "z@romashka.ru", "Z", "short"}, core::Actor::System(ws_));
    ASSERT_FALSE(weak.ok());
    EXPECT_EQ(weak.error().code, ErrorCode::kValidation);
    EXPECT_EQ(weak.error().fields.at(0).code, "weak_password");
    auto no_ws = svc_->CreateUser(NewUser{9999, "z@romashka.ru", "Z", "long-password"}, core::Actor::System(0));
    ASSERT_FALSE(no_ws.ok());
    EXPECT_EQ(no_ws.error().fields.at(0).field, "workspace_id");
    EXPECT_FALSE(svc_->CreateWorkspace(NewWorkspace{"W", "w"}, admin).ok()) << "only the system creates workspaces";
}

// --- login ------------------------------------------------------------------------------------------------------

TEST_P(AuthServiceTest, LoginCreatesASessionStoringOnlyTheTokenHash) {
    LoginOutcome out = MustLogin(" ADMIN@romashka.ru", kAdminPassword);
    EXPECT_TRUE(IsWellFormedSessionToken(out.session_token));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE id = '" + out.session_token + "'"), 0)
        << "the raw token is never stored";
    auto s = Session(out.session_token);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->user_id, admin_id_);
    EXPECT_EQ(s->workspace_id, ws_);
    EXPECT_EQ(s->created_at, kStart);
    EXPECT_EQ(s->expires_at, kStart + 2 * 3'600'000);
    EXPECT_EQ(s->csrf_token.size(), 64u);
    ASSERT_TRUE(out.me.csrf_token);
    EXPECT_EQ(*out.me.csrf_token, s->csrf_token);
    EXPECT_EQ(out.me.user.email, kAdminEmail);
    EXPECT_TRUE(out.me.user.is_admin);
    EXPECT_EQ(out.me.workspace.slug, "romashka");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE last_login_at = " + std::to_string(kStart)), 1);

    auto rows = Audit(ws_, "user.login");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].actor_kind, "user");
    EXPECT_EQ(rows[0].actor_user_id, admin_id_);
    EXPECT_EQ(rows[0].object_id, admin_id_);
    EXPECT_EQ(rows[0].ip, "192.0.2.10");
    EXPECT_EQ(rows[0].request_id, "req-1");
    EXPECT_EQ(rows[0].after_json.find(out.session_token), std::string::npos);
    EXPECT_EQ(rows[0].after_json.find(s->csrf_token), std::string::npos);
}

TEST_P(AuthServiceTest, WrongPasswordAndUnknownEmailFailTheSameWay) {
    auto wrong = svc_->Login(LoginInput{kAdminEmail, "not-the-password", "192.0.2.10", "", "req-2", {}});
    auto unknown = svc_->Login(LoginInput{"nobody@romashka.ru", "whatever", "192.0.2.10", "", "req-3", {}});
    ASSERT_FALSE(wrong.ok());
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidCredentials);
    EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidCredentials);
    EXPECT_EQ(wrong.error().message_key, unknown.error().message_key);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);

    auto failed = Audit(ws_, "user.login_failed");
    ASSERT_EQ(failed.size(), 1u) << "an unknown e-mail has no workspace to audit in";
    EXPECT_EQ(failed[0].actor_kind, "anonymous");
    EXPECT_EQ(failed[0].object_id, admin_id_);
    EXPECT_EQ(failed[0].After(), boost::json::parse(R"({"reason":"wrong_password"})"));
    EXPECT_EQ(failed[0].request_id, "req-2");
    EXPECT_EQ(failed[0].after_json.find("not-the-password"), std::string::npos) << "never the password";
    EXPECT_EQ(Audit(ws_, "user.login").size(), 0u);
}

TEST_P(AuthServiceTest, RateLimitAfterMaxFailuresPerEmailThenWindowPasses) {
    for (int i = 0; i < 5; ++i) {
        auto r = svc_->Login(LoginInput{kSellerEmail, "wrong-" + std::to_string(i), "198.51.100.1", "", "", {}});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidCredentials) << i;
        clock_.Advance(1000);
    }
    // Even the right password, from another address, is refused while limited: no oracle.
    auto limited = svc_->Login(LoginInput{kSellerEmail, kSellerPassword, "198.51.100.2", "", "", {}});
    ASSERT_FALSE(limited.ok());
    EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(limited.error().message_key, "auth.login_rate_limited");
    EXPECT_EQ(limited.error().retry_after_s, 900 - 5);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
    EXPECT_EQ(Audit(ws_, "user.login_failed").size(), 5u) << "refused attempts are not verified nor audited";

    clock_.Advance(900'000);
    MustLogin(kSellerEmail, kSellerPassword);
    // Success cleared the e-mail's counter: four typos are allowed again without a 429.
    for (int i = 0; i < 4; ++i) {
        auto r = svc_->Login(LoginInput{kSellerEmail, "typo", "198.51.100.3", "", "", {}});
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidCredentials);
    }
    MustLogin(kSellerEmail, kSellerPassword);
}

TEST_P(AuthServiceTest, RateLimitPerIpAcrossEmails) {
    AuthConfig c = TinyConfig();
    c.login_max_failures_per_ip = 3;
    Reconfigure(c);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(
            svc_->Login(LoginInput{"u" + std::to_string(i) + "@x.ru", "pw", "203.0.113.5", "", "", {}}).error().code,
            ErrorCode::kInvalidCredentials);
    auto r = svc_->Login(LoginInput{kAdminEmail, kAdminPassword, "203.0.113.5", "", "", {}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
    EXPECT_TRUE(svc_->Login(LoginInput{kAdminEmail, kAdminPassword, "203.0.113.6", "", "", {}}).ok());
}

TEST_P(AuthServiceTest, RehashOnLoginWhenParametersChange) {
    const std::string before = StoredHash(kSellerEmail);
    EXPECT_EQ(*ParseArgon2idParams(before), (Argon2Params{1, 1024, 1}));
    MustLogin(kSellerEmail, kSellerPassword);
    EXPECT_EQ(StoredHash(kSellerEmail), before) << "same parameters: no rehash";

    AuthConfig stronger = TinyConfig();
    stronger.argon2_t_cost = 2;
    stronger.argon2_m_cost_kib = 2048;
    Reconfigure(stronger);
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    const std::string after = StoredHash(kSellerEmail);
    EXPECT_NE(after, before);
    EXPECT_EQ(*ParseArgon2idParams(after), (Argon2Params{2, 2048, 1}));
    EXPECT_TRUE(VerifyPassword(after, kSellerPassword));
    auto rows = Audit(ws_, "user.login");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].After().at("password_rehashed"), true) << rows[1].after_json;
    EXPECT_EQ(rows[0].After().at("password_rehashed"), false) << rows[0].after_json;

    MustLogin(kSellerEmail, kSellerPassword);
    EXPECT_EQ(StoredHash(kSellerEmail), after) << "already current: no second rehash";
    // A wrong password never rehashes.
    Reconfigure(TinyConfig());
    EXPECT_FALSE(svc_->Login(LoginInput{kSellerEmail, "wrong", "", "", "", {}}).ok());
    EXPECT_EQ(StoredHash(kSellerEmail), after);
}

TEST_P(AuthServiceTest, UnknownEmailTakesAboutAsLongAsAWrongPassword) {
    AuthConfig slow = TinyConfig();
    slow.argon2_m_cost_kib = 16384;
    slow.argon2_t_cost = 2;
    slow.login_max_failures = 1000;
    slow.login_max_failures_per_ip = 1000;
    Reconfigure(slow);
    ASSERT_TRUE(svc_->SetPassword(kSellerEmail, kSellerPassword, core::Actor::System(ws_)).ok());
    auto median_ms = [&](const std::string& email) {
        std::vector<double> t;
        for (int i = 0; i < 5; ++i) {
            auto start = std::chrono::steady_clock::now();
            (void)svc_->Login(LoginInput{email, "wrong-password", "", "", "", {}});
            t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        std::sort(t.begin(), t.end());
        return t[2];
    };
    double known = median_ms(kSellerEmail);
    double unknown = median_ms("nobody@romashka.ru");
    // Skipping the argon2 verification would make the unknown case ~100x faster; allow for a loaded machine.
    EXPECT_GT(unknown, known * 0.3) << "known " << known << " ms, unknown " << unknown << " ms";
}

TEST_P(AuthServiceTest, DisabledUserCannotSignInNorUseASession) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    tdb_.db().Read([&](soci::session& sql) {
        const std::string email = kSellerEmail;  // bound by reference: must outlive the statement
        sql << "UPDATE users SET status = 'disabled' WHERE email = :e", soci::use(email, "e");
        return 0;
    });
    auto login = svc_->Login(LoginInput{kSellerEmail, kSellerPassword, "", "", "", {}});
    ASSERT_FALSE(login.ok());
    EXPECT_EQ(login.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(login.error().message_key, "auth.user_disabled");
    auto wrong = svc_->Login(LoginInput{kSellerEmail, "wrong", "", "", "", {}});
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidCredentials) << "a wrong password learns nothing";
    auto failed = Audit(ws_, "user.login_failed");
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].After(), boost::json::parse(R"({"reason":"user_disabled"})"));
    auto id = svc_->Identify(CookieRequest(out.session_token));
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().message_key, "auth.user_disabled");
}

// --- sessions ---------------------------------------------------------------------------------------------------

TEST_P(AuthServiceTest, IdleTimeoutExpiresAnUnusedSession) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    clock_.Advance(29 * kMinute);
    EXPECT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok()) << "29 minutes idle of 30";
    clock_.Advance(29 * kMinute);
    EXPECT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok()) << "the last use restarted the idle clock";
    clock_.Advance(30 * kMinute);
    auto expired = svc_->Identify(CookieRequest(out.session_token));
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::kSessionExpired);
}

TEST_P(AuthServiceTest, AbsoluteTimeoutEndsEvenABusySession) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    for (int i = 0; i < 5; ++i) {  // used every 20 minutes for 1h40m
        clock_.Advance(20 * kMinute);
        ASSERT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok()) << i;
    }
    clock_.Advance(20 * kMinute - 1);
    EXPECT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok()) << "1 ms before the 2 h limit";
    clock_.Advance(1);
    auto expired = svc_->Identify(CookieRequest(out.session_token));
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::kSessionExpired);
}

TEST_P(AuthServiceTest, LastSeenIsWrittenAtMostOnceAMinute) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    clock_.Advance(30'000);
    ASSERT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok());
    EXPECT_EQ(Session(out.session_token)->last_seen_at, kStart) << "within a minute: no write";
    clock_.Advance(30'000);
    ASSERT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok());
    EXPECT_EQ(Session(out.session_token)->last_seen_at, kStart + kMinute);
    clock_.Advance(59'999);
    ASSERT_TRUE(svc_->Identify(CookieRequest(out.session_token)).ok());
    EXPECT_EQ(Session(out.session_token)->last_seen_at, kStart + kMinute);
}

TEST_P(AuthServiceTest, EveryLoginRotatesAndRevokesThePresentedSession) {
    LoginOutcome first = MustLogin(kAdminEmail, kAdminPassword);
    LoginOutcome second = MustLogin(kAdminEmail, kAdminPassword, first.session_token);
    EXPECT_NE(first.session_token, second.session_token);
    EXPECT_NE(*first.me.csrf_token, *second.me.csrf_token);
    auto old = svc_->Identify(CookieRequest(first.session_token));
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(old.error().message_key, "auth.session_invalid");
    EXPECT_TRUE(svc_->Identify(CookieRequest(second.session_token)).ok());
    // A login without a cookie leaves other sessions (other browsers) alone.
    LoginOutcome third = MustLogin(kAdminEmail, kAdminPassword);
    EXPECT_TRUE(svc_->Identify(CookieRequest(second.session_token)).ok());
    EXPECT_TRUE(svc_->Identify(CookieRequest(third.session_token)).ok());
    auto rows = Audit(ws_, "user.login");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].After().at("previous_session_revoked"), true);
    EXPECT_EQ(rows[2].After().at("previous_session_revoked"), false);
}

TEST_P(AuthServiceTest, LogoutRevokesOnTheServer) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    core::Actor actor = ActorOf(out.session_token);
    ASSERT_TRUE(svc_->Logout(actor).ok());
    auto s = Session(out.session_token);
    ASSERT_TRUE(s && s->revoked_at);
    EXPECT_EQ(*s->revoked_at, kStart);
    EXPECT_FALSE(svc_->Identify(CookieRequest(out.session_token)).ok());
    auto again = svc_->Logout(actor);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kUnauthenticated);
    auto rows = Audit(ws_, "user.logout");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].actor_user_id, seller_id_);
}

TEST_P(AuthServiceTest, GarbageCredentialsAreErrorsNotExceptions) {
    for (const std::string& v : {std::string("garbage"), std::string(4000, 'A'), std::string("' OR 1=1 --"),
                                 std::string(64, 'f'), std::string("\xff\xfe\x80")}) {
        auto id = svc_->Identify(CookieRequest(v));
        ASSERT_FALSE(id.ok()) << v.substr(0, 20);
        EXPECT_EQ(id.error().code, ErrorCode::kUnauthenticated);
        auto t = svc_->Identify(BearerRequest(v));
        ASSERT_FALSE(t.ok());
        EXPECT_EQ(t.error().message_key, "auth.token_invalid");
    }
    auto none = svc_->Identify(http::Request{});
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
}

TEST_P(AuthServiceTest, SetPasswordEndsSessionsAndIsAudited) {
    LoginOutcome a = MustLogin(kSellerEmail, kSellerPassword);
    LoginOutcome b = MustLogin(kSellerEmail, kSellerPassword);
    LoginOutcome admin = MustLogin(kAdminEmail, kAdminPassword);
    auto weak = svc_->SetPassword(kSellerEmail, "short", core::Actor::System(ws_));
    ASSERT_FALSE(weak.ok());
    EXPECT_EQ(weak.error().fields.at(0).code, "weak_password");
    ASSERT_TRUE(svc_->SetPassword("Seller@Romashka.ru", "brand-new-password", core::Actor::System(ws_)).ok());
    EXPECT_FALSE(svc_->Identify(CookieRequest(a.session_token)).ok());
    EXPECT_FALSE(svc_->Identify(CookieRequest(b.session_token)).ok());
    EXPECT_TRUE(svc_->Identify(CookieRequest(admin.session_token)).ok()) << "other users keep their sessions";
    EXPECT_FALSE(svc_->Login(LoginInput{kSellerEmail, kSellerPassword, "", "", "", {}}).ok());
    MustLogin(kSellerEmail, "brand-new-password");
    auto rows = Audit(ws_, "user.password_change");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].After(), boost::json::parse(R"({"sessions_revoked":2})"));
    EXPECT_EQ(svc_->SetPassword("nobody@x.ru", "long-password", core::Actor::System(0)).error().code,
              ErrorCode::kNotFound);
    // A seller cannot change another user's password.
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, "brand-new-password").session_token);
    EXPECT_FALSE(svc_->SetPassword(kAdminEmail, "hijacked-password", seller).ok());
    EXPECT_TRUE(svc_->SetPassword(kSellerEmail, "my-own-new-password", seller).ok());
}

TEST_P(AuthServiceTest, UpdateMeAuditsBeforeAndAfterOnlyWhenSomethingChanged) {
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    auto me = svc_->UpdateMe(seller, MePatch{"  Сергей П. ", "en"});
    ASSERT_TRUE(me.ok());
    EXPECT_EQ(me->user.full_name, "Сергей П.");
    EXPECT_EQ(me->user.locale, "en");
    EXPECT_TRUE(me->csrf_token.has_value());
    auto rows = Audit(ws_, "user.update");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Before(), boost::json::parse(R"({"full_name":"Сергей Продавцов","locale":"ru"})"));
    EXPECT_EQ(rows[0].After(), boost::json::parse(R"({"full_name":"Сергей П.","locale":"en"})"));
    ASSERT_TRUE(svc_->UpdateMe(seller, MePatch{std::nullopt, "en"}).ok());
    EXPECT_EQ(Audit(ws_, "user.update").size(), 1u) << "no change, no audit row";
    auto empty = svc_->UpdateMe(seller, MePatch{});
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, ErrorCode::kValidation);
    EXPECT_EQ(svc_->UpdateMe(seller, MePatch{"   ", std::nullopt}).error().fields.at(0).code, "too_short");
    EXPECT_EQ(svc_->UpdateMe(seller, MePatch{std::nullopt, "de"}).error().fields.at(0).code, "not_one_of");
}

// --- API tokens -------------------------------------------------------------------------------------------------

TEST_P(AuthServiceTest, ApiTokenCreateUseRevoke) {
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    auto created = svc_->CreateApiToken(seller, " Сайт ", std::nullopt);
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE(IsWellFormedApiToken(created->secret));
    EXPECT_EQ(created->token.prefix, created->secret.substr(0, 12));
    EXPECT_EQ(created->token.name, "Сайт");
    EXPECT_FALSE(created->token.expires_at);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + core::Sha256Hex(created->secret) + "'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + created->secret + "'"), 0);

    auto audit = Audit(ws_, "api_token.create");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].object_id, created->token.id);
    EXPECT_EQ(audit[0].after_json.find(created->secret.substr(4)), std::string::npos) << "no secret in the audit";
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'security.api_token_created' AND user_id = " +
                    std::to_string(seller_id_) + " AND link = '/me'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1) << "the notification's live push is queued";

    clock_.Advance(5000);
    auto id = svc_->Identify(BearerRequest(created->secret));
    ASSERT_TRUE(id.ok() && id->has_value());
    const core::Actor& a = (*id)->actor;
    EXPECT_EQ(a.kind, core::ActorKind::kApiToken);
    EXPECT_EQ(a.user_id, seller_id_);
    EXPECT_EQ(a.workspace_id, ws_);
    EXPECT_EQ(a.credential_id, std::to_string(created->token.id));
    EXPECT_FALSE((*id)->via_cookie);
    auto listed = svc_->ListApiTokens(seller, std::nullopt, 50);
    ASSERT_EQ(listed.items.size(), 1u);
    EXPECT_EQ(listed.items[0].last_used_at.value_or(0), kStart + 5000);
    clock_.Advance(10'000);
    ASSERT_TRUE(svc_->Identify(BearerRequest(created->secret)).ok());
    EXPECT_EQ(svc_->ListApiTokens(seller, std::nullopt, 50).items[0].last_used_at.value_or(0), kStart + 5000)
        << "last_used_at written at most once a minute";

    ASSERT_TRUE(svc_->RevokeApiToken(seller, created->token.id).ok());
    auto revoked = svc_->Identify(BearerRequest(created->secret));
    ASSERT_FALSE(revoked.ok());
    EXPECT_EQ(revoked.error().message_key, "auth.token_invalid");
    EXPECT_EQ(svc_->RevokeApiToken(seller, created->token.id).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(svc_->ListApiTokens(seller, std::nullopt, 50).items.empty());
    auto revoke_audit = Audit(ws_, "api_token.revoke");
    ASSERT_EQ(revoke_audit.size(), 1u);
    EXPECT_EQ(revoke_audit[0].Before().at("name"), "Сайт");
    EXPECT_EQ(revoke_audit[0].Before().at("prefix").as_string(), created->token.prefix);
    EXPECT_EQ(revoke_audit[0].After().at("revoked_at"), kStart + 15'000);
}

TEST_P(AuthServiceTest, ApiTokenExpires) {
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    auto created = svc_->CreateApiToken(seller, "На день", 1);
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(created->token.expires_at.value_or(0), kStart + 86'400'000);
    clock_.Advance(86'400'000 - 1);
    EXPECT_TRUE(svc_->Identify(BearerRequest(created->secret)).ok());
    clock_.Advance(1);
    auto expired = svc_->Identify(BearerRequest(created->secret));
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(expired.error().message_key, "auth.token_invalid");
    core::Actor fresh = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    EXPECT_TRUE(svc_->ListApiTokens(fresh, std::nullopt, 50).items.empty()) << "expired tokens leave the list";
    EXPECT_EQ(svc_->CreateApiToken(seller, "x", 0).error().fields.at(0).field, "expires_in_days");
    EXPECT_EQ(svc_->CreateApiToken(seller, "x", 3651).error().fields.at(0).code, "out_of_range");
    EXPECT_EQ(svc_->CreateApiToken(seller, std::string(101, 'x'), std::nullopt).error().fields.at(0).code, "too_long");
}

TEST_P(AuthServiceTest, TokensAreIsolatedBetweenUsersAndWorkspaces) {
    core::Id other_ws = MustCreateWorkspace("ООО Лютик", "lyutik");
    MustCreateUser(other_ws, "boss@lyutik.ru", "Босс", "lyutik-password", true);
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    core::Actor admin = ActorOf(MustLogin(kAdminEmail, kAdminPassword).session_token);
    core::Actor stranger = ActorOf(MustLogin("boss@lyutik.ru", "lyutik-password").session_token);
    auto token = svc_->CreateApiToken(seller, "Мой", std::nullopt);
    ASSERT_TRUE(token.ok());

    EXPECT_EQ(svc_->RevokeApiToken(admin, token->token.id).error().code, ErrorCode::kNotFound)
        << "even a workspace admin cannot revoke another user's token here";
    EXPECT_EQ(svc_->RevokeApiToken(stranger, token->token.id).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(svc_->ListApiTokens(admin, std::nullopt, 50).items.empty());
    EXPECT_TRUE(svc_->ListApiTokens(stranger, std::nullopt, 50).items.empty());
    EXPECT_TRUE(svc_->Identify(BearerRequest(token->secret)).ok()) << "still valid";
    EXPECT_EQ(Audit(ws_, "api_token.revoke").size(), 0u);

    auto stranger_me = svc_->GetMe(stranger);
    ASSERT_TRUE(stranger_me.ok());
    EXPECT_EQ(stranger_me->workspace.slug, "lyutik");
    EXPECT_EQ(Audit(other_ws, "user.login").size(), 1u);
    EXPECT_EQ(Audit(ws_, "user.login").size(), 2u);
}

TEST_P(AuthServiceTest, TokenListIsKeysetPaginatedNewestFirst) {
    core::Actor seller = ActorOf(MustLogin(kSellerEmail, kSellerPassword).session_token);
    std::vector<core::Id> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(svc_->CreateApiToken(seller, "t" + std::to_string(i), std::nullopt)->token.id);
        clock_.Advance(1000);
    }
    auto revoked = svc_->CreateApiToken(seller, "revoked", std::nullopt);
    ASSERT_TRUE(svc_->RevokeApiToken(seller, revoked->token.id).ok());
    std::vector<core::Id> seen;
    std::optional<core::Id> after;
    int pages = 0;
    do {
        auto page = svc_->ListApiTokens(seller, after, 2);
        for (const auto& t : page.items) seen.push_back(t.id);
        after = page.next_after;
        ++pages;
    } while (after && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<core::Id>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
    auto exact = svc_->ListApiTokens(seller, std::nullopt, 5);
    EXPECT_EQ(exact.items.size(), 5u);
    EXPECT_FALSE(exact.next_after) << "no next page when the page ends exactly at the last token";
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::auth::testing
