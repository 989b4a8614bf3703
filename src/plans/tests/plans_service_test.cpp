// The KPI store and PlansService on both engines (PLAN-1 … PLAN-3): one hand-built month of deals, payments and
// calls gives the same figures on SQLite and PostgreSQL; a head sets the department's plan and splits it over the
// sellers, plan vs fact rolls up the tree with the pace; a seller sees only their own plan and cannot set one; bad
// input is refused with field errors and changes nothing; goals measure their progress and overdue ones are listed.
#include <gtest/gtest.h>

#include "billing/billing_service.hpp"
#include "deals/deals_service.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "plans/plans_service.hpp"

namespace otdel::plans {
namespace {

using core::kDay;
using core::kHour;
using leads::testing::kStart;
using leads::testing::LeadsFixture;

class PlansServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        billing_ = std::make_unique<billing::BillingService>(tdb_.db(), clock_, *deals_, nullptr, nullptr);
        plans_ = std::make_unique<PlansService>(tdb_.db(), clock_);
        sales_ = Dept("Продажи", std::nullopt);
        design_ = Dept("Дизайн", sales_);
        key_ = Dept("Ключевые", sales_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        d1_ = Person("d1@kuhni.test", "designer_manager", design_);
        d2_ = Person("d2@kuhni.test", "designer_manager", design_);
        kam_ = Person("kam@kuhni.test", "key_account_manager", key_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        org::DepartmentInput head;
        head.set_head = true;
        head.head_user_id = rop_;
        ASSERT_TRUE(org_->UpdateDepartment(sys_, sales_, head).ok());
        auto p = deals_->ListPipelines(sys_, false);
        ASSERT_TRUE(p.ok() && !p->empty());
        for (const auto& s : p->front().stages) {
            if (s.kind == "won") won_ = s.id;
            if (s.kind == "lost") lost_ = s.id;
        }
        auto reasons = deals_->ListLossReasons(sys_, false);
        ASSERT_TRUE(reasons.ok() && !reasons->empty());
        reason_ = reasons->front().id;
        BuildMonth();
    }

    core::Id NewDeal(core::Id owner, std::int64_t roubles) {
        deals::DealInput in;
        in.title = "Кухня";
        in.amount_minor = roubles * 100;
        in.set_owner = true;
        in.owner_user_id = owner;
        auto d = deals_->Create(sys_, in);
        EXPECT_TRUE(d.ok());
        return d.ok() ? d->id : 0;
    }
    void Win(core::Id deal) { ASSERT_TRUE(deals_->MoveStage(sys_, deal, won_, std::nullopt, "").ok()); }
    void Lose(core::Id deal) { ASSERT_TRUE(deals_->MoveStage(sys_, deal, lost_, reason_, "дорого").ok()); }
    void Pay(core::Id deal, std::int64_t roubles, const std::string& day) {
        billing::InvoiceInput in;
        in.deal_id = deal;
        in.issue_date = "2026-03-02";
        in.due_date = "2026-03-20";
        billing::InvoiceLine line;
        line.name = "Кухня";
        line.unit_price_minor = roubles * 100;
        in.lines = std::vector<billing::InvoiceLine>{line};
        in.issue = true;
        auto card = billing_->Create(sys_, in);
        ASSERT_TRUE(card.ok()) << card.error().message_key;
        billing::PaymentInput pay;
        pay.paid_on = day;
        pay.amount_minor = roubles * 100;
        ASSERT_TRUE(billing_->AddPayment(sys_, card->invoice.id, pay).ok());
    }
    void Call(core::Id owner, core::Millis at, const char* kind = "call") {
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            long long ws = ws_, o = owner, a = at;
            std::string k = kind;
            sql << "INSERT INTO activities (workspace_id, kind, owner_user_id, at, created_at, updated_at) VALUES "
                   "(:ws, "
                   ":kind, :owner, :at, :c, :u)",
                soci::use(ws, "ws"), soci::use(k, "kind"), soci::use(o, "owner"), soci::use(a, "at"), soci::use(a, "c"),
                soci::use(a, "u");
            return core::Ok();
        });
    }

