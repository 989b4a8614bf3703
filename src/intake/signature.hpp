#pragma once
/// Signed webhooks: HMAC-SHA256 over "<timestamp>.<raw body>" with the channel's secret, a freshness window, and
/// Telegram's secret-token header. Pure (libsodium only); constant-time comparisons.
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace otdel::intake {

/// How far the sender's timestamp may be from our clock, either way.
inline constexpr core::Millis kSignatureWindowMs = 5 * 60 * 1000;

/// Lower-case hex HMAC-SHA256 of `timestamp + "." + body` under `secret`.
std::string SignHmac(std::string_view secret, std::string_view timestamp, std::string_view body);

/// True when `signature_hex` (hex, either case; an optional "sha256=" prefix) is the HMAC of the message.
bool VerifyHmac(std::string_view secret, std::string_view timestamp, std::string_view body,
                std::string_view signature_hex);

/// Unix seconds from the X-Otdel-Timestamp header (digits only, at most 12); nullopt when malformed.
std::optional<core::Millis> ParseTimestamp(std::string_view header);

/// True when the timestamp (ms) lies within ±window of now.
bool FreshTimestamp(core::Millis ts, core::Millis now, core::Millis window = kSignatureWindowMs);

/// Constant-time equality of a presented secret (Telegram's X-Telegram-Bot-Api-Secret-Token) with the stored one;
/// an empty stored secret never matches.
bool SecretMatches(std::string_view stored, std::string_view presented);

}  // namespace otdel::intake
