#pragma once
/// Sending e-mail over SMTP with libvmime: plain text and HTML-free messages in UTF-8 (Cyrillic subjects encoded),
/// STARTTLS or TLS, optional login. One message per call, bounded by a timeout per network step.
#include <memory>
#include <string>

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

struct OutgoingMail {
    std::string to;  // one address, or several separated by commas
    std::string subject;
    std::string text;
    std::string cc;  // copy recipients, comma-separated; empty for none
};

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
