#include "imports/import_deals.hpp"

#include <date/tz.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "catalog/catalog_store.hpp"
#include "clients/normalize.hpp"
#include "deals/deals_service.hpp"
#include "deals/deals_store.hpp"
#include "events/audit.hpp"
#include "org/employee_store.hpp"

namespace otdel::imports {
namespace json = boost::json;
using core::FieldError;

namespace {

constexpr const char* kWorkspace = "SELECT time_zone, currency FROM workspaces WHERE id = :ws";
constexpr std::size_t kMaxLossComment = 2000;  // what a move into a lost stage accepts
constexpr int kProductPage = 1000;

}  // namespace

/// Everything a row refers to, found in the workspace.
struct DealImportWriter::Resolved {
    const deals::Pipeline* pipeline = nullptr;
    const deals::Stage* stage = nullptr;
    std::optional<core::Id> loss_reason_id;
    std::set<std::string> checklist;
    std::optional<core::Id> company_id;
    bool create_company = false;
    std::optional<core::Id> contact_id;
    std::vector<catalog::DealLine> lines;
    core::Millis created_at = 0;
    std::optional<core::Millis> closed_at;
    std::optional<std::string> expected_close_date;
};

DealImportWriter::DealImportWriter(soci::session& sql, const core::Actor& by, core::Millis now,
                                   clients::ImportWriter& clients, const std::vector<const DealRow*>& rows)
    : sql_(sql), by_(by), now_(now), clients_(clients) {
    const core::Id ws = by.workspace_id;
    deals::DealsService::EnsureDefaultsIn(sql, ws, by.lang, now);
    pipelines_ = deals::store::SelectPipelines(sql, ws, false);
    default_pipeline_ = deals::store::DefaultPipelineId(sql, ws);
    loss_reasons_ = deals::store::SelectLossReasons(sql, ws, false);
    for (const auto& p : pipelines_) {
        pipeline_by_name_[FoldName(p.name)] = &p;
        auto& stages = stage_by_name_[p.id];
        for (const auto& s : p.stages) stages.emplace(FoldName(s.name), &s);
    }
    for (const auto& r : loss_reasons_) {
        loss_reason_by_name_[FoldName(r.name_ru)] = r.id;
        loss_reason_by_name_[FoldName(r.name_en)] = r.id;
    }
    {
        long long w = ws;
        std::string tz, currency;
        sql << kWorkspace, soci::use(w, "ws"), soci::into(tz), soci::into(currency);
        if (deals::IsCurrency(currency)) currency_ = currency;
        try {
            zone_ = date::locate_zone(tz.empty() ? "Europe/Moscow" : tz);
        } catch (const std::exception&) {
            zone_ = nullptr;  // an unknown zone: the file's times are taken as UTC
        }
    }
    bool any_lines = false;
    std::vector<std::string> inns, names;
    for (const DealRow* r : rows) {
        any_lines = any_lines || !r->lines.empty();
        if (!r->company_inn.empty()) inns.push_back(clients::DigitsOnly(r->company_inn));
        if (!r->company_name.empty()) names.push_back(r->company_name);
    }
    clients_.PrefetchCompanies(inns, names);
    std::vector<std::string> phones, emails;
    for (const DealRow* r : rows) {
        if (auto p = clients::NormalizePhone(r->contact_phone)) phones.push_back(p->e164);
        if (auto e = clients::NormalizeEmail(r->contact_email)) emails.push_back(*e);
    }
    if (!phones.empty() || !emails.empty()) clients_.PrefetchPoints("contact", phones, emails);
    if (any_lines) {
        catalog::store::ProductFilter f;
        for (;;) {
            auto page = catalog::store::ListProducts(sql, ws, f, kProductPage);
            for (auto& p : page) products_.push_back(std::move(p));
            if (static_cast<int>(page.size()) < kProductPage) break;
            f.after = std::make_pair(products_.back().name, products_.back().id);
        }
        std::unordered_map<std::string, int> name_count;
        for (const auto& p : products_) ++name_count[FoldName(p.name)];
        for (const auto& p : products_) {
            by_sku_.emplace(FoldName(p.sku), &p);
            if (name_count[FoldName(p.name)] == 1) by_name_.emplace(FoldName(p.name), &p);
        }
    }
}

core::Millis DealImportWriter::ToMillis(const LocalStamp& s) const {
    using namespace std::chrono;
    const date::local_seconds local = date::local_days{date::year{s.year} / s.month / s.day} + seconds{s.seconds};
    const auto utc = zone_ ? zone_->to_sys(local, date::choose::earliest) : date::sys_seconds{local.time_since_epoch()};
    return duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

const std::vector<std::pair<core::Id, std::string>>& DealImportWriter::CompanyContactsOf(core::Id company_id) {
    auto it = company_contacts_.find(company_id);
    if (it == company_contacts_.end())
        it = company_contacts_.emplace(company_id, deals::store::CompanyContacts(sql_, by_.workspace_id, company_id))
                 .first;
    return it->second;
}

const std::string& DealImportWriter::CompanyNameOf(core::Id id) {
    auto it = company_names_.find(id);
    if (it == company_names_.end())
        it = company_names_.emplace(id, deals::store::CompanyName(sql_, by_.workspace_id, id).value_or("")).first;
    return it->second;
}

std::vector<FieldError> DealImportWriter::Resolve(const DealRow& row, Resolved& out) {
    std::vector<FieldError> errs;
    // Pipeline and stage by name; a won/lost word in the stage cell (how exports name their closing stages) picks
    // the pipeline's won or lost stage.
    if (row.pipeline.empty()) {
        for (const auto& p : pipelines_)
            if (p.id == default_pipeline_) out.pipeline = &p;
    } else if (auto it = pipeline_by_name_.find(FoldName(row.pipeline)); it != pipeline_by_name_.end()) {
        out.pipeline = it->second;
    }
    if (!out.pipeline) return {{"pipeline", "unknown_pipeline", row.pipeline}};
    std::optional<DealStatus> status = row.status;
    if (!row.stage.empty()) {
        const auto& stages = stage_by_name_[out.pipeline->id];
        if (auto it = stages.find(FoldName(row.stage)); it != stages.end()) out.stage = it->second;
        if (!out.stage) {
            const auto word = ParseDealStatus(row.stage);
            if (!word || *word == DealStatus::kOpen) return {{"stage", "unknown_stage", row.stage}};
            if (status && *status != *word) return {{"status", "status_conflict", row.stage}};
            status = word;
        }
    }
    const char* kind = !status                        ? "open"
                       : *status == DealStatus::kWon  ? "won"
                       : *status == DealStatus::kLost ? "lost"
                                                      : "open";
    if (!out.stage) {
        for (const auto& s : out.pipeline->stages)
            if (s.kind == kind) {
                out.stage = &s;
                break;
            }
        if (!out.stage) return {{"stage", "unknown_stage", kind}};
    }
    if (status && out.stage->kind != kind) errs.push_back({"status", "status_conflict", out.stage->name});

    if (!row.loss_reason.empty() && out.stage->kind == "lost") {
        if (auto it = loss_reason_by_name_.find(FoldName(row.loss_reason)); it != loss_reason_by_name_.end())
            out.loss_reason_id = it->second;
        if (!out.loss_reason_id) errs.push_back({"loss_reason", "unknown_loss_reason", row.loss_reason});
    }
    if (row.loss_comment.size() > kMaxLossComment)
        errs.push_back({"loss_comment", "too_long", std::to_string(kMaxLossComment)});

    for (const auto& item : row.checklist) {
        std::optional<std::string> code;
        for (const auto& s : out.pipeline->stages)
            for (const auto& c : s.checklist)
                if (c.code == item || FoldName(c.label) == FoldName(item)) code = c.code;
        if (code) {
            out.checklist.insert(*code);
        } else {
            errs.push_back({"checklist", "unknown_checklist_item", item});
        }
    }

    // Dates: kept as the file has them, never in the future.
    out.created_at = row.created ? ToMillis(*row.created) : now_;
    if (out.created_at > now_) errs.push_back({"created_at", "in_future", row.created->Day()});
    out.expected_close_date = row.expected_close_date;
    if (out.stage->kind == "open") {
        // An open deal's close date is when it is expected to close (Bitrix24's «Дата завершения»).
        if (row.closed && !out.expected_close_date) out.expected_close_date = row.closed->Day();
    } else {
        // Never before the creation (a close date without a time on the creation day is that moment).
        out.closed_at = std::max(row.closed ? ToMillis(*row.closed) : out.created_at, out.created_at);
        if (*out.closed_at > now_) errs.push_back({"closed_at", "in_future", row.closed->Day()});
    }

    // The client: by INN, else by exact name; a named company that is not there yet is created (a person never is).
    const std::string inn = clients::DigitsOnly(row.company_inn);
    if (!inn.empty()) out.company_id = clients_.FindCompanyByInn(inn);
    if (!out.company_id && !row.company_name.empty()) out.company_id = clients_.FindCompanyByName(row.company_name);
    if (!out.company_id) {
        if (!row.company_name.empty()) {
            out.create_company = true;
        } else if (!inn.empty()) {
            errs.push_back({"company_inn", "unknown_company", row.company_inn});
        }
    }

    // The contact person: by phone or e-mail (normalised as the clients import does) — one of the company's contacts
    // when the row has a company — else by name among the company's contacts. A named person who is not there is
    // not invented: the row is refused, naming them.
    if (!row.contact_name.empty() || !row.contact_phone.empty() || !row.contact_email.empty()) {
        const std::vector<std::pair<core::Id, std::string>> of_company =
            out.company_id ? CompanyContactsOf(*out.company_id) : std::vector<std::pair<core::Id, std::string>>{};
        const auto belongs = [&](core::Id id) {
            return !out.company_id ||
                   std::any_of(of_company.begin(), of_company.end(), [&](const auto& c) { return c.first == id; });
        };
        std::vector<std::pair<std::string, std::string>> points;
        if (!row.contact_phone.empty()) {
            if (auto p = clients::NormalizePhone(row.contact_phone)) {
                points.emplace_back("phone", p->e164);
            } else {
                errs.push_back({"contact_phone", "invalid_phone", row.contact_phone});
            }
        }
        if (!row.contact_email.empty()) {
            if (auto e = clients::NormalizeEmail(row.contact_email)) {
                points.emplace_back("email", *e);
            } else {
                errs.push_back({"contact_email", "invalid_email", row.contact_email});
            }
        }
        if (!points.empty())
            if (auto id = clients_.FindByPoints("contact", points); id && belongs(*id)) out.contact_id = id;
        if (!out.contact_id && !row.contact_name.empty()) {
            const std::string folded = FoldName(row.contact_name);
            for (const auto& [id, name] : of_company)
                if (FoldName(name) == folded) {
                    out.contact_id = id;
                    break;
                }
        }
        if (!out.contact_id && !out.create_company) {
            const std::string who = !row.contact_name.empty()    ? row.contact_name
                                    : !row.contact_phone.empty() ? row.contact_phone
                                                                 : row.contact_email;
            errs.push_back({"contact_name", "unknown_contact", who});
        }
    }

    // Product lines: the catalog's product by SKU, else by a unique name; otherwise a free-text line.
    const std::string currency = row.currency.empty() ? currency_ : row.currency;
    bool price_list_read = false;
    std::optional<core::Id> price_list;  // the default list in the deal's currency, read at its first use
    for (std::size_t i = 0; i < row.lines.size(); ++i) {
        const DealLineText& t = row.lines[i];
        const std::string at = "lines/" + std::to_string(i) + "/";
        const std::string folded = FoldName(t.product);
        const catalog::Product* p = nullptr;
        if (auto it = by_sku_.find(folded); it != by_sku_.end()) {
            p = it->second;
        } else if (auto jt = by_name_.find(folded); jt != by_name_.end()) {
            p = jt->second;
        }
        catalog::DealLine l;
        l.workspace_id = by_.workspace_id;
        l.position = static_cast<int>(i);
        l.name = p ? p->name : t.product;
        if (p) {
            l.product_id = p->id;
            l.sku = p->sku;
            l.unit = p->unit;
            l.vat_rate_bp = p->vat_rate_bp;
        } else {
            l.vat_rate_bp = catalog::Product{}.vat_rate_bp;
        }
        l.quantity_milli = t.quantity_milli;
        if (t.unit_price_minor) {
            l.unit_price_minor = *t.unit_price_minor;
        } else if (p) {
            if (!price_list_read) {
                price_list_read = true;
                for (const auto& pl : catalog::store::ListPriceLists(sql_, by_.workspace_id, false))
                    if (pl.is_default && pl.currency == currency) price_list = pl.id;
            }
            std::optional<std::int64_t> price;
            if (price_list) price = catalog::store::PriceOf(sql_, by_.workspace_id, *price_list, p->id);
            if (!price) {
                errs.push_back({at + "unit_price_minor", "price_required", t.product});
                continue;
            }
            l.unit_price_minor = *price;
        } else {
            errs.push_back({at + "unit_price_minor", "price_required", t.product});
            continue;
        }
        auto line_errs = catalog::ValidateLine(l, at);
        if (!line_errs.empty()) {
            errs.insert(errs.end(), line_errs.begin(), line_errs.end());
            continue;
        }
        l.amount_minor = catalog::LineAmount(l.quantity_milli, l.unit_price_minor, l.discount_bp);
        out.lines.push_back(std::move(l));
    }
    if (!deals::IsCurrency(currency)) errs.push_back({"currency", "invalid_currency", currency});
    return errs;
}

std::vector<FieldError> DealImportWriter::Write(const DealRow& row, std::optional<core::Id> owner) {
    last_existing_ = false;
    Resolved r;
    if (auto errs = Resolve(row, r); !errs.empty()) return errs;
    const core::Id ws = by_.workspace_id;
    // The natural key: a deal this file (or an earlier import of it) brought in is updated or skipped, never
    // created twice.
    if (!row.external_id.empty()) {
        if (auto existing = deals::store::DealIdByExternalId(sql_, ws, row.external_id)) {
            last_existing_ = true;
            return UpdateExisting(row, r, *existing, owner);
        }
    }
    const std::optional<core::Id> actor_user = by_.user_id ? std::optional<core::Id>(by_.user_id) : std::nullopt;

    deals::Deal d;
    d.workspace_id = ws;
    d.pipeline_id = r.pipeline->id;
    d.stage_id = r.stage->id;
    d.title = row.title;
    d.owner_user_id = owner ? owner : actor_user;
    d.currency = row.currency.empty() ? currency_ : row.currency;
    d.expected_close_date = r.expected_close_date;
    d.status = r.stage->kind;
    d.checklist = r.checklist;
    d.created_by = actor_user;
    d.created_at = r.created_at;
    d.updated_at = now_;
    d.closed_at = r.closed_at;
    d.stage_entered_at = r.closed_at.value_or(r.created_at);
    d.last_activity_at = d.stage_entered_at;
    if (d.status == "lost") {
        d.loss_reason_id = r.loss_reason_id;
        d.loss_comment = row.loss_comment;
    }
    // A deal with lines is worth their sum (the catalog's rule for every deal): an amount beside them must agree.
    std::int64_t lines_sum = 0;
    for (const auto& l : r.lines) lines_sum += l.amount_minor;
    if (row.amount_minor && !r.lines.empty() && *row.amount_minor != lines_sum) {
        const std::string kopecks = std::to_string(100 + lines_sum % 100).substr(1);
        return {{"amount", "lines_sum_differs", std::to_string(lines_sum / 100) + "." + kopecks}};
    }
    d.amount_minor = r.lines.empty() ? row.amount_minor.value_or(0) : lines_sum;

    // A new company is written in a savepoint: a row the gate then refuses takes it back with it.
    if (r.create_company) {
        clients_.BeginRow();
        sql_ << "SAVEPOINT import_deal_company";
        clients::CompanyInput in;
        in.name = row.company_name;
        if (!row.company_inn.empty()) {
            in.set_inn = true;
            in.inn = row.company_inn;
        }
        if (d.owner_user_id) {
            in.set_owner = true;
            in.owner_user_id = d.owner_user_id;
        }
        auto created = clients_.CreateCompany(in);
        if (!created) {
            sql_ << "ROLLBACK TO SAVEPOINT import_deal_company";
            sql_ << "RELEASE SAVEPOINT import_deal_company";
            clients_.AbortRow();
            core::Error e = created.take_error();
            for (auto& f : e.fields) f.field = "company_" + f.field;
            if (e.fields.empty()) e.fields.push_back({"company_name", "invalid", ""});
            return e.fields;
        }
        d.company_id = *created;
        d.company_name = row.company_name;
    } else if (r.company_id) {
        d.company_id = r.company_id;
        d.company_name = CompanyNameOf(*r.company_id);
    }

    // The custom fields a stage requires do not change within the batch's transaction: read once per stage.
    auto req = required_from_.find(r.stage->id);
    if (req == required_from_.end())
        req = required_from_
                  .emplace(r.stage->id, deals::store::CustomRequiredFrom(sql_, ws, r.pipeline->id, r.stage->position))
                  .first;
    if (r.contact_id) {
        d.contact_id = r.contact_id;
        d.contact_name = deals::store::ContactName(sql_, ws, *r.contact_id).value_or("");
    }
    auto entry = deals::DealsService::CheckEntryInTx(sql_, d, *r.stage, d.loss_reason_id, by_.lang, &req->second);
    if (!entry) {
        if (r.create_company) {
            sql_ << "ROLLBACK TO SAVEPOINT import_deal_company";
            sql_ << "RELEASE SAVEPOINT import_deal_company";
            clients_.AbortRow();
        }
        core::Error e = entry.take_error();
        for (auto& f : e.fields)
            if (f.field == "loss_reason_id") f.field = "loss_reason";
        if (e.fields.empty()) e.fields.push_back({"stage", e.message_key.empty() ? "invalid" : e.message_key, ""});
        return e.fields;
    }
    if (r.create_company) sql_ << "RELEASE SAVEPOINT import_deal_company";

    d.id = deals::store::InsertDeal(sql_, d);
    if (!row.external_id.empty()) deals::store::SetExternalId(sql_, ws, d.id, row.external_id);
    if (d.status == "open") {
        deals::store::InsertHistory(sql_, ws, d.id, std::nullopt, d.stage_id, actor_user, r.created_at);
    } else {
        // A closed deal came in through the pipeline's first open stage and left it for won or lost at the close.
        const deals::Stage* first = nullptr;
        for (const auto& s : r.pipeline->stages)
            if (s.kind == "open") {
                first = &s;
                break;
            }
        std::optional<core::Id> from;
        if (first) {
            deals::store::InsertHistory(sql_, ws, d.id, std::nullopt, first->id, actor_user, r.created_at);
            from = first->id;
        }
        deals::store::InsertHistory(sql_, ws, d.id, from, d.stage_id, actor_user, *r.closed_at);
    }
    for (auto& l : r.lines) {
        l.deal_id = d.id;
        l.created_at = r.created_at;
        l.updated_at = now_;
        catalog::store::InsertLine(sql_, l);
    }
    created_.push_back(d.id);
    lines_ += static_cast<long long>(r.lines.size());
    return {};
}

std::vector<FieldError> DealImportWriter::UpdateExisting(const DealRow& row, const Resolved& r, core::Id id,
                                                         std::optional<core::Id> owner) {
    const core::Id ws = by_.workspace_id;
    auto found = deals::store::SelectDealById(sql_, ws, id);
    if (!found || found->deleted_at) return {{"external_id", "deal_deleted", row.external_id}};
    // Only the deals the importing person may change (the same visibility as the deal card).
    if (!vis_) vis_.emplace(auth::BuildVisibility(sql_, by_, org::store::WorkspaceToday(sql_, ws, now_)));
    const auth::Predicate writable = vis_->Write("d");
    if (!deals::store::SelectDeal(sql_, id, writable, false)) return {{"external_id", "not_yours", row.external_id}};
    // What a re-import refreshes: the title, amount and currency (a deal with lines keeps their sum), owner, client,
    // contact and expected close date. Its stage, lines and dates stay as the pipeline has moved them since.
    const deals::Deal before = *found;
    deals::Deal d = before;
    d.title = row.title;
    if (owner) d.owner_user_id = owner;
    if (!row.currency.empty()) d.currency = row.currency;
    if (row.amount_minor && r.lines.empty() && catalog::ReadDealLines(sql_, ws, id).empty())
        d.amount_minor = *row.amount_minor;
    if (r.company_id) {
        d.company_id = r.company_id;
        d.company_name = CompanyNameOf(*r.company_id);
    }
    if (r.contact_id) d.contact_id = r.contact_id;
    if (r.expected_close_date && d.status == "open") d.expected_close_date = r.expected_close_date;
    const bool same = d.title == before.title && d.owner_user_id == before.owner_user_id &&
                      d.currency == before.currency && d.amount_minor == before.amount_minor &&
                      d.company_id == before.company_id && d.contact_id == before.contact_id &&
                      d.expected_close_date == before.expected_close_date;
    if (same) {
        skipped_.push_back(id);
        return {};
    }
    if (r.create_company) return {{"company_name", "unknown_company", row.company_name}};
    // The gate of the stage it stands in still holds (fields only: its checklist was ticked or not in the app).
    if (d.status != "lost") {
        auto stage = deals::store::SelectStage(sql_, ws, d.stage_id);
        if (stage) {
            deals::Stage fields_only = *stage;
            fields_only.checklist.clear();
            auto entry = deals::DealsService::CheckEntryInTx(sql_, d, fields_only, d.loss_reason_id, by_.lang);
            if (!entry) {
                core::Error e = entry.take_error();
                if (e.fields.empty())
                    e.fields.push_back({"stage", e.message_key.empty() ? "invalid" : e.message_key, ""});
                return e.fields;
            }
        }
    }
    d.updated_at = now_;
    d.last_activity_at = now_;
    if (!deals::store::UpdateDeal(sql_, d, writable)) return {{"external_id", "not_yours", row.external_id}};
    const auto snapshot = [](const deals::Deal& x) {
        json::object o{{"title", x.title}, {"amount_minor", x.amount_minor}, {"currency", x.currency}};
        o["owner_user_id"] = x.owner_user_id ? json::value(*x.owner_user_id) : json::value(nullptr);
        o["company_id"] = x.company_id ? json::value(*x.company_id) : json::value(nullptr);
        o["contact_id"] = x.contact_id ? json::value(*x.contact_id) : json::value(nullptr);
        o["expected_close_date"] = x.expected_close_date ? json::value(*x.expected_close_date) : json::value(nullptr);
        return o;
    };
    events::WriteAudit(sql_, by_, now_, {"deal.import_update", "deal", id, snapshot(before), snapshot(d)});
    updated_.push_back(id);
    return {};
}

void DealImportWriter::BeginRow() {
    row_created_ = created_.size();
    row_updated_ = updated_.size();
    row_skipped_ = skipped_.size();
    row_lines_ = lines_;
}

void DealImportWriter::AbortRow() {
    created_.resize(row_created_);
    updated_.resize(row_updated_);
    skipped_.resize(row_skipped_);
    lines_ = row_lines_;
}

void DealImportWriter::Summarise(json::object& summary) const {
    summary["deal"] = json::object{{"created", created_.size()},
                                   {"ids", clients::IdRanges(created_)},
                                   {"updated", updated_.size()},
                                   {"updated_ids", clients::IdRanges(updated_)},
                                   {"skipped", skipped_.size()}};
    summary["deal_lines"] = lines_;
}

}  // namespace otdel::imports
