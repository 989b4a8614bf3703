#include "deals/deals_demo.hpp"

#include <stdexcept>

#include "deals/deals_service.hpp"
#include "org/work_calendar.hpp"

namespace otdel::deals {
namespace {

constexpr core::Millis kDay = 24LL * 60 * 60 * 1000;

struct DemoDeal {
    const char* title;
    std::int64_t roubles;
    int stage;  // index into the standard stages: 0 new … 4 contract, 5 won, 6 lost
    int close_in_days;
    int idle_days;  // how long ago the last activity was
    const char* forecast;
};

constexpr DemoDeal kDeals[] = {
    {"Угловая кухня 3,4 м, фасады эмаль", 412'000, 0, 20, 1, "pipeline"},
    {"Кухня-остров для загородного дома", 1'180'000, 1, 35, 2, "pipeline"},
    {"Прямая кухня 2,8 м в новостройку", 264'000, 1, 25, 9, "pipeline"},
    {"Шкаф-купе в прихожую и кухня", 538'000, 2, 18, 3, "best_case"},
    {"Кухня в стиле лофт, столешница из камня", 760'000, 2, 15, 12, "best_case"},
    {"П-образная кухня с барной стойкой", 645'000, 3, 5, 1, "commit"},
    {"Кухня для кафе «Пышка»", 1'420'000, 3, 7, 5, "commit"},
    {"Гардеробная и кухня в таунхаус", 890'000, 4, 3, 2, "commit"},
    {"Кухня 3 м, фасады МДФ", 318'000, 5, -5, 6, "commit"},
    {"Встроенная кухня с техникой", 977'000, 5, -12, 14, "commit"},
    {"Кухня в съёмную квартиру", 189'000, 6, -8, 8, "pipeline"},
    {"Классическая кухня с патиной", 702'000, 6, -20, 21, "pipeline"},
    {"Кухня-гостиная 5 м", 836'000, 0, 30, 0, "pipeline"},
    {"Мебель для переговорной", 455'000, 2, 21, 4, "pipeline"},
};

constexpr const char* kCountDeals = "SELECT COUNT(*) FROM deals WHERE workspace_id = :ws";
constexpr const char* kSomeCompanies =
    "SELECT id FROM companies WHERE workspace_id = :ws AND deleted_at IS NULL ORDER BY id LIMIT 40";
constexpr const char* kBackdate =
    "UPDATE deals SET last_activity_at = :at, stage_entered_at = :at2 WHERE workspace_id = :ws AND id = :id";

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
        const long long at = now - demo.idle_days * kDay, id = d->id;
        auto backdated = db.InTx([&](soci::session& sql) -> core::Result<void> {
            sql << kBackdate, soci::use(at, "at"), soci::use(at, "at2"), soci::use(wsl, "ws"), soci::use(id, "id");
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
