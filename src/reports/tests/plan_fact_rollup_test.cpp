// Plan vs fact from the daily rollups (src/plans/fact_rollup.hpp) against the raw rows, on both engines: a randomised
// history of deals won and lost (some in another currency, some without an owner or owned by a non-employee, some
// deleted) and of calls, meetings and other activities — several of them later today, after "now" — written with
// plain SQL, plans for people and departments; once the reports have built the rollups, every plan vs fact figure
// (month, quarter, year; past, current and future periods; the head and a seller) must equal the one a service with
// use_rollups = false computes from the records. A rollup that is wrong is noticed.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "leads/tests/lead_fixture.hpp"
#include "plans/plans_service.hpp"
#include "report_samples.hpp"
#include "reports/reports_service.hpp"

namespace otdel::reports {
namespace {

using core::kDay;
using core::kHour;
using leads::testing::LeadsFixture;
using test_support::kFeb;

std::string Dump(const plans::PlanVsFactView& v) {
    std::ostringstream o;
    for (const auto& r : v.rows) {
        o << r.kind << " " << r.id << " " << r.name << ":";
        for (const auto& l : r.lines)
            o << " " << plans::PlanMetricName(l.metric) << "=" << l.fact << "/" << (l.target ? *l.target : -1) << "/"
              << l.children_target << "/" << l.projected;
        o << "\n";
    }
    return o.str();
}

class PlanFactRollupTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        // "Now": 2026-04-21 13:00 Moscow (10:00 UTC), in the middle of a working day.
        clock_.Set(kFeb + 79 * kDay + 13 * kHour);
        sales_ = Dept("Продажи", std::nullopt);
        team_a_ = Dept("Команда А", sales_);
        team_b_ = Dept("Команда Б", sales_);
        sellers_ = {Person("s1@t.test", "account_manager", team_a_), Person("s2@t.test", "account_manager", team_a_),
                    Person("s3@t.test", "account_manager", team_b_)};
        head_ = Person("rop@t.test", "head_of_sales", sales_);
        reports_ = std::make_unique<ReportsService>(tdb_.db(), clock_, nullptr);
        rollups_ = std::make_unique<plans::PlansService>(tdb_.db(), clock_);
        plans::PlansConfig raw_config;
        raw_config.use_rollups = false;
        raw_ = std::make_unique<plans::PlansService>(tdb_.db(), clock_, raw_config);
        const std::string ws = std::to_string(ws_);
        Exec("UPDATE workspaces SET time_zone = 'Europe/Moscow' WHERE id = " + ws);
        // A user of the workspace who is nobody's employee (a deleted seat): their records count nowhere.
        auto stranger =
            auth_->CreateUser(auth::NewUser{ws_, "x@t.test", "x@t.test", "password-123", "ru", false}, sys_);
        ASSERT_TRUE(stranger.ok());
        stranger_ = *stranger;
        Exec("INSERT INTO pipelines (workspace_id, name, position, is_default, created_at, updated_at) VALUES (" + ws +
             ", 'Планы', 99, 0, 0, 0)");
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
        // Plans of March, May, the second quarter and the year (one plan per subject, metric and first day: April's
        // month would be the quarter's); April is shown with its facts and no plan.
        for (const auto& [kind, first, last] :
             {std::tuple{"month", "2026-03-01", "2026-03-31"}, std::tuple{"month", "2026-05-01", "2026-05-31"},
              std::tuple{"quarter", "2026-04-01", "2026-06-30"}, std::tuple{"year", "2026-01-01", "2026-12-31"}})
            for (const char* metric : {"revenue", "deals_won", "calls", "meetings", "new_clients"}) {
                for (core::Id s : sellers_) Plan(kind, first, last, metric, "NULL", std::to_string(s));
                Plan(kind, first, last, metric, std::to_string(team_a_), "NULL");
            }
    }

