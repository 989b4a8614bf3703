// The daily payment totals (migration 0029, plan_payment_days) on both engines: a randomised history of invoices and
// payments of a few deals — payments added, reversed and restored, re-dated, re-priced, in another currency, moved to
// another invoice, deleted; invoices moved to another deal; deals given another owner (or none, or a non-employee)
// — written with plain SQL after the table exists, so only the triggers keep it. After every round the table must
// equal the live payments grouped by day, owner of the deal and currency, and plan vs fact's payments received
// through it must equal what the records give (use_rollups = false) for months, a quarter and the year, as the head
// and as a seller. With a trigger dropped the same kind of history makes them differ.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <sstream>
#include <thread>

#include "db/migrations.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "plan_fact_dump.hpp"
#include "plans/plans_service.hpp"

namespace otdel::plans {
namespace {

using core::kDay;
using core::kHour;
using leads::testing::LeadsFixture;
// 2026-02-01 00:00 Moscow time.
constexpr core::Millis kFebStart = 1'769'893'200'000;

// The live payments by the KPI store's definition (kpi_store.cpp, kSelectPayments without the window), grouped.
constexpr const char* kLivePayments =
    "SELECT p.paid_on, COALESCE(d.owner_user_id, 0), p.currency, COUNT(*), CAST(SUM(p.amount_minor) AS BIGINT) FROM "
    "payments p JOIN invoices i ON i.workspace_id = p.workspace_id AND i.id = p.invoice_id JOIN deals d ON "
    "d.workspace_id = i.workspace_id AND d.id = i.deal_id WHERE p.workspace_id = :ws AND p.deleted_at IS NULL GROUP "
    "BY p.paid_on, COALESCE(d.owner_user_id, 0), p.currency ORDER BY 1, 2, 3";
constexpr const char* kPaymentDays =
    "SELECT paid_on, owner_key, currency, n, amount_minor FROM plan_payment_days WHERE workspace_id = :ws AND (n <> 0 "
    "OR amount_minor <> 0) ORDER BY 1, 2, 3";

using test_support::Dump;

class PaymentDaysTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        // "Now": 2026-04-21 13:00 Moscow.
        clock_.Set(kFebStart + 79 * kDay + 13 * kHour);
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
             ", 'Оплаты', 99, 0, 0, 0)");
        pipeline_ = Count("SELECT MAX(id) FROM pipelines WHERE workspace_id = " + ws);
        Exec(
            "INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind, created_at, "
            "updated_at) VALUES (" +
            ws + ", " + std::to_string(pipeline_) + ", 'Выиграна', 0, 100, 'won', 0, 0)");
        stage_ = Count("SELECT MAX(id) FROM pipeline_stages WHERE workspace_id = " + ws);
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
            ", 'payments_received', " + std::to_string(100000 + rng_() % 100000) + ", 'RUB', 0, 0)");
    }

    std::string Owner() {
        const int k = static_cast<int>(rng_() % 7);
        if (k == 6) return "NULL";
        if (k == 5) return std::to_string(stranger_);
        if (k == 4) return std::to_string(head_);
        return std::to_string(sellers_[k % 3]);
    }
    // A day of 2025-12 … 2026-06 (inside and outside the plans' periods).
    std::string Day() {
        const int m = static_cast<int>(rng_() % 7);
        const int d = 1 + static_cast<int>(rng_() % 28);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", m == 0 ? 2025 : 2026, m == 0 ? 12 : m, d);
        return std::string("'") + buf + "'";
    }
    std::string Currency() { return rng_() % 6 == 0 ? "'USD'" : "'RUB'"; }
    std::string Random(const char* table) {
        const std::string ws = std::to_string(ws_);
        const long long n = Count(std::string("SELECT COUNT(*) FROM ") + table + " WHERE workspace_id = " + ws);
        if (n == 0) return "NULL";
        return std::to_string(Count(std::string("SELECT id FROM ") + table + " WHERE workspace_id = " + ws +
                                    " ORDER BY id LIMIT 1 OFFSET " +
                                    std::to_string(rng_() % static_cast<unsigned long long>(n))));
    }

    void NewDeal() {
        const std::string at = std::to_string(kFebStart);
        Exec(
            "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, owner_user_id, amount_minor, currency, "
            "status, stage_entered_at, last_activity_at, closed_at, created_at, updated_at, deleted_at) VALUES (" +
            std::to_string(ws_) + ", " + std::to_string(pipeline_) + ", " + std::to_string(stage_) + ", 'Сделка', " +
            Owner() + ", 100000, 'RUB', 'won', " + at + ", " + at + ", " + at + ", " + at + ", " + at + ", " +
            (rng_() % 10 == 0 ? "5" : "NULL") + ")");
    }
    void NewInvoice() {
        Exec(
            "INSERT INTO invoices (workspace_id, deal_id, state, issue_date, due_date, next_due_date, total_minor, "
            "created_at, updated_at) VALUES (" +
            std::to_string(ws_) + ", " + Random("deals") + ", '" + (rng_() % 8 == 0 ? "cancelled" : "issued") +
            "', '2026-02-01', '2026-02-10', '2026-02-10', 100000, 0, 0)");
    }
    void NewPayment() {
        Exec(
            "INSERT INTO payments (workspace_id, invoice_id, paid_on, amount_minor, currency, created_at, deleted_at) "
            "VALUES (" +
            std::to_string(ws_) + ", " + Random("invoices") + ", " + Day() + ", " + std::to_string(1 + rng_() % 5000) +
            ", " + Currency() + ", 0, " + (rng_() % 10 == 0 ? "7" : "NULL") + ")");
    }

    // One change, as any writer could make it.
    void Change() {
        const std::string ws = " WHERE workspace_id = " + std::to_string(ws_) + " AND id = ";
        switch (rng_() % 13) {
            case 0: Exec("UPDATE payments SET deleted_at = 9" + ws + Random("payments")); break;  // reversed
            case 1: Exec("UPDATE payments SET deleted_at = NULL" + ws + Random("payments")); break;
            case 2: Exec("UPDATE payments SET paid_on = " + Day() + ws + Random("payments")); break;
            case 3:
                Exec("UPDATE payments SET amount_minor = " + std::to_string(1 + rng_() % 5000) + ws +
                     Random("payments"));
                break;
            case 4: Exec("UPDATE payments SET currency = " + Currency() + ws + Random("payments")); break;
            case 5: Exec("UPDATE payments SET invoice_id = " + Random("invoices") + ws + Random("payments")); break;
            case 6: Exec("DELETE FROM payments" + ws + Random("payments")); break;
            case 7: Exec("UPDATE invoices SET deal_id = " + Random("deals") + ws + Random("invoices")); break;
            case 8:
            case 9: Exec("UPDATE deals SET owner_user_id = " + Owner() + ws + Random("deals")); break;
            case 10:  // a deal's other columns (no effect on payments)
                Exec(
                    "UPDATE deals SET amount_minor = amount_minor + 1, deleted_at = CASE WHEN deleted_at IS NULL "
                    "THEN 5 END" +
                    ws + Random("deals"));
                break;
            case 11: NewPayment(); break;
            default:
                if (rng_() % 3 == 0) NewInvoice();
                NewPayment();
                break;
        }
    }

    void Build() {
        for (int i = 0; i < 12; ++i) NewDeal();
        for (int i = 0; i < 20; ++i) NewInvoice();
        for (int i = 0; i < 80; ++i) NewPayment();
    }

    std::vector<std::string> Rows(const char* text) {
        std::vector<std::string> out;
        auto r = tdb_.db().Read([&](soci::session& sql) {
            long long ws = ws_, owner = 0, n = 0, amount = 0;
            std::string day, currency;
            soci::statement st = (sql.prepare << text, soci::use(ws, "ws"), soci::into(day), soci::into(owner),
                                  soci::into(currency), soci::into(n), soci::into(amount));
            st.execute(false);
            while (st.fetch())
                out.push_back(day + " owner " + std::to_string(owner) + " " + currency + " n " + std::to_string(n) +
                              " sum " + std::to_string(amount));
            return 0;
        });
        (void)r;
        return out;
    }

    // Plan vs fact's payments received through the table == through the records, for every period, head and seller.
    void ExpectSamePlanFact(const std::string& when) {
        for (core::Id who : {head_, sellers_[0]})
            for (const auto& [period, date] : {std::pair{"month", "2026-02-01"}, std::pair{"month", "2026-03-10"},
                                               std::pair{"quarter", "2026-04-01"}, std::pair{"year", "2026-01-01"}}) {
                PlanVsFactQuery q;
                q.period = period;
                q.date = date;
                q.metrics = {"payments_received"};
                auto t = plans_->PlanVsFact(As(who), q);
                auto r = raw_->PlanVsFact(As(who), q);
                ASSERT_TRUE(t.ok() && r.ok()) << when;
                ASSERT_FALSE(t->rows.empty());
                EXPECT_EQ(Dump(*t), Dump(*r)) << when << " as " << who << " " << period << " " << date;
                ++compared_;
            }
    }

    std::unique_ptr<PlansService> plans_, raw_;
    core::Id sales_ = 0, team_ = 0, head_ = 0, pipeline_ = 0, stage_ = 0, stranger_ = 0;
    std::vector<core::Id> sellers_;
    std::mt19937_64 rng_{20261204};
    int compared_ = 0;
};

