#include "imports/import_service.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "auth/visibility.hpp"
#include "core/ids.hpp"
#include "core/messages.hpp"
#include "events/audit.hpp"
#include "imports/import_files.hpp"
#include "imports/text_encoding.hpp"
#include "jobs/job_store.hpp"
#include "jobs/scheduler.hpp"

namespace otdel::imports {
namespace json = boost::json;
namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kJobKind = "import.run";
constexpr const char* kWorkspaceBySlug = "SELECT id FROM workspaces WHERE slug = :slug";
constexpr const char* kFirstWorkspace = "SELECT MIN(id) FROM workspaces";
constexpr const char* kUserByEmail =
    "SELECT id, is_admin FROM users WHERE workspace_id = :ws AND LOWER(email) = LOWER(:email) AND status = 'active'";
constexpr const char* kFirstAdmin =
    "SELECT MIN(id) FROM users WHERE workspace_id = :ws AND is_admin = 1 AND status = 'active'";

std::string Today(const core::Clock& clock) {
    const auto now = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(clock.NowMs()));
    return date::format("%F", date::floor<date::days>(now));
}

bool SafeName(const std::string& s) {
    return !s.empty() && s.size() <= 255 && s.find('\0') == std::string::npos;
}

}  // namespace

std::string MappingJson(const ColumnMap& columns) {
    json::object cols;
    for (const auto& [h, f] : columns) cols[h] = f;
    return json::serialize(json::object{{"columns", cols}});
}

