#include "reports/report.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

namespace otdel::reports {

std::optional<int> RatioBp(long long n, long long d) {
    auto r = plans::Ratio(n, d, 10000);
    if (!r) return std::nullopt;
    return static_cast<int>(*r);
}

// ---- funnel ----

namespace {

const StageInfo* FindStage(const std::vector<StageInfo>& stages, core::Id id) {
    for (const auto& s : stages)
        if (s.id == id) return &s;
    return nullptr;
}

}  // namespace

int FurthestOpenPosition(const std::vector<StageInfo>& stages, const DealFact& d) {
    int best = -1;
    auto consider = [&](core::Id id) {
        if (const auto* s = FindStage(stages, id); s && s->kind == "open") best = std::max(best, s->position);
    };
    consider(d.stage_id);
    for (const auto& e : d.history) consider(e.stage_id);
    return best;
}

namespace {

// Reached, for a cell: a won deal went through every open stage; a lost or open one as far as it got.
bool CellReached(const StageInfo& stage, const FunnelCell& c) {
    if (stage.kind != "open") return c.stage_id == stage.id;
    if (c.status == "won") return true;
    return c.furthest_pos >= stage.position;
}

}  // namespace

bool Reached(const std::vector<StageInfo>& stages, const StageInfo& stage, const DealFact& deal) {
    return CellReached(stage, {deal.stage_id, deal.status, FurthestOpenPosition(stages, deal), 1, 0});
}

Funnel BuildFunnel(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals) {
    std::vector<FunnelCell> cells;
    cells.reserve(deals.size());
    std::map<core::Id, std::vector<std::int64_t>> stays;
    for (const DealFact* d : deals) {
        cells.push_back({d->stage_id, d->status, FurthestOpenPosition(stages, *d), 1, d->amount_minor});
        for (std::size_t i = 0; i + 1 < d->history.size(); ++i)
            stays[d->history[i].stage_id].push_back(d->history[i + 1].at - d->history[i].at);
    }
    return BuildFunnelFromCells(stages, cells, std::move(stays));
}

Funnel BuildFunnelFromCells(const std::vector<StageInfo>& stages, const std::vector<FunnelCell>& cells,
                            std::map<core::Id, std::vector<std::int64_t>> stays) {
    Funnel f;
    for (const auto& s : stages) {
        FunnelStage fs;
        fs.stage_id = s.id;
        fs.name = s.name;
        fs.kind = s.kind;
        f.stages.push_back(fs);
    }
    for (const auto& c : cells) {
        f.deals += c.n;
        f.amount += c.amount;
        if (c.status == "won") f.won += c.n;
        if (c.status == "lost") f.lost += c.n;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            if (CellReached(stages[i], c)) {
                f.stages[i].reached += c.n;
                f.stages[i].reached_amount += c.amount;
            }
            if (c.stage_id == stages[i].id) {
                f.stages[i].current += c.n;
                f.stages[i].current_amount += c.amount;
            }
        }
    }
    long long prev_open = -1;
    long long last_open = -1;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        auto& fs = f.stages[i];
        if (auto it = stays.find(fs.stage_id); it != stays.end() && stages[i].kind == "open") {
            fs.stays = static_cast<long long>(it->second.size());
            fs.median_stay_ms = Median(std::move(it->second));
        }
        if (stages[i].kind == "open") {
            if (prev_open >= 0) fs.conversion_bp = RatioBp(fs.reached, prev_open);
            prev_open = fs.reached;
            last_open = fs.reached;
        }
    }
    for (auto& fs : f.stages)
        if (fs.kind == "won" && last_open >= 0) fs.conversion_bp = RatioBp(fs.reached, last_open);
    return f;
}

std::vector<std::string> GroupKeys(const DealFact& d, const std::string& by) {
    if (by == "person") return {d.owner ? std::to_string(*d.owner) : ""};
    if (by == "team") return {d.department ? std::to_string(*d.department) : ""};
    if (by == "channel") return {d.channel};
    if (by == "product") {
        if (d.products.empty()) return {""};
        std::set<core::Id> uniq(d.products.begin(), d.products.end());
        std::vector<std::string> out;
        for (auto p : uniq) out.push_back(std::to_string(p));
        return out;
    }
    return {""};
}

// ---- win/loss ----