TEST_P(PaymentDaysTest, TriggersKeepTheTotalsExact) {
    Build();
    ASSERT_FALSE(Rows(kLivePayments).empty());
    EXPECT_EQ(Rows(kPaymentDays), Rows(kLivePayments)) << "after inserts";
    ExpectSamePlanFact("after inserts");
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 25; ++i) Change();
        EXPECT_EQ(Rows(kPaymentDays), Rows(kLivePayments)) << "round " << round;
        ExpectSamePlanFact("round " + std::to_string(round));
    }
    EXPECT_EQ(compared_, 9 * 8);
    // Some payments of the year were someone's in the rows (else the comparison proves little).
    PlanVsFactQuery year;
    year.period = "year";
    year.date = "2026-01-01";
    year.metrics = {"payments_received"};
    const auto v = plans_->PlanVsFact(As(head_), year);
    ASSERT_TRUE(v.ok());
    int people_with_payments = 0;
    for (const auto& r : v->rows)
        if (r.kind == "person")
            for (const auto& l : r.lines) people_with_payments += l.fact > 0 ? 1 : 0;
    EXPECT_GE(people_with_payments, 3);
    // The figures come from the table: a wrong table shows in the report.
    Exec("UPDATE plan_payment_days SET amount_minor = amount_minor + 1 WHERE workspace_id = " + std::to_string(ws_) +
         " AND currency = 'RUB'");
    const auto wrong = plans_->PlanVsFact(As(head_), year);
    const auto records = raw_->PlanVsFact(As(head_), year);
    ASSERT_TRUE(wrong.ok() && records.ok());
    EXPECT_NE(Dump(*wrong), Dump(*records));
}

