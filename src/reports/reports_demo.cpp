#include "reports/reports_demo.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "org/employee_store.hpp"
#include "org/work_calendar.hpp"
#include "reports/report.hpp"

namespace otdel::reports {
namespace {

using core::kMinute;

// Minutes to the first answer, taken in turn: written requests (SLA an hour) and calls (SLA 5 minutes).
constexpr int kWrittenAnswer[] = {12, 38, 4, 71, 25, 9, 52, 17, 95, 6, 33, 44};
constexpr int kCallAnswer[] = {2, 4, 9, 3, 1};

constexpr const char* kCountAssignments = "SELECT COUNT(*) FROM lead_assignments WHERE workspace_id = :ws";
constexpr const char* kAnsweredLeads =
    "SELECT id, channel, owner_user_id FROM leads WHERE workspace_id = :ws AND deleted_at IS NULL AND merged_into_id "
    "IS NULL AND owner_user_id IS NOT NULL AND status <> 'new' ORDER BY id";
constexpr const char* kBackdateLead =
    "UPDATE leads SET created_at = :at, last_request_at = :at2, updated_at = :at3 WHERE workspace_id = :ws AND id = "
    ":id";
constexpr const char* kInsertAssignment =
    "INSERT INTO lead_assignments (workspace_id, lead_id, user_id, reason, assigned_at, deadline_at, responded_at, "
    "response_working_ms, breached_at, ended_at, end_reason) VALUES (:ws, :lead, :user, :reason, :at, :deadline, "
    ":responded, :ms, :breached, :ended, :why)";
constexpr const char* kLastAssignment =
    "SELECT MAX(id) FROM lead_assignments WHERE workspace_id = :ws AND lead_id = :lead";
constexpr const char* kInsertRouting =
    "INSERT INTO lead_routing (workspace_id, lead_id, state, assignment_id, deadline_at, sla_minutes, reassignments, "
    "breaches, first_assigned_at, first_response_at, first_response_kind, updated_at) VALUES (:ws, :lead, "
    "'responded', :assignment, :deadline, :sla, :moves, :breaches, :first, :answered, :kind, :updated)";

struct Lead {
    long long id = 0, owner = 0;
    std::string channel;
};

struct Given {
    long long user = 0;
    std::string reason;
    core::Millis at = 0, deadline = 0;
    std::optional<core::Millis> responded, breached;
    core::Millis ended = 0;
    std::string why;
};

void Insert(soci::session& sql, long long ws, long long lead, const Given& g) {
    long long at = g.at, deadline = g.deadline, ended = g.ended, user = g.user;
    long long responded = g.responded.value_or(0), ms = g.responded ? *g.responded - g.at : 0,
              breached = g.breached.value_or(0);
    soci::indicator r_ind = g.responded ? soci::i_ok : soci::i_null, b_ind = g.breached ? soci::i_ok : soci::i_null,
                    ms_ind = r_ind;
    sql << kInsertAssignment, soci::use(ws, "ws"), soci::use(lead, "lead"), soci::use(user, "user"),
        soci::use(g.reason, "reason"), soci::use(at, "at"), soci::use(deadline, "deadline"),
        soci::use(responded, r_ind, "responded"), soci::use(ms, ms_ind, "ms"), soci::use(breached, b_ind, "breached"),
        soci::use(ended, "ended"), soci::use(g.why, "why");
}

}  // namespace

int SeedDemoReports(db::Database& db, const core::Clock& clock, core::Id ws_id) {
    const long long ws = ws_id;
    const core::Millis now = clock.NowMs();
    auto written = db.InTx([&](soci::session& sql) -> core::Result<int> {
        long long existing = 0;
        sql << kCountAssignments, soci::use(ws, "ws"), soci::into(existing);
        if (existing > 0) return 0;
        std::vector<Lead> leads;
        std::vector<long long> managers;
        {
            Lead l;
            soci::statement st = (sql.prepare << kAnsweredLeads, soci::use(ws, "ws"), soci::into(l.id),
                                  soci::into(l.channel), soci::into(l.owner));
            st.execute(false);
            while (st.fetch()) {
                leads.push_back(l);
                if (std::find(managers.begin(), managers.end(), l.owner) == managers.end()) managers.push_back(l.owner);
            }
        }
        if (leads.empty()) return 0;
        const std::string tz = org::store::WorkspaceTimeZone(sql, ws_id);
        const std::string today = org::LocalDateText(tz, now);
        const std::string first = today.substr(0, 8) + "01";
        const core::Millis month_start = DayStartMs(tz, first).value_or(now);
        const core::Millis span = std::max<core::Millis>(now - 3 * 60 * kMinute - month_start, 0);
        int count = 0;
        const auto n = static_cast<long long>(leads.size());
        for (long long k = 0; k < n; ++k) {
            const Lead& l = leads[static_cast<std::size_t>(k)];
            // The day it came (spread over the month so far), in working hours (10:00 … 15:59).
            const core::Millis spread = month_start + span * (2 * k + 1) / (2 * n);
            const std::string day = org::LocalDateText(tz, spread);
            core::Millis came = DayStartMs(tz, day).value_or(spread) + (10 * 60 + (k * 53) % 360) * kMinute;
            if (came > now - 60 * kMinute) came = now - (n - k + 1) * 7 * kMinute;
            const bool call = l.channel == "phone";
            const int sla = call ? 5 : 60;
            const int answer =
                call ? kCallAnswer[k % std::size(kCallAnswer)] : kWrittenAnswer[k % std::size(kWrittenAnswer)];
            const long long at = came, at2 = came, at3 = came, id = l.id;
            sql << kBackdateLead, soci::use(at, "at"), soci::use(at2, "at2"), soci::use(at3, "at3"),
                soci::use(ws, "ws"), soci::use(id, "id");
            const core::Millis given = came + 30'000;
            Given g{l.owner, "routed", given, given + sla * kMinute, std::nullopt, std::nullopt, 0, ""};
            long long moves = 0, breaches = 0;
            core::Millis answered = given + answer * kMinute;
            if (answer > sla && managers.size() > 1) {
                // Too slow: the SLA breached and the lead went to the other manager, who answered in 3 minutes.
                const auto other = std::find(managers.begin(), managers.end(), l.owner) - managers.begin();
                g.user = managers[static_cast<std::size_t>(other + 1) % managers.size()];
                g.breached = g.deadline;
                g.ended = g.deadline;
                g.why = "breached";
                Insert(sql, ws, id, g);
                ++count;
                answered = g.deadline + 3 * kMinute;
                g = Given{l.owner,  "reassigned", g.deadline, g.deadline + sla * kMinute,
                          answered, std::nullopt, answered,   "responded"};
                moves = breaches = 1;
            } else {
                g.responded = answered;
                g.ended = answered;
                g.why = "responded";
            }
            Insert(sql, ws, id, g);
            ++count;
            long long last = 0, deadline = g.deadline, first_at = given, answered_at = answered, sla_l = sla;
            sql << kLastAssignment, soci::use(ws, "ws"), soci::use(id, "lead"), soci::into(last);
            const std::string kind = call ? "call" : "status";
            sql << kInsertRouting, soci::use(ws, "ws"), soci::use(id, "lead"), soci::use(last, "assignment"),
                soci::use(deadline, "deadline"), soci::use(sla_l, "sla"), soci::use(moves, "moves"),
                soci::use(breaches, "breaches"), soci::use(first_at, "first"), soci::use(answered_at, "answered"),
                soci::use(kind, "kind"), soci::use(answered_at, "updated");
        }
        return count;
    });
    return written ? *written : 0;
}

}  // namespace otdel::reports
