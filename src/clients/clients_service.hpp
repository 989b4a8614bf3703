#pragma once
/// ClientsService: companies, contacts, their links, custom fields, timelines, dedupe and merge, saved views and
/// search (CLIENT-1, CLIENT-2, CLIENT-5, LEAD-2 merge) — permissions, visibility, validation, one transaction per
/// change with its audit row and search document.
///
/// Other rooms (leads, intake, imports) call the tx-level functions below inside their own transaction: they take
/// the open session and never open one themselves, so a lead conversion or an import batch commits or rolls back
/// as one. Those functions do not check permissions or visibility — the caller has decided already.
#include <soci/soci.h>

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/visibility.hpp"
#include "clients/clients.hpp"
#include "clients/clients_store.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "org/employee.hpp"

namespace otdel::clients {

/// A phone or e-mail as given: the service normalises and validates it.
struct PointInput {
    std::string kind;  // phone | email
    std::string label;
    std::string raw;
    bool is_primary = false;
    /// Optional: what NormalizePhone / NormalizeEmail gave for `raw`, when the caller has read it already (the
    /// import maps rows on its reading thread); then it is not read again. Empty: the service normalises `raw`.
    std::string value = {};
};

/// Fields of a company as written (create: unset means default; update: unset means unchanged).
struct CompanyInput {
    std::optional<std::string> legal_form, name, full_name, legal_address, actual_address, financial_state, currency,
        payment_discipline, preferences, notes, website;
    bool set_inn = false, set_kpp = false, set_ogrn = false, set_volume = false, set_owner = false;
    std::optional<std::string> inn, kpp, ogrn;
    std::optional<std::int64_t> purchase_volume_minor;
    std::optional<BankDetails> bank;
    std::optional<std::vector<std::string>> tags;
    /// Custom values to set (a null value clears the code).
    std::optional<std::map<std::string, CustomValue>> custom;
    std::optional<core::Id> owner_user_id;
    std::optional<std::vector<PointInput>> points;  // replaces all phones and e-mails when set
    std::optional<core::Id> source_lead_id;
};

struct ContactInput {
    std::optional<std::string> last_name, first_name, middle_name, preferences, notes;
    bool set_birthday = false, set_owner = false;
    std::optional<std::string> birthday;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::map<std::string, CustomValue>> custom;
    std::optional<core::Id> owner_user_id;
    std::optional<std::vector<PointInput>> points;
    std::optional<core::Id> source_lead_id;
};

struct CompanyCard {
    Company company;
    std::vector<ContactPoint> points;
    std::vector<store::LinkView> contacts;  // decision makers first
    std::string owner_name;
};

struct ContactCard {
    Contact contact;
    std::vector<ContactPoint> points;
    std::vector<store::LinkView> companies;
    std::string owner_name;
};

struct ListQuery {
    store::ListFilter filter;
    std::optional<std::string> cursor;
};
template <class T>
struct Page {
    std::vector<T> items;
    std::optional<std::string> next_cursor;
};

struct TimelineItem {
    core::Id id = 0;  // the audit row's or the event's id (unique with `source`)
    core::Millis at = 0;
    std::string kind, source;  // source: audit | event
    std::optional<core::Id> actor_user_id;
    std::string actor_name, channel, subject_type;
    core::Id subject_id = 0;
    std::string summary;
    boost::json::value payload;
};

/// One record found by POST /duplicates/check: visible ones in full; others only as "exists, owned by X".
struct DuplicateHit {
    store::Match match;
    bool visible = false;
    std::string owner_name;
};

struct DuplicateCheck {
    std::vector<std::string> phones, emails;
    std::optional<std::string> inn, name;
};

struct SearchResult {
    std::string type;
    core::Id id = 0;
    std::string title, snippet;
    std::optional<core::Id> owner_user_id;
    std::string owner_name;
};

struct FieldInput {
    std::optional<std::string> entity, code, label_ru, label_en, kind;
    std::optional<std::vector<FieldOption>> options;
    std::optional<bool> required;
    std::optional<int> position;
    std::optional<bool> archived;
};

struct ViewInput {
    std::optional<std::string> entity, name, definition;
    std::optional<bool> shared;
};

class ClientsService : public org::HandoverHandler {
public:
    ClientsService(db::Database& db, const core::Clock& clock);

