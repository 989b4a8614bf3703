#include "http/router.hpp"

#include <algorithm>

namespace otdel::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto next = path.find('/', pos);
        if (next == std::string_view::npos) next = path.size();
        if (next > pos) out.push_back(path.substr(pos, next - pos));
        pos = next + 1;
    }
    return out;
}

bool IsParam(std::string_view seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

bool PatternMatches(std::string_view pattern, std::string_view path) {
    const auto segments = Split(pattern), parts = Split(path);
    if (segments.size() != parts.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (!IsParam(segments[i]) && segments[i] != parts[i]) return false;
    return true;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
    Route r{std::move(method), std::move(pattern), access, std::move(handler), {}};
    for (auto s : Split(r.pattern)) r.segments.emplace_back(s);
    routes_.push_back(std::move(r));
}

RouteMatch Router::Match(std::string_view method, std::string_view path,
                         std::unordered_map<std::string, std::string>& params) const {
    RouteMatch result;
    const auto parts = Split(path);
    // Literal segments beat parameters: /api-tokens/current before /api-tokens/{id}.
    int best_score = -1;
    for (const auto& r : routes_) {
        if (r.segments.size() != parts.size()) continue;
        int score = 0;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            if (IsParam(r.segments[i])) continue;
            if (r.segments[i] != parts[i])
                ok = false;
            else
                ++score;
        }
        if (!ok) continue;
        result.path_exists = true;
        bool method_ok = r.method == method || (method == "HEAD" && r.method == "GET");
        if (!method_ok) {
            if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), r.method) ==
                result.allowed_methods.end())
                result.allowed_methods.push_back(r.method);
            continue;
        }
        if (score > best_score) {
            best_score = score;
            result.route = &r;
        }
    }
    if (result.route) {
        params.clear();
        for (std::size_t i = 0; i < parts.size(); ++i)
            if (IsParam(result.route->segments[i]))
                params[result.route->segments[i].substr(1, result.route->segments[i].size() - 2)] =
                    std::string(parts[i]);
    }
    return result;
}

}  // namespace otdel::http
