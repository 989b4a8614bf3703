#include "mail/smtp.hpp"

#include <spdlog/spdlog.h>

#include <vmime/vmime.hpp>

#include "core/ids.hpp"
#include "mail/vmime_support.hpp"

namespace otdel::mail {

namespace {

using core::Error;
using core::ErrorCode;

// "Отдел <crm@example.ru>" or a bare address; the display name is encoded as UTF-8.
vmime::mailbox Sender(const std::string& from) {
    const auto lt = from.rfind('<');
    if (lt == std::string::npos || from.empty() || from.back() != '>') return vmime::mailbox(from);
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    const std::string addr = from.substr(lt + 1, from.size() - lt - 2);
    return vmime::mailbox(vmime::text(vmime::word(name, vmime::charsets::UTF_8)), vmime::emailAddress(addr));
}

// An address list as RFC 5322 writes it: several recipients separated by commas. Empty when it does not parse.
vmime::addressList Addresses(const std::string& list) {
    vmime::addressList out;
    out.parse(list);
    return out;
}

// The message as vmime builds it: text first, then the attachments (multipart/mixed when there are any).
vmime::shared_ptr<vmime::message> Build(const std::string& from, const OutgoingMail& m) {
    InitVmime();
    vmime::messageBuilder mb;
    mb.setExpeditor(Sender(from));
    mb.setRecipients(Addresses(m.to));
    if (!m.cc.empty()) mb.setCopyRecipients(Addresses(m.cc));
    mb.setSubject(vmime::text(vmime::word(m.subject, vmime::charsets::UTF_8)));
    mb.getTextPart()->setCharset(vmime::charsets::UTF_8);
    mb.getTextPart()->setText(vmime::make_shared<vmime::stringContentHandler>(m.text));
    for (const auto& a : m.attachments) {
        auto data = vmime::make_shared<vmime::stringContentHandler>(a.bytes);
        auto att = vmime::make_shared<vmime::defaultAttachment>(data, vmime::encoding(vmime::encodingTypes::BASE64),
                                                                vmime::mediaType(a.content_type), vmime::text(),
                                                                vmime::word(a.file_name, vmime::charsets::UTF_8));
        mb.appendAttachment(att);
    }
    auto msg = mb.construct();
    auto header = msg->getHeader();
    header->Date()->setValue(vmime::datetime::now());
    const std::string id = m.message_id.empty() ? NewMessageId(from) : m.message_id;
    const auto at = id.rfind('@');
    header->MessageId()->setValue(at == std::string::npos ? vmime::messageId(id, "otdel.localhost")
                                                          : vmime::messageId(id.substr(0, at), id.substr(at + 1)));
    return msg;
}

core::Result<void> CheckAll(const OutgoingMail& m) {
    if (auto ok = CheckAttachments(m.attachments); !ok) return ok;
    InitVmime();
    if (Addresses(m.to).isEmpty()) return Error::Of(ErrorCode::kValidation, "mail.bad_address");
    if (!m.cc.empty() && Addresses(m.cc).isEmpty()) return Error::Of(ErrorCode::kValidation, "mail.bad_address");
    return core::Ok();
}

}  // namespace

std::string NewMessageId(const std::string& from) {
    std::string domain = "otdel.localhost";
    const auto at = from.rfind('@');
    if (at != std::string::npos) {
        std::string d = from.substr(at + 1);
        while (!d.empty() && (d.back() == '>' || d.back() == ' ')) d.pop_back();
        bool ok = !d.empty();
        for (char c : d)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) ok = false;
        if (ok) domain = d;
    }
    return "otdel." + core::RandomToken(16) + "@" + domain;
}

core::Result<void> CheckAttachments(const std::vector<Attachment>& attachments) {
    std::size_t total = 0;
    std::vector<core::FieldError> errors;
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        total += attachments[i].bytes.size();
        if (attachments[i].file_name.empty() || attachments[i].content_type.empty())
            errors.push_back({"attachments/" + std::to_string(i), "required", ""});
    }
    if (total > kMaxAttachmentBytes) return Error::Of(ErrorCode::kPayloadTooLarge, "mail.attachment_too_large");
    if (!errors.empty()) return Error{ErrorCode::kValidation, {}, std::move(errors), 0};
    return core::Ok();
}

core::Result<std::string> ComposeMessage(const std::string& from, const OutgoingMail& m) {
    if (auto ok = CheckAll(m); !ok) return ok.error();
    try {
        return Build(from, m)->generate();
    } catch (const std::exception& e) {
        return Error::Of(ErrorCode::kValidation, "mail.bad_address");
    }
}

core::Result<void> SmtpMailer::Send(const OutgoingMail& m) {
    if (config_.url.empty()) return core::Error::Of(core::ErrorCode::kUnavailable, "mail.not_configured");
    if (auto ok = CheckAll(m); !ok) return ok;
    try {
        auto msg = Build(config_.from, m);
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
