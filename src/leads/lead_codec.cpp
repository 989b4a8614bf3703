#include "leads/lead_codec.hpp"

#include <boost/json.hpp>

#include "clients/clients_service.hpp"

namespace otdel::leads {
namespace json = boost::json;

std::string ReasonsJson(const std::vector<PriorityReason>& reasons) {
    json::array a;
    for (const auto& r : reasons) {
        json::object params;
        for (const auto& [k, v] : r.params) params[k] = v;
        a.push_back(json::object{{"code", r.code}, {"points", r.points}, {"params", std::move(params)}});
    }
    return json::serialize(a);
}

std::vector<PriorityReason> ParseReasons(const std::string& text) {
    std::vector<PriorityReason> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        PriorityReason r;
        if (auto* c = o.if_contains("code"); c && c->is_string()) r.code = std::string(c->as_string());
        if (auto* p = o.if_contains("points"); p && p->is_int64()) r.points = static_cast<int>(p->as_int64());
        if (auto* ps = o.if_contains("params"); ps && ps->is_object())
            for (const auto& [k, val] : ps->as_object())
                if (val.is_string()) r.params[std::string(k)] = std::string(val.as_string());
        out.push_back(std::move(r));
    }
    return out;
}

PriorityInput PriorityInputOf(const Lead& l, const std::string& extra_text) {
    PriorityInput in;
    // A title made from the request repeats it: count it once.
    std::string title = l.title;
    if (title.size() >= 3 && title.compare(title.size() - 3, 3, "…") == 0) title.resize(title.size() - 3);
    if (l.request_text.find(title) == std::string::npos) in.title = l.title;
    in.request_text = extra_text.empty() ? l.request_text : l.request_text + "\n" + extra_text;
    in.product = l.product;
    in.company_name = l.company_name;
    in.inn = l.inn.value_or("");
    for (const auto& p : l.points) {
        if (p.kind == "phone") in.has_phone = true;
        if (p.kind == "email") in.has_email = true;
    }
    return in;
}

void Rescore(Lead& l, const Vocabulary& v, const std::string& extra_text) {
    const Priority p = ScorePriority(PriorityInputOf(l, extra_text), v);
    l.priority_score = p.score;
    l.priority_reasons = ReasonsJson(p.reasons);
}

json::object LeadSnapshot(const Lead& l) {
    auto opt = [](const auto& o) -> json::value {
        if (o) return json::value(*o);
        return nullptr;
    };
    json::array points;
    for (const auto& p : l.points)
        points.push_back(json::object{{"kind", p.kind}, {"label", p.label}, {"raw", p.raw}, {"value", p.value}});
    return json::object{{"id", l.id},
                        {"status", l.status},
                        {"junk_reason", opt(l.junk_reason)},
                        {"title", l.title},
                        {"request_text", l.request_text},
                        {"contact_name", l.contact_name},
                        {"company_name", l.company_name},
                        {"inn", opt(l.inn)},
                        {"channel", l.channel},
                        {"external_ref", opt(l.external_ref)},
                        {"product", l.product},
                        {"priority_score", l.priority_score},
                        {"owner_user_id", opt(l.owner_user_id)},
                        {"company_id", opt(l.company_id)},
                        {"contact_id", opt(l.contact_id)},
                        {"converted_company_id", opt(l.converted_company_id)},
                        {"converted_contact_id", opt(l.converted_contact_id)},
                        {"repeat_count", l.repeat_count},
                        {"merged_into_id", opt(l.merged_into_id)},
                        {"deleted_at", opt(l.deleted_at)},
                        {"points", std::move(points)}};
}

clients::ClientsService::SearchDocInput SearchDocOf(const Lead& l, core::Millis now) {
    clients::ClientsService::SearchDocInput d;
    d.ws = l.workspace_id;
    d.type = "lead";
    d.id = l.id;
    d.owner = l.owner_user_id;
    d.title = l.title;
    d.body = l.contact_name + " " + l.company_name + " " + l.request_text + " " + l.inn.value_or("");
    for (const auto& p : l.points) {
        if (p.kind == "phone") d.phones.push_back(p.value);
        if (p.kind == "email") d.body += " " + p.value;
    }
    d.now = now;
    return d;
}

void WriteSearchDoc(soci::session& sql, const Lead& l, core::Millis now) {
    const auto d = SearchDocOf(l, now);
    clients::ClientsService::UpsertSearchDoc(sql, d.ws, d.type, d.id, d.owner, d.title, d.body, d.phones, d.now);
}

}  // namespace otdel::leads
