#include "clients/clients_import.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "clients/clients_import_store.hpp"
#include "clients/clients_store.hpp"
#include "clients/clients_write.hpp"
#include "events/audit.hpp"

namespace otdel::clients {
namespace json = boost::json;

namespace {

constexpr std::size_t kIdBlock = 256;

bool FillText(std::string& dst, const std::string& src, const char* name, std::vector<std::string>& filled) {
    if (!dst.empty() || src.empty()) return false;
    dst = src;
    filled.emplace_back(name);
    return true;
}

void FillOpt(std::optional<std::string>& dst, const std::optional<std::string>& src, const char* name,
             std::vector<std::string>& filled) {
    if ((dst && !dst->empty()) || !src || src->empty()) return;
    dst = src;
    filled.emplace_back(name);
}

bool IsEmptyValue(const CustomValue& v) {
    switch (v.type) {
        case CustomValue::Type::kNull: return true;
        case CustomValue::Type::kString: return v.text.empty();
        case CustomValue::Type::kStrings: return v.strings.empty();
        default: return false;
    }
}

std::string Key(const std::string& type, const std::string& kind, const std::string& value) {
    std::string k = type;
    k += '\n';
    k += kind;
    k += '\n';
    k += value;
    return k;
}

json::object Part(const std::vector<core::Id>& ids) {
    std::set<core::Id> distinct(ids.begin(), ids.end());
    return json::object{{"count", ids.size()}, {"records", distinct.size()}, {"ids", IdRanges(ids)}};
}

std::vector<std::pair<std::string, std::string>> KeysOf(const std::vector<ContactPoint>& points) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : points) out.emplace_back(p.kind, p.value);
    return out;
}

// The stored custom values as the rules see them: only emptiness matters here (null, "", [] are empty).
std::map<std::string, CustomValue> StoredCustom(const std::string& custom_json) {
    std::map<std::string, CustomValue> out;
    boost::system::error_code ec;
    const json::value v = json::parse(custom_json, ec);
    if (ec || !v.is_object()) return out;
    for (const auto& [k, x] : v.as_object()) {
        CustomValue c;
        if (x.is_string()) {
            c.type = CustomValue::Type::kString;
            c.text = std::string(x.as_string());
        } else if (x.is_array()) {
            c.type = CustomValue::Type::kStrings;
            for (const auto& e : x.as_array())
                if (e.is_string()) c.strings.emplace_back(e.as_string());
            if (c.strings.empty() && !x.as_array().empty()) c.type = CustomValue::Type::kOther;
        } else if (!x.is_null()) {
            c.type = CustomValue::Type::kOther;
        }
        out[std::string(k)] = std::move(c);
    }
    return out;
}

}  // namespace

std::vector<std::string> FillEmptyFields(Company& record, const Company& row) {
    std::vector<std::string> filled;
    FillText(record.legal_form, row.legal_form, "legal_form", filled);
    FillText(record.full_name, row.full_name, "full_name", filled);
    FillOpt(record.inn, row.inn, "inn", filled);
    FillOpt(record.kpp, row.kpp, "kpp", filled);
    FillOpt(record.ogrn, row.ogrn, "ogrn", filled);
    FillText(record.legal_address, row.legal_address, "legal_address", filled);
    FillText(record.actual_address, row.actual_address, "actual_address", filled);
    FillText(record.website, row.website, "website", filled);
    FillText(record.notes, row.notes, "notes", filled);
    if (record.tags.empty() && !row.tags.empty()) {
        record.tags = row.tags;
        filled.emplace_back("tags");
    }
    return filled;
}

std::vector<std::string> FillEmptyFields(Contact& record, const Contact& row) {
    std::vector<std::string> filled;
    FillText(record.last_name, row.last_name, "last_name", filled);
    FillText(record.first_name, row.first_name, "first_name", filled);
    FillText(record.middle_name, row.middle_name, "middle_name", filled);
    FillOpt(record.birthday, row.birthday, "birthday", filled);
    FillText(record.notes, row.notes, "notes", filled);
    if (record.tags.empty() && !row.tags.empty()) {
        record.tags = row.tags;
        filled.emplace_back("tags");
    }
    record.full_name = FullName(record.last_name, record.first_name, record.middle_name);
    return filled;
}