WinLoss BuildWinLoss(const std::vector<const DealFact*>& deals, const std::string& by) {
    WinLoss w;
    std::map<std::string, WinLossRow> rows;
    std::map<std::optional<core::Id>, LossReasonRow> reasons;
    auto add = [](WinLossRow& r, const DealFact& d) {
        if (d.status == "won") {
            ++r.won;
            r.won_amount += d.amount_minor;
        } else {
            ++r.lost;
            r.lost_amount += d.amount_minor;
        }
    };
    for (const DealFact* d : deals) {
        if (d->status != "won" && d->status != "lost") continue;
        add(w.total, *d);
        for (const auto& k : GroupKeys(*d, by)) {
            auto& r = rows[k];
            r.key = k;
            add(r, *d);
        }
        if (d->status == "lost") {
            auto& lr = reasons[d->loss_reason];
            lr.reason = d->loss_reason;
            ++lr.count;
            lr.amount += d->amount_minor;
        }
    }
    w.total.win_rate_bp = RatioBp(w.total.won, w.total.won + w.total.lost);
    for (auto& [k, r] : rows) {
        r.win_rate_bp = RatioBp(r.won, r.won + r.lost);
        w.rows.push_back(r);
    }
    for (auto& [k, r] : reasons) w.reasons.push_back(r);
    std::stable_sort(w.reasons.begin(), w.reasons.end(),
                     [](const LossReasonRow& a, const LossReasonRow& b) { return a.count > b.count; });
    return w;
}

WinLoss BuildWinLossFromCells(const std::vector<WinLossCell>& cells) {
    WinLoss w;
    std::map<std::string, WinLossRow> rows;
    std::map<std::optional<core::Id>, LossReasonRow> reasons;
    auto add = [](WinLossRow& r, const WinLossCell& c) {
        if (c.status == "won") {
            r.won += c.n;
            r.won_amount += c.amount;
        } else {
            r.lost += c.n;
            r.lost_amount += c.amount;
        }
    };
    for (const auto& c : cells) {
        if (c.status != "won" && c.status != "lost") continue;
        add(w.total, c);
        auto& r = rows[c.key];
        r.key = c.key;
        add(r, c);
        if (c.status == "lost") {
            auto& lr = reasons[c.loss_reason];
            lr.reason = c.loss_reason;
            lr.count += c.n;
            lr.amount += c.amount;
        }
    }
    w.total.win_rate_bp = RatioBp(w.total.won, w.total.won + w.total.lost);
    for (auto& [k, r] : rows) {
        r.win_rate_bp = RatioBp(r.won, r.won + r.lost);
        w.rows.push_back(r);
    }
    for (auto& [k, r] : reasons) w.reasons.push_back(r);
    std::stable_sort(w.reasons.begin(), w.reasons.end(),
                     [](const LossReasonRow& a, const LossReasonRow& b) { return a.count > b.count; });
    return w;
}

// ---- activity ----

ActivityReport BuildActivity(const std::vector<ActivityFact>& acts, const std::vector<DealDays>& deals,
                             const std::vector<ResponseFact>& responses) {
    std::map<std::pair<std::optional<core::Id>, std::string>, ActivityRow> cells;
    auto cell = [&](std::optional<core::Id> owner, const std::string& day) -> ActivityRow& {
        auto& r = cells[{owner, day}];
        r.owner = owner;
        r.day = day;
        return r;
    };
    auto count_act = [](ActivityRow& r, const ActivityFact& a) {
        if (a.kind == "call") ++r.calls;
        if (a.kind == "meeting") ++r.meetings;
        if (a.kind == "email") ++r.emails;
        if (a.kind == "task") {
            ++r.tasks;
            if (a.done) ++r.tasks_done;
        }
    };
    for (const auto& a : acts) count_act(cell(a.owner, a.day), a);
    for (const auto& dd : deals) {
        if (!dd.created_day.empty()) ++cell(dd.deal->owner, dd.created_day).deals_created;
        if (!dd.closed_day.empty() && dd.deal->status == "won") {
            auto& r = cell(dd.deal->owner, dd.closed_day);
            ++r.deals_won;
            r.won_amount += dd.deal->amount_minor;
        }
    }
    std::vector<ActivityRow> list;
    list.reserve(cells.size());
    for (auto& [key, r] : cells) list.push_back(r);
    return BuildActivityFromCells(list, responses);
}

