#include "notify/notify_store.hpp"

#include <boost/json.hpp>

namespace otdel::notify::store {
namespace json = boost::json;

namespace {

constexpr const char* kListChannels =
    "SELECT channel, target, CAST(kinds AS TEXT), enabled FROM notification_channels "
    "WHERE workspace_id = :ws AND user_id = :uid ORDER BY channel";
constexpr const char* kPutChannel =
    "INSERT INTO notification_channels (workspace_id, user_id, channel, target, kinds, enabled, created_at, "
    "updated_at) VALUES (:ws, :uid, :ch, :target, :kinds, :enabled, :now, :now2) "
    "ON CONFLICT (workspace_id, user_id, channel) DO UPDATE SET target = excluded.target, kinds = excluded.kinds, "
    "enabled = excluded.enabled, updated_at = excluded.updated_at";
constexpr const char* kDeleteChannel =
    "DELETE FROM notification_channels WHERE workspace_id = :ws AND user_id = :uid AND channel = :ch";
constexpr const char* kClaimDelivery =
    "INSERT INTO notification_deliveries (workspace_id, notification_id, channel, status, created_at) "
    "VALUES (:ws, :nid, :ch, 'pending', :now) ON CONFLICT (workspace_id, notification_id, channel) DO NOTHING";
constexpr const char* kGetDelivery =
    "SELECT status, attempts FROM notification_deliveries WHERE workspace_id = :ws AND notification_id = :nid AND "
    "channel = :ch";
constexpr const char* kMarkDelivery =
    "UPDATE notification_deliveries SET status = :st, attempts = attempts + 1, last_error = :err, sent_at = :sent "
    "WHERE workspace_id = :ws AND notification_id = :nid AND channel = :ch";
constexpr const char* kGetNotification =
    "SELECT n.user_id, n.kind, CAST(n.params AS TEXT), n.link, u.locale FROM notifications n "
    "JOIN users u ON u.workspace_id = n.workspace_id AND u.id = n.user_id WHERE n.workspace_id = :ws AND n.id = :id";

}  // namespace

std::vector<Channel> ListChannels(soci::session& sql, core::Id ws_id, core::Id user_id) {
    long long ws = ws_id, uid = user_id;
    std::string ch, target, kinds;
    int enabled = 0;
    soci::statement st = (sql.prepare << kListChannels, soci::into(ch), soci::into(target), soci::into(kinds),
                          soci::into(enabled), soci::use(ws, "ws"), soci::use(uid, "uid"));
    st.execute(false);
    std::vector<Channel> out;
    while (st.fetch()) {
        auto kind = ParseChannel(ch);
        if (!kind) continue;
        Channel c;
        c.kind = *kind;
        c.target = target;
        c.enabled = enabled != 0;
        c.kinds.clear();
        boost::system::error_code ec;
        json::value v = json::parse(kinds, ec);
        if (!ec && v.is_array())
            for (const auto& k : v.as_array())
                if (k.is_string()) c.kinds.emplace_back(k.as_string());
        out.push_back(std::move(c));
    }
    return out;
}

void PutChannel(soci::session& sql, core::Id ws_id, core::Id user_id, const Channel& c, core::Millis now_ms) {
    long long ws = ws_id, uid = user_id, now = now_ms;
    const std::string ch(ChannelName(c.kind));
    json::array kinds;
    for (const auto& k : c.kinds) kinds.emplace_back(k);
    const std::string kinds_text = json::serialize(kinds);
    int enabled = c.enabled;
    sql << kPutChannel, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(ch, "ch"), soci::use(c.target, "target"),
        soci::use(kinds_text, "kinds"), soci::use(enabled, "enabled"), soci::use(now, "now"), soci::use(now, "now2");
}

bool DeleteChannel(soci::session& sql, core::Id ws_id, core::Id user_id, ChannelKind kind) {
    long long ws = ws_id, uid = user_id;
    const std::string ch(ChannelName(kind));
    soci::statement st =
        (sql.prepare << kDeleteChannel, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(ch, "ch"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

bool ClaimDelivery(soci::session& sql, core::Id ws_id, core::Id notification_id, ChannelKind kind,
                   core::Millis now_ms) {
    long long ws = ws_id, nid = notification_id, now = now_ms;
    const std::string ch(ChannelName(kind));
    soci::statement st = (sql.prepare << kClaimDelivery, soci::use(ws, "ws"), soci::use(nid, "nid"),
                          soci::use(ch, "ch"), soci::use(now, "now"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::optional<Delivery> GetDelivery(soci::session& sql, core::Id ws_id, core::Id notification_id, ChannelKind kind) {
    long long ws = ws_id, nid = notification_id;
    const std::string ch(ChannelName(kind));
    Delivery d;
    sql << kGetDelivery, soci::use(ws, "ws"), soci::use(nid, "nid"), soci::use(ch, "ch"), soci::into(d.status),
        soci::into(d.attempts);
    if (!sql.got_data()) return std::nullopt;
    return d;
}

void MarkDelivery(soci::session& sql, core::Id ws_id, core::Id notification_id, ChannelKind kind,
                  const std::string& status, const std::string& error, std::optional<core::Millis> sent_at) {
    long long ws = ws_id, nid = notification_id, sent = sent_at.value_or(0);
    soci::indicator sent_ind = sent_at ? soci::i_ok : soci::i_null;
    const std::string ch(ChannelName(kind));
    sql << kMarkDelivery, soci::use(status, "st"), soci::use(error, "err"), soci::use(sent, sent_ind, "sent"),
        soci::use(ws, "ws"), soci::use(nid, "nid"), soci::use(ch, "ch");
}

std::optional<Stored> GetNotification(soci::session& sql, core::Id ws_id, core::Id notification_id) {
    long long ws = ws_id, id = notification_id, uid = 0;
    Stored s;
    sql << kGetNotification, soci::use(ws, "ws"), soci::use(id, "id"), soci::into(uid), soci::into(s.kind),
        soci::into(s.params), soci::into(s.link), soci::into(s.locale);
    if (!sql.got_data()) return std::nullopt;
    s.user_id = uid;
    return s;
}

}  // namespace otdel::notify::store
