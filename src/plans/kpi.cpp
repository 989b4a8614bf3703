#include "plans/kpi.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace otdel::plans {
namespace {

constexpr std::int64_t kBp = 10000;

bool In(core::Millis at, const KpiWindow& w) {
    return at >= w.from && at < w.to;
}

bool ClosedIn(const DealRow& d, std::string_view status, const KpiWindow& w) {
    return d.status == status && d.closed_at && In(*d.closed_at, w);
}

KpiValue Of(KpiCode code, std::int64_t value) {
    KpiValue v;
    v.code = code;
    v.defined = true;
    v.value = value;
    return v;
}

KpiValue RateOf(KpiCode code, std::int64_t num, std::int64_t den, std::int64_t scale) {
    KpiValue v;
    v.code = code;
    v.numerator = num;
    v.denominator = den;
    if (auto r = Ratio(num, den, scale)) {
        v.defined = true;
        v.value = *r;
    }
    return v;
}

std::int64_t SumKind(std::string_view kind, const std::vector<ActivityRow>& rows) {
    std::int64_t n = 0;
    for (const auto& r : rows)
        if (r.kind == kind) n += r.count;
    return n;
}

// Every catalog entry: key, unit, direction, inputs, names and the one-line formula.
std::vector<KpiDef> MakeCatalog() {
    using enum KpiCode;
    using enum KpiUnit;
    return {
        {kRevenue, "revenue", kMoney, true, kInDeals, "Выручка (выигранные сделки)", "Revenue (deals won)",
         "Сумма выигранных сделок с датой закрытия в периоде", "Sum of deals won with their close date in the period"},
        {kPaymentsReceived, "payments_received", kMoney, true, kInPayments, "Поступившие оплаты", "Payments received",
         "Сумма оплат (без отменённых) с датой оплаты в периоде", "Sum of payments (not reversed) paid in the period"},
        {kDealsWon, "deals_won", kCount, true, kInDeals, "Выиграно сделок", "Deals won", "Сделки, выигранные в периоде",
         "Deals won in the period"},
        {kNewClients, "new_clients", kCount, true, kInFirstWins, "Новые клиенты", "New clients",
         "Клиенты, чья первая выигранная сделка закрыта в периоде",
         "Clients whose first deal ever was won in the period"},
        {kCalls, "calls", kCount, true, kInActivities, "Звонки", "Calls", "Звонки, начатые в периоде",
         "Calls started in the period"},
        {kMeetings, "meetings", kCount, true, kInActivities, "Встречи", "Meetings",
         "Встречи, начавшиеся в периоде (не позже текущего момента)", "Meetings that began in the period (up to now)"},
        {kCallsPerDay, "calls_per_day", kHundredths, true, kInActivities, "Звонков в рабочий день",
         "Calls per working day", "Звонки / прошедшие рабочие дни периода",
         "Calls / working days of the period so far"},
        {kCallsPerWeek, "calls_per_week", kHundredths, true, kInActivities, "Звонков в неделю", "Calls per week",
         "Звонки × 7 / прошедшие календарные дни", "Calls × 7 / calendar days so far"},
        {kMeetingsPerDay, "meetings_per_day", kHundredths, true, kInActivities, "Встреч в рабочий день",
         "Meetings per working day", "Встречи / прошедшие рабочие дни периода",
         "Meetings / working days of the period so far"},
        {kMeetingsPerWeek, "meetings_per_week", kHundredths, true, kInActivities, "Встреч в неделю",
         "Meetings per week", "Встречи × 7 / прошедшие календарные дни", "Meetings × 7 / calendar days so far"},
        {kLeadsTaken, "leads_taken", kCount, true, kInAssignments, "Принято заявок", "Leads taken",
         "Назначения заявок на сотрудника в периоде", "Times a lead was given to the person in the period"},
        {kFirstResponseMedian, "first_response_time", kDurationMs, false, kInAssignments,
         "Время первого ответа (медиана)", "First response time (median)",
         "Медиана рабочего времени от назначения до первого ответа",
         "Median working time from assignment to first response"},
        {kFirstResponseP90, "first_response_time_p90", kDurationMs, false, kInAssignments,
         "Время первого ответа (90 %)", "First response time (p90)",
         "90-й перцентиль рабочего времени до первого ответа", "90th percentile of working time to the first response"},
        {kSlaBreachRate, "sla_breach_rate", kBasisPoints, false, kInAssignments, "Доля нарушений SLA",
         "SLA breach rate", "Просроченные назначения / назначения с решённым SLA",
         "Breached assignments / assignments whose SLA was decided"},
        {kLeadToDeal, "lead_to_deal_conversion", kBasisPoints, true, kInLeads, "Конверсия заявка → сделка",
         "Lead → deal conversion", "Заявки периода, ставшие сделками / заявки периода",
         "Leads of the period that became deals / leads of the period"},
        {kStageConversion, "stage_conversion", kBasisPoints, true, kInDeals | kInStages, "Конверсия по этапам",
         "Conversion per stage", "Сделки периода: дошедшие до следующего этапа / дошедшие до этапа",
         "Deals of the period: reached the next stage / reached the stage"},
        {kWinRate, "win_rate", kBasisPoints, true, kInDeals, "Доля выигранных", "Win rate",
         "Выигранные / (выигранные + проигранные) в периоде", "Won / (won + lost) in the period"},
        {kAvgDealSize, "average_deal_size", kMoney, true, kInDeals, "Средний чек", "Average deal size",
         "Сумма выигранных сделок / их число", "Sum of deals won / their number"},
        {kTimeToCloseMedian, "time_to_close", kDurationMs, false, kInDeals, "Срок сделки (медиана)",
         "Time to close (median)", "Медиана времени от создания до выигрыша", "Median time from creation to win"},
        {kRejections, "rejections", kCount, false, kInDeals, "Отказы по причинам", "Rejections by reason",
         "Проигранные в периоде сделки по причинам", "Deals lost in the period, per reason"},
        {kRetentionRate, "retention_rate", kBasisPoints, true, kInDeals | kInPriorWins, "Удержание клиентов",
         "Retention rate", "Клиенты прошлого периода, купившие снова / клиенты прошлого периода",
         "Clients of the previous period who bought again / clients of the previous period"},
        {kCallReviewScore, "call_review_score", kBasisPoints, true, kInReviews, "Оценка звонков", "Call review score",
         "Сумма баллов / сумма максимумов по оценкам периода",
         "Points scored / points possible in the period's reviews"},
    };
}

}  // namespace