std::optional<ColumnMap> ParseMappingJson(const std::string& text) {
    try {
        const json::value v = json::parse(text);
        if (!v.is_object()) return std::nullopt;
        ColumnMap out;
        auto it = v.as_object().find("columns");
        if (it == v.as_object().end()) return out;
        if (!it->value().is_object()) return std::nullopt;
        for (const auto& [h, f] : it->value().as_object()) {
            if (!f.is_string()) return std::nullopt;
            out[std::string(h)] = std::string(f.as_string());
        }
        return out;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

ImportService::ImportService(db::Database& db, const core::Clock& clock, leads::LeadIntake& intake,
                             ImportsConfig config)
    : db_(db), clock_(clock), config_(std::move(config)), runner_(db, clock, intake) {}

core::Result<void> ImportService::MayCreate(soci::session& sql, const core::Actor& a, Entity e) const {
    const auth::Visibility vis = auth::BuildVisibility(sql, a, Today(clock_));
    if (!vis.Can(auth::Action::kCreate, ObjectTypeOf(e))) return Error::Of(ErrorCode::kForbidden);
    return core::Ok();
}

core::Result<Upload> ImportService::UploadFile(const core::Actor& a, const std::string& entity_name,
                                               const std::string& file_name, const std::string& encoding,
                                               const std::string& bytes) {
    const auto entity = ParseEntity(entity_name);
    std::vector<core::FieldError> errs;
    if (!entity || entity_name == "clients") errs.push_back({"entity", "not_one_of", "company, contact, lead, deal"});
    if (!SafeName(file_name)) errs.push_back({"file_name", "required", ""});
    if (!encoding.empty() && CanonicalEncoding(encoding).empty())
        errs.push_back({"encoding", "not_one_of", "utf-8, cp1251"});
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
    if (static_cast<std::int64_t>(bytes.size()) > config_.max_upload_bytes)
        return Error::Of(ErrorCode::kPayloadTooLarge);
    if (bytes.empty()) return Error::Field("file", "empty_file");
    OTDEL_TRY_VOID(db_.Read([&](soci::session& sql) { return MayCreate(sql, a, *entity); }));

    const fs::path dir = fs::path(config_.dir) / std::to_string(a.workspace_id);
    fs::create_directories(dir);
    FileFormat fmt{DetectFormat(std::string_view(bytes).substr(0, 8)), CanonicalEncoding(encoding), ""};
    const fs::path path = fs::absolute(dir / (core::RandomToken(12) + "." + fmt.format));
    {
        std::ofstream out(path, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) return Error::Of(ErrorCode::kInternal);
    }
    std::string error;
    auto reader = OpenRows(path.string(), fmt, config_.xlsx, error);
    Upload up;
    Row row;
    bool have_header = false;
    if (reader) {
        while (static_cast<int>(up.preview.size()) < kPreviewRows && reader->Next(row)) {
            if (!have_header) {
                if (!row.error.empty()) {
                    error = row.error;
                    break;
                }
                up.headers = row.cells;
                have_header = true;
                continue;
            }
            up.preview.push_back(row);
        }
        if (error.empty()) error = ReaderError(*reader);
    }
    if (error.empty() && !have_header) error = "empty_file";
    if (!error.empty()) {
        fs::remove(path);
        return Error::Field("file", error);
    }
    up.suggested = SuggestMapping(*entity, up.headers);

    store::ImportRow r;
    r.workspace_id = a.workspace_id;
    r.entity = std::string(EntityName(*entity));
    r.file_name = file_name;
    r.stored_path = path.string();
    r.file_size = static_cast<std::int64_t>(bytes.size());
    r.format = fmt.format;
    r.encoding = fmt.format == "csv" ? fmt.encoding : "";
    r.delimiter = fmt.format == "csv" ? fmt.delimiter : "";
    r.mapping = MappingJson(up.suggested);
    r.status = "uploaded";
    r.created_by = a.user_id;
    const core::Millis now = clock_.NowMs();
    auto stored = db_.InTx([&](soci::session& sql) -> core::Result<store::ImportRow> {
        const core::Id id = store::InsertImport(sql, r, now);
        events::WriteAudit(sql, a, now,
                           {"import.upload", "import", id, std::nullopt,
                            json::object{{"file_name", file_name}, {"entity", r.entity}, {"size", r.file_size}}});
        return *store::GetImport(sql, a.workspace_id, id);
    });
    if (!stored) {
        fs::remove(path);
        return stored.take_error();
    }
    up.run = *stored;
    return up;
}

core::Result<store::ImportRow> ImportService::Start(const core::Actor& a, core::Id id, const StartInput& in) {
    const core::Millis now = clock_.NowMs();
    auto result = db_.InTx([&](soci::session& sql) -> core::Result<store::ImportRow> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, Today(clock_));
        const auth::Predicate p = vis.Read("i", "created_by");
        auto run = store::GetVisibleImport(sql, a.workspace_id, id, p);
        if (!run) return Error::Of(ErrorCode::kNotFound);
        const Entity entity = *ParseEntity(run->entity);
        if (!vis.Can(auth::Action::kCreate, ObjectTypeOf(entity))) return Error::Of(ErrorCode::kForbidden);
        if (run->status != "uploaded") return Error::Of(ErrorCode::kConflict, "imports.not_startable");

        ColumnMap columns;
        std::optional<core::Id> mapping_id;
        if (in.mapping_id) {
            store::EnsureBuiltinMappings(sql, a.workspace_id, now);
            auto m = store::GetMapping(sql, a.workspace_id, *in.mapping_id);
            if (!m || m->entity != run->entity) return Error::Field("mapping_id", "not_found");
            columns = ParseMappingJson(m->definition).value_or(ColumnMap{});
            mapping_id = m->id;
        } else if (in.columns) {
            columns = *in.columns;
        } else {
            columns = ParseMappingJson(run->mapping).value_or(ColumnMap{});
        }
        auto errs = CheckMapping(entity, columns);
        for (auto& e : errs) e.field = "mapping/" + e.field;
        if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
        bool any = false;
        for (const auto& [h, f] : columns) any = any || !f.empty();
        if (!any) return Error::Field("mapping", "required");

        const std::string def = MappingJson(columns);
        if (in.save_mapping_as) {
            if (store::FindMappingByName(sql, a.workspace_id, run->entity, *in.save_mapping_as))
                return Error::Field("save_mapping_as", "not_unique");
            store::MappingRow m;
            m.entity = run->entity;
            m.name = *in.save_mapping_as;
            m.definition = def;
            m.created_by = a.user_id;
            mapping_id = store::InsertMapping(sql, a.workspace_id, m, now);
        }
        if (!store::QueueImport(sql, a.workspace_id, id, def, mapping_id, in.dry_run, now))
            return Error::Of(ErrorCode::kConflict, "imports.not_startable");
        jobs::JobSpec spec;
        spec.workspace_id = a.workspace_id;
        spec.kind = kJobKind;
        spec.payload = json::object{{"import_id", id}};
        spec.run_at = now;
        spec.dedupe_key = "import:" + std::to_string(id);
        jobs::JobStore::Schedule(sql, spec, now);
        events::WriteAudit(sql, a, now,
                           {"import.queue", "import", id, std::nullopt,
                            json::object{{"mapping", json::parse(def)}, {"dry_run", in.dry_run}}});
        return *store::GetImport(sql, a.workspace_id, id);
    });
    if (result && scheduler_) scheduler_->Wake();
    return result;
}

