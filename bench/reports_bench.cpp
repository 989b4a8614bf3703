// Reports at scale (REP-1 … REP-3): 1,000,000 deals (with their stage history and product lines, the won ones with
// invoices and payments) and 5,000,000 activities of 200 sellers in 10 teams over twelve months, then the funnel, plan
// vs fact, win/loss, activity and forecast reports and the head's dashboard through ReportsService, as the head
// (everything visible) and as one seller, medians of several runs. Budgets: each report ≤ 300 ms, the dashboard
// ≤ 500 ms.
//
// Run: build/release/bench/otdel_reports_bench [sqlite file or postgresql:// URL] [deals] [activities]
// The data set is built once per file (reused when it is already there).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "auth/visibility.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "org/org_service.hpp"
#include "plans/plans_service.hpp"
#include "reports/plan_fact_source.hpp"
#include "reports/reports_rollup.hpp"
#include "reports/reports_service.hpp"

using namespace otdel;

namespace {

constexpr core::Millis kDay = 24LL * 60 * 60 * 1000;
// 2025-12-01 00:00 Moscow; the data covers twelve months to 2026-11-30; "now" is 2026-11-20 12:00.
constexpr core::Millis kStart = 1'764'536'400'000;
constexpr core::Millis kNow = kStart + 354 * kDay + 12 * 60 * 60 * 1000;
constexpr int kTeams = 10, kPerTeam = 20;
constexpr long long kCompanies = 40000;

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
        // Clients: 40,000 companies; nine deals in ten belong to one of them (plan vs fact's "new clients" are the
        // companies whose first won deal closed in the period), the tenth to nobody.
        const long long company_base = One(sql, "SELECT COALESCE(MAX(id), 0) FROM companies");
        sql << "INSERT INTO companies (workspace_id, name, created_at, updated_at) SELECT " + ws + ", 'Клиент', " +
                   start + ", " + start + " FROM (" + numbers(kCompanies) + ") x WHERE 1 = 1";
        const std::string company = "(CASE WHEN " + h("x.i", 17) + " % 10 = 0 THEN NULL ELSE " +
                                    std::to_string(company_base) + " + 1 + " + h("x.i", 18) + " % " +
                                    std::to_string(kCompanies) + " END)";
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
        sql << "INSERT INTO deals (workspace_id, id, pipeline_id, stage_id, title, company_id, owner_user_id, "
               "amount_minor, currency, status, forecast_category, loss_reason_id, stage_entered_at, last_activity_at, "
               "closed_at, created_at, updated_at) SELECT " +
                   ws + ", " + std::to_string(base) + " + x.i, " + pl + ", " + last_stage + ", 'Сделка', " + company +
                   ", (SELECT bs.user_id FROM bench_sellers bs WHERE bs.idx = " + h("x.i", 1) + " % " +
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

// Sales plans for the data set (once per workspace, also on a data set built before plans were generated): every
// seller, every team and the whole department get a target for each plan metric for every month, quarter and year the
// data touches (2025-12 … 2026-12; see the note on first days below), with set-based SQL. A person's monthly targets
// are near what the generator gives a seller (~85 wins of ~505k ₽, ~890 calls, ~300 meetings a month), ±20 % by
// seller; a team's and the department's are 20 and 200 people's worth; quarters and years 3 and 12 months'.
void EnsurePlans(db::Database& db, const Setup& s) {
    auto done = db.InTx([&](soci::session& sql) -> core::Result<void> {
        long long w = s.ws;
        if (One(sql, "SELECT COUNT(*) FROM sales_plans WHERE workspace_id = " + std::to_string(w)) > 0)
            return core::Ok();
        const auto t0 = std::chrono::steady_clock::now();
        sql << "CREATE TABLE IF NOT EXISTS bench_plan_periods (kind TEXT NOT NULL, first_day TEXT NOT NULL, last_day "
               "TEXT NOT NULL, months INTEGER NOT NULL)";
        sql << "CREATE TABLE IF NOT EXISTS bench_plan_metrics (metric TEXT NOT NULL, per_month BIGINT NOT NULL)";
        sql << "DELETE FROM bench_plan_periods";
        sql << "DELETE FROM bench_plan_metrics";
        // One plan per subject, metric and first day (sales_plans_subject_uq): the months a quarter or the year
        // begins with (January, April, July, October 2026) have none.
        const char* months[][2] = {
            {"2025-12-01", "2025-12-31"}, {"2026-02-01", "2026-02-28"}, {"2026-03-01", "2026-03-31"},
            {"2026-05-01", "2026-05-31"}, {"2026-06-01", "2026-06-30"}, {"2026-08-01", "2026-08-31"},
            {"2026-09-01", "2026-09-30"}, {"2026-11-01", "2026-11-30"}, {"2026-12-01", "2026-12-31"}};
        auto period = [&](std::string kind, std::string first, std::string last, int n) {
            sql << "INSERT INTO bench_plan_periods (kind, first_day, last_day, months) VALUES (:k, :f, :l, :n)",
                soci::use(kind, "k"), soci::use(first, "f"), soci::use(last, "l"), soci::use(n, "n");
        };
        for (auto& m : months) period("month", m[0], m[1], 1);
        period("quarter", "2025-10-01", "2025-12-31", 3);
        for (auto& q : {std::pair{"2026-04-01", "2026-06-30"}, std::pair{"2026-07-01", "2026-09-30"},
                        std::pair{"2026-10-01", "2026-12-31"}})
            period("quarter", q.first, q.second, 3);
        period("year", "2025-01-01", "2025-12-31", 12);
        period("year", "2026-01-01", "2026-12-31", 12);
        const std::pair<const char*, long long> metrics[] = {{"revenue", 4'300'000'000LL},
                                                             {"deals_won", 85},
                                                             {"new_clients", 10},
                                                             {"calls", 890},
                                                             {"meetings", 300},
                                                             {"payments_received", 3'000'000'000LL}};
        for (const auto& [m, v] : metrics) {
            std::string metric = m;
            long long per = v;
            sql << "INSERT INTO bench_plan_metrics (metric, per_month) VALUES (:m, :v)", soci::use(metric, "m"),
                soci::use(per, "v");
        }
        const std::string ws = std::to_string(w);
        // People: ±20 % by seller index; departments: 20 people per team, 200 for the top department.
        sql << "INSERT INTO sales_plans (workspace_id, period_kind, first_day, last_day, owner_user_id, metric, "
               "target, "
               "currency, created_at, updated_at) SELECT " +
                   ws +
                   ", p.kind, p.first_day, p.last_day, bs.user_id, m.metric, m.per_month * p.months * (80 + "
                   "(bs.idx * 7) % 41) / 100, 'RUB', 0, 0 FROM bench_sellers bs CROSS JOIN bench_plan_periods p "
                   "CROSS JOIN bench_plan_metrics m";
        sql << "INSERT INTO sales_plans (workspace_id, period_kind, first_day, last_day, department_id, metric, "
               "target, currency, created_at, updated_at) SELECT " +
                   ws +
                   ", p.kind, p.first_day, p.last_day, d.id, m.metric, m.per_month * p.months * CASE WHEN "
                   "d.parent_id IS NULL THEN 200 ELSE 20 END, 'RUB', 0, 0 FROM departments d CROSS JOIN "
                   "bench_plan_periods p CROSS JOIN bench_plan_metrics m WHERE d.workspace_id = " +
                   ws + " AND d.archived_at IS NULL";
        std::printf("plans generated: %lld in %.1f s\n",
                    One(sql, "SELECT COUNT(*) FROM sales_plans WHERE workspace_id = " + ws),
                    Ms(std::chrono::steady_clock::now() - t0) / 1000);
        return core::Ok();
    });
    if (!done) {
        std::fprintf(stderr, "plans not generated: %s\n", done.error().message_key.c_str());
        std::exit(2);
    }
}

// Invoices and payments for the won deals (once per workspace, also on a data set built before they were generated:
// adding them takes seconds, rebuilding 1M deals ~10 minutes), as the billing room writes them (invoices issued and
// numbered, payments typed in, invoices' paid_minor / paid_at kept), so the payment triggers run as in production.
// Nine won deals in ten get an invoice issued on the close day or up to two days later, due ten days after issue, for
// the deal's amount (VAT 20 % included), one line; it is paid in one to three parts two weeks apart (the first 3–12
// days after issue), except one in twenty paid half and one in twenty not paid at all; one in forty has its first
// payment reversed; nothing is paid after "now" (2026-11-20), so recent invoices are open or overdue.
void EnsurePayments(db::Database& db, const Setup& s) {
    bool generated = false;
    auto done = db.InTx([&](soci::session& sql) -> core::Result<void> {
        const std::string ws = std::to_string(s.ws);
        if (One(sql, "SELECT COUNT(*) FROM payments WHERE workspace_id = " + ws) > 0) return core::Ok();
        const auto t0 = std::chrono::steady_clock::now();
        const bool pg = db.engine() == db::Engine::kPostgres;
        // The deals' hash of the id is linear in the id: a second round over its value mod 1000003 keeps these
        // draws independent of the deal's path (won deals are those of two residues).
        auto h = [](const std::string& i, int salt) {
            auto round = [](const std::string& x, int sa) {
                return "(((" + x + " + " + std::to_string(sa * 1000003) + ") * 2654435761) % 4294967291)";
            };
            return round("(" + round(i, salt) + " % 1000003)", salt + 50);
        };
        // Local days (Europe/Moscow, UTC+3 all year) as day numbers, and a day number as YYYY-MM-DD.
        const std::string offset = "10800000", day = std::to_string(kDay);
        const std::string today = std::to_string((kNow + 10800000) / kDay);
        auto date = [&](const std::string& n) {
            return pg ? "to_char(DATE '1970-01-01' + CAST(" + n + " AS INTEGER), 'YYYY-MM-DD')"
                      : "date((" + n + ") * 86400, 'unixepoch')";
        };
        const std::string closed_day = "((d.closed_at + " + offset + ") / " + day + ")";
        const std::string issue_day = "(CASE WHEN " + closed_day + " + " + h("d.id", 21) + " % 3 > " + today +
                                      " THEN " + today + " ELSE " + closed_day + " + " + h("d.id", 21) + " % 3 END)";
        const std::string issued_at = "(" + issue_day + " * " + day + " - " + offset + " + 36000000)";
        const std::string vat = "(d.amount_minor / 6)";
        sql << "INSERT INTO invoices (workspace_id, deal_id, number, series, seq, state, issue_date, due_date, "
               "next_due_date, currency, payment_form, vat_included, net_minor, vat_minor, total_minor, paid_minor, "
               "company_id, payer_name, search_text, issued_at, created_at, updated_at) SELECT d.workspace_id, d.id, "
               "'Б-' || d.id, 'Б-', d.id, 'issued', " +
                   date(issue_day) + ", " + date(issue_day + " + 10") + ", " + date(issue_day + " + 10") +
                   ", d.currency, 'bank_transfer', 1, d.amount_minor - " + vat + ", " + vat +
                   ", d.amount_minor, 0, d.company_id, 'Клиент', 'б-' || d.id || ' сделка клиент', " + issued_at +
                   ", " + issued_at + ", " + issued_at + " FROM deals d WHERE d.workspace_id = " + ws +
                   " AND d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND " + h("d.id", 20) +
                   " % 10 <> 0";
        sql << "INSERT INTO invoice_lines (workspace_id, invoice_id, position, name, unit, quantity_milli, "
               "unit_price_minor, discount_bp, vat_rate_bp, vat_minor, amount_minor) SELECT i.workspace_id, i.id, 0, "
               "'Услуги по договору', 'шт', 1000, i.total_minor, 0, 2000, i.vat_minor, i.total_minor FROM invoices i "
               "WHERE i.workspace_id = " +
                   ws;
        sql << "INSERT INTO invoice_counters (workspace_id, series, last_number) SELECT " + ws +
                   ", 'Б-', COALESCE(MAX(seq), 0) FROM invoices WHERE workspace_id = " + ws +
                   " ON CONFLICT (workspace_id, series) DO NOTHING";
        sql << "CREATE TABLE IF NOT EXISTS bench_pay_parts (j INTEGER NOT NULL)";
        sql << "DELETE FROM bench_pay_parts";
        sql << "INSERT INTO bench_pay_parts (j) VALUES (1), (2), (3)";
        // Per invoice (by its deal): k parts, the j-th on issue day + 3 … 12 + 14 (j - 1); the last part takes the
        // rounding; a half-paid invoice pays half of each part.
        const std::string inv_day = "((i.issued_at + " + offset + ") / " + day + ")";
        const std::string k = "(1 + " + h("i.deal_id", 22) + " % 3)";
        const std::string pay_day = "(" + inv_day + " + 3 + " + h("i.deal_id", 23) + " % 10 + (pp.j - 1) * 14)";
        const std::string part = "(CASE WHEN pp.j < " + k + " THEN i.total_minor / " + k + " ELSE i.total_minor - (" +
                                 k + " - 1) * (i.total_minor / " + k + ") END)";
        const std::string kind = "(" + h("i.deal_id", 24) + " % 20)";  // 0: half paid, 1: unpaid
        const std::string paid_at = "(" + pay_day + " * " + day + " - " + offset + " + 43200000)";
        const std::string reversed = "(pp.j = 1 AND " + h("i.deal_id", 25) + " % 40 = 0)";
        sql << "INSERT INTO payments (workspace_id, invoice_id, paid_on, amount_minor, currency, method, reference, "
               "payer_inn, note, source, created_at, deleted_at) SELECT i.workspace_id, i.id, " +
                   date(pay_day) + ", CASE WHEN " + kind + " = 0 THEN " + part + " / 2 ELSE " + part +
                   " END, i.currency, 'bank_transfer', 'п/п ' || i.id || '-' || pp.j, '', '', 'manual', " + paid_at +
                   ", CASE WHEN " + reversed + " THEN " + paid_at + " + " + day +
                   " END FROM invoices i JOIN bench_pay_parts pp ON pp.j <= " + k + " WHERE i.workspace_id = " + ws +
                   " AND i.state = 'issued' AND " + kind + " <> 1 AND " + pay_day + " <= " + today;
        // What the billing service keeps on the invoice with each payment: the live sum, and when it was paid off.
        sql << "UPDATE invoices SET paid_minor = COALESCE((SELECT SUM(p.amount_minor) FROM payments p WHERE "
               "p.workspace_id = invoices.workspace_id AND p.invoice_id = invoices.id AND p.deleted_at IS NULL), 0) "
               "WHERE workspace_id = " +
                   ws;
        sql << "UPDATE invoices SET paid_at = (SELECT MAX(p.created_at) FROM payments p WHERE p.workspace_id = "
               "invoices.workspace_id AND p.invoice_id = invoices.id AND p.deleted_at IS NULL) WHERE workspace_id = " +
                   ws + " AND paid_minor >= total_minor";
        std::printf(
            "invoices and payments generated: %lld invoices (%lld overdue), %lld payments (%lld reversed) in "
            "%.1f s\n",
            One(sql, "SELECT COUNT(*) FROM invoices WHERE workspace_id = " + ws),
            One(sql, "SELECT COUNT(*) FROM invoices WHERE workspace_id = " + ws +
                         " AND paid_minor < total_minor AND next_due_date < " + date(today)),
            One(sql, "SELECT COUNT(*) FROM payments WHERE workspace_id = " + ws),
            One(sql, "SELECT COUNT(*) FROM payments WHERE workspace_id = " + ws + " AND deleted_at IS NOT NULL"),
            Ms(std::chrono::steady_clock::now() - t0) / 1000);
        std::fflush(stdout);
        generated = true;
        return core::Ok();
    });
    if (!done) {
        std::fprintf(stderr, "payments not generated: %s\n", done.error().message_key.c_str());
        std::exit(2);
    }
    if (generated)
        db.InTx([&](soci::session& sql) -> core::Result<void> {
            for (const char* t : {"invoices", "invoice_lines", "payments"}) sql << std::string("ANALYZE ") + t;
            return core::Ok();
        });
}

// Environment first, then the old positional arguments: BENCH_DB (a SQLite file or a postgresql:// URL),
// BENCH_DEALS, BENCH_ACTIVITIES, BENCH_RUNS.
std::string Setting(const char* env, int argc, char** argv, int pos, const std::string& fallback) {
    if (const char* v = std::getenv(env); v && *v) return v;
    return argc > pos ? argv[pos] : fallback;
}

// Reads every deal of the bench pipeline with its history as the head sees them: the forecast's read.
std::size_t ForecastRead(db::Database& db, const core::Actor& head, const Setup& s, bool lean) {
    return db.Read([&](soci::session& sql) {
        const auth::Visibility vis = auth::BuildVisibility(sql, head, "2026-11-20");
        const auth::Predicate visible = vis.Read("d");
        reports::store::Filter f;
        f.pipeline_id = s.pipeline;
        const auto deals = lean ? reports::store::SelectForecastDeals(sql, s.ws, f, visible)
                                : reports::store::SelectDeals(sql, s.ws, f, reports::store::PeriodOn::kNone, visible);
        return deals.size();
    });
}

// The activity report's year of person-day cells as the head sees them (rollup::ActivityDayCells), built into the
// report: the read alone, next to the whole report.
std::size_t ActivityCellsRead(db::Database& db, const core::Actor& head, const Setup& s) {
    return db.Read([&](soci::session& sql) {
        const auth::Visibility vis = auth::BuildVisibility(sql, head, "2026-11-20");
        const auth::Predicate acts = vis.Read("a"), deals = vis.Read("d");
        reports::store::Filter f;
        f.pipeline_id = s.pipeline;
        const reports::rollup::Days days{*reports::DayNumber("2025-12-01"), *reports::DayNumber("2026-11-30")};
        const auto cells = reports::rollup::ActivityDayCells(sql, f, days, acts, deals);
        return reports::BuildActivityFromCells(cells, {}).by_person_day.size();
    });
}

// The funnel's year of completed stays as the head sees them by team (rollup::FunnelStays) and their medians:
// `packed` whole 8-day blocks from report_stay_cells (0027), else every stay row from report_stays (before 0027).
std::size_t FunnelStaysRead(db::Database& db, const core::Actor& head, const Setup& s, bool packed) {
    return db.Read([&](soci::session& sql) {
        const auth::Visibility vis = auth::BuildVisibility(sql, head, "2026-11-20");
        reports::store::Filter f;
        f.pipeline_id = s.pipeline;
        const reports::rollup::Days days{*reports::DayNumber("2025-12-01"), *reports::DayNumber("2026-11-30")};
        auto stays = reports::rollup::FunnelStays(sql, s.ws, f, days, "team", vis.Read("d"), packed);
        std::size_t n = 0;
        for (auto& [stage, v] : stays.total) n += v.size() + (reports::Median(std::move(v)) ? 1 : 0);
        for (auto& [key, stages] : stays.groups)
            for (auto& [stage, v] : stages) n += reports::Median(std::move(v)) ? 1 : 0;
        return n;
    });
}

// A plan vs fact report that ran and had plans to show (an empty one would time nothing).
bool PlanFactRan(const core::Result<reports::PlanFactReport>& r) {
    return r.ok() && r->available && !r->lines.empty();
}

double CpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
}

// CPU of a database server running on this machine (PostgreSQL: the postmaster `pid` and its children, the backends
// that run the queries), from /proc; 0 when no pid is given. Clock ticks: ~10 ms resolution.
double ServerCpuMs(long pid) {
    if (pid <= 0) return 0;
    const double tick_ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    double total = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::FILE* f = std::fopen((entry.path() / "stat").c_str(), "r");
        if (!f) continue;
        char buf[1024];
        const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = 0;
        const char* close = std::strrchr(buf, ')');  // after "pid (comm)"
        if (!close) continue;
        char state = 0;
        long ppid = 0;
        unsigned long long skip = 0, utime = 0, stime = 0;
        // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        if (std::sscanf(close + 1, " %c %ld %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &state, &ppid,
                        &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &utime, &stime) != 13)
            continue;
        if (std::atol(name.c_str()) == pid || ppid == pid) total += static_cast<double>(utime + stime) * tick_ms;
    }
    return total;
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
    EnsurePlans(*db, s);
    EnsurePayments(*db, s);
    if (const char* only = std::getenv("BENCH_GENERATE_ONLY"); only && *only && std::string(only) != "0") {
        std::printf("data set ready (BENCH_GENERATE_ONLY): no measurement\n");
        return 0;
    }
    reports::ReportsService service(*db, clock, nullptr);
    plans::PlansService plans(*db, clock);
    service.SetPlanFactSource(reports::PlanFactFrom(plans));
    service.SetPlanFactDrillSource(reports::PlanFactDrillFrom(plans));
    // The same report with new clients read from the records (every won deal of the period against its client's
    // other deals) instead of the clients' first wins (migration 0026): the A/B in one run, on the same data.
    plans::PlansConfig records_config;
    records_config.use_first_wins = false;
    plans::PlansService plans_records(*db, clock, records_config);
    reports::ReportsService service_records(*db, clock, nullptr);
    service_records.SetPlanFactSource(reports::PlanFactFrom(plans_records));
    service_records.SetPlanFactDrillSource(reports::PlanFactDrillFrom(plans_records));
    // And with payments received read from the records (every payment of the period with its invoice and deal)
    // instead of the daily payment totals (migration 0029).
    plans::PlansConfig payments_records_config;
    payments_records_config.use_payment_days = false;
    plans::PlansService plans_payments_records(*db, clock, payments_records_config);
    reports::ReportsService service_payments_records(*db, clock, nullptr);
    service_payments_records.SetPlanFactSource(reports::PlanFactFrom(plans_payments_records));
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
    // The drill-down of the department's new clients (plan vs fact's figure; the top department).
    reports::Cell new_clients_cell;
    new_clients_cell.measure = "new_clients";
    db->Read([&](soci::session& sql) {
        new_clients_cell.department_id =
            One(sql, "SELECT MIN(id) FROM departments WHERE workspace_id = " + std::to_string(s.ws) +
                         " AND parent_id IS NULL");
        return 0;
    });
    // Plan vs fact asks for whole calendar periods (the plans room's month / quarter / year).
    reports::ReportQuery plan_quarter = month, plan_year = month;
    plan_quarter.from = "2026-10-01";
    plan_quarter.to = "2026-12-31";
    plan_year.from = "2026-01-01";
    plan_year.to = "2026-12-31";
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

