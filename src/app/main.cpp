// otdel: the one binary. Sub-commands: serve, migrate, seed-demo, user add|passwd, backup, import.
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "app/config.hpp"
#include "app/seed_demo.hpp"
#include "app/serve.hpp"
#include "core/messages.hpp"
#include "db/migrations.hpp"
#include "imports/import_service.hpp"
#include "leads/lead_intake.hpp"
#include "reports/reports_service.hpp"

namespace {

using otdel::app::Config;

void SetupLogging(const Config& cfg) {
    auto level = spdlog::level::from_str(cfg.log_level);
    if (level == spdlog::level::off && cfg.log_level != "off")
        throw std::runtime_error("log.level: expected trace, debug, info, warn, error or off");
    spdlog::set_level(level);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
}

std::unique_ptr<otdel::db::Database> OpenAndMigrate(const Config& cfg) {
    auto db = otdel::db::Database::Open(cfg.database);
    auto report = otdel::db::Migrate(*db);
    for (const auto& m : report.applied) spdlog::info("applied migration {}", m);
    return db;
}

std::string ReadPassword(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("OTDEL_PASSWORD")) return env;
    std::cerr << "Password: " << std::flush;
    termios old{};
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios silent = old;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string pw;
    std::getline(std::cin, pw);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    return pw;
}