core::Result<store::ImportRow> ImportService::Get(const core::Actor& a, core::Id id) {
    return db_.Read([&](soci::session& sql) -> core::Result<store::ImportRow> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, Today(clock_));
        const auth::Predicate p = vis.Read("i", "created_by");
        auto run = store::GetVisibleImport(sql, a.workspace_id, id, p);
        if (!run) return Error::Of(ErrorCode::kNotFound);
        return *run;
    });
}

core::Result<std::vector<store::ImportRow>> ImportService::List(const core::Actor& a, std::optional<core::Id> before,
                                                                int limit) {
    return db_.Read([&](soci::session& sql) -> core::Result<std::vector<store::ImportRow>> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, Today(clock_));
        const auth::Predicate p = vis.Read("i", "created_by");
        return store::ListImports(sql, p, before, limit);
    });
}

core::Result<store::ImportRow> ImportService::Cancel(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::ImportRow> {
        const auth::Visibility vis = auth::BuildVisibility(sql, a, Today(clock_));
        const auth::Predicate p = vis.Read("i", "created_by");
        auto run = store::GetVisibleImport(sql, a.workspace_id, id, p);
        if (!run) return Error::Of(ErrorCode::kNotFound);
        if (!store::Cancel(sql, a.workspace_id, id, now)) return Error::Of(ErrorCode::kConflict, "imports.finished");
        events::WriteAudit(
            sql, a, now,
            {"import.cancel", "import", id, std::nullopt, json::object{{"processed_rows", run->processed_rows}}});
        return *store::GetImport(sql, a.workspace_id, id);
    });
}

core::Result<std::string> ImportService::ErrorReport(const core::Actor& a, core::Id id, core::Lang lang) {
    auto run = Get(a, id);
    if (!run) return run.take_error();
    // The original header, when the file is still there, labels the cells.
    std::vector<std::string> header;
    {
        FileFormat fmt{run->format, run->encoding, run->delimiter};
        std::string error;
        if (auto reader = OpenRows(run->stored_path, fmt, config_.xlsx, error)) {
            Row h;
            if (reader->Next(h) && h.error.empty()) header = h.cells;
        }
    }
    std::string out = "\xEF\xBB\xBF";
    std::vector<std::string> head = {lang == core::Lang::kEn ? "Row" : "Строка",
                                     lang == core::Lang::kEn ? "Reasons" : "Причины"};
    for (const auto& h : header) head.push_back(NeutraliseCell(h));
    out += CsvLine(head);
    std::int64_t after = 0;
    for (;;) {
        auto page =
            db_.Read([&](soci::session& sql) { return store::ListRejects(sql, a.workspace_id, id, after, 1000); });
        if (page.empty()) break;
        for (const auto& r : page) {
            after = r.row_no;
            std::string reasons;
            try {
                const json::value parsed = json::parse(r.reasons);
                for (const auto& v : parsed.as_array()) {
                    const auto& o = v.as_object();
                    core::FieldError fe{std::string(o.at("field").as_string()), std::string(o.at("code").as_string()),
                                        std::string(o.at("param").as_string())};
                    if (!reasons.empty()) reasons += "; ";
                    if (!fe.field.empty()) reasons += fe.field + ": ";
                    reasons += core::FieldMessage(fe, lang);
                }
            } catch (const std::exception&) {
                reasons = r.reasons;
            }
            std::vector<std::string> cells = {std::to_string(r.row_no), NeutraliseCell(reasons)};
            try {
                const json::value raw = json::parse(r.raw);
                for (const auto& c : raw.as_array())
                    cells.push_back(NeutraliseCell(c.is_string() ? std::string(c.as_string()) : json::serialize(c)));
            } catch (const std::exception&) {
            }
            out += CsvLine(cells);
        }
    }
    return out;
}

