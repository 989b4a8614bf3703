// ActivitiesService on both engines: activities of every kind on a client's and a deal's timeline with keyset pages,
// visibility by role (own seller, other seller, head, analyst), tasks set inside and outside one's subtree, bad input
// that writes nothing, the recording upload sniffed as audio, e-mail through the account's mailer, SMS through the
// provider, mentions as notifications, routing's first response, escalation of an overdue task with the manual
// clock, and the telephony intake's missed call landing on the lead it opened. Audit rows checked.
#include <gtest/gtest.h>

#include "activities/activities_service.hpp"
#include "clients/clients_service.hpp"
#include "deals/deals_service.hpp"
#include "jobs/scheduler.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::activities {
namespace {

using core::ErrorCode;
using core::kMinute;
using leads::testing::LeadsFixture;

// Records what would have gone out over SMTP.
struct SentMail {
    std::string from, to, subject, text;
};
class RecordingMailer final : public mail::Mailer {
public:
    RecordingMailer(std::vector<SentMail>& out, std::string from, bool fail)
        : out_(out), from_(std::move(from)), fail_(fail) {}
    core::Result<void> Send(const mail::OutgoingMail& m) override {
        if (fail_) return core::Error::Of(ErrorCode::kUnavailable, "mail.smtp_failed");
        out_.push_back({from_, m.to, m.subject, m.text});
        return core::Ok();
    }

private:
    std::vector<SentMail>& out_;
    std::string from_;
    bool fail_;
};

class ActivitiesServiceTest : public LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        clients_ = std::make_unique<clients::ClientsService>(tdb_.db(), clock_);
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        service_ = std::make_unique<ActivitiesService>(tdb_.db(), clock_);
        scheduler_ = std::make_unique<jobs::Scheduler>(tdb_.db(), clock_);
        service_->AttachScheduler(*scheduler_);
        service_->SetSmsSender(&sms_);
        service_->SetMailerFactory([this](const store::EmailAccount& acc) -> std::unique_ptr<mail::Mailer> {
            return std::make_unique<RecordingMailer>(mails_, acc.from_address, smtp_down_);
        });
        service_->SetFirstResponseHook(
            [this](soci::session&, core::Id, core::Id lead_id, core::Millis, const std::string& kind) {
                responses_.emplace_back(lead_id, kind);
                return true;
            });
        intake_->SetInboundHook([this](soci::session& sql, const leads::IncomingLead& in,
                                       const leads::IntakeOutcome& out) { service_->OnInboundInTx(sql, in, out); });
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Команда А", sales_);
        seller1_ = Person("s1@kuhni.test", "key_account_manager", team_);
        seller2_ = Person("s2@kuhni.test", "key_account_manager", team_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
        // The head manages both sellers (their explicit manager).
        tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            long long rop = rop_, ws = ws_;
            sql << "UPDATE employees SET manager_user_id = :m WHERE workspace_id = :ws AND user_id <> :m2 AND "
                   "user_id IN (SELECT id FROM users WHERE email LIKE 's%')",
                soci::use(rop, "m"), soci::use(ws, "ws"), soci::use(rop, "m2");
            return core::Ok();
        });
        company_ = Company(seller1_);
    }
    core::Id Company(core::Id owner) {
        clients::CompanyInput in;
        in.name = "ООО Кухонный двор " + std::to_string(++companies_);
        auto c = clients_->CreateCompany(As(owner), in);
        EXPECT_TRUE(c.ok());
        return c.ok() ? c->company.id : 0;
    }
    ActivityInput On(const std::string& kind, const std::string& type, core::Id id) {
        ActivityInput in;
        in.kind = kind;
        in.record_type = type;
        in.record_id = id;
        return in;
    }
    Activity Must(const core::Result<Activity>& r) {
        EXPECT_TRUE(r.ok()) << (r.ok() ? ""
                                       : r.error().message_key + " " +
                                             (r.error().fields.empty()
                                                  ? ""
                                                  : r.error().fields[0].field + ":" + r.error().fields[0].code));
        return r.ok() ? *r : Activity{};
    }
    Activity Call(core::Id user, core::Id company, const std::string& outcome = "answered") {
        ActivityInput in = On("call", "company", company);
        in.direction = "out";
        in.outcome = outcome;
        in.duration_s = 95;
        in.body = "Обсудили замер";
        return Must(service_->Create(As(user), in));
    }
    static bool HasField(const core::Error& e, const std::string& field, const std::string& code) {
        for (const auto& f : e.fields)
            if (f.field == field && f.code == code) return true;
        return false;
    }

    std::unique_ptr<clients::ClientsService> clients_;
    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<ActivitiesService> service_;
    std::unique_ptr<jobs::Scheduler> scheduler_;
    billing::LoggingSmsSender sms_;
    std::vector<SentMail> mails_;
    bool smtp_down_ = false;
    std::vector<std::pair<core::Id, std::string>> responses_;
    core::Id sales_ = 0, team_ = 0, seller1_ = 0, seller2_ = 0, rop_ = 0, analyst_ = 0, company_ = 0;
    int companies_ = 0;
};