    // March 2026 (the clock starts Mon 2 March 09:00 UTC, 12:00 in Moscow):
    //   d1 wins 300 000 and 200 000 ₽ and loses one deal; d2 wins 100 000 ₽; kam wins 400 000 ₽ (all in March);
    //   d1's first win is paid 300 000 ₽ on 3 March; d1 makes 3 calls and a meeting, d2 one call.
    void BuildMonth() {
        const core::Id a = NewDeal(d1_, 300'000), b = NewDeal(d1_, 200'000), c = NewDeal(d1_, 50'000);
        const core::Id d = NewDeal(d2_, 100'000), e = NewDeal(kam_, 400'000);
        Win(a);
        Pay(a, 300'000, "2026-03-03");
        clock_.Advance(kDay);
        Win(b);
        Lose(c);
        Win(d);
        Win(e);
        Call(d1_, kStart + kHour);
        Call(d1_, kStart + 2 * kHour);
        Call(d1_, kStart + 3 * kHour);
        Call(d1_, kStart + 4 * kHour, "meeting");
        Call(d2_, kStart + 5 * kHour);
        Call(d2_, kStart + 40 * kDay);  // April: outside the month
        clock_.Advance(13 * kDay);      // Mon 16 March
    }

    std::int64_t Value(const KpiReport& r, KpiCode c) {
        for (const auto& v : r.values)
            if (v.code == c) return v.value;
        ADD_FAILURE() << "no value";
        return -1;
    }

    PlanInput DeptPlan(std::int64_t target) {
        PlanInput in;
        in.period = "month";
        in.first_day = "2026-03-01";
        in.department_id = sales_;
        in.metric = "revenue";
        in.target = target;
        return in;
    }

    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<billing::BillingService> billing_;
    std::unique_ptr<PlansService> plans_;
    core::Id sales_ = 0, design_ = 0, key_ = 0, rop_ = 0, d1_ = 0, d2_ = 0, kam_ = 0, analyst_ = 0, won_ = 0, lost_ = 0,
             reason_ = 0;
};

TEST_P(PlansServiceTest, KpisOfTheMonthAreTheHandComputedFigures) {
    KpiQuery q;
    q.period = "month";
    auto r = plans_->Kpis(As(rop_), q);
    ASSERT_TRUE(r.ok()) << r.error().message_key;
    EXPECT_EQ(r->period.FirstText(), "2026-03-01");
    EXPECT_EQ(Value(*r, KpiCode::kRevenue), 100'000'000);  // 300k + 200k + 100k + 400k roubles
    EXPECT_EQ(Value(*r, KpiCode::kDealsWon), 4);
    EXPECT_EQ(Value(*r, KpiCode::kWinRate), 8000);  // 4 of 5
    EXPECT_EQ(Value(*r, KpiCode::kAvgDealSize), 25'000'000);
    EXPECT_EQ(Value(*r, KpiCode::kPaymentsReceived), 30'000'000);
    EXPECT_EQ(Value(*r, KpiCode::kCalls), 4);
    EXPECT_EQ(Value(*r, KpiCode::kMeetings), 1);
    EXPECT_EQ(Value(*r, KpiCode::kRejections), 1);
    // 2–16 March: 11 working days elapsed (2–6, 9–13, 16) on the default calendar.
    EXPECT_EQ(r->pace.working_days_elapsed, 11);
    EXPECT_EQ(Value(*r, KpiCode::kCallsPerDay), 36);  // 4 / 11 = 0.36

    // Filters: one person, one team.
    q.user_id = d1_;
    auto mine = plans_->Kpis(As(rop_), q);
    EXPECT_EQ(Value(*mine, KpiCode::kRevenue), 50'000'000);
    q.user_id.reset();
    q.department_id = key_;
    EXPECT_EQ(Value(*plans_->Kpis(As(rop_), q), KpiCode::kRevenue), 40'000'000);

    // Visibility: a designer counts only their own records whatever they ask for; the analyst sees everything.
    KpiQuery all;
    EXPECT_EQ(Value(*plans_->Kpis(As(d1_), all), KpiCode::kRevenue), 50'000'000);
    EXPECT_EQ(Value(*plans_->Kpis(As(analyst_), all), KpiCode::kRevenue), 100'000'000);

    KpiQuery bad;
    bad.kpis = {"happiness"};
    auto refused = plans_->Kpis(As(rop_), bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().HasField("kpis", "unknown_metric"));
}

TEST_P(PlansServiceTest, HeadSetsAndSplitsTheDepartmentPlanAndSeesPlanVsFact) {
    auto plan = plans_->SetPlan(As(rop_), DeptPlan(350'000'000));
    ASSERT_TRUE(plan.ok()) << plan.error().message_key;
    SplitRequest split;
    split.mode = "weights";
    split.people = {{d1_, 3, std::nullopt}, {d2_, 2, std::nullopt}, {kam_, 2, std::nullopt}};
    auto parts = plans_->SplitPlan(As(rop_), plan->id, split);
    ASSERT_TRUE(parts.ok()) << parts.error().message_key;
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].target, 150'000'000);
    EXPECT_EQ((*parts)[1].target, 100'000'000);
    EXPECT_EQ((*parts)[2].target, 100'000'000);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan.create'"), 4);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan.split'"), 1);

