// THE visibility matrix (ORG-6): every persona of the generated org against records of every relationship, for
// list, by-id read, update, delete and export, on every engine. Expected outcomes are data (kMatrix in
// visibility_org_fixture.hpp); allowed operations must succeed, forbidden ones must look like a missing record
// and change nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "auth/tests/visibility_probe.hpp"

namespace otdel::auth::testing {
namespace {

using core::ErrorCode;

bool Contains(const std::vector<ProbeRow>& rows, long long id) {
    return std::any_of(rows.begin(), rows.end(), [&](const ProbeRow& r) { return r.id == id; });
}

std::set<long long> Ids(const std::vector<ProbeRow>& rows) {
    std::set<long long> out;
    for (const auto& r : rows) out.insert(r.id);
    return out;
}

class VisibilityMatrix : public ::testing::TestWithParam<db::Engine> {
protected:
    VisibilityMatrix() : world_(GetParam()) {}

    Visibility& For(std::string_view persona) {
        auto it = cache_.find(persona);
        if (it == cache_.end()) {
            it = cache_.emplace(std::string(persona), std::make_unique<Visibility>(world_.VisibilityOf(persona))).first;
        }
        return *it->second;
    }

    // One matrix row on a fresh record of its own: list, read, export, then update and soft delete. A failed
    // assertion ends this row only, so one run reports every wrong cell.
    void CheckRow(const MatrixRow& m) {
        ProbeStore& store = world_.store();
        ASSERT_EQ(m.ops.size(), kOps.size()) << m.persona << "/" << m.relationship;
        const std::string kind(m.object);
        const long long owner = m.owner.empty() ? 0 : world_.User(m.owner);
        const std::string title = std::string(m.persona) + " → " + std::string(m.relationship) + " " + kind;
        const long long id = world_.AddProbe(world_.ws(), kind, owner, title);
        const Visibility& vis = For(m.persona);
        auto allowed = [&](char op) { return m.ops[kOps.find(op)] == op; };
        SCOPED_TRACE(::testing::Message()
                     << m.persona << " on " << m.relationship << " (" << (m.owner.empty() ? "-" : m.owner) << ") "
                     << kind << ", expected " << m.ops);

        // List: the record is in the keyset-paginated list exactly when allowed.
        {
            auto list = store.ListAll(vis, kind);
            if (allowed('L')) {
                ASSERT_TRUE(list.ok()) << "list refused";
                EXPECT_TRUE(Contains(*list, id)) << "list misses an allowed record";
            } else {
                EXPECT_TRUE(!list.ok() ? list.error().code == ErrorCode::kForbidden : !Contains(*list, id))
                    << "list shows a forbidden record";
            }
        }
        // Read by id.
        {
            auto got = store.Get(vis, kind, id);
            if (allowed('R')) {
                ASSERT_TRUE(got.ok()) << "read by id refused";
                EXPECT_EQ(got->title, title);
                EXPECT_EQ(got->owner_user_id, owner);
            } else {
                ASSERT_FALSE(got.ok()) << "read by id of a forbidden record succeeded";
                EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
            }
        }
        // Export.
        {
            auto exported = store.Export(vis, kind);
            if (allowed('E')) {
                ASSERT_TRUE(exported.ok()) << "export refused";
                EXPECT_TRUE(Contains(*exported, id)) << "export misses an allowed record";
            } else {
                EXPECT_TRUE(!exported.ok() ? exported.error().code == ErrorCode::kForbidden : !Contains(*exported, id))
                    << "export carries a forbidden record";
            }
        }
        // Update.
        {
            const auto before = world_.Raw(id);
            ASSERT_TRUE(before.has_value());
            auto r = store.Update(vis, kind, id, title + " (edited)");
            const auto after = world_.Raw(id);
            ASSERT_TRUE(after.has_value());
            if (allowed('U')) {
                ASSERT_TRUE(r.ok()) << "update refused";
                EXPECT_EQ(after->title, title + " (edited)");
                EXPECT_EQ(after->owner_user_id, before->owner_user_id);
            } else {
                ASSERT_FALSE(r.ok()) << "update of a forbidden record succeeded";
                EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
                EXPECT_EQ(*after, *before) << "a refused update changed the row";
            }
        }
        // Soft delete.
        {
            const auto before = world_.Raw(id);
            auto r = store.Delete(vis, kind, id);
            const auto after = world_.Raw(id);
            ASSERT_TRUE(after.has_value());
            if (allowed('D')) {
                ASSERT_TRUE(r.ok()) << "delete refused";
                EXPECT_TRUE(after->deleted);
                EXPECT_FALSE(store.Get(vis, kind, id).ok()) << "a deleted record is still readable";
                EXPECT_FALSE(store.Delete(vis, kind, id).ok()) << "a deleted record was deleted twice";
            } else {
                ASSERT_FALSE(r.ok()) << "delete of a forbidden record succeeded";
                EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
                EXPECT_EQ(*after, *before) << "a refused delete changed the row";
            }
        }
    }