const std::vector<KpiDef>& Catalog() {
    static const std::vector<KpiDef> k = MakeCatalog();
    return k;
}

const KpiDef& Def(KpiCode code) {
    for (const auto& d : Catalog())
        if (d.code == code) return d;
    throw std::logic_error("KPI without a definition");
}

std::optional<KpiCode> ParseKpi(std::string_view key) {
    for (const auto& d : Catalog())
        if (d.key == key) return d.code;
    return std::nullopt;
}

std::string_view UnitName(KpiUnit u) {
    switch (u) {
        case KpiUnit::kCount: return "count";
        case KpiUnit::kMoney: return "money";
        case KpiUnit::kDurationMs: return "duration_ms";
        case KpiUnit::kBasisPoints: return "basis_points";
        case KpiUnit::kHundredths: return "hundredths";
    }
    return "count";
}

std::optional<std::int64_t> Median(std::vector<std::int64_t> v) {
    if (v.empty()) return std::nullopt;
    // Selection, not a sort: the upper middle in place, the lower middle is the largest of what lies before it.
    const std::size_t n = v.size();
    const auto upper = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(v.begin(), upper, v.end());
    if (n % 2 == 1) return *upper;
    const std::int64_t a = *std::max_element(v.begin(), upper), b = *upper;
    const std::int64_t sum = a + b;  // durations and amounts: far from overflow
    return sum >= 0 ? sum / 2 : -((-sum + 1) / 2);
}

std::optional<std::int64_t> Percentile(std::vector<std::int64_t> v, int pct) {
    if (v.empty() || pct < 1 || pct > 100) return std::nullopt;
    std::sort(v.begin(), v.end());
    // nearest rank: ceil(pct/100 × n), 1-based
    const std::size_t rank = (static_cast<std::size_t>(pct) * v.size() + 99) / 100;
    return v[std::max<std::size_t>(rank, 1) - 1];
}

std::optional<std::int64_t> Ratio(std::int64_t numerator, std::int64_t denominator, std::int64_t scale) {
    if (denominator == 0) return std::nullopt;
    const __int128 n = static_cast<__int128>(numerator) * scale;
    const __int128 d = denominator;
    __int128 q = (2 * n + d) / (2 * d);  // half up for non-negative figures
    if (n < 0) q = -((2 * -n + d) / (2 * d));
    return static_cast<std::int64_t>(q);
}

