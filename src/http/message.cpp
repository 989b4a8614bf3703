#include "http/message.hpp"

namespace otdel::http {

std::optional<std::string> Request::Cookie(std::string_view name) const {
    std::string_view h = Header("cookie");
    std::size_t pos = 0;
    while (pos < h.size()) {
        auto end = h.find(';', pos);
        if (end == std::string_view::npos) end = h.size();
        auto item = h.substr(pos, end - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        auto eq = item.find('=');
        if (eq != std::string_view::npos && item.substr(0, eq) == name) return std::string(item.substr(eq + 1));
        pos = end + 1;
    }
    return std::nullopt;
}

}  // namespace otdel::http