TEST_P(ActivitiesServiceTest, EveryKindLandsOnTheClientTimelineNewestFirstInPages) {
    const Activity call = Call(seller1_, company_);
    EXPECT_EQ(call.call_direction, "out");
    EXPECT_EQ(call.owner_user_id, seller1_);
    EXPECT_TRUE(call.done);
    EXPECT_EQ(call.ends_at.value() - call.starts_at.value(), 95'000);
    clock_.Advance(kMinute);
    ActivityInput note = On("note", "company", company_);
    note.body = "Клиент ждёт эскиз";
    Must(service_->Create(As(seller1_), note));
    clock_.Advance(kMinute);
    ActivityInput meeting = On("meeting", "company", company_);
    meeting.subject = "Замер";
    meeting.starts_at = clock_.NowMs() + 60 * kMinute;
    meeting.ends_at = clock_.NowMs() + 120 * kMinute;
    meeting.place = "ул. Садовая, 8";
    meeting.participants = std::vector<Participant>{Participant{0, seller2_, std::nullopt, "", ""},
                                                    Participant{0, std::nullopt, std::nullopt, "Клиент", ""}};
    const Activity m = Must(service_->Create(As(seller1_), meeting));
    EXPECT_EQ(m.at, *meeting.starts_at);
    ASSERT_EQ(m.participants.size(), 2u);

    auto page = service_->Timeline(As(seller1_), "company", company_, std::nullopt, std::nullopt, 2);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].kind, "meeting");  // the future meeting stands first
    EXPECT_EQ(page->items[1].kind, "note");
    ASSERT_TRUE(page->next_cursor);
    auto rest = service_->Timeline(As(seller1_), "company", company_, std::nullopt, page->next_cursor, 2);
    ASSERT_TRUE(rest.ok());
    ASSERT_EQ(rest->items.size(), 1u);
    EXPECT_EQ(rest->items[0].id, call.id);
    EXPECT_FALSE(rest->next_cursor);
    auto calls = service_->Timeline(As(seller1_), "company", company_, std::string("call"), std::nullopt, 10);
    ASSERT_TRUE(calls.ok());
    EXPECT_EQ(calls->items.size(), 1u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity.create'"), 3);
    // The participant sees the meeting in their day.
    auto day = tdb_.db().Read([&](soci::session& sql) {
        return service_->ListForPeopleInTx(sql, ws_, {seller2_}, clock_.NowMs(), clock_.NowMs() + 24 * 60 * kMinute);
    });
    ASSERT_EQ(day.size(), 1u);
    EXPECT_EQ(day[0].id, m.id);
    EXPECT_FALSE(service_->Timeline(As(seller1_), "company", company_, std::nullopt, std::string("zz"), 2).ok());
}

TEST_P(ActivitiesServiceTest, ADealsActivityIsOnTheDealAndItsClient) {
    deals::DealInput d;
    d.title = "Кухня 3 м";
    d.set_company = true;
    d.company_id = company_;
    auto deal = deals_->Create(As(seller1_), d);
    ASSERT_TRUE(deal.ok());
    clock_.Advance(10 * kMinute);
    ActivityInput in = On("note", "deal", deal->id);
    in.body = "Согласовали фасады";
    const Activity a = Must(service_->Create(As(seller1_), in));
    EXPECT_EQ(a.deal_id, deal->id);
    EXPECT_EQ(a.company_id, company_);
    EXPECT_EQ(service_->Timeline(As(seller1_), "deal", deal->id, std::nullopt, std::nullopt, 10)->items.size(), 1u);
    EXPECT_EQ(service_->Timeline(As(seller1_), "company", company_, std::nullopt, std::nullopt, 10)->items.size(), 1u);
    // The deal is no longer idle: its last activity moved.
    EXPECT_EQ(deals_->Get(As(seller1_), deal->id)->last_activity_at, clock_.NowMs());
}