// Each trigger matters: without it the same kind of history leaves the table wrong. Each one is dropped in turn and
// put back (from the migration's text) before the next.
TEST_P(PaymentDaysTest, ADroppedTriggerIsNoticed) {
    const bool pg = GetParam() == db::Engine::kPostgres;
    std::string text;
    for (const auto& m : db::EmbeddedMigrations())
        if (m.engine == GetParam() && m.file_name == "0029_plan_payment_days.sql") text = std::string(m.sql);
    ASSERT_FALSE(text.empty());
    const std::string ws = std::to_string(ws_);
    for (const auto& [trigger, table] :
         {std::pair{"plan_payment_days_au", "payments"}, std::pair{"plan_payment_days_deal_au", "deals"},
          std::pair{"plan_payment_days_invoice_au", "invoices"}, std::pair{"plan_payment_days_ad", "payments"}}) {
        const auto begin = text.find(std::string("CREATE TRIGGER ") + trigger + " ");
        ASSERT_NE(begin, std::string::npos) << trigger;
        const auto end = pg ? text.find(';', begin) + 1 : text.find("\nEND;", begin) + 5;
        const std::string create = text.substr(begin, end - begin);
        Exec("DELETE FROM payments WHERE workspace_id = " + ws);
        Exec("DELETE FROM invoices WHERE workspace_id = " + ws);
        Exec("DELETE FROM plan_payment_days WHERE workspace_id = " + ws);
        Build();
        ASSERT_EQ(Rows(kPaymentDays), Rows(kLivePayments)) << trigger;
        Exec(pg ? std::string("DROP TRIGGER ") + trigger + " ON " + table : std::string("DROP TRIGGER ") + trigger);
        bool differed = false;
        for (int round = 0; round < 8 && !differed; ++round) {
            for (int i = 0; i < 25; ++i) Change();
            differed = Rows(kPaymentDays) != Rows(kLivePayments);
        }
        EXPECT_TRUE(differed) << trigger;
        Exec(create);
    }
}

