#include "imports/import_runner.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <future>
#include <map>

#include "auth/visibility.hpp"
#include "clients/clients_import.hpp"
#include "clients/clients_service.hpp"
#include "clients/normalize.hpp"
#include "events/audit.hpp"
#include "imports/import_deals.hpp"
#include "imports/import_files.hpp"
#include "imports/mapping.hpp"
#include "leads/lead_intake.hpp"

namespace otdel::imports {
namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::FieldError;

namespace {

constexpr const char* kUserOfImport = "SELECT is_admin, locale FROM users WHERE workspace_id = :ws AND id = :id";

// A batch writes a few MB of pages (records, points, indexes, search documents); with SQLite's default 2 MB cache the
// transaction spills pages to the WAL before its commit and reads them back. And every INSERT of a batch keeps a
// statement journal (the before-images of pages the transaction already changed) that by default goes to a temporary
// file: one write per statement. Memory for both; the connection keeps the settings (bounded: 32 MB of cache).
constexpr const char* kImportCacheSize = "PRAGMA cache_size = -32768";
constexpr const char* kImportTempStore = "PRAGMA temp_store = MEMORY";

constexpr const char* kHasStats = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'";
// The statistics table may exist with no rows for the points (migration 0023 analyses companies and contacts only).
constexpr const char* kHasPointStats = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'contact_points'";

enum class Outcome { kCreated, kMerged, kRejected };

struct Written {
    Outcome outcome = Outcome::kCreated;
    std::vector<FieldError> reasons;
};

std::string ReasonsJson(const std::vector<FieldError>& reasons) {
    json::array a;
    for (const auto& r : reasons) a.push_back(json::object{{"field", r.field}, {"code", r.code}, {"param", r.param}});
    return json::serialize(a);
}

std::string RawJson(const std::vector<std::string>& cells) {
    json::array a;
    for (const auto& c : cells) a.emplace_back(c);
    return json::serialize(a);
}

clients::CustomValue CustomOf(const std::string& text) {
    clients::CustomValue v;
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && p == text.data() + text.size()) {
        v.type = clients::CustomValue::Type::kInteger;
        v.integer = n;
        return v;
    }
    v.type = clients::CustomValue::Type::kString;
    v.text = text;
    return v;
}

std::string LegalFormOf(const std::string& s) {
    std::string u;
    for (char c : s)
        if (c != ' ' && c != '.') u.push_back(c);
    if (u == "ООО" || u == "ooo" || u == "OOO" || u == "LLC") return "ooo";
    if (u == "АО" || u == "ЗАО" || u == "ОАО" || u == "НАО" || u == "ao" || u == "AO") return "ao";
    if (u == "ПАО" || u == "pao" || u == "PAO") return "pao";
    if (u == "ИП" || u == "ip" || u == "IP") return "ip";
    if (u == "ГУП" || u == "МУП" || u == "ФГУП" || u == "gov") return "gov";
    return u.empty() ? "" : "other";
}

std::string JoinValues(const Record& r, const std::string& field, const char* sep) {
    std::string out;
    auto it = r.values.find(field);
    if (it == r.values.end()) return out;
    for (const auto& v : it->second) {
        if (!out.empty()) out += sep;
        out += v;
    }
    return out;
}

// Everything a row needs besides its record.
struct RowContext {
    soci::session& sql;
    const core::Actor& actor;
    core::Millis now;
    core::Id import_id;
    std::int64_t row_no;
    std::optional<core::Id> owner;
    leads::LeadIntake& intake;
    clients::ImportWriter* writer;  // companies and contacts
};

std::vector<std::string> Raws(const Record& r, const char* kind) {
    std::vector<std::string> out;
    for (const auto& p : r.points)
        if (p.kind == kind) out.push_back(p.value);
    return out;
}

std::vector<clients::PointInput> PointsOf(const Record& r) {
    std::vector<clients::PointInput> out;
    bool first_phone = true, first_email = true;
    for (const auto& p : r.points) {
        bool& first = p.kind == "phone" ? first_phone : first_email;
        // The value MapRow normalised on the reading thread: the writer does not read the phone again.
        out.push_back({p.kind, p.label, p.raw, first, p.value});
        first = false;
    }
    return out;
}

std::map<std::string, clients::CustomValue> CustomValues(const Record& r) {
    std::map<std::string, clients::CustomValue> out;
    for (const auto& [field, values] : r.values)
        if (field.rfind("custom.", 0) == 0 && !values.empty()) out[field.substr(7)] = CustomOf(values.front());
    return out;
}

// A merge: the row's data belongs to an existing record. Noted on that record's timeline (idempotent per row), with
// what the row filled in (fields, new phones/e-mails) or why its values were refused.
void NoteMerge(RowContext& c, const std::string& type, core::Id id, const clients::FillResult* fill = nullptr) {
    const std::string ref = "import:" + std::to_string(c.import_id) + ":" + std::to_string(c.row_no);
    json::object payload{{"import_id", c.import_id}, {"row", c.row_no}};
    if (fill) {
        json::array fields;
        for (const auto& f : fill->fields) fields.emplace_back(f);
        payload["filled"] = std::move(fields);
        payload["points_added"] = fill->points_added;
        if (!fill->refused.empty()) {
            json::array refused;
            for (const auto& r : fill->refused) refused.push_back(json::object{{"field", r.field}, {"code", r.code}});
            payload["fill_refused"] = std::move(refused);
        }
    }
    clients::ClientsService::AddTimelineEvent(
        c.sql, c.actor.workspace_id, type, id, "import_merged", "import",
        "import #" + std::to_string(c.import_id) + ", row " + std::to_string(c.row_no), json::serialize(payload), ref,
        c.now, c.actor.user_id);
}

std::vector<std::pair<std::string, std::string>> Keys(const Record& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : r.points) out.emplace_back(p.kind, p.value);
    return out;
}

