// Reports at scale (REP-1 … REP-3): 1,000,000 deals (with their stage history and product lines) and 5,000,000
// activities of 200 sellers in 10 teams over twelve months, then the funnel, plan vs fact, win/loss, activity and
// forecast reports and the head's dashboard through ReportsService, as the head (everything visible) and as one
// seller, medians of several runs. Budgets: each report ≤ 300 ms, the dashboard ≤ 500 ms.
//
// Run: build/release/bench/otdel_reports_bench [sqlite file or postgresql:// URL] [deals] [activities]
// The data set is built once per file (reused when it is already there).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "org/org_service.hpp"
#include "reports/reports_service.hpp"

using namespace otdel;

namespace {

constexpr core::Millis kDay = 24LL * 60 * 60 * 1000;
// 2025-12-01 00:00 Moscow; the data covers twelve months to 2026-11-30; "now" is 2026-11-20 12:00.
constexpr core::Millis kStart = 1'764'536'400'000;
constexpr core::Millis kNow = kStart + 354 * kDay + 12 * 60 * 60 * 1000;
constexpr int kTeams = 10, kPerTeam = 20;

double Ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Setup {
    core::Id ws = 0, head = 0, pipeline = 0;
    std::vector<core::Id> sellers;
};

long long One(soci::session& sql, const std::string& q) {
    long long v = 0;
    sql << q, soci::into(v);
    return v;
}

Setup Build(db::Database& db, core::ManualClock& clock, long long n_deals, long long n_acts) {
    Setup s;
    auth::AuthConfig auth_cfg;
    auth_cfg.argon2_t_cost = 1;
    auth_cfg.argon2_m_cost_kib = 1024;
    auth::AuthService auth(db, clock, auth_cfg);
    org::HandoverRegistry handovers;
    org::OrgService org(db, clock, auth, handovers);
    // Reuse a data set already built in this file.
    bool built = false;
    db.Read([&](soci::session& sql) {
        built = One(sql, "SELECT COUNT(*) FROM workspaces WHERE slug = 'rbench'") > 0;
        if (built) {
            s.ws = One(sql, "SELECT id FROM workspaces WHERE slug = 'rbench'");
            s.head = One(sql, "SELECT id FROM users WHERE email = 'rop@rbench.test'");
            s.pipeline = One(sql, "SELECT MAX(id) FROM pipelines WHERE name = 'Bench'");
            soci::rowset<long long> rs = (sql.prepare << "SELECT id FROM users WHERE email LIKE 's%@rbench.test' "
                                                         "ORDER BY id");
            for (auto id : rs) s.sellers.push_back(id);
        }
        return 0;
    });
    if (built) return s;
    auto ws = auth.CreateWorkspace(auth::NewWorkspace{"Reports bench", "rbench"}, core::Actor::System(0));
    s.ws = *ws;
    org.EnsureCatalog(s.ws);
    const core::Actor sys = core::Actor::System(s.ws);
    std::map<std::string, core::Id> roles;
    for (const auto& r : *org.ListRoles(sys, false)) roles[r.code] = r.id;
    org::DepartmentInput top;
    top.name = "Продажи";
    const core::Id sales = org.CreateDepartment(sys, top)->id;
    auto person = [&](const std::string& email, const std::string& role, core::Id dept) {
        org::EmployeeInput in;
        in.new_user = auth::NewUser{s.ws, email, email, "password-123", "ru", false};
        in.role_id = roles.at(role);
        in.department_id = dept;
        return org.CreateEmployee(sys, in)->employee.user_id;
    };
    s.head = person("rop@rbench.test", "head_of_sales", sales);
    for (int t = 0; t < kTeams; ++t) {
        org::DepartmentInput d;
        d.name = "Команда " + std::to_string(t + 1);
        d.set_parent = true;
        d.parent_id = sales;
        const core::Id team = org.CreateDepartment(sys, d)->id;
        for (int p = 0; p < kPerTeam; ++p)
            s.sellers.push_back(
                person("s" + std::to_string(t * kPerTeam + p) + "@rbench.test", "account_manager", team));
    }
    std::printf("people ready; inserting %lld deals and %lld activities...\n", n_deals, n_acts);
    const auto t0 = std::chrono::steady_clock::now();
    db.InTx([&](soci::session& sql) -> core::Result<void> {
        long long w = s.ws;
        sql << "UPDATE workspaces SET time_zone = 'Europe/Moscow' WHERE id = :ws", soci::use(w, "ws");
        sql << "INSERT INTO pipelines (workspace_id, name, position, is_default, created_at, updated_at) VALUES (:ws, "
               "'Bench', 99, 0, 0, 0)",
            soci::use(w, "ws");
        s.pipeline = One(sql, "SELECT MAX(id) FROM pipelines");
        long long p = s.pipeline;
        const char* names[] = {"Новая", "Встреча", "КП", "Выиграна", "Проиграна"};
        const int probs[] = {10, 30, 60, 100, 0};
        const char* kinds[] = {"open", "open", "open", "won", "lost"};
        std::vector<long long> stage(5);
        for (int i = 0; i < 5; ++i) {
            std::string name = names[i], kind = kinds[i];
            int pos = i, prob = probs[i];
            sql << "INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind, "
                   "created_at, updated_at) VALUES (:ws, :p, :n, :pos, :prob, :k, 0, 0)",
                soci::use(w, "ws"), soci::use(p, "p"), soci::use(name, "n"), soci::use(pos, "pos"),
                soci::use(prob, "prob"), soci::use(kind, "k");
            stage[i] = One(sql, "SELECT MAX(id) FROM pipeline_stages");
        }
        sql << "INSERT INTO loss_reasons (workspace_id, name_ru, name_en, created_at) VALUES (:ws, 'Дорого', "
               "'Too expensive', 0)",
            soci::use(w, "ws");
        long long reason = One(sql, "SELECT MAX(id) FROM loss_reasons");
        std::mt19937_64 rng(42);
        long long id = One(sql, "SELECT COALESCE(MAX(id), 0) FROM deals"), owner = 0, st = 0, amount = 0, created = 0,
                  closed = 0, rs = 0, hid = One(sql, "SELECT COALESCE(MAX(id), 0) FROM deal_stage_history"), hstage = 0,
                  hat = 0;
        std::string status, cat;
        soci::indicator closed_ind = soci::i_null, reason_ind = soci::i_null;
        soci::statement ins =
            (sql.prepare << "INSERT INTO deals (workspace_id, id, pipeline_id, stage_id, title, "
                            "owner_user_id, amount_minor, currency, status, forecast_category, "
                            "loss_reason_id, stage_entered_at, last_activity_at, closed_at, "
                            "created_at, updated_at) VALUES (:ws, :id, :p, :st, 'Сделка', :o, :a, "
                            "'RUB', :status, :cat, :r, :c, :c2, :cl, :c3, :c4)",
             soci::use(w, "ws"), soci::use(id, "id"), soci::use(p, "p"), soci::use(st, "st"), soci::use(owner, "o"),
             soci::use(amount, "a"), soci::use(status, "status"), soci::use(cat, "cat"), soci::use(rs, reason_ind, "r"),
             soci::use(created, "c"), soci::use(created, "c2"), soci::use(closed, closed_ind, "cl"),
             soci::use(created, "c3"), soci::use(created, "c4"));
        long long hdeal = 0;
        soci::statement hist =
            (sql.prepare << "INSERT INTO deal_stage_history (workspace_id, id, deal_id, to_stage_id, at) VALUES (:ws, "
                            ":id, :d, :s, :at)",
             soci::use(w, "ws"), soci::use(hid, "id"), soci::use(hdeal, "d"), soci::use(hstage, "s"),
             soci::use(hat, "at"));
        for (long long i = 0; i < n_deals; ++i) {
            ++id;
            owner = s.sellers[rng() % s.sellers.size()];
            created = kStart + static_cast<long long>(rng() % (354ULL * kDay));
            amount = 10'000'00 + static_cast<long long>(rng() % 990'000'00ULL);
            const int path = static_cast<int>(rng() % 10);  // 0-2 new, 3-4 meeting, 5 proposal, 6-7 won, 8-9 lost
            std::vector<int> steps = {0};
            if (path >= 3) steps.push_back(1);
            if (path == 5 || path == 6 || path == 7) steps.push_back(2);
            if (path == 6 || path == 7) steps.push_back(3);
            if (path >= 8) steps.push_back(4);
            const long long step = (1 + static_cast<long long>(rng() % 10)) * kDay;
            const int last = steps.back();
            st = stage[last];
            status = last == 3 ? "won" : last == 4 ? "lost" : "open";
            cat = rng() % 3 == 0 ? "commit" : rng() % 2 ? "best_case" : "pipeline";
            closed = created + static_cast<long long>(steps.size() - 1) * step;
            closed_ind = status == "open" ? soci::i_null : soci::i_ok;
            reason_ind = status == "lost" ? soci::i_ok : soci::i_null;
            rs = reason;
            ins.execute(true);
            hdeal = id;
            for (std::size_t k = 0; k < steps.size(); ++k) {
                ++hid;
                hstage = stage[steps[k]];
                hat = created + static_cast<long long>(k) * step;
                hist.execute(true);
            }
        }
        long long aid = One(sql, "SELECT COALESCE(MAX(id), 0) FROM activities"), at = 0, done = 0, deal = 1;
        std::string kind;
        soci::statement act =
            (sql.prepare << "INSERT INTO activities (workspace_id, id, kind, owner_user_id, deal_id, at, done, "
                            "created_at, updated_at) VALUES (:ws, :id, :k, :o, :d, :at, :done, :at2, :at3)",
             soci::use(w, "ws"), soci::use(aid, "id"), soci::use(kind, "k"), soci::use(owner, "o"),
             soci::use(deal, "d"), soci::use(at, "at"), soci::use(done, "done"), soci::use(at, "at2"),
             soci::use(at, "at3"));
        const char* akinds[] = {"call", "call", "call", "meeting", "task", "email", "note"};
        for (long long i = 0; i < n_acts; ++i) {
            ++aid;
            owner = s.sellers[rng() % s.sellers.size()];
            at = kStart + static_cast<long long>(rng() % (354ULL * kDay));
            kind = akinds[rng() % 7];
            done = rng() % 2;
            deal = 1 + static_cast<long long>(rng() % static_cast<unsigned long long>(std::max(1LL, n_deals)));
            act.execute(true);
        }
        return core::Ok();
    });
    std::printf("data inserted in %.1f s\n", Ms(std::chrono::steady_clock::now() - t0) / 1000);
    db.InTx([&](soci::session& sql) -> core::Result<void> {
        if (db.engine() == db::Engine::kSqlite)
            sql << "ANALYZE";
        else
            sql << "ANALYZE";
        return core::Ok();
    });
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string target =
        argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "otdel-reports-bench.db").string();
    const long long n_deals = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
    const long long n_acts = argc > 3 ? std::atoll(argv[3]) : 5'000'000;
    db::DbConfig cfg;
    cfg.url = target.rfind("postgres", 0) == 0 ? target : "sqlite:" + target;
    cfg.pool_size = 2;
    auto db = db::Database::Open(cfg);
    db::Migrate(*db);
    core::ManualClock clock(kNow);
    Setup s = Build(*db, clock, n_deals, n_acts);
    reports::ReportsService service(*db, clock, nullptr);
    const core::Actor head =
        core::Actor::SignedIn(core::ActorKind::kUser, s.ws, s.head, false, core::Lang::kRu, "bench", "", "");
    const core::Actor seller =
        core::Actor::SignedIn(core::ActorKind::kUser, s.ws, s.sellers.front(), false, core::Lang::kRu, "bench", "", "");
    reports::ReportQuery month;
    month.from = "2026-11-01";
    month.to = "2026-11-30";
    month.pipeline_id = s.pipeline;
    reports::ReportQuery year = month;
    year.from = "2025-12-01";