// The migration fills the table from the payments already there (its INSERT, run again over a history the triggers
// kept): the same rows as the records give.
TEST_P(PaymentDaysTest, TheMigrationFillsTheTableFromThePayments) {
    Build();
    for (int i = 0; i < 50; ++i) Change();
    const auto expected = Rows(kLivePayments);
    ASSERT_FALSE(expected.empty());
    std::string text;
    for (const auto& m : db::EmbeddedMigrations())
        if (m.engine == GetParam() && m.file_name == "0029_plan_payment_days.sql") text = std::string(m.sql);
    const std::string marker = "-- The live payments as they stand.";
    const auto begin = text.find(marker);
    ASSERT_NE(begin, std::string::npos);
    const auto end = text.find(';', begin);
    ASSERT_NE(end, std::string::npos);
    Exec("DELETE FROM plan_payment_days");
    Exec(text.substr(begin + marker.size(), end - begin - marker.size()));
    EXPECT_EQ(Rows(kPaymentDays), expected);
}

// PostgreSQL: a payment written while another transaction gives its deal another owner (both orders). The payment's
// trigger locks the deal's row before reading its owner, so the two take turns: a payment after the change lands on
// the new owner, a payment before it is moved with the deal's others. Without the lock the payment would stay on the
// old owner (its trigger read the owner before the change committed, or the change's move did not see the payment).
TEST_P(PaymentDaysTest, APaymentAndAChangeOfOwnerAtOnceStayExact) {
    if (GetParam() != db::Engine::kPostgres) GTEST_SKIP() << "SQLite runs one writer at a time";
    const std::string ws = std::to_string(ws_);
    NewDeal();
    const long long deal = Count("SELECT MAX(id) FROM deals WHERE workspace_id = " + ws);
    Exec(
        "INSERT INTO invoices (workspace_id, deal_id, state, issue_date, due_date, next_due_date, total_minor, "
        "created_at, updated_at) VALUES (" +
        ws + ", " + std::to_string(deal) + ", 'issued', '2026-02-01', '2026-02-10', '2026-02-10', 100000, 0, 0)");
    const std::string invoice = std::to_string(Count("SELECT MAX(id) FROM invoices WHERE workspace_id = " + ws));
    auto pay = [&] {
        return "INSERT INTO payments (workspace_id, invoice_id, paid_on, amount_minor, currency, created_at) VALUES (" +
               ws + ", " + invoice + ", '2026-03-05', 700, 'RUB', 0)";
    };
    int turn = 0;
    for (bool owner_first : {true, false, true, false}) {
        const std::string owner = std::to_string(sellers_[static_cast<std::size_t>(turn++ % 3)]);
        const std::string reown = "UPDATE deals SET owner_user_id = " + owner + " WHERE workspace_id = " + ws +
                                  " AND id = " + std::to_string(deal);
        std::promise<void> written;
        std::thread first([&] {
            auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
                sql << (owner_first ? reown : pay());
                written.set_value();
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                return core::Ok();
            });
            EXPECT_TRUE(r.ok());
        });
        written.get_future().wait();
        Exec(owner_first ? pay() : reown);
        first.join();
        EXPECT_EQ(Rows(kPaymentDays), Rows(kLivePayments)) << (owner_first ? "owner first" : "payment first");
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, PaymentDaysTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::plans
