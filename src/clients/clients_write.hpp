#pragma once
/// The steps of writing a company or contact card — validation (fields, requisites, owner, phones and e-mails,
/// custom values), the audit snapshot and the search document — shared by ClientsService and the import writer
/// (clients_import.hpp), so a card written by either passes the same rules. Internal to the clients room.
#include <soci/soci.h>

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "clients/clients.hpp"
#include "clients/clients_service.hpp"
#include "core/actor.hpp"
#include "core/result.hpp"

namespace otdel::clients::detail {

/// A record after its input was applied and checked; `points` set when the input carried phones/e-mails.
struct CompanyDraft {
    Company company;
    std::optional<std::vector<ContactPoint>> points;
};
struct ContactDraft {
    Contact contact;
    std::optional<std::vector<ContactPoint>> points;
};

/// Applies `in` to `base` and validates the result. `fields`: the entity's custom fields (archived included) when
/// the caller has read them already; nullptr reads them.
core::Result<CompanyDraft> ValidateCompanyInput(soci::session& sql, const core::Actor& by, const Company& base,
                                                const CompanyInput& in, const std::vector<CustomField>* fields);
core::Result<ContactDraft> ValidateContactInput(soci::session& sql, const core::Actor& by, const Contact& base,
                                                const ContactInput& in, const std::vector<CustomField>* fields);
/// Normalises phones and e-mails (errors "phones/<i>", "emails/<i>"); one point per distinct value; one primary
/// per kind.
core::Result<std::vector<ContactPoint>> NormalizePointInputs(const std::vector<PointInput>& in);
/// The record as the audit log keeps it (before/after).
boost::json::object CompanyAuditJson(const Company& c, const std::vector<ContactPoint>& points);
boost::json::object ContactAuditJson(const Contact& c, const std::vector<ContactPoint>& points);
/// Writes (inserts or replaces) the record's search document.
void IndexCompanyDoc(soci::session& sql, const Company& c, const std::vector<ContactPoint>& points, core::Millis now);
void IndexContactDoc(soci::session& sql, const Contact& c, const std::vector<ContactPoint>& points, core::Millis now);

/// A record's search document as IndexCompanyDoc / IndexContactDoc would write it (`body`: the indexed tokens), for
/// callers that write many at once.
struct SearchDoc {
    std::string type;
    core::Id id = 0;
    std::optional<core::Id> owner;
    std::string title, body;
};
SearchDoc CompanyDoc(const Company& c, const std::vector<ContactPoint>& points);
SearchDoc ContactDoc(const Contact& c, const std::vector<ContactPoint>& points);

}  // namespace otdel::clients::detail
