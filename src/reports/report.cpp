#include "reports/report.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
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
    // Every counted cell and every response as an entry keyed (owner, day), sorted: each run of one key is a
    // person-day, each run of one owner a person (the order the rows are shown in). No map per cell: a year of a
    // department is ~73,000 person-days.
    struct Entry {
        std::optional<core::Id> owner;
        const std::string* day = nullptr;
        const ActivityRow* row = nullptr;
        const ResponseFact* response = nullptr;
    };
    std::vector<Entry> entries;
    entries.reserve(counted.size() + responses.size());
    for (const auto& c : counted) entries.push_back({c.owner, &c.day, &c, nullptr});
    for (const auto& rf : responses) entries.push_back({rf.owner, &rf.day, nullptr, &rf});
    auto before = [](const Entry& a, const Entry& b) {
        if (a.owner != b.owner) return a.owner < b.owner;
        return *a.day < *b.day;
    };
    if (!std::is_sorted(entries.begin(), entries.end(), before)) std::sort(entries.begin(), entries.end(), before);
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
    ActivityReport out;
    out.by_person_day.reserve(counted.size());
    std::vector<std::int64_t> day_times, person_times, all_times;
    for (std::size_t i = 0; i < entries.size();) {
        const std::optional<core::Id> owner = entries[i].owner;
        ActivityRow person;
        person.owner = owner;
        person_times.clear();
        while (i < entries.size() && entries[i].owner == owner) {
            const std::string& day = *entries[i].day;
            ActivityRow r;
            r.owner = owner;
            r.day = day;
            day_times.clear();
            for (; i < entries.size() && entries[i].owner == owner && *entries[i].day == day; ++i) {
                if (const ActivityRow* c = entries[i].row) {
                    r.calls += c->calls;  // the counted fields (response fields are ignored)
                    r.meetings += c->meetings;
                    r.tasks += c->tasks;
                    r.tasks_done += c->tasks_done;
                    r.emails += c->emails;
                    r.deals_created += c->deals_created;
                    r.deals_won += c->deals_won;
                    r.won_amount += c->won_amount;
                } else {
                    const ResponseFact& rf = *entries[i].response;
                    ++r.leads_taken;
                    if (rf.breached) ++r.breaches;
                    if (rf.response_ms) {
                        ++r.responded;
                        day_times.push_back(*rf.response_ms);
                    }
                }
            }
            r.response_median_ms = Median(day_times);
            r.response_p90_ms = Percentile(day_times, 90);
            sum_into(person, r);
            sum_into(out.total, r);
            person_times.insert(person_times.end(), day_times.begin(), day_times.end());
            all_times.insert(all_times.end(), day_times.begin(), day_times.end());
            out.by_person_day.push_back(std::move(r));
        }
        person.response_median_ms = Median(person_times);
        person.response_p90_ms = Percentile(person_times, 90);
        out.by_person.push_back(std::move(person));
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

// The history the statistical forecast reads, prepared once for any `as_of`: every closed deal's first entry into
// each open stage (histories are oldest first), per stage sorted by the time from that entry to the close; every
// deal's life span in a compact array; the won amounts by close time with running sums. For an as_of, the passages
// of deals closed before it whose entry lies before it are a filter of the sorted lists (no sort, no per-deal set),
// "won in [a, b)" is two binary searches, and the open deals are found without touching the others' records — so
// the backtest replays it for each period cheaply.
class PassageIndex {
public:
    PassageIndex(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals) {
        for (const auto& s : stages)
            if (s.kind == "open") by_stage_[s.id];
        std::vector<core::Id> seen;
        spans_.reserve(deals.size());
        for (const DealFact* d : deals) {
            spans_.push_back({d->created_at, d->closed_at.value_or(std::numeric_limits<core::Millis>::max()), d});
            if (d->status == "won" && d->closed_at) wins_.emplace_back(*d->closed_at, d->amount_minor);
            if (!d->closed_at || d->status == "open") continue;
            seen.clear();
            for (const auto& e : d->history) {
                if (std::find(seen.begin(), seen.end(), e.stage_id) != seen.end()) continue;
                seen.push_back(e.stage_id);
                auto it = by_stage_.find(e.stage_id);
                if (it != by_stage_.end())
                    it->second.push_back({*d->closed_at - e.at, e.at, *d->closed_at, d->status == "won"});
            }
        }
        for (auto& [stage, list] : by_stage_)
            std::sort(list.begin(), list.end(), [](const P& a, const P& b) { return a.duration < b.duration; });
        std::sort(wins_.begin(), wins_.end());
        won_sums_.resize(wins_.size() + 1);
        for (std::size_t i = 0; i < wins_.size(); ++i) won_sums_[i + 1] = won_sums_[i] + wins_[i].second;
    }

    /// Σ amounts of deals won with closed_at in [from, to).
    std::int64_t WonIn(core::Millis from, core::Millis to) const {
        if (to <= from) return 0;
        auto at = [&](core::Millis t) {
            return static_cast<std::size_t>(
                std::lower_bound(wins_.begin(), wins_.end(), std::pair{t, std::numeric_limits<std::int64_t>::min()}) -
                wins_.begin());
        };
        return won_sums_[at(to)] - won_sums_[at(from)];
    }

    StatForecast Forecast(const std::vector<StageInfo>& stages, core::Millis from, core::Millis to,
                          core::Millis as_of) const {
        StatForecast out;
        // Per open stage, the durations of the passages before as_of (all, and the won ones), ascending.
        std::map<core::Id, std::pair<std::vector<core::Millis>, std::vector<core::Millis>>> sorted;
        for (const auto& s : stages) {
            if (s.kind != "open") continue;
            auto& [all, won] = sorted[s.id];
            if (auto it = by_stage_.find(s.id); it != by_stage_.end())
                for (const auto& p : it->second) {
                    if (p.closed >= as_of || p.entered >= as_of) continue;
                    all.push_back(p.duration);
                    if (p.won) won.push_back(p.duration);
                }
            StatForecast::StageStat st;
            st.stage_id = s.id;
            st.sample = static_cast<long long>(all.size());
            st.won = static_cast<long long>(won.size());
            st.win_bp = RatioBp(st.won, st.sample);
            st.median_to_win_ms = Median(won);
            out.stages.push_back(st);
        }
        out.won_so_far = WonIn(from, as_of);
        __int128 expected = 0;
        for (const Span& span : spans_) {
            if (span.created > as_of || span.closed <= as_of) continue;  // not open at as_of
            auto at = StageAt(*span.deal, as_of);
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
            expected += (static_cast<__int128>(span.deal->amount_minor) * won * 2 + alive) / (2 * alive);
        }
        out.expected = out.won_so_far + static_cast<std::int64_t>(expected);
        return out;
    }

    Backtest Replay(const std::vector<StageInfo>& stages,
                    const std::vector<std::pair<core::Millis, core::Millis>>& periods) const {
        Backtest b;
        long long n = 0;
        long long sum = 0;
        for (const auto& [from, to] : periods) {
            BacktestRow r;
            r.from = from;
            r.to = to;
            r.forecast = Forecast(stages, from, to, from).expected;
            r.actual = WonIn(from, to);
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

private:
    struct P {
        core::Millis duration = 0, entered = 0, closed = 0;
        bool won = false;
    };
    struct Span {
        core::Millis created = 0, closed = 0;  // closed: the far future while open
        const DealFact* deal = nullptr;
    };
    std::map<core::Id, std::vector<P>> by_stage_;
    std::vector<Span> spans_;
    std::vector<std::pair<core::Millis, std::int64_t>> wins_;
    std::vector<std::int64_t> won_sums_;
};

}  // namespace

StatForecast StatisticalForecast(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                                 core::Millis from, core::Millis to, core::Millis as_of) {
    return PassageIndex(stages, deals).Forecast(stages, from, to, as_of);
}

Backtest RunBacktest(const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals,
                     const std::vector<std::pair<core::Millis, core::Millis>>& periods) {
    return PassageIndex(stages, deals).Replay(stages, periods);
}

std::pair<StatForecast, Backtest> ForecastWithBacktest(
    const std::vector<StageInfo>& stages, const std::vector<const DealFact*>& deals, core::Millis from, core::Millis to,
    core::Millis as_of, const std::vector<std::pair<core::Millis, core::Millis>>& periods) {
    const PassageIndex index(stages, deals);
    return {index.Forecast(stages, from, to, as_of), index.Replay(stages, periods)};
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
