#pragma once
/// Leads (LEAD-1): the record, its statuses and the rules between them. Pure: no SQL, JSON or HTTP.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace otdel::leads {

/// A phone or e-mail of a lead: `value` is the normalised key (E.164, lower-cased e-mail), `raw` as given.
struct LeadPoint {
    core::Id id = 0;
    std::string kind;  // phone | email
    std::string label;
    std::string raw;
    std::string value;
    bool is_primary = false;
};

/// The lead's first-response clock as the routing room keeps it (lead_routing), for display in the inbox.
struct LeadSla {
    std::string state;  // running | responded | queued | escalated | cancelled
    std::optional<core::Millis> deadline_at;
    int sla_minutes = 0;
    int reassignments = 0;
    int breaches = 0;
    std::optional<core::Millis> first_response_at;
};

struct Lead {
    core::Id workspace_id = 0;
    core::Id id = 0;
    std::string status = "new";
    std::optional<std::string> junk_reason;
    std::string junk_comment;
    std::string title;
    std::string request_text;
    std::string contact_name;
    std::string company_name;
    std::optional<std::string> inn;
    std::string channel;
    std::optional<core::Id> intake_form_id, intake_channel_id;
    std::optional<std::string> external_ref;
    std::string campaign, utm_source, utm_medium, utm_campaign, utm_content, utm_term, referrer, region, product;
    int priority_score = 0;
    /// JSON array of {code, points, params}.
    std::string priority_reasons = "[]";
    /// JSON object of custom values.
    std::string custom = "{}";
    std::optional<core::Id> owner_user_id, company_id, contact_id;
    std::optional<core::Millis> converted_at;
    std::optional<core::Id> converted_company_id, converted_contact_id;
    int repeat_count = 0;
    core::Millis last_request_at = 0;
    std::optional<core::Id> merged_into_id;
    std::optional<core::Millis> deleted_at;
    std::optional<core::Id> created_by;
    core::Millis created_at = 0, updated_at = 0;
    std::vector<LeadPoint> points;
    std::optional<LeadSla> sla;
};

/// new, in_work, qualified, converted, junk.
const std::vector<std::string>& Statuses();
/// new, in_work, qualified: the inbox's default and what dedupe attaches repeat requests to.
bool IsOpenStatus(std::string_view status);
/// spam, duplicate, not_our_product, no_contact, test, other.
const std::vector<std::string>& JunkReasons();
/// form, email, phone, telegram, webhook, manual, import.
const std::vector<std::string>& Channels();
/// request, call_missed, call_in, call_finished, email_in, message_in.
const std::vector<std::string>& EventKinds();

/// May a lead move from `from` to `to` by POST /leads/{id}/status? new ⇄ in_work → qualified, any open status
/// → junk (with a reason from JunkReasons), junk → new (reopen). "converted" is reached only by converting;
/// a converted lead stays converted. The same status is a conflict too (nothing would change).
/// Errors: kValidation (unknown status, missing or unknown junk_reason), kConflict with a message key.
core::Result<void> CheckTransition(std::string_view from, std::string_view to,
                                   const std::optional<std::string>& junk_reason);

/// A title when the channel gave none: the first line of the request cut to 80 characters on a word boundary,
/// else the contact's name, the company, the first phone or e-mail, else "Заявка".
std::string MakeTitle(const std::string& request_text, const std::string& contact_name, const std::string& company_name,
                      const std::string& first_point);

}  // namespace otdel::leads
