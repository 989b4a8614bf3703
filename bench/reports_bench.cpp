// Reports at scale (REP-1 … REP-3): 1,000,000 deals (with their stage history and product lines) and 5,000,000
// activities of 200 sellers in 10 teams over twelve months, then the funnel, plan vs fact, win/loss, activity and
// forecast reports and the head's dashboard through ReportsService, as the head (everything visible) and as one
// seller, medians of several runs. Budgets: each report ≤ 300 ms, the dashboard ≤ 500 ms.
//
// Run: build/release/bench/otdel_reports_bench [sqlite file or postgresql:// URL] [deals] [activities]
// The data set is built once per file (reused when it is already there).
#include <sys/resource.h>
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
        if (built && One(sql,
                         "SELECT COUNT(*) FROM pipelines p JOIN workspaces w ON w.id = p.workspace_id WHERE "
                         "w.slug = 'rbench' AND p.name = 'Bench'") == 0) {
            std::fprintf(stderr, "a half-built data set (an earlier run stopped): use a fresh BENCH_DB\n");
            std::exit(2);
        }
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
        const bool pg = db.engine() == db::Engine::kPostgres;
        // SQLite: a page cache that holds the indexes being filled (5M activities land in random index positions;
        // with the default cache every insert re-reads and re-writes index pages through the WAL).
        if (!pg) sql << "PRAGMA cache_size = -2000000";
        // PostgreSQL: the rollup triggers have nothing to do before the first report (no state row) but still run a
        // PL/pgSQL call per row; the tables' owner switches them off for the load and back on after it.
        const char* rollup_triggers[][2] = {{"deals", "report_deals_rt"},
                                            {"deal_stage_history", "report_history_rt"},
                                            {"activities", "report_activities_rt"}};
        if (pg)
            for (auto& t : rollup_triggers) sql << std::string("ALTER TABLE ") + t[0] + " DISABLE TRIGGER " + t[1];
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
        const long long reason = One(sql, "SELECT MAX(id) FROM loss_reasons");
        // Set-based generation: one INSERT … SELECT per table over a numbers source (recursive CTE on SQLite,
        // generate_series on PostgreSQL), with per-row pseudo-random fields from a multiplicative hash of the row
        // number, so 1M deals and 5M activities take minutes, not hours. The helper tables live in the bench file.
        sql << "CREATE TABLE IF NOT EXISTS bench_sellers (idx INTEGER PRIMARY KEY, user_id BIGINT NOT NULL)";
        sql << "CREATE TABLE IF NOT EXISTS bench_paths (path INTEGER NOT NULL, k INTEGER NOT NULL, "
               "stage_id BIGINT NOT NULL)";
        for (std::size_t i = 0; i < s.sellers.size(); ++i) {
            long long idx = static_cast<long long>(i), uid = s.sellers[i];
            sql << "INSERT INTO bench_sellers (idx, user_id) VALUES (:i, :u)", soci::use(idx, "i"), soci::use(uid, "u");
        }
        // Paths by path = h % 10: 0-2 New; 3-4 New → Meeting; 5 … → Proposal; 6-7 … → Won; 8-9 New → Meeting → Lost.
        for (int path = 0; path < 10; ++path) {
            std::vector<int> steps = {0};
            if (path >= 3) steps.push_back(1);
            if (path == 5 || path == 6 || path == 7) steps.push_back(2);
            if (path == 6 || path == 7) steps.push_back(3);
            if (path >= 8) steps.push_back(4);
            for (std::size_t k = 0; k < steps.size(); ++k) {
                int pp = path, kk = static_cast<int>(k);
                long long sid = stage[steps[k]];
                sql << "INSERT INTO bench_paths (path, k, stage_id) VALUES (:p, :k, :s)", soci::use(pp, "p"),
                    soci::use(kk, "k"), soci::use(sid, "s");
            }
        }
        const long long base = One(sql, "SELECT COALESCE(MAX(id), 0) FROM deals");
        auto numbers = [&](long long n) {
            return pg ? "SELECT g AS i FROM generate_series(1, " + std::to_string(n) + ") g"
                      : "WITH RECURSIVE nums(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM nums WHERE i < " +
                            std::to_string(n) + ") SELECT i FROM nums";
        };
        // h(i, salt): a well-mixed non-negative integer per row and field.
        auto h = [](const std::string& i, int salt) {
            return "(((" + i + " + " + std::to_string(salt * 1000003) + ") * 2654435761) % 4294967291)";
        };
        const std::string day = std::to_string(kDay), start = std::to_string(kStart), ws = std::to_string(w),
                          pl = std::to_string(p);
        const std::string path = "(" + h("x.i", 3) + " % 10)";
        const std::string steps = "(CASE WHEN " + path + " <= 2 THEN 1 WHEN " + path + " <= 4 THEN 2 WHEN " + path +
                                  " = 5 THEN 3 WHEN " + path + " <= 7 THEN 4 ELSE 3 END)";
        const std::string step = "((1 + " + h("x.i", 4) + " % 10) * " + day + ")";
        // h stays below 2^32 (~50 days in ms): the day and the time of day are drawn apart.
        const std::string created =
            "(" + start + " + (" + h("x.i", 2) + " % 354) * " + day + " + " + h("x.i", 7) + " % " + day + ")";
        const std::string last_stage =
            "(SELECT bp.stage_id FROM bench_paths bp WHERE bp.path = " + path + " ORDER BY bp.k DESC LIMIT 1)";
        const std::string status =
            "(CASE WHEN " + path + " IN (6, 7) THEN 'won' WHEN " + path + " >= 8 THEN 'lost' ELSE 'open' END)";
        const std::string closed =
            "(CASE WHEN " + path + " >= 6 THEN " + created + " + (" + steps + " - 1) * " + step + " END)";
        sql << "INSERT INTO deals (workspace_id, id, pipeline_id, stage_id, title, owner_user_id, amount_minor, "
               "currency, status, forecast_category, loss_reason_id, stage_entered_at, last_activity_at, closed_at, "
               "created_at, updated_at) SELECT " +
                   ws + ", " + std::to_string(base) + " + x.i, " + pl + ", " + last_stage +
                   ", 'Сделка', (SELECT bs.user_id FROM bench_sellers bs WHERE bs.idx = " + h("x.i", 1) + " % " +
                   std::to_string(s.sellers.size()) + "), 1000000 + " + h("x.i", 5) + " % 99000000, 'RUB', " + status +
                   ", CASE " + h("x.i", 6) +
                   " % 3 WHEN 0 THEN 'commit' WHEN 1 THEN 'best_case' ELSE 'pipeline' END, CASE WHEN " + path +
                   " >= 8 THEN " + std::to_string(reason) + " END, " + created + ", " + created + ", " + closed + ", " +
                   created + ", " + created + " FROM (" + numbers(n_deals) + ") x WHERE 1 = 1";
        std::printf("deals inserted (%.1f s)\n", Ms(std::chrono::steady_clock::now() - t0) / 1000);
        std::fflush(stdout);
        sql << "INSERT INTO deal_stage_history (workspace_id, deal_id, to_stage_id, at) SELECT " + ws + ", " +
                   std::to_string(base) + " + x.i, bp.stage_id, " + created + " + bp.k * " + step + " FROM (" +
                   numbers(n_deals) + ") x JOIN bench_paths bp ON bp.path = " + path;
        std::printf("stage history inserted (%.1f s)\n", Ms(std::chrono::steady_clock::now() - t0) / 1000);
        std::fflush(stdout);
        const std::string akind = "(CASE " + h("x.i", 13) +
                                  " % 7 WHEN 0 THEN 'call' WHEN 1 THEN 'call' WHEN 2 THEN 'call' WHEN 3 THEN "
                                  "'meeting' WHEN 4 THEN 'task' WHEN 5 THEN 'email' ELSE 'note' END)";
        const std::string at =
            "(" + start + " + (" + h("x.i", 12) + " % 354) * " + day + " + " + h("x.i", 16) + " % " + day + ")";
        sql << "INSERT INTO activities (workspace_id, kind, owner_user_id, deal_id, at, done, created_at, updated_at) "
               "SELECT " +
                   ws + ", " + akind + ", (SELECT bs.user_id FROM bench_sellers bs WHERE bs.idx = " + h("x.i", 11) +
                   " % " + std::to_string(s.sellers.size()) + "), " + std::to_string(base) + " + 1 + " + h("x.i", 14) +
                   " % " + std::to_string(std::max(1LL, n_deals)) + ", " + at + ", " + h("x.i", 15) + " % 2, " + at +
                   ", " + at + " FROM (" + numbers(n_acts) + ") x WHERE 1 = 1";
        if (pg) {
            for (auto& t : rollup_triggers) sql << std::string("ALTER TABLE ") + t[0] + " ENABLE TRIGGER " + t[1];
            sql << "SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT MAX(id) FROM deals))";
            sql << "SELECT setval(pg_get_serial_sequence('deal_stage_history', 'id'), (SELECT MAX(id) FROM "
                   "deal_stage_history))";
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

// Environment first, then the old positional arguments: BENCH_DB (a SQLite file or a postgresql:// URL),
// BENCH_DEALS, BENCH_ACTIVITIES, BENCH_RUNS.
std::string Setting(const char* env, int argc, char** argv, int pos, const std::string& fallback) {
    if (const char* v = std::getenv(env); v && *v) return v;
    return argc > pos ? argv[pos] : fallback;
}

double CpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string target = Setting("BENCH_DB", argc, argv, 1,
                                       (std::filesystem::temp_directory_path() / "otdel-reports-bench.db").string());
    const long long n_deals = std::atoll(Setting("BENCH_DEALS", argc, argv, 2, "1000000").c_str());
    const long long n_acts = std::atoll(Setting("BENCH_ACTIVITIES", argc, argv, 3, "5000000").c_str());
    const int runs = std::max(1, std::atoi(Setting("BENCH_RUNS", 0, argv, 9, "5").c_str()));
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
    {
        // The first report after loading builds the rollups (the backfill): timed on its own.
        long long built = 0;
        db->Read([&](soci::session& sql) {
            built = One(sql, "SELECT COUNT(*) FROM report_rollup_state WHERE workspace_id = " + std::to_string(s.ws));
            return 0;
        });
        const auto a = std::chrono::steady_clock::now();
        const double c = CpuMs();
        const bool ok = service.WinLossOf(head, month).ok();
        std::printf("%s: %.1f s wall, %.1f s CPU in this process%s\n",
                    built ? "rollups already built; first report" : "rollup build (backfill) + first report",
                    Ms(std::chrono::steady_clock::now() - a) / 1000, (CpuMs() - c) / 1000, ok ? "" : " (error)");
    }

    {
        // What the triggers add to hot writes: stage moves (the deal's row and a history row, as the deals room
        // writes them) and activities created and ticked done, each in its own statement group, with the rollups
        // live and with them switched off (no state row: the triggers stop at their first check, which is what the
        // writes cost before migration 0021). Both runs are rolled back, so the data set stays as it was.
        const int n = std::max(1, std::atoi(Setting("BENCH_WRITES", 0, argv, 9, "2000").c_str()));
        long long ws = s.ws;
        std::vector<long long> ids, open_stages;
        db->Read([&](soci::session& sql) {
            soci::rowset<long long> rs = (sql.prepare << "SELECT id FROM deals WHERE workspace_id = :ws AND status = "
                                                         "'open' ORDER BY id LIMIT " +
                                                             std::to_string(n),
                                          soci::use(ws, "ws"));
            for (auto id : rs) ids.push_back(id);
            soci::rowset<long long> st = (sql.prepare << "SELECT id FROM pipeline_stages WHERE workspace_id = :ws AND "
                                                         "kind = 'open' ORDER BY position",
                                          soci::use(ws, "ws"));
            for (auto id : st) open_stages.push_back(id);
            return 0;
        });
        struct Cost {
            double move_cpu = 0, move_wall = 0, act_cpu = 0, act_wall = 0, done_cpu = 0, done_wall = 0;
        };
        auto measure = [&](bool live) {
            Cost c;
            db->InTx([&](soci::session& sql) -> core::Result<void> {
                if (!live) sql << "DELETE FROM report_rollup_state WHERE workspace_id = :ws", soci::use(ws, "ws");
                long long id = 0, stage = 0, at = kNow, act = 0, owner = s.sellers.front();
                soci::statement move =
                    (sql.prepare << "UPDATE deals SET stage_id = :s, stage_entered_at = :t, "
                                    "updated_at = :t2 WHERE id = :id",
                     soci::use(stage, "s"), soci::use(at, "t"), soci::use(at, "t2"), soci::use(id, "id"));
                soci::statement hist =
                    (sql.prepare << "INSERT INTO deal_stage_history (workspace_id, deal_id, "
                                    "to_stage_id, at) VALUES (:ws, :id, :s, :t)",
                     soci::use(ws, "ws"), soci::use(id, "id"), soci::use(stage, "s"), soci::use(at, "t"));
                auto t0 = std::chrono::steady_clock::now();
                double c0 = CpuMs();
                for (std::size_t i = 0; i < ids.size(); ++i) {
                    id = ids[i];
                    stage = open_stages[1 + i % (open_stages.size() - 1)];
                    move.execute(true);
                    hist.execute(true);
                }
                c.move_cpu = (CpuMs() - c0) * 1000 / ids.size();
                c.move_wall = Ms(std::chrono::steady_clock::now() - t0) * 1000 / ids.size();
                soci::statement ins =
                    (sql.prepare << "INSERT INTO activities (workspace_id, kind, owner_user_id, deal_id, at, done, "
                                    "created_at, updated_at) VALUES (:ws, 'call', :o, :d, :at, 0, :at2, :at3)",
                     soci::use(ws, "ws"), soci::use(owner, "o"), soci::use(id, "d"), soci::use(at, "at"),
                     soci::use(at, "at2"), soci::use(at, "at3"));
                t0 = std::chrono::steady_clock::now();
                c0 = CpuMs();
                for (int i = 0; i < n; ++i) ins.execute(true);
                c.act_cpu = (CpuMs() - c0) * 1000 / n;
                c.act_wall = Ms(std::chrono::steady_clock::now() - t0) * 1000 / n;
                soci::statement done = (sql.prepare << "UPDATE activities SET done = 1, done_at = :t WHERE id = :id",
                                        soci::use(at, "t"), soci::use(act, "id"));
                sql << "SELECT MAX(id) FROM activities", soci::into(act);
                t0 = std::chrono::steady_clock::now();
                c0 = CpuMs();
                for (int i = 0; i < n; ++i, --act) done.execute(true);
                c.done_cpu = (CpuMs() - c0) * 1000 / n;
                c.done_wall = Ms(std::chrono::steady_clock::now() - t0) * 1000 / n;
                return core::Error::Of(core::ErrorCode::kConflict);  // roll back
            });
            return c;
        };
        const Cost off = measure(false), on = measure(true);
        std::printf(
            "\nwrite cost (%zu stage moves, %d activities created and ticked done; rolled back):\n\n"
            "| write | CPU µs/op, rollups off | CPU µs/op, rollups on | wall µs/op off | wall µs/op on |\n"
            "|---|---:|---:|---:|---:|\n"
            "| stage move (deal row + history row) | %.0f | %.0f | %.0f | %.0f |\n"
            "| activity created | %.0f | %.0f | %.0f | %.0f |\n"
            "| activity ticked done | %.0f | %.0f | %.0f | %.0f |\n",
            ids.size(), n, off.move_cpu, on.move_cpu, off.move_wall, on.move_wall, off.act_cpu, on.act_cpu,
            off.act_wall, on.act_wall, off.done_cpu, on.done_cpu, off.done_wall, on.done_wall);
        std::fflush(stdout);
    }

    struct Case {
        std::string name;
        std::function<bool()> run;
        double budget;
    };
    auto by = [](reports::ReportQuery q, const char* b) {
        q.by = b;
        return q;
    };
    std::vector<Case> cases = {
        {"funnel, month, head", [&] { return service.FunnelOf(head, month).ok(); }, 300},
        {"funnel, 12 months, head", [&] { return service.FunnelOf(head, year).ok(); }, 300},
        {"funnel, month, by person", [&] { return service.FunnelOf(head, by(month, "person")).ok(); }, 300},
        {"funnel, 12 months, by team", [&] { return service.FunnelOf(head, by(year, "team")).ok(); }, 300},
        {"funnel, month, seller", [&] { return service.FunnelOf(seller, month).ok(); }, 300},
        {"win/loss, month, head", [&] { return service.WinLossOf(head, month).ok(); }, 300},
        {"win/loss, 12 months, head", [&] { return service.WinLossOf(head, year).ok(); }, 300},
        {"win/loss, 12 months, by team", [&] { return service.WinLossOf(head, by(year, "team")).ok(); }, 300},
        {"activity, month, head", [&] { return service.ActivityOf(head, month).ok(); }, 300},
        {"activity, 12 months, head", [&] { return service.ActivityOf(head, year).ok(); }, 300},
        {"activity, 12 months, seller", [&] { return service.ActivityOf(seller, year).ok(); }, 300},
        {"plan vs fact, month, head", [&] { return service.PlanFactOf(head, month).ok(); }, 300},
        {"forecast, month, head", [&] { return service.ForecastOf(head, month).ok(); }, 0},
        {"forecast, 12 months, head", [&] { return service.ForecastOf(head, year).ok(); }, 0},
        {"head's dashboard (in process)", [&] { return service.DashboardOf(head, std::string("head")).ok(); }, 500},
    };
    std::printf("\n%lld deals, %lld activities, %s, %d runs per case\n", n_deals, n_acts,
                db->engine() == db::Engine::kPostgres ? "PostgreSQL" : "SQLite", runs);
    std::printf(
        "\n| case | median ms | min ms | CPU ms/op (this process) | ops/s | budget ms | verdict |\n"
        "|---|---:|---:|---:|---:|---:|---|\n");
    for (const auto& c : cases) {
        std::vector<double> t, cpu;
        bool ok = true;
        for (int i = 0; i < runs; ++i) {
            const auto a = std::chrono::steady_clock::now();
            const double c0 = CpuMs();
            ok = c.run() && ok;
            cpu.push_back(CpuMs() - c0);
            t.push_back(Ms(std::chrono::steady_clock::now() - a));
        }
        std::sort(t.begin(), t.end());
        std::sort(cpu.begin(), cpu.end());
        const double med = t[t.size() / 2];
        std::printf("| %s | %.0f | %.0f | %.0f | %.1f | %s | %s |\n", c.name.c_str(), med, t.front(),
                    cpu[cpu.size() / 2], med > 0 ? 1000.0 / med : 0.0,
                    c.budget > 0 ? std::to_string(static_cast<int>(c.budget)).c_str() : "—",
                    !ok               ? "**error**"
                    : c.budget <= 0   ? "no budget"
                    : med <= c.budget ? "within"
                                      : "**over budget**");
        std::fflush(stdout);
    }
    return 0;
}