std::map<std::string, CustomValue> NewCustomValues(const std::map<std::string, CustomValue>& record,
                                                   const std::map<std::string, CustomValue>& row) {
    std::map<std::string, CustomValue> out;
    for (const auto& [code, value] : row) {
        if (IsEmptyValue(value)) continue;
        auto it = record.find(code);
        if (it == record.end() || IsEmptyValue(it->second)) out[code] = value;
    }
    return out;
}

namespace {

void FillCustom(const std::string& stored, const std::map<std::string, CustomValue>& row,
                std::optional<std::map<std::string, CustomValue>>& change, std::vector<std::string>& filled) {
    auto add = NewCustomValues(StoredCustom(stored), row);
    if (add.empty()) return;
    for (const auto& [code, value] : add) filled.push_back("custom/" + code);
    change = std::move(add);
}

}  // namespace

std::vector<ContactPoint> NewPoints(const std::vector<ContactPoint>& record, const std::vector<ContactPoint>& row) {
    std::set<std::pair<std::string, std::string>> have;
    bool has_phone = false, has_email = false;
    for (const auto& p : record) {
        have.insert({p.kind, p.value});
        (p.kind == "phone" ? has_phone : has_email) = true;
    }
    std::vector<ContactPoint> out;
    std::size_t total = record.size();
    for (const auto& p : row) {
        if (total >= kMaxPoints) break;
        if (!have.insert({p.kind, p.value}).second) continue;
        ContactPoint add = p;
        add.id = 0;
        bool& has = p.kind == "phone" ? has_phone : has_email;
        add.is_primary = !has;
        has = true;
        out.push_back(std::move(add));
        ++total;
    }
    return out;
}

ImportWriter::ImportWriter(soci::session& sql, const core::Actor& by, core::Millis now)
    : sql_(sql), by_(by), now_(now) {}

const std::vector<CustomField>& ImportWriter::Fields(const std::string& entity) {
    auto& slot = entity == "company" ? company_fields_ : contact_fields_;
    if (!slot) slot = store::ListFields(sql_, by_.workspace_id, entity, true);
    return *slot;
}

void ImportWriter::PrefetchPoints(const std::string& type, const std::vector<std::string>& phones,
                                  const std::vector<std::string>& emails) {
    for (const auto& [kind, values] : {std::pair{std::string("phone"), &phones}, {std::string("email"), &emails}}) {
        std::vector<std::string> ask;
        for (const auto& v : *values)
            if (base_.emplace(Key(type, kind, v), std::nullopt).second) ask.push_back(v);
        for (const auto& h : store::FindPointHolders(sql_, by_.workspace_id, type, kind, ask)) {
            auto& slot = base_[Key(type, kind, h.key)];
            if (!slot) slot = h.id;  // the oldest point's record, as a one-key lookup finds first
        }
    }
}

void ImportWriter::PrefetchCompanies(const std::vector<std::string>& inns, const std::vector<std::string>& names) {
    for (const auto& [kind, values] : {std::pair{std::string("inn"), &inns}, {std::string("name"), &names}}) {
        std::vector<std::string> ask;
        for (const auto& v : *values)
            if (!v.empty() && base_.emplace(Key("company", kind, v), std::nullopt).second) ask.push_back(v);
        const auto found = kind == "inn" ? store::FindCompaniesByInns(sql_, by_.workspace_id, ask)
                                         : store::FindCompaniesByNames(sql_, by_.workspace_id, ask);
        for (const auto& h : found) {
            auto& slot = base_[Key("company", kind, h.key)];
            if (!slot) slot = h.id;
        }
    }
}

