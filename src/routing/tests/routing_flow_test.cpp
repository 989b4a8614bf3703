// The routing room end to end on each engine, with the manual clock: intake → assignment → no response for the
// SLA → reassigned and notified → escalated; first responses, closes, weekends, absences, queues and restarts.
#include <gtest/gtest.h>

#include <memory>

#include "clients/clients_service.hpp"
#include "jobs/scheduler.hpp"
#include "leads/lead_service.hpp"
#include "leads/tests/lead_fixture.hpp"
#include "org/calendar_service.hpp"
#include "routing/routing_service.hpp"

namespace otdel::routing {
namespace {

using core::kMinute;
using leads::testing::kStart;  // Monday 2 March 2026, 12:00 in Moscow

class RoutingFlow : public leads::testing::LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        const core::Id sales = Dept("Продажи", std::nullopt);
        desk_ = Dept("Лиды", sales);
        head_ = Person("head@x.ru", "head_of_sales", sales);
        a_ = Person("a@x.ru", "lead_manager", desk_);
        b_ = Person("b@x.ru", "lead_manager", desk_);
        c_ = Person("c@x.ru", "lead_manager", desk_);
        org::DepartmentInput in;
        in.set_head = true;
        in.head_user_id = head_;
        ASSERT_TRUE(org_->UpdateDepartment(sys_, sales, in).ok());
        calendars_ = std::make_unique<org::CalendarService>(tdb_.db(), clock_);
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        leads_ = std::make_unique<leads::LeadService>(tdb_.db(), clock_, *clients_, *intake_);
        Start();
    }

    // (Re)creates the service and the scheduler, as a server start does.
    void Start() {
        scheduler_.reset();
        routing_ = std::make_unique<RoutingService>(tdb_.db(), clock_, *calendars_);
        intake_->SetRoutingHook(
            [this](soci::session& sql, core::Id ws, core::Id id) { routing_->OnNewLead(sql, ws, id); });
        leads_->SetLifecycleHook([this](soci::session& sql, const leads::Lead& l, leads::LeadEvent e,
                                        const core::Actor& by,
                                        core::Millis now) { routing_->OnLeadEvent(sql, l, e, by, now); });
        scheduler_ = std::make_unique<jobs::Scheduler>(tdb_.db(), clock_);
        routing_->AttachScheduler(*scheduler_);
    }

    Rule MakeRule(int sla = 60, int escalate_after = 2) {
        Rule r;
        r.name = "Сайт";
        r.when.channels = {"form"};
        r.department_id = desk_;
        r.strategy = Strategy::kRoundRobin;
        r.sla_minutes = sla;
        r.escalate_after = escalate_after;
        auto saved = routing_->CreateRule(sys_, r);
        EXPECT_TRUE(saved.ok()) << (saved.ok() ? "" : saved.error().message_key);
        return saved.ok() ? *saved : r;
    }

    core::Id NewLead(const std::string& phone) {
        auto out = intake_->Accept(Form("Нужна кухня 3 метра, бюджет 300 тысяч", {phone}));
        EXPECT_TRUE(out.ok());
        return out.ok() && out->lead_id ? *out->lead_id : 0;
    }

    std::optional<core::Id> Owner(core::Id lead) {
        long long id = lead, owner = 0;
        soci::indicator ind = soci::i_null;
        tdb_.db().Read([&](soci::session& sql) {
            sql << "SELECT owner_user_id FROM leads WHERE id = :id", soci::use(id, "id"), soci::into(owner, ind);
            return 0;
        });
        return ind == soci::i_ok ? std::optional<core::Id>(owner) : std::nullopt;
    }

    store::LeadRouting Clock(core::Id lead) {
        return tdb_.db().Read([&](soci::session& sql) { return *store::GetLeadRouting(sql, ws_, lead); });
    }

    long long Notifications(core::Id user, const std::string& kind) {
        return Count("SELECT COUNT(*) FROM notifications WHERE user_id = " + std::to_string(user) + " AND kind = '" +
                     kind + "'");
    }

