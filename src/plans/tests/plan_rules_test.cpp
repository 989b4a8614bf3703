// Sales plans and goals as pure rules: validation, the split with an exact remainder, roll-up along the tree, pace.
#include <gtest/gtest.h>

#include <numeric>

#include "plans/plan.hpp"

namespace otdel::plans {
namespace {

SplitShare Who(core::Id id) {
    return SplitShare{id, std::nullopt, std::nullopt};
}
SplitShare W(core::Id id, std::int64_t weight) {
    return SplitShare{id, weight, std::nullopt};
}
SplitShare A(core::Id id, std::int64_t amount) {
    return SplitShare{id, std::nullopt, amount};
}

PlanInput Valid() {
    PlanInput in;
    in.period = "month";
    in.first_day = "2026-12-01";
    in.department_id = 3;
    in.metric = "revenue";
    in.target = 350'000'000;
    return in;
}

TEST(PlanRules, BuildsAWholeMonth) {
    auto p = BuildPlan(Valid());
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->first_day, "2026-12-01");
    EXPECT_EQ(p->last_day, "2026-12-31");
    EXPECT_EQ(p->metric, PlanMetric::kRevenue);
}

TEST(PlanRules, QuarterAndYear) {
    auto in = Valid();
    in.period = "quarter";
    in.first_day = "2026-10-01";
    ASSERT_TRUE(BuildPlan(in).ok());
    EXPECT_EQ(BuildPlan(in)->last_day, "2026-12-31");
    in.period = "year";
    in.first_day = "2026-01-01";
    EXPECT_EQ(BuildPlan(in)->last_day, "2026-12-31");
}

TEST(PlanRules, RefusesBadInputWithFieldErrors) {
    auto in = Valid();
    in.target = -1;
    EXPECT_TRUE(BuildPlan(in).error().HasField("target", "negative_target"));
    in = Valid();
    in.last_day = "2026-11-30";
    EXPECT_TRUE(BuildPlan(in).error().HasField("last_day", "before_start"));
    in = Valid();
    in.metric = "happiness";
    EXPECT_TRUE(BuildPlan(in).error().HasField("metric", "unknown_metric"));
    in = Valid();
    in.first_day = "2026-12-02";
    EXPECT_TRUE(BuildPlan(in).error().HasField("first_day", "not_whole_period"));
    in = Valid();
    in.user_id = 5;
    EXPECT_TRUE(BuildPlan(in).error().HasField("subject", "either_or"));
    in = Valid();
    in.period = "week";
    EXPECT_TRUE(BuildPlan(in).error().HasField("period", "not_one_of"));
}

TEST(PlanSplit, EvenHandsTheRemainderToTheFirst) {
    auto s = Split(10, SplitMode::kEven, {Who(1), Who(2), Who(3)});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, (std::vector<std::int64_t>{4, 3, 3}));
}

TEST(PlanSplit, WeightsLargestRemainderSumsExactly) {
    // 350 000 000 kopecks by 3 : 2 : 2 → 150 000 000, 100 000 000, 100 000 000
    auto s = Split(350'000'000, SplitMode::kWeights, {W(1, 3), W(2, 2), W(3, 2)});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, (std::vector<std::int64_t>{150'000'000, 100'000'000, 100'000'000}));
    // 100 by 1:1:1 → 34, 33, 33 (ties to the earlier)
    auto t = Split(100, SplitMode::kWeights, {W(1, 1), W(2, 1), W(3, 1)});
    EXPECT_EQ(*t, (std::vector<std::int64_t>{34, 33, 33}));
    // 10 by 1:2:4 → exact 1.43, 2.86, 5.71 → floors 1, 2, 5 (+2 to the largest remainders .86 and .71)
    auto u = Split(10, SplitMode::kWeights, {W(1, 1), W(2, 2), W(3, 4)});
    EXPECT_EQ(*u, (std::vector<std::int64_t>{1, 3, 6}));
    EXPECT_EQ(std::accumulate(u->begin(), u->end(), std::int64_t{0}), 10);
}

