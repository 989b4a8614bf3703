// The calendar feed's text (ACT-4, RFC 5545) as libical writes it, read back by libical's own parser: one VEVENT
// per item in UTC, escaped text, folded lines, CRLF, a display alarm for meetings, none for done items.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include "agenda/ical.hpp"

namespace otdel::agenda {
namespace {

constexpr core::Millis kAt = 1'772'442'000'000;  // 2026-03-02T09:00:00Z

FeedDocument Sample() {
    FeedDocument d;
    d.name = "Иван Петров — Отдел";
    d.generated_at = kAt;
    FeedEvent m;
    m.uid = "activity-1@demo.otdel";
    m.start = kAt + 3'600'000;
    m.end = kAt + 5'400'000;
    m.summary = "Встреча: кухня, замер; обсудить сроки, цены";
    m.location = "Москва, ул. Лесная, 5";
    m.url = "https://crm.example/activities/1";
    m.category = "MEETING";
    m.alarm_minutes = 15;
    m.created_at = kAt - 1000;
    m.updated_at = kAt;
    m.description = std::string(200, 'x');
    FeedEvent t;
    t.uid = "activity-2@demo.otdel";
    t.start = t.end = kAt + 7'200'000;
    t.summary = "Задача: выставить счёт";
    t.category = "TASK";
    t.done = true;
    t.alarm_minutes = 15;
    d.events = {m, t};
    return d;
}

TEST(IcalFeed, IsAValidCalendarWithOneEventPerItem) {
    const std::string text = RenderFeed(Sample());
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
    EXPECT_NE(text.find("VERSION:2.0\r\n"), std::string::npos);
    EXPECT_NE(text.find("METHOD:PUBLISH\r\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTART:20260302T100000Z\r\n"), std::string::npos);
    EXPECT_NE(text.find("DTEND:20260302T103000Z\r\n"), std::string::npos);
    // Commas and semicolons in text are escaped; a long line is folded at 75 octets.
    EXPECT_NE(text.find("кухня\\, замер\\; обсудить"), std::string::npos);
    for (std::size_t pos = 0, next; (next = text.find("\r\n", pos)) != std::string::npos; pos = next + 2)
        EXPECT_LE(next - pos, 75u) << text.substr(pos, next - pos);

    icalcomponent* cal = icalparser_parse_string(text.c_str());
    ASSERT_NE(cal, nullptr);
    EXPECT_EQ(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
    icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    EXPECT_STREQ(icalcomponent_get_uid(ev), "activity-1@demo.otdel");
    EXPECT_STREQ(icalcomponent_get_summary(ev), "Встреча: кухня, замер; обсудить сроки, цены");
    EXPECT_STREQ(icalcomponent_get_location(ev), "Москва, ул. Лесная, 5");
    EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtstart(ev)), (kAt + 3'600'000) / 1000);
    EXPECT_EQ(icalcomponent_count_components(ev, ICAL_VALARM_COMPONENT), 1);
    icalcomponent* task = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
    // A point in time lasts a minute; a done item carries no alarm.
    EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtend(task)) - icaltime_as_timet(icalcomponent_get_dtstart(task)),
              60);
    EXPECT_EQ(icalcomponent_count_components(task, ICAL_VALARM_COMPONENT), 0);
    icalcomponent_free(cal);
}

TEST(IcalFeed, AnEmptyFeedIsStillACalendar) {
    FeedDocument d;
    d.name = "Пусто";
    d.generated_at = kAt;
    const std::string text = RenderFeed(d);
    icalcomponent* cal = icalparser_parse_string(text.c_str());
    ASSERT_NE(cal, nullptr);
    EXPECT_EQ(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 0);
    icalcomponent_free(cal);
}

}  // namespace
}  // namespace otdel::agenda