KpiValue CountActivities(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows) {
    return Of(code, SumKind(kind, rows));
}

KpiValue PerWorkingDay(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows, int working_days) {
    return RateOf(code, SumKind(kind, rows), working_days, 100);
}

KpiValue PerWeek(KpiCode code, std::string_view kind, const std::vector<ActivityRow>& rows, int calendar_days) {
    return RateOf(code, SumKind(kind, rows), calendar_days, 700);
}

KpiValue LeadsTaken(const std::vector<AssignmentRow>& rows, const KpiWindow& w) {
    std::int64_t n = 0;
    for (const auto& r : rows)
        if (In(r.assigned_at, w)) ++n;
    return Of(KpiCode::kLeadsTaken, n);
}

namespace {
std::vector<std::int64_t> ResponseTimes(const std::vector<AssignmentRow>& rows, const KpiWindow& w) {
    std::vector<std::int64_t> v;
    for (const auto& r : rows)
        if (In(r.assigned_at, w) && r.response_working_ms) v.push_back(*r.response_working_ms);
    return v;
}
KpiValue FromOptional(KpiCode code, std::optional<std::int64_t> x, std::int64_t n) {
    KpiValue v;
    v.code = code;
    v.denominator = n;
    if (x) {
        v.defined = true;
        v.value = *x;
    }
    return v;
}
}  // namespace

KpiValue FirstResponseMedian(const std::vector<AssignmentRow>& rows, const KpiWindow& w) {
    auto v = ResponseTimes(rows, w);
    const auto n = static_cast<std::int64_t>(v.size());
    return FromOptional(KpiCode::kFirstResponseMedian, Median(std::move(v)), n);
}

KpiValue FirstResponseP90(const std::vector<AssignmentRow>& rows, const KpiWindow& w) {
    auto v = ResponseTimes(rows, w);
    const auto n = static_cast<std::int64_t>(v.size());
    return FromOptional(KpiCode::kFirstResponseP90, Percentile(std::move(v), 90), n);
}

KpiValue SlaBreachRate(const std::vector<AssignmentRow>& rows, const KpiWindow& w) {
    std::int64_t breached = 0, decided = 0;
    for (const auto& r : rows) {
        if (!In(r.assigned_at, w) || !r.has_deadline) continue;
        if (r.breached) {
            ++breached;
            ++decided;
        } else if (r.response_working_ms) {
            ++decided;
        }
    }
    return RateOf(KpiCode::kSlaBreachRate, breached, decided, kBp);
}

KpiValue LeadToDeal(const std::vector<LeadRow>& rows, const KpiWindow& w) {
    std::int64_t leads = 0, deals = 0;
    for (const auto& r : rows) {
        if (!In(r.created_at, w)) continue;
        ++leads;
        if (r.became_deal) ++deals;
    }
    return RateOf(KpiCode::kLeadToDeal, deals, leads, kBp);
}

KpiValue StageConversion(const std::vector<DealRow>& deals, const std::vector<StageRow>& stages, const KpiWindow& w) {
    // The open stages in order, then what counts as the end (the won stage).
    std::vector<StageRow> open;
    std::optional<int> won_position;
    for (const auto& s : stages) {
        if (s.kind == "open") open.push_back(s);
        if (s.kind == "won" && (!won_position || s.position < *won_position)) won_position = s.position;
    }
    std::sort(open.begin(), open.end(), [](const StageRow& a, const StageRow& b) { return a.position < b.position; });
    // Per deal: the furthest open position reached (a won deal reached them all).
    std::vector<std::int64_t> reached(open.size() + 1, 0);  // last slot: won
    for (const auto& d : deals) {
        if (!In(d.created_at, w)) continue;
        if (d.status == "won") {
            for (auto& r : reached) ++r;
            continue;
        }
        int furthest = -1;
        for (int p : d.positions_reached)
            for (std::size_t i = 0; i < open.size(); ++i)
                if (open[i].position == p) furthest = std::max(furthest, static_cast<int>(i));
        if (furthest < 0 && !open.empty()) furthest = 0;  // a deal stands at least in the first stage
        for (int i = 0; i <= furthest; ++i) ++reached[static_cast<std::size_t>(i)];
    }
    KpiValue v;
    v.code = KpiCode::kStageConversion;
    for (std::size_t i = 0; i < open.size(); ++i) {
        KpiPart part;
        part.key = std::to_string(open[i].id);
        part.label = open[i].name;
        part.numerator = reached[i + 1];
        part.denominator = reached[i];
        part.value = Ratio(part.numerator, part.denominator, kBp).value_or(0);
        v.parts.push_back(std::move(part));
    }
    v.numerator = reached.back();
    v.denominator = reached.empty() || open.empty() ? 0 : reached.front();
    if (auto r = Ratio(v.numerator, v.denominator, kBp)) {
        v.defined = true;
        v.value = *r;
    }
    return v;
}

