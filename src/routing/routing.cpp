#include "routing/routing.hpp"

#include <algorithm>
#include <set>

#include "leads/lead.hpp"
#include "leads/priority.hpp"

namespace otdel::routing {

std::string_view StrategyName(Strategy s) {
    switch (s) {
        case Strategy::kRoundRobin: return "round_robin";
        case Strategy::kLeastLoaded: return "least_loaded";
        case Strategy::kWeighted: return "weighted";
    }
    return "round_robin";
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
    if (name == "round_robin") return Strategy::kRoundRobin;
    if (name == "least_loaded") return Strategy::kLeastLoaded;
    if (name == "weighted") return Strategy::kWeighted;
    return std::nullopt;
}

namespace {

bool AnyEqualFolded(const std::vector<std::string>& options, const std::string& value) {
    const std::string v = leads::FoldText(value);
    return std::any_of(options.begin(), options.end(), [&](const std::string& o) { return leads::FoldText(o) == v; });
}

bool AnyContainedFolded(const std::vector<std::string>& options, const std::string& value) {
    const std::string v = leads::FoldText(value);
    return std::any_of(options.begin(), options.end(), [&](const std::string& o) {
        const std::string f = leads::FoldText(o);
        return !f.empty() && v.find(f) != std::string::npos;
    });
}

}  // namespace

bool Matches(const Conditions& when, const LeadFacts& lead) {
    if (!when.channels.empty() &&
        std::find(when.channels.begin(), when.channels.end(), lead.channel) == when.channels.end())
        return false;
    if (!when.form_ids.empty() &&
        (!lead.form_id || std::find(when.form_ids.begin(), when.form_ids.end(), *lead.form_id) == when.form_ids.end()))
        return false;
    if (!when.regions.empty() && !AnyEqualFolded(when.regions, lead.region)) return false;
    if (!when.products.empty() && !AnyContainedFolded(when.products, lead.product)) return false;
    if (when.client_type) {
        if (*when.client_type == "new" && lead.known_client) return false;
        if (*when.client_type == "known" && !lead.known_client) return false;
    }
    if (when.min_priority && lead.priority < *when.min_priority) return false;
    if (when.max_priority && lead.priority > *when.max_priority) return false;
    for (const auto& [code, value] : when.custom) {
        auto it = lead.custom.find(code);
        if (it == lead.custom.end() || leads::FoldText(it->second) != leads::FoldText(value)) return false;
    }
    return true;
}

Pick Choose(const Rule& rule, const std::vector<Candidate>& members, std::optional<core::Id> last_user_id,
            const std::vector<core::Id>& exclude, const WorkingNow& working_now) {
    Pick out;
    std::vector<std::size_t> eligible;  // indices into members, before the calendar
    for (std::size_t i = 0; i < members.size(); ++i) {
        const Candidate& c = members[i];
        auto skip = [&](const char* reason, std::string param = "") {
            out.skipped.push_back({c.user_id, c.name, reason, std::move(param)});
        };
        if (std::find(exclude.begin(), exclude.end(), c.user_id) != exclude.end()) {
            skip("excluded");
        } else if (!c.employed) {
            skip("dismissed");
        } else if (c.absence_kind) {
            skip("absent", *c.absence_kind);
        } else if (rule.max_open_per_person && c.open_leads >= *rule.max_open_per_person) {
            skip("at_cap", std::to_string(*rule.max_open_per_person));
        } else if (rule.strategy == Strategy::kWeighted && c.weight <= 0) {
            skip("zero_weight");
        } else {
            eligible.push_back(i);
        }
    }
    if (eligible.empty()) return out;

    // Rotation order: members after the cursor first, wrapping around. A cursor no longer in the pool starts the
    // rotation from the top. `eligible` is in pool order, so rotating it is enough.
    std::size_t start = 0;
    if (last_user_id) {
        for (std::size_t i = 0; i < members.size(); ++i)
            if (members[i].user_id == *last_user_id) start = i + 1;
    }
    const auto first_after = std::lower_bound(eligible.begin(), eligible.end(), start);
    std::rotate(eligible.begin(), first_after, eligible.end());

    auto try_pick = [&](std::size_t i) {
        const Candidate& c = members[i];
        if (!rule.assign_off_shift && !(working_now ? working_now(c) : c.working_now)) {
            out.skipped.push_back({c.user_id, c.name, "off_shift", ""});
            return false;
        }
        out.user_id = c.user_id;
        return true;
    };
    if (rule.strategy == Strategy::kRoundRobin) {
        for (std::size_t i : eligible)
            if (try_pick(i)) break;
        return out;
    }
    // Least-loaded and weighted: a heap by the strategy's preference, ties by the rotation (the position in
    // `eligible`); usually the first one taken off is at work, so this stays linear in the pool.
    std::vector<std::pair<std::size_t, std::size_t>> heap;  // (position in rotation, member index)
    heap.reserve(eligible.size());
    for (std::size_t pos = 0; pos < eligible.size(); ++pos) heap.emplace_back(pos, eligible[pos]);
    auto worse = [&](const std::pair<std::size_t, std::size_t>& a, const std::pair<std::size_t, std::size_t>& b) {
        const Candidate &x = members[a.second], &y = members[b.second];
        if (rule.strategy == Strategy::kLeastLoaded && x.open_leads != y.open_leads) return x.open_leads > y.open_leads;
        // The smallest share given so far relative to the weight, compared exactly: a/wa < b/wb ⇔ a·wb < b·wa.
        if (rule.strategy == Strategy::kWeighted) {
            const auto l = x.assigned_by_rule * y.weight, r = y.assigned_by_rule * x.weight;
            if (l != r) return l > r;
        }
        return a.first > b.first;
    };
    std::make_heap(heap.begin(), heap.end(), worse);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), worse);
        const std::size_t i = heap.back().second;
        heap.pop_back();
        if (try_pick(i)) break;
    }
    return out;
}

