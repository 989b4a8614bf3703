// HTTP handlers of the deals room: parse with FieldReader, call DealsService, answer JSON.
#include <boost/json.hpp>

#include "deals/deals_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::deals {
namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;

namespace {

using http::OrNull;

json::value ParseObject(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return json::object{};
    return v;
}

json::object StageJson(const Stage& s) {
    json::array req, check;
    for (const auto& f : s.required_fields) req.emplace_back(f);
    for (const auto& i : s.checklist) check.push_back(json::object{{"code", i.code}, {"label", i.label}});
    return json::object{{"id", s.id},
                        {"pipeline_id", s.pipeline_id},
                        {"name", s.name},
                        {"position", s.position},
                        {"probability", s.probability},
                        {"kind", s.kind},
                        {"required_fields", std::move(req)},
                        {"checklist", std::move(check)},
                        {"idle_days", OrNull(s.idle_days)},
                        {"is_decision", s.is_decision}};
}

json::object PipelineJson(const Pipeline& p) {
    json::array stages;
    for (const auto& s : p.stages) stages.push_back(StageJson(s));
    return json::object{{"id", p.id},
                        {"name", p.name},
                        {"position", p.position},
                        {"is_default", p.is_default},
                        {"archived_at", OrNull(p.archived_at)},
                        {"stages", std::move(stages)}};
}

json::object LossReasonJson(const LossReason& r, core::Lang lang) {
    return json::object{{"id", r.id},
                        {"name", lang == core::Lang::kEn ? r.name_en : r.name_ru},
                        {"name_ru", r.name_ru},
                        {"name_en", r.name_en},
                        {"position", r.position},
                        {"archived_at", OrNull(r.archived_at)}};
}

json::object DealJson(const Deal& d) {
    json::object checklist;
    for (const auto& c : d.checklist) checklist[c] = true;
    return json::object{{"id", d.id},
                        {"pipeline_id", d.pipeline_id},
                        {"stage_id", d.stage_id},
                        {"title", d.title},
                        {"company_id", OrNull(d.company_id)},
                        {"company_name", d.company_name},
                        {"contact_id", OrNull(d.contact_id)},
                        {"contact_name", d.contact_name},
                        {"owner_user_id", OrNull(d.owner_user_id)},
                        {"owner_name", d.owner_name},
                        {"amount_minor", d.amount_minor},
                        {"currency", d.currency},
                        {"expected_close_date", OrNull(d.expected_close_date)},
                        {"source_lead_id", OrNull(d.source_lead_id)},
                        {"forecast_category", d.forecast_category},
                        {"status", d.status},
                        {"loss_reason_id", OrNull(d.loss_reason_id)},
                        {"loss_comment", d.loss_comment},
                        {"checklist", std::move(checklist)},
                        {"custom", ParseObject(d.custom)},
                        {"stage_entered_at", d.stage_entered_at},
                        {"last_activity_at", d.last_activity_at},
                        {"idle", d.idle},
                        {"closed_at", OrNull(d.closed_at)},
                        {"payment_due_at", OrNull(d.payment_due_at)},
                        {"payment_overdue", d.payment_overdue},
                        {"deleted_at", OrNull(d.deleted_at)},
                        {"created_by", OrNull(d.created_by)},
                        {"created_at", d.created_at},
                        {"updated_at", d.updated_at}};
}

// The fields of a stage as POST (create) and PATCH send them.
core::Result<StagePatch> ReadStage(const json::object& body) {
    http::FieldReader f(body);
    StagePatch in;
    // Types here; ranges, lengths and the kind's rules in ValidateStage, so every wrong field is told at once.
    in.name = f.String("name", {false, 0, 10 * kMaxStageName});
    in.kind = f.String("kind", {false, 0, 40});
    if (auto p = f.Int("probability", false, INT32_MIN, INT32_MAX)) in.probability = static_cast<int>(*p);
    if (f.Has("idle_days")) {
        in.set_idle = true;
        if (auto d = f.Int("idle_days", false, INT32_MIN, INT32_MAX)) in.idle_days = static_cast<int>(*d);
    }
    in.is_decision = f.Bool("is_decision", false);
    if (auto it = body.find("required_fields"); it != body.end()) {
        f.Known("required_fields");
        if (!it->value().is_array()) {
            f.AddError("required_fields", "wrong_type", "array");
        } else {
            std::vector<std::string> fields;
            for (std::size_t i = 0; i < it->value().as_array().size(); ++i) {
                const auto& v = it->value().as_array()[i];
                if (!v.is_string()) {
                    f.AddError("required_fields/" + std::to_string(i), "wrong_type", "string");
                    continue;
                }
                fields.emplace_back(v.as_string());
            }
            in.required_fields = std::move(fields);
        }
    }
    if (auto it = body.find("checklist"); it != body.end()) {
        f.Known("checklist");
        if (!it->value().is_array()) {
            f.AddError("checklist", "wrong_type", "array");
        } else {
            std::vector<ChecklistItem> items;
            for (std::size_t i = 0; i < it->value().as_array().size(); ++i) {
                const auto& v = it->value().as_array()[i];
                const std::string at = "checklist/" + std::to_string(i);
                if (!v.is_object()) {
                    f.AddError(at, "wrong_type", "object");
                    continue;
                }
                ChecklistItem item;
                const auto& o = v.as_object();
                if (auto* l = o.if_contains("label"); l && l->is_string())
                    item.label = std::string(l->as_string());
                else
                    f.AddError(at + "/label", "required");
                if (auto* c = o.if_contains("code"); c && c->is_string())
                    item.code = std::string(c->as_string());
                else if (c && !c->is_null())
                    f.AddError(at + "/code", "wrong_type", "string");
                items.push_back(std::move(item));
            }
            in.checklist = std::move(items);
        }
    }
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

// The fields of a deal as POST (create) and PATCH send them.
core::Result<DealInput> ReadDeal(const json::object& body, bool create) {
    http::FieldReader f(body);
    DealInput in;
    in.title = f.String("title", {create, 0, kMaxTitle});
    if (create) {
        in.pipeline_id = f.Int("pipeline_id", false, 1, INT64_MAX);
        in.stage_id = f.Int("stage_id", false, 1, INT64_MAX);
        in.source_lead_id = f.Int("source_lead_id", false, 1, INT64_MAX);
        in.loss_reason_id = f.Int("loss_reason_id", false, 1, INT64_MAX);
    }
    if (f.Has("company_id")) {
        in.set_company = true;
        in.company_id = f.Int("company_id", false, 1, INT64_MAX);
    }
    if (f.Has("contact_id")) {
        in.set_contact = true;
        in.contact_id = f.Int("contact_id", false, 1, INT64_MAX);
    }
    if (f.Has("owner_user_id")) {
        in.set_owner = true;
        in.owner_user_id = f.Int("owner_user_id", false, 1, INT64_MAX);
    }
    in.amount_minor = f.Int("amount_minor", false, 0, INT64_MAX);
    in.currency = f.String("currency", {false, 3, 3});
    if (f.Has("expected_close_date")) {
        in.set_close = true;
        in.expected_close_date = f.String("expected_close_date", {false, 0, 10});
        if (in.expected_close_date && in.expected_close_date->empty()) in.expected_close_date.reset();
    }
    in.forecast_category = f.Enum("forecast_category", false, {"pipeline", "best_case", "commit"});
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

using http::QueryId;

Response Page(const DealPage& page) {
    json::array items;
    for (const auto& d : page.items) items.push_back(DealJson(d));
    return http::Json(json::object{{"items", std::move(items)}, {"next_cursor", OrNull(page.next_cursor)}});
}

}  // namespace

void DealsService::Register(http::Router& router) {
    // ---- settings ----
    router.Get("/api/v1/pipelines", Access::kUser, [this](Request& req) {
        auto r = ListPipelines(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& p : *r) items.push_back(PipelineJson(p));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/pipelines", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto name = f.String("name", {true, 1, 200});
        auto def = f.Bool("is_default", false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = CreatePipeline(req.actor, *name, def.value_or(false));
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, PipelineJson(*r));
    });
    router.Patch("/api/v1/pipelines/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto name = f.String("name", {false, 1, 200});
        auto def = f.Bool("is_default", false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = UpdatePipeline(req.actor, *id, name, def);
        if (!r) return http::Problem(req, r.error());
        return http::Json(PipelineJson(*r));
    });
    router.Delete("/api/v1/pipelines/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ArchivePipeline(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/pipelines/{id}/stages", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadStage(*body);
        if (!in) return http::Problem(req, in.error());
        auto r = CreateStage(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, StageJson(*r));
    });
    router.Put("/api/v1/pipelines/{id}/stage-order", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        f.Known("ids");
        std::vector<core::Id> ids;
        auto it = body->find("ids");
        if (it == body->end() || !it->value().is_array()) {
            f.AddError("ids", it == body->end() ? "required" : "wrong_type", "array");
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_int64() || v.as_int64() < 1) {
                    f.AddError("ids", "wrong_type", "integer");
                    break;
                }
                ids.push_back(v.as_int64());
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = ReorderStages(req.actor, *id, ids);
        if (!r) return http::Problem(req, r.error());
        return http::Json(PipelineJson(*r));
    });
    router.Get("/api/v1/pipelines/{id}/board", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        const int limit = req.Query("limit") ? page->limit : 20;
        auto r = BoardOf(req.actor, *id, req.Query("owner"), req.Query("q"), limit);
        if (!r) return http::Problem(req, r.error());
        json::array columns;
        for (const auto& c : r->columns) {
            json::array items, totals;
            for (const auto& d : c.items) items.push_back(DealJson(d));
            for (const auto& [cur, sum] : c.totals)
                totals.push_back(json::object{{"currency", cur}, {"amount_minor", sum}});
            columns.push_back(json::object{{"stage_id", c.stage_id},
                                           {"count", c.count},
                                           {"totals", std::move(totals)},
                                           {"items", std::move(items)},
                                           {"next_cursor", OrNull(c.next_cursor)}});
        }
        return http::Json(json::object{{"pipeline", PipelineJson(r->pipeline)}, {"columns", std::move(columns)}});
    });
    router.Patch("/api/v1/stages/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadStage(*body);
        if (!in) return http::Problem(req, in.error());
        auto r = UpdateStage(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(StageJson(*r));
    });
    router.Delete("/api/v1/stages/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = ArchiveStage(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Get("/api/v1/deal-fields", Access::kUser, [this](Request& req) {
        auto r = GateFields(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& g : *r)
            items.push_back(json::object{{"code", g.code}, {"label", g.label}, {"group", g.group}});
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/loss-reasons", Access::kUser, [this](Request& req) {
        auto r = ListLossReasons(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& x : *r) items.push_back(LossReasonJson(x, req.lang));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/loss-reasons", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto ru = f.String("name_ru", {false, 0, 200});
        auto en = f.String("name_en", {false, 0, 200});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = CreateLossReason(req.actor, ru.value_or(""), en.value_or(""));
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, LossReasonJson(*r, req.lang));
    });
    router.Patch("/api/v1/loss-reasons/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto ru = f.String("name_ru", {false, 0, 200});
        auto en = f.String("name_en", {false, 0, 200});
        auto archived = f.Bool("archived", false);
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = UpdateLossReason(req.actor, *id, ru, en, archived);
        if (!r) return http::Problem(req, r.error());
        return http::Json(LossReasonJson(*r, req.lang));
    });

    // ---- deals ----
    router.Get("/api/v1/deals", Access::kUser, [this](Request& req) {
        DealQuery q;
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        q.limit = page->limit;
        q.cursor = req.Query("cursor");
        for (auto [name, slot] : {std::pair{"pipeline_id", &q.pipeline_id}, std::pair{"stage_id", &q.stage_id},
                                  std::pair{"company_id", &q.company_id}, std::pair{"contact_id", &q.contact_id}}) {
            auto v = QueryId(req, name);
            if (!v) return http::Problem(req, v.error());
            *slot = *v;
        }
        q.owner = req.Query("owner");
        q.status = req.Query("status");
        q.q = req.Query("q");
        q.idle_only = req.Query("idle").value_or("") == "true";
        q.deleted = req.Query("deleted").value_or("") == "true";
        auto r = List(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        return Page(*r);
    });
    router.Post("/api/v1/deals", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadDeal(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = Create(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, DealJson(*r));
    });
    router.Get("/api/v1/deals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Patch("/api/v1/deals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadDeal(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = Update(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Delete("/api/v1/deals/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Delete(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Post("/api/v1/deals/{id}/restore", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Restore(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Post("/api/v1/deals/{id}/stage", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto stage = f.Int("stage_id", true, 1, INT64_MAX);
        auto reason = f.Int("loss_reason_id", false, 1, INT64_MAX);
        auto comment = f.String("loss_comment", {false, 0, 2000});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = MoveStage(req.actor, *id, *stage, reason, comment.value_or(""));
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Put("/api/v1/deals/{id}/checklist", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        f.Known("items");
        std::map<std::string, bool> items;
        auto it = body->find("items");
        if (it == body->end() || !it->value().is_object()) {
            f.AddError("items", it == body->end() ? "required" : "wrong_type", "object");
        } else {
            for (const auto& [k, v] : it->value().as_object()) {
                if (!v.is_bool()) {
                    f.AddError("items/" + std::string(k), "wrong_type", "boolean");
                    continue;
                }
                items[std::string(k)] = v.as_bool();
            }
        }
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = SetChecklist(req.actor, *id, items);
        if (!r) return http::Problem(req, r.error());
        return http::Json(DealJson(*r));
    });
    router.Get("/api/v1/deals/{id}/history", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = History(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& h : *r)
            items.push_back(json::object{{"id", h.id},
                                         {"from_stage_id", OrNull(h.from_stage_id)},
                                         {"to_stage_id", h.to_stage_id},
                                         {"by_user_id", OrNull(h.by_user_id)},
                                         {"by_name", h.by_name},
                                         {"at", h.at}});
        return http::Json(json::object{{"items", std::move(items)}});
    });
}

}  // namespace otdel::deals