core::Result<std::vector<store::MappingRow>> ImportService::ListMappings(const core::Actor& a,
                                                                         const std::string& entity_name) {
    const auto entity = ParseEntity(entity_name);
    if (!entity || entity_name == "clients")
        return Error::Field("entity", "not_one_of", "company, contact, lead, deal");
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<std::vector<store::MappingRow>> {
        store::EnsureBuiltinMappings(sql, a.workspace_id, now);
        return store::ListMappings(sql, a.workspace_id, std::string(EntityName(*entity)));
    });
}

core::Result<store::MappingRow> ImportService::CreateMapping(const core::Actor& a, const std::string& entity_name,
                                                             const std::string& name, const ColumnMap& columns) {
    const auto entity = ParseEntity(entity_name);
    if (!entity || entity_name == "clients")
        return Error::Field("entity", "not_one_of", "company, contact, lead, deal");
    auto errs = CheckMapping(*entity, columns);
    for (auto& e : errs) e.field = "columns/" + e.field.substr(8);
    if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::MappingRow> {
        OTDEL_TRY_VOID(MayCreate(sql, a, *entity));
        store::EnsureBuiltinMappings(sql, a.workspace_id, now);
        const std::string e(EntityName(*entity));
        if (store::FindMappingByName(sql, a.workspace_id, e, name)) return Error::Field("name", "not_unique");
        store::MappingRow m;
        m.entity = e;
        m.name = name;
        m.definition = MappingJson(columns);
        m.created_by = a.user_id;
        const core::Id id = store::InsertMapping(sql, a.workspace_id, m, now);
        events::WriteAudit(sql, a, now,
                           {"import_mapping.create", "import_mapping", id, std::nullopt, json::parse(m.definition)});
        return *store::GetMapping(sql, a.workspace_id, id);
    });
}

core::Result<store::MappingRow> ImportService::UpdateMapping(const core::Actor& a, core::Id id,
                                                             const std::optional<std::string>& name,
                                                             const std::optional<ColumnMap>& columns) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<store::MappingRow> {
        auto m = store::GetMapping(sql, a.workspace_id, id);
        if (!m) return Error::Of(ErrorCode::kNotFound);
        const Entity entity = *ParseEntity(m->entity);
        OTDEL_TRY_VOID(MayCreate(sql, a, entity));
        if (m->builtin) return Error::Of(ErrorCode::kConflict, "imports.mapping_builtin");
        std::string def = m->definition;
        if (columns) {
            auto errs = CheckMapping(entity, *columns);
            if (!errs.empty()) return Error{ErrorCode::kValidation, {}, errs, 0};
            def = MappingJson(*columns);
        }
        const std::string new_name = name.value_or(m->name);
        if (new_name != m->name && store::FindMappingByName(sql, a.workspace_id, m->entity, new_name))
            return Error::Field("name", "not_unique");
        store::UpdateMapping(sql, a.workspace_id, id, new_name, def, now);
        auto after = store::GetMapping(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"import_mapping.update", "import_mapping", id,
                            json::object{{"name", m->name}, {"definition", json::parse(m->definition)}},
                            json::object{{"name", after->name}, {"definition", json::parse(after->definition)}}});
        return *after;
    });
}

