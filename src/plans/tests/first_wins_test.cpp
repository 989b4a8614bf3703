// The clients' first wins (migration 0026, plan_first_wins) on both engines: a randomised history of deals of a few
// companies and contacts — won, reopened, lost, re-dated, soft- and hard-deleted and restored, moved to another
// company or contact (or to none), re-owned, some without an owner or owned by a non-employee, ties on the close
// instant — written with plain SQL after the table exists, so only the triggers keep it. After every round the table
// must equal the first wins computed from the deals by the KPI store's own definition (the earliest live won deal of
// the company, else of the contact; ties by id), and plan vs fact's new clients through the table must equal those
// the records give (use_rollups = false) for months, a quarter and the year, as the head and as a seller. With one of
// the triggers dropped the same kind of history makes them differ.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <sstream>
#include <thread>

#include "auth/visibility.hpp"
#include "db/migrations.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "plan_fact_dump.hpp"
#include "plans/kpi_store.hpp"
#include "plans/plans_service.hpp"

namespace otdel::plans {
namespace {

using core::kDay;
using core::kHour;
using leads::testing::LeadsFixture;
// 2026-02-01 00:00 Moscow time.
constexpr core::Millis kFeb = 1'769'893'200'000;

// The first wins by the KPI store's definition (kpi_store.cpp, kFirstWinsWhere without the window): a live won deal
// with a close instant and a client, with no other live won deal of the same client closed earlier (or at the same
// instant with a lower id).
constexpr const char* kReference =
    "SELECT CASE WHEN d.company_id IS NOT NULL THEN 'c' ELSE 'p' END, COALESCE(d.company_id, d.contact_id), d.id, "
    "COALESCE(d.owner_user_id, 0), d.closed_at FROM deals d WHERE d.workspace_id = :ws AND d.deleted_at IS NULL AND "
    "d.status = 'won' AND d.closed_at IS NOT NULL AND (d.company_id IS NOT NULL OR d.contact_id IS NOT NULL) AND NOT "
    "EXISTS (SELECT 1 FROM deals d2 WHERE d2.workspace_id = d.workspace_id AND d2.status = 'won' AND d2.deleted_at IS "
    "NULL AND d2.id <> d.id AND ((d.company_id IS NOT NULL AND d2.company_id = d.company_id) OR (d.company_id IS NULL "
    "AND d2.company_id IS NULL AND d2.contact_id = d.contact_id)) AND (d2.closed_at < d.closed_at OR (d2.closed_at = "
    "d.closed_at AND d2.id < d.id))) ORDER BY 1, 2";
constexpr const char* kTable =
    "SELECT client_kind, client_id, deal_id, COALESCE(owner_user_id, 0), closed_at FROM plan_first_wins WHERE "
    "workspace_id = :ws ORDER BY 1, 2";

using test_support::Dump;

class FirstWinsTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        // "Now": 2026-04-21 13:00 Moscow.
        clock_.Set(kFeb + 79 * kDay + 13 * kHour);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда", sales_);
        sellers_ = {Person("s1@t.test", "account_manager", team_), Person("s2@t.test", "account_manager", team_),
                    Person("s3@t.test", "account_manager", sales_)};
        head_ = Person("rop@t.test", "head_of_sales", sales_);
        plans_ = std::make_unique<PlansService>(tdb_.db(), clock_);
        PlansConfig raw_config;
        raw_config.use_rollups = false;
        raw_ = std::make_unique<PlansService>(tdb_.db(), clock_, raw_config);
        const std::string ws = std::to_string(ws_);
        Exec("UPDATE workspaces SET time_zone = 'Europe/Moscow' WHERE id = " + ws);
        auto stranger =
            auth_->CreateUser(auth::NewUser{ws_, "x@t.test", "x@t.test", "password-123", "ru", false}, sys_);
        ASSERT_TRUE(stranger.ok());
        stranger_ = *stranger;
        Exec("INSERT INTO pipelines (workspace_id, name, position, is_default, created_at, updated_at) VALUES (" + ws +
             ", 'Клиенты', 99, 0, 0, 0)");
        pipeline_ = Count("SELECT MAX(id) FROM pipelines WHERE workspace_id = " + ws);
        const char* kinds[] = {"open", "won", "lost"};
        for (int s = 0; s < 3; ++s) {
            Exec(
                "INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind, "
                "created_at, updated_at) VALUES (" +
                ws + ", " + std::to_string(pipeline_) + ", 'Этап " + std::to_string(s) + "', " + std::to_string(s) +
                ", 10, '" + kinds[s] + "', 0, 0)");
            stages_.push_back(Count("SELECT MAX(id) FROM pipeline_stages WHERE workspace_id = " + ws));
        }
        for (int i = 0; i < 5; ++i) {
            Exec("INSERT INTO companies (workspace_id, name, created_at, updated_at) VALUES (" + ws + ", 'ООО " +
                 std::to_string(i) + "', 0, 0)");
            companies_.push_back(Count("SELECT MAX(id) FROM companies WHERE workspace_id = " + ws));
            Exec("INSERT INTO contacts (workspace_id, full_name, created_at, updated_at) VALUES (" + ws + ", 'Лицо " +
                 std::to_string(i) + "', 0, 0)");
            contacts_.push_back(Count("SELECT MAX(id) FROM contacts WHERE workspace_id = " + ws));
        }
        for (const auto& [kind, first, last] :
             {std::tuple{"month", "2026-03-01", "2026-03-31"}, std::tuple{"quarter", "2026-04-01", "2026-06-30"},
              std::tuple{"year", "2026-01-01", "2026-12-31"}}) {
            for (core::Id s : sellers_) Plan(kind, first, last, "NULL", std::to_string(s));
            Plan(kind, first, last, std::to_string(team_), "NULL");
        }
    }

