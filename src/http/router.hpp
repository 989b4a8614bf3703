#pragma once
/// Router: method + path pattern with {params} -> handler, with an access policy per route.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace otdel::http {

/// Who may call a route. The guard installed by auth/ enforces it before the handler runs.
enum class Access {
    kPublic,  // anyone; the guard may still identify the caller
    kUser,    // a signed-in user or API token
    kAdmin,   // a workspace administrator
};

using Handler = std::function<Response(Request&)>;

struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/api-tokens/{id}"
    Access access = Access::kUser;
    Handler handler;
    std::vector<std::string> segments;  // split pattern
};

struct RouteMatch {
    const Route* route = nullptr;
    bool path_exists = false;  // some route has this path, but another method (-> 405)
    std::vector<std::string> allowed_methods;
};

/// Whether `path` fits a route pattern ("/api/v1/contracts/{id}/file"): the same segments, a "{name}" one matching
/// any segment. What Match does for each route, for lists of patterns kept elsewhere (the server's body limits).
bool PatternMatches(std::string_view pattern, std::string_view path);

class Router {
public:
    void Add(std::string method, std::string pattern, Access access, Handler handler);
    void Get(std::string pattern, Access access, Handler h) { Add("GET", std::move(pattern), access, std::move(h)); }
    void Post(std::string pattern, Access access, Handler h) { Add("POST", std::move(pattern), access, std::move(h)); }
    void Patch(std::string pattern, Access access, Handler h) {
        Add("PATCH", std::move(pattern), access, std::move(h));
    }
    void Put(std::string pattern, Access access, Handler h) { Add("PUT", std::move(pattern), access, std::move(h)); }
    void Delete(std::string pattern, Access access, Handler h) {
        Add("DELETE", std::move(pattern), access, std::move(h));
    }

    /// Finds the route for method+path and fills `params`.
    RouteMatch Match(std::string_view method, std::string_view path,
                     std::unordered_map<std::string, std::string>& params) const;

private:
    std::vector<Route> routes_;
};

}  // namespace otdel::http