std::optional<core::Id> ImportWriter::Lookup(const std::string& key, const std::string& type, const std::string& kind,
                                             const std::string& value) {
    auto it = base_.find(key);
    if (it == base_.end()) {
        // Not prefetched: ask for this one key.
        std::vector<store::KeyHolder> found;
        if (kind == "inn") {
            found = store::FindCompaniesByInns(sql_, by_.workspace_id, {value});
        } else if (kind == "name") {
            found = store::FindCompaniesByNames(sql_, by_.workspace_id, {value});
        } else {
            found = store::FindPointHolders(sql_, by_.workspace_id, type, kind, {value});
        }
        it = base_.emplace(key, found.empty() ? std::nullopt : std::optional<core::Id>(found.front().id)).first;
    }
    if (it->second) return it->second;
    if (auto b = batch_.find(key); b != batch_.end()) return b->second;
    return std::nullopt;
}

void ImportWriter::Note(const std::string& key, core::Id id) {
    if (batch_.emplace(key, id).second) row_keys_.push_back(key);
}

std::optional<core::Id> ImportWriter::FindByPoints(const std::string& type,
                                                   const std::vector<std::pair<std::string, std::string>>& points) {
    // Phones first, then e-mails, each in the row's order: the order the one-by-one lookup asked in.
    for (const char* kind : {"phone", "email"})
        for (const auto& [k, v] : points)
            if (k == kind)
                if (auto id = Lookup(Key(type, k, v), type, k, v)) return id;
    return std::nullopt;
}

std::optional<core::Id> ImportWriter::FindCompanyByInn(const std::string& inn_digits) {
    if (inn_digits.empty()) return std::nullopt;
    return Lookup(Key("company", "inn", inn_digits), "company", "inn", inn_digits);
}

std::optional<core::Id> ImportWriter::FindCompanyByName(const std::string& name) {
    if (name.empty()) return std::nullopt;
    return Lookup(Key("company", "name", name), "company", "name", name);
}

core::Result<core::Id> ImportWriter::CreateCompany(const CompanyInput& in) {
    Company base;
    base.workspace_id = by_.workspace_id;
    if (by_.user_id) base.owner_user_id = by_.user_id;
    base.created_by = by_.user_id ? std::optional<core::Id>(by_.user_id) : std::nullopt;
    base.source_lead_id = in.source_lead_id;
    auto d = detail::ValidateCompanyInput(sql_, by_, base, in, &Fields("company"));
    if (!d) return d.take_error();
    Company c = std::move(d->company);
    c.created_at = c.updated_at = now_;
    std::vector<ContactPoint> points = d->points.value_or(std::vector<ContactPoint>{});
    if (buffered_) {
        c.id = NextId("companies");
        new_companies_.push_back(c);
        for (const auto& p : points) new_points_.push_back({"company", c.id, p});
    } else {
        c.id = store::InsertCompany(sql_, c, now_);
        for (auto& p : points) p.id = store::InsertPoint(sql_, c.workspace_id, "company", c.id, p, now_);
    }
    QueueDoc(detail::CompanyDoc(c, points), true);
    if (c.inn) Note(Key("company", "inn", *c.inn), c.id);
    Note(Key("company", "name", c.name), c.id);
    for (const auto& p : points) Note(Key("company", p.kind, p.value), c.id);
    companies_created_.push_back(c.id);
    return c.id;
}

core::Result<core::Id> ImportWriter::CreateContact(const ContactInput& in) {
    Contact base;
    base.workspace_id = by_.workspace_id;
    if (by_.user_id) base.owner_user_id = by_.user_id;
    base.created_by = by_.user_id ? std::optional<core::Id>(by_.user_id) : std::nullopt;
    base.source_lead_id = in.source_lead_id;
    auto d = detail::ValidateContactInput(sql_, by_, base, in, &Fields("contact"));
    if (!d) return d.take_error();
    Contact c = std::move(d->contact);
    c.created_at = c.updated_at = now_;
    std::vector<ContactPoint> points = d->points.value_or(std::vector<ContactPoint>{});
    if (buffered_) {
        c.id = NextId("contacts");
        new_contacts_.push_back(c);
        for (const auto& p : points) new_points_.push_back({"contact", c.id, p});
    } else {
        c.id = store::InsertContact(sql_, c, now_);
        for (auto& p : points) p.id = store::InsertPoint(sql_, c.workspace_id, "contact", c.id, p, now_);
    }
    QueueDoc(detail::ContactDoc(c, points), true);
    for (const auto& p : points) Note(Key("contact", p.kind, p.value), c.id);
    contacts_created_.push_back(c.id);
    return c.id;
}

