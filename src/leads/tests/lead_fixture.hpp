#pragma once
// A workspace with the role catalog, a small department tree and people, on SQLite and (with OTDEL_TEST_PG_DSN)
// PostgreSQL: the ground the leads store tests stand on.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "leads/lead_intake.hpp"
#include "org/org_service.hpp"

namespace otdel::leads::testing {

constexpr core::Millis kStart = 1'772'442'000'000;  // 2026-03-02T09:00:00Z

class LeadsFixture : public ::testing::TestWithParam<db::Engine> {
protected:
    LeadsFixture() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        org_ = std::make_unique<org::OrgService>(tdb_.db(), clock_, *auth_, registry_);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Кухни", "kuhni"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        sys_ = core::Actor::System(ws_);
        auto roles = org_->ListRoles(sys_, false);
        ASSERT_TRUE(roles.ok());
        for (const auto& r : *roles) roles_[r.code] = r.id;
        intake_ = std::make_unique<LeadIntake>(tdb_.db(), clock_);
    }

    core::Id Dept(const std::string& name, std::optional<core::Id> parent) {
        org::DepartmentInput in;
        in.name = name;
        in.set_parent = true;
        in.parent_id = parent;
        auto d = org_->CreateDepartment(sys_, in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    core::Id Person(const std::string& email, const std::string& role, core::Id dept) {
        org::EmployeeInput in;
        in.new_user = auth::NewUser{ws_, email, email, "password-123", "ru", false};
        in.role_id = roles_.at(role);
        in.department_id = dept;
        auto e = org_->CreateEmployee(sys_, in);
        EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message_key);
        return e.ok() ? e->employee.user_id : 0;
    }
    core::Actor As(core::Id user_id) {
        return core::Actor::SignedIn(core::ActorKind::kUser, ws_, user_id, false, core::Lang::kRu, "test", "", "");
    }
    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }
    IncomingLead Form(std::string text, std::vector<std::string> phones = {}, std::vector<std::string> emails = {}) {
        IncomingLead in;
        in.workspace_id = ws_;
        in.channel = "form";
        in.request_text = std::move(text);
        in.phones = std::move(phones);
        in.emails = std::move(emails);
        return in;
    }

    ::otdel::testing::TestDatabase tdb_;
    core::ManualClock clock_;
    org::HandoverRegistry registry_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<org::OrgService> org_;
    std::unique_ptr<LeadIntake> intake_;
    core::Id ws_ = 0;
    core::Actor sys_;
    std::map<std::string, core::Id> roles_;
};

}  // namespace otdel::leads::testing
