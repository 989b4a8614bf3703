// OrgService and its store on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL: catalog seeding through the
// workspace hook, subtree paths on move, archive refusals, dismissal with a (fake) handover handler, absences.
#include <gtest/gtest.h>

#include <memory>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "org/org_service.hpp"

namespace otdel::org {
namespace {

constexpr core::Millis kStart = 1'751'360'400'000;  // 2025-07-01T09:00:00Z

class FakeLeads final : public HandoverHandler {
public:
    std::string Kind() const override { return "lead"; }
    int Handover(soci::session&, core::Id, core::Id from, std::optional<core::Id> to, const core::Actor&,
                 core::Millis) override {
        calls.emplace_back(from, to);
        return 3;
    }
    std::vector<std::pair<core::Id, std::optional<core::Id>>> calls;
};

class OrgServiceTest : public ::testing::TestWithParam<db::Engine> {
protected:
    OrgServiceTest() : tdb_(GetParam()), clock_(kStart) {}

    void SetUp() override {
        auth::AuthConfig c;
        c.argon2_t_cost = 1;
        c.argon2_m_cost_kib = 1024;
        auth_ = std::make_unique<auth::AuthService>(tdb_.db(), clock_, c);
        registry_.Add(leads_);
        org_ = std::make_unique<OrgService>(tdb_.db(), clock_, *auth_, registry_);
        auto ws = auth_->CreateWorkspace(auth::NewWorkspace{"Ромашка", "romashka"}, core::Actor::System(0));
        ASSERT_TRUE(ws.ok());
        ws_ = *ws;
        sys_ = core::Actor::System(ws_);
        auto roles = org_->ListRoles(sys_, false);
        ASSERT_TRUE(roles.ok());
        for (const auto& r : *roles) roles_[r.code] = r.id;
    }

    core::Id Dept(const std::string& name, std::optional<core::Id> parent) {
        DepartmentInput in;
        in.name = name;
        in.set_parent = true;
        in.parent_id = parent;
        auto d = org_->CreateDepartment(sys_, in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    EmployeeView Person(const std::string& email, const std::string& role, core::Id dept) {
        EmployeeInput in;
        in.new_user = auth::NewUser{ws_, email, email, "password-123", "ru", false};
        in.role_id = roles_.at(role);
        in.department_id = dept;
        auto e = org_->CreateEmployee(sys_, in);
        EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message_key);
        return e.ok() ? *e : EmployeeView{};
    }
    long long Count(const std::string& text) {
        long long n = 0;
        tdb_.db().Read([&](soci::session& sql) {
            sql << text, soci::into(n);
            return 0;
        });
        return n;
    }

    testing::TestDatabase tdb_;
    core::ManualClock clock_;
    FakeLeads leads_;
    HandoverRegistry registry_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<OrgService> org_;
    core::Id ws_ = 0;
    core::Actor sys_;
    std::map<std::string, core::Id> roles_;
};

TEST_P(OrgServiceTest, NewWorkspaceGetsTheCatalogInTheSameTransaction) {
    EXPECT_EQ(roles_.size(), DefaultCatalog().size());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'role.seed_catalog'"), 1);
    org_->EnsureCatalog(ws_);  // idempotent
    EXPECT_EQ(Count("SELECT COUNT(*) FROM roles"), static_cast<long long>(DefaultCatalog().size()));
}

TEST_P(OrgServiceTest, MoveRebasesTheSubtreeAndRefusesCycles) {
    core::Id a = Dept("A", std::nullopt), b = Dept("B", a), c = Dept("C", b), x = Dept("X", std::nullopt);
    auto cycle = org_->MoveDepartment(sys_, a, c);
    ASSERT_FALSE(cycle.ok());
    EXPECT_EQ(cycle.error().message_key, "org.department_cycle");
    ASSERT_TRUE(org_->MoveDepartment(sys_, b, x).ok());
    auto moved = org_->GetDepartment(sys_, c);
    EXPECT_EQ(moved->path, "/" + std::to_string(x) + "/" + std::to_string(b) + "/" + std::to_string(c) + "/");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM departments WHERE path LIKE '/" + std::to_string(x) + "/%'"), 3);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'department.move'"), 1);
}

TEST_P(OrgServiceTest, ArchiveRefusedWithPeopleAndManagerLoopRefused) {
    core::Id top = Dept("Продажи", std::nullopt), team = Dept("Команда", top);
    auto head = Person("head@r.ru", "head_of_sales", top);
    auto seller = Person("seller@r.ru", "sales_manager", team);
    DepartmentInput h;
    h.set_head = true;
    h.head_user_id = head.employee.user_id;
    ASSERT_TRUE(org_->UpdateDepartment(sys_, top, h).ok());
    EXPECT_EQ(org_->GetEmployee(sys_, seller.employee.id)->effective_manager_user_id, head.employee.user_id);
    auto refused = org_->ArchiveDepartment(sys_, team);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message_key, "org.department_has_people");
    EmployeeInput loop;
    loop.set_manager = true;
    loop.manager_user_id = seller.employee.user_id;
    auto r = org_->UpdateEmployee(sys_, head.employee.id, loop);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message_key, "org.manager_loop");
    EXPECT_FALSE(org_->GetEmployee(sys_, head.employee.id)->employee.manager_user_id) << "rolled back";
    auto retire = org_->RetireRole(sys_, roles_.at("sales_manager"));
    ASSERT_FALSE(retire.ok());
    EXPECT_EQ(retire.error().fields.at(0).param, "1");
}

