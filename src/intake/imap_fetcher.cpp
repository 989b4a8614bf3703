#include "intake/imap_fetcher.hpp"

#include "mail/vmime_support.hpp"

#include <vmime/net/imap/IMAPFolder.hpp>
#include <vmime/platforms/posix/posixHandler.hpp>
#include <vmime/vmime.hpp>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

namespace otdel::intake {
using mail::InitVmime;
using mail::SystemCAs;
using mail::TimeoutFactory;

core::Result<FetchResult> FetchNewMail(const ImapConfig& config, std::uint32_t known_uidvalidity,
                                       std::uint32_t last_uid, std::size_t max_messages, std::string* detail) {
    InitVmime();
    vmime::shared_ptr<vmime::net::store> store;
    try {
        auto session = vmime::net::session::create();
        vmime::utility::url url(config.tls == "tls" ? "imaps" : "imap", config.host, config.port);
        store = session->getStore(url);
        if (config.tls == "starttls") {
            store->setProperty("connection.tls", true);
            store->setProperty("connection.tls.required", true);
        }
        store->setProperty("auth.username", config.user);
        store->setProperty("auth.password", config.password);
        store->setProperty("options.sasl", false);
        store->setTimeoutHandlerFactory(vmime::make_shared<TimeoutFactory>(config.timeout_s));
        auto verifier = vmime::make_shared<vmime::security::cert::defaultCertificateVerifier>();
        verifier->setX509RootCAs(SystemCAs());
        store->setCertificateVerifier(verifier);
        store->connect();

        auto folder = store->getFolder(vmime::net::folder::path(vmime::net::folder::path::component(config.folder)));
        folder->open(vmime::net::folder::MODE_READ_ONLY, true);
        FetchResult out;
        auto imap = vmime::dynamicCast<vmime::net::imap::IMAPFolder>(folder);
        out.uidvalidity = imap ? imap->getUIDValidity() : 0;
        const std::uint32_t from = out.uidvalidity == known_uidvalidity ? last_uid + 1 : 1;
        if (folder->getMessageCount() > 0) {
            auto msgs = folder->getMessages(vmime::net::messageSet::byUID(std::to_string(from), "*"));
            folder->fetchMessages(msgs, vmime::net::fetchAttributes(vmime::net::fetchAttributes::UID));
            std::vector<std::pair<std::uint32_t, vmime::shared_ptr<vmime::net::message>>> wanted;
            for (auto& m : msgs) {
                const std::string uid_text = m->getUID();
                // vmime may report "<uidvalidity>:<uid>"; the UID is the last number.
                const std::string digits = uid_text.substr(uid_text.find_last_of(':') + 1);
                std::uint32_t uid = 0;
                try {
                    uid = static_cast<std::uint32_t>(std::stoul(digits));
                } catch (const std::exception&) {
                    continue;
                }
                // "n:*" always returns the last message, even when its UID is below n.
                if (uid >= from) wanted.emplace_back(uid, m);
            }
            std::sort(wanted.begin(), wanted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            if (wanted.size() > max_messages) wanted.resize(max_messages);
            for (auto& [uid, m] : wanted) {
                FetchedMail fm;
                fm.uid = uid;
                vmime::utility::outputStreamStringAdapter os(fm.raw);
                m->extract(os, nullptr, 0, -1, true);  // peek: leave the \Seen flag as it was
                out.messages.push_back(std::move(fm));
            }
        }
        folder->close(false);
        store->disconnect();
        return out;
    } catch (const std::exception& e) {
        if (detail) *detail = e.what();
        try {
            if (store && store->isConnected()) store->disconnect();
        } catch (...) {
        }
        return core::Error::Of(core::ErrorCode::kUnavailable, "intake.imap_failed");
    }
}

}  // namespace otdel::intake