ActivityReport BuildActivityFromCells(const std::vector<ActivityRow>& counted,
                                      const std::vector<ResponseFact>& responses) {
    std::map<std::pair<std::optional<core::Id>, std::string>, ActivityRow> cells;
    std::map<std::pair<std::optional<core::Id>, std::string>, std::vector<std::int64_t>> times;
    auto cell = [&](std::optional<core::Id> owner, const std::string& day) -> ActivityRow& {
        auto& r = cells[{owner, day}];
        r.owner = owner;
        r.day = day;
        return r;
    };
    auto sum_into = [](ActivityRow& to, const ActivityRow& r) {
        to.calls += r.calls;
        to.meetings += r.meetings;
        to.tasks += r.tasks;
        to.tasks_done += r.tasks_done;
        to.emails += r.emails;
        to.deals_created += r.deals_created;
        to.deals_won += r.deals_won;
        to.won_amount += r.won_amount;
        to.leads_taken += r.leads_taken;
        to.responded += r.responded;
        to.breaches += r.breaches;
    };
    for (const auto& c : counted) {
        ActivityRow only = c;
        only.leads_taken = only.responded = only.breaches = 0;
        sum_into(cell(c.owner, c.day), only);
    }
    for (const auto& rf : responses) {
        auto& r = cell(rf.owner, rf.day);
        ++r.leads_taken;
        if (rf.breached) ++r.breaches;
        if (rf.response_ms) {
            ++r.responded;
            times[{rf.owner, rf.day}].push_back(*rf.response_ms);
        }
    }
    ActivityReport out;
    std::map<std::optional<core::Id>, ActivityRow> people;
    std::map<std::optional<core::Id>, std::vector<std::int64_t>> people_times;
    std::vector<std::int64_t> all_times;
    for (auto& [key, r] : cells) {
        const auto& t = times[key];
        r.response_median_ms = Median(t);
        r.response_p90_ms = Percentile(t, 90);
        out.by_person_day.push_back(r);
        auto& p = people[key.first];
        p.owner = key.first;
        sum_into(p, r);
        sum_into(out.total, r);
        auto& pt = people_times[key.first];
        pt.insert(pt.end(), t.begin(), t.end());
        all_times.insert(all_times.end(), t.begin(), t.end());
    }
    for (auto& [owner, p] : people) {
        p.response_median_ms = Median(people_times[owner]);
        p.response_p90_ms = Percentile(people_times[owner], 90);
        out.by_person.push_back(p);
    }
    out.total.response_median_ms = Median(all_times);
    out.total.response_p90_ms = Percentile(all_times, 90);
    return out;
}

// ---- forecast ----

std::int64_t Weighted(std::int64_t amount, int probability) {
    const __int128 x = static_cast<__int128>(amount) * probability;
    return static_cast<std::int64_t>(x >= 0 ? (x + 50) / 100 : -((-x + 50) / 100));
}

std::vector<WeightedStage> WeightedPipeline(const std::vector<StageInfo>& stages,
                                            const std::vector<const DealFact*>& deals) {
    std::vector<WeightedStage> out;
    for (const auto& s : stages) {
        if (s.kind != "open") continue;
        WeightedStage w;
        w.stage_id = s.id;
        w.name = s.name;
        w.probability = s.probability;
        for (const DealFact* d : deals) {
            if (d->status != "open" || d->stage_id != s.id) continue;
            ++w.deals;
            w.amount += d->amount_minor;
            w.weighted += Weighted(d->amount_minor, s.probability);
        }
        out.push_back(w);
    }
    return out;
}