Written Fail(const Error& e) {
    Written w;
    w.outcome = Outcome::kRejected;
    w.reasons = e.fields;
    if (w.reasons.empty())
        w.reasons.push_back({"", e.message_key.empty() ? std::string(core::ErrorCodeName(e.code)) : e.message_key, ""});
    return w;
}

clients::CompanyInput CompanyInputOf(RowContext& c, const Record& r) {
    clients::CompanyInput in;
    in.name = r.First("name");
    if (auto f = r.First("legal_form"); !f.empty()) in.legal_form = LegalFormOf(f);
    if (auto v = r.First("inn"); !v.empty()) {
        in.set_inn = true;
        in.inn = v;
    }
    if (auto v = r.First("kpp"); !v.empty()) {
        in.set_kpp = true;
        in.kpp = v;
    }
    if (auto v = r.First("ogrn"); !v.empty()) {
        in.set_ogrn = true;
        in.ogrn = v;
    }
    if (auto v = r.First("address"); !v.empty()) in.actual_address = v;
    if (auto v = r.First("legal_address"); !v.empty()) in.legal_address = v;
    if (auto v = r.First("website"); !v.empty()) in.website = v;
    if (auto it = r.values.find("tags"); it != r.values.end()) in.tags = it->second;
    if (auto v = JoinValues(r, "notes", "\n"); !v.empty()) in.notes = v;
    if (auto cv = CustomValues(r); !cv.empty()) in.custom = cv;
    if (c.owner) {
        in.set_owner = true;
        in.owner_user_id = c.owner;
    }
    in.points = PointsOf(r);
    return in;
}