core::Result<void> ImportService::DeleteMapping(const core::Actor& a, core::Id id) {
    const core::Millis now = clock_.NowMs();
    return db_.InTx([&](soci::session& sql) -> core::Result<void> {
        auto m = store::GetMapping(sql, a.workspace_id, id);
        if (!m) return Error::Of(ErrorCode::kNotFound);
        OTDEL_TRY_VOID(MayCreate(sql, a, *ParseEntity(m->entity)));
        if (m->builtin) return Error::Of(ErrorCode::kConflict, "imports.mapping_builtin");
        store::DeleteMapping(sql, a.workspace_id, id);
        events::WriteAudit(sql, a, now,
                           {"import_mapping.delete", "import_mapping", id,
                            json::object{{"name", m->name}, {"definition", json::parse(m->definition)}}, std::nullopt});
        return core::Ok();
    });
}

void ImportService::AttachScheduler(jobs::Scheduler& scheduler) {
    scheduler_ = &scheduler;
    scheduler.Register(kJobKind, [this](const jobs::JobContext& ctx) -> core::Result<void> {
        auto it = ctx.job.payload.find("import_id");
        if (it == ctx.job.payload.end() || !it->value().is_int64()) return core::Ok();
        RunOptions options;
        options.batch_size = config_.batch_size;
        options.xlsx = config_.xlsx;
        auto r = runner_.Run(ctx.job.workspace_id, it->value().as_int64(), options);
        if (!r) return r.take_error();
        return core::Ok();
    });
}

core::Result<store::ImportRow> ImportService::RunNow(core::Id ws, core::Id id, RunOptions options) {
    return runner_.Run(ws, id, options);
}

