// CalendarService and its store on every engine: lazy loading of the production calendar, day entries, layered
// settings, absences, permissions and audit rows.
#include "org/calendar_service.hpp"

#include <gtest/gtest.h>

#include "calendar_time.hpp"
#include "core/clock.hpp"
#include "db/testing/test_db.hpp"
#include "events/audit.hpp"

namespace otdel::org {
namespace {

using core::Millis;

using core::kHour;

using test_support::Msk;

class CalendarServiceTest : public ::testing::TestWithParam<db::Engine> {
protected:
    void SetUp() override {
        tdb = std::make_unique<testing::TestDatabase>(GetParam());
        ws = Exec("INSERT INTO workspaces (name, slug, created_at, updated_at) VALUES ('W', 'w', 0, 0) RETURNING id");
        admin = UserActor("admin@example.com", true);
        seller = UserActor("seller@example.com", false);
        service = std::make_unique<CalendarService>(tdb->db(), clock);
    }

    core::Id Exec(const std::string& sql_text) {
        core::Id id = 0;
        auto r = tdb->db().InTx([&](soci::session& sql) -> core::Result<void> {
            long long out = 0;
            sql << sql_text, soci::into(out);
            id = out;
            return core::Ok();
        });
        (void)r;
        return id;
    }

    core::Actor UserActor(const std::string& email, bool is_admin) {
        core::Actor a;
        a.kind = core::ActorKind::kUser;
        a.workspace_id = ws;
        a.is_admin = is_admin;
        a.user_id = Exec(
            "INSERT INTO users (workspace_id, email, full_name, password_hash, is_admin, created_at, "
            "updated_at) VALUES (" +
            std::to_string(ws) + ", '" + email + "', 'U', 'x', " + (is_admin ? "1" : "0") + ", 0, 0) RETURNING id");
        return a;
    }

    core::Id Department(const std::string& parent_path, std::optional<core::Id> parent) {
        core::Id id = Exec(
            "INSERT INTO departments (workspace_id, parent_id, name, path, division, created_at, "
            "updated_at) VALUES (" +
            std::to_string(ws) + ", " + (parent ? std::to_string(*parent) : "NULL") +
            ", 'D', 'tmp', '{}', 0, 0) RETURNING id");
        Exec("UPDATE departments SET path = '" + parent_path + std::to_string(id) +
             "/' WHERE id = " + std::to_string(id) + " RETURNING id");
        return id;
    }

    void Employ(core::Id user_id, core::Id department_id) {
        core::Id role = Exec(
            "INSERT INTO roles (workspace_id, code, name_ru, name_en, kpis, permissions, created_at, "
            "updated_at) VALUES (" +
            std::to_string(ws) + ", 'r" + std::to_string(user_id) + "', 'Р', 'R', '[]', '{}', 0, 0) RETURNING id");
        Exec("INSERT INTO employees (workspace_id, user_id, role_id, department_id, created_at, updated_at) VALUES (" +
             std::to_string(ws) + ", " + std::to_string(user_id) + ", " + std::to_string(role) + ", " +
             std::to_string(department_id) + ", 0, 0) RETURNING id");
    }

    int AuditCount(const std::string& action) {
        return tdb->db().Read([&](soci::session& sql) {
            int n = 0;
            long long w = ws;
            sql << "SELECT COUNT(*) FROM audit_log WHERE workspace_id = :ws AND action = :a", soci::use(w, "ws"),
                soci::use(action, "a"), soci::into(n);
            return n;
        });
    }

    CalendarSettingsInput Input(std::optional<std::string> tz, std::optional<WeekSchedule> week, bool holidays = true) {
        return CalendarSettingsInput{std::move(tz), std::move(week), holidays};
    }