Written WriteCompany(RowContext& c, const Record& r) {
    std::optional<core::Id> match;
    if (auto inn = r.First("inn"); !inn.empty()) match = c.writer->FindCompanyByInn(clients::DigitsOnly(inn));
    if (!match && !r.points.empty()) match = c.writer->FindByPoints("company", Keys(r));
    const clients::CompanyInput in = CompanyInputOf(c, r);
    if (match) {
        const auto fill = c.writer->FillCompany(*match, in);
        c.writer->NoteMerged("company", *match);
        NoteMerge(c, "company", *match, &fill);
        return {Outcome::kMerged, {}};
    }
    auto created = c.writer->CreateCompany(in);
    if (!created) return Fail(created.error());
    return {Outcome::kCreated, {}};
}

// The company a contact row names (INN first, then the exact name); created when named but unknown.
core::Result<std::optional<core::Id>> CompanyForContact(RowContext& c, const Record& r) {
    const std::string inn = r.First("company_inn"), name = r.First("company_name");
    if (!inn.empty()) {
        if (auto id = c.writer->FindCompanyByInn(clients::DigitsOnly(inn))) return std::optional<core::Id>(id);
    }
    if (!name.empty()) {
        if (auto id = c.writer->FindCompanyByName(name)) return std::optional<core::Id>(id);
    }
    if (name.empty()) return std::optional<core::Id>();
    clients::CompanyInput in;
    in.name = name;
    if (!inn.empty()) {
        in.set_inn = true;
        in.inn = inn;
    }
    if (c.owner) {
        in.set_owner = true;
        in.owner_user_id = c.owner;
    }
    auto created = c.writer->CreateCompany(in);
    if (!created) {
        Error e = created.take_error();
        for (auto& f : e.fields) f.field = "company_" + f.field;
        return e;
    }
    return std::optional<core::Id>(*created);
}

clients::ContactInput ContactInputOf(RowContext& c, const Record& r) {
    clients::ContactInput in;
    in.last_name = r.First("last_name");
    in.first_name = r.First("first_name");
    in.middle_name = r.First("middle_name");
    if (auto v = r.First("birthday"); !v.empty()) {
        in.set_birthday = true;
        in.birthday = v;
    }
    if (auto it = r.values.find("tags"); it != r.values.end()) in.tags = it->second;
    if (auto v = JoinValues(r, "notes", "\n"); !v.empty()) in.notes = v;
    if (auto cv = CustomValues(r); !cv.empty()) in.custom = cv;
    if (c.owner) {
        in.set_owner = true;
        in.owner_user_id = c.owner;
    }
    in.points = PointsOf(r);
    return in;
}

Written WriteContact(RowContext& c, const Record& r) {
    const clients::ContactInput in = ContactInputOf(c, r);
    if (!r.points.empty()) {
        if (auto match = c.writer->FindByPoints("contact", Keys(r))) {
            const auto fill = c.writer->FillContact(*match, in);
            c.writer->NoteMerged("contact", *match);
            NoteMerge(c, "contact", *match, &fill);
            return {Outcome::kMerged, {}};
        }
    }
    auto company = CompanyForContact(c, r);
    if (!company) return Fail(company.error());
    auto created = c.writer->CreateContact(in);
    if (!created) return Fail(created.error());
    if (*company) {
        clients::Link link;
        link.company_id = **company;
        link.contact_id = *created;
        link.position = r.First("position");
        link.is_primary = true;
        c.writer->LinkNewContact(link);
    }
    return {Outcome::kCreated, {}};
}

