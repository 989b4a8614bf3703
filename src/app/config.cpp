#include "app/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace otdel::app {
namespace {

std::string EnvName(const std::string& key) {
    std::string out = "OTDEL_";
    for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

long long ParseInt(const std::string& key, const std::string& v, long long min, long long max) {
    long long n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max)
        throw std::runtime_error(key + ": expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                                 ", got '" + v + "'");
    return n;
}

bool ParseBool(const std::string& key, const std::string& v) {
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    throw std::runtime_error(key + ": expected true or false, got '" + v + "'");
}

struct Entry {
    const char* key;
    const char* flag;
    const char* help;
    bool serve_only;
    void (*set)(Config&, const std::string& key, const std::string& v);
};

#define OTDEL_INT(field, lo, hi)                                          \
    [](Config& c, const std::string& k, const std::string& v) {           \
        c.field = static_cast<decltype(c.field)>(ParseInt(k, v, lo, hi)); \
    }
#define OTDEL_BOOL(field) [](Config& c, const std::string& k, const std::string& v) { c.field = ParseBool(k, v); }
#define OTDEL_STR(field) [](Config& c, const std::string&, const std::string& v) { c.field = v; }

const std::vector<Entry>& Table() {
    static const std::vector<Entry> k = {
        {"server.host", "--host", "Address to listen on (127.0.0.1; 0.0.0.0 or :: for all interfaces)", true,
         OTDEL_STR(server.host)},
        {"server.port", "--port", "TCP port (8080; 0 picks a free one)", true, OTDEL_INT(server.port, 0, 65535)},
        {"server.io_threads", "--io-threads", "Threads reading and writing sockets (2)", true,
         OTDEL_INT(server.io_threads, 1, 256)},
        {"server.worker_threads", "--workers", "Threads running handlers and database work (64)", true,
         OTDEL_INT(server.worker_threads, 1, 1024)},
        {"server.body_limit_bytes", "--body-limit", "Largest accepted request body in bytes (1048576)", true,
         OTDEL_INT(server.body_limit, 1024, 1LL << 30)},
        {"server.read_timeout_ms", "--read-timeout-ms", "A whole request must arrive within this (30000)", true,
         OTDEL_INT(server.read_timeout_ms, 100, 3'600'000)},
        {"server.write_timeout_ms", "--write-timeout-ms", "A response must be written within this (30000)", true,
         OTDEL_INT(server.write_timeout_ms, 100, 3'600'000)},
        {"server.keep_alive_ms", "--keep-alive-ms", "Idle keep-alive connections close after this (60000)", true,
         OTDEL_INT(server.keep_alive_ms, 100, 3'600'000)},
        {"server.shutdown_grace_ms", "--shutdown-grace-ms", "On SIGTERM, wait this long for requests in flight (15000)",
         true, OTDEL_INT(server.shutdown_grace_ms, 0, 600'000)},
        {"server.access_log", "--access-log", "Log every request (true)", true, OTDEL_BOOL(server.access_log)},
        {"imports.dir", "--imports-dir", "Where uploaded import files are kept (var/imports)", true,
         OTDEL_STR(imports_dir)},
        {"imports.max_upload_bytes", "--import-max-upload", "Largest import file in bytes (104857600)", true,
         OTDEL_INT(import_max_upload_bytes, 1024, 1LL << 32)},
        {"mail.smtp_url", "--smtp-url",
         "SMTP server for e-mail notifications: smtp://host:587 (STARTTLS) or smtps://host:465; empty: off", true,
         OTDEL_STR(mail_smtp_url)},
        {"mail.from", "--mail-from", "Sender of e-mail notifications (Отдел <otdel@localhost>)", true,
         OTDEL_STR(mail_from)},
        {"mail.user", "--smtp-user", "SMTP login (none)", true, OTDEL_STR(mail_user)},
        {"mail.password", "--smtp-password", "SMTP password (none)", true, OTDEL_STR(mail_password)},
        {"mail.require_tls", "--smtp-require-tls", "Refuse to send without TLS (false)", true,
         OTDEL_BOOL(mail_require_tls)},
        {"telegram.bot_token", "--telegram-bot-token", "Bot token for Telegram notifications; empty: off", true,
         OTDEL_STR(telegram_bot_token)},
        {"telegram.api_base", "--telegram-api-base", "Telegram Bot API address (https://api.telegram.org)", true,
         OTDEL_STR(telegram_api_base)},
        {"server.public_url", "--public-url", "Address of the app for links in e-mails and messages (none)", true,
         OTDEL_STR(public_url)},
        {"server.web_root", "--web-root", "Directory of the built web UI (web/dist)", true, OTDEL_STR(web_root)},
        {"database.url", "--db", "sqlite:var/otdel.db or postgresql://user:pass@host:5432/otdel", false,
         OTDEL_STR(database.url)},
        {"database.pool_size", "--db-pool", "Database connections (8)", false, OTDEL_INT(database.pool_size, 1, 256)},
        {"database.busy_timeout_ms", "--db-busy-timeout-ms", "SQLite: wait this long for a lock (5000)", false,
         OTDEL_INT(database.busy_timeout_ms, 0, 600'000)},
        {"auth.argon2_t_cost", "--argon2-t-cost", "Password hashing passes (3)", false,
         OTDEL_INT(auth.argon2_t_cost, 1, 100)},
        {"auth.argon2_m_cost_kib", "--argon2-m-cost-kib", "Password hashing memory in KiB (65536)", false,
         OTDEL_INT(auth.argon2_m_cost_kib, 8, 4 * 1024 * 1024)},
        {"auth.argon2_parallelism", "--argon2-parallelism", "Password hashing lanes (1)", false,
         OTDEL_INT(auth.argon2_parallelism, 1, 64)},
        {"auth.session_idle_minutes", "--session-idle-minutes", "Sign out after this much inactivity (720)", true,
         OTDEL_INT(auth.session_idle_minutes, 1, 525'600)},
        {"auth.session_absolute_hours", "--session-absolute-hours", "Sign out after this long in any case (168)", true,
         OTDEL_INT(auth.session_absolute_hours, 1, 87'600)},
        {"auth.session_cache_ms", "--session-cache-ms",
         "A session read from the database answers from memory this long; 0 = read every time (1000)", true,
         OTDEL_INT(auth.session_cache_ms, 0, 60'000)},
        {"auth.login_max_failures", "--login-max-failures", "Failed sign-ins allowed per window for one e-mail (5)",
         true, OTDEL_INT(auth.login_max_failures, 1, 1'000'000)},
        {"auth.login_max_failures_per_ip", "--login-max-failures-per-ip",
         "Failed sign-ins allowed per window from one IP (20)", true,
         OTDEL_INT(auth.login_max_failures_per_ip, 1, 1'000'000)},
        {"auth.login_window_seconds", "--login-window-seconds", "Window of the sign-in limit in seconds (900)", true,
         OTDEL_INT(auth.login_window_seconds, 1, 86'400)},
        {"auth.cookie_secure", "--cookie-secure", "Always mark cookies Secure (false; set true behind TLS)", true,
         OTDEL_BOOL(auth.cookie_secure)},
        {"auth.trust_proxy", "--trust-proxy", "Trust X-Forwarded-For/-Proto from a reverse proxy (false)", true,
         OTDEL_BOOL(auth.trust_proxy)},
        {"auth.min_password_length", "--min-password-length", "Shortest accepted password (8)", false,
         OTDEL_INT(auth.min_password_length, 6, 1024)},
        {"log.level", "--log-level", "trace, debug, info, warn, error (info)", false, OTDEL_STR(log_level)},
    };
    return k;
}

#undef OTDEL_INT
#undef OTDEL_BOOL
#undef OTDEL_STR

std::string TomlValueString(const toml::node& n, const std::string& key) {
    if (auto s = n.value<std::string>(); s && n.is_string()) return *s;
    if (n.is_integer()) return std::to_string(*n.value<long long>());
    if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
    throw std::runtime_error(key + ": expected a string, integer or boolean");
}

}  // namespace

const std::vector<OptionInfo>& Options() {
    static const std::vector<OptionInfo> k = [] {
        std::vector<OptionInfo> v;
        for (const auto& e : Table()) v.push_back({e.key, e.flag, EnvName(e.key), e.help, e.serve_only});
        return v;
    }();
    return k;
}

void SetOption(Config& cfg, const std::string& key, const std::string& value) {
    for (const auto& e : Table()) {
        if (key == e.key) return e.set(cfg, key, value);
    }
    throw std::runtime_error("unknown option " + key);
}

ConfigBinder::ConfigBinder(CLI::App& app, bool full) : full_(full) {
    config_opt_ = app.add_option("--config", config_file_, "TOML configuration file (env OTDEL_CONFIG)");
    given_.reserve(Table().size());
    for (const auto& e : Table()) {
        if (e.serve_only && !full) continue;
        given_.push_back({e.key, {}, nullptr});
        Given& g = given_.back();
        std::string help = std::string(e.help) + " [" + e.key + ", env " + EnvName(e.key) + "]";
        g.option = app.add_option(e.flag, g.value, help);
    }
}

void ConfigBinder::Resolve(Config& out) const {
    std::string file = config_file_;
    if (file.empty()) {
        if (const char* env = std::getenv("OTDEL_CONFIG")) file = env;
    }
    if (!file.empty()) {
        toml::table tbl;
        try {
            tbl = toml::parse_file(file);
        } catch (const toml::parse_error& err) {
            throw std::runtime_error("cannot read config " + file + ": " + std::string(err.description()));
        }
        for (const auto& [section, node] : tbl) {
            const auto* sub = node.as_table();
            if (!sub) throw std::runtime_error(file + ": '" + std::string(section.str()) + "' must be a [section]");
            for (const auto& [key, value] : *sub) {
                std::string full = std::string(section.str()) + "." + std::string(key.str());
                SetOption(out, full, TomlValueString(value, full));
            }
        }
        out.config_file = file;
    }
    for (const auto& e : Table()) {
        if (const char* env = std::getenv(EnvName(e.key).c_str())) SetOption(out, e.key, env);
    }
    for (const auto& g : given_) {
        if (g.option && g.option->count() > 0) SetOption(out, g.key, g.value);
    }
}

}  // namespace otdel::app
