#pragma once
/// Small text helpers shared by the rooms.
#include <string>
#include <string_view>

namespace otdel::core {

/// `s` without leading and trailing ASCII white space (space, tab, CR, LF, vertical tab, form feed).
inline std::string_view TrimView(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n\v\f";
    const auto b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

inline std::string Trim(std::string_view s) {
    return std::string(TrimView(s));
}

}  // namespace otdel::core