const Rule* FirstMatch(const std::vector<Rule>& rules, const LeadFacts& lead, std::vector<int>* unmatched) {
    for (const auto& r : rules) {
        if (!r.active) continue;
        if (Matches(r.when, lead)) return &r;
        if (unmatched) unmatched->push_back(r.position);
    }
    return nullptr;
}

std::vector<core::FieldError> ValidateRule(const Rule& r) {
    std::vector<core::FieldError> errs;
    if (r.name.empty()) errs.push_back({"name", "required", ""});
    if (r.name.size() > 200) errs.push_back({"name", "too_long", "200"});
    if (r.sla_minutes < 1 || r.sla_minutes > kMaxSlaMinutes)
        errs.push_back({"sla_minutes", "out_of_range", "1–" + std::to_string(kMaxSlaMinutes)});
    if (r.escalate_after < 0 || r.escalate_after > kMaxEscalateAfter)
        errs.push_back({"escalate_after", "out_of_range", "0–" + std::to_string(kMaxEscalateAfter)});
    if (r.max_open_per_person && (*r.max_open_per_person < 1 || *r.max_open_per_person > kMaxOpenCap))
        errs.push_back({"max_open_per_person", "out_of_range", "1–" + std::to_string(kMaxOpenCap)});
    if (!r.department_id && r.members.empty()) errs.push_back({"pool", "pool_empty", ""});
    std::set<core::Id> seen;
    for (std::size_t i = 0; i < r.members.size(); ++i) {
        const auto& m = r.members[i];
        const std::string f = "members/" + std::to_string(i);
        if (m.user_id <= 0) errs.push_back({f + "/user_id", "required", ""});
        if (!seen.insert(m.user_id).second) errs.push_back({f + "/user_id", "duplicate", std::to_string(m.user_id)});
        if (m.weight < 1 || m.weight > kMaxWeight)
            errs.push_back({f + "/weight", "out_of_range", "1–" + std::to_string(kMaxWeight)});
    }
    const auto& channels = leads::Channels();
    for (std::size_t i = 0; i < r.when.channels.size(); ++i)
        if (std::find(channels.begin(), channels.end(), r.when.channels[i]) == channels.end())
            errs.push_back({"when/channels/" + std::to_string(i), "not_one_of",
                            "form, email, phone, telegram, webhook, manual, import"});
    if (r.when.client_type && *r.when.client_type != "new" && *r.when.client_type != "known")
        errs.push_back({"when/client_type", "not_one_of", "new, known"});
    if (r.when.min_priority && (*r.when.min_priority < 0 || *r.when.min_priority > 100))
        errs.push_back({"when/min_priority", "out_of_range", "0–100"});
    if (r.when.max_priority && (*r.when.max_priority < 0 || *r.when.max_priority > 100))
        errs.push_back({"when/max_priority", "out_of_range", "0–100"});
    if (r.when.min_priority && r.when.max_priority && *r.when.min_priority > *r.when.max_priority)
        errs.push_back({"when/max_priority", "invalid_range", ""});
    for (const auto& [code, value] : r.when.custom)
        if (code.empty() || code.size() > 100) errs.push_back({"when/custom", "invalid_code", ""});
    return errs;
}

std::string Explain(const Decision& d, const std::map<core::Id, std::string>& names) {
    if (!d.rule_id) return "no rule matched";
    auto name_of = [&](core::Id id) {
        auto it = names.find(id);
        return it == names.end() ? "#" + std::to_string(id) : it->second;
    };
    std::string s = "rule " + std::to_string(d.rule_position) + " «" + d.rule_name + "», " +
                    std::string(StrategyName(d.strategy)) + " → ";
    s += d.user_id ? name_of(*d.user_id) : std::string("queue (nobody eligible)");
    if (!d.skipped.empty()) {
        s += "; skipped: ";
        for (std::size_t i = 0; i < d.skipped.size(); ++i) {
            if (i) s += ", ";
            const auto& k = d.skipped[i];
            s += (k.name.empty() ? name_of(k.user_id) : k.name) + " (" + k.reason;
            if (!k.param.empty()) s += ": " + k.param;
            s += ")";
        }
    }
    return s;
}

}  // namespace otdel::routing
