#include "auth/auth_store.hpp"

#include "auth/session_cache.hpp"

#include "db/prepared.hpp"

namespace otdel::auth::store {
namespace {

constexpr const char* kInsertWorkspace =
    "INSERT INTO workspaces (name, slug, default_locale, time_zone, currency, created_at, updated_at) "
    "VALUES (:name, :slug, :locale, :tz, :currency, :created, :updated) RETURNING id";
constexpr const char* kSelectWorkspace =
    "SELECT id, name, slug, default_locale, time_zone, currency FROM workspaces WHERE id = :id";
constexpr const char* kSelectWorkspaces = "SELECT id, name FROM workspaces ORDER BY id";

constexpr const char* kInsertUser =
    "INSERT INTO users (workspace_id, email, full_name, password_hash, locale, is_admin, status, created_at, "
    "updated_at) VALUES (:ws, :email, :name, :hash, :locale, :admin, 'active', :created, :updated) RETURNING id";
constexpr const char* kSelectUserByEmail =
    "SELECT workspace_id, id, email, full_name, password_hash, locale, status, is_admin FROM users "
    "WHERE email = :email";
constexpr const char* kSelectUserById =
    "SELECT workspace_id, id, email, full_name, password_hash, locale, status, is_admin FROM users "
    "WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUpdatePasswordHashIf =
    "UPDATE users SET password_hash = :hash, updated_at = :now "
    "WHERE workspace_id = :ws AND id = :id AND password_hash = :old";
constexpr const char* kUpdatePasswordHash =
    "UPDATE users SET password_hash = :hash, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUpdateProfile =
    "UPDATE users SET full_name = :name, locale = :locale, updated_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kUpdateLastLogin = "UPDATE users SET last_login_at = :now WHERE workspace_id = :ws AND id = :id";

constexpr const char* kInsertSession =
    "INSERT INTO sessions (id, workspace_id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, "
    "user_agent) VALUES (:id, :ws, :uid, :csrf, :created, :seen, :expires, :ip, :ua)";
constexpr const char* kSelectSession =
    "SELECT s.id, s.workspace_id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
    "s.revoked_at, u.status, u.locale, u.is_admin FROM sessions s "
    "JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id WHERE s.id = :id";
constexpr const char* kTouchSession =
    "UPDATE sessions SET last_seen_at = :now WHERE id = :id AND last_seen_at < :threshold AND revoked_at IS NULL";
constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked_at = :now WHERE workspace_id = :ws AND id = :id AND revoked_at IS NULL";
constexpr const char* kRevokeSessionById =
    "UPDATE sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
constexpr const char* kRevokeUserSessions =
    "UPDATE sessions SET revoked_at = :now WHERE workspace_id = :ws AND user_id = :uid AND revoked_at IS NULL";

constexpr const char* kInsertApiToken =
    "INSERT INTO api_tokens (workspace_id, user_id, name, token_hash, prefix, created_at, expires_at) "
    "VALUES (:ws, :uid, :name, :hash, :prefix, :created, :expires) RETURNING id";
constexpr const char* kSelectApiTokenByHash =
    "SELECT t.workspace_id, t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, "
    "t.revoked_at, u.status, u.locale, u.is_admin FROM api_tokens t "
    "JOIN users u ON u.workspace_id = t.workspace_id AND u.id = t.user_id WHERE t.token_hash = :hash";
constexpr const char* kSelectApiTokenPage =
    "SELECT workspace_id, id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at "
    "FROM api_tokens WHERE workspace_id = :ws AND user_id = :uid AND id < :before AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > :now) ORDER BY id DESC LIMIT :lim";
constexpr const char* kSelectUserApiToken =
    "SELECT workspace_id, id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at "
    "FROM api_tokens WHERE workspace_id = :ws AND user_id = :uid AND id = :id AND revoked_at IS NULL";
constexpr const char* kRevokeApiToken =
    "UPDATE api_tokens SET revoked_at = :now "
    "WHERE workspace_id = :ws AND user_id = :uid AND id = :id AND revoked_at IS NULL";
constexpr const char* kTouchApiToken =
    "UPDATE api_tokens SET last_used_at = :now "
    "WHERE workspace_id = :ws AND id = :id AND (last_used_at IS NULL OR last_used_at < :threshold)";

std::optional<core::Millis> Opt(long long v, soci::indicator ind) {
    if (ind == soci::i_ok) return v;
    return std::nullopt;
}

// Binds the output columns of an api_tokens row (the 9 columns of kSelectApiTokenPage, in order).
struct TokenInto {
    long long ws = 0, id = 0, uid = 0, created = 0, used = 0, expires = 0, revoked = 0;
    std::string name, prefix;
    soci::indicator used_ind = soci::i_null, expires_ind = soci::i_null, revoked_ind = soci::i_null;

