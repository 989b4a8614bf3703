// Numbers and dates as the documents print them (FormatMoney, FormatQuantity, FormatPercentBp, FormatDate). Pure.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "documents/pdf.hpp"

namespace otdel::documents {
namespace {

// U+00A0: thousands stay on one line with their number.
constexpr std::string_view kNbsp = "\xC2\xA0";

std::string Grouped(std::uint64_t whole, std::string_view sep) {
    std::string digits = std::to_string(whole);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += sep;
        out += digits[i];
    }
    return out;
}

std::uint64_t Magnitude(std::int64_t v) {
    return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

// `scale` decimals of a fixed-point value, trailing zeros dropped (at most `scale` digits).
std::string Fraction(std::uint64_t frac, int scale) {
    std::string s = std::to_string(frac);
    s.insert(0, static_cast<std::size_t>(scale) - s.size(), '0');
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
}

}  // namespace

std::string FormatMoney(std::int64_t minor, core::Lang lang) {
    const std::uint64_t m = Magnitude(minor);
    const std::uint64_t cents = m % 100;
    std::string out = minor < 0 ? "-" : "";
    out += Grouped(m / 100, lang == core::Lang::kRu ? kNbsp : ",");
    out += lang == core::Lang::kRu ? ',' : '.';
    out += static_cast<char>('0' + cents / 10);
    out += static_cast<char>('0' + cents % 10);
    return out;
}

std::string FormatQuantity(std::int64_t milli, core::Lang lang) {
    const std::uint64_t m = Magnitude(milli);
    std::string out = milli < 0 ? "-" : "";
    out += Grouped(m / 1000, lang == core::Lang::kRu ? kNbsp : ",");
    if (std::string frac = Fraction(m % 1000, 3); !frac.empty()) {
        out += lang == core::Lang::kRu ? ',' : '.';
        out += frac;
    }
    return out;
}

std::string FormatPercentBp(std::int64_t bp, core::Lang lang) {
    const std::uint64_t m = Magnitude(bp);
    std::string out = bp < 0 ? "-" : "";
    out += std::to_string(m / 100);
    if (std::string frac = Fraction(m % 100, 2); !frac.empty()) {
        out += lang == core::Lang::kRu ? ',' : '.';
        out += frac;
    }
    return out;
}

std::string FormatDate(std::string_view iso_day, core::Lang lang) {
    const bool shaped = iso_day.size() == 10 && iso_day[4] == '-' && iso_day[7] == '-' &&
                        std::all_of(iso_day.begin(), iso_day.end(),
                                    [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
    if (!shaped || lang == core::Lang::kEn) return std::string(iso_day);
    std::string out;
    out.append(iso_day.substr(8, 2)).append(".").append(iso_day.substr(5, 2)).append(".").append(iso_day.substr(0, 4));
    return out;
}

}  // namespace otdel::documents
