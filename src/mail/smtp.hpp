#pragma once
/// Sending e-mail over SMTP with libvmime: a plain-text UTF-8 body (Cyrillic subjects and names encoded) and, when
/// there are attachments, a multipart/mixed message with each file as a base64 part whose name is sent as RFC 2231
/// (`filename*=UTF-8''…`, Cyrillic survives) and as RFC 2047 for older readers. Every message carries a Date and a
/// Message-ID. STARTTLS or TLS, optional login. One message per call, bounded by a timeout per network step.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace otdel::mail {

struct SmtpConfig {
    /// smtp://host:port (STARTTLS when the server offers it) or smtps://host:port (TLS from the start); empty:
    /// e-mail is off.
    std::string url;
    std::string from = "Отдел <otdel@localhost>";
    std::string user, password;
    bool require_tls = false;
    int timeout_s = 20;
};

/// One file sent with a message.
struct Attachment {
    std::string file_name;  // as the recipient sees it, UTF-8 ("Коммерческое предложение 15-2.pdf")
    std::string content_type;  // "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    std::string bytes;         // the file's raw bytes (not base64)
};

/// The most attachment bytes one message may carry in all (before base64): mail servers commonly refuse messages
/// above 25 MB, and base64 adds a third.
inline constexpr std::size_t kMaxAttachmentBytes = 15u * 1024u * 1024u;

struct OutgoingMail {
    std::string to;  // one address, or several separated by commas
    std::string subject;
    std::string text;
    std::string cc;  // copy recipients, comma-separated; empty for none
    std::vector<Attachment> attachments;
    /// The Message-ID without angle brackets ("otdel.1a2b…@example.ru"); empty: one is made up (NewMessageId). Set it
    /// beforehand when the caller keeps it (a retried send then carries the same id, so the recipient's mail program
    /// shows one message).
    std::string message_id;
};

/// A fresh Message-ID (without angle brackets): 128 random bits at the domain of `from` ("Отдел <crm@x.ru>" →
/// "@x.ru"), or at "otdel.localhost" when it has none.
std::string NewMessageId(const std::string& from);

/// Whether the attachments may be sent: each has a file name and a content type, and the bytes together are at most
/// kMaxAttachmentBytes. Errors: 413 `mail.attachment_too_large`; 422 field `attachments/<i>` `required`.
core::Result<void> CheckAttachments(const std::vector<Attachment>& attachments);

/// The whole RFC 5322 message as it goes on the wire (From, To, Cc, Subject, Date, Message-ID, MIME parts): what
/// SmtpMailer sends; tests parse it back. Fails like CheckAttachments, or 422 `mail.bad_address` when To or Cc does
/// not parse.
core::Result<std::string> ComposeMessage(const std::string& from, const OutgoingMail& mail);

/// What senders implement; tests and the demo can put a recorder in its place.
class Mailer {
public:
    virtual ~Mailer() = default;
    /// kUnavailable with the transport's message on a network or protocol failure (the caller retries).
    virtual core::Result<void> Send(const OutgoingMail& mail) = 0;
};

class SmtpMailer final : public Mailer {
public:
    explicit SmtpMailer(SmtpConfig config) : config_(std::move(config)) {}
    core::Result<void> Send(const OutgoingMail& mail) override;

private:
    SmtpConfig config_;
};

}  // namespace otdel::mail
