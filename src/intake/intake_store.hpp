#pragma once
/// SQL of the intake room: forms, channels, the webhook replay guard and the Idempotency-Key store.
/// Settings rows are not business records (no owner): they are scoped by workspace and guarded by the service's
/// settings permission instead of the visibility predicate.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace otdel::intake::store {

struct FormRow {
    core::Id workspace_id = 0;
    core::Id id = 0;
    std::string name;
    std::string public_key;
    std::string allowed_origins = "[]";  // JSON array text
    std::string honeypot_field = "website";
    int rate_per_ip_per_min = 10;
    int rate_per_key_per_min = 600;
    std::string campaign;
    std::optional<core::Id> default_owner_user_id;
    std::string success_url;
    bool active = true;
    core::Millis created_at = 0;
    core::Millis updated_at = 0;
};

struct ChannelRow {
    core::Id workspace_id = 0;
    core::Id id = 0;
    std::string kind;
    std::string name;
    std::string public_token;
    std::string secret;
    std::string config = "{}";
    std::string poll_cursor = "{}";
    std::optional<core::Id> default_owner_user_id;
    std::string last_error;
    std::optional<core::Millis> last_polled_at;
    bool active = true;
    core::Millis created_at = 0;
    core::Millis updated_at = 0;
};

core::Id InsertForm(soci::session& sql, const FormRow& f);
std::optional<FormRow> SelectForm(soci::session& sql, core::Id ws, core::Id id);
std::optional<FormRow> SelectFormByKey(soci::session& sql, const std::string& public_key);
std::vector<FormRow> ListForms(soci::session& sql, core::Id ws, core::Id after_id, int limit);
void UpdateForm(soci::session& sql, const FormRow& f);
bool DeleteForm(soci::session& sql, core::Id ws, core::Id id);

core::Id InsertChannel(soci::session& sql, const ChannelRow& c);
std::optional<ChannelRow> SelectChannel(soci::session& sql, core::Id ws, core::Id id);
std::optional<ChannelRow> SelectChannelByToken(soci::session& sql, const std::string& token);
std::vector<ChannelRow> ListChannels(soci::session& sql, core::Id ws, core::Id after_id, int limit);
/// Active IMAP channels of every workspace (the poller's schedule).
std::vector<ChannelRow> ListActiveImapChannels(soci::session& sql);
void UpdateChannel(soci::session& sql, const ChannelRow& c);
bool DeleteChannel(soci::session& sql, core::Id ws, core::Id id);
/// The poller's bookkeeping: cursor, error text and time of the last attempt.
void UpdatePollState(soci::session& sql, core::Id ws, core::Id id, const std::string& cursor,
                     const std::string& last_error, core::Millis at);

/// Moves a pending job of `kind` with `dedupe_key` to `at` (and its payload) when it is due later: a mailbox whose
/// settings changed is polled now, not after its back-off.
void PullPendingJobForward(soci::session& sql, core::Id ws, const std::string& kind, const std::string& dedupe_key,
                           core::Millis at, const std::string& payload);

/// Records a (channel, nonce); false when it was already there (a replay).
bool InsertReplay(soci::session& sql, core::Id ws, core::Id channel_id, const std::string& nonce, core::Millis at);
void DeleteReplay(soci::session& sql, core::Id ws, core::Id channel_id, const std::string& nonce);
long long PruneReplay(soci::session& sql, core::Millis before);

struct IdempotentAnswer {
    std::string request_hash;
    int status = 0;
    std::string response;
};
std::optional<IdempotentAnswer> SelectIdempotent(soci::session& sql, core::Id ws, const std::string& scope,
                                                 const std::string& key);
/// Stores the first answer; false when a concurrent request stored one first.
bool InsertIdempotent(soci::session& sql, core::Id ws, const std::string& scope, const std::string& key,
                      const IdempotentAnswer& a, core::Millis at);
long long PruneIdempotent(soci::session& sql, core::Millis before);

}  // namespace otdel::intake::store
