#include "imports/text_encoding.hpp"

#include <unicode/ucnv.h>

#include <array>
#include <cctype>

namespace otdel::imports {
namespace {

// UTF-8 bytes of each cp1251 byte 0x80..0xFF ("" where cp1251 has no character).
using Table = std::array<std::string, 128>;

Table BuildTable() {
    Table t;
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open("windows-1251", &status);
    if (U_FAILURE(status)) return t;
    // Substitution would hide the undefined byte: stop on it instead.
    ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    for (int b = 0x80; b <= 0xFF; ++b) {
        const char in[1] = {static_cast<char>(b)};
        UChar u[4];
        status = U_ZERO_ERROR;
        ucnv_resetToUnicode(conv);
        const int32_t n = ucnv_toUChars(conv, u, 4, in, 1, &status);
        if (U_FAILURE(status) || n != 1) continue;
        const unsigned cp = u[0];
        if (cp >= 0x80 && cp <= 0x9F) continue;  // C1 controls: what converters put for the byte cp1251 lacks
        std::string& out = t[b - 0x80];
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    ucnv_close(conv);
    return t;
}

const Table& Cp1251Table() {
    static const Table t = BuildTable();
    return t;
}

// Length of the valid UTF-8 sequence at s[i], 0 when invalid, -1 when truncated by the end of `s`.
int SeqLen(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    int n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    for (int k = 1; k < n; ++k) {
        if (i + k >= s.size()) return -1;
        const auto d = static_cast<unsigned char>(s[i + k]);
        if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return 0;
    }
    return n;
}

}  // namespace

bool IsValidUtf8(std::string_view s, bool allow_truncated_tail) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Fast path over ASCII.
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const int n = SeqLen(s, i);
        if (n == 0) return false;
        if (n < 0) return allow_truncated_tail;
        i += static_cast<std::size_t>(n);
    }
    return true;
}

bool LooksLikeUtf8Text(std::string_view s) {
    bool multibyte = false;
    for (std::size_t i = 0; i < s.size();) {
        const int n = SeqLen(s, i);
        if (n <= 0) return false;
        if (n > 1) multibyte = true;
        i += static_cast<std::size_t>(n);
    }
    return multibyte;
}

bool AppendCp1251AsUtf8(std::string_view s, std::string& out) {
    const Table& t = Cp1251Table();
    bool ok = true;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else if (const std::string& u = t[c - 0x80]; !u.empty()) {
            out += u;
        } else {
            out += "\xEF\xBF\xBD";
            ok = false;
        }
    }
    return ok;
}

std::string DetectEncoding(std::string_view sample) {
    if (IsValidUtf8(sample, true)) return "utf-8";
    // Both kinds of lines: the majority decides, so one stray line does not turn a whole file into mojibake.
    int utf8_lines = 0, bad_lines = 0;
    while (!sample.empty()) {
        const std::size_t nl = sample.find('\n');
        const bool last = nl == std::string_view::npos;
        const std::string_view line = sample.substr(0, last ? sample.size() : nl);
        sample.remove_prefix(last ? sample.size() : nl + 1);
        if (!IsValidUtf8(line, last)) {
            ++bad_lines;
        } else if (LooksLikeUtf8Text(line)) {
            ++utf8_lines;
        }
    }
    return utf8_lines > bad_lines ? "utf-8" : "cp1251";
}

std::string CanonicalEncoding(std::string_view name) {
    std::string n;
    for (char c : name) {
        if (c != '-' && c != '_' && c != ' ')
            n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (n == "utf8") return "utf-8";
    if (n == "cp1251" || n == "windows1251" || n == "win1251") return "cp1251";
    return "";
}

}  // namespace otdel::imports
