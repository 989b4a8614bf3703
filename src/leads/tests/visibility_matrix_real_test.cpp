// The visibility matrix (ORG-6) on the real stores: every "lead" and "client" row of kMatrix
// (src/auth/tests/visibility_org_fixture.hpp) checked against LeadService and ClientsService — list, read by id,
// update and soft delete of a lead, a company and a contact owned as the row says — on every engine. The probe
// matrix proves the predicate; this proves each room puts it in every query. (Export has no endpoint yet in these
// rooms; its column is checked by the probe matrix.)
#include <date/date.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "auth/tests/visibility_probe.hpp"
#include "clients/clients_service.hpp"
#include "leads/lead_intake.hpp"
#include "leads/lead_service.hpp"
#include "leads/lead_store.hpp"

namespace otdel::leads {
namespace {

using auth::testing::kMatrix;
using auth::testing::kOps;
using auth::testing::MatrixRow;
using core::ErrorCode;

// Noon of the fixture's "today" in Moscow: absences and delegation are read for that day.
core::Millis Noon() {
    using namespace std::chrono;
    const auto day = date::sys_days(date::year(2025) / 6 / 18);
    return duration_cast<milliseconds>((day + hours(9)).time_since_epoch()).count();
}

class RealVisibilityMatrix : public ::testing::TestWithParam<db::Engine> {
protected:
    RealVisibilityMatrix()
        : world_(GetParam()),
          clock_(Noon()),
          clients_(world_.db(), clock_),
          intake_(world_.db(), clock_),
          leads_(world_.db(), clock_, clients_, intake_) {}

    static bool Allowed(const MatrixRow& m, char op) { return m.ops[kOps.find(op)] == op; }

    void SetOwner(const char* table, core::Id id, long long owner) {
        world_.Change([&](soci::session& sql) {
            long long i = id;
            soci::indicator ind = owner ? soci::i_ok : soci::i_null;
            sql << std::string("UPDATE ") + table + " SET owner_user_id = :o WHERE id = :id",
                soci::use(owner, ind, "o"), soci::use(i, "id");
        });
    }

    core::Id NewLead(long long owner, const std::string& title) {
        Lead l;
        l.workspace_id = world_.ws();
        l.title = title;
        l.channel = "manual";
        l.last_request_at = l.created_at = l.updated_at = clock_.NowMs();
        core::Id id = 0;
        world_.Change([&](soci::session& sql) { id = store::InsertLead(sql, l); });
        SetOwner("leads", id, owner);
        return id;
    }

    void CheckLead(const MatrixRow& m) {
        const long long owner = m.owner.empty() ? 0 : world_.User(m.owner);
        const std::string title = std::string(m.persona) + " → " + std::string(m.relationship);
        const core::Id id = NewLead(owner, title);
        const core::Actor a = world_.ActorOf(m.persona);
        LeadQuery q;
        q.statuses = {"all"};
        q.limit = 200;
        auto list = leads_.List(a, q);
        const bool listed =
            list.ok() && std::any_of(list->items.begin(), list->items.end(), [&](const Lead& l) { return l.id == id; });
        EXPECT_EQ(listed, Allowed(m, 'L')) << "list";
        auto got = leads_.Get(a, id);
        EXPECT_EQ(got.ok(), Allowed(m, 'R')) << "read";
        if (!got.ok()) {
            EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
        }
        LeadInput in;
        in.title = title + " (edited)";
        auto upd = leads_.Update(a, id, in);
        EXPECT_EQ(upd.ok(), Allowed(m, 'U')) << "update";
        if (!upd.ok()) {
            EXPECT_EQ(upd.error().code, ErrorCode::kNotFound);
        }
        auto del = leads_.Delete(a, id);
        EXPECT_EQ(del.ok(), Allowed(m, 'D')) << "delete";
        if (!del.ok()) {
            EXPECT_EQ(del.error().code, ErrorCode::kNotFound);
        }
        // A refused change left the row as it was.
        auto raw = leads_.Get(core::Actor::System(world_.ws()), id);
        if (!Allowed(m, 'D')) {
            ASSERT_TRUE(raw.ok());
            EXPECT_EQ(raw->title, Allowed(m, 'U') ? title + " (edited)" : title);
        }
    }