    // --- companies and contacts (CLIENT-1)
    core::Result<Page<Company>> ListCompanies(const core::Actor& a, const ListQuery& q);
    /// A visible company's card; an absorbed one answers its card too, with merged_into_id set (UI redirects).
    core::Result<CompanyCard> GetCompany(const core::Actor& a, core::Id id);
    core::Result<CompanyCard> CreateCompany(const core::Actor& a, const CompanyInput& in);
    core::Result<CompanyCard> UpdateCompany(const core::Actor& a, core::Id id, const CompanyInput& in);
    core::Result<CompanyCard> DeleteCompany(const core::Actor& a, core::Id id);
    core::Result<CompanyCard> RestoreCompany(const core::Actor& a, core::Id id);

    core::Result<Page<Contact>> ListContacts(const core::Actor& a, const ListQuery& q);
    core::Result<ContactCard> GetContact(const core::Actor& a, core::Id id);
    core::Result<ContactCard> CreateContact(const core::Actor& a, const ContactInput& in);
    core::Result<ContactCard> UpdateContact(const core::Actor& a, core::Id id, const ContactInput& in);
    core::Result<ContactCard> DeleteContact(const core::Actor& a, core::Id id);
    core::Result<ContactCard> RestoreContact(const core::Actor& a, core::Id id);

    /// Links (or re-describes the link of) a contact to a company; both must be writable by the caller.
    core::Result<CompanyCard> PutLink(const core::Actor& a, const Link& link);
    core::Result<CompanyCard> RemoveLink(const core::Actor& a, core::Id company_id, core::Id contact_id);

    // --- custom fields (CLIENT-2): administrators and roles with org:update
    core::Result<std::vector<CustomField>> ListFields(const core::Actor& a, const std::string& entity,
                                                      bool include_archived);
    core::Result<CustomField> CreateField(const core::Actor& a, const FieldInput& in);
    core::Result<CustomField> UpdateField(const core::Actor& a, core::Id id, const FieldInput& in);
    /// Archives the field: values stay in records but are no longer shown, required or validated.
    core::Result<CustomField> ArchiveField(const core::Actor& a, core::Id id);

    // --- timeline: audit rows of the record (and of records merged into it) + timeline events, newest first
    struct TimelinePage {
        std::vector<TimelineItem> items;
        std::optional<std::string> next_cursor;
    };
    /// subject_type company | contact | lead. For a company also the events of its linked contacts. The record must
    /// be visible to the caller (leads: the leads room checks before calling; pass `checked` true).
    core::Result<TimelinePage> Timeline(const core::Actor& a, const std::string& subject_type, core::Id id,
                                        std::optional<std::string> cursor, int limit, bool checked = false);

    // --- dedupe and merge (LEAD-2)
    core::Result<std::vector<DuplicateHit>> CheckDuplicates(const core::Actor& a, const DuplicateCheck& in);
    core::Result<std::vector<store::DuplicateGroup>> DuplicateGroups(const core::Actor& a, const std::string& entity);
    core::Result<CompanyCard> MergeCompanies(const core::Actor& a, core::Id survivor, core::Id merged);
    core::Result<ContactCard> MergeContacts(const core::Actor& a, core::Id survivor, core::Id merged);

    // --- search (CLIENT-5)
    core::Result<std::vector<SearchResult>> Search(const core::Actor& a, const std::string& q, bool companies,
                                                   bool contacts, bool leads, int limit);

    // --- saved views
    core::Result<std::vector<store::SavedView>> ListViews(const core::Actor& a, const std::string& entity);
    core::Result<store::SavedView> CreateView(const core::Actor& a, const ViewInput& in);
    core::Result<store::SavedView> UpdateView(const core::Actor& a, core::Id id, const ViewInput& in);
    core::Result<void> DeleteView(const core::Actor& a, core::Id id);

    /// /api/v1/companies…, /contacts…, /custom-fields…, /duplicates…, /search, /saved-views…
    void Register(http::Router& router);

