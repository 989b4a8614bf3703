// Calendars (ACT-4) on both engines: secret feed URLs — the feed of a person and of a head's team read by libical's
// parser, revoked and regenerated tokens answering 404, a disabled owner's feed gone — and meeting reminders as
// durable jobs on the manual clock: 15 minutes before, to the host and our participants, once, again at a new time
// after a move, never for a held or deleted meeting.
#include <libical/ical.h>

#include "agenda/tests/agenda_fixture.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::agenda {
namespace {

using testing::AgendaFixture;
using testing::kDay;
using testing::kHour;
using testing::kMinute;

class CalendarServiceTest : public AgendaFixture {
protected:
    int Events(const std::string& ics) {
        icalcomponent* cal = icalparser_parse_string(ics.c_str());
        if (!cal) return -1;
        const int n = icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
        icalcomponent_free(cal);
        return n;
    }
    long long Reminders(core::Id user) {
        return Count("SELECT COUNT(*) FROM notifications WHERE kind = 'agenda.meeting_reminder' AND user_id = " +
                     std::to_string(user));
    }
};

TEST_P(CalendarServiceTest, FeedsBehindSecretRevocableUrls) {
    const core::Millis now = clock_.NowMs();
    const core::Id deal = Deal(seller_);
    Meeting(seller_, deal, now + kDay);
    Task(seller_, deal, now + 2 * kDay);
    Meeting(colleague_, Deal(colleague_), now + kDay);

    auto feed = agenda_->CreateFeed(As(seller_), "user");
    ASSERT_TRUE(feed.ok());
    EXPECT_EQ(feed->token.size(), 64u);
    EXPECT_EQ(feed->feed.token_hint, feed->token.substr(0, 6));
    // Only the hash is stored.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = '" + core::Sha256Hex(feed->token) + "'"),
              1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = '" + feed->token + "'"), 0);
    auto text = agenda_->FeedText(feed->token);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(Events(*text), 2);  // own meeting and task; not the colleague's
    EXPECT_NE(text->find("SUMMARY:Задача: Выставить счёт"), std::string::npos);

    auto team = agenda_->CreateFeed(As(rop_), "team");
    ASSERT_TRUE(team.ok());
    EXPECT_EQ(Events(*agenda_->FeedText(team->token)), 3);

    // Regenerated: the old URL is gone, the new one works; revoked: 404; garbage: 404.
    auto again = agenda_->RegenerateFeed(As(seller_), feed->feed.id);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(agenda_->FeedText(feed->token).error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(agenda_->FeedText(again->token).ok());
    EXPECT_EQ(agenda_->RegenerateFeed(As(colleague_), again->feed.id).error().code, core::ErrorCode::kNotFound);
    ASSERT_TRUE(agenda_->RevokeFeed(As(seller_), again->feed.id).ok());
    EXPECT_EQ(agenda_->FeedText(again->token).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(agenda_->FeedText("not-a-token").error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(agenda_->CreateFeed(As(seller_), "company").error().fields.at(0).field, "scope");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_feed.revoke'"), 2);
    auto mine = agenda_->Feeds(As(seller_));
    ASSERT_TRUE(mine.ok());
    ASSERT_EQ(mine->size(), 2u);
    EXPECT_TRUE((*mine)[0].revoked_at.has_value());

    // A disabled owner's feed stops.
    Exec("UPDATE users SET status = 'disabled' WHERE id = " + std::to_string(rop_));
    EXPECT_EQ(agenda_->FeedText(team->token).error().code, core::ErrorCode::kNotFound);
}

TEST_P(CalendarServiceTest, RemindersFifteenMinutesBeforeOnceAndAfterAMove) {
    jobs::Scheduler scheduler(tdb_.db(), clock_);
    agenda_->AttachScheduler(scheduler);
    const core::Millis now = clock_.NowMs();
    const core::Id meeting = Meeting(seller_, Deal(seller_), now + kHour, {colleague_});
    const core::Id held = Meeting(seller_, Deal(seller_), now + kHour);
    activities::ActivityInput done;
    done.done = true;
    done.result = "Договорились о замере";
    ASSERT_TRUE(activities_->Update(As(seller_), held, done).ok());

    scheduler.RunDue();  // the sweep plans the reminders of the next two hours
    EXPECT_EQ(Reminders(seller_), 0);
    clock_.Advance(44 * kMinute);
    scheduler.RunDue();
    EXPECT_EQ(Reminders(seller_), 0);
    clock_.Advance(1 * kMinute);  // 15 minutes before
    scheduler.RunDue();
    EXPECT_EQ(Reminders(seller_), 1);  // the held meeting reminds nobody
    EXPECT_EQ(Reminders(colleague_), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM meeting_reminders"), 2);
    clock_.Advance(11 * kMinute);  // sweeps again: no second reminder
    scheduler.RunDue();
    EXPECT_EQ(Reminders(seller_), 1);

    // Moved to tomorrow: reminded again 15 minutes before the new start, not before.
    const core::Millis later = clock_.NowMs() + kDay;
    ASSERT_TRUE(agenda_->Reschedule(As(seller_), meeting, later, later + kHour).ok());
    clock_.Set(later - 16 * kMinute);
    scheduler.RunDue();
    EXPECT_EQ(Reminders(seller_), 1);
    clock_.Set(later - 15 * kMinute);
    scheduler.RunDue();
    EXPECT_EQ(Reminders(seller_), 2);
    EXPECT_EQ(Reminders(colleague_), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, CalendarServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::agenda