    void Advance(core::Millis ms) {
        clock_.Advance(ms);
        scheduler_->RunDue();
    }

    core::Id desk_ = 0, head_ = 0, a_ = 0, b_ = 0, c_ = 0;
    std::unique_ptr<org::CalendarService> calendars_;
    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<leads::LeadService> leads_;
    std::unique_ptr<RoutingService> routing_;
    std::unique_ptr<jobs::Scheduler> scheduler_;
};

TEST_P(RoutingFlow, ThreeHundredLeadsGoOneHundredToEachAcrossARestart) {
    MakeRule();
    std::map<core::Id, int> got;
    auto feed = [&](int from, int n) {
        std::vector<leads::IncomingLead> batch;
        for (int i = from; i < from + n; ++i)
            batch.push_back(Form("Заявка " + std::to_string(i), {"+7 912 " + std::to_string(1000000 + i)}));
        for (const auto& r : intake_->AcceptBatch(batch)) {
            ASSERT_TRUE(r.ok());
            ++got[*Owner(*r->lead_id)];
        }
    };
    feed(0, 50);
    feed(50, 101);
    Start();  // a restart: the rotation continues from the stored cursor
    feed(151, 149);
    EXPECT_EQ(got[a_], 100);
    EXPECT_EQ(got[b_], 100);
    EXPECT_EQ(got[c_], 100);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments WHERE reason = 'routed'"), 300);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.route'"), 300);
}

TEST_P(RoutingFlow, NoResponseForSixtyOneWorkingMinutesReassignsAndNotifiesEveryone) {
    MakeRule(60);
    const core::Id lead = NewLead("+79120000001");
    EXPECT_EQ(Owner(lead), a_);
    EXPECT_EQ(Clock(lead).state, "running");
    EXPECT_EQ(*Clock(lead).deadline_at, kStart + 60 * kMinute);
    EXPECT_EQ(Notifications(a_, "routing.assigned"), 1);
    Advance(59 * kMinute);
    EXPECT_EQ(Owner(lead), a_) << "not yet due";
    Advance(2 * kMinute);
    EXPECT_EQ(Owner(lead), b_);
    const auto clock = Clock(lead);
    EXPECT_EQ(clock.state, "running");
    EXPECT_EQ(clock.reassignments, 1);
    EXPECT_EQ(clock.breaches, 1);
    EXPECT_EQ(*clock.deadline_at, kStart + 61 * kMinute + 60 * kMinute);
    EXPECT_EQ(Notifications(a_, "routing.taken_away"), 1);
    EXPECT_EQ(Notifications(b_, "routing.reassigned_to_you"), 1);
    EXPECT_EQ(Notifications(head_, "routing.breach"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments WHERE end_reason = 'breached' AND breached_at IS NOT NULL"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.sla_breach'"), 1);
}

TEST_P(RoutingFlow, AfterTheAllowedReassignmentsTheNextBreachGoesToTheHead) {
    MakeRule(60, 1);
    const core::Id lead = NewLead("+79120000002");
    Advance(61 * kMinute);
    EXPECT_EQ(Owner(lead), b_);
    Advance(61 * kMinute);
    EXPECT_EQ(Owner(lead), head_);
    EXPECT_EQ(Clock(lead).state, "escalated");
    EXPECT_EQ(Clock(lead).breaches, 2);
    EXPECT_EQ(Notifications(head_, "routing.escalated"), 1);
    Advance(24 * 60 * kMinute);
    EXPECT_EQ(Owner(lead), head_) << "an escalated lead has no clock";
}

