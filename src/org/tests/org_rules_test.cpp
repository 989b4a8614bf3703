// Pure rules of the org room: paths and cycles, manager derivation and loops, absence conflicts and substitutes.
#include <gtest/gtest.h>

#include <set>

#include "org/absence.hpp"
#include "org/department.hpp"
#include "org/employee.hpp"
#include "org/role.hpp"

namespace otdel::org {
namespace {

TEST(DepartmentPath, ChildPathsAndCycles) {
    EXPECT_EQ(ChildPath("", 1), "/1/");
    EXPECT_EQ(ChildPath("/1/4/", 9), "/1/4/9/");
    EXPECT_TRUE(MoveCreatesCycle("/1/4/", "/1/4/9/"));  // under own child
    EXPECT_TRUE(MoveCreatesCycle("/1/4/", "/1/4/"));    // under itself
    EXPECT_FALSE(MoveCreatesCycle("/1/4/", "/1/"));
    EXPECT_FALSE(MoveCreatesCycle("/1/4/", "/1/41/"));  // a sibling whose id starts with the same digits
    EXPECT_EQ(RebasePath("/1/4/9/", "/1/4/", "/2/4/"), "/2/4/9/");
    EXPECT_EQ(RebasePath("/1/5/", "/1/4/", "/2/4/"), "/1/5/");
    EXPECT_EQ(PathIds("/1/4/9/"), (std::vector<core::Id>{1, 4, 9}));
}

TEST(DepartmentDivision, EachPrincipleNeedsItsData) {
    Division d;
    EXPECT_TRUE(ValidateDivision(d).empty());
    d.principle = "territory";
    EXPECT_FALSE(ValidateDivision(d).empty());
    d.regions = {"Москва"};
    EXPECT_TRUE(ValidateDivision(d).empty());
    d.client_type = "corporate";
    EXPECT_FALSE(ValidateDivision(d).empty());
    Division c;
    c.principle = "client_type";
    c.client_type = "wholesale";
    EXPECT_EQ(ValidateDivision(c).at(0).code, "not_one_of");
}

OrgSnapshot SmallOrg() {
    // dept 1 (head 10) > dept 2 (head 20) ; 30 works in dept 2, 10 in 1, 20 in 2.
    OrgSnapshot o;
    o.departments[1] = {std::nullopt, 10};
    o.departments[2] = {1, 20};
    o.people[10] = {1, std::nullopt};
    o.people[20] = {2, std::nullopt};
    o.people[30] = {2, std::nullopt};
    return o;
}

TEST(ManagerDerivation, HeadThenParentHeadThenExplicit) {
    auto o = SmallOrg();
    EXPECT_EQ(EffectiveManager(o, 30), 20);            // the department head
    EXPECT_EQ(EffectiveManager(o, 20), 10);            // the head: the parent department's head
    EXPECT_EQ(EffectiveManager(o, 10), std::nullopt);  // the top
    o.people[30].manager_user_id = 10;
    EXPECT_EQ(EffectiveManager(o, 30), 10);  // explicit wins
    EXPECT_FALSE(FindManagerLoop(o));
}

TEST(ManagerDerivation, LoopsAreFound) {
    auto o = SmallOrg();
    o.people[10].manager_user_id = 30;  // 30 -> 20 -> 10 -> 30
    EXPECT_TRUE(FindManagerLoop(o));
    auto two = SmallOrg();
    two.people[20].manager_user_id = 30;
    two.people[30].manager_user_id = 20;
    EXPECT_TRUE(FindManagerLoop(two));
}

Absence Abs(core::Id id, core::Id user, std::string from, std::string to, std::optional<core::Id> sub,
            std::string kind = "vacation") {
    Absence a;
    a.id = id;
    a.user_id = user;
    a.kind = std::move(kind);
    a.starts_on = std::move(from);
    a.ends_on = std::move(to);
    a.substitute_user_id = sub;
    return a;
}

std::string KeyOf(const std::optional<core::Error>& e) {
    return e ? e->message_key + (e->fields.empty() ? "" : "|" + e->fields[0].field + "/" + e->fields[0].code) : "ok";
}

TEST(AbsenceRules, Conflicts) {
    std::vector<Absence> others = {Abs(1, 1, "2025-07-01", "2025-07-14", 2)};
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 1, "2025-07-14", "2025-07-20", 3), others)),
              "org.absence_overlap|starts_on/conflict");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 1, "2025-07-15", "2025-07-20", 3), others)), "ok");  // touching is fine
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-07-10", "2025-07-12", 1), others)),
              "org.substitute_absent|substitute_user_id/conflict");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 2, "2025-07-10", "2025-07-12", 1), others)),
              "org.substitute_loop|substitute_user_id/conflict");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-07-10", "2025-07-12", 3), others)),
              "|substitute_user_id/same_person");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-07-10", "2025-07-12", std::nullopt), others)),
              "|substitute_user_id/required");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-07-10", "2025-07-10", std::nullopt, "day_off"), others)), "ok");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-07-12", "2025-07-10", 4), others)), "|ends_on/before_start");
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 3, "2025-02-29", "2025-03-01", 4), others)), "|starts_on/invalid_date");
    others[0].cancelled_at = 1;
    EXPECT_EQ(KeyOf(CheckNewAbsence(Abs(0, 1, "2025-07-10", "2025-07-12", 3), others)), "ok");  // cancelled ignored
}

TEST(AbsenceRules, EffectiveAssigneeFollowsTheChain) {
    std::vector<Absence> all = {Abs(1, 1, "2025-07-01", "2025-07-14", 2), Abs(2, 2, "2025-07-10", "2025-07-12", 3),
                                Abs(3, 4, "2025-07-01", "2025-07-01", std::nullopt, "day_off")};
    EXPECT_EQ(EffectiveAssignee(1, "2025-06-30", all), 1);
    EXPECT_EQ(EffectiveAssignee(1, "2025-07-05", all), 2);
    EXPECT_EQ(EffectiveAssignee(1, "2025-07-11", all), 3);             // 1 -> 2 (away) -> 3
    EXPECT_EQ(EffectiveAssignee(4, "2025-07-01", all), std::nullopt);  // day off, no substitute: routing
    EXPECT_TRUE(IsAbsent(2, "2025-07-12", all));
    EXPECT_FALSE(IsAbsent(2, "2025-07-13", all));
    std::vector<Absence> loop = {Abs(1, 1, "2025-07-01", "2025-07-01", 2), Abs(2, 2, "2025-07-01", "2025-07-01", 1)};
    EXPECT_EQ(EffectiveAssignee(1, "2025-07-01", loop), std::nullopt);
}

TEST(RoleCatalog, EveryDefaultRoleIsValidAndUnique) {
    std::set<std::string> codes;
    for (const auto& r : DefaultCatalog()) {
        EXPECT_TRUE(ValidateRole(r, true).empty()) << r.code;
        EXPECT_TRUE(codes.insert(r.code).second) << r.code;
        EXPECT_FALSE(r.duties_ru.empty() || r.duties_en.empty() || r.kpis.empty()) << r.code;
    }
    EXPECT_GE(codes.size(), 21u);
    Role bad = DefaultCatalog().front();
    bad.permissions["lead"] = {"fly"};
    EXPECT_FALSE(ValidateRole(bad, false).empty());
}

}  // namespace
}  // namespace otdel::org
