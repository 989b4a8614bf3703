#pragma once
/// Intake channels (LEAD-1 a–d): settings of website forms and channels (administrators and roles holding "org"
/// update), and the public side — form submissions, signed telephony / generic webhooks, Telegram updates — which
/// turns what arrived into leads::IncomingLead and hands it to the lead intake through the group committer.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "intake/intake_batcher.hpp"
#include "intake/intake_store.hpp"
#include "intake/rate_limiter.hpp"
#include "leads/lead_intake.hpp"

namespace otdel::jobs {
class Scheduler;
}

namespace otdel::intake {

/// Where accepted items go: leads::LeadIntake::AcceptBatch in production, a fake in tests.
using LeadSink =
    std::function<std::vector<core::Result<leads::IntakeOutcome>>(std::span<const leads::IncomingLead> items)>;

struct FormInput {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> allowed_origins;
    std::optional<std::string> honeypot_field;
    std::optional<int> rate_per_ip_per_min;
    std::optional<int> rate_per_key_per_min;
    std::optional<std::string> campaign;
    bool set_owner = false;
    std::optional<core::Id> default_owner_user_id;
    std::optional<std::string> success_url;
    std::optional<bool> active;
};

struct ChannelInput {
    std::optional<std::string> kind;  // create only
    std::optional<std::string> name;
    std::optional<std::string> secret;
    std::optional<std::string> config;  // JSON object text, validated per kind
    bool set_owner = false;
    std::optional<core::Id> default_owner_user_id;
    std::optional<bool> active;
};

struct Page {
    core::Id after_id = 0;
    int limit = 50;
};

/// An answer a public endpoint stored for an Idempotency-Key.
struct IdempotencyRecord {
    std::string scope;
    std::string key;
    std::string request_hash;
    int status = 201;
    std::string response;
};

/// One item of the group commit: the lead and, for a keyed form submission, the answer to remember.
struct PendingLead {
    leads::IncomingLead lead;
    std::optional<IdempotencyRecord> idempotency;
};

/// The durable job that polls one IMAP channel (payload {channel_id, failures}); it reschedules itself.
inline constexpr const char* kImapPollJob = "intake.imap_poll";

/// Accepts one item inside the caller's transaction (leads::LeadIntake::AcceptInTx after validation): the IMAP
/// poller stores each message's lead and the mailbox cursor atomically.
using LeadTxSink = std::function<core::Result<leads::IntakeOutcome>(soci::session& sql, const leads::IncomingLead& in)>;

/// What one poll of a mailbox did.
struct PollReport {
    int fetched = 0;
    int accepted = 0;
    int skipped = 0;    // messages lead intake refused (logged; the cursor moves past them)
    std::string error;  // connection or protocol failure ("" when fine)
};

struct IntakeOptions {
    BatcherOptions batcher;
    /// How long an Idempotency-Key answer is replayed.
    core::Millis idempotency_ttl_ms = 24LL * 3600 * 1000;
};

class IntakeService {
public:
    IntakeService(db::Database& db, const core::Clock& clock, LeadSink sink, IntakeOptions options = {});
    ~IntakeService();

    // --- settings (admin or "org" update)
    core::Result<std::vector<store::FormRow>> ListForms(const core::Actor& a, Page page);
    core::Result<store::FormRow> GetForm(const core::Actor& a, core::Id id);
    core::Result<store::FormRow> CreateForm(const core::Actor& a, const FormInput& in);
    core::Result<store::FormRow> UpdateForm(const core::Actor& a, core::Id id, const FormInput& in);
    core::Result<void> DeleteForm(const core::Actor& a, core::Id id);
    core::Result<store::FormRow> RotateFormKey(const core::Actor& a, core::Id id);

    core::Result<std::vector<store::ChannelRow>> ListChannels(const core::Actor& a, Page page);
    core::Result<store::ChannelRow> GetChannel(const core::Actor& a, core::Id id);
    core::Result<store::ChannelRow> CreateChannel(const core::Actor& a, const ChannelInput& in);
    core::Result<store::ChannelRow> UpdateChannel(const core::Actor& a, core::Id id, const ChannelInput& in);
    core::Result<void> DeleteChannel(const core::Actor& a, core::Id id);

    // --- public side
    std::optional<store::FormRow> ActiveFormByKey(const std::string& key);
    std::optional<store::ChannelRow> ActiveChannelByToken(const std::string& token, std::string_view kind);
    /// The stored answer for (scope, key), if any.
    std::optional<store::IdempotentAnswer> StoredAnswer(core::Id ws, const std::string& scope, const std::string& key);
    /// False when (channel, nonce) was seen before.
    bool RecordNonce(core::Id ws, core::Id channel_id, const std::string& nonce);
    void ForgetNonce(core::Id ws, core::Id channel_id, const std::string& nonce);
    /// Group commit: blocks until the item's batch has committed.
    core::Result<leads::IntakeOutcome> Submit(PendingLead item);
    RateLimiter& limiter() { return limiter_; }
    const core::Clock& clock() const { return clock_; }
    BatcherStats batch_stats() const { return batcher_->stats(); }

    /// Deletes replay nonces outside the signature window and expired Idempotency-Key answers.
    void Prune(core::Millis now);
    /// Registers the hourly prune job and the mailbox poller, and schedules them.
    void RegisterJobs(jobs::Scheduler& scheduler);

    /// The transactional sink the IMAP poller uses (set once at wiring).
    void SetTxSink(LeadTxSink sink) { tx_sink_ = std::move(sink); }
    /// Fetches new messages of one IMAP channel and accepts each with the cursor in the same transaction.
    PollReport PollMailbox(core::Id workspace_id, core::Id channel_id);

    void Register(http::Router& router);
    /// Commits what is queued and refuses new items (server drain).
    void Stop();

private:
    bool CanManage(soci::session& sql, const core::Actor& a);
    std::vector<core::Result<leads::IntakeOutcome>> CommitBatch(std::vector<PendingLead>& items);
    void RegisterPollJob(jobs::Scheduler& scheduler);
    /// Schedules the channel's poll job at `at` inside `sql` (one pending job per channel).
    void SchedulePoll(soci::session& sql, core::Id ws, core::Id channel_id, core::Millis at, int failures);

    db::Database& db_;
    const core::Clock& clock_;
    LeadSink sink_;
    LeadTxSink tx_sink_;
    jobs::Scheduler* scheduler_ = nullptr;
    IntakeOptions options_;
    RateLimiter limiter_;
    std::unique_ptr<GroupCommitter<PendingLead, leads::IntakeOutcome>> batcher_;
    std::atomic<bool> stopped_{false};
};

/// "https://example.ru" from "HTTPS://Example.ru:443/"; nullopt when it is not an http(s) origin (no path, query,
/// fragment or credentials).
std::optional<std::string> NormalizeOrigin(std::string_view text);

/// The embeddable script for one form (plain JS, no dependencies).
std::string EmbedScript(const std::string& endpoint_url, const std::string& public_key, const std::string& honeypot);
/// The HTML an administrator pastes into a page: a form that also works without JavaScript, plus the script tag.
std::string EmbedSnippet(const std::string& endpoint_url, const std::string& script_url, const std::string& public_key,
                         const std::string& honeypot);

}  // namespace otdel::intake
