// HTTP handlers of the routing room: parse with FieldReader, call RoutingService, answer JSON.
#include <boost/json.hpp>

#include <charconv>

#include "http/json.hpp"
#include "http/problem.hpp"
#include "routing/routing_service.hpp"

namespace otdel::routing {
namespace json = boost::json;
using http::Access;
using http::Request;

namespace {

using http::OrNull;

json::value ConditionsValue(const Conditions& c) {
    return json::parse(store::ConditionsJson(c));
}

json::object RuleJson(const Rule& r) {
    json::array members;
    for (const auto& m : r.members) members.push_back(json::object{{"user_id", m.user_id}, {"weight", m.weight}});
    return json::object{{"id", r.id},
                        {"position", r.position},
                        {"name", r.name},
                        {"active", r.active},
                        {"when", ConditionsValue(r.when)},
                        {"department_id", OrNull(r.department_id)},
                        {"include_subdepartments", r.include_subdepartments},
                        {"members", std::move(members)},
                        {"strategy", StrategyName(r.strategy)},
                        {"sla_minutes", r.sla_minutes},
                        {"assign_off_shift", r.assign_off_shift},
                        {"max_open_per_person", OrNull(r.max_open_per_person)},
                        {"escalate_after", r.escalate_after},
                        {"head_user_id", OrNull(r.head_user_id)}};
}

json::object RoutingJson(const store::LeadRouting& r, std::optional<std::int64_t> remaining) {
    return json::object{{"rule_id", OrNull(r.rule_id)},
                        {"state", r.state},
                        {"deadline_at", OrNull(r.deadline_at)},
                        {"sla_minutes", r.sla_minutes},
                        {"reassignments", r.reassignments},
                        {"breaches", r.breaches},
                        {"first_assigned_at", OrNull(r.first_assigned_at)},
                        {"first_response_at", OrNull(r.first_response_at)},
                        {"first_response_kind", r.first_response_kind},
                        {"remaining_working_ms", OrNull(remaining)}};
}

json::object AssignmentJson(const store::Assignment& a) {
    boost::system::error_code ec;
    json::value expl = json::parse(a.explanation, ec);
    if (ec) expl = json::object{};
    return json::object{{"id", a.id},
                        {"user_id", OrNull(a.user_id)},
                        {"user_name", a.user_name},
                        {"rule_id", OrNull(a.rule_id)},
                        {"reason", a.reason},
                        {"explanation", expl},
                        {"assigned_at", a.assigned_at},
                        {"deadline_at", OrNull(a.deadline_at)},
                        {"responded_at", OrNull(a.responded_at)},
                        {"response_working_ms", OrNull(a.response_working_ms)},
                        {"breached_at", OrNull(a.breached_at)},
                        {"ended_at", OrNull(a.ended_at)},
                        {"end_reason", a.end_reason}};
}

json::object MeetingJson(const store::Meeting& m) {
    return json::object{{"id", m.id},
                        {"lead_id", m.lead_id},
                        {"booked_by_user_id", m.booked_by_user_id},
                        {"host_user_id", m.host_user_id},
                        {"starts_at", m.starts_at},
                        {"ends_at", m.ends_at},
                        {"place", m.place},
                        {"note", m.note},
                        {"status", m.status},
                        {"deal_id", m.deal_id ? json::value(*m.deal_id) : json::value(nullptr)}};
}

std::vector<std::string> StringList(const json::object& o, const char* key, const std::string& field,
                                    http::FieldReader& f, std::size_t max_items = 50) {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return out;
    if (!it->value().is_array()) {
        f.AddError(field, "wrong_type", "array");
        return out;
    }
    const auto& a = it->value().as_array();
    if (a.size() > max_items) f.AddError(field, "too_many", std::to_string(max_items));
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string() || a[i].as_string().empty() || a[i].as_string().size() > 200) {
            f.AddError(field + "/" + std::to_string(i), "wrong_type", "string");
            continue;
        }
        out.emplace_back(a[i].as_string());
    }
    return out;
}

