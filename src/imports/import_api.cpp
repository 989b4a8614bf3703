// HTTP handlers of the imports room: upload (raw body), start, progress, list, error report, cancel, mappings.
#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "imports/import_service.hpp"

namespace otdel::imports {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::object ColumnsJson(const ColumnMap& m) {
    json::object o;
    for (const auto& [h, f] : m) o[h] = f;
    return o;
}

json::object ImportJson(const store::ImportRow& r) {
    json::value mapping = json::object{{"columns", json::object{}}};
    if (auto cols = ParseMappingJson(r.mapping)) mapping = json::object{{"columns", ColumnsJson(*cols)}};
    return json::object{{"id", r.id},
                        {"entity", r.entity},
                        {"file_name", r.file_name},
                        {"file_size", r.file_size},
                        {"format", r.format},
                        {"encoding", r.encoding},
                        {"delimiter", r.delimiter},
                        {"mapping", mapping},
                        {"mapping_id", OrNull(r.mapping_id)},
                        {"dry_run", r.dry_run},
                        {"status", r.status},
                        {"total_rows", OrNull(r.total_rows)},
                        {"processed_rows", r.processed_rows},
                        {"created_rows", r.created_rows},
                        {"merged_rows", r.merged_rows},
                        {"rejected_rows", r.rejected_rows},
                        {"error", r.error},
                        {"created_by", OrNull(r.created_by)},
                        {"created_at", r.created_at},
                        {"started_at", OrNull(r.started_at)},
                        {"finished_at", OrNull(r.finished_at)},
                        {"updated_at", r.updated_at}};
}

json::object MappingRowJson(const store::MappingRow& m) {
    return json::object{{"id", m.id},
                        {"entity", m.entity},
                        {"name", m.name},
                        {"builtin", m.builtin},
                        {"columns", ColumnsJson(ParseMappingJson(m.definition).value_or(ColumnMap{}))},
                        {"created_by", OrNull(m.created_by)},
                        {"created_at", m.created_at},
                        {"updated_at", m.updated_at}};
}

json::array FieldsJson(Entity e) {
    json::array a;
    for (const auto& f : TargetFields(e))
        a.push_back(json::object{
            {"code", f.code}, {"label_ru", f.label_ru}, {"label_en", f.label_en}, {"repeated", f.repeated}});
    return a;
}

// {"<header>": "<field>"} from a body member; field errors collected into `f`.
std::optional<ColumnMap> ReadColumns(const json::object& body, std::string_view name, http::FieldReader& f,
                                     bool required) {
    const json::object* o = f.Object(name, required);
    if (!o) return std::nullopt;
    ColumnMap out;
    if (o->size() > 1000) {
        f.AddError(std::string(name), "too_many", "1000");
        return std::nullopt;
    }
    for (const auto& [h, v] : *o) {
        if (!v.is_string() || h.size() > 300) {
            f.AddError(std::string(name) + "/" + std::string(h), "wrong_type", "string");
            continue;
        }
        out[std::string(h)] = std::string(v.as_string());
    }
    (void)body;
    return out;
}

}  // namespace

void ImportService::Register(http::Router& router) {
    router.Post("/api/v1/imports", Access::kUser, [this](Request& req) {
        auto r = UploadFile(req.actor, req.Query("entity").value_or(""), req.Query("file_name").value_or(""),
                            req.Query("encoding").value_or(""), req.body);
        if (!r) return http::Problem(req, r.error());
        json::object out = ImportJson(r->run);
        json::array headers, preview;
        for (const auto& h : r->headers) headers.emplace_back(h);
        for (const auto& row : r->preview) {
            json::array cells;
            for (const auto& c : row.cells) cells.emplace_back(c);
            preview.push_back(json::object{{"row", row.number}, {"cells", cells}, {"error", row.error}});
        }
        out["headers"] = headers;
        out["preview"] = preview;
        out["suggested_mapping"] = json::object{{"columns", ColumnsJson(r->suggested)}};
        out["target_fields"] = FieldsJson(*ParseEntity(r->run.entity));
        return http::Json(201, out);
    });
    router.Get("/api/v1/imports", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto r = List(req.actor, page->after_id, page->limit + 1);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        std::optional<std::string> next;
        for (std::size_t i = 0; i < r->size(); ++i) {
            if (static_cast<int>(i) == page->limit) {
                next = http::EncodeCursor((*r)[i - 1].id);
                break;
            }
            items.push_back(ImportJson((*r)[i]));
        }
        return http::Json(json::object{{"items", items}, {"next_cursor", next ? json::value(*next) : nullptr}});
    });
    router.Get("/api/v1/imports/mappings", Access::kUser, [this](Request& req) {
        const std::string entity = req.Query("entity").value_or("");
        auto r = ListMappings(req.actor, entity);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& m : *r) items.push_back(MappingRowJson(m));
        return http::Json(json::object{{"items", items}, {"target_fields", FieldsJson(*ParseEntity(entity))}});
    });
    router.Post("/api/v1/imports/mappings", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto entity = f.Enum("entity", true, {"company", "contact", "lead", "deal"});
        auto name = f.String("name", {.required = true, .min_len = 1, .max_len = 100});
        auto columns = ReadColumns(*body, "columns", f, true);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = CreateMapping(req.actor, *entity, *name, *columns);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, MappingRowJson(*r));
    });
    router.Patch("/api/v1/imports/mappings/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto name = f.String("name", {.required = false, .min_len = 1, .max_len = 100});
        auto columns = ReadColumns(*body, "columns", f, false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = UpdateMapping(req.actor, *id, name, columns);
        if (!r) return http::Problem(req, r.error());
        return http::Json(MappingRowJson(*r));
    });
    router.Delete("/api/v1/imports/mappings/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeleteMapping(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Get("/api/v1/imports/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ImportJson(*r));
    });
    router.Post("/api/v1/imports/{id}/start", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        StartInput in;
        if (const json::object* m = f.Object("mapping", false)) {
            auto it = m->find("columns");
            if (it == m->end() || !it->value().is_object()) {
                f.AddError("mapping/columns", "required");
            } else {
                ColumnMap cols;
                for (const auto& [h, v] : it->value().as_object()) {
                    if (!v.is_string()) {
                        f.AddError("mapping/columns/" + std::string(h), "wrong_type", "string");
                        continue;
                    }
                    cols[std::string(h)] = std::string(v.as_string());
                }
                in.columns = cols;
            }
        }
        in.mapping_id = f.Int("mapping_id", false, 1, INT64_MAX);
        in.dry_run = f.Bool("dry_run", false).value_or(false);
        in.save_mapping_as = f.String("save_mapping_as", {.required = false, .min_len = 1, .max_len = 100});
        if (in.columns && in.mapping_id) f.AddError("mapping_id", "conflict");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Start(req.actor, *id, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(202, ImportJson(*r));
    });
    router.Post("/api/v1/imports/{id}/cancel", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Cancel(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ImportJson(*r));
    });
    router.Get("/api/v1/imports/{id}/errors.csv", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ErrorReport(req.actor, *id, req.lang);
        if (!r) return http::Problem(req, r.error());
        Response res;
        res.content_type = "text/csv; charset=utf-8";
        res.body = std::move(*r);
        res.Header("Content-Disposition", "attachment; filename=\"import-" + std::to_string(*id) + "-errors.csv\"");
        return res;
    });
}

}  // namespace otdel::imports
