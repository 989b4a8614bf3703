#pragma once
/// Text encodings of uploaded files: UTF-8 validation, Windows-1251 (cp1251) to UTF-8, detection. Pure.
#include <string>
#include <string_view>

namespace otdel::imports {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
/// With `allow_truncated_tail`, an incomplete sequence at the very end is accepted (a sniffing window cut it).
bool IsValidUtf8(std::string_view s, bool allow_truncated_tail = false);

/// True when `s` holds at least one multi-byte UTF-8 sequence and is valid UTF-8: a strong sign that text in a
/// cp1251 file is in fact UTF-8 (Cyrillic cp1251 text almost never forms valid multi-byte sequences).
bool LooksLikeUtf8Text(std::string_view s);

/// Appends `s` (cp1251) to `out` as UTF-8. The table comes from ICU's windows-1251 converter, built once.
/// Returns false when `s` holds a byte cp1251 leaves undefined (0x98); it is then written as U+FFFD.
bool AppendCp1251AsUtf8(std::string_view s, std::string& out);

/// "utf-8" when the sample is valid UTF-8 (an incomplete sequence at its end allowed) or when its lines with
/// multi-byte UTF-8 outnumber the lines that are not UTF-8; else "cp1251".
std::string DetectEncoding(std::string_view sample);

/// Canonical name of an encoding given by a user ("UTF8", "windows-1251", "CP1251" ...), or "" when unknown.
std::string CanonicalEncoding(std::string_view name);

}  // namespace otdel::imports