void ImportWriter::LinkNewContact(const Link& link) {
    if (buffered_) {
        new_links_.push_back(link);
    } else {
        store::InsertNewLink(sql_, by_.workspace_id, link, now_);
    }
    ++links_;
}

core::Id ImportWriter::NextId(const std::string& table) {
    auto& ids = table == "companies" ? free_company_ids_ : free_contact_ids_;
    auto& next = table == "companies" ? next_company_id_ : next_contact_id_;
    if (next == ids.size()) {
        // Ids are taken in blocks (one query per block); unused ones are gaps, as any sequence leaves. A block
        // continues after the last id handed out (on SQLite those records may not be written yet).
        const core::Id after = ids.empty() ? 0 : ids.back();
        ids = store::AllocateIds(sql_, table, kIdBlock, after);
        next = 0;
    }
    return ids[next++];
}

void ImportWriter::FlushRecords() {
    // Parents first: the links and points refer to the records.
    store::InsertCompanies(sql_, by_.workspace_id, new_companies_, now_);
    store::InsertContacts(sql_, by_.workspace_id, new_contacts_, now_);
    store::InsertPoints(sql_, by_.workspace_id, new_points_, now_);
    store::InsertLinks(sql_, by_.workspace_id, new_links_, now_);
    new_companies_.clear();
    new_contacts_.clear();
    new_points_.clear();
    new_links_.clear();
}

FillResult ImportWriter::FillCompany(core::Id id, const CompanyInput& in) {
    FillResult r;
    if (!new_companies_.empty() && id >= new_companies_.front().id) FlushRecords();  // filled: written first
    auto cur = store::SelectCompany(sql_, by_.workspace_id, id, nullptr);
    if (!cur || cur->deleted_at) return r;
    const auto points = store::ListPoints(sql_, by_.workspace_id, "company", id);
    // The row's values as a company, to compare field by field.
    Company row;
    row.legal_form = in.legal_form.value_or("");
    row.full_name = in.full_name.value_or("");
    if (in.set_inn) row.inn = in.inn;
    if (in.set_kpp) row.kpp = in.kpp;
    if (in.set_ogrn) row.ogrn = in.ogrn;
    row.legal_address = in.legal_address.value_or("");
    row.actual_address = in.actual_address.value_or("");
    row.website = in.website.value_or("");
    row.notes = in.notes.value_or("");
    row.tags = in.tags.value_or(std::vector<std::string>{});
    Company filled = *cur;
    r.fields = FillEmptyFields(filled, row);
    CompanyInput change;
    if (filled.legal_form != cur->legal_form) change.legal_form = filled.legal_form;
    if (filled.full_name != cur->full_name) change.full_name = filled.full_name;
    if (filled.inn != cur->inn) change.set_inn = true, change.inn = filled.inn;
    if (filled.kpp != cur->kpp) change.set_kpp = true, change.kpp = filled.kpp;
    if (filled.ogrn != cur->ogrn) change.set_ogrn = true, change.ogrn = filled.ogrn;
    if (filled.legal_address != cur->legal_address) change.legal_address = filled.legal_address;
    if (filled.actual_address != cur->actual_address) change.actual_address = filled.actual_address;
    if (filled.website != cur->website) change.website = filled.website;
    if (filled.notes != cur->notes) change.notes = filled.notes;
    if (filled.tags != cur->tags) change.tags = filled.tags;
    if (in.custom) FillCustom(cur->custom_json, *in.custom, change.custom, r.fields);
    std::vector<ContactPoint> add;
    if (in.points) {
        auto normalised = detail::NormalizePointInputs(*in.points);
        if (normalised) add = NewPoints(points, *normalised);
    }
    if (r.fields.empty() && add.empty()) return r;
    auto d = detail::ValidateCompanyInput(sql_, by_, *cur, change, &Fields("company"));
    if (!d) {
        r.fields.clear();
        r.refused = d.error().fields;
        return r;
    }
    Company after = std::move(d->company);
    store::UpdateCompany(sql_, after, now_);
    std::vector<ContactPoint> all = points;
    for (auto& p : add) {
        p.id = store::InsertPoint(sql_, by_.workspace_id, "company", id, p, now_);
        all.push_back(p);
        Note(Key("company", p.kind, p.value), id);
    }
    if (after.inn && after.inn != cur->inn) Note(Key("company", "inn", *after.inn), id);
    r.points_added = static_cast<int>(add.size());
    events::WriteAudit(sql_, by_, now_,
                       {"company.update", "company", id, json::value(detail::CompanyAuditJson(*cur, points)),
                        json::value(detail::CompanyAuditJson(after, all))});
    QueueDoc(detail::CompanyDoc(after, all), false);
    NoteRecord(companies_filled_, id);
    return r;
}

