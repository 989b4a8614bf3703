#include "intake/mail_message.hpp"

#include <vmime/vmime.hpp>

#include <algorithm>
#include <cctype>

#include "intake/form_submission.hpp"

namespace otdel::intake {
namespace {

constexpr std::size_t kMaxText = 20000;

std::string Lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string Trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

/// Cuts at a character boundary.
std::string Clip(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s;
}

std::string Squeeze(const std::string& text) {
    std::string out;
    int newlines = 0;
    for (char c : text) {
        if (c == '\r') continue;
        if (c == '\n') {
            if (++newlines > 2) continue;
        } else if (c != ' ' && c != '\t') {
            newlines = 0;
        }
        out += c;
    }
    return Trim(out);
}

std::string ToUtf8(const std::string& in, const vmime::charset& from) {
    if (from == vmime::charsets::UTF_8 || from == vmime::charsets::US_ASCII) return SanitizeUtf8(in);
    try {
        std::string out;
        vmime::charset::convert(in, out, from, vmime::charset(vmime::charsets::UTF_8));
        return SanitizeUtf8(out);
    } catch (const std::exception&) {
        return SanitizeUtf8(in);
    }
}

std::string Extract(const vmime::contentHandler& body) {
    std::string s;
    vmime::utility::outputStreamStringAdapter os(s);
    body.extract(os);
    return s;
}

}  // namespace

std::string SanitizeUtf8(std::string_view s) {
    if (IsValidUtf8(s)) return std::string(s);
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len > 0 && i + len <= s.size() && IsValidUtf8(s.substr(i, len))) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string HtmlToText(std::string_view html) {
    std::string out;
    std::size_t i = 0;
    while (i < html.size()) {
        if (html[i] == '<') {
            const std::size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;
            std::string tag = Lower(std::string(html.substr(i + 1, close - i - 1)));
            const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n/"));
            if (name == "script" || name == "style") {
                const std::size_t end = Lower(std::string(html.substr(close))).find("</" + name);
                i = end == std::string::npos ? html.size() : close + end;
                const std::size_t gt = html.find('>', i);
                i = gt == std::string_view::npos ? html.size() : gt + 1;
                continue;
            }
            if (name == "br" || name == "p" || name == "/p" || name == "div" || name == "/div" || name == "tr" ||
                name == "li" || name == "/h1" || name == "/h2" || name == "/h3")
                out += '\n';
            i = close + 1;
            continue;
        }
        if (html[i] == '&') {
            static const std::pair<std::string_view, std::string_view> kEntities[] = {
                {"&nbsp;", " "}, {"&amp;", "&"},   {"&lt;", "<"},    {"&gt;", ">"},    {"&quot;", "\""},
                {"&#39;", "'"},  {"&laquo;", "«"}, {"&raquo;", "»"}, {"&mdash;", "—"}, {"&ndash;", "–"}};
            bool matched = false;
            for (const auto& [e, v] : kEntities) {
                if (html.substr(i, e.size()) == e) {
                    out += v;
                    i += e.size();
                    matched = true;
                    break;
                }
            }
            if (matched) continue;
        }
        out += (html[i] == '\r' || html[i] == '\n' || html[i] == '\t') ? ' ' : html[i];
        ++i;
    }
    return Squeeze(out);
}

MailMessage ParseMail(std::string_view raw) {
    MailMessage m;
    try {
        vmime::message msg;
        msg.parse(std::string(raw));
        auto hdr = msg.getHeader();
        if (hdr->hasField(vmime::fields::FROM)) {
            auto from = hdr->From()->getValue<vmime::mailbox>();
            if (from) {
                m.from_email = Lower(from->getEmail().toString());
                m.from_name = Trim(from->getName().getConvertedText(vmime::charsets::UTF_8));
            }
        }
        if (hdr->hasField(vmime::fields::SUBJECT))
            m.subject = Trim(hdr->Subject()->getValue<vmime::text>()->getConvertedText(vmime::charsets::UTF_8));
        if (hdr->hasField(vmime::fields::MESSAGE_ID))
            m.message_id = hdr->MessageId()->getValue<vmime::messageId>()->getId();
        if (hdr->hasField(vmime::fields::DATE)) {
            auto d = hdr->Date()->getValue<vmime::datetime>();
            if (d) {
                const vmime::datetime utc = vmime::utility::datetimeUtils::toUniversalTime(*d);
                const auto days = [](int y, unsigned mo, unsigned da) {  // days from civil (H. Hinnant)
                    y -= mo <= 2;
                    const int era = (y >= 0 ? y : y - 399) / 400;
                    const unsigned yoe = static_cast<unsigned>(y - era * 400);
                    const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + da - 1;
                    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
                    return era * 146097 + static_cast<int>(doe) - 719468;
                };
                const long long secs = static_cast<long long>(days(utc.getYear(), static_cast<unsigned>(utc.getMonth()),
                                                                   static_cast<unsigned>(utc.getDay()))) *
                                           86400 +
                                       utc.getHour() * 3600 + utc.getMinute() * 60 + utc.getSecond();
                if (utc.getYear() > 1971) m.date = secs * 1000;
            }
        }
        vmime::messageParser parser(vmime::make_shared<vmime::message>(msg));
        std::string plain, html;
        for (const auto& part : parser.getTextPartList()) {
            const vmime::mediaType type = part->getType();
            if (type.getSubType() == vmime::mediaTypes::TEXT_HTML) {
                auto htp = vmime::dynamicCast<const vmime::htmlTextPart>(part);
                if (plain.empty() && htp && htp->getPlainText() && !htp->getPlainText()->isEmpty())
                    plain = ToUtf8(Extract(*htp->getPlainText()), htp->getCharset());
                if (html.empty()) html = ToUtf8(Extract(*part->getText()), part->getCharset());
            } else if (plain.empty()) {
                plain = ToUtf8(Extract(*part->getText()), part->getCharset());
            }
        }
        m.text = !Trim(plain).empty() ? Squeeze(plain) : HtmlToText(html);
        if (m.text.empty() && parser.getTextPartList().empty() && msg.getBody()->getPartCount() == 0) {
            // A single non-text body (or none we recognise): keep what is there rather than nothing.
            m.text = SanitizeUtf8(Extract(*msg.getBody()->getContents()));
            m.text = Squeeze(m.text);
        }
        // Decoding that produced nothing readable (a wrong transfer encoding, an unknown charset): keep the raw
        // message instead, so no request is lost to a broken sender.
        if (Trim(m.text).empty() || m.text.find("\xEF\xBF\xBD") != std::string::npos) {
            m.parsed = false;
            m.text = Squeeze(SanitizeUtf8(raw));
        }
        m.text = Clip(m.text, kMaxText);
        m.subject = Clip(SanitizeUtf8(m.subject), 500);
        m.from_name = Clip(SanitizeUtf8(m.from_name), 300);
        if (m.from_email.find('@') == std::string::npos || m.from_email.find('@') == 0 || m.from_email.back() == '@' ||
            m.from_email == "invalid@invalid")  // vmime's stand-in for none
            m.from_email.clear();
    } catch (const std::exception&) {
        m = MailMessage{};
        m.parsed = false;
        m.text = Clip(SanitizeUtf8(raw), kMaxText);
    }
    return m;
}

}  // namespace otdel::intake