    void Exec(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok()) << text;
    }

    void Plan(const char* kind, const char* first, const char* last, const std::string& dept, const std::string& user) {
        Exec(
            "INSERT INTO sales_plans (workspace_id, period_kind, first_day, last_day, department_id, owner_user_id, "
            "metric, target, currency, created_at, updated_at) VALUES (" +
            std::to_string(ws_) + ", '" + kind + "', '" + first + "', '" + last + "', " + dept + ", " + user +
            ", 'new_clients', " + std::to_string(1 + rng_() % 10) + ", 'RUB', 0, 0)");
    }

    std::string Pick(const std::vector<long long>& ids) { return std::to_string(ids[rng_() % ids.size()]); }
    std::string Owner() {
        const int k = static_cast<int>(rng_() % 7);
        if (k == 6) return "NULL";
        if (k == 5) return std::to_string(stranger_);
        if (k == 4) return std::to_string(head_);
        return std::to_string(sellers_[k % 3]);
    }
    // A close instant in February–May, on a few distinct hours so that ties happen.
    std::string Closed() {
        return std::to_string(kFeb + static_cast<core::Millis>(rng_() % 110) * kDay + (rng_() % 3) * 7 * kHour);
    }
    // A client: a company (with or without a contact), a contact only, or nobody.
    std::pair<std::string, std::string> Client() {
        switch (rng_() % 5) {
            case 0:
            case 1: return {Pick(companies_), "NULL"};
            case 2: return {Pick(companies_), Pick(contacts_)};
            case 3: return {"NULL", Pick(contacts_)};
            default: return {"NULL", rng_() % 2 ? "NULL" : Pick(contacts_)};
        }
    }

    void NewDeal() {
        const int s = static_cast<int>(rng_() % 3);
        const auto [company, contact] = Client();
        const std::string status = s == 0 ? "open" : s == 1 ? "won" : "lost";
        // Now and then a won deal without a close instant: it is nobody's first win.
        const std::string closed = s == 0 || rng_() % 20 == 0 ? "NULL" : Closed();
        Exec(
            "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, company_id, contact_id, owner_user_id, "
            "amount_minor, currency, status, stage_entered_at, last_activity_at, closed_at, created_at, updated_at, "
            "deleted_at) VALUES (" +
            std::to_string(ws_) + ", " + std::to_string(pipeline_) + ", " + std::to_string(stages_[s]) +
            ", 'Сделка', " + company + ", " + contact + ", " + Owner() + ", 1000, 'RUB', '" + status + "', " +
            std::to_string(kFeb) + ", " + std::to_string(kFeb) + ", " + closed + ", " + std::to_string(kFeb) + ", " +
            std::to_string(kFeb) + ", " + (rng_() % 12 == 0 ? "1" : "NULL") + ")");
    }

    // One change to a random deal, as any writer could make it.
    void Change() {
        const std::string ws = std::to_string(ws_);
        const long long n = Count("SELECT COUNT(*) FROM deals WHERE workspace_id = " + ws);
        if (n == 0) return;
        const std::string id = "(SELECT id FROM deals WHERE workspace_id = " + ws + " ORDER BY id LIMIT 1 OFFSET " +
                               std::to_string(rng_() % static_cast<unsigned long long>(n)) + ")";
        const std::string where = " WHERE workspace_id = " + ws + " AND id = " + id;
        switch (rng_() % 11) {
            case 0:  // won (again) at some instant
                Exec("UPDATE deals SET status = 'won', stage_id = " + std::to_string(stages_[1]) +
                     ", closed_at = " + Closed() + where);
                break;
            case 1:  // reopened
                Exec("UPDATE deals SET status = 'open', stage_id = " + std::to_string(stages_[0]) +
                     ", closed_at = NULL" + where);
                break;
            case 2:  // lost
                Exec("UPDATE deals SET status = 'lost', stage_id = " + std::to_string(stages_[2]) +
                     ", closed_at = " + Closed() + where);
                break;
            case 3: Exec("UPDATE deals SET closed_at = " + Closed() + where); break;  // re-dated
            case 4: Exec("UPDATE deals SET deleted_at = 5" + where); break;
            case 5: Exec("UPDATE deals SET deleted_at = NULL" + where); break;
            case 6: Exec("DELETE FROM deals" + where); break;
            case 7: Exec("UPDATE deals SET company_id = " + (rng_() % 3 ? Pick(companies_) : "NULL") + where); break;
            case 8: Exec("UPDATE deals SET contact_id = " + (rng_() % 3 ? Pick(contacts_) : "NULL") + where); break;
            case 9: Exec("UPDATE deals SET owner_user_id = " + Owner() + where); break;
            default: NewDeal(); break;
        }
    }

    std::vector<std::string> Rows(const char* text) {
        std::vector<std::string> out;
        auto r = tdb_.db().Read([&](soci::session& sql) {
            long long ws = ws_, client = 0, deal = 0, owner = 0, closed = 0;
            std::string kind;
            soci::statement st = (sql.prepare << text, soci::use(ws, "ws"), soci::into(kind), soci::into(client),
                                  soci::into(deal), soci::into(owner), soci::into(closed));
            st.execute(false);
            while (st.fetch())
                out.push_back(kind + std::to_string(client) + " deal " + std::to_string(deal) + " owner " +
                              std::to_string(owner) + " at " + std::to_string(closed));
            return 0;
        });
        (void)r;
        return out;
    }

    // Plan vs fact's new clients through the table == through the records, for every period, head and seller.
    void ExpectSamePlanFact(const std::string& when) {
        for (core::Id who : {head_, sellers_[0]})
            for (const auto& [period, date] : {std::pair{"month", "2026-02-01"}, std::pair{"month", "2026-03-10"},
                                               std::pair{"quarter", "2026-04-01"}, std::pair{"year", "2026-01-01"}}) {
                PlanVsFactQuery q;
                q.period = period;
                q.date = date;
                q.metrics = {"new_clients"};
                auto t = plans_->PlanVsFact(As(who), q);
                auto r = raw_->PlanVsFact(As(who), q);
                ASSERT_TRUE(t.ok() && r.ok()) << when;
                ASSERT_FALSE(t->rows.empty());
                EXPECT_EQ(Dump(*t), Dump(*r)) << when << " as " << who << " " << period << " " << date;
                ++compared_;
            }
    }

    // The KPI store's first wins (goals, KPIs, the drill-down) through the table == from the records, for windows
    // and filters (a person, a department, a pipeline), under the head's and a seller's visibility.
    void ExpectSameKpiFirstWins(const std::string& when) {
        auto r = tdb_.db().Read([&](soci::session& sql) {
            for (core::Id who : {head_, sellers_[0]}) {
                const auth::Visibility vis = auth::BuildVisibility(sql, As(who), "2026-04-21");
                for (const auto& [from, to] :
                     {std::pair{kFeb, kFeb + 28 * kDay}, std::pair{kFeb + 28 * kDay, kFeb + 59 * kDay},
                      std::pair{kFeb - 31 * kDay, kFeb + 334 * kDay}})
                    for (int filter = 0; filter < 4; ++filter) {
                        KpiFilter f;
                        f.workspace_id = ws_;
                        f.first_day = "2026-01-01";
                        f.last_day = "2026-12-31";
                        f.from = from;
                        f.to = to;
                        if (filter == 1) f.user_id = sellers_[1];
                        if (filter == 2) f.department_id = team_;
                        if (filter == 3) f.pipeline_id = pipeline_;
                        const auto table = store::LoadKpiInputs(sql, f, kInFirstWins, vis);
                        f.first_wins_from_records = true;
                        const auto records = store::LoadKpiInputs(sql, f, kInFirstWins, vis);
                        std::vector<std::string> a, b;
                        for (const auto& d : table.first_wins)
                            a.push_back(std::to_string(d.id) + " " + d.client_key + " " +
                                        std::to_string(d.owner.value_or(0)));
                        for (const auto& d : records.first_wins)
                            b.push_back(std::to_string(d.id) + " " + d.client_key + " " +
                                        std::to_string(d.owner.value_or(0)));
                        EXPECT_EQ(a, b) << when << " as " << who << " filter " << filter << " from " << from;
                        kpi_nonempty_ += a.empty() ? 0 : 1;
                    }
            }
            return 0;
        });
        (void)r;
    }

    std::unique_ptr<PlansService> plans_, raw_;
    core::Id sales_ = 0, team_ = 0, head_ = 0, pipeline_ = 0, stranger_ = 0;
    std::vector<core::Id> sellers_;
    std::vector<long long> stages_, companies_, contacts_;
    std::mt19937_64 rng_{20261204};
    int compared_ = 0;
    int kpi_nonempty_ = 0;
};