core::Result<Conditions> ReadConditions(const json::object* o, http::FieldReader& outer) {
    Conditions c;
    if (!o) return c;
    http::FieldReader f(*o);
    c.channels = StringList(*o, "channels", "when/channels", outer);
    c.regions = StringList(*o, "regions", "when/regions", outer);
    c.products = StringList(*o, "products", "when/products", outer);
    if (auto it = o->find("form_ids"); it != o->end() && !it->value().is_null()) {
        if (!it->value().is_array()) {
            outer.AddError("when/form_ids", "wrong_type", "array");
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_int64() || v.as_int64() <= 0) {
                    outer.AddError("when/form_ids", "wrong_type", "integer");
                    break;
                }
                c.form_ids.push_back(v.as_int64());
            }
        }
    }
    for (const auto* key : {"channels", "regions", "products", "form_ids"}) f.Known(key);
    c.client_type = f.Enum("client_type", false, {"new", "known"});
    if (auto v = f.Int("min_priority", false, 0, 100)) c.min_priority = static_cast<int>(*v);
    if (auto v = f.Int("max_priority", false, 0, 100)) c.max_priority = static_cast<int>(*v);
    if (const json::object* custom = f.Object("custom", false)) {
        for (const auto& [k, v] : *custom) {
            if (!v.is_string()) {
                outer.AddError("when/custom/" + std::string(k), "wrong_type", "string");
                continue;
            }
            c.custom[std::string(k)] = std::string(v.as_string());
        }
    }
    if (auto done = f.Finish(); !done)
        for (const auto& fe : done.error().fields) outer.AddError("when/" + fe.field, fe.code, fe.param);
    return c;
}

core::Result<Rule> ReadRule(const json::object& body) {
    http::FieldReader f(body);
    Rule r;
    r.name = f.String("name", {true, 1, 200}).value_or("");
    r.active = f.Bool("active", false).value_or(true);
    auto when = ReadConditions(f.Object("when", false), f);
    if (when) r.when = *when;
    if (auto v = f.Int("department_id", false, 1, INT64_MAX)) r.department_id = *v;
    r.include_subdepartments = f.Bool("include_subdepartments", false).value_or(true);
    if (auto it = body.find("members"); it != body.end() && !it->value().is_null()) {
        if (!it->value().is_array()) {
            f.AddError("members", "wrong_type", "array");
        } else {
            const auto& a = it->value().as_array();
            if (a.size() > 2000) f.AddError("members", "too_many", "2000");
            for (std::size_t i = 0; i < a.size(); ++i) {
                const std::string field = "members/" + std::to_string(i);
                if (!a[i].is_object()) {
                    f.AddError(field, "wrong_type", "object");
                    continue;
                }
                const auto& m = a[i].as_object();
                Member mem;
                if (auto u = m.find("user_id"); u != m.end() && u->value().is_int64()) {
                    mem.user_id = u->value().as_int64();
                } else {
                    f.AddError(field + "/user_id", "required");
                }
                if (auto w = m.find("weight"); w != m.end() && !w->value().is_null()) {
                    if (w->value().is_int64()) {
                        mem.weight = static_cast<int>(std::clamp<std::int64_t>(w->value().as_int64(), -1, 1000));
                    } else {
                        f.AddError(field + "/weight", "wrong_type", "integer");
                    }
                }
                r.members.push_back(mem);
            }
        }
    }
    f.Known("members");
    if (auto s = f.Enum("strategy", true, {"round_robin", "least_loaded", "weighted"})) r.strategy = *ParseStrategy(*s);
    if (auto v = f.Int("sla_minutes", true, INT32_MIN, INT32_MAX)) r.sla_minutes = static_cast<int>(*v);
    r.assign_off_shift = f.Bool("assign_off_shift", false).value_or(false);
    if (auto v = f.Int("max_open_per_person", false, INT32_MIN, INT32_MAX))
        r.max_open_per_person = static_cast<int>(*v);
    if (auto v = f.Int("escalate_after", false, INT32_MIN, INT32_MAX)) r.escalate_after = static_cast<int>(*v);
    if (auto v = f.Int("head_user_id", false, 1, INT64_MAX)) r.head_user_id = *v;
    if (auto done = f.Finish(); !done) return done.take_error();
    return r;
}

