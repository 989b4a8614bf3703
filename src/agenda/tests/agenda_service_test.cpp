// The daily plan and the team's (ACT-2) on both engines: a seller's day in the workspace's calendar — meetings they
// host or attend, calls, tasks due today, overdue tasks, idle deals, running SLA clocks, instalments due —, who may
// open whose day (404 outside the tree), the head's team with per-person counts; the week view's events and a meeting
// moved by drag (validated, only by who may change it).
#include "agenda/tests/agenda_fixture.hpp"

namespace otdel::agenda {
namespace {

using testing::AgendaFixture;
using testing::kDay;
using testing::kHour;

// kStart is 2026-03-02T09:00Z = 12:00 in Moscow, the workspace's zone.
constexpr const char* kToday = "2026-03-02";

class AgendaServiceTest : public AgendaFixture {};

TEST_P(AgendaServiceTest, ASellersDayHasEverySection) {
    const core::Millis now = clock_.NowMs();
    const core::Id deal = Deal(seller_, "Кухня «Модерн»");
    const core::Id hosted = Meeting(seller_, deal, now + 3 * kHour);
    const core::Id attended = Meeting(colleague_, Deal(colleague_), now + 5 * kHour, {seller_});
    const core::Id tomorrow = Meeting(seller_, deal, now + kDay);
    const core::Id call = Call(seller_, deal, 95, false);
    const core::Id due_tonight = Task(seller_, deal, now + 6 * kHour);
    const core::Id overdue = Task(seller_, deal, now - 2 * kDay, "Перезвонить");
    Task(colleague_, Deal(colleague_), now - kDay);  // someone else's

    // An idle deal (its stage idles after N days; nothing happened for 60), a running SLA clock, an invoice due.
    const core::Id idle = Deal(seller_, "Шкаф-купе");
    Exec("UPDATE deals SET last_activity_at = " + std::to_string(now - 60 * kDay) +
         " WHERE id = " + std::to_string(idle));
    Exec("UPDATE pipeline_stages SET idle_days = 14");
    auto lead = intake_->Accept(Form("Нужна кухня", {"+79161234567"}));
    ASSERT_TRUE(lead.ok());
    const std::string lid = std::to_string(*lead->lead_id);
    Exec("UPDATE leads SET owner_user_id = " + std::to_string(seller_) + " WHERE id = " + lid);
    Exec("INSERT INTO lead_routing (workspace_id, lead_id, state, deadline_at, sla_minutes, updated_at) VALUES (" +
         std::to_string(ws_) + ", " + lid + ", 'running', " + std::to_string(now + 20 * 60'000) + ", 30, " +
         std::to_string(now) + ")");
    Exec(
        "INSERT INTO invoices (workspace_id, deal_id, number, state, issue_date, due_date, next_due_date, total_minor, "
        "paid_minor, payer_name, created_at, updated_at) VALUES (" +
        std::to_string(ws_) + ", " + std::to_string(deal) +
        ", '2026-000001', 'issued', '2026-02-20', '2026-03-01', '2026-03-01', 12000000, 2000000, 'ООО Ромашка', " +
        std::to_string(now) + ", " + std::to_string(now) + ")");

    auto day = agenda_->Day(As(seller_), std::nullopt, std::nullopt);
    ASSERT_TRUE(day.ok()) << day.error().message_key;
    EXPECT_EQ(day->date, kToday);
    EXPECT_EQ(day->time_zone, "Europe/Moscow");
    ASSERT_EQ(day->sections.meetings.size(), 2u);
    EXPECT_EQ(day->sections.meetings[0].id, hosted);
    EXPECT_EQ(day->sections.meetings[1].id, attended);
    for (const auto& m : day->sections.meetings) EXPECT_NE(m.id, tomorrow);
    ASSERT_EQ(day->sections.calls.size(), 1u);
    EXPECT_EQ(day->sections.calls[0].id, call);
    EXPECT_EQ(day->sections.calls[0].call_duration_s, 95);
    ASSERT_EQ(day->sections.tasks.size(), 1u);
    EXPECT_EQ(day->sections.tasks[0].id, due_tonight);
    ASSERT_EQ(day->sections.overdue.size(), 1u);
    EXPECT_EQ(day->sections.overdue[0].id, overdue);
    ASSERT_EQ(day->idle_deals.size(), 1u);
    EXPECT_EQ(day->idle_deals[0].id, idle);
    EXPECT_EQ(day->idle_deals[0].idle_days, 14);
    ASSERT_EQ(day->sla.size(), 1u);
    EXPECT_FALSE(day->sla[0].view.breached);
    EXPECT_EQ(day->sla[0].view.remaining_ms, 20 * 60'000);
    ASSERT_EQ(day->instalments.size(), 1u);
    EXPECT_EQ(day->instalments[0].outstanding_minor, 10'000'000);
    EXPECT_EQ(day->instalments[0].due_date, "2026-03-01");
    EXPECT_EQ(day->counts.meetings, 2);
    EXPECT_EQ(day->counts.sla_running, 1);
    EXPECT_FALSE(day->has_team);

    // Half an hour later the clock has breached and the task due tonight is still today's.
    clock_.Advance(30 * 60'000);
    day = agenda_->Day(As(seller_), std::nullopt, std::nullopt);
    ASSERT_TRUE(day.ok());
    EXPECT_TRUE(day->sla[0].view.breached);
    EXPECT_EQ(day->counts.sla_breached, 1);
    EXPECT_EQ(day->counts.sla_running, 0);

    // Another day by date; a malformed one is a clear 400.
    auto next = agenda_->Day(As(seller_), std::nullopt, std::string("2026-03-03"));
    ASSERT_TRUE(next.ok());
    ASSERT_EQ(next->sections.meetings.size(), 1u);
    EXPECT_EQ(next->sections.meetings[0].id, tomorrow);
    auto bad = agenda_->Day(As(seller_), std::nullopt, std::string("2026-02-30"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(bad.error().fields.at(0).field, "date");
}

TEST_P(AgendaServiceTest, TheHeadSeesTheTeamASellerOnlyThemself) {
    const core::Millis now = clock_.NowMs();
    const core::Id deal = Deal(seller_);
    Meeting(seller_, deal, now + kHour);
    Task(seller_, deal, now - kDay);
    Task(seller_, deal, now - 2 * kDay);
    Call(colleague_, Deal(colleague_), 30, false);

    auto team = agenda_->Team(As(rop_), std::nullopt);
    ASSERT_TRUE(team.ok());
    ASSERT_GE(team->people.size(), 4u);           // the head, both sellers, the analyst
    EXPECT_EQ(team->people[0].user_id, seller_);  // overdue tasks come first
    EXPECT_EQ(team->people[0].overdue, 2);
    EXPECT_EQ(team->people[0].meetings, 1);
    EXPECT_EQ(team->totals.calls, 1);
    EXPECT_EQ(team->totals.overdue, 2);

    auto own = agenda_->Team(As(seller_), std::nullopt);
    ASSERT_TRUE(own.ok());
    ASSERT_EQ(own->people.size(), 1u);
    EXPECT_EQ(own->people[0].user_id, seller_);

    // Drill-in: the head opens the seller's day; a seller cannot open a colleague's (404, not 403).
    auto drill = agenda_->Day(As(rop_), seller_, std::nullopt);
    ASSERT_TRUE(drill.ok());
    EXPECT_EQ(drill->person.user_id, seller_);
    EXPECT_EQ(drill->sections.overdue.size(), 2u);
    EXPECT_TRUE(agenda_->Day(As(rop_), std::nullopt, std::nullopt)->has_team);
    auto peek = agenda_->Day(As(colleague_), seller_, std::nullopt);
    ASSERT_FALSE(peek.ok());
    EXPECT_EQ(peek.error().code, core::ErrorCode::kNotFound);
}

TEST_P(AgendaServiceTest, WeekViewAndDragToReschedule) {
    const core::Millis now = clock_.NowMs();
    const core::Id deal = Deal(seller_);
    const core::Id meeting = Meeting(seller_, deal, now + kDay);
    const core::Id task = Task(seller_, deal, now + 2 * kDay);
    Task(seller_, deal, now + 30 * kDay);  // outside the week

    auto week = agenda_->Events(As(seller_), now - kDay, now + 6 * kDay, std::nullopt, false);
    ASSERT_TRUE(week.ok());
    ASSERT_EQ(week->size(), 2u);
    EXPECT_EQ((*week)[0].id, meeting);
    EXPECT_TRUE((*week)[0].editable);
    EXPECT_EQ((*week)[1].id, task);
    EXPECT_FALSE((*week)[1].editable);
    auto team = agenda_->Events(As(rop_), now - kDay, now + 6 * kDay, std::nullopt, true);
    ASSERT_TRUE(team.ok());
    EXPECT_EQ(team->size(), 2u);
    EXPECT_TRUE((*team)[0].editable);  // the head may move the seller's meeting
    EXPECT_FALSE(agenda_->Events(As(seller_), now, now + 60 * kDay, std::nullopt, false).ok());
    EXPECT_EQ(agenda_->Events(As(colleague_), now, now + kDay, seller_, false).error().code,
              core::ErrorCode::kNotFound);

    // Moved a day later by the seller; an end before the start changes nothing.
    auto moved = agenda_->Reschedule(As(seller_), meeting, now + 2 * kDay, now + 2 * kDay + kHour);
    ASSERT_TRUE(moved.ok()) << moved.error().message_key;
    EXPECT_EQ(moved->start, now + 2 * kDay);
    auto back = agenda_->Reschedule(As(seller_), meeting, now + 3 * kDay, now + 3 * kDay - 1);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(back.error().fields.at(0).field, "ends_at");
    auto got = activities_->Get(As(seller_), meeting);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->starts_at, now + 2 * kDay);
    EXPECT_EQ(got->at, now + 2 * kDay);  // the timeline follows the start
    // A colleague cannot move it (not theirs to see: 404); a task is not a meeting.
    EXPECT_EQ(agenda_->Reschedule(As(colleague_), meeting, now, now + kHour).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(agenda_->Reschedule(As(seller_), task, now, now + kHour).error().message_key, "agenda.not_meeting");
    EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'activity' AND action LIKE '%update%'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, AgendaServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::agenda