Written WriteLead(RowContext& c, const Record& r) {
    leads::IncomingLead in;
    in.workspace_id = c.actor.workspace_id;
    in.channel = "import";
    // The row's identity: a resumed batch finds what it already stored instead of storing it twice.
    in.external_ref = "import:" + std::to_string(c.import_id) + ":" + std::to_string(c.row_no);
    in.occurred_at = c.now;
    in.contact_name = r.First("contact_name");
    in.company_name = r.First("company_name");
    in.inn = r.First("inn");
    in.phones = Raws(r, "phone");
    in.emails = Raws(r, "email");
    in.request_text = JoinValues(r, "request_text", "\n");
    in.title = r.First("title");
    in.campaign = r.First("source");
    in.utm_source = r.First("utm_source");
    in.utm_medium = r.First("utm_medium");
    in.utm_campaign = r.First("utm_campaign");
    in.utm_content = r.First("utm_content");
    in.utm_term = r.First("utm_term");
    for (const auto& [field, values] : r.values)
        if (field.rfind("custom.", 0) == 0 && !values.empty()) in.custom[field.substr(7)] = values.front();
    in.default_owner_user_id = c.owner ? c.owner : std::optional<core::Id>(c.actor.user_id);
    in.request_id = c.actor.request_id;
    if (auto v = leads::ValidateIncoming(in); !v) return Fail(v.error());
    auto out = c.intake.AcceptInTx(c.sql, in);
    if (!out) return Fail(out.error());
    return {out->kind == leads::IntakeKind::kCreatedLead ? Outcome::kCreated : Outcome::kMerged, {}};
}

Written WriteDeal(DealImportWriter& writer, const DealRow& row, std::optional<core::Id> owner) {
    auto reasons = writer.Write(row, owner);
    if (reasons.empty()) return {writer.last_existing() ? Outcome::kMerged : Outcome::kCreated, {}};
    return {Outcome::kRejected, std::move(reasons)};
}

// A row read and mapped (pure work, done on the reading thread); owners are resolved in the batch's transaction.
struct Mapped {
    Record rec;
    DealRow deal;  // deals: the record read into a deal row
    std::vector<FieldError> reasons;
};

struct Batch {
    std::vector<Row> rows;
    std::vector<Mapped> mapped;
};

// Reads and maps the next batch: run on its own thread while the previous batch is written, so reading, decoding,
// mapping and normalising phones and e-mails overlap the database work. `done` is the batch written before that
// one, freed here rather than on the writing thread. At most three batches are in memory.
Batch ReadBatch(RowReader& reader, Entity entity, const std::vector<std::string>& fields, int batch_size, Batch done) {
    done = Batch{};
    Batch b;
    Row row;
    while (static_cast<int>(b.rows.size()) < batch_size && reader.Next(row)) b.rows.push_back(std::move(row));
    b.mapped.resize(b.rows.size());
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
        const Row& r = b.rows[i];
        Mapped& m = b.mapped[i];
        if (!r.error.empty()) m.reasons.push_back({"", r.error, ""});
        if (m.reasons.empty()) m.rec = MapRow(entity, fields, r.cells, m.reasons);
        if (m.reasons.empty() && entity == Entity::kDeal) m.deal = ReadDealRow(m.rec, m.reasons);
    }
    return b;
}

}  // namespace