FillResult ImportWriter::FillContact(core::Id id, const ContactInput& in) {
    FillResult r;
    if (!new_contacts_.empty() && id >= new_contacts_.front().id) FlushRecords();  // filled: written first
    auto cur = store::SelectContact(sql_, by_.workspace_id, id, nullptr);
    if (!cur || cur->deleted_at) return r;
    const auto points = store::ListPoints(sql_, by_.workspace_id, "contact", id);
    Contact row;
    row.last_name = in.last_name.value_or("");
    row.first_name = in.first_name.value_or("");
    row.middle_name = in.middle_name.value_or("");
    if (in.set_birthday) row.birthday = in.birthday;
    row.notes = in.notes.value_or("");
    row.tags = in.tags.value_or(std::vector<std::string>{});
    Contact filled = *cur;
    r.fields = FillEmptyFields(filled, row);
    ContactInput change;
    if (filled.last_name != cur->last_name) change.last_name = filled.last_name;
    if (filled.first_name != cur->first_name) change.first_name = filled.first_name;
    if (filled.middle_name != cur->middle_name) change.middle_name = filled.middle_name;
    if (filled.birthday != cur->birthday) change.set_birthday = true, change.birthday = filled.birthday;
    if (filled.notes != cur->notes) change.notes = filled.notes;
    if (filled.tags != cur->tags) change.tags = filled.tags;
    if (in.custom) FillCustom(cur->custom_json, *in.custom, change.custom, r.fields);
    std::vector<ContactPoint> add;
    if (in.points) {
        auto normalised = detail::NormalizePointInputs(*in.points);
        if (normalised) add = NewPoints(points, *normalised);
    }
    if (r.fields.empty() && add.empty()) return r;
    auto d = detail::ValidateContactInput(sql_, by_, *cur, change, &Fields("contact"));
    if (!d) {
        r.fields.clear();
        r.refused = d.error().fields;
        return r;
    }
    Contact after = std::move(d->contact);
    store::UpdateContact(sql_, after, now_);
    std::vector<ContactPoint> all = points;
    for (auto& p : add) {
        p.id = store::InsertPoint(sql_, by_.workspace_id, "contact", id, p, now_);
        all.push_back(p);
        Note(Key("contact", p.kind, p.value), id);
    }
    r.points_added = static_cast<int>(add.size());
    events::WriteAudit(sql_, by_, now_,
                       {"contact.update", "contact", id, json::value(detail::ContactAuditJson(*cur, points)),
                        json::value(detail::ContactAuditJson(after, all))});
    QueueDoc(detail::ContactDoc(after, all), false);
    NoteRecord(contacts_filled_, id);
    return r;
}