    if (const int writes = std::atoi(Setting("BENCH_WRITES", 0, argv, 9, "2000").c_str()); writes > 0) {
        // What the triggers add to hot writes: stage moves (the deal's row and a history row, as the deals room
        // writes them) and activities created and ticked done, each in its own statement group, with the rollups
        // live and with them switched off (no state row: the triggers stop at their first check, which is what the
        // writes cost before migration 0021). Both runs are rolled back, so the data set stays as it was.
        // BENCH_WRITES=0 skips this part.
        const int n = writes;
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
                soci::statement move = (sql.prepare << "UPDATE deals SET stage_id = :s, stage_entered_at = :t, "
                                                       "updated_at = :t2 WHERE workspace_id = :ws AND id = :id",
                                        soci::use(stage, "s"), soci::use(at, "t"), soci::use(at, "t2"),
                                        soci::use(ws, "ws"), soci::use(id, "id"));
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
                // By (workspace, id) as the services write (on PostgreSQL the primary key is (workspace_id, id): by
                // id alone every write would walk the whole index).
                soci::statement done =
                    (sql.prepare
                         << "UPDATE activities SET done = 1, done_at = :t WHERE workspace_id = :ws AND id = :id",
                     soci::use(at, "t"), soci::use(ws, "ws"), soci::use(act, "id"));
                sql << "SELECT MAX(id) FROM activities WHERE workspace_id = :ws", soci::use(ws, "ws"), soci::into(act);
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
        {"plan vs fact, month, head", [&] { return PlanFactRan(service.PlanFactOf(head, month)); }, 300},
        {"plan vs fact, quarter, head", [&] { return PlanFactRan(service.PlanFactOf(head, plan_quarter)); }, 300},
        {"plan vs fact, year, head", [&] { return PlanFactRan(service.PlanFactOf(head, plan_year)); }, 300},
        {"plan vs fact, month, seller", [&] { return PlanFactRan(service.PlanFactOf(seller, month)); }, 300},
        {"plan vs fact, quarter, seller", [&] { return PlanFactRan(service.PlanFactOf(seller, plan_quarter)); }, 300},
        {"plan vs fact, year, seller", [&] { return PlanFactRan(service.PlanFactOf(seller, plan_year)); }, 300},
        {"plan vs fact, year, head, payments from the records",
         [&] { return PlanFactRan(service_payments_records.PlanFactOf(head, plan_year)); }, 0},
        {"plan vs fact, year, head, new clients from the records",
         [&] { return PlanFactRan(service_records.PlanFactOf(head, plan_year)); }, 0},
        // The records behind the whole department's new clients of the year (the KPI store's first wins).
        {"plan vs fact drill-down, new clients, year, department",
         [&] { return service.DrillDown(head, "plan_fact", plan_year, new_clients_cell).ok(); }, 300},
        {"plan vs fact drill-down, new clients, year, department, from the records",
         [&] { return service_records.DrillDown(head, "plan_fact", plan_year, new_clients_cell).ok(); }, 0},
        {"forecast, month, head", [&] { return service.ForecastOf(head, month).ok(); }, 0},
        {"forecast, 12 months, head", [&] { return service.ForecastOf(head, year).ok(); }, 0},
        // The forecast's read alone, as it was (every column, products, the source lead) and as it is now, in the
        // same run: what the lean read saves whatever the machine's load.
        // The funnel's stays read and medians by team before (every stay row) and now (packed cells), same run.
        {"funnel stays by team, 12 months, rows (before 0027)",
         [&] { return FunnelStaysRead(*db, head, s, false) > 0; }, 0},
        {"funnel stays by team, 12 months, cells (0027)", [&] { return FunnelStaysRead(*db, head, s, true) > 0; }, 0},
        {"activity cells, 12 months (rollup::ActivityDayCells)", [&] { return ActivityCellsRead(*db, head, s) > 0; },
         0},
        {"forecast's read before (store::SelectDeals)", [&] { return ForecastRead(*db, head, s, false) > 0; }, 0},
        {"forecast's read now (store::SelectForecastDeals)", [&] { return ForecastRead(*db, head, s, true) > 0; }, 0},
        {"head's dashboard (in process)", [&] { return service.DashboardOf(head, std::string("head")).ok(); }, 500},
    };
    // BENCH_SERVER_PID: the PostgreSQL postmaster's pid (first line of DATA/postmaster.pid) when it runs on this
    // machine: the table adds the server's CPU per operation (its backends do the queries' work).
    const long server_pid = std::atol(Setting("BENCH_SERVER_PID", 0, argv, 9, "0").c_str());
    std::printf("\n%lld deals, %lld activities, %s, %d runs per case\n", n_deals, n_acts,
                db->engine() == db::Engine::kPostgres ? "PostgreSQL" : "SQLite", runs);
    std::printf(
        "\n| case | median ms | min ms | CPU ms/op (this process) | server CPU ms/op | ops/s | budget ms | verdict |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|\n");
    // BENCH_CASES: a regular expression the case names must match (all cases when unset).
    const std::string only = Setting("BENCH_CASES", 0, argv, 9, "");
    const std::regex pick(only.empty() ? std::string(".") : only);
    for (const auto& c : cases) {
        if (!std::regex_search(c.name, pick)) continue;
        std::vector<double> t, cpu;
        bool ok = true;
        std::vector<double> server;
        for (int i = 0; i < runs; ++i) {
            const double s0 = ServerCpuMs(server_pid);
            const auto a = std::chrono::steady_clock::now();
            const double c0 = CpuMs();
            ok = c.run() && ok;
            cpu.push_back(CpuMs() - c0);
            t.push_back(Ms(std::chrono::steady_clock::now() - a));
            server.push_back(ServerCpuMs(server_pid) - s0);
        }
        std::sort(t.begin(), t.end());
        std::sort(cpu.begin(), cpu.end());
        std::sort(server.begin(), server.end());
        const double med = t[t.size() / 2];
        std::printf(
            "| %s | %.0f | %.0f | %.0f | %s | %.1f | %s | %s |\n", c.name.c_str(), med, t.front(), cpu[cpu.size() / 2],
            server_pid > 0 ? std::to_string(static_cast<long>(server[server.size() / 2])).c_str() : "—",
            med > 0 ? 1000.0 / med : 0.0, c.budget > 0 ? std::to_string(static_cast<int>(c.budget)).c_str() : "—",
            !ok               ? "**error**"
            : c.budget <= 0   ? "no budget"
            : med <= c.budget ? "within"
                              : "**over budget**");
        std::fflush(stdout);
    }
    return 0;
}