core::Result<store::ImportRow> ImportRunner::Run(core::Id ws, core::Id id, const RunOptions& options) {
    auto loaded = db_.Read([&](soci::session& sql) { return store::GetImport(sql, ws, id); });
    if (!loaded) return Error::Of(ErrorCode::kNotFound);
    store::ImportRow run = *loaded;
    if (run.status != "queued" && run.status != "running") return run;
    const auto entity = ParseEntity(run.entity);
    if (!entity) return Error::Of(ErrorCode::kInternal);

    // Who the rows are written as: the user who started the import, with their rights.
    core::Actor actor = core::Actor::System(ws);
    db_.Read([&](soci::session& sql) {
        if (!run.created_by) return 0;
        int is_admin = 0;
        std::string locale;
        long long w = ws, uid = *run.created_by;
        sql << kUserOfImport, soci::use(w, "ws"), soci::use(uid, "id"), soci::into(is_admin), soci::into(locale);
        if (sql.got_data()) {
            actor = core::Actor::SignedIn(core::ActorKind::kUser, ws, uid, is_admin != 0, core::ParseLang(locale),
                                          "import:" + std::to_string(id), "", "");
        }
        return 0;
    });

    if (db_.engine() == db::Engine::kSqlite) {
        // Without statistics SQLite's planner reads a card's contact points through the (workspace, kind, value)
        // index instead of the subject one, which makes every created row scan all points of the workspace: an
        // import slows down quadratically. Gather statistics once when there are none.
        db_.Read([](soci::session& sql) {
            int n = 0;
            sql << kHasStats, soci::into(n);
            if (n > 0) sql << kHasPointStats, soci::into(n);
            if (n == 0) sql << "ANALYZE";
            return 0;
        });
    }

    const core::Millis started = clock_.NowMs();
    db_.InTx([&](soci::session& sql) -> core::Result<void> {
        store::SetRunning(sql, ws, id, started);
        if (run.status == "queued") {
            events::WriteAudit(
                sql, actor, started,
                {"import.start", "import", id, std::nullopt,
                 json::object{{"entity", run.entity}, {"file_name", run.file_name}, {"dry_run", run.dry_run}}});
        }
        return core::Ok();
    });

    auto finish = [&](const std::string& status, const std::string& error) -> core::Result<store::ImportRow> {
        db_.InTx([&](soci::session& sql) -> core::Result<void> {
            store::Finish(sql, ws, id, status, error, clock_.NowMs());
            auto now_row = store::GetImport(sql, ws, id);
            events::WriteAudit(sql, actor, clock_.NowMs(),
                               {"import.finish", "import", id, std::nullopt,
                                json::object{{"status", now_row ? now_row->status : status},
                                             {"error", error},
                                             {"processed_rows", now_row ? now_row->processed_rows : 0},
                                             {"created_rows", now_row ? now_row->created_rows : 0},
                                             {"merged_rows", now_row ? now_row->merged_rows : 0},
                                             {"rejected_rows", now_row ? now_row->rejected_rows : 0},
                                             {"dry_run", run.dry_run}}});
            return core::Ok();
        });
        auto after = db_.Read([&](soci::session& sql) { return store::GetImport(sql, ws, id); });
        return after ? core::Result<store::ImportRow>(*after) : Error::Of(ErrorCode::kNotFound);
    };

    FileFormat fmt{run.format, run.encoding, run.delimiter};
    std::string error;
    auto reader = OpenRows(run.stored_path, fmt, options.xlsx, error);
    if (!reader) return finish("failed", error);

    Row header;
    if (!reader->Next(header)) {
        const std::string e = ReaderError(*reader);
        return finish(e.empty() ? "done" : "failed", e);
    }
    if (!header.error.empty()) return finish("failed", "bad_header");

    ColumnMap columns;
    try {
        const auto def = json::parse(run.mapping).as_object();
        if (auto it = def.find("columns"); it != def.end() && it->value().is_object())
            for (const auto& [h, f] : it->value().as_object())
                if (f.is_string()) columns[std::string(h)] = std::string(f.as_string());
    } catch (const std::exception&) {
        return finish("failed", "bad_mapping");
    }
    const std::vector<std::string> fields = ResolveColumns(columns, header.cells);

    // Skip what committed batches already handled: the checkpoint counts data rows.
    std::int64_t processed = run.processed_rows;
    Row row;
    for (std::int64_t skipped = 0; skipped < processed; ++skipped) {
        if (!reader->Next(row)) break;
    }

    std::map<std::string, std::optional<core::Id>> owners;  // owner column value → user
    int batches = 0;
    const bool assign_others = actor.is_admin || actor.kind == core::ActorKind::kSystem;
    const std::string object_type = ObjectTypeOf(*entity);
    bool may_assign = assign_others;
    if (!assign_others) {
        may_assign = db_.Read([&](soci::session& sql) {
            return auth::BuildVisibility(sql, actor, "1970-01-01").Can(auth::Action::kAssign, object_type);
        });
    }

    RowReader& rows_in = *reader;
    auto read_next = [&, e = *entity](Batch done) {
        return std::async(std::launch::async, ReadBatch, std::ref(rows_in), e, std::cref(fields), options.batch_size,
                          std::move(done));
    };
    std::future<Batch> next = read_next(Batch{});
    Batch batch;
    for (;;) {
        Batch ready = next.get();
        if (ready.rows.empty()) break;
        next = read_next(std::move(batch));
        batch = std::move(ready);

        // One transaction: the batch's records, its rejects and the checkpoint commit together.
        auto process = [&](bool careful) -> core::Result<bool> {
            return db_.InTx([&](soci::session& sql) -> core::Result<bool> {
                if (store::StatusOf(sql, ws, id) != "running") return false;
                if (db_.engine() == db::Engine::kSqlite) {
                    sql << kImportCacheSize;
                    sql << kImportTempStore;
                }
                const core::Millis now = clock_.NowMs();
                if (run.dry_run) sql << "SAVEPOINT import_dry";
                std::int64_t created = 0, merged = 0;
                std::vector<store::RejectRow> rejects;
                // Rows were mapped while the previous batch was written; owners are checked here, and the batch's
                // dedupe keys are looked up together before any row is written.
                const std::vector<Mapped>& mapped = batch.mapped;
                std::vector<std::optional<core::Id>> owner_of(mapped.size());
                std::vector<std::vector<FieldError>> reasons_of(mapped.size());
                for (std::size_t i = 0; i < mapped.size(); ++i) {
                    const Mapped& m = mapped[i];
                    reasons_of[i] = m.reasons;
                    if (!m.reasons.empty()) continue;
                    if (auto o = m.rec.First("owner_email"); !o.empty()) {
                        auto it = owners.find(o);
                        if (it == owners.end()) it = owners.emplace(o, store::FindUserForOwner(sql, ws, o)).first;
                        owner_of[i] = it->second;
                        if (!owner_of[i]) {
                            reasons_of[i].push_back({"owner_email", "unknown_owner", o});
                        } else if (*owner_of[i] != actor.user_id && !may_assign) {
                            reasons_of[i].push_back({"owner_email", "owner_not_allowed", o});
                        }
                    }
                }
                clients::ImportWriter writer(sql, actor, now);
                // Companies and contacts are written set-based at the batch's end (row by row when careful).
                writer.SetBuffered(*entity == Entity::kCompany || *entity == Entity::kContact);
                std::optional<DealImportWriter> deal_writer;
                if (*entity == Entity::kDeal) {
                    std::vector<const DealRow*> rows;
                    for (std::size_t i = 0; i < mapped.size(); ++i)
                        if (reasons_of[i].empty()) rows.push_back(&mapped[i].deal);
                    deal_writer.emplace(sql, actor, now, writer, rows);
                } else if (*entity != Entity::kLead) {
                    const std::string type = *entity == Entity::kCompany ? "company" : "contact";
                    std::vector<std::string> phones, emails, inns, names;
                    for (std::size_t i = 0; i < mapped.size(); ++i) {
                        const Mapped& m = mapped[i];
                        if (!reasons_of[i].empty()) continue;
                        for (const auto& p : m.rec.points) (p.kind == "phone" ? phones : emails).push_back(p.value);
                        const std::string inn = m.rec.First(*entity == Entity::kCompany ? "inn" : "company_inn");
                        if (!inn.empty()) inns.push_back(clients::DigitsOnly(inn));
                        if (*entity == Entity::kContact) names.push_back(m.rec.First("company_name"));
                    }
                    writer.PrefetchPoints(type, phones, emails);
                    writer.PrefetchCompanies(inns, names);
                }
                for (std::size_t i = 0; i < batch.rows.size(); ++i) {
                    const Row& r = batch.rows[i];
                    const Mapped& m = mapped[i];
                    Written w;
                    if (reasons_of[i].empty()) {
                        RowContext ctx{sql, actor, now, id, r.number, owner_of[i], intake_, &writer};
                        const Record& rec = m.rec;
                        auto write = [&] {
                            return *entity == Entity::kCompany   ? WriteCompany(ctx, rec)
                                   : *entity == Entity::kContact ? WriteContact(ctx, rec)
                                   : *entity == Entity::kDeal    ? WriteDeal(*deal_writer, m.deal, owner_of[i])
                                                                 : WriteLead(ctx, rec);
                        };
                        if (careful) {
                            writer.BeginRow();
                            if (deal_writer) deal_writer->BeginRow();
                            sql << "SAVEPOINT import_row";
                            try {
                                w = write();
                                writer.FlushRecords();  // inside the row's savepoint: a failure is this row's
                                sql << "RELEASE SAVEPOINT import_row";
                            } catch (const std::exception&) {
                                sql << "ROLLBACK TO SAVEPOINT import_row";
                                sql << "RELEASE SAVEPOINT import_row";
                                writer.AbortRow();
                                if (deal_writer) deal_writer->AbortRow();
                                w = Written{Outcome::kRejected, {{"", "write_failed", ""}}};
                            }
                        } else {
                            w = write();
                        }
                    } else {
                        w = Written{Outcome::kRejected, std::move(reasons_of[i])};
                    }
                    if (w.outcome == Outcome::kCreated) ++created;
                    if (w.outcome == Outcome::kMerged) ++merged;
                    if (w.outcome == Outcome::kRejected)
                        rejects.push_back({r.number, ReasonsJson(w.reasons), RawJson(r.cells)});
                }
                if (*entity != Entity::kLead) {
                    writer.Flush();
                    // One audit row for the batch's records: which were created, merged into, filled, linked.
                    json::object summary = writer.Summary();
                    summary["rows"] = json::array{batch.rows.front().number, batch.rows.back().number};
                    summary["processed"] = batch.rows.size();
                    summary["created_rows"] = created;
                    summary["merged_rows"] = merged;
                    summary["rejected_rows"] = rejects.size();
                    if (deal_writer) deal_writer->Summarise(summary);
                    events::WriteAudit(sql, actor, now, {"import.batch", "import", id, std::nullopt, summary});
                }
                if (run.dry_run) {
                    sql << "ROLLBACK TO SAVEPOINT import_dry";
                    sql << "RELEASE SAVEPOINT import_dry";
                }
                store::InsertRejects(sql, ws, id, rejects);
                store::AdvanceCheckpoint(sql, ws, id, processed + static_cast<std::int64_t>(batch.rows.size()), created,
                                         merged, static_cast<std::int64_t>(rejects.size()), now);
                return true;
            });
        };
        core::Result<bool> went = false;
        try {
            went = process(false);
        } catch (const std::exception&) {
            // Something in the batch threw: do it again row by row, each in a savepoint, rejecting the culprit.
            went = process(true);
        }
        if (!went) return went.take_error();
        if (!*went) {
            auto after = db_.Read([&](soci::session& sql) { return store::GetImport(sql, ws, id); });
            return after ? core::Result<store::ImportRow>(*after) : Error::Of(ErrorCode::kNotFound);
        }
        processed += static_cast<std::int64_t>(batch.rows.size());
        ++batches;
        if (options.on_progress) {
            auto now_row = db_.Read([&](soci::session& sql) { return store::GetImport(sql, ws, id); });
            if (now_row) options.on_progress(*now_row);
        }
        if (options.stop_after_batches && batches >= *options.stop_after_batches) {
            auto after = db_.Read([&](soci::session& sql) { return store::GetImport(sql, ws, id); });
            return after ? core::Result<store::ImportRow>(*after) : Error::Of(ErrorCode::kNotFound);
        }
    }
    const std::string e = ReaderError(*reader);
    return finish(e.empty() ? "done" : "failed", e);
}

}  // namespace otdel::imports