    core::ManualClock clock{Msk(2026, 11, 23, 12)};
    std::unique_ptr<testing::TestDatabase> tdb;
    core::Id ws = 0;
    core::Actor admin, seller;
    std::unique_ptr<CalendarService> service;
};

TEST_P(CalendarServiceTest, ProductionCalendarIsLoadedOnFirstUse) {
    auto y = service->ListDays(seller, 2026);
    ASSERT_TRUE(y.ok());
    EXPECT_TRUE(y->builtin);
    EXPECT_TRUE(y->official);
    EXPECT_EQ(y->days.size(), 22u);
    EXPECT_EQ(FormatDay(y->days.front().day), "2026-01-01");
    EXPECT_EQ(y->days.front().source, "builtin");
    auto next = service->ListDays(seller, 2027);
    EXPECT_FALSE(next->official);
    EXPECT_NE(next->source.find("derived by rule"), std::string::npos);
    EXPECT_EQ(AuditCount("calendar_year.load"), 2);
}

TEST_P(CalendarServiceTest, LoadingTwiceAddsNothing) {
    service->EnsureBuiltinYears(ws);
    CalendarService fresh(tdb->db(), clock);  // another process: no in-memory memo
    fresh.EnsureBuiltinYears(ws);
    EXPECT_EQ(fresh.ListDays(seller, 2026)->days.size(), 22u);
    EXPECT_EQ(AuditCount("calendar_year.load"), 2);
}

TEST_P(CalendarServiceTest, YearWithoutBuiltInDataIsEmpty) {
    auto y = service->ListDays(seller, 2030);
    EXPECT_FALSE(y->builtin);
    EXPECT_TRUE(y->days.empty());
}

TEST_P(CalendarServiceTest, DeletedBuiltInDayStaysDeleted) {
    auto y = service->ListDays(admin, 2026);
    const core::Id dec31 = y->days.back().id;
    ASSERT_TRUE(service->DeleteDay(admin, dec31).ok());
    CalendarService fresh(tdb->db(), clock);
    EXPECT_EQ(fresh.ListDays(admin, 2026)->days.size(), 21u);
    EXPECT_EQ(AuditCount("calendar_day.delete"), 1);
}

TEST_P(CalendarServiceTest, AddChangeAndDeleteADay) {
    NewCalendarDay day{MakeDay(2026, 11, 27), DayKind::kShortDay, {{9 * 60, 15 * 60}}, "Корпоратив"};
    auto added = service->AddDay(admin, day);
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(added->source, "manual");
    EXPECT_EQ(added->hours, (std::vector<Interval>{{540, 900}}));

    CalendarDayPatch patch;
    patch.kind = DayKind::kHoliday;
    auto changed = service->ChangeDay(admin, added->id, patch);
    ASSERT_TRUE(changed.ok());
    EXPECT_EQ(changed->kind, DayKind::kHoliday);
    EXPECT_TRUE(changed->hours.empty());
    EXPECT_EQ(changed->name, "Корпоратив");

    ASSERT_TRUE(service->DeleteDay(admin, added->id).ok());
    EXPECT_EQ(service->DeleteDay(admin, added->id).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(AuditCount("calendar_day.create"), 1);
    EXPECT_EQ(AuditCount("calendar_day.update"), 1);
    EXPECT_EQ(AuditCount("calendar_day.delete"), 1);
}

TEST_P(CalendarServiceTest, SecondEntryForTheSameDateIsAConflict) {
    auto r = service->AddDay(admin, {MakeDay(2026, 1, 1), DayKind::kWorkingDay, {}, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(r.error().message_key, "calendar.day_exists");
}

TEST_P(CalendarServiceTest, MovingADayOntoAnotherIsAConflict) {
    auto added = service->AddDay(admin, {MakeDay(2026, 11, 27), DayKind::kHoliday, {}, ""});
    CalendarDayPatch patch;
    patch.day = MakeDay(2026, 11, 4);
    EXPECT_EQ(service->ChangeDay(admin, added->id, patch).error().code, core::ErrorCode::kConflict);
}

TEST_P(CalendarServiceTest, HolidayWithHoursIsRefused) {
    auto r = service->AddDay(admin, {MakeDay(2026, 11, 27), DayKind::kHoliday, {{540, 600}}, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).code, "hours_not_allowed");
}

TEST_P(CalendarServiceTest, OnlyAdministratorsChangeCalendars) {
    EXPECT_EQ(service->AddDay(seller, {MakeDay(2026, 11, 27), DayKind::kHoliday, {}, ""}).error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(
        service->PutSettings(seller, CalendarScope::kWorkspace, 0, Input("Europe/Moscow", DefaultWeek())).error().code,
        core::ErrorCode::kForbidden);
    EXPECT_TRUE(service->GetSettings(seller, CalendarScope::kWorkspace, 0).ok());
}

TEST_P(CalendarServiceTest, WorkspaceDefaultsToItsTimeZoneAndMondayToFriday) {
    auto s = service->GetSettings(seller, CalendarScope::kWorkspace, 0);
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s->overridden);
    EXPECT_EQ(*s->time_zone, "Europe/Moscow");
    EXPECT_EQ(*s->week, DefaultWeek());
}

TEST_P(CalendarServiceTest, WorkspaceSettingsAreStoredAndAudited) {
    WeekSchedule week = DefaultWeek();
    week[5] = {{10 * 60, 14 * 60}};
    auto s = service->PutSettings(admin, CalendarScope::kWorkspace, 0, Input("Asia/Yekaterinburg", week));
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->overridden);
    EXPECT_EQ(s->effective_time_zone, "Asia/Yekaterinburg");
    EXPECT_EQ(s->effective_week, week);
    EXPECT_EQ(AuditCount("work_calendar.create"), 1);
    ASSERT_TRUE(service->PutSettings(admin, CalendarScope::kWorkspace, 0, Input("Europe/Moscow", week)).ok());
    EXPECT_EQ(AuditCount("work_calendar.update"), 1);
}

TEST_P(CalendarServiceTest, BadSettingsAreRefusedWithFieldErrors) {
    WeekSchedule week;
    week[4] = {{22 * 60, 6 * 60}};
    week[5] = {{5 * 60, 9 * 60}};
    auto r = service->PutSettings(admin, CalendarScope::kWorkspace, 0, Input("Mars/Olympus", week));
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 2u);
    EXPECT_EQ(r.error().fields[0].code, "invalid_time_zone");
    EXPECT_EQ(r.error().fields[1].code, "overlapping_intervals");
    EXPECT_EQ(AuditCount("work_calendar.create"), 0);
}

TEST_P(CalendarServiceTest, UnknownEmployeeOrDepartmentIsNotFound) {
    EXPECT_EQ(service->GetSettings(admin, CalendarScope::kEmployee, 999'999).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(service->PutSettings(admin, CalendarScope::kDepartment, 999'999, Input("Europe/Moscow", std::nullopt))
                  .error()
                  .code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(service->IsWorkingAt(admin, 999'999, Msk(2026, 11, 23, 12)).error().code, core::ErrorCode::kNotFound);
}

TEST_P(CalendarServiceTest, PersonFollowsTheWorkspaceAndItsHolidays) {
    EXPECT_TRUE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 23, 12))->working);
    auto off = service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 4, 12));  // Unity Day
    EXPECT_FALSE(off->working);
    EXPECT_EQ(*off->next_working_at, Msk(2026, 11, 5, 9));
    EXPECT_EQ(*service->AddWorkingMinutesFor(seller, seller.user_id, Msk(2026, 12, 30, 17), 120), Msk(2027, 1, 11, 10));
}

TEST_P(CalendarServiceTest, DepartmentAncestorAndEmployeeLayers) {
    const core::Id root = Department("/", std::nullopt);
    const core::Id team = Department("/" + std::to_string(root) + "/", root);
    Employ(seller.user_id, team);
    WeekSchedule early;
    for (int d = 0; d < 5; ++d) early[d] = {{7 * 60, 16 * 60}};
    ASSERT_TRUE(service->PutSettings(admin, CalendarScope::kDepartment, root, Input(std::nullopt, early)).ok());
    // The team inherits the root's early week.
    EXPECT_TRUE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 23, 7))->working);
    // The employee moves to Vladivostok (UTC+10): 07:00 there is 00:00 in Moscow.
    ASSERT_TRUE(
        service->PutSettings(admin, CalendarScope::kEmployee, seller.user_id, Input("Asia/Vladivostok", std::nullopt))
            .ok());
    auto s = service->GetSettings(seller, CalendarScope::kEmployee, seller.user_id);
    EXPECT_EQ(s->effective_time_zone, "Asia/Vladivostok");
    EXPECT_EQ(s->effective_week, early);
    EXPECT_EQ(*s->time_zone, "Asia/Vladivostok");
    EXPECT_FALSE(s->week);
    EXPECT_TRUE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 23, 0))->working);
    EXPECT_FALSE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 23, 10))->working);
    // Removing the override brings the Moscow hours back.
    ASSERT_TRUE(service->DeleteOverride(admin, CalendarScope::kEmployee, seller.user_id).ok());
    EXPECT_TRUE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 23, 7))->working);
    EXPECT_EQ(AuditCount("work_calendar.delete"), 1);
}