TEST_P(ActivitiesServiceTest, VisibilityFollowsTheRecordAndTheTree) {
    const Activity call = Call(seller1_, company_);
    // Another seller: the client is not theirs — the timeline and the activity do not exist for them.
    auto other = service_->Timeline(As(seller2_), "company", company_, std::nullopt, std::nullopt, 10);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->Get(As(seller2_), call.id).error().code, ErrorCode::kNotFound);
    ActivityInput note = On("note", "company", company_);
    note.body = "чужой клиент";
    auto refused = service_->Create(As(seller2_), note);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(HasField(refused.error(), "record_id", "invalid"));
    ActivityInput patch;
    patch.body = "правка";
    EXPECT_EQ(service_->Update(As(seller2_), call.id, patch).error().code, ErrorCode::kNotFound);
    // The head sees and changes the subtree's; the analyst reads everything and writes nothing.
    EXPECT_TRUE(service_->Get(As(rop_), call.id).ok());
    EXPECT_TRUE(service_->Update(As(rop_), call.id, patch).ok());
    EXPECT_TRUE(service_->Timeline(As(analyst_), "company", company_, std::nullopt, std::nullopt, 10).ok());
    EXPECT_EQ(service_->Update(As(analyst_), call.id, patch).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(service_->Create(As(analyst_), note).error().code, ErrorCode::kForbidden);
}