std::vector<CategoryNode> CategoriesByTree(const std::vector<DeptInfo>& tree,
                                           const std::vector<const DealFact*>& deals) {
    std::map<std::optional<core::Id>, CategoryTotals> own;
    for (const DealFact* d : deals) {
        if (d->status == "lost") continue;
        auto& t = own[d->department];
        ++t.deals;
        if (d->status == "won") {
            t.closed += d->amount_minor;
        } else if (d->forecast_category == "commit") {
            t.commit += d->amount_minor;
        } else if (d->forecast_category == "best_case") {
            t.best_case += d->amount_minor;
        } else {
            t.pipeline += d->amount_minor;
        }
    }
    std::map<core::Id, const DeptInfo*> by_id;
    for (const auto& d : tree) by_id[d.id] = &d;
    std::vector<CategoryNode> out;
    for (const auto& dept : tree) {
        CategoryNode n;
        n.department = dept.id;
        n.name = dept.name;
        n.parent = dept.parent;
        if (auto it = own.find(dept.id); it != own.end()) n.own = it->second;
        out.push_back(n);
    }
    // Roll every department's own totals up its chain of parents (each ancestor counted once).
    std::map<core::Id, CategoryTotals> rolled;
    for (const auto& dept : tree) {
        auto it = own.find(dept.id);
        if (it == own.end()) continue;
        std::set<core::Id> seen;
        std::optional<core::Id> at = dept.id;
        while (at && by_id.count(*at) && seen.insert(*at).second) {
            auto& r = rolled[*at];
            r.pipeline += it->second.pipeline;
            r.best_case += it->second.best_case;
            r.commit += it->second.commit;
            r.closed += it->second.closed;
            r.deals += it->second.deals;
            at = by_id[*at]->parent;
        }
    }
    for (auto& n : out) n.rolled = rolled[*n.department];
    // Deals whose owner has no department in the tree (nobody, or a department not listed).
    CategoryTotals rest;
    for (const auto& [dept, t] : own) {
        if (dept && by_id.count(*dept)) continue;
        rest.pipeline += t.pipeline;
        rest.best_case += t.best_case;
        rest.commit += t.commit;
        rest.closed += t.closed;
        rest.deals += t.deals;
    }
    if (rest.deals > 0) {
        CategoryNode n;
        n.own = rest;
        n.rolled = rest;
        out.push_back(n);
    }
    return out;
}

namespace {

// The stage a deal stood in at `t` and since when (the last history entry at or before t).
std::optional<StageEntry> StageAt(const DealFact& d, core::Millis t) {
    std::optional<StageEntry> out;
    for (const auto& e : d.history)
        if (e.at <= t) out = e;
    return out;
}

bool OpenAt(const DealFact& d, core::Millis t) {
    return d.created_at <= t && (!d.closed_at || *d.closed_at > t);
}

// A closed deal's first entry into each stage: (stage, entered, closed, won).
struct Passage {
    core::Millis entered = 0;
    core::Millis duration = 0;
    bool won = false;
};

}  // namespace

StatForecast StatisticalForecast(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                                 core::Millis from, core::Millis to, core::Millis as_of) {
    StatForecast out;
    // The history: deals closed before as_of, each stage's first entry and how long from it to the close.
    std::map<core::Id, std::vector<Passage>> passages;
    for (const DealFact* d : deals) {
        if (!d->closed_at || *d->closed_at >= as_of || d->status == "open") continue;
        std::set<core::Id> seen;
        for (const auto& e : d->history) {
            if (e.at >= as_of || !seen.insert(e.stage_id).second) continue;
            passages[e.stage_id].push_back({e.at, *d->closed_at - e.at, d->status == "won"});
        }
    }
    for (const auto& s : stages) {
        if (s.kind != "open") continue;
        StatForecast::StageStat st;
        st.stage_id = s.id;
        std::vector<std::int64_t> to_win;
        for (const auto& p : passages[s.id]) {
            ++st.sample;
            if (p.won) {
                ++st.won;
                to_win.push_back(p.duration);
            }
        }
        st.win_bp = RatioBp(st.won, st.sample);
        st.median_to_win_ms = Median(to_win);
        out.stages.push_back(st);
    }
    for (const DealFact* d : deals) {
        if (d->status == "won" && d->closed_at && *d->closed_at >= from && *d->closed_at < as_of)
            out.won_so_far += d->amount_minor;
    }
    // Per stage, the past passages' durations sorted (all, and the won ones): "stood at least this long" and "won
    // within the window" are then two binary searches per open deal instead of a walk over the whole history.
    std::map<core::Id, std::pair<std::vector<core::Millis>, std::vector<core::Millis>>> sorted;
    for (auto& [stage, list] : passages) {
        auto& [all, won] = sorted[stage];
        for (const auto& p : list) {
            all.push_back(p.duration);
            if (p.won) won.push_back(p.duration);
        }
        std::sort(all.begin(), all.end());
        std::sort(won.begin(), won.end());
    }
    __int128 expected = 0;
    for (const DealFact* d : deals) {
        if (!OpenAt(*d, as_of)) continue;
        auto at = StageAt(*d, as_of);
        if (!at) continue;
        const auto* s = FindStage(stages, at->stage_id);
        if (!s || s->kind != "open") continue;
        ++out.open_deals;
        // Among past deals that stood in this stage longer than this one has, the share won within the window.
        const core::Millis age = as_of - at->at;
        const core::Millis horizon = age + (to - as_of);
        auto it = sorted.find(s->id);
        if (it == sorted.end()) continue;
        const auto& [all, won_list] = it->second;
        const long long alive = all.end() - std::upper_bound(all.begin(), all.end(), age);
        const long long won = std::upper_bound(won_list.begin(), won_list.end(), horizon) -
                              std::upper_bound(won_list.begin(), won_list.end(), age);
        if (alive == 0 || won == 0) continue;
        // amount × won / alive, rounded half up.
        expected += (static_cast<__int128>(d->amount_minor) * won * 2 + alive) / (2 * alive);
    }
    out.expected = out.won_so_far + static_cast<std::int64_t>(expected);
    return out;
}

