// Lead intake throughput (LEAD-1, PERFORMANCE budget ≥ 2,000 leads/s durable): LeadIntake::AcceptBatch on a
// fresh SQLite file with synchronous=FULL (one fsync per committed transaction), at batch sizes 1, 16 and 64 —
// the group commit the intake batcher does in front of it. Every item is a new lead with its own phone and
// e-mail, so each pays the full path: redelivery check, dedupe lookups, insert, points, priority, audit, search doc.
//   build/release/bench/otdel_leads_intake_bench [items-per-size]
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <algorithm>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "leads/lead_intake.hpp"

namespace {

using otdel::leads::IncomingLead;

constexpr const char* kTexts[] = {
    "Нужна угловая кухня 3,2 м, бюджет 300 тыс, до конца месяца",
    "Сколько стоит шкаф-купе?",
    "Столешница из камня 2,8 метра, срочно",
    "Kitchen cabinets for an apartment, budget $8k",
    "Гардеробная в спальню, замер на следующей неделе",
};

IncomingLead Item(long long ws, long long n) {
    IncomingLead in;
    in.workspace_id = ws;
    in.channel = "form";
    in.contact_name = "Покупатель " + std::to_string(n);
    char phone[32];
    std::snprintf(phone, sizeof phone, "+7 (9%02lld) %03lld-%02lld-%02lld", 10 + n % 80, (n / 10000) % 1000,
                  (n / 100) % 100, n % 100);
    in.phones = {phone};
    in.emails = {"client" + std::to_string(n) + "@example.ru"};
    in.request_text = kTexts[n % 5];
    in.utm_source = "yandex";
    return in;
}

}  // namespace

int main(int argc, char** argv) {
    const long long per_size = argc > 1 ? std::atoll(argv[1]) : 4000;
    const auto dir = std::filesystem::temp_directory_path() / ("otdel-leads-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    otdel::db::DbConfig cfg;
    cfg.url = "sqlite:" + (dir / "bench.db").string();
    cfg.pool_size = 2;
    auto db = otdel::db::Database::Open(cfg);
    otdel::db::Migrate(*db);
    otdel::core::SystemClock clock;
    otdel::auth::AuthConfig auth_cfg;
    otdel::auth::AuthService auth(*db, clock, auth_cfg);
    auto ws = auth.CreateWorkspace(otdel::auth::NewWorkspace{"Bench", "bench"}, otdel::core::Actor::System(0));
    if (!ws) {
        std::fprintf(stderr, "cannot create the workspace\n");
        return 1;
    }
    otdel::leads::LeadIntake intake(*db, clock);

    std::printf("| batch | leads | seconds | leads/s | budget | verdict |\n|---|---|---|---|---|---|\n");
    long long next = 1;
    for (int batch : {1, 16, 64}) {
        // Batch size 1 is fsync-bound: a tenth of the items keeps the run short with the same rate.
        const long long total = batch == 1 ? std::max(100LL, per_size / 10) : per_size;
        std::vector<IncomingLead> items;
        for (long long i = 0; i < total; ++i) items.push_back(Item(*ws, next++));
        long long failed = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (long long i = 0; i < total; i += batch) {
            const std::size_t n = static_cast<std::size_t>(std::min<long long>(batch, total - i));
            for (const auto& r : intake.AcceptBatch(std::span<const IncomingLead>(items.data() + i, n)))
                if (!r.ok()) ++failed;
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double rate = static_cast<double>(total) / s;
        std::printf("| %d | %lld | %.2f | %.0f | ≥ 2000 | %s%s |\n", batch, total, s, rate,
                    rate >= 2000 ? "meets" : "below", failed ? " (FAILED ITEMS)" : "");
    }
    db.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