    struct Case {
        std::string name;
        std::function<bool()> run;
        double budget;
    };
    std::vector<Case> cases = {
        {"funnel, month, head", [&] { return service.FunnelOf(head, month).ok(); }, 300},
        {"funnel, 12 months, head", [&] { return service.FunnelOf(head, year).ok(); }, 300},
        {"funnel, month, by person",
         [&] {
             auto q = month;
             q.by = "person";
             return service.FunnelOf(head, q).ok();
         },
         300},
        {"funnel, month, seller", [&] { return service.FunnelOf(seller, month).ok(); }, 300},
        {"win/loss, month, head", [&] { return service.WinLossOf(head, month).ok(); }, 300},
        {"win/loss, 12 months, head", [&] { return service.WinLossOf(head, year).ok(); }, 300},
        {"activity, month, head", [&] { return service.ActivityOf(head, month).ok(); }, 300},
        {"activity, 12 months, head", [&] { return service.ActivityOf(head, year).ok(); }, 300},
        {"plan vs fact, month, head", [&] { return service.PlanFactOf(head, month).ok(); }, 300},
        {"forecast (all 1M deals), head", [&] { return service.ForecastOf(head, month).ok(); }, 300},
        {"head's dashboard", [&] { return service.DashboardOf(head, std::string("head")).ok(); }, 500},
    };
    std::printf("\n| case | median ms | min ms | runs | budget ms | verdict |\n|---|---:|---:|---:|---:|---|\n");
    for (const auto& c : cases) {
        std::vector<double> t;
        bool ok = true;
        for (int i = 0; i < 3; ++i) {
            const auto a = std::chrono::steady_clock::now();
            ok = c.run() && ok;
            t.push_back(Ms(std::chrono::steady_clock::now() - a));
        }
        std::sort(t.begin(), t.end());
        std::printf("| %s | %.0f | %.0f | %zu | %.0f | %s |\n", c.name.c_str(), t[t.size() / 2], t.front(), t.size(),
                    c.budget,
                    !ok                           ? "**error**"
                    : t[t.size() / 2] <= c.budget ? "within"
                                                  : "**over budget**");
        std::fflush(stdout);
    }
    return 0;
}