Backtest RunBacktest(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                     const std::vector<std::pair<core::Millis, core::Millis>>& periods) {
    Backtest b;
    long long n = 0;
    long long sum = 0;
    for (const auto& [from, to] : periods) {
        BacktestRow r;
        r.from = from;
        r.to = to;
        r.forecast = StatisticalForecast(stages, deals, from, to, from).expected;
        for (const DealFact* d : deals)
            if (d->status == "won" && d->closed_at && *d->closed_at >= from && *d->closed_at < to)
                r.actual += d->amount_minor;
        if (r.actual > 0) {
            const std::int64_t diff = r.forecast > r.actual ? r.forecast - r.actual : r.actual - r.forecast;
            r.error_bp = RatioBp(diff, r.actual);
            sum += *r.error_bp;
            ++n;
        }
        b.rows.push_back(r);
    }
    if (n > 0) b.mape_bp = static_cast<int>((sum * 2 + n) / (2 * n));
    return b;
}

std::vector<std::pair<std::string, std::string>> CheckCadence(const Cadence& c) {
    std::vector<std::pair<std::string, std::string>> errs;
    if (c.every != "daily" && c.every != "weekly" && c.every != "monthly") errs.emplace_back("every", "not_one_of");
    if (c.every == "weekly" && (c.weekday < 1 || c.weekday > 7)) errs.emplace_back("weekday", "out_of_range");
    if (c.every == "monthly" && (c.day < 1 || c.day > 28)) errs.emplace_back("day", "out_of_range");
    if (c.hour < 0 || c.hour > 23) errs.emplace_back("hour", "out_of_range");
    return errs;
}

namespace {

std::optional<date::year_month_day> ParseYmd(const std::string& day) {
    if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (day[i] < '0' || day[i] > '9') return std::nullopt;
    const date::year_month_day ymd{date::year{std::stoi(day.substr(0, 4))},
                                   date::month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                                   date::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

std::string Format(date::sys_days d) {
    return date::format("%F", d);
}

// Local midnight + `hour` of a day in the zone, as UTC ms (the UTC day when the zone is unknown).
core::Millis LocalMs(const std::string& tz, date::local_days day, int hour) {
    const auto local = day + std::chrono::hours(hour);
    try {
        const auto* zone = date::locate_zone(tz);
        const auto sys = zone->to_sys(local, date::choose::earliest);
        return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
    } catch (const std::exception&) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(local.time_since_epoch()).count();
    }
}

date::local_days LocalDayOf(const std::string& tz, core::Millis at) {
    const auto t = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
    try {
        return date::floor<date::days>(date::make_zoned(tz, t).get_local_time());
    } catch (const std::exception&) {
        return date::local_days{date::floor<date::days>(t).time_since_epoch()};
    }
}

}  // namespace

LocalDays::LocalDays(const std::string& tz) {
    try {
        zone_ = date::locate_zone(tz);
    } catch (const std::exception&) {
        zone_ = nullptr;
    }
}

std::string LocalDays::Of(core::Millis at) {
    if (zone_ && (at < begin_ || at >= end_)) {
        const auto info = zone_->get_info(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at)));
        offset_ = std::chrono::duration_cast<std::chrono::milliseconds>(info.offset).count();
        begin_ = std::chrono::duration_cast<std::chrono::milliseconds>(info.begin.time_since_epoch()).count();
        end_ = std::chrono::duration_cast<std::chrono::milliseconds>(info.end.time_since_epoch()).count();
    }
    const core::Millis local = at + (zone_ ? offset_ : 0);
    const date::sys_days day{date::floor<date::days>(std::chrono::milliseconds(local))};
    const date::year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

