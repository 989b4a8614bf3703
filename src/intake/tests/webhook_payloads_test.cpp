// Telephony events, Telegram updates and the generic webhook payload.
#include <gtest/gtest.h>

#include "intake/webhook_payloads.hpp"

namespace otdel::intake {
namespace {

TEST(CallEvent, MissedCallWithIsoTime) {
    auto e = ParseCallEvent(
        R"({"event_id":"c-1","type":"missed","from":"+7 912 345-67-89","to":"74951234567","started_at":"2026-03-01T10:15:00+03:00"})");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->type, "missed");
    EXPECT_EQ(e->to, "74951234567");
    EXPECT_EQ(e->started_at, 1'772'349'300'000);
}

TEST(CallEvent, FinishedWithRecordingAndSeconds) {
    auto e = ParseCallEvent(
        R"({"event_id":42,"type":"finished","from":79123456789,"started_at":1772349300,"duration_s":95,"recording_url":"https://pbx.example/r/42.mp3"})");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->event_id, "42");
    EXPECT_EQ(e->from, "79123456789");
    EXPECT_EQ(e->duration_s, 95);
    EXPECT_EQ(e->started_at, 1'772'349'300'000);
}

TEST(CallEvent, Rejections) {
    auto e = ParseCallEvent(R"({"type":"ringing","duration_s":-1,"recording_url":"ftp://x","started_at":"yesterday"})");
    ASSERT_FALSE(e.ok());
    EXPECT_TRUE(e.error().HasField("event_id", "required"));
    EXPECT_TRUE(e.error().HasField("from", "required"));
    EXPECT_TRUE(e.error().HasField("type", "not_one_of"));
    EXPECT_TRUE(e.error().HasField("duration_s", "out_of_range"));
    EXPECT_TRUE(e.error().HasField("recording_url", "invalid"));
    EXPECT_TRUE(e.error().HasField("started_at", "invalid"));
    EXPECT_EQ(ParseCallEvent("not json").error().code, core::ErrorCode::kMalformedJson);
}

TEST(TelegramUpdate, TextMessage) {
    auto u = ParseTelegramUpdate(R"({"update_id":100500,"message":{"message_id":7,"date":1772349300,
        "from":{"id":1,"is_bot":false,"first_name":"Мария","last_name":"Иванова","username":"masha"},
        "chat":{"id":123456,"type":"private"},"text":"Здравствуйте! Нужен шкаф-купе 2 м"}})");
    ASSERT_TRUE(u.ok());
    ASSERT_TRUE(u->has_value());
    const auto& m = **u;
    EXPECT_EQ(m.update_id, 100500);
    EXPECT_EQ(m.chat_id, 123456);
    EXPECT_EQ(m.DisplayName(), "Мария Иванова");
    EXPECT_EQ(m.text, "Здравствуйте! Нужен шкаф-купе 2 м");
    EXPECT_EQ(m.date, 1'772'349'300'000);
    EXPECT_FALSE(m.edited);
}

TEST(TelegramUpdate, SharedContactAndEditedMessage) {
    auto u = ParseTelegramUpdate(R"({"update_id":2,"edited_message":{"message_id":8,"date":1,
        "from":{"id":1,"username":"ivan"},"chat":{"id":5},
        "contact":{"phone_number":"+79123456789","first_name":"Иван"}}})");
    ASSERT_TRUE(u.ok());
    ASSERT_TRUE(u->has_value());
    EXPECT_TRUE((*u)->edited);
    EXPECT_EQ((*u)->contact_phone, "+79123456789");
    EXPECT_EQ((*u)->DisplayName(), "Иван");
}

TEST(TelegramUpdate, NonMessageUpdatesAreIgnoredNotRefused) {
    auto u = ParseTelegramUpdate(R"({"update_id":3,"callback_query":{"id":"x"}})");
    ASSERT_TRUE(u.ok());
    EXPECT_FALSE(u->has_value());
    EXPECT_FALSE(ParseTelegramUpdate(R"({"message":{}})").ok());
    EXPECT_FALSE(ParseTelegramUpdate(R"({"update_id":4,"message":{"text":"no chat"}})").ok());
}

TEST(GenericLead, DocumentedPayload) {
    auto g = ParseGenericLead(R"({"external_id":"ozon-778","source":"ozon","name":"ООО Ромашка",
        "phones":["8 (912) 345-67-89"],"emails":["zakaz@romashka.ru"],"message":"Заказ 20 стульев",
        "utm":{"source":"ozon","campaign":"sale"},"custom":{"order_sum":"45000"},"occurred_at":"2026-03-01T07:15:00Z"})");
    ASSERT_TRUE(g.ok());
    EXPECT_EQ(g->external_id, "ozon-778");
    EXPECT_EQ(g->phones.size(), 1u);
    EXPECT_EQ(g->utm.size(), 2u);
    EXPECT_EQ(g->custom[0].first, "order_sum");
    EXPECT_EQ(g->occurred_at, 1'772'349'300'000);
}

TEST(GenericLead, Rejections) {
    auto g = ParseGenericLead(R"({"name":"x","phones":"89123456789","extra":1})");
    ASSERT_FALSE(g.ok());
    EXPECT_TRUE(g.error().HasField("external_id", "required"));
    EXPECT_TRUE(g.error().HasField("phones", "wrong_type"));
    EXPECT_TRUE(g.error().HasField("extra", "unknown_field"));
    auto none = ParseGenericLead(R"({"external_id":"1","name":"x"})");
    ASSERT_FALSE(none.ok());
    EXPECT_TRUE(none.error().HasField("phones", "phone_or_email_required"));
}

}  // namespace
}  // namespace otdel::intake
