#include "app/serve.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "activities/activities_service.hpp"
#include "agenda/agenda_service.hpp"
#include "agenda/reviews_service.hpp"
#include "app/system_api.hpp"
#include "auth/auth_service.hpp"
#include "billing/billing_service.hpp"
#include "catalog/catalog_service.hpp"
#include "clients/clients_service.hpp"
#include "db/migrations.hpp"
#include "deals/deals_service.hpp"
#include "documents/document_mail_service.hpp"
#include "documents/documents_service.hpp"
#include "events/audit_api.hpp"
#include "events/live_hub.hpp"
#include "events/notifications.hpp"
#include "events/outbox.hpp"
#include "http/dispatcher.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "imports/import_service.hpp"
#include "intake/intake_service.hpp"
#include "jobs/jobs_api.hpp"
#include "jobs/scheduler.hpp"
#include "leads/lead_intake.hpp"
#include "leads/lead_service.hpp"
#include "mail/smtp.hpp"
#include "notify/notify_service.hpp"
#include "org/calendar_service.hpp"
#include "org/org_service.hpp"
#include "plans/plans_service.hpp"
#include "reports/plan_fact_source.hpp"
#include "reports/reports_service.hpp"
#include "routing/routing_service.hpp"
#include "shipments/shipments_service.hpp"

