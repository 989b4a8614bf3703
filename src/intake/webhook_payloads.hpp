#pragma once
/// Payloads of the signed webhooks (LEAD-1c, LEAD-1d): telephony call events, Telegram Bot API updates and the
/// generic JSON lead of other networks and marketplaces. Pure parsers: body text in, plain structs or field errors out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace otdel::intake {

/// One telephony event: {event_id, type: incoming|missed|finished, from, to, started_at, duration_s, recording_url}.
struct CallEvent {
    std::string event_id;
    std::string type;
    std::string from;
    std::string to;
    /// Unix ms; from an integer of Unix seconds or an RFC 3339 string. 0 when absent.
    core::Millis started_at = 0;
    std::int64_t duration_s = 0;
    std::string recording_url;
};
core::Result<CallEvent> ParseCallEvent(std::string_view body);

/// The part of a Telegram Update that makes a lead: a (possibly edited) message with its sender.
struct TelegramMessage {
    std::int64_t update_id = 0;
    std::int64_t chat_id = 0;
    std::int64_t message_id = 0;
    bool edited = false;
    std::string first_name, last_name, username;
    std::string text;           // text or caption
    std::string contact_phone;  // when the user shared their contact
    core::Millis date = 0;
    std::string DisplayName() const;
};
/// nullopt (and no error) for updates that carry no message (callback queries, channel posts, polls…):
/// Telegram must get a 200 for them, or it retries forever.
core::Result<std::optional<TelegramMessage>> ParseTelegramUpdate(std::string_view body);

/// The documented generic payload: {external_id, source, name, phones[], emails[], message, utm{}, custom{}}.
struct GenericLead {
    std::string external_id;
    std::string source;
    std::string name;
    std::string company;
    std::vector<std::string> phones;
    std::vector<std::string> emails;
    std::string message;
    std::string product;
    std::string region;
    std::vector<std::pair<std::string, std::string>> utm;  // source, medium, campaign, content, term
    std::vector<std::pair<std::string, std::string>> custom;
    core::Millis occurred_at = 0;
};
core::Result<GenericLead> ParseGenericLead(std::string_view body);

/// Unix ms from an RFC 3339 / ISO 8601 instant ("2026-03-01T10:15:00Z", "...+03:00"); nullopt when malformed.
std::optional<core::Millis> ParseInstant(std::string_view text);

}  // namespace otdel::intake
