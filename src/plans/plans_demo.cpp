#include "plans/plans_demo.hpp"

#include <algorithm>
#include <stdexcept>

#include "billing/billing_service.hpp"
#include "core/messages.hpp"
#include "deals/deals_service.hpp"
#include "org/employee_store.hpp"
#include "plans/plans_service.hpp"

namespace otdel::plans {
namespace {

constexpr std::int64_t kPlanRoubles = 3'500'000;
using core::kDay;

// Kitchens sold this month, smaller ones first; how many are used depends on the day of the month.
struct MonthSale {
    const char* title;
    std::int64_t roubles;
    int paid_percent;  // what the client has paid so far (0, 50 or 100)
};
constexpr MonthSale kSales[] = {
    {"Компактная кухня в студию", 198'000, 100},         {"Угловая кухня, фасады шпон дуба", 472'000, 50},
    {"Прямая кухня 3,6 м, эмаль", 356'000, 100},         {"Кухня с островом и винным шкафом", 684'000, 100},
    {"Кухня в стиле неоклассика", 389'000, 0},           {"Кухня и гардеробная в апартаменты", 598'000, 100},
    {"Кухня со столешницей из кварца", 433'000, 50},     {"Кухня-гостиная в таунхаус", 545'000, 0},
    {"Кухня и прихожая в загородный дом", 726'000, 100}, {"Кухня для шоурума застройщика", 812'000, 50},
};

constexpr const char* kCountPlans = "SELECT COUNT(*) FROM sales_plans WHERE workspace_id = :ws";
constexpr const char* kSalesDepartment =
    "SELECT id FROM departments WHERE workspace_id = :ws AND parent_id IS NULL AND archived_at IS NULL ORDER BY id "
    "LIMIT 1";
constexpr const char* kWonThisMonth =
    "SELECT COALESCE(SUM(amount_minor), 0) FROM deals WHERE workspace_id = :ws AND status = 'won' AND deleted_at IS "
    "NULL AND closed_at >= :from";
constexpr const char* kSomeCompanies =
    "SELECT id FROM companies WHERE workspace_id = :ws AND deleted_at IS NULL ORDER BY id DESC LIMIT 20";
constexpr const char* kBackdateDeal =
    "UPDATE deals SET created_at = :created, closed_at = :closed, stage_entered_at = :entered, last_activity_at = "
    ":active WHERE workspace_id = :ws AND id = :id";
constexpr const char* kBackdateHistory =
    "UPDATE deal_stage_history SET at = :at WHERE workspace_id = :ws AND deal_id = :id";

void Check(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("demo plans: " + what);
}

template <class T>
void Check(const core::Result<T>& r, const std::string& what) {
    if (!r) throw std::runtime_error("demo plans: " + what + ": " + core::ErrorMessage(r.error(), core::Lang::kEn));
}

}  // namespace

int SeedDemoPlans(db::Database& db, const core::Clock& clock, core::Id ws, const std::vector<core::Id>& sellers) {
    if (sellers.empty()) return 0;
    const long long wsl = ws;
    long long existing = 0, dept = 0;
    std::string today, tz;
    std::vector<long long> companies;
    const core::Millis now = clock.NowMs();
    db.Read([&](soci::session& sql) {
        sql << kCountPlans, soci::use(wsl, "ws"), soci::into(existing);
        sql << kSalesDepartment, soci::use(wsl, "ws"), soci::into(dept);
        today = org::store::WorkspaceToday(sql, ws, now);
        tz = org::store::WorkspaceTimeZone(sql, ws);
        long long id = 0;
        soci::statement st = (sql.prepare << kSomeCompanies, soci::into(id), soci::use(wsl, "ws"));
        st.execute(false);
        while (st.fetch()) companies.push_back(id);
        return 0;
    });
    if (existing > 0 || dept == 0) return 0;
    const Period month = PeriodContaining(PeriodKind::kMonth, *org::ParseDay(today));
    const org::Day day = *org::ParseDay(today);
    const int days_gone = day.days - month.first.days + 1, days_total = month.last.days - month.first.days + 1;
    const core::Millis month_start = billing::LocalMoment(tz, month.first, 0);

    // Won so far this month: what the days gone would bring at about 95 % of the plan's pace (a believable month,
    // a little behind), counting what other demo data already closed this month; at least one sale.
    long long won = 0;
    db.Read([&](soci::session& sql) {
        sql << kWonThisMonth, soci::use(wsl, "ws"), soci::use(static_cast<long long>(month_start), "from"),
            soci::into(won);
        return 0;
    });
    const std::int64_t goal_minor = (kPlanRoubles * 100) * 95 / 100 * (2 * days_gone - 1) / (2 * days_total);
    // How many sales that takes (the list is in no particular order of size).
    std::size_t wanted = 0;
    for (std::int64_t sum = won; wanted < std::size(kSales) && (sum < goal_minor || wanted == 0); ++wanted)
        sum += kSales[wanted].roubles * 100;
    deals::DealsService deals(db, clock);
    billing::BillingService billing(db, clock, deals, nullptr, nullptr);
    const core::Actor system = core::Actor::System(ws);
    auto pipelines = deals.ListPipelines(system, false);
    Check(pipelines.ok() && !pipelines->empty(), "no pipeline");
    const deals::Pipeline& p = pipelines->front();
    std::optional<core::Id> won_stage;
    for (const auto& s : p.stages)
        if (s.kind == "won") won_stage = s.id;
    Check(won_stage.has_value(), "no won stage");
    std::size_t i = 0;
    for (const auto& sale : kSales) {
        if (i >= wanted) break;
        deals::DealInput in;
        in.title = sale.title;
        in.amount_minor = sale.roubles * 100;
        in.set_owner = true;
        in.owner_user_id = sellers[(i * 3 + i / 2) % sellers.size()];
        if (!companies.empty()) {
            in.set_company = true;
            in.company_id = companies[i % companies.size()];
        }
        in.forecast_category = "commit";
        auto d = deals.Create(system, in);
        Check(d, std::string("cannot create ") + sale.title);
        auto moved = deals.MoveStage(system, d->id, *won_stage, std::nullopt, "");
        Check(moved, std::string("cannot win ") + sale.title);
        // Closed on a day between the month's first and today, spread evenly, at midday (not later than now).
        const int offset = static_cast<int>(i) * days_gone / static_cast<int>(wanted);
        const org::Day closed_day{month.first.days + std::min(offset, days_gone - 1)};
        const long long closed =
            std::min<long long>(billing::LocalMoment(tz, closed_day, 12 * 60 + static_cast<int>(i) * 7),
                                now - (static_cast<long long>(i) + 1) * 60'000);
        const long long created = closed - (9 + static_cast<long long>(i) * 2) * kDay, id = d->id;
        auto dated = db.InTx([&](soci::session& sql) -> core::Result<void> {
            sql << kBackdateDeal, soci::use(created, "created"), soci::use(closed, "closed"),
                soci::use(closed, "entered"), soci::use(closed, "active"), soci::use(wsl, "ws"), soci::use(id, "id");
            sql << kBackdateHistory, soci::use(closed, "at"), soci::use(wsl, "ws"), soci::use(id, "id");
            return core::Ok();
        });
        Check(dated, "cannot date a demo sale");
        won += in.amount_minor.value_or(0);
        if (sale.paid_percent > 0) {
            billing::InvoiceInput inv;
            inv.deal_id = id;
            inv.issue_date = org::FormatDay(closed_day);
            inv.due_date = org::FormatDay(org::Day{closed_day.days + 5});
            billing::InvoiceLine line;
            line.name = std::string("Мебель по дизайн-проекту: ") + sale.title;
            line.unit = "компл.";
            line.unit_price_minor = sale.roubles * 100;
            line.vat_rate_bp = 2200;
            inv.lines = std::vector<billing::InvoiceLine>{line};
            inv.issue = true;
            auto card = billing.Create(system, inv);
            Check(card, std::string("cannot invoice ") + sale.title);
            billing::PaymentInput pay;
            pay.paid_on = org::FormatDay(org::Day{std::min(closed_day.days + 1, day.days)});
            pay.amount_minor = card->invoice.totals.total_minor * sale.paid_percent / 100;
            pay.reference = "п/п " + std::to_string(3100 + i);
            Check(billing.AddPayment(system, card->invoice.id, pay), "cannot record a demo payment");
        }
        ++i;
    }

    // The department's plans for the month, split over the sellers.
    PlansService plans(db, clock);
    int created = 0;
    auto set_and_split = [&](const char* metric, std::int64_t target, const std::vector<std::int64_t>& weights) {
        PlanInput in;
        in.period = "month";
        in.first_day = month.FirstText();
        in.department_id = dept;
        in.metric = metric;
        in.target = target;
        in.note = "План отдела на месяц";
        auto plan = plans.SetPlan(system, in);
        Check(plan, std::string("cannot set the ") + metric + " plan");
        SplitRequest split;
        split.mode = weights.empty() ? "even" : "weights";
        for (std::size_t k = 0; k < sellers.size(); ++k)
            split.people.push_back(
                {sellers[k], weights.empty() ? std::nullopt : std::optional<std::int64_t>(weights[k % weights.size()]),
                 std::nullopt});
        auto parts = plans.SplitPlan(system, plan->id, split);
        Check(parts, std::string("cannot split the ") + metric + " plan");
        created += 1 + static_cast<int>(parts->size());
    };
    set_and_split("revenue", kPlanRoubles * 100, {30, 25, 20, 25});
    set_and_split("deals_won", 12, {});

    // Goals: the measured kind — one on track, one for the team, one overdue from last month.
    auto goal = [&](const char* title, const char* kpi, std::int64_t target, core::Id owner,
                    std::optional<core::Id> department, org::Day from, org::Day to) {
        GoalInput g;
        g.title = title;
        g.kpi = kpi;
        g.target = target;
        g.owner_user_id = owner;
        g.set_department = department.has_value();
        g.department_id = department;
        g.starts_on = org::FormatDay(from);
        g.deadline = org::FormatDay(to);
        Check(plans.CreateGoal(system, g), std::string("cannot set the goal ") + title);
    };
    const org::Day prev_last{month.first.days - 1};
    const Period prev = PeriodContaining(PeriodKind::kMonth, prev_last);
    goal("Средний чек не ниже 450 000 ₽", "average_deal_size", 45'000'000, sellers.front(),
         std::nullopt, month.first, month.last);
    goal("Пять новых клиентов за месяц", "new_clients", 5, sellers.back(), std::nullopt, prev.first, prev.last);
    goal("Доля выигранных сделок не ниже 60 %", "win_rate", 6000, sellers[sellers.size() > 1 ? 1 : 0], std::nullopt,
         month.first, month.last);
    return created;
}

}  // namespace otdel::plans
