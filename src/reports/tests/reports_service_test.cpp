// ReportsService on both engines over a generated history of known composition: 60 deals of three sellers in two
// teams, five paths through a five-stage pipeline, loss reasons, channels, products, activities and lead
// assignments, with dates spread over March 2026. Every report's totals are checked against expectations counted
// here from the generator's own parameters (not by the report code), the drill-down lists add up to their figure,
// a seller sees only their own deals, exports need `report: export`, and the XLSX file is a real workbook.
#include <gtest/gtest.h>

#include "leads/tests/lead_fixture.hpp"
#include "reports/reports_service.hpp"

namespace otdel::reports {
namespace {

using core::kDay;
using core::kHour;
using leads::testing::LeadsFixture;
constexpr int kDeals = 60;
// 2026-03-01 00:00 Moscow time.
constexpr core::Millis kMarch = 1'772'312'400'000;

// The generator: deal i is owned by seller i % 3, created on March (1 + i % 20) at 10:00 Moscow time, worth
// (i + 1) × 1,000 ₽, and takes path i % 5 through the stages, one move every (1 + i % 3) days:
//   0: New (open)   1: New → Meeting (open)   2: New → Meeting → Proposal → Won
//   3: New → Meeting → Lost (reason 1 when i is even, else 2)   4: New → Meeting → Proposal (open)
// Deals with i % 4 == 0 came from a website form lead, the others from no lead; deals with i % 2 == 0 have a
// line of product A.
struct Gen {
    static core::Id Owner(int i, const std::vector<core::Id>& sellers) { return sellers[i % 3]; }
    static core::Millis Created(int i) { return kMarch + (i % 20) * kDay + 10 * kHour; }
    static std::int64_t Amount(int i) { return (i + 1) * 1000'00LL; }
    static int Path(int i) { return i % 5; }
    static core::Millis Step(int i) { return (1 + i % 3) * kDay; }
};

class ReportsServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clock_.Set(kMarch + 25 * kDay + 12 * kHour);  // 2026-03-26 12:00 Moscow
        sales_ = Dept("Продажи", std::nullopt);
        team_a_ = Dept("Команда А", sales_);
        team_b_ = Dept("Команда Б", sales_);
        sellers_ = {Person("s1@t.test", "account_manager", team_a_), Person("s2@t.test", "account_manager", team_a_),
                    Person("s3@t.test", "account_manager", team_b_)};
        head_ = Person("rop@t.test", "head_of_sales", sales_);
        analyst_ = Person("an@t.test", "sales_analyst", sales_);
        service_ = std::make_unique<ReportsService>(tdb_.db(), clock_, nullptr);
        Generate();
    }

    void Exec(const std::string& text) {
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
    }
    long long One(const std::string& text) { return Count(text); }