TEST_P(FirstWinsTest, TriggersKeepTheFirstWinsExact) {
    for (int i = 0; i < 60; ++i) NewDeal();
    ASSERT_FALSE(Rows(kReference).empty());
    EXPECT_EQ(Rows(kTable), Rows(kReference)) << "after inserts";
    ExpectSamePlanFact("after inserts");
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 25; ++i) Change();
        EXPECT_EQ(Rows(kTable), Rows(kReference)) << "round " << round;
        ExpectSamePlanFact("round " + std::to_string(round));
        ExpectSameKpiFirstWins("round " + std::to_string(round));
    }
    EXPECT_EQ(compared_, 9 * 8);
    EXPECT_GT(kpi_nonempty_, 20);
    // Some plan vs fact figure was not zero (else the comparison proves little).
    PlanVsFactQuery year;
    year.period = "year";
    year.date = "2026-01-01";
    year.metrics = {"new_clients"};
    const auto v = plans_->PlanVsFact(As(head_), year);
    ASSERT_TRUE(v.ok());
    std::int64_t total = 0;
    for (const auto& r : v->rows)
        if (r.kind == "person")
            for (const auto& l : r.lines) total += l.fact;
    EXPECT_GT(total, 0);
}

TEST_P(FirstWinsTest, ADroppedTriggerIsNoticed) {
    for (int i = 0; i < 60; ++i) NewDeal();
    ASSERT_EQ(Rows(kTable), Rows(kReference));
    const bool pg = GetParam() == db::Engine::kPostgres;
    Exec(pg ? "DROP TRIGGER plan_first_wins_au ON deals" : "DROP TRIGGER plan_first_wins_au");
    bool differed = false;
    for (int round = 0; round < 8 && !differed; ++round) {
        for (int i = 0; i < 25; ++i) Change();
        differed = Rows(kTable) != Rows(kReference);
    }
    EXPECT_TRUE(differed);
}