TEST_P(RoutingFlow, TheWorkspacesResponseStatusStopsTheClockAndRecordsTheWorkingTime) {
    MakeRule(60);
    const core::Id lead = NewLead("+79120000003");
    clock_.Advance(20 * kMinute);
    ASSERT_TRUE(leads_->SetStatus(As(a_), lead, "in_work", std::nullopt, "").ok());
    const auto clock = Clock(lead);
    EXPECT_EQ(clock.state, "responded");
    EXPECT_EQ(*clock.first_response_at, kStart + 20 * kMinute);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments WHERE response_working_ms = 1200000"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE kind = 'routing.sla' AND status = 'pending'"), 0);
    Advance(3 * 60 * kMinute);
    EXPECT_EQ(Owner(lead), a_);
}

TEST_P(RoutingFlow, ClosingOrMovingALeadCancelsItsTimer) {
    MakeRule(60);
    const core::Id junk = NewLead("+79120000004");
    const core::Id moved = NewLead("+79120000005");
    ASSERT_TRUE(leads_->SetStatus(sys_, junk, "junk", std::string("spam"), "").ok());
    leads::LeadInput in;
    in.set_owner = true;
    in.owner_user_id = c_;
    ASSERT_TRUE(leads_->Update(sys_, moved, in).ok());
    EXPECT_EQ(Clock(junk).state, "cancelled");
    EXPECT_EQ(Clock(moved).state, "cancelled");
    Advance(5 * 60 * kMinute);
    EXPECT_EQ(Owner(junk), a_);
    EXPECT_EQ(Owner(moved), c_);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments WHERE reason = 'manual'"), 1);
}

// Monday 9 March 2026 is a public holiday (8 March moved from Sunday) in the built-in production calendar.
TEST_P(RoutingFlow, AFridayEveningLeadBreachesAfterTheWeekendAndTheHolidayNotDuringThem) {
    MakeRule(60);
    // Monday 12:00 → Friday 17:30 (Moscow).
    clock_.Advance((4 * 24 * 60 + 5 * 60 + 30) * kMinute);
    const core::Id lead = NewLead("+79120000006");
    const core::Id first = *Owner(lead);
    const core::Millis friday = clock_.NowMs();
    EXPECT_EQ(*Clock(lead).deadline_at, friday + (30 + 87 * 60 + 30) * kMinute);  // Tuesday 10 March, 09:30
    Advance((30 + 87 * 60 + 29) * kMinute);
    EXPECT_EQ(Owner(lead), first) << "09:29 on Tuesday";
    Advance(2 * kMinute);
    EXPECT_NE(Owner(lead), first);
}

TEST_P(RoutingFlow, AnAbsenceThatStartsMidSlaBreachesOnTimeAndSkipsTheAbsentee) {
    MakeRule(60);
    clock_.Advance((4 * 24 * 60 + 5 * 60 + 30) * kMinute);  // Friday 17:30
    const core::Id lead = NewLead("+79120000007");
    const core::Id first = *Owner(lead);
    org::Absence away;
    away.user_id = first;
    away.kind = "sick_leave";
    away.starts_on = "2026-03-10";
    away.ends_on = "2026-03-13";
    away.substitute_user_id = first == a_ ? b_ : a_;
    ASSERT_TRUE(org_->CreateAbsence(sys_, away).ok());
    Advance((30 + 87 * 60 + 31) * kMinute);  // Tuesday 09:31
    const auto now_owner = Owner(lead);
    ASSERT_TRUE(now_owner);
    EXPECT_NE(*now_owner, first);
}

TEST_P(RoutingFlow, ARestartBetweenAssignmentAndDeadlineLosesNothingAndFiresOnce) {
    MakeRule(60);
    const core::Id lead = NewLead("+79120000008");
    Start();  // the process is gone; the timer is a row
    Advance(61 * kMinute);
    EXPECT_EQ(Owner(lead), b_);
    Start();
    Advance(kMinute);
    scheduler_->RunDue();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments WHERE lead_id = " + std::to_string(lead)), 2);
    EXPECT_EQ(Clock(lead).reassignments, 1);
}

