// The process's session cache (issue 6), on both engines: a session identified from the database answers from the
// cache for session_cache_ms; everything that ends or changes a session in this process takes effect on the very
// next request — sign-out, sign-in rotating the cookie, a password change, a user disabled through the store (as
// the org room does), a language change — while expiry, idle time and the minute touch still hold; a change made
// outside the process (raw SQL here) is seen once the cache window has passed; a read that raced a revocation is not
// cached.
#include <gtest/gtest.h>

#include "auth/auth_store.hpp"
#include "auth/credentials.hpp"
#include "auth/session_cache.hpp"
#include "auth/tests/auth_test_support.hpp"
#include "core/ids.hpp"

namespace otdel::auth {
namespace {

using core::ErrorCode;
using namespace otdel::auth::testing;  // NOLINT(google-build-using-namespace)

http::Request Cookie(const std::string& token) {
    http::Request r;
    r.method = "GET";
    r.path = "/api/v1/me";
    r.headers["cookie"] = std::string(kSessionCookieName) + "=" + token;
    r.remote_ip = "192.0.2.10";
    r.request_id = "req-c";
    return r;
}

class SessionCacheTest : public AuthFixture {
protected:
    void SetUp() override {
        // Earlier tests in this process revoked sessions of users with the same ids in other databases.
        SessionCache::Global().Clear();
        AuthFixture::SetUp();
    }
    core::Result<std::optional<Identity>> Who(const std::string& token) { return svc_->Identify(Cookie(token)); }
    bool Ok(const std::string& token) {
        auto r = Who(token);
        return r.ok() && r->has_value();
    }
    void Sql(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok()) << text;
    }
    std::string Hash(const std::string& token) { return core::Sha256Hex(token); }
};

TEST_P(SessionCacheTest, ACachedSessionAnswersWithoutTheDatabaseUntilTheWindowEnds) {
    ASSERT_EQ(config_.session_cache_ms, 1000);
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    ASSERT_TRUE(Ok(out.session_token));  // read from the database: now cached
    // Revoked behind the process's back (another process): the cache still answers within its window ...
    Sql("UPDATE sessions SET revoked_at = 1 WHERE id = '" + Hash(out.session_token) + "'");
    clock_.Advance(999);
    EXPECT_TRUE(Ok(out.session_token)) << "answered from the cache";
    // ... and not after it.
    clock_.Advance(1);
    auto gone = Who(out.session_token);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().message_key, "auth.session_invalid");

    // With the cache off, the database decides every time.
    AuthConfig off = TinyConfig();
    off.session_cache_ms = 0;
    Reconfigure(off);
    LoginOutcome again = MustLogin(kSellerEmail, kSellerPassword);
    ASSERT_TRUE(Ok(again.session_token));
    Sql("UPDATE sessions SET revoked_at = 1 WHERE id = '" + Hash(again.session_token) + "'");
    EXPECT_FALSE(Ok(again.session_token));
}

TEST_P(SessionCacheTest, SignOutRotationAndPasswordChangeEndCachedSessionsAtOnce) {
    LoginOutcome a = MustLogin(kSellerEmail, kSellerPassword);
    LoginOutcome b = MustLogin(kSellerEmail, kSellerPassword);
    LoginOutcome c = MustLogin(kSellerEmail, kSellerPassword);
    LoginOutcome admin = MustLogin(kAdminEmail, kAdminPassword);
    for (const auto* s : {&a, &b, &c, &admin}) ASSERT_TRUE(Ok(s->session_token));

    // Sign-out.
    auto actor = (*Who(a.session_token))->actor;
    ASSERT_TRUE(svc_->Logout(actor).ok());
    EXPECT_FALSE(Ok(a.session_token)) << "signed out: refused on the next request";
    EXPECT_TRUE(Ok(b.session_token));

    // Signing in again with the cookie rotates it: the presented session ends.
    LoginOutcome rotated = MustLogin(kSellerEmail, kSellerPassword, b.session_token);
    EXPECT_FALSE(Ok(b.session_token)) << "rotated away";
    EXPECT_TRUE(Ok(rotated.session_token));

    // A password change ends every session of the user, cached or not; others keep theirs.
    ASSERT_TRUE(svc_->SetPassword(kSellerEmail, "another-password", core::Actor::System(ws_)).ok());
    EXPECT_FALSE(Ok(c.session_token));
    EXPECT_FALSE(Ok(rotated.session_token));
    EXPECT_TRUE(Ok(admin.session_token));
}