    void Exec(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok()) << text;
    }

    void Plan(const char* kind, const char* first, const char* last, const char* metric, const std::string& dept,
              const std::string& user) {
        Exec(
            "INSERT INTO sales_plans (workspace_id, period_kind, first_day, last_day, department_id, owner_user_id, "
            "metric, target, currency, created_at, updated_at) VALUES (" +
            std::to_string(ws_) + ", '" + kind + "', '" + first + "', '" + last + "', " + dept + ", " + user + ", '" +
            metric + "', " + std::to_string(1000 + rng_() % 100'000) + ", 'RUB', 0, 0)");
    }

    std::string Owner() {
        const int k = static_cast<int>(rng_() % 8);
        if (k == 7) return "NULL";
        if (k == 6) return std::to_string(stranger_);
        if (k == 5) return std::to_string(head_);
        return std::to_string(sellers_[k % 3]);
    }
    // An instant in February–April, often in the hours around Moscow midnight; a share of them today (before and
    // after now).
    core::Millis When() {
        if (rng_() % 6 == 0) return clock_.NowMs() - 13 * kHour + static_cast<core::Millis>(rng_() % kDay);
        const core::Millis day = kFeb + static_cast<core::Millis>(rng_() % 88) * kDay;
        const core::Millis within =
            static_cast<core::Millis>(rng_() % 4 == 0 ? (rng_() % 6) * kHour + 18 * kHour : rng_() % kDay);
        return day + within;
    }

    void NewDeal() {
        const core::Millis created = When(), closed = created + static_cast<core::Millis>(rng_() % (20 * kDay));
        const int s = static_cast<int>(rng_() % 3);
        const std::string status = s == 0 ? "open" : s == 1 ? "won" : "lost";
        Exec(
            "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, owner_user_id, amount_minor, currency, "
            "status, stage_entered_at, last_activity_at, closed_at, created_at, updated_at, deleted_at) VALUES (" +
            std::to_string(ws_) + ", " + std::to_string(pipeline_) + ", " + std::to_string(stages_[s]) +
            ", 'Сделка', " + Owner() + ", " + std::to_string(1000 + rng_() % 1'000'000) + ", '" +
            (rng_() % 8 == 0 ? "USD" : "RUB") + "', '" + status + "', " + std::to_string(created) + ", " +
            std::to_string(created) + ", " + (s == 0 ? std::string("NULL") : std::to_string(closed)) + ", " +
            std::to_string(created) + ", " + std::to_string(created) + ", " + (rng_() % 15 == 0 ? "1" : "NULL") + ")");
    }

    void NewActivity() {
        static const char* kinds[] = {"call", "meeting", "task", "email", "note", "call", "meeting"};
        const core::Millis at = When();
        Exec(
            "INSERT INTO activities (workspace_id, kind, owner_user_id, at, done, created_at, updated_at, deleted_at) "
            "VALUES (" +
            std::to_string(ws_) + ", '" + kinds[rng_() % 7] + "', " + Owner() + ", " + std::to_string(at) + ", " +
            std::to_string(rng_() % 2) + ", " + std::to_string(at) + ", " + std::to_string(at) + ", " +
            (rng_() % 12 == 0 ? "1" : "NULL") + ")");
    }

    // Every plan vs fact of the periods, as the head and as a seller: rollups == raw rows.
    void ExpectSame(const std::string& when) {
        for (core::Id who : {head_, sellers_[0]})
            for (const auto& [period, date] :
                 {std::pair{"month", "2026-03-10"}, std::pair{"month", "2026-04-21"}, std::pair{"month", "2026-05-01"},
                  std::pair{"quarter", "2026-04-01"}, std::pair{"year", "2026-01-01"}}) {
                plans::PlanVsFactQuery q;
                q.period = period;
                q.date = date;
                auto r = rollups_->PlanVsFact(As(who), q);
                auto w = raw_->PlanVsFact(As(who), q);
                ASSERT_TRUE(r.ok() && w.ok()) << when;
                ASSERT_FALSE(r->rows.empty());
                EXPECT_EQ(Dump(*r), Dump(*w)) << when << " as " << who << " " << period << " " << date;
                ++compared_;
            }
    }

    std::int64_t Fact(const plans::PlanVsFactView& v, const std::string& kind, core::Id id, plans::PlanMetric m) {
        for (const auto& r : v.rows)
            if (r.kind == kind && r.id == id)
                for (const auto& l : r.lines)
                    if (l.metric == m) return l.fact;
        return -1;
    }

    std::unique_ptr<ReportsService> reports_;
    std::unique_ptr<plans::PlansService> rollups_, raw_;
    core::Id sales_ = 0, team_a_ = 0, team_b_ = 0, head_ = 0, pipeline_ = 0, stranger_ = 0;
    std::vector<core::Id> sellers_;
    std::vector<long long> stages_;
    std::mt19937_64 rng_{20261204};
    int compared_ = 0;
};

TEST_P(PlanFactRollupTest, RollupFactsEqualRawRows) {
    for (int i = 0; i < 120; ++i) NewDeal();
    for (int i = 0; i < 300; ++i) NewActivity();
    // Before the reports build the rollups, plan vs fact reads the records.
    ExpectSame("no rollups yet");
    ReportQuery any;
    any.from = "2026-04-01";
    any.to = "2026-04-30";
    ASSERT_TRUE(reports_->WinLossOf(As(head_), any).ok());  // builds them
    ASSERT_EQ(Count("SELECT COUNT(*) FROM report_rollup_state WHERE workspace_id = " + std::to_string(ws_)), 1);
    ExpectSame("rollups built");
    // Writes after the build (the triggers keep the rollups in step), and the clock moving on through the day.
    for (int i = 0; i < 60; ++i) NewDeal();
    for (int i = 0; i < 150; ++i) NewActivity();
    Exec("UPDATE activities SET deleted_at = 2 WHERE id IN (SELECT id FROM activities WHERE workspace_id = " +
         std::to_string(ws_) + " AND kind = 'call' ORDER BY id LIMIT 10)");
    Exec("UPDATE deals SET owner_user_id = " + std::to_string(sellers_[1]) +
         " WHERE id IN (SELECT id FROM deals WHERE workspace_id = " + std::to_string(ws_) +
         " AND status = 'won' ORDER BY id LIMIT 10)");
    ExpectSame("after writes");
    clock_.Advance(9 * kHour);  // 22:00 Moscow: the rest of today's meetings are held
    ExpectSame("late evening");
    clock_.Advance(3 * kHour);  // the next day: yesterday is a whole rollup day now
    ExpectSame("next day");
    EXPECT_EQ(compared_, 50);

    // The figures really come from the rollups: without the March activity rows, March's calls drop to zero.
    plans::PlanVsFactQuery march;
    march.period = "month";
    march.date = "2026-03-01";
    const auto before = rollups_->PlanVsFact(As(head_), march);
    ASSERT_TRUE(before.ok());
    ASSERT_GT(Fact(*before, "department", sales_, plans::PlanMetric::kCalls), 0);
    Exec("DELETE FROM report_activity_days WHERE workspace_id = " + std::to_string(ws_));
    const auto after = rollups_->PlanVsFact(As(head_), march);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(Fact(*after, "department", sales_, plans::PlanMetric::kCalls), 0);
    EXPECT_EQ(Fact(*after, "department", sales_, plans::PlanMetric::kRevenue),
              Fact(*before, "department", sales_, plans::PlanMetric::kRevenue));
    EXPECT_NE(Dump(*after), Dump(*raw_->PlanVsFact(As(head_), march)));
}

INSTANTIATE_TEST_SUITE_P(Engines, PlanFactRollupTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::reports