TEST_P(CalendarServiceTest, HolidaysOffForRoundTheClockSupport) {
    WeekSchedule all;
    for (auto& d : all) d = {{0, 24 * 60}};
    ASSERT_TRUE(
        service->PutSettings(admin, CalendarScope::kEmployee, seller.user_id, Input(std::nullopt, all, false)).ok());
    EXPECT_TRUE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 4, 3))->working);
}

TEST_P(CalendarServiceTest, AbsencesOfThePersonAreDaysOff) {
    Exec("INSERT INTO absences (workspace_id, user_id, kind, starts_on, ends_on, created_at, updated_at) VALUES (" +
         std::to_string(ws) + ", " + std::to_string(seller.user_id) +
         ", 'vacation', '2026-11-24', '2026-11-27', 0, 0) RETURNING id");
    Exec(
        "INSERT INTO absences (workspace_id, user_id, kind, starts_on, ends_on, cancelled_at, created_at, "
        "updated_at) VALUES (" +
        std::to_string(ws) + ", " + std::to_string(seller.user_id) +
        ", 'day_off', '2026-11-30', '2026-11-30', 1, 0, 0) RETURNING id");
    EXPECT_FALSE(service->IsWorkingAt(seller, seller.user_id, Msk(2026, 11, 25, 12))->working);
    // Mon 23 Nov 17:00 + 2 h: Tue–Fri away, the weekend, the cancelled day off on Monday 30th is worked.
    EXPECT_EQ(*service->AddWorkingMinutesFor(seller, seller.user_id, Msk(2026, 11, 23, 17), 120),
              Msk(2026, 11, 30, 10));
}

INSTANTIATE_TEST_SUITE_P(Engines, CalendarServiceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return testing::EngineParamName(info.param); });

}  // namespace
}  // namespace otdel::org
