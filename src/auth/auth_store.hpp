#pragma once
/// SQL of the auth room: workspaces, users, sessions and API tokens. Every function runs inside the caller's
/// session/transaction. Tenant rows are always addressed with their workspace_id, except the three lookups that
/// establish the workspace in the first place: a user by e-mail at sign-in (e-mails are unique across
/// workspaces), a session by its hashed id and an API token by its hash.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/account.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::auth::store {

using WorkspaceRow = Workspace;
using UserRow = User;
using ApiTokenRow = ApiToken;

/// A session with the facts about its user that authentication needs.
struct SessionRow {
    std::string id;  // Sha256Hex of the cookie token
    core::Id workspace_id = 0;
    core::Id user_id = 0;
    std::string csrf_token;
    core::Millis created_at = 0, last_seen_at = 0, expires_at = 0;
    std::optional<core::Millis> revoked_at;
    std::string user_status, user_locale;
    bool user_is_admin = false;
};

struct NewSessionRow {
    std::string id, csrf_token, ip, user_agent;
    core::Id workspace_id = 0, user_id = 0;
    core::Millis created_at = 0, expires_at = 0;
};

/// An API token found by its hash, with its user's facts.
struct TokenAuthRow {
    ApiTokenRow token;
    std::string user_status, user_locale;
    bool user_is_admin = false;
};

core::Id InsertWorkspace(soci::session& sql, const NewWorkspace& ws, core::Millis now);
std::optional<WorkspaceRow> SelectWorkspace(soci::session& sql, core::Id id);
std::vector<std::pair<core::Id, std::string>> ListWorkspaces(soci::session& sql);

core::Id InsertUser(soci::session& sql, const NewUser& u, const std::string& password_hash, core::Millis now);
std::optional<UserRow> SelectUserByEmail(soci::session& sql, const std::string& email);
std::optional<UserRow> SelectUser(soci::session& sql, core::Id workspace_id, core::Id id);
/// Replaces the hash only if it is still `old_hash` (a concurrent password change wins). True when updated.
bool UpdatePasswordHashIf(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& old_hash,
                          const std::string& new_hash, core::Millis now);
void UpdatePasswordHash(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& hash,
                        core::Millis now);
void UpdateProfile(soci::session& sql, core::Id workspace_id, core::Id id, const std::string& full_name,
                   const std::string& locale, core::Millis now);
void UpdateLastLogin(soci::session& sql, core::Id workspace_id, core::Id id, core::Millis now);

void InsertSession(soci::session& sql, const NewSessionRow& s);
std::optional<SessionRow> SelectSession(soci::session& sql, const std::string& id);
/// Moves last_seen_at to `now` unless another request already did within the last minute.
void TouchSession(soci::session& sql, const std::string& id, core::Millis now, core::Millis not_after);
/// The revoking functions and UpdateProfile also forget the sessions concerned in the process's SessionCache.
/// Revokes one live session of the workspace. True when a live session was revoked.
bool RevokeSession(soci::session& sql, core::Id workspace_id, const std::string& id, core::Millis now);
/// Revokes a live session by id alone (a cookie presented again at sign-in). True when one was revoked.
bool RevokeSessionById(soci::session& sql, const std::string& id, core::Millis now);
/// Revokes every live session of a user. Returns how many.
int RevokeUserSessions(soci::session& sql, core::Id workspace_id, core::Id user_id, core::Millis now);

core::Id InsertApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id, const std::string& name,
                        const std::string& token_hash, const std::string& prefix, core::Millis now,
                        std::optional<core::Millis> expires_at);
std::optional<TokenAuthRow> SelectApiTokenByHash(soci::session& sql, const std::string& token_hash);
/// The user's live tokens (not revoked, not expired at `now`) with id < before_id, newest first.
std::vector<ApiTokenRow> ListApiTokens(soci::session& sql, core::Id workspace_id, core::Id user_id,
                                       std::optional<core::Id> before_id, int limit, core::Millis now);
/// One live (not revoked) token of the user.
std::optional<ApiTokenRow> SelectUserApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id, core::Id id);
bool RevokeApiToken(soci::session& sql, core::Id workspace_id, core::Id user_id, core::Id id, core::Millis now);
void TouchApiToken(soci::session& sql, core::Id workspace_id, core::Id id, core::Millis now, core::Millis not_after);

}  // namespace otdel::auth::store