    // --- org::HandoverHandler: a dismissed person's companies and contacts go to the successor (or the pool).
    std::string Kind() const override { return "client"; }
    int Handover(soci::session& sql, core::Id workspace_id, core::Id from_user_id, std::optional<core::Id> to_user_id,
                 const core::Actor& by, core::Millis now) override;

    // ================================================================================================================
    // Tx-level contract for other rooms. Each runs in the caller's open transaction `sql`, scoped by workspace `ws`.
    // ================================================================================================================

    /// Live companies, contacts and open leads holding any of the phones / e-mails (raw spellings: normalised here;
    /// unparseable ones are skipped). No visibility: for dedupe on intake and import.
    static std::vector<store::Match> FindByContactPoints(soci::session& sql, core::Id ws,
                                                         const std::vector<std::string>& phones,
                                                         const std::vector<std::string>& emails);
    /// Live companies (and open leads) with this INN (digits only are compared).
    static std::vector<store::Match> FindCompanyByInn(soci::session& sql, core::Id ws, const std::string& inn);

    /// Creates a company with its phones/e-mails: validates fields, requisites and custom values (required ones
    /// included), writes the audit row ("company.create" by `by`) and the search document. Owner defaults to
    /// `by.user_id`. A kValidation error leaves nothing written by this call (the caller decides about its tx).
    static core::Result<CompanyCard> CreateCompanyInTx(soci::session& sql, const core::Actor& by, core::Millis now,
                                                       const CompanyInput& in);
    /// The same for a contact ("contact.create").
    static core::Result<ContactCard> CreateContactInTx(soci::session& sql, const core::Actor& by, core::Millis now,
                                                       const ContactInput& in);
    /// Links a contact to a company (insert or update position/role), audited as "company.link_contact".
    static core::Result<void> LinkContact(soci::session& sql, const core::Actor& by, core::Millis now,
                                          const Link& link);
    /// Adds a timeline event to a company, contact or lead. Idempotent on (channel, external_ref): a redelivered
    /// event returns the first one's id. `payload` is a JSON text ("{}" when nothing). Returns the event id.
    static core::Id AddTimelineEvent(soci::session& sql, core::Id ws, const std::string& subject_type, core::Id id,
                                     const std::string& kind, const std::string& channel, const std::string& summary,
                                     const std::string& payload, const std::optional<std::string>& external_ref,
                                     core::Millis at, std::optional<core::Id> actor_user_id = std::nullopt);
    /// Writes the search document of a record: `title` as shown, `body` free text (names, e-mails, INN, notes,
    /// tags) — tokenised and case-folded here; phones in `phones` are expanded to every searchable spelling.
    static void UpsertSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id,
                                std::optional<core::Id> owner, const std::string& title, const std::string& body,
                                const std::vector<std::string>& phones, core::Millis now);
    /// UpsertSearchDoc for several records in one go (the last one of a record wins): a batch of intake writes its
    /// documents this way, after its items (store::UpsertSearchDocs says why).
    struct SearchDocInput {
        core::Id ws = 0;
        std::string type;
        core::Id id = 0;
        std::optional<core::Id> owner;
        std::string title, body;
        std::vector<std::string> phones;
        core::Millis now = 0;
    };
    static void UpsertSearchDocs(soci::session& sql, const std::vector<SearchDocInput>& docs);
    static void RemoveSearchDoc(soci::session& sql, core::Id ws, const std::string& type, core::Id id);

private:
    std::string TodayIn(soci::session& sql, core::Id ws) const;
    auth::Visibility Vis(soci::session& sql, const core::Actor& a) const;
    bool CanManageSettings(soci::session& sql, const core::Actor& a, const auth::Visibility& vis) const;
    core::Result<CompanyCard> LoadCompanyCard(soci::session& sql, const core::Actor& a, core::Id id, bool for_write);
    core::Result<ContactCard> LoadContactCard(soci::session& sql, const core::Actor& a, core::Id id, bool for_write);

    db::Database& db_;
    const core::Clock& clock_;
};

/// Builds a company's / contact's card (points, links, owner name) without visibility: for the tx-level callers.
CompanyCard CompanyCardOf(soci::session& sql, const Company& c);
ContactCard ContactCardOf(soci::session& sql, const Contact& c);

}  // namespace otdel::clients
