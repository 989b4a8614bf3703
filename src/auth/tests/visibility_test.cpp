// The visibility predicate builder: what it loads for a caller, what Can() allows per scope, the shape and
// parameters of the SQL condition, and permission-set parsing. The full role × relationship × operation check
// is visibility_matrix_test.cpp.
#include "auth/visibility.hpp"

#include <gtest/gtest.h>

#include "auth/tests/visibility_probe.hpp"

namespace otdel::auth {
namespace {

Caller Make(Scope scope, std::string path = {}) {
    Caller c;
    c.workspace_id = 7;
    c.user_id = 42;
    c.scope = scope;
    c.department_path = std::move(path);
    c.permissions.Grant("lead", Action::kRead);
    c.permissions.Grant("lead", Action::kUpdate);
    c.permissions.Grant("lead", Action::kExport);
    return c;
}

TEST(Visibility, ScopeNamesRoundTrip) {
    for (Scope s : {Scope::kOwn, Scope::kTeam, Scope::kAll, Scope::kReadAll}) {
        ASSERT_TRUE(ParseScope(ScopeName(s)).has_value());
        EXPECT_EQ(*ParseScope(ScopeName(s)), s);
    }
    EXPECT_EQ(ScopeName(Scope::kReadAll), "read_all");
    EXPECT_FALSE(ParseScope("none").has_value());  // not a value a role may hold
    EXPECT_FALSE(ParseScope("ALL").has_value());
    EXPECT_FALSE(ParseScope("").has_value());
}

TEST(Visibility, CanFollowsThePermissionSetWithinTheScope) {
    const Visibility own(Make(Scope::kOwn), "2025-06-18");
    EXPECT_TRUE(own.Can(Action::kRead, "lead"));
    EXPECT_TRUE(own.Can(Action::kUpdate, "lead"));
    EXPECT_FALSE(own.Can(Action::kDelete, "lead"));
    EXPECT_FALSE(own.Can(Action::kRead, "deal"));

    // read_all never writes, whatever the permission set grants.
    const Visibility read_all(Make(Scope::kReadAll), "2025-06-18");
    EXPECT_TRUE(read_all.Can(Action::kRead, "lead"));
    EXPECT_TRUE(read_all.Can(Action::kExport, "lead"));
    EXPECT_FALSE(read_all.Can(Action::kUpdate, "lead"));

    // No place in the org: nothing, even with a permission set.
    const Visibility none(Make(Scope::kNone), "2025-06-18");
    for (Action a : AllActions()) EXPECT_FALSE(none.Can(a, "lead")) << ActionName(a);

    Caller admin;
    admin.workspace_id = 7;
    admin.unrestricted = true;
    const Visibility unrestricted(admin, "2025-06-18");
    for (Action a : AllActions()) EXPECT_TRUE(unrestricted.Can(a, "anything")) << ActionName(a);
}

TEST(Visibility, ConditionIsScopedToTheWorkspaceAndUsesOnlyItsParameters) {
    const Visibility all(Make(Scope::kAll), "2025-06-18");
    EXPECT_EQ(all.Read("l").sql(), "(l.workspace_id = :vis_ws)");
    EXPECT_EQ(all.Write("l").sql(), "(l.workspace_id = :vis_ws)");

    const Visibility read_all(Make(Scope::kReadAll), "2025-06-18");
    EXPECT_EQ(read_all.Read("l").sql(), "(l.workspace_id = :vis_ws)");
    EXPECT_EQ(read_all.Write("l").sql(), "(l.workspace_id = :vis_ws AND (1 = 0))");

    const Visibility none(Make(Scope::kNone), "2025-06-18");
    EXPECT_EQ(none.Read("l").sql(), "(l.workspace_id = :vis_ws AND (1 = 0))");

    const Visibility own(Make(Scope::kOwn), "2025-06-18");
    const Predicate own_read = own.Read("l", "assignee_id");
    EXPECT_EQ(own_read.sql().rfind("(l.workspace_id = :vis_ws AND (l.assignee_id = :vis_uid OR l.assignee_id IN ", 0),
              0u)
        << own_read.sql();
    EXPECT_NE(own_read.sql().find(":vis_today"), std::string::npos);
    EXPECT_FALSE(own_read.owners().has_value());  // delegation read at query time: not a fixed list of owners
    EXPECT_EQ(own_read.sql().find(":vis_path"), std::string::npos);
    EXPECT_EQ(own_read.sql().find("manager_user_id"), std::string::npos);

    const Visibility team(Make(Scope::kTeam, "/1/4/"), "2025-06-18");
    EXPECT_NE(team.Read("l").sql().find("vis_d.path LIKE :vis_path"), std::string::npos);
    EXPECT_NE(team.Read("l").sql().find("manager_user_id = :vis_uid"), std::string::npos);
    // Without a department a team scope still covers direct reports.
    const Visibility team_nowhere(Make(Scope::kTeam), "2025-06-18");
    EXPECT_EQ(team_nowhere.Read("l").sql().find(":vis_path"), std::string::npos);
    EXPECT_NE(team_nowhere.Read("l").sql().find("manager_user_id = :vis_uid"), std::string::npos);
}

TEST(Visibility, MalformedDepartmentPathNeverBecomesAPattern) {
    for (const char* bad : {"%", "/1/%/", "/1/_/", "1/2/", "/1/2", "//", "/a/"}) {
        const Visibility team(Make(Scope::kTeam, bad), "2025-06-18");
        EXPECT_TRUE(team.caller().department_path.empty()) << bad;
        EXPECT_EQ(team.Read("l").sql().find(":vis_path"), std::string::npos) << bad;
    }
    const Visibility ok(Make(Scope::kTeam, "/1/22/305/"), "2025-06-18");
    EXPECT_EQ(ok.caller().department_path, "/1/22/305/");
}

TEST(Visibility, ExpandPutsTheConditionAtEveryMarkerAndRefusesTemplatesWithout) {
    const Visibility all(Make(Scope::kAll), "2025-06-18");
    const Predicate p = all.Read("t");
    EXPECT_EQ(p.Expand("SELECT 1 FROM x t WHERE {visible} AND t.id = :id"),
              "SELECT 1 FROM x t WHERE (t.workspace_id = :vis_ws) AND t.id = :id");
    EXPECT_EQ(p.Expand("{visible} OR {visible}"), "(t.workspace_id = :vis_ws) OR (t.workspace_id = :vis_ws)");
    EXPECT_THROW(p.Expand("SELECT 1 FROM x t WHERE t.id = :id"), std::logic_error);
}

TEST(Visibility, RefusesNonIdentifiersAndMalformedDays) {
    const Visibility own(Make(Scope::kOwn), "2025-06-18");
    EXPECT_THROW(own.Read(""), std::invalid_argument);
    EXPECT_THROW(own.Read("t; DROP TABLE users"), std::invalid_argument);
    EXPECT_THROW(own.Read("t", "owner_user_id OR 1=1"), std::invalid_argument);
    EXPECT_THROW(own.Read("1t"), std::invalid_argument);
    EXPECT_NO_THROW(own.Read("_t2", "owner_2"));
    for (const char* bad : {"", "2025-6-18", "18.06.2025", "2025-06-18 ", "2025/06/18", "2025-06-1x"}) {
        EXPECT_THROW(Visibility(Make(Scope::kOwn), bad), std::invalid_argument) << bad;
    }
}

TEST(Visibility, ParsesStoredPermissionSets) {
    auto p = ParsePermissions(R"({"lead": ["read", "update"], "*": ["export"], "ticket": []})");
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->Can(Action::kRead, "lead"));
    EXPECT_TRUE(p->Can(Action::kUpdate, "lead"));
    EXPECT_FALSE(p->Can(Action::kDelete, "lead"));
    EXPECT_TRUE(p->Can(Action::kExport, "deal"));
    EXPECT_FALSE(p->Can(Action::kRead, "ticket"));
    EXPECT_TRUE(ParsePermissions("{}")->empty());