KpiValue DealsWon(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::int64_t n = 0;
    for (const auto& d : deals)
        if (ClosedIn(d, "won", w)) ++n;
    return Of(KpiCode::kDealsWon, n);
}

KpiValue WinRate(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::int64_t won = 0, lost = 0;
    for (const auto& d : deals) {
        if (ClosedIn(d, "won", w)) ++won;
        if (ClosedIn(d, "lost", w)) ++lost;
    }
    return RateOf(KpiCode::kWinRate, won, won + lost, kBp);
}

KpiValue AvgDealSize(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::int64_t sum = 0, n = 0;
    for (const auto& d : deals)
        if (ClosedIn(d, "won", w) && d.currency == w.currency) {
            sum += d.amount_minor;
            ++n;
        }
    KpiValue v;
    v.code = KpiCode::kAvgDealSize;
    v.numerator = sum;
    v.denominator = n;
    if (n > 0) {
        v.defined = true;
        v.value = sum / n;
    }
    return v;
}

KpiValue TimeToCloseMedian(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::vector<std::int64_t> v;
    for (const auto& d : deals)
        if (ClosedIn(d, "won", w)) v.push_back(*d.closed_at - d.created_at);
    const auto n = static_cast<std::int64_t>(v.size());
    return FromOptional(KpiCode::kTimeToCloseMedian, Median(std::move(v)), n);
}

KpiValue Rejections(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::map<std::string, std::int64_t> by_reason;
    std::int64_t total = 0;
    for (const auto& d : deals) {
        if (!ClosedIn(d, "lost", w)) continue;
        ++total;
        ++by_reason[d.loss_reason_id ? std::to_string(*d.loss_reason_id) : std::string()];
    }
    KpiValue v = Of(KpiCode::kRejections, total);
    for (const auto& [reason, n] : by_reason) v.parts.push_back({reason, "", n, n, total});
    std::stable_sort(v.parts.begin(), v.parts.end(),
                     [](const KpiPart& a, const KpiPart& b) { return a.value > b.value; });
    return v;
}

KpiValue RetentionRate(const std::vector<DealRow>& deals, const KpiWindow& w) {
    const core::Millis before = w.from - (w.to - w.from);
    std::set<std::string> earlier, now;
    for (const auto& d : deals) {
        if (d.status != "won" || !d.closed_at || d.client_key.empty()) continue;
        if (*d.closed_at >= before && *d.closed_at < w.from) earlier.insert(d.client_key);
        if (In(*d.closed_at, w)) now.insert(d.client_key);
    }
    std::int64_t kept = 0;
    for (const auto& c : earlier)
        if (now.count(c)) ++kept;
    return RateOf(KpiCode::kRetentionRate, kept, static_cast<std::int64_t>(earlier.size()), kBp);
}

KpiValue CallReviewScore(const std::vector<ReviewRow>& rows) {
    std::int64_t score = 0, max = 0;
    for (const auto& r : rows) {
        if (r.max_score <= 0) continue;
        score += r.score;
        max += r.max_score;
    }
    return RateOf(KpiCode::kCallReviewScore, score, max, kBp);
}

KpiValue Revenue(const std::vector<DealRow>& deals, const KpiWindow& w) {
    std::int64_t sum = 0;
    for (const auto& d : deals)
        if (ClosedIn(d, "won", w) && d.currency == w.currency) sum += d.amount_minor;
    return Of(KpiCode::kRevenue, sum);
}

KpiValue PaymentsReceived(const std::vector<PaymentRow>& rows, const KpiWindow& w) {
    std::int64_t sum = 0;
    for (const auto& p : rows)
        if (p.currency == w.currency) sum += p.amount_minor;
    return Of(KpiCode::kPaymentsReceived, sum);
}

