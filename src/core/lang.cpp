#include "core/lang.hpp"

#include <cctype>
#include <string>

namespace otdel::core {

std::string_view LangTag(Lang lang) {
    return lang == Lang::kEn ? "en" : "ru";
}

bool IsSupportedLang(std::string_view tag) {
    return tag == "ru" || tag == "en";
}

Lang ParseLang(std::string_view header) {
    // Accept-Language lists tags in preference order (q-values are almost always descending in practice);
    // the first tag whose primary subtag we speak wins.
    std::size_t pos = 0;
    while (pos < header.size()) {
        std::size_t end = header.find(',', pos);
        if (end == std::string_view::npos) end = header.size();
        std::string_view item = header.substr(pos, end - pos);
        std::string primary;
        for (char c : item) {
            if (c == '-' || c == '_' || c == ';' || c == ' ') {
                if (!primary.empty()) break;
                continue;
            }
            primary.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        if (primary == "ru") return Lang::kRu;
        if (primary == "en") return Lang::kEn;
        pos = end + 1;
    }
    return Lang::kRu;
}

}  // namespace otdel::core
