#pragma once
/// SQL of the notify room: channels per person, delivery rows, and what a delivery needs to know about the
/// notification and its recipient. Inside the caller's session, scoped to one workspace.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "notify/channel.hpp"

namespace otdel::notify::store {

std::vector<Channel> ListChannels(soci::session& sql, core::Id ws, core::Id user_id);
void PutChannel(soci::session& sql, core::Id ws, core::Id user_id, const Channel& c, core::Millis now);
bool DeleteChannel(soci::session& sql, core::Id ws, core::Id user_id, ChannelKind kind);

/// Inserts the delivery row unless it exists; true when this call created it (then a job must be scheduled).
bool ClaimDelivery(soci::session& sql, core::Id ws, core::Id notification_id, ChannelKind kind, core::Millis now);
struct Delivery {
    std::string status;
    int attempts = 0;
};
std::optional<Delivery> GetDelivery(soci::session& sql, core::Id ws, core::Id notification_id, ChannelKind kind);
void MarkDelivery(soci::session& sql, core::Id ws, core::Id notification_id, ChannelKind kind,
                  const std::string& status, const std::string& error, std::optional<core::Millis> sent_at);

/// The notification with its recipient's language.
struct Stored {
    core::Id user_id = 0;
    std::string kind, params, link, locale;
};
std::optional<Stored> GetNotification(soci::session& sql, core::Id ws, core::Id notification_id);

}  // namespace otdel::notify::store
