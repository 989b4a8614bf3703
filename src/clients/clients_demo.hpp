#pragma once
/// Demo client base for `otdel seed-demo`: kitchen-furniture buyers — developers, designers' studios, dealers and
/// private clients — with valid INNs, phones and e-mails, owners spread over the demo sellers, and a few deliberate
/// duplicates for the merge screen.
#include <string>
#include <vector>

#include "clients/clients_service.hpp"

namespace otdel::clients {

/// Fills the workspace once: when it already holds companies, nothing changes. Records go to `owners` in turn
/// (the demo sellers). Returns how many companies were created. Throws std::runtime_error when a card is refused.
int SeedDemoClients(ClientsService& clients, core::Id workspace_id, const std::vector<core::Id>& owners);

/// A valid 10-digit organisation INN (or 12-digit personal one) built from `seed` with its control digits.
std::string DemoInn(unsigned seed, bool person);

}  // namespace otdel::clients