std::optional<core::Millis> DayStartMs(const std::string& tz, const std::string& day) {
    auto ymd = ParseYmd(day);
    if (!ymd) return std::nullopt;
    return LocalMs(tz, date::local_days{*ymd}, 0);
}

std::optional<long long> DayNumber(const std::string& day) {
    auto ymd = ParseYmd(day);
    if (!ymd) return std::nullopt;
    return date::sys_days{*ymd}.time_since_epoch().count();
}

std::string DayText(long long number) {
    return Format(date::sys_days{date::days{number}});
}

std::string AddDays(const std::string& day, int n) {
    auto ymd = ParseYmd(day);
    if (!ymd) return day;
    return Format(date::sys_days{*ymd} + date::days{n});
}

std::optional<std::pair<std::string, std::string>> RelativePeriod(const std::string& name, const std::string& today) {
    auto ymd = ParseYmd(today);
    if (!ymd) return std::nullopt;
    const date::sys_days t{*ymd};
    if (name == "today") return std::pair{today, today};
    if (name == "week") {
        const date::weekday wd{t};
        const auto monday = t - (wd - date::Monday);
        return std::pair{Format(monday), Format(monday + date::days{6})};
    }
    if (name == "month") {
        const auto first = ymd->year() / ymd->month() / 1;
        const auto last = ymd->year() / ymd->month() / date::last;
        return std::pair{Format(date::sys_days{first}), Format(date::sys_days{last})};
    }
    if (name == "quarter") {
        const unsigned m = static_cast<unsigned>(ymd->month());
        const unsigned q0 = (m - 1) / 3 * 3 + 1;
        const auto first = ymd->year() / date::month{q0} / 1;
        const auto last = ymd->year() / date::month{q0 + 2} / date::last;
        return std::pair{Format(date::sys_days{first}), Format(date::sys_days{last})};
    }
    if (name == "year") {
        return std::pair{Format(date::sys_days{ymd->year() / 1 / 1}), Format(date::sys_days{ymd->year() / 12 / 31})};
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> PreviousPeriods(const std::string& from, const std::string& to,
                                                                 int n) {
    std::vector<std::pair<std::string, std::string>> out;
    auto f = ParseYmd(from);
    auto t = ParseYmd(to);
    if (!f || !t || n <= 0) return out;
    const bool whole_month = f->day() == date::day{1} && f->year() == t->year() && f->month() == t->month() &&
                             date::year_month_day_last(t->year(), date::month_day_last(t->month())).day() == t->day();
    for (int i = n; i >= 1; --i) {
        if (whole_month) {
            const auto ym = date::year_month(f->year(), f->month()) - date::months{i};
            out.emplace_back(Format(date::sys_days{ym / 1}), Format(date::sys_days{ym / date::last}));
        } else {
            const auto len = (date::sys_days{*t} - date::sys_days{*f}).count() + 1;
            const auto start = date::sys_days{*f} - date::days{len * i};
            out.emplace_back(Format(start), Format(start + date::days{len - 1}));
        }
    }
    return out;
}

core::Millis NextRun(const Cadence& c, const std::string& tz, core::Millis after) {
    // Walk forward day by day from the local day of `after` (at most ~two months for a monthly cadence).
    date::local_days day = LocalDayOf(tz, after);
    for (int i = 0; i < 70; ++i, day += date::days{1}) {
        const date::year_month_day ymd{day};
        const unsigned iso_wd = date::weekday{day}.iso_encoding();
        const bool fits = c.every == "daily" || (c.every == "weekly" && static_cast<int>(iso_wd) == c.weekday) ||
                          (c.every == "monthly" && static_cast<unsigned>(ymd.day()) == static_cast<unsigned>(c.day));
        if (!fits) continue;
        const core::Millis at = LocalMs(tz, day, c.hour);
        if (at > after) return at;
    }
    return after + 24LL * 60 * 60 * 1000;
}

}  // namespace otdel::reports
