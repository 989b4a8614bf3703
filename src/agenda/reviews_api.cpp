// HTTP handlers of reviews: the workspace's checklist, the queue of calls and meetings to review, reviews with marks
// and comments at a second of the recording, and per-person scores.
#include <boost/json.hpp>

#include <cstdlib>

#include "agenda/api_params.hpp"
#include "agenda/reviews_service.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace otdel::agenda {
namespace json = boost::json;
using api::OrNull;
using http::Access;
using http::Request;
using http::Response;

namespace {

json::object CriterionJson(const Criterion& c) {
    return json::object{
        {"id", c.id},         {"code", c.code},         {"label_ru", c.label_ru}, {"label_en", c.label_en},
        {"weight", c.weight}, {"position", c.position}, {"archived", c.archived}};
}

json::object ReviewJson(const store::Review& r, bool with_children) {
    json::object o{{"id", r.id},
                   {"activity_id", r.activity_id},
                   {"activity_kind", r.activity_kind},
                   {"activity_subject", r.activity_subject},
                   {"activity_at", r.activity_at},
                   {"call_duration_s", OrNull(r.call_duration_s)},
                   {"has_recording", r.has_recording},
                   {"reviewed_user_id", r.reviewed_user_id},
                   {"reviewed_name", r.reviewed_name},
                   {"reviewer_user_id", r.reviewer_user_id},
                   {"reviewer_name", r.reviewer_name},
                   {"score_bp", OrNull(r.score_bp)},
                   {"summary", r.summary},
                   {"created_at", r.created_at},
                   {"updated_at", r.updated_at}};
    if (with_children) {
        json::array marks, comments;
        for (const auto& m : r.marks)
            marks.push_back(json::object{{"criterion_id", m.criterion_id},
                                         {"code", m.code},
                                         {"label_ru", m.label_ru},
                                         {"label_en", m.label_en},
                                         {"weight", m.weight},
                                         {"mark", OrNull(m.mark)}});
        for (const auto& c : r.comments)
            comments.push_back(json::object{{"id", c.id},
                                            {"at_second", OrNull(c.at_second)},
                                            {"body", c.body},
                                            {"author_user_id", c.author_user_id},
                                            {"author_name", c.author_name},
                                            {"created_at", c.created_at}});
        o["marks"] = std::move(marks);
        o["comments"] = std::move(comments);
    }
    return o;
}

// A nullable integer field (mark, at_second): absent and null are both "none"; anything else must be an integer.
std::optional<int> NullableInt(http::FieldReader& f, const json::object& o, const std::string& name,
                               const std::string& at) {
    f.Known(name);
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_int64() || v->as_int64() < INT32_MIN || v->as_int64() > INT32_MAX) {
        f.AddError(at + name, "wrong_type", "integer");
        return std::nullopt;
    }
    return static_cast<int>(v->as_int64());
}

std::vector<MarkInput> ReadMarks(http::FieldReader& f, const json::value& v) {
    std::vector<MarkInput> out;
    if (!v.is_array()) {
        f.AddError("marks", "wrong_type", "array");
        return out;
    }
    const auto& arr = v.as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = "marks/" + std::to_string(i) + "/";
        if (!arr[i].is_object()) {
            f.AddError("marks/" + std::to_string(i), "wrong_type", "object");
            continue;
        }
        const auto& o = arr[i].as_object();
        MarkInput m;
        const auto* crit = o.if_contains("criterion_id");
        if (!crit || !crit->is_int64()) {
            f.AddError(at + "criterion_id", crit ? "wrong_type" : "required", "integer");
        } else {
            m.criterion_id = crit->as_int64();
        }
        m.mark = NullableInt(f, o, "mark", at);
        for (const auto& [k, _] : o)
            if (k != "criterion_id" && k != "mark") f.AddError(at + std::string(k), "unknown_field");
        out.push_back(m);
    }
    return out;
}