TEST(PlanSplit, AmountsMustAddUp) {
    auto bad = Split(100, SplitMode::kAmounts, {A(1, 60), A(2, 30)});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().HasField("people", "plan_split_sum"));
    auto good = Split(100, SplitMode::kAmounts, {A(1, 70), A(2, 30)});
    EXPECT_EQ(*good, (std::vector<std::int64_t>{70, 30}));
}

TEST(PlanSplit, RefusesDuplicatesNegativeAndZeroWeights) {
    EXPECT_TRUE(Split(10, SplitMode::kEven, {Who(1), Who(1)}).error().HasField("people/1/user_id", "duplicate"));
    EXPECT_TRUE(Split(10, SplitMode::kWeights, {W(1, -1)}).error().HasField("people/0/weight", "out_of_range"));
    EXPECT_TRUE(Split(10, SplitMode::kWeights, {W(1, 0), W(2, 0)}).error().HasField("people", "plan_zero_weights"));
    EXPECT_TRUE(Split(10, SplitMode::kEven, {}).error().HasField("people", "required"));
}

Plan MakePlan(core::Id id, std::optional<core::Id> dept, std::optional<core::Id> user, std::int64_t target) {
    Plan p;
    p.id = id;
    p.department_id = dept;
    p.user_id = user;
    p.target = target;
    return p;
}

TEST(PlanVsFactRollUp, DepartmentFactIsItsSubtreesAndPlansRollUp) {
    // Sales (1) → Design (2), Key (3). People: 10, 11 in design, 12 in key, 13 in sales itself.
    const std::vector<DeptNode> depts = {{1, std::nullopt, "Продажи"}, {2, 1, "Дизайн"}, {3, 1, "Ключевые"}};
    const std::vector<PersonNode> people = {{10, 2, "Анна"}, {11, 2, "Борис"}, {12, 3, "Вера"}, {13, 1, "Глеб"}};
    const std::vector<Plan> plans = {MakePlan(1, 1, std::nullopt, 1000), MakePlan(2, std::nullopt, 10, 300),
                                     MakePlan(3, std::nullopt, 11, 300), MakePlan(4, std::nullopt, 12, 400)};
    PersonFacts facts;
    facts[PlanMetric::kRevenue] = {{10, 150}, {11, 100}, {12, 50}, {13, 20}};
    Pace pace;
    pace.working_days_total = 20;
    pace.working_days_elapsed = 10;
    pace.started = true;
    const auto rows = PlanVsFact(depts, {1}, people, plans, {PlanMetric::kRevenue}, facts, pace);
    ASSERT_EQ(rows.size(), 7u);
    // Order: Продажи, Глеб, Дизайн, Анна, Борис, Ключевые, Вера
    EXPECT_EQ(rows[0].name, "Продажи");
    EXPECT_EQ(rows[1].name, "Глеб");
    EXPECT_EQ(rows[2].name, "Дизайн");
    EXPECT_EQ(rows[3].name, "Анна");
    EXPECT_EQ(rows[5].name, "Ключевые");
    const auto& top = rows[0].lines[0];
    EXPECT_EQ(top.fact, 320);
    EXPECT_EQ(top.target, 1000);
    EXPECT_EQ(top.children_target, 1000);  // design Σ 600 + key Σ 400 (+ Глеб without a plan)
    EXPECT_EQ(top.share_bp, 3200);
    EXPECT_EQ(top.projected, 640);
    EXPECT_EQ(top.projected_bp, 6400);
    const auto& design = rows[2].lines[0];
    EXPECT_FALSE(design.target);
    EXPECT_EQ(design.children_target, 600);
    EXPECT_EQ(design.fact, 250);
    EXPECT_EQ(design.share_bp, 4167);  // against the Σ of its people's plans
    EXPECT_EQ(rows[3].lines[0].share_bp, 5000);
    EXPECT_EQ(rows[3].lines[0].projected_bp, 10000);
}