KpiValue NewClients(const std::vector<DealRow>& first_wins, const KpiWindow& w) {
    std::set<std::string> clients;
    for (const auto& d : first_wins)
        if (!d.client_key.empty() && d.closed_at && In(*d.closed_at, w)) clients.insert(d.client_key);
    return Of(KpiCode::kNewClients, static_cast<std::int64_t>(clients.size()));
}

KpiValue Compute(KpiCode code, const KpiInputs& in, const KpiWindow& w) {
    using enum KpiCode;
    switch (code) {
        case kCalls: return CountActivities(code, "call", in.activities);
        case kMeetings: return CountActivities(code, "meeting", in.activities);
        case kCallsPerDay: return PerWorkingDay(code, "call", in.activities, w.working_days);
        case kMeetingsPerDay: return PerWorkingDay(code, "meeting", in.activities, w.working_days);
        case kCallsPerWeek: return PerWeek(code, "call", in.activities, w.calendar_days);
        case kMeetingsPerWeek: return PerWeek(code, "meeting", in.activities, w.calendar_days);
        case kLeadsTaken: return LeadsTaken(in.assignments, w);
        case kFirstResponseMedian: return FirstResponseMedian(in.assignments, w);
        case kFirstResponseP90: return FirstResponseP90(in.assignments, w);
        case kSlaBreachRate: return SlaBreachRate(in.assignments, w);
        case kLeadToDeal: return LeadToDeal(in.leads, w);
        case kStageConversion: return StageConversion(in.deals, in.stages, w);
        case kDealsWon: return DealsWon(in.deals, w);
        case kWinRate: return WinRate(in.deals, w);
        case kAvgDealSize: return AvgDealSize(in.deals, w);
        case kTimeToCloseMedian: return TimeToCloseMedian(in.deals, w);
        case kRejections: return Rejections(in.deals, w);
        case kRetentionRate: return RetentionRate(in.deals, w);
        case kCallReviewScore: return CallReviewScore(in.reviews);
        case kRevenue: return Revenue(in.deals, w);
        case kPaymentsReceived: return PaymentsReceived(in.payments, w);
        case kNewClients: return NewClients(in.first_wins, w);
    }
    throw std::logic_error("KPI without a formula");
}

KpiInputs OfOwners(const KpiInputs& in, const std::vector<core::Id>& owners) {
    const std::set<core::Id> set(owners.begin(), owners.end());
    auto mine = [&](const std::optional<core::Id>& o) { return o && set.count(*o) > 0; };
    KpiInputs out;
    out.stages = in.stages;
    for (const auto& r : in.deals)
        if (mine(r.owner)) out.deals.push_back(r);
    for (const auto& r : in.leads)
        if (mine(r.owner)) out.leads.push_back(r);
    for (const auto& r : in.assignments)
        if (mine(r.owner)) out.assignments.push_back(r);
    for (const auto& r : in.activities)
        if (mine(r.owner)) out.activities.push_back(r);
    for (const auto& r : in.payments)
        if (mine(r.owner)) out.payments.push_back(r);
    for (const auto& r : in.reviews)
        if (mine(r.owner)) out.reviews.push_back(r);
    for (const auto& r : in.first_wins)
        if (mine(r.owner)) out.first_wins.push_back(r);
    return out;
}

std::map<core::Id, KpiInputs> ByOwner(const KpiInputs& in) {
    std::map<core::Id, KpiInputs> out;
    auto put = [&](const std::optional<core::Id>& o) -> KpiInputs* { return o ? &out[*o] : nullptr; };
    for (const auto& r : in.deals)
        if (auto* k = put(r.owner)) k->deals.push_back(r);
    for (const auto& r : in.leads)
        if (auto* k = put(r.owner)) k->leads.push_back(r);
    for (const auto& r : in.assignments)
        if (auto* k = put(r.owner)) k->assignments.push_back(r);
    for (const auto& r : in.activities)
        if (auto* k = put(r.owner)) k->activities.push_back(r);
    for (const auto& r : in.payments)
        if (auto* k = put(r.owner)) k->payments.push_back(r);
    for (const auto& r : in.reviews)
        if (auto* k = put(r.owner)) k->reviews.push_back(r);
    for (const auto& r : in.first_wins)
        if (auto* k = put(r.owner)) k->first_wins.push_back(r);
    for (auto& [owner, k] : out) k.stages = in.stages;
    return out;
}

}  // namespace otdel::plans