    void CheckClient(const MatrixRow& m) {
        const long long owner = m.owner.empty() ? 0 : world_.User(m.owner);
        const std::string name = std::string(m.persona) + " → " + std::string(m.relationship);
        const core::Actor sys = core::Actor::System(world_.ws());
        clients::CompanyInput ci;
        ci.name = "ООО «" + name + "»";
        auto company = clients_.CreateCompany(sys, ci);
        ASSERT_TRUE(company.ok());
        SetOwner("companies", company->company.id, owner);
        clients::ContactInput pi;
        pi.last_name = "Иванов";
        pi.first_name = name;
        auto contact = clients_.CreateContact(sys, pi);
        ASSERT_TRUE(contact.ok());
        SetOwner("contacts", contact->contact.id, owner);
        const core::Id cid = company->company.id, pid = contact->contact.id;
        const core::Actor a = world_.ActorOf(m.persona);
        clients::ListQuery q;
        q.filter.limit = 200;
        auto companies = clients_.ListCompanies(a, q);
        EXPECT_EQ(companies.ok() && std::any_of(companies->items.begin(), companies->items.end(),
                                                [&](const clients::Company& c) { return c.id == cid; }),
                  Allowed(m, 'L'))
            << "company list";
        auto contacts = clients_.ListContacts(a, q);
        EXPECT_EQ(contacts.ok() && std::any_of(contacts->items.begin(), contacts->items.end(),
                                               [&](const clients::Contact& c) { return c.id == pid; }),
                  Allowed(m, 'L'))
            << "contact list";
        EXPECT_EQ(clients_.GetCompany(a, cid).ok(), Allowed(m, 'R')) << "company read";
        EXPECT_EQ(clients_.GetContact(a, pid).ok(), Allowed(m, 'R')) << "contact read";
        clients::CompanyInput cu;
        cu.name = *ci.name + " (edited)";
        auto cupd = clients_.UpdateCompany(a, cid, cu);
        EXPECT_EQ(cupd.ok(), Allowed(m, 'U')) << "company update";
        clients::ContactInput pu;
        pu.first_name = name + " (edited)";
        EXPECT_EQ(clients_.UpdateContact(a, pid, pu).ok(), Allowed(m, 'U')) << "contact update";
        if (!cupd.ok()) {
            // A card the caller cannot see does not exist for them (404); one they may read but not change is
            // refused as such (403 clients.write_forbidden) — neither leaks an id.
            if (Allowed(m, 'R')) {
                EXPECT_TRUE(cupd.error().code == ErrorCode::kForbidden || cupd.error().code == ErrorCode::kNotFound);
            } else {
                EXPECT_EQ(cupd.error().code, ErrorCode::kNotFound);
            }
            EXPECT_EQ(clients_.GetCompany(sys, cid)->company.name, ci.name) << "a refused update changed the card";
        }
        EXPECT_EQ(clients_.DeleteCompany(a, cid).ok(), Allowed(m, 'D')) << "company delete";
        EXPECT_EQ(clients_.DeleteContact(a, pid).ok(), Allowed(m, 'D')) << "contact delete";
    }

    auth::testing::OrgWorld world_;
    core::ManualClock clock_;
    clients::ClientsService clients_;
    LeadIntake intake_;
    LeadService leads_;
};

TEST_P(RealVisibilityMatrix, LeadsCompaniesAndContactsFollowTheMatrix) {
    int rows = 0;
    for (const auto& m : kMatrix) {
        SCOPED_TRACE(::testing::Message()
                     << m.persona << " on " << m.relationship << " (" << (m.owner.empty() ? "-" : m.owner) << ") "
                     << m.object << ", expected " << m.ops);
        if (m.object == "lead") {
            CheckLead(m);
            ++rows;
        } else if (m.object == "client") {
            CheckClient(m);
            ++rows;
        }
    }
    EXPECT_GT(rows, 50);
}

INSTANTIATE_TEST_SUITE_P(Engines, RealVisibilityMatrix, ::testing::ValuesIn(::otdel::testing::Engines()),
                         [](const auto& info) { return ::otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::leads
