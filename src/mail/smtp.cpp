#include "mail/smtp.hpp"

#include <spdlog/spdlog.h>

#include <vmime/vmime.hpp>

#include "mail/vmime_support.hpp"

namespace otdel::mail {

namespace {

// "Отдел <crm@example.ru>" or a bare address; the display name is encoded as UTF-8.
vmime::mailbox Sender(const std::string& from) {
    const auto lt = from.rfind('<');
    if (lt == std::string::npos || from.empty() || from.back() != '>') return vmime::mailbox(from);
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    const std::string addr = from.substr(lt + 1, from.size() - lt - 2);
    return vmime::mailbox(vmime::text(vmime::word(name, vmime::charsets::UTF_8)), vmime::emailAddress(addr));
}

}  // namespace

core::Result<void> SmtpMailer::Send(const OutgoingMail& m) {
    if (config_.url.empty()) return core::Error::Of(core::ErrorCode::kUnavailable, "mail.not_configured");
    InitVmime();
    try {
        vmime::messageBuilder mb;
        mb.setExpeditor(Sender(config_.from));
        // An address list as RFC 5322 writes it: several recipients separated by commas.
        vmime::addressList to;
        to.parse(m.to);
        mb.setRecipients(to);
        if (!m.cc.empty()) {
            vmime::addressList cc;
            cc.parse(m.cc);
            mb.setCopyRecipients(cc);
        }
        mb.setSubject(vmime::text(vmime::word(m.subject, vmime::charsets::UTF_8)));
        mb.getTextPart()->setCharset(vmime::charsets::UTF_8);
        mb.getTextPart()->setText(vmime::make_shared<vmime::stringContentHandler>(m.text));
        auto msg = mb.construct();

        auto session = vmime::net::session::create();
        auto transport = session->getTransport(vmime::utility::url(config_.url));
        if (!config_.user.empty()) {
            transport->setProperty("options.need-authentication", true);
            transport->setProperty("auth.username", config_.user);
            transport->setProperty("auth.password", config_.password);
        }
        transport->setProperty("connection.tls", config_.url.rfind("smtp://", 0) == 0);
        transport->setProperty("connection.tls.required", config_.require_tls);
        transport->setTimeoutHandlerFactory(vmime::make_shared<TimeoutFactory>(config_.timeout_s));
        auto verifier = vmime::make_shared<vmime::security::cert::defaultCertificateVerifier>();
        verifier->setX509RootCAs(SystemCAs());
        transport->setCertificateVerifier(verifier);
        transport->connect();
        transport->send(msg);
        transport->disconnect();
        return core::Ok();
    } catch (const std::exception& e) {
        spdlog::warn("smtp: sending to {} failed: {}", m.to, e.what());
        return core::Error::Of(core::ErrorCode::kUnavailable, "mail.send_failed");
    }
}

}  // namespace otdel::mail