namespace otdel::app {

int Serve(Config cfg, ServeFlags flags) {
    const auto started = std::chrono::steady_clock::now();

    core::SystemClock system_clock;
    std::unique_ptr<core::ManualClock> manual;
    if (flags.manual_clock) {
        manual = std::make_unique<core::ManualClock>(system_clock.NowMs());
        spdlog::warn(
            "*** MANUAL CLOCK: time only moves through POST /api/v1/admin/clock. For tests and demos only, "
            "never in production. ***");
    }
    const core::Clock& clock = manual ? static_cast<const core::Clock&>(*manual) : system_clock;

    auto db = db::Database::Open(cfg.database);
    auto report = db::Migrate(*db);
    for (const auto& m : report.applied) spdlog::info("applied migration {}", m);

    auto files = http::StaticFiles::Load(cfg.web_root);
    if (files->size() == 0)
        spdlog::warn("no web UI at '{}': serving the API only (build it with `make web`)", cfg.web_root);

    events::LiveHub hub;
    events::OutboxDispatcher outbox(*db, clock);
    events::NotificationService notifications(*db, clock, hub, outbox);
    auth::AuthService auth(*db, clock, cfg.auth, &outbox);
    jobs::Scheduler scheduler(*db, clock);
    org::HandoverRegistry handovers;  // leads, deals and clients register their handlers here
    org::OrgService org(*db, clock, auth, handovers);
    org::CalendarService calendars(*db, clock);
    clients::ClientsService clients(*db, clock);
    handovers.Add(clients);
    leads::LeadIntake lead_intake(*db, clock);  // the one entry point of every intake channel
    leads::LeadService leads(*db, clock, clients, lead_intake);
    handovers.Add(leads);
    // Routing: every new lead from a channel is routed by the rules; its SLA clock follows the lead's life.
    routing::RoutingService routing(*db, clock, calendars);
    lead_intake.SetRoutingHook(
        [&routing](soci::session& sql, core::Id ws, core::Id lead_id) { routing.OnNewLead(sql, ws, lead_id); });
    leads.SetLifecycleHook([&routing](soci::session& sql, const leads::Lead& lead, leads::LeadEvent event,
                                      const core::Actor& by,
                                      core::Millis now) { routing.OnLeadEvent(sql, lead, event, by, now); });
    routing.AttachScheduler(scheduler);
    // Deals: the hand-off creates the designer's deal; a dismissed person's open deals are handed over.
    deals::DealsService deals(*db, clock);
    handovers.Add(deals);
    deals.AttachScheduler(scheduler);
    deals.SetAfterCommit([&outbox] { outbox.Kick(); });
    routing.SetHandoffDealHook(
        [&deals](soci::session& sql, core::Id ws, core::Id lead_id, core::Id host, const core::Actor& by,
                 core::Millis now) { return deals.CreateFromHandoffInTx(sql, ws, lead_id, host, by, now); });
    routing.SetAfterCommit([&outbox] { outbox.Kick(); });
    // Catalog: deal lines set the deal's amount; a discount waiting for approval keeps the deal from being won.
    catalog::CatalogService catalog(*db, clock);
    catalog.AttachTo(deals);
    // Documents: requisites, proposal templates, proposals as PDFs and contracts; a contract file is read up to its
    // limit (+1 byte, so a larger file is told 413 by the service, not cut).
    documents::DocumentsService documents(*db, clock);
    cfg.server.body_limit_routes.emplace_back("PUT /api/v1/contracts/{id}/file", documents.config().max_file_bytes + 1);
    // E-mail and Telegram copies of notifications, for the people who turned them on.
    std::unique_ptr<mail::SmtpMailer> mailer;
    if (!cfg.mail_smtp_url.empty())
        mailer = std::make_unique<mail::SmtpMailer>(mail::SmtpConfig{cfg.mail_smtp_url, cfg.mail_from, cfg.mail_user,
                                                                     cfg.mail_password, cfg.mail_require_tls, 20});
    notify::TelegramSender telegram(notify::TelegramConfig{cfg.telegram_bot_token, cfg.telegram_api_base, 10});
    notify::NotifyService notify_service(*db, clock, mailer.get(), &telegram, notify::NotifyConfig{cfg.public_url});
    notify_service.Attach(outbox, scheduler);
    // Billing: invoices, payments and instalment reminders to clients (e-mail through the same SMTP server, SMS through
    // the logging provider until a gateway is connected); the 72-hour rule asks it whether a deal is paid.
    billing::LoggingSmsSender sms;
    billing::BillingService billing(*db, clock, deals, mailer.get(), &sms);
    deals.SetPaymentStateHook(&billing::BillingService::DealPaymentState);
    billing.AttachScheduler(scheduler);
    billing.SetAfterCommit([&outbox] { outbox.Kick(); });
    // The invoice PDF prints the workspace's requisites, logo and signer, which the documents room keeps.
    billing.SetSellerSource([&documents](const core::Actor& a) -> std::optional<billing::Seller> {
        auto r = documents.GetRequisites(a);
        if (!r) return std::nullopt;
        billing::Seller s{r->org, "", r->signer_title, r->signer_name};
        if (r->logo_file_id)
            if (auto logo = documents.Logo(a)) s.logo_png = std::move(logo->bytes);
        return s;
    });
    cfg.server.body_limit_routes.emplace_back("POST /api/v1/bank-imports", (4u << 20) + 1);
    // Proposals and invoices sent to the client by e-mail with their PDF (the sender's SMTP account, as activities
    // send), through the durable job documents.send_email; the e-mail lands on the deal's timeline.
    documents::DocumentMailService document_mail(*db, clock, &billing);
    document_mail.AttachScheduler(scheduler);
    document_mail.SetAfterCommit([&outbox, &scheduler] {
        outbox.Kick();
        scheduler.Wake();
    });
    // Shipments: a deal's shipments from its lines, the hand-off of made-to-order items to production.
    shipments::ShipmentsService shipments(*db, clock);
    shipments::ShipmentsService::AttachTo(catalog);  // a shipped deal line is not deleted or cut below its shipments
    // Plans (PLAN-1 … PLAN-3): the KPI catalog, sales plans with plan vs fact along the tree, SMART goals.
    plans::PlansService plans(*db, clock);
    // Reports (REP-1 … REP-3, REP-7): funnel, activity, plan vs fact (from the plans room), win/loss, forecast, the
    // dashboards, exports and scheduled e-mails through the same SMTP server.
    reports::ReportsService reports(*db, clock, mailer.get(), reports::ReportsConfig{cfg.public_url, 5000});
    reports.SetPlanFactSource(reports::PlanFactFrom(plans));
    reports.SetPlanFactDrillSource(reports::PlanFactDrillFrom(plans));
    reports.AttachScheduler(scheduler);
    // Website forms, webhooks and mailboxes: everything they take goes through the group commit into lead intake.
    // The batch has committed when AcceptBatch returns: the routing notifications it wrote go out at once.
    intake::IntakeService intake(*db, clock, [&lead_intake, &outbox](std::span<const leads::IncomingLead> items) {
        auto results = lead_intake.AcceptBatch(items);
        outbox.Kick();
        return results;
    });
    intake.SetTxSink(
        [&lead_intake](soci::session& sql, const leads::IncomingLead& in) { return lead_intake.AcceptInTx(sql, in); });
    intake.RegisterJobs(scheduler);
    imports::ImportsConfig import_cfg;
    import_cfg.dir = cfg.imports_dir;
    import_cfg.max_upload_bytes = cfg.import_max_upload_bytes;
    imports::ImportService imports(*db, clock, lead_intake, import_cfg);
    imports.AttachScheduler(scheduler);
    // Uploads are read up to the import limit (+1 byte, so a larger file is told 413 by the service, not cut).
    cfg.server.body_limit_routes.emplace_back("POST /api/v1/imports",
                                              static_cast<std::size_t>(cfg.import_max_upload_bytes) + 1);
    // Activities: calls, meetings, tasks, e-mails (each user's or the workspace's SMTP account), SMS (the billing
    // room's provider), notes; a contact with a lead stops routing's first-response clock; telephony calls and IMAP
    // e-mails land on the timeline; overdue tasks escalate to the manager. A recording is read up to its limit (+1
    // byte).
    activities::ActivitiesService activities(*db, clock);
    activities.SetSmsSender(&sms);
    activities.SetFirstResponseHook(
        [&routing](soci::session& sql, core::Id ws, core::Id lead_id, core::Millis at, const std::string& kind) {
            return routing.RecordResponse(sql, ws, lead_id, at, kind);
        });
    activities.AttachScheduler(scheduler);
    activities.SetAfterCommit([&outbox] { outbox.Kick(); });
    lead_intake.SetInboundHook(
        [&activities](soci::session& sql, const leads::IncomingLead& in, const leads::IntakeOutcome& out) {
            activities.OnInboundInTx(sql, in, out);
        });
    cfg.server.body_limit_routes.emplace_back("PUT /api/v1/activities/{id}/recording",
                                              activities::kMaxRecordingBytes + 1);
    cfg.server.body_limit_routes.emplace_back("POST /api/v1/activities/email-import", activities::kMaxEmailBytes + 1);
    // Agenda: each person's daily plan and the head's team, reviews of recorded calls and meetings on the workspace's
    // checklist, calendar feeds behind secret URLs, the week view's moves and meeting reminders 15 minutes before.
    agenda::AgendaService agenda(*db, clock, activities);
    agenda.SetPublicUrl(cfg.public_url);
    agenda.SetAfterCommit([&outbox] { outbox.Kick(); });
    agenda.AttachScheduler(scheduler);
    // Meetings written through the activities room get their reminder planned exactly, not by the sweep.
    activities.SetMeetingHook(&agenda::AgendaService::OnMeetingInTx);
    agenda::ReviewsService reviews(*db, clock, activities);
    reviews.SetAfterCommit([&outbox] { outbox.Kick(); });

    http::Router router;
    RegisterSystemApi(router, *db, clock, report.to_version);
    auth.Register(router);
    notifications.Register(router);
    events::RegisterAuditApi(router, *db);
    org.Register(router);
    calendars.Register(router);
    clients.Register(router);
    leads.Register(router);
    intake.Register(router);
    imports.Register(router);
    routing.Register(router);
    deals.Register(router);
    documents.Register(router);
    document_mail.Register(router);
    catalog.Register(router);
    billing.Register(router);
    shipments.Register(router);
    plans.Register(router);
    reports.Register(router);
    notify_service.Register(router);
    activities.Register(router);
    agenda.Register(router);
    reviews.Register(router);
    jobs::RegisterAdminApi(router, scheduler, clock, manual.get());

    http::Dispatcher dispatcher(router, auth.MakeGuard());
    cfg.server.bench_endpoints = flags.bench_endpoints;
    http::Server server(cfg.server, dispatcher, files.get());
    server.Listen();

    outbox.Start();
    scheduler.Start();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("otdel listening on http://{}:{} ({} database, schema v{}, {} UI files, started in {} ms)",
                 cfg.server.host, server.port(), db::EngineName(db->engine()), report.to_version, files->size(), ms);
    server.Run();

    intake.Stop();  // commits what was queued before the drain finished
    scheduler.Stop();
    outbox.Stop();
    // Deliver what committed requests queued before the stop.
    try {
        outbox.DrainOnce();
    } catch (const std::exception& e) {
        spdlog::warn("outbox drain at shutdown failed: {}", e.what());
    }
    spdlog::info("bye");
    return 0;
}

}  // namespace otdel::app