void ImportWriter::QueueDoc(detail::SearchDoc doc, bool is_new) {
    DocKey key{doc.type, doc.id};
    auto it = docs_.find(key);
    row_docs_.emplace_back(key, it == docs_.end() ? std::nullopt : std::optional<PendingDoc>(it->second));
    if (it == docs_.end()) {
        docs_.emplace(std::move(key), PendingDoc{std::move(doc), is_new});
    } else {
        it->second.doc = std::move(doc);  // a record created in this batch stays new
    }
}

void ImportWriter::Flush() {
    FlushRecords();
    std::vector<store::NewSearchDoc> fresh;
    for (auto& [key, p] : docs_) {
        if (p.is_new) {
            fresh.push_back({p.doc.type, p.doc.id, p.doc.owner, std::move(p.doc.title), std::move(p.doc.body)});
        } else {
            store::UpsertSearchDoc(sql_, by_.workspace_id, p.doc.type, p.doc.id, p.doc.owner, p.doc.title, p.doc.body,
                                   now_);
        }
    }
    store::InsertSearchDocs(sql_, by_.workspace_id, fresh, now_);
    docs_.clear();
    row_docs_.clear();
}

void ImportWriter::NoteRecord(std::vector<core::Id>& list, core::Id id) {
    list.push_back(id);
}

void ImportWriter::NoteMerged(const std::string& type, core::Id id) {
    NoteRecord(type == "company" ? companies_merged_ : contacts_merged_, id);
}

void ImportWriter::BeginRow() {
    row_keys_.clear();
    row_docs_.clear();
    row_sizes_ = {companies_created_.size(), contacts_created_.size(), companies_merged_.size(),
                  contacts_merged_.size(),   companies_filled_.size(), contacts_filled_.size()};
    row_links_ = links_;
    row_buffered_ = {new_companies_.size(), new_contacts_.size(), new_points_.size(), new_links_.size()};
}

void ImportWriter::AbortRow() {
    for (const auto& k : row_keys_) batch_.erase(k);
    row_keys_.clear();
    std::vector<core::Id>* lists[] = {&companies_created_, &contacts_created_, &companies_merged_,
                                      &contacts_merged_,   &companies_filled_, &contacts_filled_};
    for (std::size_t i = 0; i < row_sizes_.size(); ++i) lists[i]->resize(row_sizes_[i]);
    links_ = row_links_;
    if (row_buffered_.size() == 4) {
        // What the row buffered and did not write (its savepoint took back whatever FlushRecords wrote).
        new_companies_.resize(std::min(new_companies_.size(), row_buffered_[0]));
        new_contacts_.resize(std::min(new_contacts_.size(), row_buffered_[1]));
        new_points_.resize(std::min(new_points_.size(), row_buffered_[2]));
        new_links_.resize(std::min(new_links_.size(), row_buffered_[3]));
    }
    for (auto it = row_docs_.rbegin(); it != row_docs_.rend(); ++it) {
        if (it->second) {
            docs_[it->first] = *it->second;
        } else {
            docs_.erase(it->first);
        }
    }
    row_docs_.clear();
    // A filled base record's new keys were rolled back too; the base_ entries read before the row stay true.
}

json::array IdRanges(std::vector<core::Id> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    json::array out;
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
        out.push_back(json::array{ids[i], ids[j]});
        i = j + 1;
    }
    return out;
}

json::object ImportWriter::Summary() const {
    return json::object{{"company", json::object{{"created", Part(companies_created_)},
                                                 {"merged", Part(companies_merged_)},
                                                 {"filled", Part(companies_filled_)}}},
                        {"contact", json::object{{"created", Part(contacts_created_)},
                                                 {"merged", Part(contacts_merged_)},
                                                 {"filled", Part(contacts_filled_)}}},
                        {"links", links_}};
}

}  // namespace otdel::clients