    void Generate() {
        const std::string ws = std::to_string(ws_);
        Exec("UPDATE workspaces SET time_zone = 'Europe/Moscow' WHERE id = " + ws);
        Exec("INSERT INTO pipelines (workspace_id, name, position, is_default, created_at, updated_at) VALUES (" + ws +
             ", 'Отчётная', 99, 0, 0, 0)");
        pipeline_ = One("SELECT MAX(id) FROM pipelines WHERE workspace_id = " + ws);
        const char* names[] = {"Новая", "Встреча", "КП", "Выиграна", "Проиграна"};
        const int probs[] = {10, 30, 60, 100, 0};
        const char* kinds[] = {"open", "open", "open", "won", "lost"};
        for (int s = 0; s < 5; ++s) {
            Exec(
                "INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind, "
                "created_at, "
                "updated_at) VALUES (" +
                ws + ", " + std::to_string(pipeline_) + ", '" + names[s] + "', " + std::to_string(s) + ", " +
                std::to_string(probs[s]) + ", '" + kinds[s] + "', 0, 0)");
            stage_[s] = One("SELECT MAX(id) FROM pipeline_stages WHERE workspace_id = " + ws);
        }
        for (int r = 1; r <= 2; ++r) {
            Exec("INSERT INTO loss_reasons (workspace_id, name_ru, name_en, position, created_at) VALUES (" + ws +
                 ", 'Причина " + std::to_string(r) + "', 'Reason " + std::to_string(r) + "', " + std::to_string(r) +
                 ", 0)");
            reason_[r] = One("SELECT MAX(id) FROM loss_reasons WHERE workspace_id = " + ws);
        }
        Exec("INSERT INTO products (workspace_id, name, sku, unit, created_at, updated_at) VALUES (" + ws +
             ", 'Товар А', 'A-1', 'шт', 0, 0)");
        product_ = One("SELECT MAX(id) FROM products WHERE workspace_id = " + ws);
        for (int i = 0; i < kDeals; ++i) {
            const int path = Gen::Path(i);
            std::vector<int> stages = {0};
            if (path >= 1) stages.push_back(1);
            if (path == 2 || path == 4) stages.push_back(2);
            if (path == 2) stages.push_back(3);
            if (path == 3) stages.push_back(4);
            const core::Millis created = Gen::Created(i);
            const core::Millis last = created + (static_cast<core::Millis>(stages.size()) - 1) * Gen::Step(i);
            const int final_stage = stages.back();
            const std::string status = final_stage == 3 ? "won" : final_stage == 4 ? "lost" : "open";
            std::string lead = "NULL";
            if (i % 4 == 0) {
                Exec(
                    "INSERT INTO leads (workspace_id, title, channel, last_request_at, created_at, updated_at) "
                    "VALUES (" +
                    ws + ", 'Заявка', 'form', " + std::to_string(created) + ", " + std::to_string(created) + ", " +
                    std::to_string(created) + ")");
                lead = std::to_string(One("SELECT MAX(id) FROM leads WHERE workspace_id = " + ws));
            }
            const std::string reason =
                status == "lost" ? std::to_string(reason_[i % 2 == 0 ? 1 : 2]) : std::string("NULL");
            Exec(
                "INSERT INTO deals (workspace_id, pipeline_id, stage_id, title, owner_user_id, amount_minor, currency, "
                "status, loss_reason_id, source_lead_id, forecast_category, stage_entered_at, last_activity_at, "
                "closed_at, created_at, updated_at) VALUES (" +
                ws + ", " + std::to_string(pipeline_) + ", " + std::to_string(stage_[final_stage]) + ", 'Сделка " +
                std::to_string(i) + "', " + std::to_string(Gen::Owner(i, sellers_)) + ", " +
                std::to_string(Gen::Amount(i)) + ", 'RUB', '" + status + "', " + reason + ", " + lead + ", '" +
                (i % 3 == 0 ? "commit" : "pipeline") + "', " + std::to_string(last) + ", " + std::to_string(last) +
                ", " + (status == "open" ? std::string("NULL") : std::to_string(last)) + ", " +
                std::to_string(created) + ", " + std::to_string(last) + ")");
            const long long deal = One("SELECT MAX(id) FROM deals WHERE workspace_id = " + ws);
            deal_ids_.push_back(deal);
            for (std::size_t k = 0; k < stages.size(); ++k)
                Exec("INSERT INTO deal_stage_history (workspace_id, deal_id, to_stage_id, at) VALUES (" + ws + ", " +
                     std::to_string(deal) + ", " + std::to_string(stage_[stages[k]]) + ", " +
                     std::to_string(created + static_cast<core::Millis>(k) * Gen::Step(i)) + ")");
            if (i % 2 == 0)
                Exec(
                    "INSERT INTO deal_lines (workspace_id, deal_id, position, product_id, name, quantity_milli, "
                    "unit_price_minor, amount_minor, created_at, updated_at) VALUES (" +
                    ws + ", " + std::to_string(deal) + ", 0, " + std::to_string(product_) + ", 'Товар А', 1000, " +
                    std::to_string(Gen::Amount(i)) + ", " + std::to_string(Gen::Amount(i)) + ", 0, 0)");
        }
        // Activities: seller k makes (k + 1) calls and one meeting on each of March 2..6, and has two tasks on
        // March 3, one of them done; one deleted call that must not count.
        for (int k = 0; k < 3; ++k) {
            for (int d = 1; d <= 5; ++d) {
                const core::Millis at = kMarch + d * kDay + 11 * kHour;
                for (int c = 0; c <= k; ++c) Activity("call", sellers_[k], at + c * 60'000, true);
                Activity("meeting", sellers_[k], at + kHour, true);
            }
            Activity("task", sellers_[k], kMarch + 2 * kDay + 15 * kHour, true);
            Activity("task", sellers_[k], kMarch + 2 * kDay + 16 * kHour, false);
        }
        Exec("UPDATE activities SET deleted_at = 1 WHERE id = (SELECT MIN(id) FROM activities WHERE workspace_id = " +
             ws + ")");
        // Lead assignments: seller 1 answered in 10 and 30 minutes, seller 2 breached one.
        Assignment(sellers_[0], kMarch + 3 * kDay + 10 * kHour, 10 * 60'000, false);
        Assignment(sellers_[0], kMarch + 3 * kDay + 11 * kHour, 30 * 60'000, false);
        Assignment(sellers_[1], kMarch + 4 * kDay + 10 * kHour, std::nullopt, true);
    }
    void Activity(const std::string& kind, core::Id owner, core::Millis at, bool done) {
        Exec(
            "INSERT INTO activities (workspace_id, kind, owner_user_id, deal_id, at, done, created_at, updated_at) "
            "VALUES (" +
            std::to_string(ws_) + ", '" + kind + "', " + std::to_string(owner) + ", " +
            std::to_string(deal_ids_.front()) + ", " + std::to_string(at) + ", " + (done ? "1" : "0") + ", " +
            std::to_string(at) + ", " + std::to_string(at) + ")");
    }
    void Assignment(core::Id user, core::Millis at, std::optional<std::int64_t> ms, bool breached) {
        const std::string ws = std::to_string(ws_);
        Exec(
            "INSERT INTO leads (workspace_id, title, channel, owner_user_id, last_request_at, created_at, updated_at) "
            "VALUES (" +
            ws + ", 'Заявка', 'phone', " + std::to_string(user) + ", " + std::to_string(at) + ", " +
            std::to_string(at) + ", " + std::to_string(at) + ")");
        const long long lead = One("SELECT MAX(id) FROM leads WHERE workspace_id = " + ws);
        Exec(
            "INSERT INTO lead_assignments (workspace_id, lead_id, user_id, reason, assigned_at, responded_at, "
            "response_working_ms, breached_at) VALUES (" +
            ws + ", " + std::to_string(lead) + ", " + std::to_string(user) + ", 'routed', " + std::to_string(at) +
            ", " + (ms ? std::to_string(at + *ms) : "NULL") + ", " + (ms ? std::to_string(*ms) : "NULL") + ", " +
            (breached ? std::to_string(at + kHour) : "NULL") + ")");
    }

    ReportQuery March() {
        ReportQuery q;
        q.from = "2026-03-01";
        q.to = "2026-03-31";
        q.pipeline_id = pipeline_;
        return q;
    }

    std::unique_ptr<ReportsService> service_;
    core::Id sales_ = 0, team_a_ = 0, team_b_ = 0, head_ = 0, analyst_ = 0, pipeline_ = 0, product_ = 0;
    std::vector<core::Id> sellers_;
    std::vector<core::Id> deal_ids_;
    core::Id stage_[5] = {};
    core::Id reason_[3] = {};
};

TEST_P(ReportsServiceTest, FunnelMatchesTheGeneratedHistory) {
    auto f = service_->FunnelOf(As(head_), March());
    ASSERT_TRUE(f.ok()) << f.error().message_key;
    // Expected, counted from the generator.
    long long reached[5] = {}, current[5] = {};
    std::int64_t reached_amount[5] = {}, total = 0;
    for (int i = 0; i < kDeals; ++i) {
        const int p = Gen::Path(i);
        total += Gen::Amount(i);
        const bool r[5] = {true, p >= 1, p == 2 || p == 4, p == 2, p == 3};
        const int now = p == 0 ? 0 : p == 1 ? 1 : p == 2 ? 3 : p == 3 ? 4 : 2;
        for (int s = 0; s < 5; ++s)
            if (r[s]) {
                ++reached[s];
                reached_amount[s] += Gen::Amount(i);
            }
        ++current[now];
    }
    EXPECT_EQ(f->total.deals, kDeals);
    EXPECT_EQ(f->total.amount, total);
    ASSERT_EQ(f->total.stages.size(), 5u);
    for (int s = 0; s < 5; ++s) {
        EXPECT_EQ(f->total.stages[s].reached, reached[s]) << s;
        EXPECT_EQ(f->total.stages[s].reached_amount, reached_amount[s]) << s;
        EXPECT_EQ(f->total.stages[s].current, current[s]) << s;
    }
    EXPECT_EQ(reached[1], 48);
    EXPECT_EQ(*f->total.stages[1].conversion_bp, 8000);  // 48 of 60
    // Time in New: every deal that left New stayed exactly Step(i); the steps of those 48 deals are 1, 2, 3 days
    // 16 times each → median 2 days.
    EXPECT_EQ(*f->total.stages[0].median_stay_ms, 2 * kDay);

    // Drill-down: the deals that reached Meeting add up to the figure.
    Cell cell;
    cell.measure = "reached";
    cell.stage_id = stage_[1];
    auto d = service_->DrillDown(As(head_), "funnel", March(), cell);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->count, reached[1]);
    EXPECT_EQ(d->amount_minor, reached_amount[1]);
    std::int64_t listed = 0;
    for (const auto& row : d->deals) listed += row.amount_minor;
    EXPECT_EQ(listed, reached_amount[1]);
    EXPECT_EQ(static_cast<long long>(d->deals.size()), reached[1]);

    // By person: each seller's group sums to their deals; a seller sees only their own.
    auto q = March();
    q.by = "person";
    auto g = service_->FunnelOf(As(head_), q);
    ASSERT_TRUE(g.ok());
    ASSERT_EQ(g->groups.size(), 3u);
    for (const auto& grp : g->groups) EXPECT_EQ(grp.funnel.deals, 20);
    auto own = service_->FunnelOf(As(sellers_[0]), March());
    ASSERT_TRUE(own.ok());
    EXPECT_EQ(own->total.deals, 20);
    // Department filter: team B is seller 3 only; channel filter: deals from a form.
    auto tb = March();
    tb.department_id = team_b_;
    EXPECT_EQ(service_->FunnelOf(As(head_), tb)->total.deals, 20);
    auto form = March();
    form.channel = "form";
    EXPECT_EQ(service_->FunnelOf(As(head_), form)->total.deals, 15);
    auto prod = March();
    prod.product_id = product_;
    EXPECT_EQ(service_->FunnelOf(As(head_), prod)->total.deals, 30);
}

TEST_P(ReportsServiceTest, WinLossMatchesTheGeneratedHistory) {
    auto w = service_->WinLossOf(As(head_), March());
    ASSERT_TRUE(w.ok());
    long long won = 0, lost = 0, lost1 = 0;
    std::int64_t won_amount = 0;
    for (int i = 0; i < kDeals; ++i) {
        if (Gen::Path(i) == 2) {
            ++won;
            won_amount += Gen::Amount(i);
        }
        if (Gen::Path(i) == 3) {
            ++lost;
            if (i % 2 == 0) ++lost1;
        }
    }
    EXPECT_EQ(w->data.total.won, won);
    EXPECT_EQ(w->data.total.lost, lost);
    EXPECT_EQ(w->data.total.won_amount, won_amount);
    EXPECT_EQ(*w->data.total.win_rate_bp, 5000);
    long long reasons = 0;
    for (const auto& r : w->data.reasons) {
        reasons += r.count;
        if (r.reason == reason_[1]) EXPECT_EQ(r.count, lost1);
    }
    EXPECT_EQ(reasons, lost);
    Cell cell;
    cell.measure = "won";
    auto d = service_->DrillDown(As(head_), "win_loss", March(), cell);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->count, won);
    EXPECT_EQ(d->amount_minor, won_amount);
    // By team: team A has sellers 1 and 2.
    auto q = March();
    q.by = "team";
    auto t = service_->WinLossOf(As(head_), q);
    ASSERT_TRUE(t.ok());
    long long team_a = 0;
    for (int i = 0; i < kDeals; ++i)
        if ((Gen::Path(i) == 2 || Gen::Path(i) == 3) && i % 3 != 2) ++team_a;
    for (const auto& r : t->data.rows)
        if (r.key == std::to_string(team_a_)) EXPECT_EQ(r.won + r.lost, team_a);
}

TEST_P(ReportsServiceTest, ActivityCountsCallsMeetingsTasksAndResponses) {
    auto r = service_->ActivityOf(As(head_), March());
    ASSERT_TRUE(r.ok());
    // Calls: 5 days × (1 + 2 + 3) = 30, one deleted → 29; meetings 15; tasks 6, done 3.
    EXPECT_EQ(r->data.total.calls, 29);
    EXPECT_EQ(r->data.total.meetings, 15);
    EXPECT_EQ(r->data.total.tasks, 6);
    EXPECT_EQ(r->data.total.tasks_done, 3);
    EXPECT_EQ(r->data.total.deals_created, kDeals);
    EXPECT_EQ(r->data.total.leads_taken, 3);
    EXPECT_EQ(r->data.total.breaches, 1);
    EXPECT_EQ(*r->data.total.response_median_ms, 20 * 60'000);
    for (const auto& p : r->data.by_person) {
        if (p.owner == sellers_[2]) EXPECT_EQ(p.calls, 15);
        if (p.owner == sellers_[0]) EXPECT_EQ(p.calls, 4);  // 5 minus the deleted one
    }
    Cell cell;
    cell.measure = "calls";
    cell.owner = std::to_string(sellers_[2]);
    cell.day = "2026-03-03";
    auto d = service_->DrillDown(As(head_), "activity", March(), cell);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->kind, "activities");
    EXPECT_EQ(d->count, 3);
    EXPECT_EQ(d->activities.size(), 3u);
    // A seller sees their own activity only.
    auto own = service_->ActivityOf(As(sellers_[1]), March());
    ASSERT_TRUE(own.ok());
    EXPECT_EQ(own->data.total.calls, 10);
}

TEST_P(ReportsServiceTest, ForecastWeightedAndCategories) {
    auto f = service_->ForecastOf(As(head_), March());
    ASSERT_TRUE(f.ok());
    std::int64_t weighted = 0, commit = 0, closed = 0;
    for (int i = 0; i < kDeals; ++i) {
        const int p = Gen::Path(i);
        const int prob = p == 0 ? 10 : p == 1 ? 30 : p == 4 ? 60 : -1;
        if (prob >= 0) {
            weighted += (Gen::Amount(i) * prob + 50) / 100;
            if (i % 3 == 0) commit += Gen::Amount(i);
        }
        if (p == 2) closed += Gen::Amount(i);
    }
    EXPECT_EQ(f->weighted_total, weighted);
    const CategoryNode* root = nullptr;
    for (const auto& c : f->categories)
        if (c.department == sales_) root = &c;
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->rolled.commit, commit);
    EXPECT_EQ(root->rolled.closed, closed);
    EXPECT_EQ(f->backtest.rows.size(), 6u);
    // Category drill-down of the whole tree adds up.
    Cell cell;
    cell.measure = "category";
    cell.key = "commit";
    cell.department_id = sales_;
    auto d = service_->DrillDown(As(head_), "forecast", March(), cell);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->amount_minor, commit);
}

