#pragma once
/// THE intake entry point (LEAD-1, LEAD-2, LEAD-3): every channel — website forms, e-mail, telephony, Telegram,
/// generic webhooks, manual entry and the importer — hands what arrived to LeadIntake::Accept/AcceptBatch.
///
/// What it does with one item, inside one transaction:
///   * normalises phones (E.164) and e-mails; an impossible phone or e-mail, or an INN with wrong check digits,
///     is kept as text in the request, never a reason to drop the lead;
///   * the same (channel, external_ref) already stored → duplicate_delivery, nothing new written;
///   * a phone/e-mail of an OPEN lead → a timeline event on that lead (repeat_request, or the call/e-mail/message
///     event), repeat_count + 1, last_request_at, new contact points added, priority re-scored → attached_to_lead;
///   * a phone/e-mail/INN of a known company or contact → for a request: a new lead linked to that client and an
///     event on the client card (created_lead); for a call/e-mail/message: an event on the client card only
///     (attached_to_client);
///   * otherwise a new lead (a missed call from an unknown number included) → created_lead;
///   * every new lead: priority score, contact points, audit row (actor: system, request id "intake:<channel>"
///     unless given), search document, and the routing hook with the new id (routing — a later issue — plugs in
///     there; with no hook the owner is default_owner_user_id or nobody).
#include <soci/soci.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clients/clients_service.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "leads/priority.hpp"

namespace otdel::leads {

namespace store {
class LeadWriter;
}  // namespace store

/// What a channel received, before any normalisation. Strings are as the channel gave them.
struct IncomingLead {
    core::Id workspace_id = 0;
    /// form | email | phone | telegram | webhook | manual | import
    std::string channel;
    std::optional<core::Id> intake_form_id;
    std::optional<core::Id> intake_channel_id;
    /// The channel's own id (Message-ID, call id, update id, order id): a redelivery with the same one is
    /// recognised as such.
    std::optional<std::string> external_ref;
    /// When it happened at the source; 0 means "now".
    core::Millis occurred_at = 0;
    std::string contact_name;
    std::string company_name;
    std::string inn;
    std::vector<std::string> phones;
    std::vector<std::string> emails;
    std::string request_text;
    /// Optional; made from the request when empty.
    std::string title;
    std::string campaign, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer;
    std::string region;
    std::string product;
    /// Custom field values (code -> value), stored as given.
    boost::json::object custom;
    std::optional<core::Id> default_owner_user_id;
    /// request | call_missed | call_in | call_finished | email_in | message_in
    std::string event_kind = "request";
    /// Channel details kept on the timeline event: recording URL, duration, e-mail subject, chat id...
    boost::json::object payload;
    /// For the audit row; "intake:<channel>" when empty.
    std::string request_id;
    std::string ip;
};

enum class IntakeKind { kCreatedLead, kAttachedToLead, kAttachedToClient, kDuplicateDelivery };

/// "created_lead", "attached_to_lead", "attached_to_client", "duplicate_delivery".
std::string_view IntakeKindName(IntakeKind k);

struct IntakeOutcome {
    IntakeKind kind = IntakeKind::kCreatedLead;
    std::optional<core::Id> lead_id;
    std::optional<core::Id> company_id;
    std::optional<core::Id> contact_id;
};

/// Field limits of an incoming item.
inline constexpr std::size_t kMaxRequestText = 20000;
inline constexpr std::size_t kMaxName = 300;
inline constexpr std::size_t kMaxShort = 500;
inline constexpr std::size_t kMaxPoints = 10;

/// Checks one item without touching the database: known channel and event kind, lengths, and that it carries
/// something to work with (a phone, an e-mail, a name or a request). Field names are the API's.
core::Result<void> ValidateIncoming(const IncomingLead& in);

/// Called inside the intake transaction with each new lead's id: the place routing (LEAD-4) plugs in. It may
/// update the lead's owner in `sql`; throwing rolls the item back.
using RoutingHook = std::function<void(soci::session& sql, core::Id workspace_id, core::Id lead_id)>;
/// Called inside the intake transaction after a call, e-mail or message (event_kind other than "request") was stored
/// on a lead or client: the activities room writes its call / e-mail activity there. Throwing rolls the item back.
using InboundHook = std::function<void(soci::session& sql, const IncomingLead& in, const IntakeOutcome& out)>;

class LeadIntake {
public:
    LeadIntake(db::Database& db, const core::Clock& clock);

    void SetRoutingHook(RoutingHook hook) { routing_ = std::move(hook); }
    void SetInboundHook(InboundHook hook) { inbound_ = std::move(hook); }
    /// The product words the priority score looks for (default: kitchen and cabinet furniture).
    void SetVocabulary(Vocabulary v) { vocabulary_ = std::move(v); }

    /// Validates and stores one item in its own transaction (one fsync on SQLite).
    core::Result<IntakeOutcome> Accept(const IncomingLead& in);

    /// Validates every item first, then stores all valid ones in ONE transaction (group commit). Each item has
    /// its own savepoint, so an item that fails while writing is rolled back alone; if the transaction itself
    /// fails, the items are retried one by one. Results are in input order.
    std::vector<core::Result<IntakeOutcome>> AcceptBatch(std::span<const IncomingLead> items);

    /// Batches whose transaction failed as a whole and were stored one by one (should stay 0; for tests/metrics).
    std::uint64_t fallbacks() const { return fallbacks_.load(); }

    /// The same inside the caller's open transaction (the importer's batches; manual entry). No validation.
    core::Result<IntakeOutcome> AcceptInTx(soci::session& sql, const IncomingLead& in);

private:
    /// `writer`: the batch's prepared inserts, or nullptr for one-off statements. `docs`: where a batch collects the
    /// search documents it writes after its last item (nullptr: written at once).
    core::Result<IntakeOutcome> AcceptOne(soci::session& sql, const IncomingLead& in, store::LeadWriter* writer,
                                          std::vector<clients::ClientsService::SearchDocInput>* docs);

    db::Database& db_;
    const core::Clock& clock_;
    RoutingHook routing_;
    InboundHook inbound_;
    Vocabulary vocabulary_ = DefaultVocabulary();
    std::atomic<std::uint64_t> fallbacks_{0};
};

}  // namespace otdel::leads
