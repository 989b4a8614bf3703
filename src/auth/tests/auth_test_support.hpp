#pragma once
// Shared set-up for the auth store/service and API tests: a fresh database per engine, a manual clock, tiny
// argon2 parameters, and a workspace with an administrator and a seller.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <string>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"

namespace otdel::auth::testing {

inline constexpr core::Millis kStart = 1'750'000'000'000;
inline constexpr core::Millis kMinute = 60'000;
inline constexpr const char* kAdminEmail = "admin@romashka.ru";
inline constexpr const char* kAdminPassword = "admin-password";
inline constexpr const char* kSellerEmail = "seller@romashka.ru";
inline constexpr const char* kSellerPassword = "seller-password";

inline AuthConfig TinyConfig() {
    AuthConfig c;
    c.argon2_t_cost = 1;
    c.argon2_m_cost_kib = 1024;
    c.argon2_parallelism = 1;
    c.session_idle_minutes = 30;
    c.session_absolute_hours = 2;
    c.login_max_failures = 5;
    c.login_window_seconds = 900;
    return c;
}

class AuthFixture : public ::testing::TestWithParam<db::Engine> {
protected:
    AuthFixture() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        svc_ = std::make_unique<AuthService>(tdb_.db(), clock_, config_);
        ws_ = MustCreateWorkspace("ООО Ромашка", "romashka");
        admin_id_ = MustCreateUser(ws_, kAdminEmail, "Анна Админова", kAdminPassword, true);
        seller_id_ = MustCreateUser(ws_, kSellerEmail, "Сергей Продавцов", kSellerPassword, false);
    }

    core::Id MustCreateWorkspace(const std::string& name, const std::string& slug) {
        auto r = svc_->CreateWorkspace(NewWorkspace{name, slug}, core::Actor::System(0));
        EXPECT_TRUE(r.ok());
        return r.ok() ? *r : 0;
    }
    core::Id MustCreateUser(core::Id ws, const std::string& email, const std::string& name, const std::string& password,
                            bool admin, const std::string& locale = "ru") {
        auto r = svc_->CreateUser(NewUser{ws, email, name, password, locale, admin}, core::Actor::System(ws));
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : std::string(core::ErrorCodeName(r.error().code)));
        return r.ok() ? *r : 0;
    }

    LoginOutcome MustLogin(const std::string& email, const std::string& password,
                           std::optional<std::string> presented = std::nullopt) {
        auto r = svc_->Login(LoginInput{email, password, "192.0.2.10", "gtest", "req-1", std::move(presented)});
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : std::string(core::ErrorCodeName(r.error().code)));
        return r.ok() ? std::move(*r) : LoginOutcome{};
    }

    long long Count(const std::string& sql_text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << sql_text, soci::into(n);
            return 0;
        });
        return n;
    }

    struct AuditLine {
        std::string actor_kind, before_json, after_json, ip, request_id;
        long long actor_user_id = 0, object_id = 0;
        // Parsed: PostgreSQL stores jsonb, which normalises the text.
        boost::json::value After() const { return after_json.empty() ? nullptr : boost::json::parse(after_json); }
        boost::json::value Before() const { return before_json.empty() ? nullptr : boost::json::parse(before_json); }
    };
    /// Audit rows of one action in a workspace, oldest first.
    std::vector<AuditLine> Audit(core::Id ws, const std::string& action) {
        std::vector<AuditLine> out;
        tdb_.db().Read([&](soci::session& sql) {
            long long w = ws;
            AuditLine a;
            soci::indicator uid_ind, oid_ind, before_ind, after_ind;
            soci::statement st =
                (sql.prepare << "SELECT actor_kind, actor_user_id, object_id, before_json, after_json, ip, request_id "
                                "FROM audit_log WHERE workspace_id = :ws AND action = :action ORDER BY id",
                 soci::into(a.actor_kind), soci::into(a.actor_user_id, uid_ind), soci::into(a.object_id, oid_ind),
                 soci::into(a.before_json, before_ind), soci::into(a.after_json, after_ind), soci::into(a.ip),
                 soci::into(a.request_id), soci::use(w, "ws"), soci::use(action, "action"));
            st.execute();
            while (st.fetch()) {
                AuditLine row = a;
                if (uid_ind != soci::i_ok) row.actor_user_id = 0;
                if (oid_ind != soci::i_ok) row.object_id = 0;
                if (before_ind != soci::i_ok) row.before_json.clear();
                if (after_ind != soci::i_ok) row.after_json.clear();
                out.push_back(row);
            }
            return 0;
        });
        return out;
    }

    /// Builds the service anew (same database and clock) with another configuration.
    void Reconfigure(AuthConfig c) {
        config_ = c;
        svc_ = std::make_unique<AuthService>(tdb_.db(), clock_, config_);
    }

    otdel::testing::TestDatabase tdb_;
    core::ManualClock clock_;
    AuthConfig config_ = TinyConfig();
    std::unique_ptr<AuthService> svc_;
    core::Id ws_ = 0, admin_id_ = 0, seller_id_ = 0;
};

}  // namespace otdel::auth::testing
