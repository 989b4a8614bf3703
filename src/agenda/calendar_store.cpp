#include "agenda/calendar_store.hpp"

namespace otdel::agenda::store {
namespace {

constexpr core::Millis kTouchEvery = 3'600'000;

constexpr const char* kInsertFeed =
    "INSERT INTO calendar_feeds (workspace_id, user_id, scope, token_hash, token_hint, created_at) "
    "VALUES (:ws, :uid, :scope, :hash, :hint, :now) RETURNING id";
constexpr const char* kFeedColumns =
    "SELECT workspace_id, id, user_id, scope, token_hint, created_at, last_used_at, revoked_at FROM calendar_feeds ";
constexpr const char* kFeedsOfWhere =
    "WHERE workspace_id = :ws AND user_id = :uid ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, id DESC "
    "LIMIT 50";
constexpr const char* kFeedWhere = "WHERE workspace_id = :ws AND user_id = :uid AND id = :id";
constexpr const char* kFeedByHashWhere = "WHERE token_hash = :hash AND revoked_at IS NULL";
constexpr const char* kRevokeFeed =
    "UPDATE calendar_feeds SET revoked_at = :now WHERE workspace_id = :ws AND id = :id AND revoked_at IS NULL";
constexpr const char* kTouchFeed =
    "UPDATE calendar_feeds SET last_used_at = :now WHERE workspace_id = :ws AND id = :id";
constexpr const char* kActiveUser =
    "SELECT full_name, locale, is_admin FROM users WHERE workspace_id = :ws AND id = :uid AND status = 'active'";
constexpr const char* kWorkspaceNames = "SELECT slug, name FROM workspaces WHERE id = :ws";
constexpr const char* kInsertReminder =
    "INSERT INTO meeting_reminders (workspace_id, activity_id, user_id, starts_at, sent_at) "
    "VALUES (:ws, :act, :uid, :starts, :now) ON CONFLICT DO NOTHING";
constexpr const char* kUpcoming =
    "SELECT workspace_id, id, at FROM activities WHERE kind = 'meeting' AND deleted_at IS NULL AND at > :from "
    "AND at <= :to AND done = 0 ORDER BY at, id LIMIT :lim";

struct FeedRow {
    long long ws = 0, id = 0, uid = 0, created = 0, used = 0, revoked = 0;
    soci::indicator used_ind = soci::i_null, revoked_ind = soci::i_null;
    std::string scope, hint;
    void Into(soci::statement& st) {
        st.exchange(soci::into(ws));
        st.exchange(soci::into(id));
        st.exchange(soci::into(uid));
        st.exchange(soci::into(scope));
        st.exchange(soci::into(hint));
        st.exchange(soci::into(created));
        st.exchange(soci::into(used, used_ind));
        st.exchange(soci::into(revoked, revoked_ind));
    }
    Feed Get() const {
        Feed f;
        f.workspace_id = ws;
        f.id = id;
        f.user_id = uid;
        f.scope = scope;
        f.token_hint = hint;
        f.created_at = created;
        if (used_ind == soci::i_ok) f.last_used_at = used;
        if (revoked_ind == soci::i_ok) f.revoked_at = revoked;
        return f;
    }
};

template <class Bind>
std::vector<Feed> Feeds(soci::session& sql, const std::string& where, Bind bind) {
    FeedRow row;
    soci::statement st(sql);
    st.alloc();
    st.prepare(std::string(kFeedColumns) + where);
    row.Into(st);
    bind(st);
    st.define_and_bind();
    st.execute(false);
    std::vector<Feed> out;
    while (st.fetch()) out.push_back(row.Get());
    return out;
}

}  // namespace

core::Id InsertFeed(soci::session& sql, core::Id ws_id, core::Id user_id, const std::string& scope,
                    const std::string& token_hash, const std::string& hint, core::Millis now) {
    long long ws = ws_id, uid = user_id, at = now, id = 0;
    sql << kInsertFeed, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(scope, "scope"),
        soci::use(token_hash, "hash"), soci::use(hint, "hint"), soci::use(at, "now"), soci::into(id);
    return id;
}

std::vector<Feed> FeedsOf(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, uid = user_id;
    return Feeds(sql, kFeedsOfWhere, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(uid, "uid"));
    });
}

std::optional<Feed> SelectFeed(soci::session& sql, core::Id ws_id, core::Id user_id, core::Id id_) {
    long long ws = ws_id, uid = user_id, id = id_;
    auto out = Feeds(sql, kFeedWhere, [&](soci::statement& st) {
        st.exchange(soci::use(ws, "ws"));
        st.exchange(soci::use(uid, "uid"));
        st.exchange(soci::use(id, "id"));
    });
    if (out.empty()) return std::nullopt;
    return out.front();
}

bool RevokeFeed(soci::session& sql, core::Id ws_id, core::Id id_, core::Millis now) {
    long long ws = ws_id, id = id_, at = now;
    soci::statement st = (sql.prepare << kRevokeFeed, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::optional<Feed> FeedByTokenHash(soci::session& sql, const std::string& token_hash) {
    std::string hash = token_hash;
    auto out = Feeds(sql, kFeedByHashWhere, [&](soci::statement& st) { st.exchange(soci::use(hash, "hash")); });
    if (out.empty()) return std::nullopt;
    return out.front();
}

void TouchFeed(soci::session& sql, const Feed& f, core::Millis now) {
    if (f.last_used_at && now - *f.last_used_at < kTouchEvery) return;
    long long ws = f.workspace_id, id = f.id, at = now;
    sql << kTouchFeed, soci::use(at, "now"), soci::use(ws, "ws"), soci::use(id, "id");
}

std::optional<FeedOwner> ActiveUser(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, uid = user_id;
    int admin = 0;
    FeedOwner o;
    sql << kActiveUser, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::into(o.full_name), soci::into(o.locale),
        soci::into(admin);
    if (!sql.got_data()) return std::nullopt;
    o.is_admin = admin != 0;
    return o;
}

std::pair<std::string, std::string> WorkspaceNames(soci::session& sql, core::Id ws_id) {
    long long ws = ws_id;
    std::string slug, name;
    sql << kWorkspaceNames, soci::use(ws, "ws"), soci::into(slug), soci::into(name);
    return {slug, name};
}

bool InsertReminder(soci::session& sql, core::Id ws_id, core::Id activity_id, core::Id user_id, core::Millis starts_at,
                    core::Millis now) {
    long long ws = ws_id, act = activity_id, uid = user_id, starts = starts_at, at = now;
    soci::statement st = (sql.prepare << kInsertReminder, soci::use(ws, "ws"), soci::use(act, "act"),
                          soci::use(uid, "uid"), soci::use(starts, "starts"), soci::use(at, "now"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::vector<UpcomingMeeting> UpcomingMeetings(soci::session& sql, core::Millis from_, core::Millis to_, int limit) {
    long long from = from_, to = to_, lim = limit, ws = 0, id = 0, at = 0;
    std::vector<UpcomingMeeting> out;
    soci::statement st = (sql.prepare << kUpcoming, soci::into(ws), soci::into(id), soci::into(at),
                          soci::use(from, "from"), soci::use(to, "to"), soci::use(lim, "lim"));
    st.execute();
    while (st.fetch()) out.push_back({ws, id, at});
    return out;
}

}  // namespace otdel::agenda::store
