#include "events/notifications.hpp"

#include "db/prepared.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::events {
namespace {

namespace json = boost::json;

constexpr const char* kInsertNotification =
    "INSERT INTO notifications (workspace_id, user_id, kind, params, link, created_at) "
    "VALUES (:ws, :uid, :kind, :params, :link, :at) RETURNING id";
constexpr const char* kSelectPage =
    "SELECT id, kind, params, link, created_at, read_at FROM notifications "
    "WHERE workspace_id = :ws AND user_id = :uid AND id < :before ORDER BY id DESC LIMIT :lim";
// Bounded: the badge shows "99+" beyond this, so the count never scans a user's whole history.
constexpr const char* kCountUnread =
    "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE workspace_id = :ws AND user_id = :uid "
    "AND read_at IS NULL LIMIT 100) AS u";
constexpr const char* kMarkRead =
    "UPDATE notifications SET read_at = :at WHERE workspace_id = :ws AND user_id = :uid AND id = :id "
    "AND read_at IS NULL";
constexpr const char* kExists =
    "SELECT COUNT(*) FROM notifications WHERE workspace_id = :ws AND user_id = :uid AND id = :id";

// Written inside other rooms' transactions (routing's for every routed lead): prepared once per pooled connection.
struct InsertNotification {
    long long ws = 0, uid = 0, at = 0, id = 0;
    std::string kind, params, link;
    soci::statement st;
    explicit InsertNotification(soci::session& sql)
        : st((sql.prepare << kInsertNotification, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(kind, "kind"),
              soci::use(params, "params"), soci::use(link, "link"), soci::use(at, "at"), soci::into(id))) {}
    void Reset(soci::session& sql) { db::ResetStatement(sql, st); }
};

}  // namespace

json::object ToJson(const Notification& n) {
    json::object o;
    o["id"] = n.id;
    o["kind"] = n.kind;
    o["params"] = n.params;
    o["link"] = n.link;
    o["created_at"] = n.created_at;
    o["read_at"] = n.read_at ? json::value(*n.read_at) : json::value(nullptr);
    return o;
}

core::Id Notify(soci::session& sql, core::Id workspace_id, core::Id user_id, const std::string& kind,
                const json::object& params, const std::string& link, core::Millis at) {
    const core::Id id = db::WithPrepared<InsertNotification>(sql, [&](InsertNotification& q) {
        q.ws = workspace_id;
        q.uid = user_id;
        q.at = at;
        q.kind = kind;
        q.params = json::serialize(params);
        q.link = link;
        q.id = 0;
        q.st.execute(true);
        return static_cast<core::Id>(q.id);
    });
    Notification n{id, user_id, kind, params, link, at, std::nullopt};
    json::object payload = ToJson(n);
    payload["user_id"] = user_id;
    Enqueue(sql, workspace_id, kNotificationTopic, payload, at);
    return id;
}

NotificationService::NotificationService(db::Database& db, const core::Clock& clock, LiveHub& hub,
                                         OutboxDispatcher& outbox)
    : db_(db), clock_(clock), hub_(hub) {
    outbox.Subscribe(kNotificationTopic, [&hub](const OutboxEvent& ev) {
        if (!ev.payload.is_object()) return;
        json::object n = ev.payload.as_object();
        const json::value* uid_v = n.if_contains("user_id");
        if (!uid_v || !uid_v->is_number()) return;  // malformed: nothing to deliver, nothing to retry
        auto uid = uid_v->to_number<core::Id>();
        n.erase("user_id");
        hub.Publish(ev.workspace_id, uid, "notification", json::serialize(n));
    });
}

NotificationService::Page NotificationService::List(const core::Actor& actor, std::optional<core::Id> before_id,
                                                    int limit) {
    Page page;
    db_.Read([&](soci::session& sql) {
        long long ws = actor.workspace_id, uid = actor.user_id, before = before_id.value_or(INT64_MAX), id = 0,
                  created = 0, read_at = 0;
        int lim = limit + 1;  // one extra row tells whether there is a next page
        std::string kind, params, link;
        soci::indicator read_ind;
        soci::statement st = (sql.prepare << kSelectPage, soci::into(id), soci::into(kind), soci::into(params),
                              soci::into(link), soci::into(created), soci::into(read_at, read_ind), soci::use(ws, "ws"),
                              soci::use(uid, "uid"), soci::use(before, "before"), soci::use(lim, "lim"));
        st.execute();
        while (st.fetch()) {
            Notification n;
            n.id = id;
            n.user_id = actor.user_id;
            n.kind = kind;
            boost::system::error_code ec;
            auto p = json::parse(params, ec);
            if (!ec && p.is_object()) n.params = p.as_object();
            n.link = link;
            n.created_at = created;
            if (read_ind == soci::i_ok) n.read_at = read_at;
            page.items.push_back(std::move(n));
        }
        if (static_cast<int>(page.items.size()) > limit) {
            page.items.pop_back();
            page.next_after = page.items.back().id;
        }
        long long unread = 0;
        sql << kCountUnread, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::into(unread);
        page.unread = static_cast<int>(unread);
        return 0;
    });
    return page;
}

core::Result<void> NotificationService::MarkRead(const core::Actor& actor, core::Id id) {
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        long long ws = actor.workspace_id, uid = actor.user_id, nid = id, at = clock_.NowMs(), found = 0;
        sql << kExists, soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(nid, "id"), soci::into(found);
        if (found == 0) return core::Error::Of(core::ErrorCode::kNotFound);
        sql << kMarkRead, soci::use(at, "at"), soci::use(ws, "ws"), soci::use(uid, "uid"), soci::use(nid, "id");
        return core::Ok();
    });
}

void NotificationService::Register(http::Router& router) {
    using http::Access;
    router.Get("/api/v1/notifications", Access::kUser, [this](http::Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(page.error(), req.lang, req.request_id);
        auto result = List(req.actor, page->after_id, page->limit);
        json::array items;
        for (const auto& n : result.items) items.push_back(ToJson(n));
        json::object body{{"items", std::move(items)}, {"unread", result.unread}};
        body["next_cursor"] = result.next_after ? json::value(http::EncodeCursor(*result.next_after)) : nullptr;
        return http::Json(body);
    });
    router.Post("/api/v1/notifications/{id}/read", Access::kUser, [this](http::Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(id.error(), req.lang, req.request_id);
        auto r = MarkRead(req.actor, *id);
        if (!r) return http::Problem(r.error(), req.lang, req.request_id);
        return http::Response::NoContent();
    });
    router.Get("/api/v1/live", Access::kUser, [this](http::Request& req) {
        http::Response res;
        res.content_type = "text/event-stream";
        auto ws = req.actor.workspace_id, uid = req.actor.user_id;
        res.stream = [this, ws, uid](std::shared_ptr<http::EventSink> sink) { hub_.Attach(ws, uid, std::move(sink)); };
        return res;
    });
}

}  // namespace otdel::events