// The migration fills the table from the deals already there (its INSERTs, run again over a history the triggers
// kept): the same rows as the records give.
TEST_P(FirstWinsTest, TheMigrationFillsTheTableFromTheDeals) {
    for (int i = 0; i < 60; ++i) NewDeal();
    for (int i = 0; i < 50; ++i) Change();
    const auto expected = Rows(kReference);
    ASSERT_FALSE(expected.empty());
    std::string text;
    for (const auto& m : db::EmbeddedMigrations())
        if (m.engine == GetParam() && m.file_name == "0026_plan_first_wins.sql") text = std::string(m.sql);
    const std::string marker = "-- The clients' first wins as they stand.";
    const auto begin = text.find(marker);
    ASSERT_NE(begin, std::string::npos);
    const auto end = text.find("\n-- ", begin + marker.size());
    const std::string fill = text.substr(begin + marker.size(), end - begin - marker.size());
    Exec("DELETE FROM plan_first_wins");
    int statements = 0;
    for (std::size_t from = 0, semi; (semi = fill.find(';', from)) != std::string::npos; from = semi + 1) {
        Exec(fill.substr(from, semi - from));
        ++statements;
    }
    EXPECT_EQ(statements, 2);
    EXPECT_EQ(Rows(kTable), expected);
}