    PlanVsFactQuery q;
    q.metrics = {"revenue"};
    auto v = plans_->PlanVsFact(As(rop_), q);
    ASSERT_TRUE(v.ok()) << v.error().message_key;
    ASSERT_FALSE(v->rows.empty());
    const auto& top = v->rows.front();
    EXPECT_EQ(top.id, sales_);
    EXPECT_EQ(top.lines[0].target, 350'000'000);
    EXPECT_EQ(top.lines[0].children_target, 350'000'000);
    EXPECT_EQ(top.lines[0].fact, 100'000'000);
    EXPECT_EQ(top.lines[0].share_bp, 2857);
    // 11 of 22 working days in March 2026: the pace doubles the fact.
    EXPECT_EQ(v->pace.working_days_total, 22);
    EXPECT_EQ(top.lines[0].projected, 200'000'000);
    bool saw_d1 = false;
    for (const auto& row : v->rows)
        if (row.kind == "person" && row.id == d1_) {
            saw_d1 = true;
            EXPECT_EQ(row.lines[0].target, 150'000'000);
            EXPECT_EQ(row.lines[0].fact, 50'000'000);
        }
    EXPECT_TRUE(saw_d1);
    // Setting again replaces the target (one plan per subject, metric and period) and audits the change.
    ASSERT_TRUE(plans_->SetPlan(As(rop_), DeptPlan(360'000'000)).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sales_plans WHERE department_id IS NOT NULL"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan.update'"), 1);
}

TEST_P(PlansServiceTest, AQuarterPlanAndItsFirstMonthsPlanAreTwoPlans) {
    // Both start on 2026-04-01: the quarter's plan must not find (and overwrite) the month's.
    PlanInput month = DeptPlan(100'000'000);
    month.first_day = "2026-04-01";
    PlanInput quarter = month;
    quarter.period = "quarter";
    quarter.target = 330'000'000;
    auto m = plans_->SetPlan(As(rop_), month);
    ASSERT_TRUE(m.ok()) << m.error().message_key;
    auto q = plans_->SetPlan(As(rop_), quarter);
    ASSERT_TRUE(q.ok()) << q.error().message_key;
    EXPECT_NE(m->id, q->id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sales_plans WHERE department_id IS NOT NULL AND first_day = '2026-04-01'"),
              2);
    EXPECT_EQ(Count("SELECT target FROM sales_plans WHERE period_kind = 'month' AND first_day = '2026-04-01'"),
              100'000'000);
    EXPECT_EQ(Count("SELECT target FROM sales_plans WHERE period_kind = 'quarter' AND first_day = '2026-04-01'"),
              330'000'000);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan.update'"), 0);
    // Setting the quarter again updates the quarter only.
    quarter.target = 340'000'000;
    ASSERT_TRUE(plans_->SetPlan(As(rop_), quarter).ok());
    EXPECT_EQ(Count("SELECT target FROM sales_plans WHERE period_kind = 'month' AND first_day = '2026-04-01'"),
              100'000'000);
    EXPECT_EQ(Count("SELECT target FROM sales_plans WHERE period_kind = 'quarter' AND first_day = '2026-04-01'"),
              340'000'000);
}