    OrgWorld world_;
    std::map<std::string, std::unique_ptr<Visibility>, std::less<>> cache_;
};

TEST_P(VisibilityMatrix, EveryPersonaRelationshipAndOperation) {
    int cells = 0, allowed_cells = 0;
    for (const MatrixRow& m : kMatrix) {
        CheckRow(m);
        cells += static_cast<int>(kOps.size());
        allowed_cells += static_cast<int>(std::count_if(m.ops.begin(), m.ops.end(), [](char c) { return c != '-'; }));
    }
    std::printf("[ matrix   ] %s: %zu rows, %d cells (%d allowed, %d forbidden)\n",
                std::string(db::EngineName(GetParam())).c_str(), std::size(kMatrix), cells, allowed_cells,
                cells - allowed_cells);
}

// Lists and exports show exactly what by-id reads allow: for every persona, the listed ids are the ids readable
// one by one, and COUNT(*) under the same condition agrees.
TEST_P(VisibilityMatrix, ListCountExportAndByIdAgreeForEveryPersona) {
    ProbeStore& store = world_.store();
    std::vector<long long> ids;
    for (const auto& p : kPeople) {
        ids.push_back(world_.AddProbe(world_.ws(), "lead", world_.User(p.key), std::string(p.key)));
    }
    ids.push_back(world_.AddProbe(world_.ws(), "lead", 0, "unassigned"));
    for (const auto& p : kPeople) {
        SCOPED_TRACE(std::string(p.key));
        const Visibility vis = world_.VisibilityOf(p.key);
        std::set<long long> readable;
        for (long long id : ids) {
            if (store.Get(vis, "lead", id).ok()) readable.insert(id);
        }
        auto list = store.ListAll(vis, "lead", 3);
        if (!vis.Can(Action::kRead, "lead")) {
            EXPECT_TRUE(readable.empty());
            EXPECT_FALSE(list.ok());
            continue;
        }
        ASSERT_TRUE(list.ok());
        EXPECT_EQ(Ids(*list), readable);
        auto count = store.Count(vis, "lead");
        ASSERT_TRUE(count.ok());
        EXPECT_EQ(*count, static_cast<long long>(list->size()));
        if (vis.Can(Action::kExport, "lead")) {
            auto exported = store.Export(vis, "lead");
            ASSERT_TRUE(exported.ok());
            EXPECT_EQ(Ids(*exported), readable);
        }
    }
}

// Keyset pagination under the condition: pages of any size concatenate to the full list, newest first, with no
// duplicates and no gaps, even when invisible rows sit between visible ones.
TEST_P(VisibilityMatrix, KeysetPagesConcatenateToTheFullList) {
    ProbeStore& store = world_.store();
    const char* owners[] = {"seller_n1", "seller_s1", "seller_n2", "head_s", "kam", "dismissed", "leader"};
    for (int i = 0; i < 40; ++i) {
        world_.AddProbe(world_.ws(), "lead", world_.User(owners[i % std::size(owners)]), "row " + std::to_string(i));
    }
    for (std::string_view persona : {"head_n", "seller_s1", "analyst", "leader"}) {
        SCOPED_TRACE(std::string(persona));
        const Visibility vis = world_.VisibilityOf(persona);
        auto whole = store.Page(vis, "lead", std::numeric_limits<long long>::max(), 1000);
        ASSERT_TRUE(whole.ok());
        ASSERT_FALSE(whole->empty());
        ASSERT_TRUE(std::is_sorted(whole->begin(), whole->end(),
                                   [](const ProbeRow& a, const ProbeRow& b) { return a.id > b.id; }));
        for (int page_size : {1, 2, 5, 11}) {
            auto paged = store.ListAll(vis, "lead", page_size);
            ASSERT_TRUE(paged.ok());
            EXPECT_EQ(*paged, *whole) << "page size " << page_size;
        }
        auto count = store.Count(vis, "lead");
        ASSERT_TRUE(count.ok());
        EXPECT_EQ(*count, static_cast<long long>(whole->size()));
    }
    // The north head's rows: seller_n1, seller_n2, kam and the dismissed seller, i % 7 in {0, 2, 4, 5}; of
    // i = 0..39, residues 0..4 occur 6 times and 5..6 five times: 6 + 6 + 6 + 5.
    auto north = store.Count(world_.VisibilityOf("head_n"), "lead");
    ASSERT_TRUE(north.ok());
    EXPECT_EQ(*north, 23);
}

// Rows of another workspace never appear — not even when their owner id is a user of the caller's workspace —
// and nothing the other tenant does reaches this one.
TEST_P(VisibilityMatrix, OtherWorkspacesRowsAreNeverVisible) {
    ProbeStore& store = world_.store();
    const long long foreign_owned_by_our_seller =
        world_.AddProbe(world_.other_ws(), "lead", world_.User("seller_n1"), "lyutik, owner id of ours");
    const long long foreign = world_.AddProbe(world_.other_ws(), "lead", world_.OtherHead(), "lyutik");
    const long long foreign_unassigned = world_.AddProbe(world_.other_ws(), "lead", 0, "lyutik pool");
    const long long ours = world_.AddProbe(world_.ws(), "lead", world_.User("seller_n1"), "romashka");

    auto check_invisible = [&](const Visibility& vis, long long id, const char* who) {
        SCOPED_TRACE(who);
        const auto before = world_.Raw(id);
        auto list = store.ListAll(vis, "lead");
        if (list.ok()) {
            EXPECT_FALSE(Contains(*list, id));
        }
        auto exported = store.Export(vis, "lead");
        if (exported.ok()) {
            EXPECT_FALSE(Contains(*exported, id));
        }
        auto got = store.Get(vis, "lead", id);
        ASSERT_FALSE(got.ok());
        EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
        auto upd = store.Update(vis, "lead", id, "hijacked");
        ASSERT_FALSE(upd.ok());
        EXPECT_EQ(upd.error().code, ErrorCode::kNotFound);
        auto del = store.Delete(vis, "lead", id);
        ASSERT_FALSE(del.ok());
        EXPECT_EQ(del.error().code, ErrorCode::kNotFound);
        EXPECT_EQ(world_.Raw(id), before);
    };
    for (const auto& p : kPeople) {
        const Visibility vis = world_.VisibilityOf(p.key);
        for (long long id : {foreign_owned_by_our_seller, foreign, foreign_unassigned}) {
            check_invisible(vis, id, p.key.data());
        }
    }
    // The other tenant's administrator and head see their rows, never ours.
    const Visibility other_admin = world_.VisibilityOf(world_.ActorOf(world_.other_ws(), world_.OtherAdmin(), true));
    const Visibility other_head = world_.VisibilityOf(world_.ActorOf(world_.other_ws(), world_.OtherHead(), false));
    check_invisible(other_admin, ours, "other admin");
    check_invisible(other_head, ours, "other head");
    auto theirs = store.ListAll(other_admin, "lead");
    ASSERT_TRUE(theirs.ok());
    EXPECT_EQ(Ids(*theirs), (std::set<long long>{foreign_owned_by_our_seller, foreign, foreign_unassigned}));
    // An actor claiming our workspace with the other tenant's user id gets no employee row, hence nothing.
    const Visibility forged = world_.VisibilityOf(world_.ActorOf(world_.ws(), world_.OtherHead(), false));
    EXPECT_EQ(forged.scope(), Scope::kNone);
    check_invisible(forged, ours, "forged");
}

// Delegation lasts exactly the absence's days (both ends included) and disappears when the absence is cancelled.
TEST_P(VisibilityMatrix, DelegationFollowsTheAbsenceDays) {
    ProbeStore& store = world_.store();
    const long long record = world_.AddProbe(world_.ws(), "lead", world_.User("seller_n2"), "while away");
    struct Day {
        std::string_view day;
        bool delegated;
    };
    // kAbsences: seller_n2 away 2025-06-16 .. 2025-06-22 with seller_s1 as substitute.
    for (const Day& d : {Day{"2025-06-15", false}, Day{"2025-06-16", true}, Day{"2025-06-18", true},
                         Day{"2025-06-22", true}, Day{"2025-06-23", false}, Day{"2026-06-18", false}}) {
        SCOPED_TRACE(std::string(d.day));
        const Visibility sub = world_.VisibilityOf("seller_s1", d.day);
        EXPECT_EQ(store.Get(sub, "lead", record).ok(), d.delegated);
        auto list = store.ListAll(sub, "lead");
        ASSERT_TRUE(list.ok());
        EXPECT_EQ(Contains(*list, record), d.delegated);
        // Someone else from the south never gets it.
        EXPECT_FALSE(store.Get(world_.VisibilityOf("seller_s2", d.day), "lead", record).ok());
    }
    // Cancel the absence: the substitute loses the records at once, and the refused update changes nothing.
    world_.Change([&](soci::session& sql) {
        long long ws = world_.ws(), uid = world_.User("seller_n2"), now = kNow;
        sql << "UPDATE absences SET cancelled_at = :now WHERE workspace_id = :ws AND user_id = :uid",
            soci::use(now, "now"), soci::use(ws, "ws"), soci::use(uid, "uid");
    });
    const Visibility sub = world_.VisibilityOf("seller_s1");
    EXPECT_EQ(store.Get(sub, "lead", record).error().code, ErrorCode::kNotFound);
    const auto before = world_.Raw(record);
    EXPECT_EQ(store.Update(sub, "lead", record, "changed").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(world_.Raw(record), before);
    // A team head substituting someone outside her subtree gets that person's records too.
    world_.Change([&](soci::session& sql) {
        world_.AddAbsence(sql, world_.ws(), world_.User("seller_n1"), world_.User("head_s"), "2025-06-18", "2025-06-19",
                          false);
    });
    const long long n1 = world_.AddProbe(world_.ws(), "lead", world_.User("seller_n1"), "north");
    EXPECT_TRUE(store.Update(world_.VisibilityOf("head_s"), "lead", n1, "covered").ok());
    EXPECT_FALSE(store.Get(world_.VisibilityOf("head_s", "2025-06-20"), "lead", n1).ok());
}

// Moving a person to another branch moves their records' visibility with them (the condition reads the tree at
// query time), and a dismissed person's records stay with the chain they were in.
TEST_P(VisibilityMatrix, VisibilityFollowsTheTreeAtQueryTime) {
    ProbeStore& store = world_.store();
    const long long record = world_.AddProbe(world_.ws(), "lead", world_.User("seller_s2"), "moves north");
    const Visibility head_n = world_.VisibilityOf("head_n");
    const Visibility head_s = world_.VisibilityOf("head_s");
    EXPECT_FALSE(store.Get(head_n, "lead", record).ok());
    EXPECT_TRUE(store.Get(head_s, "lead", record).ok());
    world_.Change([&](soci::session& sql) {
        long long ws = world_.ws(), uid = world_.User("seller_s2");
        sql << "UPDATE employees SET department_id = 21, manager_user_id = NULL WHERE workspace_id = :ws AND "
               "user_id = :uid",
            soci::use(ws, "ws"), soci::use(uid, "uid");
    });
    EXPECT_TRUE(store.Get(head_n, "lead", record).ok());
    EXPECT_FALSE(store.Get(head_s, "lead", record).ok());
    EXPECT_TRUE(store.Get(world_.VisibilityOf("leader"), "lead", record).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, VisibilityMatrix, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::auth::testing
