#pragma once
/// The checks every service of the documents room starts with (DocumentsService, DocumentMailService).
#include "auth/visibility.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "documents/documents_store.hpp"

namespace otdel::documents::access {

/// A signed-in user or token, or the system.
core::Result<void> SignedIn(const core::Actor& a);
/// The caller's visibility with the workspace's today.
auth::Visibility VisibilityOf(soci::session& sql, const core::Actor& a, core::Millis now);
/// Requisites and templates: administrators and roles that may change the organisation (as the deals settings).
core::Result<void> MayConfigure(const auth::Visibility& vis);
/// Everyone with document rights reads the settings, and whoever configures them.
core::Result<void> MayReadSettings(const auth::Visibility& vis);
/// The deal behind a deal-scoped call: 404 when the caller cannot read it; 403 when the role lacks `action` on
/// `object` ("document", "invoice"); for a write, 403 when the deal is visible but not the caller's to change, 409 when
/// it is deleted.
core::Result<store::DealFacts> DealFor(soci::session& sql, const auth::Visibility& vis, core::Id deal_id,
                                       auth::Action action, const char* object);

}  // namespace otdel::documents::access