std::optional<CommentInput> ReadComment(http::FieldReader& f, const json::object& o, const std::string& at) {
    CommentInput c;
    c.at_second = NullableInt(f, o, "at_second", at);
    const auto* body = o.if_contains("body");
    if (!body || !body->is_string()) {
        f.AddError(at + "body", body ? "wrong_type" : "required", "string");
        return std::nullopt;
    }
    c.body = std::string(body->as_string());
    return c;
}

core::Result<ReviewInput> ReadReview(const json::object& body, bool create) {
    http::FieldReader f(body);
    ReviewInput in;
    if (create) {
        if (auto id = f.Int("activity_id", true, 1, INT64_MAX)) in.activity_id = *id;
    }
    in.summary = f.String("summary", {.required = false, .min_len = 0, .max_len = 4 * kMaxSummary});
    f.Known("marks");
    if (const auto* m = body.if_contains("marks")) in.marks = ReadMarks(f, *m);
    if (create) {
        f.Known("comments");
        if (const auto* c = body.if_contains("comments")) {
            if (!c->is_array()) {
                f.AddError("comments", "wrong_type", "array");
            } else {
                const auto& arr = c->as_array();
                for (std::size_t i = 0; i < arr.size(); ++i) {
                    const std::string at = "comments/" + std::to_string(i) + "/";
                    if (!arr[i].is_object()) {
                        f.AddError("comments/" + std::to_string(i), "wrong_type", "object");
                        continue;
                    }
                    if (auto cm = ReadComment(f, arr[i].as_object(), at)) in.comments.push_back(*cm);
                    for (const auto& [k, _] : arr[i].as_object())
                        if (k != "at_second" && k != "body") f.AddError(at + std::string(k), "unknown_field");
                }
            }
        }
    }
    OTDEL_TRY_VOID(f.Finish());
    return in;
}

core::Result<std::vector<Criterion>> ReadCriteria(const json::object& body) {
    http::FieldReader f(body);
    f.Known("items");
    std::vector<Criterion> out;
    const auto* items = body.if_contains("items");
    if (!items || !items->is_array()) {
        f.AddError("items", items ? "wrong_type" : "required", "array");
    } else {
        const auto& arr = items->as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            const std::string at = "items/" + std::to_string(i) + "/";
            if (!arr[i].is_object()) {
                f.AddError("items/" + std::to_string(i), "wrong_type", "object");
                continue;
            }
            const auto& o = arr[i].as_object();
            Criterion c;
            for (const auto& [k, v] : o) {
                const std::string key(k);
                if (key == "id" && v.is_int64()) {
                    c.id = v.as_int64();
                } else if (key == "weight" && v.is_int64()) {
                    c.weight = static_cast<int>(
                        std::max<std::int64_t>(INT32_MIN, std::min<std::int64_t>(INT32_MAX, v.as_int64())));
                } else if ((key == "code" || key == "label_ru" || key == "label_en") && v.is_string()) {
                    std::string s(v.as_string());
                    (key == "code" ? c.code : key == "label_ru" ? c.label_ru : c.label_en) = s;
                } else if (key == "id" || key == "weight" || key == "code" || key == "label_ru" || key == "label_en") {
                    f.AddError(at + key, "wrong_type", key == "id" || key == "weight" ? "integer" : "string");
                } else if (key != "position" && key != "archived") {
                    f.AddError(at + key, "unknown_field");
                }
            }
            out.push_back(std::move(c));
        }
    }
    OTDEL_TRY_VOID(f.Finish());
    return out;
}

}  // namespace

