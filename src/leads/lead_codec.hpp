#pragma once
/// Shared by the intake path and the lead service: the stored form of the priority reasons, the audit snapshot
/// of a lead, its search document and the score inputs taken from a lead.
#include <soci/soci.h>

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "clients/clients_service.hpp"
#include "leads/lead.hpp"
#include "leads/priority.hpp"

namespace otdel::leads {

std::string ReasonsJson(const std::vector<PriorityReason>& reasons);
std::vector<PriorityReason> ParseReasons(const std::string& json);

/// The score inputs of a stored lead; `extra_text` is appended to the request (a repeat request's text).
PriorityInput PriorityInputOf(const Lead& l, const std::string& extra_text = {});
/// Re-scores `l` in place.
void Rescore(Lead& l, const Vocabulary& v, const std::string& extra_text = {});

/// The lead as its audit rows and merge snapshots keep it.
boost::json::object LeadSnapshot(const Lead& l);

/// Writes the lead's search document (title, names, request, e-mails, INN; phones in every spelling).
void WriteSearchDoc(soci::session& sql, const Lead& l, core::Millis now);
/// The same document, for a batch to write later with clients::ClientsService::UpsertSearchDocs.
clients::ClientsService::SearchDocInput SearchDocOf(const Lead& l, core::Millis now);

}  // namespace otdel::leads