TEST_P(ReportsServiceTest, ExportsNeedTheRightAndNeutraliseCells) {
    auto denied = service_->Export(As(sellers_[0]), "funnel", March(), "csv");
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kForbidden);
    // A stage name a spreadsheet would run as a formula.
    Exec("UPDATE pipeline_stages SET name = '=HYPERLINK(1)' WHERE id = " + std::to_string(stage_[0]));
    auto csv = service_->Export(As(analyst_), "funnel", March(), "csv");
    ASSERT_TRUE(csv.ok());
    EXPECT_NE(csv->bytes.find("'=HYPERLINK(1)"), std::string::npos);
    auto xlsx = service_->Export(As(head_), "win_loss", March(), "xlsx");
    ASSERT_TRUE(xlsx.ok());
    EXPECT_EQ(xlsx->bytes.substr(0, 2), "PK");
    EXPECT_FALSE(service_->Export(As(head_), "funnel", March(), "pdf").ok());
}

TEST_P(ReportsServiceTest, SchedulesValidateAndKeepTheNextTime) {
    ScheduleInput in;
    in.report = "funnel";
    in.every = "weekly";
    in.weekday = 1;
    in.hour = 9;
    in.recipients = std::vector<std::string>{"not-an-email"};
    auto bad = service_->CreateSchedule(As(head_), in);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "recipients/0");
    EXPECT_EQ(One("SELECT COUNT(*) FROM report_schedules"), 0);
    in.recipients = std::vector<std::string>{"rop@t.test"};
    auto s = service_->CreateSchedule(As(head_), in);
    ASSERT_TRUE(s.ok());
    // Now is Thursday 2026-03-26 12:00 Moscow: next Monday 09:00 Moscow = 06:00 UTC on 2026-03-30.
    EXPECT_EQ(s->next_run_at, kMarch + 29 * kDay + 9 * kHour);
    EXPECT_EQ(One("SELECT COUNT(*) FROM jobs WHERE kind = 'reports.deliver'"), 1);
    EXPECT_EQ(One("SELECT COUNT(*) FROM audit_log WHERE object_type = 'report_schedule'"), 1);
    // Another person cannot see or delete it.
    EXPECT_FALSE(service_->DeleteSchedule(As(sellers_[0]), s->id).ok());
    EXPECT_TRUE(service_->ListSchedules(As(sellers_[0]))->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, ReportsServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::reports