TEST_P(RoutingFlow, NobodyEligibleQueuesTheLeadAlertsTheHeadAndRetriesWhenWorkStarts) {
    MakeRule(60);
    clock_.Advance(7 * 60 * kMinute);  // Monday 19:00: everyone is off shift
    const core::Id lead = NewLead("+79120000009");
    EXPECT_FALSE(Owner(lead));
    EXPECT_EQ(Clock(lead).state, "queued");
    EXPECT_EQ(Notifications(head_, "routing.queued"), 1);
    Advance(13 * 60 * kMinute + kMinute);  // Tuesday 08:01
    EXPECT_FALSE(Owner(lead));
    Advance(60 * kMinute);  // Tuesday 09:01
    EXPECT_EQ(Owner(lead), a_);
    EXPECT_EQ(Clock(lead).state, "running");
}

TEST_P(RoutingFlow, RulesReferringToMissingPeopleOrDepartmentsAreRefused) {
    Rule r;
    r.name = "Плохое";
    r.department_id = 99999;
    r.strategy = Strategy::kRoundRobin;
    r.sla_minutes = 60;
    auto bad = routing_->CreateRule(sys_, r);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "department_id");
    r.department_id.reset();
    r.members = {{a_, 1}, {424242, 1}};
    bad = routing_->CreateRule(sys_, r);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at(0).field, "members/1/user_id");
    EXPECT_EQ(bad.error().fields.at(0).code, "not_employee");
    r.members = {{a_, 1}};
    r.sla_minutes = 0;
    EXPECT_FALSE(routing_->CreateRule(sys_, r).ok());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM routing_rules"), 0);
    // A seller may not change the rules.
    r.sla_minutes = 5;
    auto forbidden = routing_->CreateRule(As(a_), r);
    ASSERT_FALSE(forbidden.ok());
    EXPECT_EQ(forbidden.error().code, core::ErrorCode::kForbidden);
}

TEST_P(RoutingFlow, TheSimulatorExplainsWithoutAssigning) {
    MakeRule(60);
    LeadFacts f;
    f.channel = "form";
    auto sim = routing_->Simulate(sys_, f);
    ASSERT_TRUE(sim.ok());
    EXPECT_EQ(sim->decision.user_id, a_);
    EXPECT_NE(sim->explanation.find("round_robin"), std::string::npos);
    f.channel = "phone";
    auto none = routing_->Simulate(sys_, f);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->decision.rule_id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM lead_assignments"), 0);
}

TEST_P(RoutingFlow, ThePoolHeadIsWarnedOfDaysWithFewerThanTwoLeadManagersOnDuty) {
    MakeRule(60);
    for (core::Id who : {b_, c_}) {
        org::Absence away;
        away.user_id = who;
        away.kind = "day_off";
        away.starts_on = "2026-03-04";  // Wednesday
        away.ends_on = "2026-03-04";
        ASSERT_TRUE(org_->CreateAbsence(sys_, away).ok());
    }
    auto report = routing_->Coverage(sys_);
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->size(), 1u);
    EXPECT_EQ(report->front().lead_managers, 3);
    ASSERT_EQ(report->front().gaps.size(), 1u);
    EXPECT_EQ(org::FormatDay(report->front().gaps[0].day), "2026-03-04");
    EXPECT_EQ(report->front().gaps[0].on_duty, 1);
    scheduler_->RunDue();  // the daily check armed when the rule was saved
    EXPECT_EQ(Notifications(head_, "routing.coverage_low"), 1);
    Advance(24 * 60 * kMinute);  // the next day's check: Wednesday is still ahead
    EXPECT_EQ(Notifications(head_, "routing.coverage_low"), 2);
    Advance(2 * 24 * 60 * kMinute);  // Thursday: the gap has passed, nothing to warn about
    EXPECT_EQ(Notifications(head_, "routing.coverage_low"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE kind = 'routing.coverage' AND status = 'pending'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, RoutingFlow, ::testing::ValuesIn(::otdel::testing::Engines()),
                         [](const auto& info) { return ::otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::routing
