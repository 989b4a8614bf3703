#include "deals/deals_demo.hpp"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>

#include "deals/deals_service.hpp"
#include "org/work_calendar.hpp"

namespace otdel::deals {
namespace {

using core::kDay;

struct DemoDeal {
    const char* title;
    std::int64_t roubles;
    int stage;  // index into the standard stages: 0 new … 4 contract, 5 won, 6 lost
    int close_in_days;
    int idle_days;  // how long ago the last activity was
    const char* forecast;
    int age_days;  // how long ago it was created (see Dates below)
};

constexpr DemoDeal kDeals[] = {
    {"Угловая кухня 3,4 м, фасады эмаль", 412'000, 0, 20, 1, "pipeline", 2},
    {"Кухня-остров для загородного дома", 1'180'000, 1, 35, 2, "pipeline", 8},
    {"Прямая кухня 2,8 м в новостройку", 264'000, 1, 25, 9, "pipeline", 14},
    {"Шкаф-купе в прихожую и кухня", 538'000, 2, 18, 3, "best_case", 11},
    {"Кухня в стиле лофт, столешница из камня", 760'000, 2, 15, 12, "best_case", 25},
    {"П-образная кухня с барной стойкой", 645'000, 3, 5, 1, "commit", 19},
    {"Кухня для кафе «Пышка»", 1'420'000, 3, 7, 5, "commit", 23},
    {"Гардеробная и кухня в таунхаус", 890'000, 4, 3, 2, "commit", 27},
    {"Кухня 3 м, фасады МДФ", 318'000, 5, -21, 6, "commit", 34},
    {"Встроенная кухня с техникой", 977'000, 5, -41, 14, "commit", 60},
    {"Кухня в съёмную квартиру", 189'000, 6, -8, 8, "pipeline", 20},
    {"Классическая кухня с патиной", 702'000, 6, -20, 21, "pipeline", 38},
    {"Кухня-гостиная 5 м", 836'000, 0, 30, 0, "pipeline", 0},
    {"Мебель для переговорной", 455'000, 2, 21, 4, "pipeline", 9},
};

constexpr const char* kCountDeals = "SELECT COUNT(*) FROM deals WHERE workspace_id = :ws";
constexpr const char* kSomeCompanies =
    "SELECT id FROM companies WHERE workspace_id = :ws AND deleted_at IS NULL ORDER BY id LIMIT 40";
constexpr const char* kBackdate =
    "UPDATE deals SET created_at = :created, closed_at = :closed, last_activity_at = :at, stage_entered_at = :at2 "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kHistoryIds =
    "SELECT id FROM deal_stage_history WHERE workspace_id = :ws AND deal_id = :id ORDER BY id";
constexpr const char* kBackdateStep = "UPDATE deal_stage_history SET at = :at WHERE workspace_id = :ws AND id = :id";

// When a demo deal was created, entered each stage, closed and was last touched, relative to now. A closed deal
// closed `close_in_days` ago. An open deal whose last activity falls in the current month was also created in it
// (its age is compressed into the days gone, so the month's funnel is never empty early in the month); the stages
// were entered at even steps from its creation to its last activity, so the funnel's times in stage are real.
struct Dates {
    core::Millis created = 0, last_entry = 0, last_activity = 0;
    std::optional<core::Millis> closed;
};

Dates DatesOf(const DemoDeal& demo, std::size_t i, core::Millis now, core::Millis month_start) {
    Dates d;
    const bool closed = demo.stage >= 5;
    d.created = now - demo.age_days * kDay;
    d.last_activity = now - demo.idle_days * kDay;
    if (closed) {
        d.closed = now + demo.close_in_days * kDay;
        d.last_entry = *d.closed;
        return d;
    }
    if (d.last_activity >= month_start && d.created < month_start) {
        const double gone = static_cast<double>(now - month_start);
        d.created = now - static_cast<core::Millis>(gone * 0.9 * demo.age_days / 28.0) - static_cast<core::Millis>(i);
        d.created = std::max(d.created, month_start + static_cast<core::Millis>(i + 1) * 60'000);
        d.created = std::min(d.created, now - static_cast<core::Millis>(i + 1) * 60'000);
    }
    d.last_entry = std::max(d.last_activity, d.created + 60'000);
    d.last_entry = std::min(d.last_entry, now);
    d.last_activity = std::max(d.last_activity, d.last_entry);
    return d;
}

// The first instant of the month `today` ("YYYY-MM-DD", Moscow) lies in.
core::Millis MonthStart(const std::string& today, core::Millis now) {
    const auto first = org::ParseDay(today.substr(0, 8) + "01");
    if (!first) return now;
    const auto local = date::local_days{date::days{first->days}};
    try {
        const auto sys = date::locate_zone("Europe/Moscow")->to_sys(local, date::choose::earliest);
        return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
    } catch (const std::exception&) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(local.time_since_epoch()).count();
    }
}

void Check(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("demo deals: " + what);
}

}  // namespace

int SeedDemoDeals(db::Database& db, const core::Clock& clock, core::Id ws, const std::vector<core::Id>& owners) {
    if (owners.empty()) return 0;
    const long long wsl = ws;
    long long existing = 0;
    std::vector<core::Id> companies;
    db.Read([&](soci::session& sql) {
        sql << kCountDeals, soci::use(wsl, "ws"), soci::into(existing);
        long long id = 0;
        soci::statement st = (sql.prepare << kSomeCompanies, soci::into(id), soci::use(wsl, "ws"));
        st.execute(false);
        while (st.fetch()) companies.push_back(id);
        return 0;
    });
    if (existing > 0) return 0;
    DealsService deals(db, clock);
    const core::Actor system = core::Actor::System(ws);
    auto pipelines = deals.ListPipelines(system, false);
    Check(pipelines.ok() && !pipelines->empty(), "no pipeline");
    const Pipeline& p = pipelines->front();
    auto reasons = deals.ListLossReasons(system, false);
    Check(reasons.ok() && !reasons->empty(), "no loss reasons");
    const core::Millis now = clock.NowMs();
    const std::string today = org::LocalDateText("Europe/Moscow", now);
    const core::Millis month_start = MonthStart(today, now);
    int created = 0;
    std::size_t i = 0;
    for (const auto& demo : kDeals) {
        DealInput in;
        in.title = demo.title;
        in.amount_minor = demo.roubles * 100;
        in.set_owner = true;
        in.owner_user_id = owners[i % owners.size()];
        if (!companies.empty()) {
            in.set_company = true;
            in.company_id = companies[(i * 3) % companies.size()];
        }
        in.set_close = true;
        in.expected_close_date = org::LocalDateText("Europe/Moscow", now + demo.close_in_days * kDay);
        in.forecast_category = demo.forecast;
        auto d = deals.Create(system, in);
        Check(d.ok(), std::string("cannot create ") + demo.title);
        // Walk it stage by stage, as people do: the funnel's history is real.
        for (int s = 1; s <= demo.stage && s < static_cast<int>(p.stages.size()); ++s) {
            const Stage& target = p.stages[static_cast<std::size_t>(s)];
            if (target.kind == "won" && demo.stage == 6) continue;  // a lost deal never won
            if (target.kind == "lost" && demo.stage != 6) break;
            std::optional<core::Id> reason;
            if (target.kind == "lost") reason = (*reasons)[i % reasons->size()].id;
            auto moved = deals.MoveStage(system, d->id, target.id, reason,
                                         target.kind == "lost" ? "Клиент сравнил с конкурентом" : "");
            Check(moved.ok(), std::string("cannot move ") + demo.title);
        }
        const Dates dates = DatesOf(demo, i, now, month_start);
        const long long id = d->id, created_at = dates.created, at = dates.last_activity, entered = dates.last_entry;
        long long closed_at = dates.closed.value_or(0);
        soci::indicator closed_ind = dates.closed ? soci::i_ok : soci::i_null;
        auto backdated = db.InTx([&](soci::session& sql) -> core::Result<void> {
            sql << kBackdate, soci::use(created_at, "created"), soci::use(closed_at, closed_ind, "closed"),
                soci::use(at, "at"), soci::use(entered, "at2"), soci::use(wsl, "ws"), soci::use(id, "id");
            std::vector<long long> steps(16);
            sql << kHistoryIds, soci::use(wsl, "ws"), soci::use(id, "id"), soci::into(steps);
            for (std::size_t k = 0; k < steps.size(); ++k) {
                long long step_at = created_at;
                if (steps.size() > 1)
                    step_at +=
                        (entered - created_at) * static_cast<long long>(k) / static_cast<long long>(steps.size() - 1);
                sql << kBackdateStep, soci::use(step_at, "at"), soci::use(wsl, "ws"), soci::use(steps[k], "id");
            }
            return core::Ok();
        });
        Check(backdated.ok(), "cannot date the demo deal's last activity");
        ++created;
        ++i;
    }
    // The contract stage's gate: a contract needs the amount, the client's INN and a signed measurement sheet.
    for (const auto& s : p.stages) {
        if (s.position != 4) continue;
        StagePatch gate;
        gate.required_fields = std::vector<std::string>{"amount", "company", "company.inn"};
        gate.checklist =
            std::vector<ChecklistItem>{{"", "Замер согласован и подписан клиентом"}, {"", "Внесена предоплата 50 %"}};
        auto r = deals.UpdateStage(system, s.id, gate);
        Check(r.ok(), "cannot set the contract stage's gate");
    }
    return created;
}

}  // namespace otdel::deals