void ReviewsService::Register(http::Router& router) {
    router.Get("/api/v1/review-criteria", Access::kUser, [this](Request& req) {
        auto r = Criteria(req.actor, req.Query("archived").value_or("") == "true");
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& c : *r) items.push_back(CriterionJson(c));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Put("/api/v1/review-criteria", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadCriteria(*body);
        if (!in) return http::Problem(req, in.error());
        auto r = PutCriteria(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& c : *r) items.push_back(CriterionJson(c));
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/reviews/queue", Access::kUser, [this](Request& req) {
        int days = 14;
        if (auto d = req.Query("days")) {
            char* end = nullptr;
            const long v = std::strtol(d->c_str(), &end, 10);
            if (d->empty() || *end != '\0' || v < 1 || v > 90)
                return http::Problem(
                    req, core::Error{core::ErrorCode::kBadRequest, {}, {{"days", "out_of_range", "1–90"}}, 0});
            days = static_cast<int>(v);
        }
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        auto r = Queue(req.actor, days, page->limit);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& q : *r)
            items.push_back(json::object{{"activity_id", q.activity_id},
                                         {"kind", q.kind},
                                         {"subject", q.subject},
                                         {"owner_user_id", q.owner_user_id},
                                         {"owner_name", q.owner_name},
                                         {"at", q.at},
                                         {"duration_s", OrNull(q.duration_s)},
                                         {"has_recording", q.has_recording}});
        return http::Json(json::object{{"items", std::move(items)}});
    });
    router.Get("/api/v1/reviews/scores", Access::kUser, [this](Request& req) {
        auto from = req.Query("from");
        auto to = req.Query("to");
        auto user = api::IdParam(req, "user_id");
        if (!user) return http::Problem(req, user.error());
        auto r = Scores(req.actor, from.value_or(""), to.value_or(""), *user);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& s : *r)
            items.push_back(json::object{{"user_id", s.user_id},
                                         {"full_name", s.full_name},
                                         {"reviews", s.reviews},
                                         {"average_bp", OrNull(s.average_bp)}});
        return http::Json(json::object{{"from", *from}, {"to", *to}, {"items", std::move(items)}});
    });
    router.Get("/api/v1/reviews", Access::kUser, [this](Request& req) {
        auto page = http::ParsePage(req);
        if (!page) return http::Problem(req, page.error());
        ReviewQuery q;
        auto user = api::IdParam(req, "user_id");
        if (!user) return http::Problem(req, user.error());
        q.reviewed_user_id = *user;
        auto act = api::IdParam(req, "activity_id");
        if (!act) return http::Problem(req, act.error());
        q.activity_id = *act;
        q.written_by_me = req.Query("written").value_or("") == "me";
        q.cursor = req.Query("cursor");
        q.limit = page->limit;
        auto r = List(req.actor, q);
        if (!r) return http::Problem(req, r.error());
        json::array items;
        for (const auto& rv : r->items) items.push_back(ReviewJson(rv, false));
        return http::Json(json::object{{"items", std::move(items)},
                                       {"next_cursor", r->next_cursor ? json::value(*r->next_cursor) : nullptr}});
    });
    router.Post("/api/v1/reviews", Access::kUser, [this](Request& req) {
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadReview(*body, true);
        if (!in) return http::Problem(req, in.error());
        auto r = Create(req.actor, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ReviewJson(*r, true));
    });
    router.Get("/api/v1/reviews/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Get(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ReviewJson(*r, true));
    });
    router.Patch("/api/v1/reviews/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        auto in = ReadReview(*body, false);
        if (!in) return http::Problem(req, in.error());
        auto r = Update(req.actor, *id, *in);
        if (!r) return http::Problem(req, r.error());
        return http::Json(ReviewJson(*r, true));
    });
    router.Delete("/api/v1/reviews/{id}", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto r = Delete(req.actor, *id);
        if (!r) return http::Problem(req, r.error());
        return Response::NoContent();
    });
    router.Post("/api/v1/reviews/{id}/comments", Access::kUser, [this](Request& req) {
        auto id = http::PathId(req);
        if (!id) return http::Problem(req, id.error());
        auto body = http::ParseJsonObject(req);
        if (!body) return http::Problem(req, body.error());
        http::FieldReader f(*body);
        auto c = ReadComment(f, *body, "");
        f.Known("body");
        if (auto done = f.Finish(); !done) return http::Problem(req, done.error());
        auto r = AddComment(req.actor, *id, *c);
        if (!r) return http::Problem(req, r.error());
        return http::Json(201, ReviewJson(*r, true));
    });
}

}  // namespace otdel::agenda
