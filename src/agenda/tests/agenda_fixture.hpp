#pragma once
// The agenda room's ground on SQLite and (with OTDEL_TEST_PG_DSN) PostgreSQL: a sales department with a head (scope
// all), two sellers in a team below, an analyst; the activities and deals rooms to write calls, meetings, tasks and
// deals through their own services; a few direct rows for what other rooms' machinery would write (a running SLA
// clock, an issued invoice).
#include <gtest/gtest.h>

#include "activities/activities_service.hpp"
#include "agenda/agenda_service.hpp"
#include "agenda/reviews_service.hpp"
#include "agenda/wav.hpp"
#include "deals/deals_service.hpp"
#include "leads/tests/lead_fixture.hpp"

namespace otdel::agenda::testing {

using core::kDay;
using core::kHour;
using core::kMinute;

class AgendaFixture : public leads::testing::LeadsFixture {
protected:
    void SetUp() override {
        LeadsFixture::SetUp();
        activities_ = std::make_unique<activities::ActivitiesService>(tdb_.db(), clock_);
        deals_ = std::make_unique<deals::DealsService>(tdb_.db(), clock_);
        agenda_ = std::make_unique<AgendaService>(tdb_.db(), clock_, *activities_);
        reviews_ = std::make_unique<ReviewsService>(tdb_.db(), clock_, *activities_);
        sales_ = Dept("Продажи", std::nullopt);
        team_ = Dept("Менеджеры", sales_);
        rop_ = Person("rop@kuhni.test", "head_of_sales", sales_);
        seller_ = Person("s1@kuhni.test", "sales_manager", team_);
        colleague_ = Person("s2@kuhni.test", "sales_manager", team_);
        analyst_ = Person("an@kuhni.test", "sales_analyst", sales_);
    }

    core::Id Deal(core::Id owner, const std::string& title = "Кухня") {
        deals::DealInput in;
        in.title = title;
        auto d = deals_->Create(As(owner), in);
        EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message_key);
        return d.ok() ? d->id : 0;
    }
    activities::ActivityInput On(core::Id deal, const std::string& kind, const std::string& subject) {
        activities::ActivityInput in;
        in.kind = kind;
        in.record_type = "deal";
        in.record_id = deal;
        in.subject = subject;
        return in;
    }
    core::Id Meeting(core::Id owner, core::Id deal, core::Millis starts, std::vector<core::Id> people = {}) {
        auto in = On(deal, "meeting", "Замер кухни");
        in.starts_at = starts;
        in.ends_at = starts + kHour;
        in.place = "Москва, ул. Лесная, 5";
        std::vector<activities::Participant> ps;
        for (core::Id u : people) {
            activities::Participant p;
            p.user_id = u;
            ps.push_back(p);
        }
        in.participants = ps;
        auto a = activities_->Create(As(owner), in);
        EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_key + " " + Fields(a.error()));
        return a.ok() ? a->id : 0;
    }
    core::Id Call(core::Id owner, core::Id deal, int seconds, bool recorded) {
        auto in = On(deal, "call", "Звонок по кухне");
        in.direction = "out";
        in.outcome = "answered";
        in.duration_s = seconds;
        in.phone = "+74951234567";
        auto a = activities_->Create(As(owner), in);
        EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_key + " " + Fields(a.error()));
        if (!a.ok()) return 0;
        if (recorded) {
            auto up = activities_->UploadRecording(As(owner), a->id, "call.wav", MakeDemoWav(seconds));
            EXPECT_TRUE(up.ok()) << (up.ok() ? "" : up.error().message_key);
        }
        return a->id;
    }
    core::Id Task(core::Id owner, core::Id deal, core::Millis due, const std::string& subject = "Выставить счёт") {
        auto in = On(deal, "task", subject);
        in.set_due = true;
        in.due_at = due;
        auto a = activities_->Create(As(owner), in);
        EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message_key + " " + Fields(a.error()));
        return a.ok() ? a->id : 0;
    }
    void Exec(const std::string& text) {
        auto r = tdb_.db().InTx([&](soci::session& sql) -> core::Result<void> {
            sql << text;
            return core::Ok();
        });
        ASSERT_TRUE(r.ok());
    }
    static std::string Fields(const core::Error& e) {
        std::string out;
        for (const auto& f : e.fields) out += f.field + ":" + f.code + " ";
        return out;
    }

    std::unique_ptr<activities::ActivitiesService> activities_;
    std::unique_ptr<deals::DealsService> deals_;
    std::unique_ptr<AgendaService> agenda_;
    std::unique_ptr<ReviewsService> reviews_;
    core::Id sales_ = 0, team_ = 0, rop_ = 0, seller_ = 0, colleague_ = 0, analyst_ = 0;
};

}  // namespace otdel::agenda::testing
