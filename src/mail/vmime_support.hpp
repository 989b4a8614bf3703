#pragma once
/// What every libvmime user here needs: the platform handler set once, Debian's trusted CA bundle for TLS, and
/// a timeout for each network step. Used by the IMAP intake (src/intake) and the SMTP sender (src/mail/smtp).
#include <vmime/vmime.hpp>

#include <vector>

namespace otdel::mail {

/// Sets vmime's POSIX platform handler (once per process).
void InitVmime();

/// The system's trusted CA certificates (/etc/ssl/certs/ca-certificates.crt), loaded once.
const std::vector<vmime::shared_ptr<vmime::security::cert::X509Certificate>>& SystemCAs();

/// Each blocking step (connect, read, write) gives up after `seconds`.
class TimeoutHandler final : public vmime::net::timeoutHandler {
public:
    explicit TimeoutHandler(int seconds) : seconds_(seconds) { resetTimeOut(); }
    bool isTimeOut() override { return std::time(nullptr) >= deadline_; }
    void resetTimeOut() override { deadline_ = std::time(nullptr) + seconds_; }
    bool handleTimeOut() override { return false; }

private:
    int seconds_;
    std::time_t deadline_ = 0;
};

class TimeoutFactory final : public vmime::net::timeoutHandlerFactory {
public:
    explicit TimeoutFactory(int seconds) : seconds_(seconds) {}
    vmime::shared_ptr<vmime::net::timeoutHandler> create() override {
        return vmime::make_shared<TimeoutHandler>(seconds_);
    }

private:
    int seconds_;
};

}  // namespace otdel::mail