TEST_P(SessionCacheTest, AUserDisabledThroughTheStoreIsRefusedAtOnce) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    ASSERT_TRUE(Ok(out.session_token));
    // What the org room does when it disables or dismisses someone: status and sessions in one transaction.
    auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
        const long long id = seller_id_;
        sql << "UPDATE users SET status = 'disabled' WHERE id = :id", soci::use(id, "id");
        store::RevokeUserSessions(sql, ws_, seller_id_, clock_.NowMs());
        return core::Ok();
    });
    ASSERT_TRUE(r.ok());
    auto refused = Who(out.session_token);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
}

TEST_P(SessionCacheTest, ALanguageChangeTakesEffectOnTheNextRequest) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    auto first = Who(out.session_token);
    ASSERT_TRUE(first.ok() && first->has_value());
    EXPECT_EQ((*first)->actor.lang, core::Lang::kRu);
    MePatch patch;
    patch.locale = "en";
    ASSERT_TRUE(svc_->UpdateMe((*first)->actor, patch).ok());
    auto next = Who(out.session_token);
    ASSERT_TRUE(next.ok() && next->has_value());
    EXPECT_EQ((*next)->actor.lang, core::Lang::kEn);
}

TEST_P(SessionCacheTest, IdleTimeExpiryAndTheMinuteTouchStillHold) {
    LoginOutcome out = MustLogin(kSellerEmail, kSellerPassword);
    ASSERT_TRUE(Ok(out.session_token));
    // Used every 500 ms for a minute and a half: the touch still lands once the minute has passed.
    for (int i = 0; i < 180; ++i) {
        clock_.Advance(500);
        ASSERT_TRUE(Ok(out.session_token)) << i;
    }
    const long long seen = Count("SELECT last_seen_at FROM sessions WHERE id = '" + Hash(out.session_token) + "'");
    EXPECT_GE(seen, kStart + kMinute);
    EXPECT_LE(seen, kStart + 2 * kMinute);
    // Idle past the limit (30 minutes) right after a cached answer: expired.
    clock_.Advance(30 * kMinute);
    auto idle = Who(out.session_token);
    ASSERT_FALSE(idle.ok());
    EXPECT_EQ(idle.error().code, ErrorCode::kSessionExpired);
}

TEST(SessionCacheUnit, AReadThatRacedARevocationIsNotCached) {
    SessionCache cache;
    SessionCache::Entry e;
    e.workspace_id = 7;
    e.user_id = 9;
    e.expires_at = 1'000'000;
    e.last_seen_at = 100;
    e.read_at = 100;
    cache.Put("s1", e);
    EXPECT_TRUE(cache.Find("s1", 150, 1000).has_value());
    EXPECT_FALSE(cache.Find("s1", 1100, 1000).has_value()) << "past the window";
    // A request read the row, then the session was revoked (not yet committed), then the request caches what it read:
    // refused, for the session and for the user's other sessions alike.
    cache.ForgetSession("s1");
    cache.Put("s1", e);
    EXPECT_FALSE(cache.Find("s1", 150, 1000).has_value());
    cache.ForgetUser(7, 9);
    cache.Put("s2", e);
    EXPECT_FALSE(cache.Find("s2", 150, 1000).has_value());
    SessionCache::Entry other = e;
    other.user_id = 10;
    cache.Put("s3", other);
    EXPECT_TRUE(cache.Find("s3", 150, 1000).has_value()) << "another user is cached as before";
    cache.ForgetUser(7, 10);
    EXPECT_FALSE(cache.Find("s3", 150, 1000).has_value()) << "forgotten with its user";
}

INSTANTIATE_TEST_SUITE_P(Engines, SessionCacheTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::auth