TEST(Pace, WorkingDaysAndProjection) {
    auto cal = org::WorkCalendar::Make(org::CalendarSpec{});
    ASSERT_TRUE(cal.ok());
    const Period dec = PeriodContaining(PeriodKind::kMonth, *org::ParseDay("2026-12-15"));
    EXPECT_EQ(dec.FirstText(), "2026-12-01");
    EXPECT_EQ(dec.LastText(), "2026-12-31");
    // December 2026 Mon–Fri: 23 working days; by Tue 15th: 11 (1–4, 7–11, 14, 15).
    const Pace p = PaceOf(*cal, dec, *org::ParseDay("2026-12-15"));
    EXPECT_EQ(p.working_days_total, 23);
    EXPECT_EQ(p.working_days_elapsed, 11);
    EXPECT_EQ(p.calendar_days_elapsed, 15);
    EXPECT_EQ(ProjectedFact(1'100, p), 2'300);
    const Pace after = PaceOf(*cal, dec, *org::ParseDay("2027-01-10"));
    EXPECT_TRUE(after.finished);
    EXPECT_EQ(ProjectedFact(1'100, after), 1'100);
    const Pace before = PaceOf(*cal, dec, *org::ParseDay("2026-11-10"));
    EXPECT_FALSE(before.started);
    EXPECT_EQ(ProjectedFact(0, before), 0);
    EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, *org::ParseDay("2026-08-15")).FirstText(), "2026-07-01");
    EXPECT_TRUE(IsWholePeriod(PeriodKind::kYear, *org::ParseDay("2026-01-01"), *org::ParseDay("2026-12-31")));
    EXPECT_EQ(ShareBp(875, 1000), 8750);
    EXPECT_FALSE(ShareBp(1, 0));
}

TEST(Goals, ValidationAndMeasuredProgress) {
    GoalInput in;
    in.title = "Звонков в день не меньше 40";
    in.kpi = "calls_per_day";
    in.target = 4000;  // hundredths
    in.owner_user_id = 7;
    in.starts_on = "2026-12-01";
    in.deadline = "2026-12-31";
    auto g = BuildGoal(Goal{}, in);
    ASSERT_TRUE(g.ok());
    KpiValue v;
    v.code = KpiCode::kCallsPerDay;
    v.defined = true;
    v.value = 3000;
    auto p = ProgressOf(*g, v, "2026-12-10");
    EXPECT_EQ(p.share_bp, 7500);
    EXPECT_EQ(p.state, GoalState::kOnTrack);  // 75 % of the target, 32 % of the time
    p = ProgressOf(*g, v, "2027-01-02");
    EXPECT_EQ(p.state, GoalState::kOverdue);
    EXPECT_TRUE(p.overdue);
    v.value = 4100;
    EXPECT_EQ(ProgressOf(*g, v, "2026-12-10").state, GoalState::kAchieved);

    GoalInput bad = in;
    bad.kpi = "happiness";
    bad.target = -5;
    bad.deadline = "2026-11-01";
    auto e = BuildGoal(Goal{}, bad);
    ASSERT_FALSE(e.ok());
    EXPECT_TRUE(e.error().HasField("kpi", "unknown_metric"));
    EXPECT_TRUE(e.error().HasField("target", "negative_target"));
    EXPECT_TRUE(e.error().HasField("deadline", "before_start"));
}

TEST(Goals, LowerIsBetterKpi) {
    Goal g;
    g.id = 1;
    g.kpi = KpiCode::kSlaBreachRate;
    g.target = 500;  // at most 5 %
    g.starts_on = "2026-12-01";
    g.deadline = "2026-12-31";
    KpiValue v;
    v.defined = true;
    v.value = 1000;
    EXPECT_EQ(ProgressOf(g, v, "2026-12-10").state, GoalState::kBehind);
    EXPECT_EQ(ProgressOf(g, v, "2027-01-01").state, GoalState::kOverdue);
    v.value = 400;
    EXPECT_EQ(ProgressOf(g, v, "2026-12-10").state, GoalState::kOnTrack);
    EXPECT_EQ(ProgressOf(g, v, "2027-01-01").state, GoalState::kAchieved);
}

}  // namespace
}  // namespace otdel::plans
