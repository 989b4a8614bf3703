#pragma once
#include <string_view>

namespace otdel::core {

/// Languages the product speaks. Russian is the default.
enum class Lang { kRu, kEn };

std::string_view LangTag(Lang lang);  // "ru" | "en"
/// Parses a locale tag ("ru", "en-US") or an Accept-Language header; Russian when nothing matches.
Lang ParseLang(std::string_view tag_or_header);
/// True when `tag` is exactly a supported tag ("ru" or "en").
bool IsSupportedLang(std::string_view tag);

}  // namespace otdel::core