int ImportService::RunCli(const CliImport& args, std::optional<int> stop_after_batches) {
    const auto entity = ParseEntity(args.entity);
    if (!entity) {
        std::fprintf(stderr, "otdel import: unknown entity '%s' (clients, contacts, leads, deals)\n",
                     args.entity.c_str());
        return 2;
    }
    std::error_code ec;
    const fs::path path = fs::absolute(args.file, ec);
    const auto size = fs::file_size(path, ec);
    if (ec) {
        std::fprintf(stderr, "otdel import: cannot read %s\n", args.file.c_str());
        return 2;
    }
    // Workspace and the user the rows are written as.
    core::Id ws = 0, uid = 0;
    bool is_admin = false;
    std::string problem;
    db_.Read([&](soci::session& sql) {
        long long w = 0;
        soci::indicator ind = soci::i_null;
        if (!args.workspace_slug.empty()) {
            sql << kWorkspaceBySlug, soci::use(args.workspace_slug, "slug"), soci::into(w, ind);
        } else {
            sql << kFirstWorkspace, soci::into(w, ind);
        }
        if (!sql.got_data() || ind != soci::i_ok) {
            problem = "no such workspace";
            return 0;
        }
        ws = w;
        long long u = 0;
        int admin = 0;
        if (!args.as_email.empty()) {
            sql << kUserByEmail, soci::use(w, "ws"), soci::use(args.as_email, "email"), soci::into(u),
                soci::into(admin);
            if (!sql.got_data()) problem = "no active user " + args.as_email + " in the workspace";
        } else {
            soci::indicator uind = soci::i_null;
            sql << kFirstAdmin, soci::use(w, "ws"), soci::into(u, uind);
            admin = 1;
            if (!sql.got_data() || uind != soci::i_ok) problem = "the workspace has no administrator (use --as)";
        }
        uid = u;
        is_admin = admin != 0;
        return 0;
    });
    if (!problem.empty()) {
        std::fprintf(stderr, "otdel import: %s\n", problem.c_str());
        return 2;
    }
    core::Actor actor =
        core::Actor::SignedIn(core::ActorKind::kUser, ws, uid, is_admin, core::Lang::kRu, "cli:import", "", "");
    const std::string e(EntityName(*entity));
    auto existing = db_.Read([&](soci::session& sql) {
        return store::FindUnfinished(sql, ws, e, path.string(), static_cast<std::int64_t>(size));
    });
    core::Id id = 0;
    if (existing) {
        id = existing->id;
        std::fprintf(stderr, "otdel import: resuming import #%lld after row %lld\n", static_cast<long long>(id),
                     static_cast<long long>(existing->processed_rows));
    } else {
        // A new run over the file where it lies (it is not copied).
        FileFormat fmt{"", "", ""};
        {
            std::ifstream in(path, std::ios::binary);
            char head[8] = {};
            in.read(head, sizeof head);
            fmt.format = DetectFormat(std::string_view(head, static_cast<std::size_t>(in.gcount())));
        }
        std::string error;
        auto reader = OpenRows(path.string(), fmt, config_.xlsx, error);
        Row header;
        if (!reader || !reader->Next(header) || !header.error.empty()) {
            std::fprintf(stderr, "otdel import: cannot read the file (%s)\n",
                         error.empty() ? "no header row" : error.c_str());
            return 1;
        }
        ColumnMap columns;
        if (args.mapping == "auto") {
            columns = SuggestMapping(*entity, header.cells);
        } else {
            auto m = db_.InTx([&](soci::session& sql) -> core::Result<std::optional<store::MappingRow>> {
                store::EnsureBuiltinMappings(sql, ws, clock_.NowMs());
                return store::FindMappingByName(sql, ws, e, args.mapping);
            });
            if (!m || !*m) {
                std::fprintf(stderr, "otdel import: no mapping '%s' for %s (see GET /api/v1/imports/mappings)\n",
                             args.mapping.c_str(), e.c_str());
                return 2;
            }
            columns = ParseMappingJson((*m)->definition).value_or(ColumnMap{});
        }
        auto created = db_.InTx([&](soci::session& sql) -> core::Result<core::Id> {
            OTDEL_TRY_VOID(MayCreate(sql, actor, *entity));
            store::ImportRow r;
            r.workspace_id = ws;
            r.entity = e;
            r.file_name = path.filename().string();
            r.stored_path = path.string();
            r.file_size = static_cast<std::int64_t>(size);
            r.format = fmt.format;
            r.encoding = fmt.format == "csv" ? fmt.encoding : "";
            r.delimiter = fmt.format == "csv" ? fmt.delimiter : "";
            r.mapping = MappingJson(columns);
            r.status = "uploaded";
            r.created_by = uid;
            const core::Millis now = clock_.NowMs();
            const core::Id new_id = store::InsertImport(sql, r, now);
            store::QueueImport(sql, ws, new_id, r.mapping, std::nullopt, args.dry_run, now);
            return new_id;
        });
        if (!created) {
            std::fprintf(stderr, "otdel import: %s\n", core::ErrorMessage(created.error(), core::Lang::kEn).c_str());
            return 1;
        }
        id = *created;
    }
    RunOptions options;
    options.batch_size = config_.batch_size;
    options.xlsx = config_.xlsx;
    options.stop_after_batches = stop_after_batches;
    const auto started = std::chrono::steady_clock::now();
    options.on_progress = [&](const store::ImportRow& r) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::fprintf(stderr, "\rimport #%lld: %lld rows (%lld created, %lld merged, %lld rejected) %.1f s",
                     static_cast<long long>(r.id), static_cast<long long>(r.processed_rows),
                     static_cast<long long>(r.created_rows), static_cast<long long>(r.merged_rows),
                     static_cast<long long>(r.rejected_rows), s);
        std::fflush(stderr);
    };
    auto done = runner_.Run(ws, id, options);
    std::fprintf(stderr, "\n");
    if (!done) {
        std::fprintf(stderr, "otdel import: %s\n", core::ErrorMessage(done.error(), core::Lang::kEn).c_str());
        return 1;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("import #%lld %s: %lld rows, %lld created, %lld merged, %lld rejected%s in %.2f s\n",
                static_cast<long long>(done->id), done->status.c_str(), static_cast<long long>(done->processed_rows),
                static_cast<long long>(done->created_rows), static_cast<long long>(done->merged_rows),
                static_cast<long long>(done->rejected_rows), done->dry_run ? " (dry run)" : "", secs);
    if (done->status == "failed") {
        std::fprintf(stderr, "otdel import: failed: %s\n", done->error.c_str());
        return 1;
    }
    return done->status == "done" ? 0 : 3;
}

}  // namespace otdel::imports
