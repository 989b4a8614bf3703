#pragma once
/// Notifications outside the browser (LEAD-7): a person's e-mail and Telegram channels and which notification kinds
/// each carries, and the texts they get — pure rules, no I/O. The in-app notifications (src/events) stay the source:
/// every stored notification of a user is offered to their enabled channels.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"
#include "core/result.hpp"

namespace otdel::notify {

enum class ChannelKind { kEmail, kTelegram };
/// "email", "telegram".
std::string_view ChannelName(ChannelKind k);
std::optional<ChannelKind> ParseChannel(std::string_view name);

/// One channel of one person. `kinds` are prefixes of notification kinds ("routing." takes every routing
/// notification; "routing.assigned" only that one); empty means every kind.
struct Channel {
    ChannelKind kind = ChannelKind::kEmail;
    /// The e-mail address, or the Telegram chat id (a number; negative for groups).
    std::string target;
    std::vector<std::string> kinds = {"routing."};
    bool enabled = true;
};

inline constexpr std::size_t kMaxKinds = 50;

/// Field errors ("target", "kinds/2") for a channel as a user submits it; the target comes back normalised
/// (e-mail lower-cased, chat id trimmed).
core::Result<Channel> ValidateChannel(Channel c);

/// Whether the channel carries a notification of this kind.
bool Wants(const Channel& c, std::string_view kind);

/// The text a channel sends: a subject (e-mail) and a plain body, in the person's language, with a link into
/// the app when `base_url` is set.
struct Message {
    std::string subject;
    std::string body;
};
Message Render(std::string_view kind, const std::map<std::string, std::string>& params, core::Lang lang,
               const std::string& link, const std::string& base_url);

}  // namespace otdel::notify
