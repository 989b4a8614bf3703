// The routing inputs cache (routing_cache.hpp) on each engine: a lead right after a change follows the new state,
// whichever way the change came — a rule edit, an absence and its cancellation, an employee's calendar, a public
// holiday, a move to another department, a dismissal through the org room, or plain SQL that no service sees — and
// leads without a change in between are routed from the cache, reading nothing again.
#include <gtest/gtest.h>

#include <memory>

#include "jobs/scheduler.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "org/calendar_service.hpp"
#include "routing/routing_service.hpp"

namespace otdel::routing {
namespace {

using leads::testing::kStart;  // Monday 2 March 2026, 12:00 in Moscow

class RoutingCache : public leads::testing::LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        const core::Id sales = Dept("Продажи", std::nullopt);
        desk_ = Dept("Лиды", sales);
        other_ = Dept("Дизайн", sales);
        a_ = Person("a@x.ru", "lead_manager", desk_);
        b_ = Person("b@x.ru", "lead_manager", desk_);
        c_ = Person("c@x.ru", "lead_manager", desk_);
        calendars_ = std::make_unique<org::CalendarService>(tdb_.db(), clock_);
        calendars_->EnsureBuiltinYears(ws_);
        routing_ = std::make_unique<RoutingService>(tdb_.db(), clock_, *calendars_);
        intake_->SetRoutingHook(
            [this](soci::session& sql, core::Id ws, core::Id id) { routing_->OnNewLead(sql, ws, id); });
        Rule r;
        r.name = "Сайт";
        r.when.channels = {"form"};
        r.department_id = desk_;
        r.strategy = Strategy::kRoundRobin;
        r.sla_minutes = 60;
        auto saved = routing_->CreateRule(sys_, r);
        ASSERT_TRUE(saved.ok());
        rule_ = *saved;
    }

    // A new lead's owner (nullopt: queued or no rule).
    std::optional<core::Id> Route() {
        auto out = intake_->Accept(Form("Заявка " + std::to_string(++n_), {"+7 912 " + std::to_string(3000000 + n_)}));
        EXPECT_TRUE(out.ok());
        if (!out.ok() || !out->lead_id) return std::nullopt;
        long long id = *out->lead_id, owner = 0;
        soci::indicator ind = soci::i_null;
        tdb_.db().Read([&](soci::session& sql) {
            sql << "SELECT owner_user_id FROM leads WHERE id = :id", soci::use(id, "id"), soci::into(owner, ind);
            return 0;
        });
        return ind == soci::i_ok ? std::optional<core::Id>(owner) : std::nullopt;
    }

    void Exec(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok());
    }

    org::Absence Away(core::Id who, core::Id substitute, const std::string& kind = "vacation") {
        org::Absence away;
        away.user_id = who;
        away.substitute_user_id = substitute;
        away.kind = kind;
        away.starts_on = "2026-03-02";
        away.ends_on = "2026-03-06";
        return away;
    }

    core::Id desk_ = 0, other_ = 0, a_ = 0, b_ = 0, c_ = 0;
    int n_ = 0;
    Rule rule_;
    std::unique_ptr<org::CalendarService> calendars_;
    std::unique_ptr<RoutingService> routing_;
};

TEST_P(RoutingCache, LeadsWithoutAChangeBetweenThemReadNothingAgain) {
    EXPECT_EQ(Route(), a_);
    const auto reloads = routing_->inputs().reloads();
    // Each lead writes the rule's cursor, counters, its clock, a job and a notification: none of that is an input.
    EXPECT_EQ(Route(), b_);
    EXPECT_EQ(Route(), c_);
    EXPECT_EQ(Route(), a_);
    EXPECT_EQ(routing_->inputs().reloads(), reloads);
}

TEST_P(RoutingCache, AnEditedRuleTakesTheNextLead) {
    EXPECT_EQ(Route(), a_);
    Rule only_c = rule_;
    only_c.members = {{c_, 1}};
    ASSERT_TRUE(routing_->UpdateRule(sys_, rule_.id, only_c).ok());
    EXPECT_EQ(Route(), c_);
    EXPECT_EQ(Route(), c_);
    Rule off = only_c;
    off.active = false;
    ASSERT_TRUE(routing_->UpdateRule(sys_, rule_.id, off).ok());
    EXPECT_EQ(Route(), std::nullopt) << "no active rule: the lead keeps no owner";
    ASSERT_TRUE(routing_->DeleteRule(sys_, rule_.id).ok());
    EXPECT_EQ(Route(), std::nullopt);
}

TEST_P(RoutingCache, AnAbsenceAndItsCancellationTakeEffectAtTheNextLead) {
    EXPECT_EQ(Route(), a_);
    auto away_b = org_->CreateAbsence(sys_, Away(b_, c_));
    ASSERT_TRUE(away_b.ok());
    EXPECT_EQ(Route(), c_) << "b is away";
    ASSERT_TRUE(org_->CancelAbsence(sys_, away_b->id).ok());
    ASSERT_TRUE(org_->CreateAbsence(sys_, Away(a_, b_, "sick_leave")).ok());
    EXPECT_EQ(Route(), b_) << "a is away now, b is back";
}

