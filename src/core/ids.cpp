#include "core/ids.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace otdel::core {
namespace {
struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    }
};
void EnsureSodium() {
    static SodiumInit init;
}

std::string ToHex(const unsigned char* data, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, n);
    out.pop_back();
    return out;
}
}  // namespace

std::string RandomToken(std::size_t bytes) {
    EnsureSodium();
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    return ToHex(buf.data(), buf.size());
}

std::string Sha256Hex(const std::string& data) {
    EnsureSodium();
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return ToHex(out, sizeof out);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64Encode(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> Base64Decode(std::string_view b64) {
    std::string out(b64.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

}  // namespace otdel::core