TEST_P(ActivitiesServiceTest, TasksGoToOnesSubtreeOnlyAndShowInMineAndTeam) {
    ActivityInput t = On("task", "company", company_);
    t.subject = "Подготовить КП";
    t.owner_user_id = seller1_;
    t.set_due = true;
    t.due_at = clock_.NowMs() + 60 * kMinute;
    t.checklist = std::vector<std::string>{"Размеры", "Фурнитура"};
    const Activity task = Must(service_->Create(As(rop_), t));
    EXPECT_EQ(task.created_by, rop_);
    EXPECT_EQ(task.task_priority, "normal");
    ASSERT_EQ(task.checklist.size(), 2u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.task_assigned'"), 1);

    // A seller cannot set a task for a peer: outside their subtree; nothing written.
    ActivityInput peer = t;
    peer.owner_user_id = seller2_;
    const long long before = Count("SELECT COUNT(*) FROM activities");
    auto refused = service_->Create(As(seller1_), peer);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(HasField(refused.error(), "assignee_user_id", "outside_subtree"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM activities"), before);

    TaskQuery mine;
    auto m = service_->Tasks(As(seller1_), mine);
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->items.size(), 1u);
    TaskQuery team;
    team.scope = "team";
    EXPECT_EQ(service_->Tasks(As(rop_), team)->items.size(), 1u);
    EXPECT_EQ(service_->Tasks(As(seller2_), team)->items.size(), 0u);

    // The assignee ticks the checklist and completes it; the head sees the completion.
    auto ticked = service_->SetChecklistItem(As(seller1_), task.id, task.checklist[1].id, true);
    ASSERT_TRUE(ticked.ok());
    EXPECT_TRUE(ticked->checklist[1].done);
    EXPECT_FALSE(ticked->checklist[0].done);
    ActivityInput done;
    done.done = true;
    auto completed = service_->Update(As(seller1_), task.id, done);
    ASSERT_TRUE(completed.ok());
    EXPECT_TRUE(completed->done);
    EXPECT_EQ(completed->done_by, seller1_);
    TaskQuery done_q;
    done_q.scope = "team";
    done_q.status = "done";
    EXPECT_EQ(service_->Tasks(As(rop_), done_q)->items.size(), 1u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity.complete'"), 1);
}

TEST_P(ActivitiesServiceTest, BadInputIsToldAndNothingIsWritten) {
    ActivityInput m = On("meeting", "company", company_);
    m.starts_at = clock_.NowMs() + 120 * kMinute;
    m.ends_at = clock_.NowMs() + 60 * kMinute;
    auto r = service_->Create(As(seller1_), m);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(HasField(r.error(), "ends_at", "before_start"));
    ActivityInput c = On("call", "company", company_);
    c.direction = "out";
    c.duration_s = -5;
    EXPECT_TRUE(HasField(service_->Create(As(seller1_), c).error(), "duration_s", "out_of_range"));
    ActivityInput x = On("note", "lead", 999999);
    x.body = "нет такого лида";
    EXPECT_TRUE(HasField(service_->Create(As(seller1_), x).error(), "record_id", "invalid"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM activities"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'activity'"), 0);
}

TEST_P(ActivitiesServiceTest, RecordingsMustBeAudioAndNotHuge) {
    const Activity call = Call(seller1_, company_);
    auto pdf = service_->UploadRecording(As(seller1_), call.id, "rec.mp3", "%PDF-1.7 pretending");
    ASSERT_FALSE(pdf.ok());
    EXPECT_TRUE(HasField(pdf.error(), "recording", "not_audio"));
    auto huge = service_->UploadRecording(As(seller1_), call.id, "rec.wav", std::string(kMaxRecordingBytes + 1, 'a'));
    EXPECT_EQ(huge.error().code, ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM activity_files"), 0);
    const std::string wav = std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16) + std::string(64, '\0');
    auto ok = service_->UploadRecording(As(seller1_), call.id, "rec.wav", wav);
    ASSERT_TRUE(ok.ok());
    ASSERT_TRUE(ok->recording_file_id);
    auto file = service_->Recording(As(rop_), call.id);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->content_type, "audio/wav");
    EXPECT_EQ(file->bytes, wav);
    EXPECT_EQ(service_->Recording(As(seller2_), call.id).error().code, ErrorCode::kNotFound);
}

TEST_P(ActivitiesServiceTest, EmailGoesThroughTheAccountAndTemplatesFillIn) {
    ActivityInput e = On("email", "company", company_);
    e.to = std::vector<std::string>{"client@example.ru"};
    e.subject = "КП";
    e.body = "Текст";
    auto none = service_->Create(As(seller1_), e);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message_key, "activities.no_email_account");
    store::EmailAccount acc;
    acc.from_address = "Продажи <sales@kuhni.test>";
    acc.smtp_url = "smtp://127.0.0.1:2525";
    ASSERT_TRUE(service_->SaveAccount(sys_, std::nullopt, acc).ok());
    store::Template t;
    t.name = "КП";
    t.subject = "Предложение для {{client.name}}";
    t.body = "Здравствуйте! {{user.name}}";
    auto tpl = service_->SaveTemplate(sys_, std::nullopt, t);
    ASSERT_TRUE(tpl.ok());
    ActivityInput by_template = On("email", "company", company_);
    by_template.to = std::vector<std::string>{"client@example.ru"};
    by_template.template_id = tpl->id;
    const Activity sent = Must(service_->Create(As(seller1_), by_template));
    EXPECT_EQ(sent.email_status, "sent");
    ASSERT_EQ(mails_.size(), 1u);
    EXPECT_EQ(mails_[0].to, "client@example.ru");
    EXPECT_EQ(mails_[0].subject, "Предложение для ООО Кухонный двор 1");
    EXPECT_EQ(mails_[0].text, "Здравствуйте! s1@kuhni.test");
    EXPECT_EQ(mails_[0].from, "Продажи <sales@kuhni.test>");
    smtp_down_ = true;
    const Activity failed = Must(service_->Create(As(seller1_), e));
    EXPECT_EQ(failed.email_status, "failed");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity.email_failed'"), 1);
}

TEST_P(ActivitiesServiceTest, SmsMentionsAndFirstResponseOnALead) {
    auto lead = intake_->Accept(Form("Хочу кухню", {"+79161112233"}));
    ASSERT_TRUE(lead.ok());
    ASSERT_TRUE(lead->lead_id);
    tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
        long long id = *lead->lead_id, u = seller1_;
        sql << "UPDATE leads SET owner_user_id = :u WHERE id = :id", soci::use(u, "u"), soci::use(id, "id");
        return core::Ok();
    });
    ActivityInput s = On("sms", "lead", *lead->lead_id);
    s.phone = "8 916 111-22-33";
    s.body = "Перезвоню через час";
    const Activity sms = Must(service_->Create(As(seller1_), s));
    EXPECT_EQ(sms.sms_status, "sent");
    EXPECT_EQ(sms.sms_phone, "+79161112233");
    ASSERT_EQ(sms_.sent().size(), 1u);
    ASSERT_EQ(responses_.size(), 1u);
    EXPECT_EQ(responses_[0], std::make_pair(*lead->lead_id, std::string("sms")));
    ActivityInput n = On("note", "lead", *lead->lead_id);
    n.body = "@Руководитель нужна скидка";
    n.mentions = std::vector<core::Id>{rop_};
    Must(service_->Create(As(seller1_), n));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.mentioned'"), 1);
    EXPECT_EQ(responses_.size(), 1u);  // a note is not a first response unless the workspace says so
    n.mentions = std::vector<core::Id>{987654};
    EXPECT_TRUE(HasField(service_->Create(As(seller1_), n).error(), "mentions", "invalid"));
}

