#include "agenda/ical.hpp"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace otdel::agenda {
namespace {

icaltimetype Utc(core::Millis ms) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(ms / 1000), 0, icaltimezone_get_utc_timezone());
}

icalproperty* XProperty(const char* name, const std::string& value) {
    icalproperty* p = icalproperty_new_x(value.c_str());
    icalproperty_set_x_name(p, name);
    return p;
}

icalcomponent* EventOf(const FeedEvent& e, core::Millis stamp) {
    icalcomponent* ev = icalcomponent_new_vevent();
    icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(Utc(stamp)));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(Utc(e.start)));
    // DTEND must be after DTSTART (RFC 5545 3.6.1); a point in time (a task's due moment) lasts a minute.
    icalcomponent_add_property(ev, icalproperty_new_dtend(Utc(e.end > e.start ? e.end : e.start + 60'000)));
    icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
    if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
    if (!e.location.empty()) icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
    if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
    if (!e.category.empty()) icalcomponent_add_property(ev, icalproperty_new_categories(e.category.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(
        ev, icalproperty_new_transp(e.category == "TASK" ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
    if (e.created_at > 0) icalcomponent_add_property(ev, icalproperty_new_created(Utc(e.created_at)));
    if (e.updated_at > 0) icalcomponent_add_property(ev, icalproperty_new_lastmodified(Utc(e.updated_at)));
    if (e.done) icalcomponent_add_property(ev, XProperty("X-OTDEL-DONE", "TRUE"));
    if (e.alarm_minutes && !e.done) {
        icalcomponent* alarm = icalcomponent_new_valarm();
        icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
        icaltriggertype trigger;
        trigger.time = icaltime_null_time();
        trigger.duration = icaldurationtype_from_int(-60 * *e.alarm_minutes);
        icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
        icalcomponent_add_property(alarm, icalproperty_new_description(e.summary.c_str()));
        icalcomponent_add_component(ev, alarm);
    }
    return ev;
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

}  // namespace

std::string RenderFeed(const FeedDocument& doc) {
    std::unique_ptr<icalcomponent, ComponentFree> cal(icalcomponent_new_vcalendar());
    if (!cal) throw std::runtime_error("libical: cannot create a calendar");
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Otdel//Agenda 1.0//RU"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalcomponent_add_property(cal.get(), XProperty("X-WR-CALNAME", doc.name));
    // How often subscribers should poll (Google and Outlook read these), an hour.
    icalcomponent_add_property(cal.get(), XProperty("X-PUBLISHED-TTL", "PT1H"));
    for (const auto& e : doc.events) icalcomponent_add_component(cal.get(), EventOf(e, doc.generated_at));
    char* text = icalcomponent_as_ical_string_r(cal.get());
    if (!text) throw std::runtime_error("libical: cannot serialise the calendar");
    std::string out(text);
    std::free(text);
    return out;
}

}  // namespace otdel::agenda