TEST_P(RoutingCache, AnEmployeesCalendarAndAPublicHolidayTakeEffectAtTheNextLead) {
    EXPECT_EQ(Route(), a_);
    org::CalendarSettingsInput evenings;
    org::WeekSchedule week;
    for (int d = 0; d < 7; ++d) week[d] = {org::Interval{18 * 60, 23 * 60}};
    evenings.week = week;
    core::Actor admin = sys_;
    admin.is_admin = true;  // calendars are the administrator's
    ASSERT_TRUE(calendars_->PutSettings(admin, org::CalendarScope::kEmployee, b_, evenings).ok());
    EXPECT_EQ(Route(), c_) << "b works evenings only: off shift at noon";
    ASSERT_TRUE(calendars_->DeleteOverride(admin, org::CalendarScope::kEmployee, b_).ok());
    EXPECT_EQ(Route(), a_);
    EXPECT_EQ(Route(), b_) << "b's override is gone";

    org::NewCalendarDay holiday;
    holiday.day = *org::ParseDay("2026-03-02");
    holiday.kind = org::DayKind::kHoliday;
    holiday.name = "Выходной";
    ASSERT_TRUE(calendars_->AddDay(admin, holiday).ok());
    EXPECT_EQ(Route(), std::nullopt) << "today is a holiday for everyone: the lead waits in the queue";
}

TEST_P(RoutingCache, PoolMembershipFollowsTheOrgRoom) {
    EXPECT_EQ(Route(), a_);
    org::EmployeeInput move;
    move.department_id = other_;
    long long b_employee = 0;
    tdb_.db().Read([&](soci::session& sql) {
        long long uid = b_;
        sql << "SELECT id FROM employees WHERE user_id = :u", soci::use(uid, "u"), soci::into(b_employee);
        return 0;
    });
    ASSERT_TRUE(org_->UpdateEmployee(sys_, b_employee, move).ok());
    EXPECT_EQ(Route(), c_) << "b moved to another department";
    EXPECT_EQ(Route(), a_);
    const core::Id d = Person("d@x.ru", "lead_manager", desk_);
    EXPECT_EQ(Route(), c_);
    EXPECT_EQ(Route(), d) << "a new hire joins the rotation";
}

TEST_P(RoutingCache, ChangesMadeWithPlainSqlAreSeenToo) {
    // No service is told about these: the triggers of migration 0015 are.
    EXPECT_EQ(Route(), a_);
    Exec("UPDATE employees SET status = 'dismissed' WHERE user_id = " + std::to_string(b_));
    EXPECT_EQ(Route(), c_);
    Exec("UPDATE employees SET status = 'active' WHERE user_id = " + std::to_string(b_));
    Exec("INSERT INTO absences (workspace_id, user_id, kind, starts_on, ends_on, created_at, updated_at) VALUES (" +
         std::to_string(ws_) + ", " + std::to_string(a_) + ", 'day_off', '2026-03-02', '2026-03-02', 0, 0)");
    EXPECT_EQ(Route(), b_) << "after c comes a, who has a day off";
    Exec("UPDATE routing_rules SET active = 0");
    EXPECT_EQ(Route(), std::nullopt);
}

TEST_P(RoutingCache, ARolledBackChangeLeavesNothingBehindInTheCache) {
    EXPECT_EQ(Route(), a_);
    // A transaction that changes an input, routes with it (filling the cache under its own token) and rolls back.
    auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
        long long ws = ws_, b = b_;
        sql << "UPDATE employees SET status = 'dismissed' WHERE workspace_id = :ws AND user_id = :u",
            soci::use(ws, "ws"), soci::use(b, "u");
        LeadFacts f;
        f.channel = "form";
        EXPECT_EQ(routing_->DecideIn(sql, ws_, f, clock_.NowMs(), {}, std::nullopt).user_id, c_);
        return core::Error::Of(core::ErrorCode::kConflict);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(Route(), b_) << "the dismissal never happened";
    // And a later, committed change is not mistaken for the rolled-back one.
    Exec("UPDATE employees SET status = 'dismissed' WHERE user_id = " + std::to_string(c_));
    EXPECT_EQ(Route(), a_);
}

TEST_P(RoutingCache, TheWorkspacesTimeZoneMovesItsDay) {
    // 12:00 in Moscow is 09:00 UTC; in Vladivostok (UTC+10) it is 19:00, after working hours.
    EXPECT_EQ(Route(), a_);
    Exec("UPDATE workspaces SET time_zone = 'Asia/Vladivostok' WHERE id = " + std::to_string(ws_));
    EXPECT_EQ(Route(), std::nullopt) << "everyone is off shift in the new zone";
}

INSTANTIATE_TEST_SUITE_P(Engines, RoutingCache, ::testing::ValuesIn(::otdel::testing::Engines()),
                         [](const auto& info) { return ::otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::routing
