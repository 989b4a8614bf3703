#pragma once
/// Configuration: defaults < TOML file (--config or OTDEL_CONFIG) < OTDEL_* environment < command-line flags.
/// One table of options drives all four, so every option is documented in `otdel serve --help`.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "db/database.hpp"
#include "http/server.hpp"

namespace otdel::app {

struct Config {
    http::ServerConfig server;
    std::string web_root = "web/dist";
    db::DbConfig database;
    auth::AuthConfig auth;
    std::string log_level = "info";
    std::string config_file;
    /// Imports: where uploaded files are kept, and the largest accepted upload (413 above it).
    std::string imports_dir = "var/imports";
    std::int64_t import_max_upload_bytes = 100LL << 20;
    /// Notifications by e-mail (SMTP) and Telegram (a bot); both off until configured.
    std::string mail_smtp_url;
    std::string mail_from = "Отдел <otdel@localhost>";
    std::string mail_user, mail_password;
    bool mail_require_tls = false;
    std::string telegram_bot_token;
    std::string telegram_api_base = "https://api.telegram.org";
    /// The address people open the app at, for links in e-mails and messages (e.g. https://crm.example.ru).
    std::string public_url;
};

/// Binds every option of the table to `app` as a flag (e.g. --port) and remembers what was given.
class ConfigBinder {
public:
    /// `full` adds server and auth options (serve); otherwise only the database and logging ones.
    ConfigBinder(CLI::App& app, bool full);
    /// After CLI parsing: loads TOML, environment and flags into `out`. Throws std::runtime_error with
    /// a message naming the option on a bad value or an unknown key in the TOML file.
    void Resolve(Config& out) const;

private:
    struct Given {
        std::string key;
        std::string value;
        CLI::Option* option = nullptr;
    };
    std::vector<Given> given_;
    std::string config_file_;
    CLI::Option* config_opt_ = nullptr;
    bool full_;
};

/// Applies one "section.key" = value; throws std::runtime_error for unknown keys or bad values.
void SetOption(Config& cfg, const std::string& key, const std::string& value);
/// Every known "section.key" with its environment variable name and help.
struct OptionInfo {
    std::string key;   // "server.port"
    std::string flag;  // "--port"
    std::string env;   // "OTDEL_SERVER_PORT"
    std::string help;
    bool serve_only;
};
const std::vector<OptionInfo>& Options();

}  // namespace otdel::app
