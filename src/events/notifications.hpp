#pragma once
/// Notifications for a user: stored rows plus a live push through the outbox and the LiveHub.
#include <soci/soci.h>
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "events/live_hub.hpp"
#include "events/outbox.hpp"
#include "http/router.hpp"

namespace otdel::events {

inline constexpr const char* kNotificationTopic = "notification.created";

struct Notification {
    core::Id id = 0;
    core::Id user_id = 0;
    std::string kind;  // i18n key suffix the UI renders: "security.api_token_created"
    boost::json::object params;
    std::string link;
    core::Millis created_at = 0;
    std::optional<core::Millis> read_at;
};

boost::json::object ToJson(const Notification& n);

/// Creates a notification inside the open transaction and queues its live delivery (outbox).
core::Id Notify(soci::session& sql, core::Id workspace_id, core::Id user_id, const std::string& kind,
                const boost::json::object& params, const std::string& link, core::Millis at);

class NotificationService {
public:
    NotificationService(db::Database& db, const core::Clock& clock, LiveHub& hub, OutboxDispatcher& outbox);

    struct Page {
        std::vector<Notification> items;
        std::optional<core::Id> next_after;
        int unread = 0;
    };
    Page List(const core::Actor& actor, std::optional<core::Id> before_id, int limit);
    core::Result<void> MarkRead(const core::Actor& actor, core::Id id);

    /// GET /api/v1/notifications, POST /api/v1/notifications/{id}/read, GET /api/v1/live.
    void Register(http::Router& router);

private:
    db::Database& db_;
    const core::Clock& clock_;
    LiveHub& hub_;
};

}  // namespace otdel::events
