// The pure permission set: what a role may do with an object type, independent of which rows it sees.
#include "auth/permissions.hpp"

#include <gtest/gtest.h>

namespace otdel::auth {
namespace {

PermissionSet Seller() {
    PermissionSet p;
    for (Action a : {Action::kCreate, Action::kRead, Action::kUpdate, Action::kDelete}) p.Grant("lead", a);
    p.Grant("client", Action::kRead);
    return p;
}

TEST(Permissions, EmptySetAllowsNothing) {
    const PermissionSet none;
    EXPECT_TRUE(none.empty());
    for (Action a : AllActions()) {
        EXPECT_FALSE(none.Can(a, "lead")) << ActionName(a);
        EXPECT_FALSE(none.CanWrite(a, "lead")) << ActionName(a);
    }
}

TEST(Permissions, GrantedActionsOnlyOnTheirObjectType) {
    const PermissionSet p = Seller();
    EXPECT_TRUE(p.Can(Action::kRead, "lead"));
    EXPECT_TRUE(p.Can(Action::kUpdate, "lead"));
    EXPECT_FALSE(p.Can(Action::kExport, "lead"));
    EXPECT_FALSE(p.Can(Action::kAssign, "lead"));
    EXPECT_TRUE(p.Can(Action::kRead, "client"));
    EXPECT_FALSE(p.Can(Action::kUpdate, "client"));
    EXPECT_FALSE(p.Can(Action::kRead, "deal"));
    // Object types are exact names: no prefix, case or plural folding.
    EXPECT_FALSE(p.Can(Action::kRead, "leads"));
    EXPECT_FALSE(p.Can(Action::kRead, "Lead"));
    EXPECT_FALSE(p.Can(Action::kRead, "leadx"));
    EXPECT_FALSE(p.Can(Action::kRead, ""));
}

TEST(Permissions, CanWriteIsOnlyForWriteActions) {
    const PermissionSet p = Seller();
    EXPECT_TRUE(p.CanWrite(Action::kCreate, "lead"));
    EXPECT_TRUE(p.CanWrite(Action::kUpdate, "lead"));
    EXPECT_TRUE(p.CanWrite(Action::kDelete, "lead"));
    EXPECT_FALSE(p.CanWrite(Action::kAssign, "lead"));  // not granted
    EXPECT_FALSE(p.CanWrite(Action::kRead, "lead"));    // granted, but reading is not writing
    EXPECT_FALSE(p.CanWrite(Action::kUpdate, "client"));
}

TEST(Permissions, WriteActionsAreCreateUpdateDeleteAssign) {
    EXPECT_TRUE(IsWrite(Action::kCreate));
    EXPECT_TRUE(IsWrite(Action::kUpdate));
    EXPECT_TRUE(IsWrite(Action::kDelete));
    EXPECT_TRUE(IsWrite(Action::kAssign));
    EXPECT_FALSE(IsWrite(Action::kRead));
    EXPECT_FALSE(IsWrite(Action::kExport));
}

TEST(Permissions, WildcardObjectTypeGrantsEverywhere) {
    PermissionSet p;
    p.Grant(kAnyObject, Action::kRead);
    p.Grant("report", Action::kExport);
    EXPECT_TRUE(p.Can(Action::kRead, "lead"));
    EXPECT_TRUE(p.Can(Action::kRead, "anything"));
    EXPECT_FALSE(p.Can(Action::kExport, "lead"));
    EXPECT_TRUE(p.Can(Action::kExport, "report"));
    EXPECT_TRUE(p.Can(Action::kRead, "report"));  // from "*"
}

TEST(Permissions, EverythingAllowsEveryActionOnEveryType) {
    const PermissionSet all = PermissionSet::Everything();
    for (Action a : AllActions()) {
        EXPECT_TRUE(all.Can(a, "lead")) << ActionName(a);
        EXPECT_TRUE(all.Can(a, "ticket")) << ActionName(a);
    }
}

TEST(Permissions, ActionNamesRoundTrip) {
    ASSERT_EQ(AllActions().size(), 6u);
    for (Action a : AllActions()) {
        auto parsed = ParseAction(ActionName(a));
        ASSERT_TRUE(parsed.has_value()) << ActionName(a);
        EXPECT_EQ(*parsed, a);
    }
    EXPECT_EQ(ActionName(Action::kExport), "export");
    EXPECT_FALSE(ParseAction("READ").has_value());
    EXPECT_FALSE(ParseAction("write").has_value());
    EXPECT_FALSE(ParseAction("").has_value());
}

TEST(Permissions, GrantIsIdempotentAndListsWhatWasGranted) {
    PermissionSet p;
    p.Grant("lead", Action::kUpdate);
    p.Grant("lead", Action::kRead);
    p.Grant("lead", Action::kUpdate);
    p.Grant("client", Action::kExport);
    EXPECT_EQ(p.ObjectTypes(), (std::vector<std::string>{"client", "lead"}));
    EXPECT_EQ(p.Actions("lead"), (std::vector<Action>{Action::kRead, Action::kUpdate}));
    EXPECT_TRUE(p.Actions("deal").empty());
    PermissionSet q;
    q.Grant("client", Action::kExport);
    q.Grant("lead", Action::kRead);
    q.Grant("lead", Action::kUpdate);
    EXPECT_EQ(p, q);
}

}  // namespace
}  // namespace otdel::auth
