// The activities room's pure rules: validation of each kind (a meeting ending before it starts, a task without an
// assignee, bad recipients and phones), overdue and escalation timing, where an activity stands on the timeline,
// recording sniffing by content, the recording host allow-list and template placeholders.
#include <gtest/gtest.h>

#include "activities/activities.hpp"

namespace otdel::activities {
namespace {

using core::kHour;

Activity Of(const std::string& kind) {
    Activity a;
    a.kind = kind;
    a.company_id = 1;
    a.owner_user_id = 7;
    return a;
}

bool Has(const std::vector<core::FieldError>& errors, const std::string& field, const std::string& code) {
    for (const auto& e : errors)
        if (e.field == field && e.code == code) return true;
    return false;
}

TEST(ActivityRules, UnknownKindAndMissingRecordAreTold) {
    Activity a = Of("fax");
    EXPECT_TRUE(Has(Validate(a), "kind", "not_one_of"));
    a = Of("note");
    a.company_id.reset();
    a.body = "текст";
    EXPECT_TRUE(Has(Validate(a), "record", "required"));
}

TEST(ActivityRules, MeetingEndingBeforeItStartsIsRefusedOnEndsAt) {
    Activity m = Of("meeting");
    m.starts_at = 10 * kHour;
    m.ends_at = 9 * kHour;
    const auto errors = Validate(m);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "ends_at");
    EXPECT_EQ(errors[0].code, "before_start");
    m.ends_at = 10 * kHour;  // zero length is a reminder, fine
    EXPECT_TRUE(Validate(m).empty());
    m.ends_at = m.starts_at.value() + 8 * 24 * kHour;
    EXPECT_TRUE(Has(Validate(m), "ends_at", "out_of_range"));
    m.ends_at = 11 * kHour;
    m.meeting_video_url = "javascript:alert(1)";
    EXPECT_TRUE(Has(Validate(m), "video_url", "invalid"));
    m.meeting_video_url = "https://telemost.yandex.ru/j/123";
    m.participants.push_back(Participant{});
    EXPECT_TRUE(Has(Validate(m), "participants/0", "required"));
    m.participants[0].email = "не почта";
    EXPECT_TRUE(Has(Validate(m), "participants/0/email", "invalid_email"));
}

TEST(ActivityRules, MeetingNeedsBothEnds) {
    Activity m = Of("meeting");
    EXPECT_TRUE(Has(Validate(m), "starts_at", "required"));
    EXPECT_TRUE(Has(Validate(m), "ends_at", "required"));
}

TEST(ActivityRules, CallDirectionOutcomeDurationAndPhone) {
    Activity c = Of("call");
    EXPECT_TRUE(Has(Validate(c), "direction", "required"));
    c.call_direction = "sideways";
    EXPECT_TRUE(Has(Validate(c), "direction", "not_one_of"));
    c.call_direction = "out";
    c.call_outcome = "answered";
    c.call_duration_s = 125;
    c.call_phone = "8 916 123-45-67";
    EXPECT_TRUE(Validate(c).empty());
    c.call_outcome = "maybe";
    c.call_duration_s = -1;
    c.call_phone = "abc";
    c.recording_url = "ftp://pbx/rec.mp3";
    const auto e = Validate(c);
    EXPECT_TRUE(Has(e, "outcome", "not_one_of"));
    EXPECT_TRUE(Has(e, "duration_s", "out_of_range"));
    EXPECT_TRUE(Has(e, "phone", "invalid_phone"));
    EXPECT_TRUE(Has(e, "recording_url", "invalid"));
}

TEST(ActivityRules, TaskNeedsSubjectAssigneeAndSaneChecklist) {
    Activity t = Of("task");
    t.owner_user_id.reset();
    t.task_priority = "asap";
    auto e = Validate(t);
    EXPECT_TRUE(Has(e, "subject", "required"));
    EXPECT_TRUE(Has(e, "assignee_user_id", "required"));
    EXPECT_TRUE(Has(e, "priority", "not_one_of"));
    t = Of("task");
    t.subject = "Перезвонить";
    t.checklist.push_back(ChecklistItem{0, 0, "", false, std::nullopt, std::nullopt});
    EXPECT_TRUE(Has(Validate(t), "checklist/0/text", "required"));
    t.checklist.clear();
    for (std::size_t i = 0; i <= kMaxChecklist; ++i)
        t.checklist.push_back(ChecklistItem{0, 0, "пункт", false, std::nullopt, std::nullopt});
    EXPECT_TRUE(Has(Validate(t), "checklist", "too_many"));
}

TEST(ActivityRules, EmailAndSmsFields) {
    Activity m = Of("email");
    m.email_direction = "out";
    auto e = Validate(m);
    EXPECT_TRUE(Has(e, "to", "required"));
    EXPECT_TRUE(Has(e, "subject", "required"));
    m.email_to = {"client@example.ru", "broken@"};
    m.subject = "Предложение";
    EXPECT_TRUE(Has(Validate(m), "to/1", "invalid_email"));
    m.email_direction = "in";  // what arrived is kept as it came
    m.email_to.clear();
    EXPECT_TRUE(Validate(m).empty());

    Activity s = Of("sms");
    e = Validate(s);
    EXPECT_TRUE(Has(e, "phone", "required"));
    EXPECT_TRUE(Has(e, "body", "required"));
    s.sms_phone = "+79161234567";
    s.body = std::string(kMaxSms + 1, 'a');
    EXPECT_TRUE(Has(Validate(s), "body", "too_long"));
}

TEST(ActivityRules, LengthsCountCharactersNotBytes) {
    Activity n = Of("note");
    n.body = "ж";
    n.subject = std::string(kMaxSubject, 'a');
    EXPECT_TRUE(Validate(n).empty());
    n.subject.clear();
    for (std::size_t i = 0; i < kMaxSubject; ++i) n.subject += "ж";  // 600 bytes, 300 characters
    EXPECT_TRUE(Validate(n).empty());
    n.subject += "ж";
    EXPECT_TRUE(Has(Validate(n), "subject", "too_long"));
}

TEST(ActivityRules, OverdueAndEscalationTiming) {
    Activity t = Of("task");
    t.subject = "Счёт";
    EXPECT_FALSE(IsOverdue(t, 100 * kHour));  // no due time: never overdue
    EXPECT_FALSE(EscalationAt(t, 60).has_value());
    t.due_at = 10 * kHour;
    EXPECT_FALSE(IsOverdue(t, 10 * kHour));
    EXPECT_TRUE(IsOverdue(t, 10 * kHour + 1));
    EXPECT_EQ(EscalationAt(t, 240), 14 * kHour);
    EXPECT_EQ(EscalationAt(t, 0), 10 * kHour);
    EXPECT_EQ(EscalationAt(t, -5), 10 * kHour);
    t.done = true;
    EXPECT_FALSE(IsOverdue(t, 20 * kHour));
    EXPECT_FALSE(EscalationAt(t, 240).has_value());
    Activity call = Of("call");
    call.due_at = 1;
    EXPECT_FALSE(EscalationAt(call, 1).has_value());
}

TEST(ActivityRules, TimelinePosition) {
    Activity m = Of("meeting");
    m.starts_at = 5;
    EXPECT_EQ(TimelineAt(m, 99), 5);
    Activity t = Of("task");
    EXPECT_EQ(TimelineAt(t, 99), 99);
    t.due_at = 7;
    EXPECT_EQ(TimelineAt(t, 99), 7);
    EXPECT_EQ(TimelineAt(Of("note"), 42), 42);
}

TEST(ActivityRules, AudioIsRecognisedByItsBytes) {
    EXPECT_EQ(SniffAudio(std::string("ID3\x04\x00", 5) + "rest"), "audio/mpeg");
    EXPECT_EQ(SniffAudio(std::string("\xFF\xFB\x90\x64", 4)), "audio/mpeg");
    EXPECT_EQ(SniffAudio(std::string("RIFF\x24\x08\x00\x00WAVEfmt ", 16)), "audio/wav");
    EXPECT_EQ(SniffAudio("OggS\x00\x02"), "audio/ogg");
    EXPECT_EQ(SniffAudio("fLaC\x00\x00"), "audio/flac");
    EXPECT_EQ(SniffAudio(std::string("\x00\x00\x00\x20"
                                     "ftypM4A \x00\x00",
                                     14)),
              "audio/mp4");
    EXPECT_EQ(SniffAudio(std::string("\x1A\x45\xDF\xA3\x01", 5)), "audio/webm");
    // Not audio: a PDF, a PNG, a RIFF that is AVI, text, a video MP4 brand, nothing.
    EXPECT_FALSE(SniffAudio("%PDF-1.7\n").has_value());
    EXPECT_FALSE(SniffAudio(std::string("\x89PNG\r\n\x1a\n", 8)).has_value());
    EXPECT_FALSE(SniffAudio(std::string("RIFF\x24\x08\x00\x00"
                                        "AVI LIST",
                                        16))
                     .has_value());
    EXPECT_FALSE(SniffAudio("hello, this is not a recording").has_value());
    EXPECT_FALSE(SniffAudio(std::string("\x00\x00\x00\x20"
                                        "ftypqt  \x00\x00",
                                        14))
                     .has_value());
    EXPECT_FALSE(SniffAudio("").has_value());
    EXPECT_FALSE(SniffAudio(std::string("\xFF\xFF\xFF\xFF", 4)).has_value());  // bad bitrate index
}

TEST(ActivityRules, RecordingHostsAreExactOrSubdomains) {
    const std::vector<std::string> hosts{"records.pbx.example", "Mango-Office.ru"};
    EXPECT_TRUE(RecordingHostAllowed("https://records.pbx.example/r/1.mp3", hosts));
    EXPECT_TRUE(RecordingHostAllowed("http://cdn.mango-office.ru/x.wav", hosts));
    EXPECT_FALSE(RecordingHostAllowed("https://evilmango-office.ru/x.wav", hosts));
    EXPECT_FALSE(RecordingHostAllowed("https://records.pbx.example.evil.com/x", hosts));
    EXPECT_FALSE(RecordingHostAllowed("https://user@records.pbx.example/x", hosts));
    EXPECT_FALSE(RecordingHostAllowed("file:///etc/passwd", hosts));
    EXPECT_FALSE(RecordingHostAllowed("not a url", hosts));
    EXPECT_FALSE(RecordingHostAllowed("https://records.pbx.example/x", {}));
}

TEST(ActivityRules, TemplatesFillPlaceholders) {
    const std::map<std::string, std::string> v{{"client.name", "ООО «Кухни»"}, {"user.name", "Мария"}};
    EXPECT_EQ(RenderTemplate("Здравствуйте, {{ client.name }}! {{user.name}}", v), "Здравствуйте, ООО «Кухни»! Мария");
    EXPECT_EQ(RenderTemplate("{{unknown}}x", v), "x");
    EXPECT_EQ(RenderTemplate("без подстановок {{", v), "без подстановок {{");
    EXPECT_EQ(RenderTemplate("", v), "");
}

}  // namespace
}  // namespace otdel::activities
