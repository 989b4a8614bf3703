#include "mail/vmime_support.hpp"

#include <vmime/platforms/posix/posixHandler.hpp>

#include <fstream>
#include <mutex>
#include <sstream>

namespace otdel::mail {

void InitVmime() {
    static std::once_flag once;
    std::call_once(once, [] { vmime::platform::setHandler<vmime::platforms::posix::posixHandler>(); });
}

const std::vector<vmime::shared_ptr<vmime::security::cert::X509Certificate>>& SystemCAs() {
    static const auto certs = [] {
        std::vector<vmime::shared_ptr<vmime::security::cert::X509Certificate>> out;
        std::ifstream in("/etc/ssl/certs/ca-certificates.crt");
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string all = ss.str();
        const std::string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
        std::size_t pos = 0;
        while ((pos = all.find(begin, pos)) != std::string::npos) {
            const std::size_t stop = all.find(end, pos);
            if (stop == std::string::npos) break;
            const std::string pem = all.substr(pos, stop + end.size() - pos);
            try {
                if (auto c = vmime::security::cert::X509Certificate::import(
                        reinterpret_cast<const vmime::byte_t*>(pem.data()), pem.size()))
                    out.push_back(c);
            } catch (const std::exception&) {
            }
            pos = stop + end.size();
        }
        return out;
    }();
    return certs;
}

}  // namespace otdel::mail
