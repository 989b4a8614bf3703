#pragma once
/// An incoming e-mail as lead intake needs it: sender, subject, Message-ID, date and readable text in UTF-8.
/// Parsed with libvmime; never throws — a message vmime cannot make sense of comes back with its raw text.
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace otdel::intake {

struct MailMessage {
    std::string from_name;
    std::string from_email;  // lower-cased
    std::string subject;
    std::string message_id;  // without angle brackets
    core::Millis date = 0;
    /// text/plain preferred; HTML reduced to text; decoded from its charset (cp1251, koi8-r…) to UTF-8.
    std::string text;
    /// False when the MIME structure could not be read: `text` is then the raw message made valid UTF-8.
    bool parsed = true;
};

MailMessage ParseMail(std::string_view raw);

/// Text of an HTML body: tags dropped (script/style with their content), block ends as new lines, the common
/// entities decoded, runs of blank lines squeezed.
std::string HtmlToText(std::string_view html);

/// Replaces invalid UTF-8 sequences with U+FFFD.
std::string SanitizeUtf8(std::string_view s);

}  // namespace otdel::intake
