#pragma once
/// Who is acting: filled by authentication, read by services and the audit log.
#include <string>

#include "core/ids.hpp"
#include "core/lang.hpp"

namespace otdel::core {

enum class ActorKind { kAnonymous, kUser, kApiToken, kSystem };

struct Actor {
    ActorKind kind = ActorKind::kAnonymous;
    Id workspace_id = 0;
    Id user_id = 0;
    bool is_admin = false;
    Lang lang = Lang::kRu;
    std::string request_id;
    std::string ip;
    /// Session id hash (cookie sessions) or token id (API tokens), for logout and audit.
    std::string credential_id;

    bool authenticated() const { return kind == ActorKind::kUser || kind == ActorKind::kApiToken; }
    static Actor System(Id workspace_id) {
        Actor a;
        a.kind = ActorKind::kSystem;
        a.workspace_id = workspace_id;
        return a;
    }
};

}  // namespace otdel::core
