#pragma once
/// Lead routing (LEAD-4) as pure rules: which rule a lead matches, who in the rule's pool may take it now, and whom
/// the pool's strategy picks — with every skipped person and the reason written down, so the decision can be
/// shown and audited ("rule 3, round-robin, skipped Ivanova: vacation"). No SQL, JSON or HTTP here: the service
/// loads rules, people and counters, calls Decide, and stores the outcome.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace otdel::routing {

enum class Strategy { kRoundRobin, kLeastLoaded, kWeighted };
/// "round_robin", "least_loaded", "weighted".
std::string_view StrategyName(Strategy s);
std::optional<Strategy> ParseStrategy(std::string_view name);

/// Which leads a rule takes. An empty list or unset value matches anything; several values of one list are
/// alternatives (OR), different conditions must all hold (AND). Texts compare case-insensitively.
struct Conditions {
    std::vector<std::string> channels;  // form, email, phone, telegram, webhook, manual, import
    std::vector<core::Id> form_ids;
    std::vector<std::string> regions;
    /// A product line: matches when the lead's product contains it (the form may send "Кухня угловая").
    std::vector<std::string> products;
    /// "new": the lead is not linked to a known client; "known": it is.
    std::optional<std::string> client_type;
    std::optional<int> min_priority, max_priority;
    /// Custom field code → the value it must have.
    std::map<std::string, std::string> custom;
};

/// A person of a pool with their weight (weighted strategy; 1 otherwise).
struct Member {
    core::Id user_id = 0;
    int weight = 1;
};

inline constexpr int kMaxWeight = 100;
inline constexpr int kMaxSlaMinutes = 7 * 24 * 60;
inline constexpr int kMaxRules = 500;
inline constexpr int kMaxEscalateAfter = 20;
inline constexpr int kMaxOpenCap = 10000;

struct Rule {
    core::Id id = 0;
    int position = 0;  // 1-based order; the first matching active rule wins
    std::string name;
    bool active = true;
    Conditions when;
    /// The pool: the people of a department (with its sub-departments when include_subdepartments), or an
    /// explicit list (members). With both, the list narrows the department and gives the weights.
    std::optional<core::Id> department_id;
    bool include_subdepartments = true;
    std::vector<Member> members;
    Strategy strategy = Strategy::kRoundRobin;
    /// First-response SLA in the assignee's working minutes (LEAD-5).
    int sla_minutes = 60;
    /// Assign to people outside their working hours too (the SLA still counts working time only).
    bool assign_off_shift = false;
    /// Per-person cap of open leads; a person at the cap is skipped.
    std::optional<int> max_open_per_person;
    /// Breaches reassigned automatically before the next one escalates to the head.
    int escalate_after = 2;
    /// Who gets escalations and "nobody eligible" alerts; unset: the head of the pool's department.
    std::optional<core::Id> head_user_id;
};

/// What routing knows about a lead.
struct LeadFacts {
    std::string channel;
    std::optional<core::Id> form_id;
    std::string region;
    std::string product;
    bool known_client = false;
    int priority = 0;
    std::map<std::string, std::string> custom;
};

bool Matches(const Conditions& when, const LeadFacts& lead);

/// A pool member as the service sees them right now.
struct Candidate {
    core::Id user_id = 0;
    std::string name;
    bool employed = true;  // an active employee (not dismissed, user active)
    /// The absence covering today (vacation, sick_leave, business_trip, day_off), if any.
    std::optional<std::string> absence_kind;
    bool working_now = true;  // by the person's work calendar
    int open_leads = 0;
    int weight = 1;
    /// Leads this rule has given them so far (weighted strategy).
    std::int64_t assigned_by_rule = 0;
};

/// Why someone was passed over: dismissed, absent (param: the absence kind), off_shift, at_cap (param: the cap),
/// excluded (the person the lead is being taken from), zero_weight (weighted strategy, weight 0).
struct Skip {
    core::Id user_id = 0;
    std::string name;
    std::string reason;
    std::string param;
};

struct Pick {
    std::optional<core::Id> user_id;  // nullopt: nobody eligible
    std::vector<Skip> skipped;        // the ineligible, in pool order
};

/// Reads whether a candidate works right now (their calendar). The service passes one that reads the database,
/// so Choose asks it only for the people it would actually pick, in order of preference, and stops at the first
/// who works; without one, Candidate::working_now is used.
using WorkingNow = std::function<bool(const Candidate&)>;

/// The pool's choice. `members_in_order` is the pool order (round-robin rotates through it); `last_user_id` is
/// the rule's round-robin cursor (the person who got the previous lead); `exclude` are people who must not get
/// this lead (its current assignee on a breach). `skipped` lists, in the order they were considered, everyone
/// passed over: the ineligible by employment, absence, cap or exclusion, and the off-shift people the strategy
/// preferred to the one it picked.
Pick Choose(const Rule& rule, const std::vector<Candidate>& members_in_order, std::optional<core::Id> last_user_id,
            const std::vector<core::Id>& exclude = {}, const WorkingNow& working_now = {});

/// The outcome over all rules: the first active matching rule (by position) and its pick. `rule` unset: no rule
/// matched (the lead keeps the channel's default owner). `user_id` unset with a rule: nobody in the pool is
/// eligible — the lead waits in the rule's queue and the head is alerted.
struct Decision {
    std::optional<core::Id> rule_id;
    int rule_position = 0;
    std::string rule_name;
    Strategy strategy = Strategy::kRoundRobin;
    std::optional<core::Id> user_id;
    std::vector<Skip> skipped;
    /// Rules that were looked at and did not match, by position (for the simulator).
    std::vector<int> unmatched_positions;
};

/// First matching active rule in `rules` (sorted by position); nullptr when none.
const Rule* FirstMatch(const std::vector<Rule>& rules, const LeadFacts& lead, std::vector<int>* unmatched = nullptr);

/// Validation of a rule as field errors ("sla_minutes", "members/2/weight", ...): empty when valid. Checks that
/// the pool names a department or people, the SLA is 1..kMaxSlaMinutes, weights 1..kMaxWeight, caps, escalation
/// counts, duplicate members, known channels and client types. Existence of people and departments is the
/// service's part.
std::vector<core::FieldError> ValidateRule(const Rule& rule);

/// "Rule 3 «Сайт», round-robin → Ольга Васильева; skipped: Никита Орлов (vacation)" — for logs and the audit text.
std::string Explain(const Decision& d, const std::map<core::Id, std::string>& names);

}  // namespace otdel::routing
