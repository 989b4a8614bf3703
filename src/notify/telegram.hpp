#pragma once
/// Sending a message through a Telegram bot (Bot API `sendMessage`) over HTTPS — or plain HTTP to a local stand-in,
/// which is how the tests run it.
#include <string>

#include "core/result.hpp"

namespace otdel::notify {

struct TelegramConfig {
    /// The bot's token from @BotFather; empty: Telegram notifications are off.
    std::string bot_token;
    std::string api_base = "https://api.telegram.org";
    int timeout_s = 10;
};

class TelegramSender {
public:
    virtual ~TelegramSender() = default;
    explicit TelegramSender(TelegramConfig config) : config_(std::move(config)) {}
    /// kUnavailable on a network failure or a refusal by the API (the caller retries).
    virtual core::Result<void> Send(const std::string& chat_id, const std::string& text);
    bool configured() const { return !config_.bot_token.empty(); }

private:
    TelegramConfig config_;
};

}  // namespace otdel::notify
