#include "agenda/api_params.hpp"

#include <cstdlib>

namespace otdel::agenda::api {

core::Result<std::optional<core::Id>> IdParam(const http::Request& req, const std::string& name) {
    auto v = req.Query(name);
    if (!v) return std::optional<core::Id>();
    if (*v == "me") return std::optional<core::Id>(req.actor.user_id);
    char* end = nullptr;
    const long long id = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || id < 1)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{name, "invalid", ""}}, 0};
    return std::optional<core::Id>(id);
}

}  // namespace otdel::agenda::api