core::Result<std::optional<std::int64_t>> QueryInt(const Request& req, const std::string& name) {
    auto v = req.Query(name);
    if (!v || v->empty()) return std::optional<std::int64_t>{};
    long long out = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || p != v->data() + v->size() || out < 0)
        return core::Error{core::ErrorCode::kBadRequest, {}, {{name, "invalid", ""}}, 0};
    return std::optional<std::int64_t>(out);
}

}  // namespace

void RoutingService::Register(http::Router& router) {
    router.Get("/api/v1/routing/rules", Access::kUser, [this](Request& req) {
        auto r = ListRules(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& rule : *r) items.push_back(RuleJson(rule));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/routing/rules", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto rule = ReadRule(*body);
        if (!rule) return http::Problem(req, rule.error());
        auto r = CreateRule(req.actor, *rule);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, RuleJson(*r));
    });
    router.Post("/api/v1/routing/rules/reorder", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        std::vector<core::Id> ids;
        auto it = body->find("ids");
        if (it == body->end() || !it->value().is_array())
            return http::Problem(req, core::Error::Field("ids", "required"));
        for (const auto& v : it->value().as_array()) {
            if (!v.is_int64()) return http::Problem(req, core::Error::Field("ids", "wrong_type", "integer"));
            ids.push_back(v.as_int64());
        }
        auto r = Reorder(req.actor, ids);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& rule : *r) items.push_back(RuleJson(rule));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/routing/rules/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = GetRule(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RuleJson(*r));
    });
    router.Put("/api/v1/routing/rules/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto rule = ReadRule(*body);
        if (!rule) return http::Problem(req, rule.error());
        auto r = UpdateRule(req.actor, *id, *rule);
        if (!r) return http::Problem(req, r.error());
        return http::Json(RuleJson(*r));
    });
    router.Delete("/api/v1/routing/rules/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = DeleteRule(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Response::NoContent();
    });
    router.Post("/api/v1/routing/simulate", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        LeadFacts facts;
        facts.channel =
            f.Enum("channel", true, {"form", "email", "phone", "telegram", "webhook", "manual", "import"}).value_or("");
        if (auto v = f.Int("form_id", false, 1, INT64_MAX)) facts.form_id = *v;
        facts.region = f.String("region", {false, 0, 200}).value_or("");
        facts.product = f.String("product", {false, 0, 500}).value_or("");
        facts.known_client = f.Bool("known_client", false).value_or(false);
        facts.priority = static_cast<int>(f.Int("priority", false, 0, 100).value_or(0));
        if (const json::object* custom = f.Object("custom", false))
            for (const auto& [k, v] : *custom)
                if (v.is_string()) facts.custom[std::string(k)] = std::string(v.as_string());
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Simulate(req.actor, facts);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"decision", DecisionJson(r->decision, r->names)},
                                       {"deadline_at", OrNull(r->deadline_at)},
                                       {"explanation", r->explanation}});
    });
    router.Get("/api/v1/routing/board", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto r = Board(req.actor, page->limit);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& c : *r)
            items.push_back(json::object{{"lead_id", c.lead_id},
                                         {"title", c.title},
                                         {"lead_status", c.lead_status},
                                         {"priority", c.priority},
                                         {"owner_user_id", OrNull(c.owner_user_id)},
                                         {"owner_name", c.owner_name},
                                         {"assigned_at", OrNull(c.assigned_at)},
                                         {"routing", RoutingJson(c.routing, c.remaining_working_ms)}});
        const core::Millis now = clock_.NowMs();
        return http::Json(json::object{{"items", std::move(items)}, {"now", now}});
    });
    router.Get("/api/v1/routing/coverage", Access::kUser, [this](Request& req) {
        auto r = Coverage(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& c : *r) {
            json::array gaps;
            for (const auto& g : c.gaps)
                gaps.push_back(json::object{{"day", org::FormatDay(g.day)}, {"on_duty", g.on_duty}});
            items.push_back(json::object{{"rule_id", c.rule_id},
                                         {"rule_name", c.rule_name},
                                         {"department_id", OrNull(c.department_id)},
                                         {"lead_managers", c.lead_managers},
                                         {"minimum", 2},
                                         {"gaps", std::move(gaps)}});
        }
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/routing/settings", Access::kUser, [this](Request& req) {
        auto r = ResponseStatuses(req.actor);
        if (!r) return http::Problem(req, r.error());
        json::array st;
        for (const auto& s : *r) st.emplace_back(s);
        return http::Json(json::object{{"response_statuses", std::move(st)}});
    });
    router.Put("/api/v1/routing/settings", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        std::vector<std::string> statuses = StringList(*body, "response_statuses", "response_statuses", f, 5);
        if (!body->contains("response_statuses")) f.AddError("response_statuses", "required");
        f.Known("response_statuses");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = PutResponseStatuses(req.actor, statuses);
        if (!r) return http::Problem(req, r.error());
        json::array st;
        for (const auto& s : *r) st.emplace_back(s);
        return http::Json(json::object{{"response_statuses", std::move(st)}});
    });
    router.Get("/api/v1/routing/facts", Access::kUser, [this](Request& req) {
        auto from = QueryInt(req, "from");
        if (!from) return http::Problem(req, from.error());
        auto to = QueryInt(req, "to");
        if (!to) return http::Problem(req, to.error());
        const core::Millis now = clock_.NowMs();
        auto r = Facts(req.actor, from->value_or(now - 30LL * 86'400'000), to->value_or(now + 1));
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (auto p : *r) {
            std::sort(p.response_working_ms.begin(), p.response_working_ms.end());
            auto pct = [&](double q) -> json::value {
                if (p.response_working_ms.empty()) return nullptr;
                const auto idx = static_cast<std::size_t>(q * static_cast<double>(p.response_working_ms.size() - 1));
                return p.response_working_ms[idx];
            };
            items.push_back(json::object{{"user_id", p.user_id},
                                         {"name", p.name},
                                         {"assigned", p.assigned},
                                         {"responded", p.responded},
                                         {"breached", p.breached},
                                         {"response_working_ms_median", pct(0.5)},
                                         {"response_working_ms_p90", pct(0.9)}});
        }
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/leads/{id}/routing", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = LeadRouting(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        json::array asg, meetings;
        for (const auto& a : r->assignments) asg.push_back(AssignmentJson(a));
        for (const auto& m : r->meetings) meetings.push_back(MeetingJson(m));
        return http::Json(
            json::object{{"routing", r->routing ? json::value(RoutingJson(*r->routing, r->remaining_working_ms))
                                                : json::value(nullptr)},
                         {"assignments", std::move(asg)},
                         {"meetings", std::move(meetings)}});
    });
    router.Post("/api/v1/leads/{id}/first-response", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto kind = f.Enum("kind", true, {"call", "email", "message"});
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = RecordFirstResponse(req.actor, *id, *kind);
        if (!r) return http::Problem(req, r.error());
        return http::Json(json::object{{"stopped", *r}});
    });
    router.Get("/api/v1/leads/{id}/handoff/slots", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto from = QueryInt(req, "from");
        if (!from) return http::Problem(req, from.error());
        auto days = QueryInt(req, "days");
        if (!days) return http::Problem(req, days.error());
        auto minutes = QueryInt(req, "minutes");
        if (!minutes) return http::Problem(req, minutes.error());
        auto dept = QueryInt(req, "department_id");
        if (!dept) return http::Problem(req, dept.error());
        auto r = Slots(req.actor, *id, from->value_or(clock_.NowMs()), static_cast<int>(days->value_or(7)),
                       static_cast<int>(minutes->value_or(90)), *dept ? std::optional<core::Id>(**dept) : std::nullopt);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& h : *r) {
            json::array slots;
            for (const auto& s : h.slots) slots.push_back(json::object{{"starts_at", s.start}, {"ends_at", s.end}});
            items.push_back(json::object{{"user_id", h.user_id}, {"name", h.name}, {"slots", std::move(slots)}});
        }
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Post("/api/v1/leads/{id}/handoff", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        BookInput in;
        in.host_user_id = f.Int("host_user_id", true, 1, INT64_MAX).value_or(0);
        in.starts_at = f.Int("starts_at", true, 0, INT64_MAX).value_or(0);
        in.minutes = static_cast<int>(f.Int("minutes", false, 15, 480).value_or(90));
        in.place = f.String("place", {false, 0, 500}).value_or("");
        in.note = f.String("note", {false, 0, 2000}).value_or("");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = Book(req.actor, *id, in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, MeetingJson(*r));
    });
}

}  // namespace otdel::routing