int Fail(const otdel::core::Error& e) {
    std::cerr << "error: " << otdel::core::ErrorMessage(e, otdel::core::Lang::kEn);
    for (const auto& f : e.fields)
        std::cerr << "\n  " << f.field << ": " << otdel::core::FieldMessage(f, otdel::core::Lang::kEn);
    std::cerr << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Otdel — the sales department system in one binary"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "otdel 0.1.0");

    auto* serve = app.add_subcommand("serve", "Migrate the database and serve the API and web UI");
    otdel::app::ConfigBinder serve_cfg(*serve, true);
    bool manual_clock = false, bench_endpoints = false;
    serve->add_flag("--manual-clock", manual_clock,
                    "TEST/DEMO ONLY: time stands still until an administrator moves it via POST /api/v1/admin/clock");
    serve->add_flag("--bench-endpoints", bench_endpoints, "Add GET /bench/static and /bench/worker for benchmarks");

    auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
    otdel::app::ConfigBinder migrate_cfg(*migrate, false);

    auto* seed = app.add_subcommand("seed-demo", "Create the demo workspace and its users (idempotent)");
    otdel::app::ConfigBinder seed_cfg(*seed, false);

    auto* user = app.add_subcommand("user", "Manage users");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "Add a user to a workspace");
    otdel::app::ConfigBinder user_add_cfg(*user_add, false);
    std::string email, name, password, locale = "ru";
    long long workspace = 0;
    bool admin = false;
    user_add->add_option("--email", email, "E-mail (the login)")->required();
    user_add->add_option("--name", name, "Full name")->required();
    user_add->add_option("--password", password, "Password (else env OTDEL_PASSWORD, else asked)");
    user_add->add_option("--workspace", workspace, "Workspace id (default: the only workspace)");
    user_add->add_option("--locale", locale, "ru or en")->check(CLI::IsMember({"ru", "en"}));
    user_add->add_flag("--admin", admin, "Make the user a workspace administrator");
    auto* user_passwd = user->add_subcommand("passwd", "Set a user's password (ends their sessions)");
    otdel::app::ConfigBinder user_passwd_cfg(*user_passwd, false);
    user_passwd->add_option("--email", email, "E-mail of the user")->required();
    user_passwd->add_option("--password", password, "New password (else env OTDEL_PASSWORD, else asked)");

    auto* backup = app.add_subcommand("backup", "Copy the database while the server runs (SQLite online backup)");
    otdel::app::ConfigBinder backup_cfg(*backup, false);
    std::string backup_out;
    backup->add_option("--out", backup_out, "Destination file, e.g. backups/otdel-2026-11-23.db")->required();

    auto* import =
        app.add_subcommand("import", "Import clients (companies), contacts, leads or deals from a CSV/XLSX file");
    otdel::app::ConfigBinder import_cfg(*import, false);
    otdel::imports::CliImport import_args;
    int import_batch = 5000;
    import->add_option("entity", import_args.entity, "clients | contacts | leads | deals")
        ->required()
        ->check(CLI::IsMember({"clients", "companies", "contacts", "leads", "deals"}));
    import->add_option("file", import_args.file, "The CSV or XLSX file")->required();
    import
        ->add_option("--mapping", import_args.mapping,
                     "A saved or ready mapping's name (Bitrix24, amoCRM), or 'auto' to map by header names")
        ->required();
    import->add_flag("--dry-run", import_args.dry_run, "Check every row and write only the report");
    import->add_option("--workspace", import_args.workspace_slug, "Workspace slug (default: the first workspace)");
    import->add_option("--as", import_args.as_email, "Import as this user (default: the first administrator)");
    import->add_option("--batch-size", import_batch, "Rows per transaction (5000)")->check(CLI::Range(1, 100000));

    CLI11_PARSE(app, argc, argv);

    Config cfg;
    try {
        if (serve->parsed()) serve_cfg.Resolve(cfg);
        if (migrate->parsed()) migrate_cfg.Resolve(cfg);
        if (seed->parsed()) seed_cfg.Resolve(cfg);
        if (user_add->parsed()) user_add_cfg.Resolve(cfg);
        if (user_passwd->parsed()) user_passwd_cfg.Resolve(cfg);
        if (backup->parsed()) backup_cfg.Resolve(cfg);
        if (import->parsed()) import_cfg.Resolve(cfg);
        SetupLogging(cfg);

        if (serve->parsed()) return otdel::app::Serve(cfg, {manual_clock, bench_endpoints});

        if (migrate->parsed()) {
            auto db = otdel::db::Database::Open(cfg.database);
            auto report = otdel::db::Migrate(*db);
            for (const auto& m : report.applied) std::cout << "applied " << m << "\n";
            std::cout << "schema version " << report.to_version << " (" << otdel::db::EngineName(db->engine()) << ")\n";
            // The reports' rollups (migrations 0021, 0024) are built here, offline, for every workspace that lacks
            // them — after an upgrade that dropped them, too — instead of inside the first report's request.
            otdel::core::SystemClock clock;
            otdel::reports::ReportsService reports(*db, clock, nullptr);
            std::vector<long long> workspaces;
            db->Read([&](soci::session& sql) {
                long long id = 0;
                soci::statement st = (sql.prepare << "SELECT id FROM workspaces ORDER BY id", soci::into(id));
                st.execute(false);
                while (st.fetch()) workspaces.push_back(id);
            });
            for (long long ws : workspaces) {
                const auto started = std::chrono::steady_clock::now();
                if (!reports.EnsureRollups(ws)) {
                    std::cout << "report rollups of workspace " << ws << " not built (see the log); the first report "
                              << "tries again\n";
                    continue;
                }
                const auto ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                        .count();
                std::cout << "report rollups of workspace " << ws << " ready (" << ms << " ms)\n";
            }
            return 0;
        }

        auto db = OpenAndMigrate(cfg);
        otdel::core::SystemClock clock;
        otdel::auth::AuthService auth(*db, clock, cfg.auth);
        // Constructed so that workspaces created here get the org room's role catalog (a hook on auth).
        otdel::org::HandoverRegistry handovers;
        otdel::org::OrgService org(*db, clock, auth, handovers);

        if (seed->parsed()) {
            otdel::clients::ClientsService clients(*db, clock);
            auto logins = otdel::app::SeedDemo(auth, org, &clients, db.get(), &clock);
            std::cout << "Demo workspace is ready. Sign in with:\n";
            for (const auto& l : logins) std::cout << "  " << l.role << ": " << l.email << " / " << l.password << "\n";
            return 0;
        }
        if (user_add->parsed()) {
            if (workspace == 0) {
                auto all = auth.ListWorkspaces();
                if (all.size() != 1) {
                    std::cerr << "error: " << all.size() << " workspaces exist; choose one with --workspace\n";
                    return 1;
                }
                workspace = all.front().first;
            }
            otdel::auth::NewUser u{workspace, email, name, ReadPassword(password), locale, admin};
            auto r = auth.CreateUser(u, otdel::core::Actor::System(workspace));
            if (!r) return Fail(r.error());
            std::cout << "user " << *r << " created\n";
            return 0;
        }
        if (user_passwd->parsed()) {
            auto r = auth.SetPassword(email, ReadPassword(password), otdel::core::Actor::System(0));
            if (!r) return Fail(r.error());
            std::cout << "password changed; the user's sessions were ended\n";
            return 0;
        }
        if (import->parsed()) {
            // The same pipeline as the API's job, run here; an interrupted run of the same file resumes.
            otdel::leads::LeadIntake lead_intake(*db, clock);
            otdel::imports::ImportsConfig icfg;
            icfg.dir = cfg.imports_dir;
            icfg.batch_size = import_batch;
            otdel::imports::ImportService imports(*db, clock, lead_intake, icfg);
            return imports.RunCli(import_args);
        }
        if (backup->parsed()) {
            if (db->engine() == otdel::db::Engine::kPostgres) {
                std::cout << "PostgreSQL is backed up with its own tools, for example:\n"
                          << "  pg_dump --format=custom --file=otdel.dump '" << cfg.database.url << "'\n"
                          << "and restored with pg_restore. See docs/operations.md.\n";
                return 0;
            }
            auto r = otdel::db::BackupSqlite(*db, backup_out);
            if (!r) return Fail(r.error());
            std::cout << "backup written to " << backup_out << "\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