    struct Bad {
        const char* json;
        const char* field;
    };
    for (const Bad& b :
         {Bad{"not json", "permissions"}, Bad{"[]", "permissions"}, Bad{R"({"lead": "read"})", "permissions/lead"},
          Bad{R"({"lead": ["read", "fly"]})", "permissions/lead"}, Bad{R"({"lead": [1]})", "permissions/lead"},
          Bad{R"({"": ["read"]})", "permissions/"}}) {
        auto r = ParsePermissions(b.json);
        ASSERT_FALSE(r.ok()) << b.json;
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        ASSERT_EQ(r.error().fields.size(), 1u);
        EXPECT_EQ(r.error().fields[0].field, b.field) << b.json;
    }
}

// ---- BuildVisibility against the generated org -------------------------------------------------------------------

using testing::OrgWorld;

class BuildVisibilityTest : public ::testing::TestWithParam<db::Engine> {
protected:
    BuildVisibilityTest() : world_(GetParam()) {}
    OrgWorld world_;
};

TEST_P(BuildVisibilityTest, LoadsScopePathAndPermissionsFromTheEmployeeRow) {
    const Visibility head = world_.VisibilityOf("head_n");
    EXPECT_EQ(head.scope(), Scope::kTeam);
    EXPECT_EQ(head.caller().department_path, "/1/2/");
    EXPECT_EQ(head.caller().workspace_id, world_.ws());
    EXPECT_EQ(head.caller().user_id, world_.User("head_n"));
    EXPECT_FALSE(head.caller().unrestricted);
    EXPECT_TRUE(head.Can(Action::kAssign, "lead"));
    EXPECT_FALSE(head.Can(Action::kRead, "ticket"));

    const Visibility seller = world_.VisibilityOf("seller_n2");
    EXPECT_EQ(seller.scope(), Scope::kOwn);
    EXPECT_EQ(seller.caller().department_path, "/1/2/21/");
    EXPECT_FALSE(seller.Can(Action::kExport, "lead"));

    EXPECT_EQ(world_.VisibilityOf("analyst").scope(), Scope::kReadAll);
    const Visibility support = world_.VisibilityOf("support");
    EXPECT_TRUE(support.Can(Action::kRead, "client"));
    EXPECT_FALSE(support.Can(Action::kRead, "lead"));
    EXPECT_FALSE(support.Can(Action::kUpdate, "client"));
}

TEST_P(BuildVisibilityTest, AdministratorsAndTheSystemActorAreUnrestrictedInTheirWorkspace) {
    const Visibility admin = world_.VisibilityOf("admin");
    EXPECT_TRUE(admin.caller().unrestricted);
    EXPECT_EQ(admin.Read("t").sql(), "(t.workspace_id = :vis_ws)");
    const Visibility system = world_.VisibilityOf(core::Actor::System(world_.ws()));
    EXPECT_TRUE(system.caller().unrestricted);
    EXPECT_TRUE(system.Can(Action::kDelete, "lead"));
    EXPECT_EQ(system.caller().workspace_id, world_.ws());
}

TEST_P(BuildVisibilityTest, FailsClosed) {
    // Anonymous, a user without an employee row, a dismissed employee.
    EXPECT_EQ(world_.VisibilityOf(core::Actor{}).scope(), Scope::kNone);
    EXPECT_EQ(world_.VisibilityOf("newcomer").scope(), Scope::kNone);
    EXPECT_EQ(world_.VisibilityOf("dismissed").scope(), Scope::kNone);
    EXPECT_FALSE(world_.VisibilityOf("dismissed").Can(Action::kRead, "lead"));
    // An unknown scope and a malformed permission set in the role.
    world_.Change([&](soci::session& sql) {
        long long ws = world_.ws();
        sql << "UPDATE roles SET scope = 'everything' WHERE workspace_id = :ws AND code = 'l2_head'",
            soci::use(ws, "ws");
        sql << "UPDATE roles SET permissions = '{\"leads\": [\"read\", \"teleport\"]}' "
               "WHERE workspace_id = :ws AND code = 'l3_seller'",
            soci::use(ws, "ws");
    });
    EXPECT_EQ(world_.VisibilityOf("head_n").scope(), Scope::kNone);
    const Visibility seller = world_.VisibilityOf("seller_n1");
    EXPECT_EQ(seller.scope(), Scope::kOwn);
    EXPECT_TRUE(seller.caller().permissions.empty());
    EXPECT_FALSE(seller.Can(Action::kRead, "lead"));
}

// Delegation by absence is read once when the visibility is built: the condition names today's delegators as bound
// owners (an index on the owner column can then answer it), and nobody's when the caller substitutes nobody.
TEST_P(BuildVisibilityTest, ReadsTodaysDelegatorsOnceAndBindsThemAsOwners) {
    // kAbsences: seller_n2 away 2025-06-16 .. 2025-06-22 with seller_s1 as substitute.
    const Visibility sub = world_.VisibilityOf("seller_s1", "2025-06-18");
    ASSERT_TRUE(sub.caller().delegators.has_value());
    EXPECT_EQ(*sub.caller().delegators, std::vector<core::Id>{world_.User("seller_n2")});
    EXPECT_EQ(sub.Read("p").sql(), "(p.workspace_id = :vis_ws AND (p.owner_user_id IN (:vis_uid, :vis_d0)))");
    EXPECT_EQ(sub.Write("p").sql(), sub.Read("p").sql());
    EXPECT_EQ(sub.Read("p").owners(), (std::vector<long long>{world_.User("seller_s1"), world_.User("seller_n2")}));

    const Visibility after = world_.VisibilityOf("seller_s1", "2025-06-15");  // before any absence of theirs
    ASSERT_TRUE(after.caller().delegators.has_value());
    EXPECT_TRUE(after.caller().delegators->empty());
    EXPECT_EQ(after.Read("p").sql(), "(p.workspace_id = :vis_ws AND (p.owner_user_id = :vis_uid))");
    EXPECT_EQ(after.Read("p").owners(), std::vector<long long>{world_.User("seller_s1")});

    // A team head keeps the subtree conditions and gets the delegated owners the same way.
    world_.Change([&](soci::session& sql) {
        world_.AddAbsence(sql, world_.ws(), world_.User("seller_n1"), world_.User("head_s"), "2025-06-18", "2025-06-19",
                          false);
    });
    const Visibility head = world_.VisibilityOf("head_s", "2025-06-18");
    ASSERT_TRUE(head.caller().delegators.has_value());
    EXPECT_EQ(*head.caller().delegators, std::vector<core::Id>{world_.User("seller_n1")});
    EXPECT_NE(head.Read("p").sql().find("p.owner_user_id IN (:vis_uid, :vis_d0) OR "), std::string::npos);
    EXPECT_EQ(head.Read("p").sql().find("absences"), std::string::npos);
    EXPECT_FALSE(head.Read("p").owners().has_value());  // the subtree is not a list of owners
    EXPECT_FALSE(world_.VisibilityOf("admin").Read("p").owners().has_value());

    // A cancelled absence delegates nothing.
    world_.Change([&](soci::session& sql) {
        long long ws = world_.ws(), uid = world_.User("seller_n2"), now = testing::kNow;
        sql << "UPDATE absences SET cancelled_at = :now WHERE workspace_id = :ws AND user_id = :uid",
            soci::use(now, "now"), soci::use(ws, "ws"), soci::use(uid, "uid");
    });
    EXPECT_TRUE(world_.VisibilityOf("seller_s1", "2025-06-18").caller().delegators->empty());
}

// The predicate binds through both SOCI forms (prepared statement and one-shot) and inside COUNT and joins.
TEST_P(BuildVisibilityTest, BindsInOneShotStatementsAndJoins) {
    const long long mine = world_.AddProbe(world_.ws(), "lead", world_.User("seller_s1"), "mine");
    world_.AddProbe(world_.ws(), "lead", world_.User("seller_n2"), "delegated");
    world_.AddProbe(world_.ws(), "lead", world_.User("seller_n1"), "not mine");
    const Visibility vis = world_.VisibilityOf("seller_s1");
    world_.db().Read([&](soci::session& sql) {
        const Predicate visible = vis.Read("p");
        long long n = 0;
        sql << visible.Expand("SELECT COUNT(*) FROM vis_probe p WHERE {visible}"), soci::into(n), visible;
        EXPECT_EQ(n, 2);
        // Joined with users to show the owner's name: the condition qualifies its columns, no ambiguity.
        std::string name;
        sql << visible.Expand(
            "SELECT u.full_name FROM vis_probe p JOIN users u ON u.workspace_id = p.workspace_id "
            "AND u.id = p.owner_user_id WHERE {visible} AND p.id = :id"),
            soci::into(name), soci::use(mine, "id"), visible;
        EXPECT_EQ(name, "Семён Заменов");
        return 0;
    });
}

INSTANTIATE_TEST_SUITE_P(Engines, BuildVisibilityTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::auth
