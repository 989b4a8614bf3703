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
    /// A signed-in caller (kUser with a session, kApiToken with a token).
    static Actor SignedIn(ActorKind kind, Id workspace_id, Id user_id, bool is_admin, Lang lang, std::string request_id,
                          std::string ip, std::string credential_id) {
        Actor a;
        a.kind = kind;
        a.workspace_id = workspace_id;
        a.user_id = user_id;
        a.is_admin = is_admin;
        a.lang = lang;
        a.request_id = std::move(request_id);
        a.ip = std::move(ip);
        a.credential_id = std::move(credential_id);
        return a;
    }
    static Actor System(Id workspace_id) {
        Actor a;
        a.kind = ActorKind::kSystem;
        a.workspace_id = workspace_id;
        return a;
    }
};

}  // namespace otdel::core
