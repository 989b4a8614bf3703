#pragma once
/// LeadService: the lead inbox and a lead's life — manual entry with duplicate warnings, edits, statuses, soft
/// delete, timeline, conversion into a client and contact, merge — with permissions (role rights on "lead"),
/// visibility along the org tree (rows outside it answer 404), one transaction per change and its audit rows.
/// Intake from channels goes through LeadIntake (lead_intake.hpp); this service is what people use.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clients/clients_service.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "leads/lead.hpp"
#include "leads/lead_intake.hpp"
#include "org/employee.hpp"

namespace otdel::leads {

/// A phone or e-mail as a person typed it.
struct PointInput {
    std::string kind;  // phone | email
    std::string raw;
    std::string label;
};

/// Fields of a lead (create: unset means empty; update: unset means unchanged).
struct LeadInput {
    std::optional<std::string> title, request_text, contact_name, company_name, product, region, campaign;
    bool set_inn = false;
    std::optional<std::string> inn;
    bool set_owner = false;
    std::optional<core::Id> owner_user_id;
    /// The phones and e-mails given; on update they replace the lead's phones (set_phones) and/or e-mails
    /// (set_emails), the other kind stays.
    std::optional<std::vector<PointInput>> points;
    bool set_phones = false, set_emails = false;
    /// A JSON object text.
    std::optional<std::string> custom;
    std::optional<std::string> channel;  // create only; default "manual"
};

/// A record that shares a phone, e-mail or INN with a lead being entered by hand.
struct Duplicate {
    std::string type;  // lead | company | contact
    core::Id id = 0;
    std::string title;
    std::string match;  // phone | email | inn
    std::string value;
    /// Whether the caller may open it; an invisible one is reported without its title.
    bool visible = false;
};

struct CreateOutcome {
    Lead lead;
    std::vector<Duplicate> duplicates;
    /// True when the entry was attached to `attach_to` as a repeat request instead of opening a lead.
    bool attached = false;
};

struct LeadQuery {
    /// Statuses to show; empty: new, in_work, qualified. "all" in the list: every status.
    std::vector<std::string> statuses;
    std::optional<std::string> channel;
    /// "me", "none" or a user id.
    std::optional<std::string> owner;
    std::optional<core::Id> form_id;
    std::optional<core::Millis> created_from, created_to;
    std::optional<std::string> q;
    bool deleted = false;
    std::optional<std::string> cursor;
    int limit = 50;
};

struct LeadPage {
    std::vector<Lead> items;
    std::optional<std::string> next_cursor;
};

struct ConvertInput {
    std::optional<core::Id> company_id, contact_id;
    /// A new company / contact; phones, e-mails and the INN of the lead are copied to it.
    std::optional<clients::CompanyInput> company;
    std::optional<clients::ContactInput> contact;
    /// The contact's position in the company (when both are given).
    std::string position;
};

struct ConvertOutcome {
    Lead lead;
    std::optional<core::Id> company_id, contact_id;
};

/// What happened to a lead, for the routing room's SLA clock: a first response, a move or a close.
enum class LeadEvent { kStatusChanged, kOwnerChanged, kConverted, kDeleted, kMerged, kHandedOver };
/// Called inside the change's transaction with the lead as it is after the change; throwing rolls it back.
using LeadLifecycleHook =
    std::function<void(soci::session& sql, const Lead& lead, LeadEvent event, const core::Actor& by, core::Millis now)>;

class LeadService : public org::HandoverHandler {
public:
    LeadService(db::Database& db, const core::Clock& clock, clients::ClientsService& clients, LeadIntake& intake);

    core::Result<LeadPage> List(const core::Actor& a, const LeadQuery& q);
    core::Result<Lead> Get(const core::Actor& a, core::Id id);
    /// Manual entry: validates phones, e-mails and the INN (field errors), then creates the lead and reports the
    /// duplicates it found, or — with `attach_to` — adds the entry to that open lead as a repeat request.
    core::Result<CreateOutcome> Create(const core::Actor& a, const LeadInput& in, std::optional<core::Id> attach_to);
    core::Result<Lead> Update(const core::Actor& a, core::Id id, const LeadInput& in);
    core::Result<Lead> Delete(const core::Actor& a, core::Id id);
    core::Result<Lead> Restore(const core::Actor& a, core::Id id);
    core::Result<Lead> SetStatus(const core::Actor& a, core::Id id, const std::string& status,
                                 const std::optional<std::string>& junk_reason, const std::string& comment);
    core::Result<clients::ClientsService::TimelinePage> Timeline(const core::Actor& a, core::Id id,
                                                                 std::optional<std::string> cursor, int limit);
    /// Creates or links the company and contact, copies the lead's phones, e-mails and INN, marks the lead
    /// converted — all in one transaction. A converted lead answers 409.
    core::Result<ConvertOutcome> Convert(const core::Actor& a, core::Id id, const ConvertInput& in);
    /// `merged_id` is absorbed into `id`: its phones, e-mails and timeline move over, a merges row keeps its
    /// snapshot, it gets merged_into_id and is soft-deleted. Its audit rows stay and show on the survivor.
    core::Result<Lead> Merge(const core::Actor& a, core::Id id, core::Id merged_id);

    /// /api/v1/leads…
    void Register(http::Router& router);

    // org::HandoverHandler: a dismissed person's open leads go to the successor (or to nobody: routing's pool).
    std::string Kind() const override { return "lead"; }
    int Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id, std::optional<core::Id> to_user_id,
                 const core::Actor& by, core::Millis now) override;

    /// Routing plugs in here (src/app wiring).
    void SetLifecycleHook(LeadLifecycleHook hook) { lifecycle_ = std::move(hook); }

    /// Test seam: runs inside the convert transaction right after the company is created.
    std::function<void()> after_company_created_for_test;

private:
    db::Database& db_;
    const core::Clock& clock_;
    clients::ClientsService& clients_;
    LeadIntake& intake_;
    LeadLifecycleHook lifecycle_;

    void Emit(soci::session& sql, const Lead& l, LeadEvent event, const core::Actor& by, core::Millis now);
};

/// One page of the inbox order has this cursor: the priority score and the id of the last row.
std::string EncodeLeadCursor(int score, core::Id id);
std::optional<std::pair<int, core::Id>> DecodeLeadCursor(const std::string& cursor);

}  // namespace otdel::leads