// PostgreSQL: two transactions winning deals of one client at once. The second one's recompute waits for the first
// to commit (the advisory lock on the client) and then sees its deal, so the table names the earliest win whichever
// commits first; without the lock the second would insert its own view of the client's row and fail on the key.
TEST_P(FirstWinsTest, ConcurrentWinsOfOneClientKeepTheEarliest) {
    if (GetParam() != db::Engine::kPostgres) GTEST_SKIP() << "SQLite runs one writer at a time";
    const std::string ws = std::to_string(ws_), company = std::to_string(companies_[0]);
    auto deal = [&](const std::string& status, const std::string& closed) {
        Exec(
            "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, company_id, owner_user_id, amount_minor, "
            "currency, status, stage_entered_at, last_activity_at, closed_at, created_at, updated_at) VALUES (" +
            ws + ", " + std::to_string(pipeline_) + ", " + std::to_string(stages_[status == "won" ? 1 : 0]) +
            ", 'Сделка', " + company + ", " + std::to_string(sellers_[0]) + ", 1000, 'RUB', '" + status + "', 0, 0, " +
            closed + ", 0, 0)");
        return Count("SELECT MAX(id) FROM deals WHERE workspace_id = " + ws);
    };
    deal("won", std::to_string(kFeb + 30 * kDay));  // the client's first win so far
    for (const auto& [first_at, second_at] : {std::pair{20, 10}, std::pair{10, 20}}) {
        const long long a = deal("open", "NULL"), b = deal("open", "NULL");
        auto win = [&](long long id, int day) {
            return "UPDATE deals SET status = 'won', stage_id = " + std::to_string(stages_[1]) +
                   ", closed_at = " + std::to_string(kFeb + day * kDay) + " WHERE workspace_id = " + ws +
                   " AND id = " + std::to_string(id);
        };
        std::promise<void> updated;
        std::thread first([&] {
            auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
                sql << win(a, first_at);
                updated.set_value();
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                return core::Ok();
            });
            EXPECT_TRUE(r.ok());
        });
        updated.get_future().wait();
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << win(b, second_at);
            return core::Ok();
        });
        first.join();
        EXPECT_TRUE(r.ok()) << "the second writer failed";
        EXPECT_EQ(Rows(kTable), Rows(kReference)) << first_at << " then " << second_at;
        const long long earliest = first_at < second_at ? a : b;
        EXPECT_EQ(Count("SELECT deal_id FROM plan_first_wins WHERE workspace_id = " + ws +
                        " AND client_kind = 'c' AND client_id = " + company),
                  earliest);
        // Both deals back to open for the next pair.
        Exec("UPDATE deals SET status = 'open', stage_id = " + std::to_string(stages_[0]) +
             ", closed_at = NULL WHERE workspace_id = " + ws + " AND id IN (" + std::to_string(a) + ", " +
             std::to_string(b) + ")");
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, FirstWinsTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::plans
