#pragma once
/// Reads new messages from an IMAP mailbox with libvmime: connect (plain, STARTTLS or TLS with the system's CA
/// certificates), select the folder read-only, fetch the raw messages whose UID is above the cursor.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace otdel::intake {

struct ImapConfig {
    std::string host;
    int port = 993;
    std::string tls = "tls";  // none | starttls | tls
    std::string user;
    std::string password;
    std::string folder = "INBOX";
    int timeout_s = 30;
};

struct FetchedMail {
    std::uint32_t uid = 0;
    std::string raw;
};

struct FetchResult {
    std::uint32_t uidvalidity = 0;
    /// Ascending by UID; only UIDs above the cursor (all of them when UIDVALIDITY changed).
    std::vector<FetchedMail> messages;
};

/// `known_uidvalidity` / `last_uid`: the stored cursor (0 when none). At most `max_messages` are fetched per call
/// (the rest on the next poll). Connection and protocol failures are kUnavailable with the server's words in the
/// message key's place (Error::message_key holds "intake.imap_failed"; `detail` is logged).
core::Result<FetchResult> FetchNewMail(const ImapConfig& config, std::uint32_t known_uidvalidity,
                                       std::uint32_t last_uid, std::size_t max_messages, std::string* detail);

}  // namespace otdel::intake