    ApiTokenRow Row() const {
        return ApiTokenRow{ws,
                           id,
                           uid,
                           name,
                           prefix,
                           created,
                           Opt(used, used_ind),
                           Opt(expires, expires_ind),
                           Opt(revoked, revoked_ind)};
    }
};

long long AffectedRows(soci::statement& st) {
    return st.get_affected_rows();
}

// Output columns of a users row (kSelectUserBy*), in order.
struct UserInto {
    long long ws = 0, id = 0;
    int admin = 0;
    UserRow row;

    UserRow Row() const {
        UserRow u = row;
        u.workspace_id = ws;
        u.id = id;
        u.is_admin = admin != 0;
        return u;
    }
};

}  // namespace

core::Id InsertWorkspace(soci::session& sql, const NewWorkspace& ws, core::Millis now) {
    long long id = 0, at = now;
    sql << kInsertWorkspace, soci::use(ws.name, "name"), soci::use(ws.slug, "slug"),
        soci::use(ws.default_locale, "locale"), soci::use(ws.time_zone, "tz"), soci::use(ws.currency, "currency"),
        soci::use(at, "created"), soci::use(at, "updated"), soci::into(id);
    return id;
}

std::optional<WorkspaceRow> SelectWorkspace(soci::session& sql, core::Id id) {
    WorkspaceRow w;
    long long key = id, out_id = 0;
    soci::indicator ind = soci::i_null;
    sql << kSelectWorkspace, soci::use(key, "id"), soci::into(out_id, ind), soci::into(w.name), soci::into(w.slug),
        soci::into(w.default_locale), soci::into(w.time_zone), soci::into(w.currency);
    if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
    w.id = out_id;
    return w;
}

std::vector<std::pair<core::Id, std::string>> ListWorkspaces(soci::session& sql) {
    long long id = 0;
    std::string name;
    soci::statement st = (sql.prepare << kSelectWorkspaces, soci::into(id), soci::into(name));
    st.execute();
    std::vector<std::pair<core::Id, std::string>> out;
    while (st.fetch()) out.emplace_back(id, name);
    return out;
}

core::Id InsertUser(soci::session& sql, const NewUser& u, const std::string& password_hash, core::Millis now) {
    long long ws = u.workspace_id, id = 0, at = now;
    int admin = u.is_admin ? 1 : 0;
    sql << kInsertUser, soci::use(ws, "ws"), soci::use(u.email, "email"), soci::use(u.full_name, "name"),
        soci::use(password_hash, "hash"), soci::use(u.locale, "locale"), soci::use(admin, "admin"),
        soci::use(at, "created"), soci::use(at, "updated"), soci::into(id);
    return id;
}

std::optional<UserRow> SelectUserByEmail(soci::session& sql, const std::string& email) {
    UserInto u;
    sql << kSelectUserByEmail, soci::use(email, "email"), soci::into(u.ws), soci::into(u.id), soci::into(u.row.email),
        soci::into(u.row.full_name), soci::into(u.row.password_hash), soci::into(u.row.locale),
        soci::into(u.row.status), soci::into(u.admin);
    if (!sql.got_data()) return std::nullopt;
    return u.Row();
}

std::optional<UserRow> SelectUser(soci::session& sql, core::Id workspace_id, core::Id id) {
    long long ws = workspace_id, key = id;
    UserInto u;
    sql << kSelectUserById, soci::use(ws, "ws"), soci::use(key, "id"), soci::into(u.ws), soci::into(u.id),
        soci::into(u.row.email), soci::into(u.row.full_name), soci::into(u.row.password_hash), soci::into(u.row.locale),
        soci::into(u.row.status), soci::into(u.admin);
    if (!sql.got_data()) return std::nullopt;
    return u.Row();
}

bool UpdatePasswordHashIf(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& old_hash,
                          const std::string& new_hash, core::Millis now) {
    long long ws = workspace_id, key = id, at = now;
    soci::statement st = (sql.prepare << kUpdatePasswordHashIf, soci::use(new_hash, "hash"), soci::use(at, "now"),
                          soci::use(ws, "ws"), soci::use(key, "id"), soci::use(old_hash, "old"));
    st.execute(true);
    return AffectedRows(st) > 0;
}

void UpdatePasswordHash(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& hash,
                        core::Millis now) {
    long long ws = workspace_id, key = id, at = now;
    sql << kUpdatePasswordHash, soci::use(hash, "hash"), soci::use(at, "now"), soci::use(ws, "ws"),
        soci::use(key, "id");
}

void UpdateProfile(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& full_name,
                   const std::string& locale, core::Millis now) {
    long long ws = workspace_id, key = id, at = now;
    sql << kUpdateProfile, soci::use(full_name, "name"), soci::use(locale, "locale"), soci::use(at, "now"),
        soci::use(ws, "ws"), soci::use(key, "id");
    SessionCache::Global().ForgetUser(workspace_id, id);  // the language of the user's requests changes
}

void UpdateLastLogin(soci::session& sql, core::Id workspace_id, core::Id id, core::Millis now) {
    long long ws = workspace_id, key = id, at = now;
    sql << kUpdateLastLogin, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(key, "id");
}

void InsertSession(soci::session& sql, const NewSessionRow& s) {
    long long ws = s.workspace_id, uid = s.user_id, created = s.created_at, expires = s.expires_at;
    sql << kInsertSession, soci::use(s.id, "id"), soci::use(ws, "ws"), soci::use(uid, "uid"),
        soci::use(s.csrf_token, "csrf"), soci::use(created, "created"), soci::use(created, "seen"),
        soci::use(expires, "expires"), soci::use(s.ip, "ip"), soci::use(s.user_agent, "ua");
}

namespace {
// Every authenticated request reads its session: prepared once per pooled connection (db/prepared.hpp).
struct SelectSessionSet {
    std::string key;
    SessionRow s;
    long long ws = 0, uid = 0, created = 0, seen = 0, expires = 0, revoked = 0;
    int admin = 0;
    soci::indicator revoked_ind = soci::i_null;
    soci::statement st;
    explicit SelectSessionSet(soci::session& sql)
        : st((sql.prepare << kSelectSession, soci::use(key, "id"), soci::into(s.id), soci::into(ws), soci::into(uid),
              soci::into(s.csrf_token), soci::into(created), soci::into(seen), soci::into(expires),
              soci::into(revoked, revoked_ind), soci::into(s.user_status), soci::into(s.user_locale),
              soci::into(admin))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};
}  // namespace

std::optional<SessionRow> SelectSession(soci::session& sql, const std::string& id) {
    return db::WithPrepared<SelectSessionSet>(sql, [&](SelectSessionSet& q) -> std::optional<SessionRow> {
        q.key = id;
        if (!q.st.execute(true)) return std::nullopt;
        SessionRow s = q.s;
        s.workspace_id = q.ws;
        s.user_id = q.uid;
        s.created_at = q.created;
        s.last_seen_at = q.seen;
        s.expires_at = q.expires;
        s.revoked_at = Opt(q.revoked, q.revoked_ind);
        s.user_is_admin = q.admin != 0;
        return s;
    });
}

void TouchSession(soci::session& sql, const std::string& id, core::Millis now, core::Millis not_after) {
    long long at = now, threshold = not_after;
    sql << kTouchSession, soci::use(at, "now"), soci::use(id, "id"), soci::use(threshold, "threshold");
}

bool RevokeSession(soci::session& sql, core::Id workspace_id, const std::string& id, core::Millis now) {
    long long ws = workspace_id, at = now;
    soci::statement st =
        (sql.prepare << kRevokeSession, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id"));
    st.execute(true);
    SessionCache::Global().ForgetSession(id);
    return AffectedRows(st) > 0;
}

bool RevokeSessionById(soci::session& sql, const std::string& id, core::Millis now) {
    long long at = now;
    soci::statement st = (sql.prepare << kRevokeSessionById, soci::use(at, "now"), soci::use(id, "id"));
    st.execute(true);
    SessionCache::Global().ForgetSession(id);
    return AffectedRows(st) > 0;
}

int RevokeUserSessions(soci::session& sql, core::Id workspace_id, core::Id user_id, core::Millis now) {
    long long ws = workspace_id, uid = user_id, at = now;
    soci::statement st =
        (sql.prepare << kRevokeUserSessions, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(uid, "uid"));
    st.execute(true);
    // Whoever revokes (sign-out everywhere, a password change, the org room disabling or dismissing the user): the
    // process's cached sessions of the user end with the rows.
    SessionCache::Global().ForgetUser(workspace_id, user_id);
    return static_cast<int>(AffectedRows(st));
}

core::Id InsertApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id, const std::string& name,
                        const std::string& token_hash, const std::string& prefix, core::Millis now,
                        std::optional<core::Millis> expires_at) {
    long long ws = workspace_id, uid = user_id, at = now, expires = expires_at.value_or(0), id = 0;
    soci::indicator expires_ind = expires_at ? soci::i_ok : soci::i_null;
    sql << kInsertApiToken, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(name, "name"),
        soci::use(token_hash, "hash"), soci::use(prefix, "prefix"), soci::use(at, "created"),
        soci::use(expires, expires_ind, "expires"), soci::into(id);
    return id;
}

std::optional<TokenAuthRow> SelectApiTokenByHash(soci::session& sql, const std::string& token_hash) {
    TokenInto t;
    TokenAuthRow out;
    int admin = 0;
    sql << kSelectApiTokenByHash, soci::use(token_hash, "hash"), soci::into(t.ws), soci::into(t.id), soci::into(t.uid),
        soci::into(t.name), soci::into(t.prefix), soci::into(t.created), soci::into(t.used, t.used_ind),
        soci::into(t.expires, t.expires_ind), soci::into(t.revoked, t.revoked_ind), soci::into(out.user_status),
        soci::into(out.user_locale), soci::into(admin);
    if (!sql.got_data()) return std::nullopt;
    out.token = t.Row();
    out.user_is_admin = admin != 0;
    return out;
}

std::vector<ApiTokenRow> ListApiTokens(soci::session& sql, core::Id workspace_id, core::Id user_id,
                                       std::optional<core::Id> before_id, int limit, core::Millis now) {
    long long ws = workspace_id, uid = user_id, before = before_id.value_or(INT64_MAX), at = now;
    int lim = limit;
    TokenInto t;
    soci::statement st =
        (sql.prepare << kSelectApiTokenPage, soci::into(t.ws), soci::into(t.id), soci::into(t.uid), soci::into(t.name),
         soci::into(t.prefix), soci::into(t.created), soci::into(t.used, t.used_ind),
         soci::into(t.expires, t.expires_ind), soci::into(t.revoked, t.revoked_ind), soci::use(ws, "ws"),
         soci::use(uid, "uid"), soci::use(before, "before"), soci::use(at, "now"), soci::use(lim, "lim"));
    st.execute();
    std::vector<ApiTokenRow> out;
    while (st.fetch()) out.push_back(t.Row());
    return out;
}

std::optional<ApiTokenRow> SelectUserApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id,
                                              core::Id id) {
    long long ws = workspace_id, uid = user_id, key = id;
    TokenInto t;
    sql << kSelectUserApiToken, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(key, "id"), soci::into(t.ws),
        soci::into(t.id), soci::into(t.uid), soci::into(t.name), soci::into(t.prefix), soci::into(t.created),
        soci::into(t.used, t.used_ind), soci::into(t.expires, t.expires_ind), soci::into(t.revoked, t.revoked_ind);
    if (!sql.got_data()) return std::nullopt;
    return t.Row();
}

bool RevokeApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id, core::Id id, core::Millis now) {
    long long ws = workspace_id, uid = user_id, key = id, at = now;
    soci::statement st = (sql.prepare << kRevokeApiToken, soci::use(at, "now"), soci::use(ws, "ws"),
                          soci::use(uid, "uid"), soci::use(key, "id"));
    st.execute(true);
    return AffectedRows(st) > 0;
}

void TouchApiToken(soci::session& sql, core::Id workspace_id, core::Id id, core::Millis now, core::Millis not_after) {
    long long ws = workspace_id, key = id, at = now, threshold = not_after;
    sql << kTouchApiToken, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(key, "id"),
        soci::use(threshold, "threshold");
}

}  // namespace otdel::auth::store