TEST_P(ActivitiesServiceTest, AnOverdueTaskEscalatesToTheManagerAfterTheDelay) {
    Settings s;
    s.escalation_delay_minutes = 30;
    ASSERT_TRUE(service_->PutSettings(sys_, s).ok());
    ActivityInput t = On("task", "company", company_);
    t.subject = "Выставить счёт";
    t.set_due = true;
    t.due_at = clock_.NowMs() + 60 * kMinute;
    const Activity task = Must(service_->Create(As(seller1_), t));
    clock_.Advance(89 * kMinute);
    scheduler_->RunDue();
    EXPECT_FALSE(service_->Get(As(seller1_), task.id)->escalated_at);
    clock_.Advance(2 * kMinute);
    scheduler_->RunDue();
    auto escalated = service_->Get(As(seller1_), task.id);
    ASSERT_TRUE(escalated->escalated_at);
    EXPECT_EQ(escalated->escalated_to, rop_);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.task_escalated'"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.task_overdue'"), 1);
    // Once only; and a task completed in time never escalates.
    clock_.Advance(60 * kMinute);
    scheduler_->RunDue();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.task_escalated'"), 1);
    t.due_at = clock_.NowMs() + 10 * kMinute;
    const Activity other = Must(service_->Create(As(seller1_), t));
    ActivityInput done;
    done.done = true;
    ASSERT_TRUE(service_->Update(As(seller1_), other.id, done).ok());
    clock_.Advance(120 * kMinute);
    scheduler_->RunDue();
    EXPECT_FALSE(service_->Get(As(seller1_), other.id)->escalated_at);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'activities.task_escalated'"), 1);
}

TEST_P(ActivitiesServiceTest, AMissedCallFromAnUnknownNumberLandsOnTheLeadItOpened) {
    leads::IncomingLead in;
    in.workspace_id = ws_;
    in.channel = "phone";
    in.event_kind = "call_missed";
    in.external_ref = "call-42";
    in.phones = {"+79035554433"};
    in.payload = boost::json::object{{"recording_url", "https://records.pbx.example/42.mp3"}, {"duration_s", 0}};
    auto out = intake_->Accept(in);
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(out->kind, leads::IntakeKind::kCreatedLead);
    auto page = service_->Timeline(sys_, "lead", *out->lead_id, std::nullopt, std::nullopt, 10);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->items.size(), 1u);
    const Activity& call = page->items[0];
    EXPECT_EQ(call.kind, "call");
    EXPECT_EQ(call.call_outcome, "missed");
    EXPECT_EQ(call.call_phone, "+79035554433");
    EXPECT_EQ(call.source, "telephony");
    EXPECT_EQ(call.recording_url, "https://records.pbx.example/42.mp3");
    // Not allow-listed: kept as a URL, no fetch job.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE kind = 'activities.fetch_recording'"), 0);
    // A redelivery writes nothing new.
    EXPECT_EQ(intake_->Accept(in)->kind, leads::IntakeKind::kDuplicateDelivery);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM activities"), 1);
    // An allow-listed host: the recording is fetched by a job and stored when it is audio.
    Settings s;
    s.recording_hosts = {"pbx.example"};
    ASSERT_TRUE(service_->PutSettings(sys_, s).ok());
    std::string asked;
    service_->SetFetcher([&](const std::string& url, std::size_t) -> core::Result<std::string> {
        asked = url;
        return std::string("ID3\x04\x00\x00", 6) + std::string(100, 'x');
    });
    in.external_ref = "call-43";
    in.event_kind = "call_finished";
    in.payload = boost::json::object{{"recording_url", "https://records.pbx.example/43.mp3"}, {"duration_s", 61}};
    ASSERT_TRUE(intake_->Accept(in).ok());
    scheduler_->RunDue();
    EXPECT_EQ(asked, "https://records.pbx.example/43.mp3");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM activity_files WHERE content_type = 'audio/mpeg'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, ActivitiesServiceTest, ::testing::ValuesIn(otdel::testing::Engines()),
                         [](const auto& info) { return otdel::testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::activities