TEST_P(OrgServiceTest, DismissalCallsHandlersDisablesTheUserAndRecordsTheHandover) {
    core::Id top = Dept("Продажи", std::nullopt);
    auto a = Person("a@r.ru", "sales_manager", top);
    auto b = Person("b@r.ru", "sales_manager", top);
    auto out = org_->DismissEmployee(sys_, a.employee.id, DismissInput{"user", b.employee.user_id});
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(leads_.calls.size(), 1u);
    EXPECT_EQ(leads_.calls[0].first, a.employee.user_id);
    EXPECT_EQ(leads_.calls[0].second, b.employee.user_id);
    EXPECT_EQ(out->moved.at(0), (std::pair<std::string, int>{"lead", 3}));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE status = 'disabled'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM employee_handovers WHERE target = 'user'"), 1);
    auto again = org_->DismissEmployee(sys_, b.employee.id, DismissInput{"user", a.employee.user_id});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().message_key, "org.handover_target_invalid");
}

TEST_P(OrgServiceTest, AbsencesAndEffectiveAssignee) {
    core::Id top = Dept("Продажи", std::nullopt);
    auto a = Person("a@r.ru", "sales_manager", top);
    auto b = Person("b@r.ru", "sales_manager", top);
    auto c = Person("c@r.ru", "sales_manager", top);
    Absence va;
    va.user_id = a.employee.user_id;
    va.kind = "vacation";
    va.starts_on = "2025-07-01";
    va.ends_on = "2025-07-14";
    va.substitute_user_id = b.employee.user_id;
    ASSERT_TRUE(org_->CreateAbsence(sys_, va).ok());
    Absence vb = va;
    vb.user_id = b.employee.user_id;
    vb.starts_on = vb.ends_on = "2025-07-10";
    vb.substitute_user_id = a.employee.user_id;
    auto loop = org_->CreateAbsence(sys_, vb);
    ASSERT_FALSE(loop.ok());
    EXPECT_EQ(loop.error().message_key, "org.substitute_loop");
    vb.substitute_user_id = c.employee.user_id;
    ASSERT_TRUE(org_->CreateAbsence(sys_, vb).ok());
    EXPECT_EQ(org_->EffectiveAssignee(ws_, a.employee.user_id, "2025-07-10"), c.employee.user_id);
    EXPECT_EQ(org_->EffectiveAssignee(ws_, a.employee.user_id, "2025-07-11"), b.employee.user_id);
    EXPECT_EQ(org_->Today(ws_), "2025-07-01");
    auto away = org_->WhoIsAway(sys_, std::nullopt, std::nullopt);  // the week of 2025-06-30
    ASSERT_TRUE(away.ok());
    EXPECT_EQ(away->from, "2025-06-30");
    EXPECT_EQ(away->items.size(), 1u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'absence.create'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, OrgServiceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::org
