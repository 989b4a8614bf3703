// Phone, e-mail and registration-number normalisers: no crash on any text, and their outputs are fixed points
// (normalising a normalised value gives it back), which is what dedupe relies on.
#include <cstdint>
#include <string>

#include "clients/normalize.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string s(reinterpret_cast<const char*>(data), size);
    namespace c = otdel::clients;
    if (auto p = c::NormalizePhone(s)) {
        FUZZ_CHECK(p->e164.size() > 1 && p->e164[0] == '+');
        for (std::size_t i = 1; i < p->e164.size(); ++i) FUZZ_CHECK(p->e164[i] >= '0' && p->e164[i] <= '9');
        auto again = c::NormalizePhone(p->e164);
        FUZZ_CHECK(again && again->e164 == p->e164);
        (void)c::PhoneSearchTerms(*p);
    }
    (void)c::NormalizePhone(s, "US");
    if (auto e = c::NormalizeEmail(s)) {
        FUZZ_CHECK(e->find('@') != std::string::npos);
        auto again = c::NormalizeEmail(*e);
        FUZZ_CHECK(again && *again == *e);
    }
    const std::string digits = c::DigitsOnly(s);
    for (char ch : digits) FUZZ_CHECK(ch >= '0' && ch <= '9');
    (void)c::IsValidInn(digits);
    (void)c::IsValidInn(s);
    (void)c::IsValidKpp(s);
    (void)c::IsValidOgrn(digits);
    (void)c::IsValidBik(digits);
    const std::size_t half = s.size() / 2;
    (void)c::IsValidAccount(s.substr(0, half), s.substr(half));
    (void)c::IsValidCorrAccount(s.substr(0, half), s.substr(half));
    return 0;
}
