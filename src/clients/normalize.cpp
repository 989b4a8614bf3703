#include "clients/normalize.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace otdel::clients {
namespace pn = i18n::phonenumbers;

namespace {

bool AllDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

int Digit(char c) {
    return c - '0';
}

// Sum of digit * weight over the first weights.size() digits.
template <std::size_t N>
int Weighted(std::string_view digits, const std::array<int, N>& weights) {
    int sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += Digit(digits[i]) * weights[i];
    return sum;
}

// The account control key: 23 digits (3 from the BIK + the 20-digit account) weighted 7,1,3,... sum to 0 mod 10.
bool AccountKeyOk(std::string_view prefix3, std::string_view account) {
    if (prefix3.size() != 3 || !AllDigits(prefix3) || account.size() != 20 || !AllDigits(account)) return false;
    static constexpr std::array<int, 3> kW = {7, 1, 3};
    const std::string all = std::string(prefix3) + std::string(account);
    int sum = 0;
    for (std::size_t i = 0; i < all.size(); ++i) sum += (Digit(all[i]) * kW[i % 3]) % 10;
    return sum % 10 == 0;
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

namespace {

// One strict reading of a phone: enough digits, parsed by libphonenumber, valid (zone 7) or possible (elsewhere),
// without its extension.
std::optional<Phone> ReadPhone(std::string_view raw, std::string_view default_region) {
    raw = Trim(raw);
    // A phone has at least a few digits; libphonenumber would otherwise try hard on arbitrary text.
    int digits = 0;
    for (char c : raw)
        if (c >= '0' && c <= '9') ++digits;
    if (digits < 5 || digits > 20 || raw.size() > 64) return std::nullopt;
    const pn::PhoneNumberUtil* util = pn::PhoneNumberUtil::GetInstance();
    pn::PhoneNumber number;
    if (util->Parse(std::string(raw), std::string(default_region), &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    // Russian numbers (and the rest of zone 7) must be valid against the numbering plan: dedupe and SLA calls
    // depend on them. Elsewhere a possible length is enough; metadata for far-away plans ages faster.
    const bool ok = number.country_code() == 7 ? util->IsValidNumber(number) : util->IsPossibleNumber(number);
    if (!ok) return std::nullopt;
    number.clear_extension();
    Phone p;
    util->Format(number, pn::PhoneNumberUtil::E164, &p.e164);
    p.country_code = number.country_code();
    util->GetNationalSignificantNumber(number, &p.national);
    return p;
}

// The common Russian spellings read without libphonenumber's parser: "+7 (912) 345-67-89", "8 912 345 67 89",
// "79123456789", "(912) 345-67-89" — digits, spaces, dashes and brackets only, a '+' only in front, 11 digits after
// "+7", 11 digits starting with 7 or 8 (not the international prefix 810), or 10 digits starting with 3, 4, 8 or 9.
// For exactly these the parser ends in country code 7 with the last 10 digits as the national number (it strips
// the country code or trunk prefix 8 and nothing else), so building that number and asking the numbering plan gives
// the same reading as ReadPhone at a fraction of the cost (a parse is ~36 µs; the validity check a few). Its E.164
// form "+7" + 10 digits is again such a spelling, so the reading is a fixed point by construction.
// nullopt: not such a spelling (the caller parses); otherwise the reading, itself nullopt for an invalid number.
std::optional<std::optional<Phone>> ReadRussianSpelling(std::string_view raw) {
    char digits[12];
    std::size_t n = 0;
    bool plus = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c >= '0' && c <= '9') {
            if (n == sizeof digits) return std::nullopt;
            digits[n++] = c;
        } else if (c == '+' && i == 0) {
            plus = true;
        } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    std::string_view d(digits, n), national;
    if (plus) {
        if (n != 11 || d[0] != '7') return std::nullopt;
        national = d.substr(1);
    } else if (n == 11 && (d[0] == '7' || (d[0] == '8' && d.substr(0, 3) != "810"))) {
        national = d.substr(1);
    } else if (n == 10 && (d[0] == '3' || d[0] == '4' || d[0] == '8' || d[0] == '9')) {
        national = d;
    } else {
        return std::nullopt;
    }
    if (national[0] < '3') return std::nullopt;  // no Russian or Kazakh number starts so; leave it to the parser
    pn::PhoneNumber number;
    number.set_country_code(7);
    std::uint64_t value = 0;
    for (char c : national) value = value * 10 + static_cast<std::uint64_t>(c - '0');
    number.set_national_number(value);
    if (!pn::PhoneNumberUtil::GetInstance()->IsValidNumber(number)) return std::optional<Phone>();
    Phone p;
    p.e164 = "+7";
    p.e164.append(national);
    p.country_code = 7;
    p.national = std::string(national);
    return std::optional<Phone>(std::move(p));
}

// The full reading: libphonenumber's parse, then the fixed-point check (a second parse of the E.164 text).
std::optional<Phone> ReadPhoneChecked(std::string_view raw, std::string_view default_region) {
    auto p = ReadPhone(raw, default_region);
    if (!p) return std::nullopt;
    // Dedupe needs the E.164 form to be a fixed point. Letters read as keypad digits, a stray '+' inside the text
    // or a national prefix kept after the country code can yield a number that does not read back as itself
    // ("Ivafro+4 (9 45-E,12)" -> "+4945", "+64007470074" -> "+6407470074" -> "+647470074"): refuse those.
    auto again = ReadPhone(p->e164, default_region);
    if (!again || again->e164 != p->e164) return std::nullopt;
    return p;
}

}  // namespace

namespace {

/// Recent readings of this thread. libphonenumber's parse is the dearest step of an intake item, and one item reads
/// the same number several times (normalise, dedupe lookup, search document — the last two from its E.164 form).
/// The reading is a pure function of (region, text), so a bounded cache cannot change a result.
class PhoneMemo {
public:
    const std::optional<Phone>* Find(const std::string& key) const {
        auto it = map_.find(key);
        return it == map_.end() ? nullptr : &it->second;
    }
    void Put(std::string key, std::optional<Phone> value) {
        if (map_.size() >= kMax) map_.clear();
        map_.insert_or_assign(std::move(key), std::move(value));
    }

private:
    static constexpr std::size_t kMax = 4096;
    std::unordered_map<std::string, std::optional<Phone>> map_;
};

std::string MemoKey(std::string_view region, std::string_view raw) {
    std::string key(region);
    key.push_back('\n');
    key.append(raw);
    return key;
}

}  // namespace

std::optional<Phone> NormalizePhone(std::string_view raw, std::string_view default_region) {
    raw = Trim(raw);
    if (raw.size() > 64) return std::nullopt;  // as ReadPhone: not a phone, and not worth remembering
    thread_local PhoneMemo memo;
    std::string key = MemoKey(default_region, raw);
    if (const auto* hit = memo.Find(key)) return *hit;
    std::optional<Phone> result;
    if (auto fast = default_region == "RU" ? ReadRussianSpelling(raw) : std::nullopt) {
        result = std::move(*fast);
    } else {
        result = ReadPhoneChecked(raw, default_region);
    }
    // The E.164 text reads back as itself, so it normalises to this same reading: remember it too.
    if (result) memo.Put(MemoKey(default_region, result->e164), result);
    memo.Put(std::move(key), result);
    return result;
}

std::optional<Phone> NormalizePhoneByParser(std::string_view raw, std::string_view default_region) {
    raw = Trim(raw);
    if (raw.size() > 64) return std::nullopt;
    return ReadPhoneChecked(raw, default_region);
}

std::string PhoneSearchTerms(const Phone& p) {
    std::string out = p.e164 + " " + p.e164.substr(1) + " ";
    if (p.country_code == 7) out += "8" + p.national + " ";
    out += p.national;
    return out;
}

std::optional<std::string> NormalizeEmail(std::string_view raw) {
    raw = Trim(raw);
    if (raw.size() < 3 || raw.size() > 254) return std::nullopt;
    const auto at = raw.find('@');
    if (at == std::string_view::npos || at == 0 || raw.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    std::string out;
    out.reserve(raw.size());
    for (char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) || u < 0x20 || c == ',' || c == ';' || c == '<' || c == '>' || c == '"' || c == '(' ||
            c == ')')
            return std::nullopt;
        out.push_back(u < 0x80 ? static_cast<char>(std::tolower(u)) : c);
    }
    const std::string_view local = std::string_view(out).substr(0, at);
    const std::string_view domain = std::string_view(out).substr(at + 1);
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return std::nullopt;
    const auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 3 > domain.size() || domain.front() == '.' ||
        domain.find("..") != std::string_view::npos || domain.front() == '-' || domain.back() == '-')
        return std::nullopt;
    return out;
}

std::string DigitsOnly(std::string_view raw) {
    std::string out;
    for (char c : raw)
        if (c >= '0' && c <= '9') out.push_back(c);
    return out;
}

bool IsValidInn(std::string_view inn) {
    if (!AllDigits(inn)) return false;
    if (inn.size() == 10) {
        static constexpr std::array<int, 9> kW = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        return Weighted(inn, kW) % 11 % 10 == Digit(inn[9]);
    }
    if (inn.size() == 12) {
        static constexpr std::array<int, 10> kW11 = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
        static constexpr std::array<int, 11> kW12 = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
        return Weighted(inn, kW11) % 11 % 10 == Digit(inn[10]) && Weighted(inn, kW12) % 11 % 10 == Digit(inn[11]);
    }
    return false;
}

bool IsValidKpp(std::string_view kpp) {
    if (kpp.size() != 9) return false;
    for (std::size_t i = 0; i < 9; ++i) {
        const char c = kpp[i];
        const bool digit = c >= '0' && c <= '9';
        if (i == 4 || i == 5) {
            if (!digit && !(c >= 'A' && c <= 'Z')) return false;
        } else if (!digit) {
            return false;
        }
    }
    return true;
}

bool IsValidOgrn(std::string_view ogrn) {
    if (!AllDigits(ogrn) || (ogrn.size() != 13 && ogrn.size() != 15)) return false;
    const std::size_t body = ogrn.size() - 1;
    const unsigned long long modulus = ogrn.size() == 13 ? 11 : 13;
    // Up to 14 digits fit in 64 bits; take the remainder digit by digit anyway to stay obvious.
    unsigned long long rem = 0;
    for (std::size_t i = 0; i < body; ++i) rem = (rem * 10 + static_cast<unsigned>(Digit(ogrn[i]))) % modulus;
    return static_cast<int>(rem % 10) == Digit(ogrn[body]);
}

bool IsValidBik(std::string_view bik) {
    return bik.size() == 9 && AllDigits(bik) && bik[0] == '0' && (bik[1] == '4' || bik[1] == '1' || bik[1] == '2');
}

bool IsValidAccount(std::string_view account, std::string_view bik) {
    return IsValidBik(bik) && AccountKeyOk(bik.substr(6, 3), account);
}

bool IsValidCorrAccount(std::string_view corr_account, std::string_view bik) {
    return IsValidBik(bik) && AccountKeyOk(std::string("0") + std::string(bik.substr(4, 2)), corr_account);
}

}  // namespace otdel::clients