TEST_P(PlansServiceTest, SellersSeeTheirOwnPlanAndCannotSetOne) {
    auto plan = plans_->SetPlan(As(rop_), DeptPlan(350'000'000));
    ASSERT_TRUE(plan.ok());
    SplitRequest split;
    split.people = {{d1_, std::nullopt, std::nullopt}, {d2_, std::nullopt, std::nullopt}};
    ASSERT_TRUE(plans_->SplitPlan(As(rop_), plan->id, split).ok());

    auto own = plans_->PlanVsFact(As(d1_), PlanVsFactQuery{});
    ASSERT_TRUE(own.ok()) << own.error().message_key;
    for (const auto& row : own->rows) {
        if (row.kind == "person") EXPECT_EQ(row.id, d1_);  // never a colleague
        if (row.kind == "department") EXPECT_NE(row.id, key_);
    }
    auto refused = plans_->SetPlan(As(d1_), DeptPlan(1));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
    PlanInput self = DeptPlan(1);
    self.department_id.reset();
    self.user_id = d1_;
    EXPECT_EQ(plans_->SetPlan(As(d1_), self).error().code, core::ErrorCode::kForbidden);
    // The analyst reads everything and sets nothing.
    EXPECT_EQ(plans_->SetPlan(As(analyst_), DeptPlan(1)).error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(plans_->PlanVsFact(As(analyst_), PlanVsFactQuery{}).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sales_plans WHERE target = 1"), 0);
}

TEST_P(PlansServiceTest, BadInputIsRefusedAndChangesNothing) {
    auto negative = plans_->SetPlan(As(rop_), DeptPlan(-5));
    ASSERT_FALSE(negative.ok());
    EXPECT_TRUE(negative.error().HasField("target", "negative_target"));
    PlanInput backwards = DeptPlan(10);
    backwards.last_day = "2026-02-10";
    EXPECT_TRUE(plans_->SetPlan(As(rop_), backwards).error().HasField("last_day", "before_start"));
    PlanInput unknown = DeptPlan(10);
    unknown.metric = "karma";
    EXPECT_TRUE(plans_->SetPlan(As(rop_), unknown).error().HasField("metric", "unknown_metric"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sales_plans"), 0);

    auto plan = plans_->SetPlan(As(rop_), DeptPlan(100));
    ASSERT_TRUE(plan.ok());
    SplitRequest split;
    split.mode = "amounts";
    split.people = {{d1_, std::nullopt, 60}, {d2_, std::nullopt, 30}};
    auto mismatch = plans_->SplitPlan(As(rop_), plan->id, split);
    ASSERT_FALSE(mismatch.ok());
    EXPECT_TRUE(mismatch.error().HasField("people", "plan_split_sum"));
    split.people = {{d1_, std::nullopt, 60}, {rop_ + 1000, std::nullopt, 40}};
    EXPECT_FALSE(plans_->SplitPlan(As(rop_), plan->id, split).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sales_plans"), 1);
}

TEST_P(PlansServiceTest, GoalsMeasureProgressAndOverdueOnesAreListed) {
    GoalInput in;
    in.title = "Выручка 600 000 ₽ в марте";
    in.kpi = "revenue";
    in.target = 60'000'000;
    in.owner_user_id = d1_;
    in.starts_on = "2026-03-01";
    in.deadline = "2026-03-31";
    auto g = plans_->CreateGoal(As(rop_), in);
    ASSERT_TRUE(g.ok()) << g.error().message_key;
    EXPECT_EQ(g->value.value, 50'000'000);
    EXPECT_EQ(g->progress.share_bp, 8333);
    GoalInput late = in;
    late.title = "Три сделки к 10 марта";
    late.kpi = "deals_won";
    late.target = 3;
    late.deadline = "2026-03-10";
    ASSERT_TRUE(plans_->CreateGoal(As(rop_), late).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'goal.create'"), 2);

    GoalQuery overdue;
    overdue.overdue = true;
    auto list = plans_->ListGoals(As(rop_), overdue);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->items.size(), 1u);
    EXPECT_EQ(list->items[0].goal.title, "Три сделки к 10 марта");
    EXPECT_EQ(list->items[0].progress.state, GoalState::kOverdue);
    // The owner sees their goals; a colleague does not; a seller cannot set one.
    EXPECT_EQ(plans_->ListGoals(As(d1_), GoalQuery{})->items.size(), 2u);
    EXPECT_TRUE(plans_->ListGoals(As(d2_), GoalQuery{})->items.empty());
    EXPECT_EQ(plans_->CreateGoal(As(d1_), in).error().code, core::ErrorCode::kForbidden);
    GoalInput typed = in;
    typed.target = -1;
    EXPECT_TRUE(plans_->CreateGoal(As(rop_), typed).error().HasField("target", "negative_target"));
}

// The records behind each plan vs fact figure of the month add up to it, for a person and for the department tree
// (its people's records together); a seller opens only her own, another's is not found.
TEST_P(PlansServiceTest, FactRecordsAddUpToEachFigureOfPlanVsFact) {
    PlanVsFactQuery q;
    auto v = plans_->PlanVsFact(As(rop_), q);
    ASSERT_TRUE(v.ok()) << v.error().message_key;
    int checked = 0;
    for (const auto& row : v->rows)
        for (const auto& l : row.lines) {
            FactRecordsQuery fq;
            fq.metric = std::string(PlanMetricName(l.metric));
            (row.kind == "person" ? fq.user_id : fq.department_id) = row.id;
            auto r = plans_->FactRecordsOf(As(rop_), fq);
            ASSERT_TRUE(r.ok()) << r.error().message_key;
            EXPECT_EQ(r->value, l.fact) << row.name << " " << fq.metric;
            EXPECT_EQ(r->count,
                      static_cast<long long>(r->deal_ids.size() + r->payment_ids.size() + r->activity_ids.size()));
            ++checked;
        }
    EXPECT_GT(checked, 10);
    // Hand-computed: d1 won 300 000 + 200 000 ₽, made 3 calls and a meeting; the department, all five wins.
    FactRecordsQuery d1;
    d1.metric = "revenue";
    d1.user_id = d1_;
    auto r = plans_->FactRecordsOf(As(rop_), d1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->kind, "deals");
    EXPECT_EQ(r->deal_ids.size(), 2u);
    EXPECT_EQ(r->amount_minor, 50'000'000);
    d1.metric = "calls";
    EXPECT_EQ(plans_->FactRecordsOf(As(rop_), d1)->activity_ids.size(), 3u);
    d1.metric = "payments_received";
    EXPECT_EQ(plans_->FactRecordsOf(As(rop_), d1)->amount_minor, 30'000'000);
    FactRecordsQuery all;
    all.metric = "deals_won";
    all.department_id = sales_;
    EXPECT_EQ(plans_->FactRecordsOf(As(rop_), all)->count, 4);
    // d2 sees her own records, not d1's nor the key accounts team's.
    FactRecordsQuery own;
    own.metric = "revenue";
    own.user_id = d2_;
    EXPECT_EQ(plans_->FactRecordsOf(As(d2_), own)->amount_minor, 10'000'000);
    own.user_id = kam_;
    EXPECT_EQ(plans_->FactRecordsOf(As(d2_), own).error().code, core::ErrorCode::kNotFound);
    FactRecordsQuery team;
    team.metric = "revenue";
    team.department_id = key_;
    EXPECT_EQ(plans_->FactRecordsOf(As(d2_), team).error().code, core::ErrorCode::kNotFound);
    // Bad cells: an unknown metric, neither or both of the person and the department.
    FactRecordsQuery bad;
    bad.metric = "profit";
    bad.user_id = d1_;
    EXPECT_TRUE(plans_->FactRecordsOf(As(rop_), bad).error().HasField("measure", "unknown_metric"));
    bad.metric = "revenue";
    bad.department_id = sales_;
    EXPECT_TRUE(plans_->FactRecordsOf(As(rop_), bad).error().HasField("department_id", "either_or"));
}

INSTANTIATE_TEST_SUITE_P(Engines, PlansServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& i) { return otdel::testing::EngineParamName(i.param); });

}  // namespace
}  // namespace otdel::plans
