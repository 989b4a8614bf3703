#include "events/outbox.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace otdel::events {
namespace {

constexpr const char* kInsertEvent =
    "INSERT INTO outbox (workspace_id, topic, payload, created_at) VALUES (:ws, :topic, :payload, :at) RETURNING id";
// Delivery is at-least-once; an event whose subscribers keep failing is retried on later passes (later events
// are not held back behind it) and given up after kMaxAttempts, logged as an error.
constexpr int kMaxAttempts = 10;
constexpr const char* kSelectPending =
    "SELECT workspace_id, id, topic, payload, attempts FROM outbox WHERE published_at IS NULL AND attempts < :max "
    "ORDER BY id LIMIT 200";
constexpr const char* kMarkPublished =
    "UPDATE outbox SET published_at = :at, attempts = attempts + 1 WHERE workspace_id = :ws AND id = :id";
constexpr const char* kMarkFailed = "UPDATE outbox SET attempts = attempts + 1 WHERE workspace_id = :ws AND id = :id";

}  // namespace

core::Id Enqueue(soci::session& sql, core::Id workspace_id, const std::string& topic, const boost::json::value& payload,
                 core::Millis at) {
    long long ws = workspace_id, at_ll = at, id = 0;
    std::string body = boost::json::serialize(payload);
    sql << kInsertEvent, soci::use(ws, "ws"), soci::use(topic, "topic"), soci::use(body, "payload"),
        soci::use(at_ll, "at"), soci::into(id);
    return id;
}

void OutboxDispatcher::Subscribe(const std::string& topic, Subscriber s) {
    std::lock_guard lock(mu_);
    subscribers_.emplace(topic, std::move(s));
}

void OutboxDispatcher::Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { Loop(); });
}

void OutboxDispatcher::Stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void OutboxDispatcher::Kick() {
    {
        std::lock_guard lock(mu_);
        kicked_ = true;
    }
    cv_.notify_all();
}

void OutboxDispatcher::Loop() {
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, std::chrono::seconds(1), [&] { return kicked_ || stop_; });
            if (stop_) return;
            kicked_ = false;
        }
        try {
            while (DrainOnce() > 0) {
            }
        } catch (const std::exception& e) {
            spdlog::warn("outbox delivery failed: {}", e.what());
        }
    }
}

int OutboxDispatcher::DrainOnce() {
    std::lock_guard drain(drain_mu_);
    std::vector<OutboxEvent> batch;
    db_.Read([&](soci::session& sql) {
        long long ws = 0, id = 0;
        int attempts = 0, max = kMaxAttempts;
        std::string topic, payload;
        soci::statement st = (sql.prepare << kSelectPending, soci::into(ws), soci::into(id), soci::into(topic),
                              soci::into(payload), soci::into(attempts), soci::use(max, "max"));
        st.execute();
        while (st.fetch()) {
            boost::system::error_code ec;
            auto v = boost::json::parse(payload, ec);
            batch.push_back({ws, id, topic, ec ? boost::json::value() : v});
            attempts_[id] = attempts;
        }
        return 0;
    });
    if (batch.empty()) return 0;
    std::multimap<std::string, Subscriber> subs;
    {
        std::lock_guard lock(mu_);
        subs = subscribers_;
    }
    int delivered = 0;
    db_.Read([&](soci::session& sql) {
        for (const auto& ev : batch) {
            bool ok = true;
            auto [b, e] = subs.equal_range(ev.topic);
            for (auto it = b; it != e; ++it) {
                try {
                    it->second(ev);
                } catch (const std::exception& ex) {
                    ok = false;
                    spdlog::warn("outbox subscriber for {} failed on event {}: {}", ev.topic, ev.id, ex.what());
                }
            }
            long long ws = ev.workspace_id, id = ev.id, at = clock_.NowMs();
            if (ok) {
                sql << kMarkPublished, soci::use(at, "at"), soci::use(ws, "ws"), soci::use(id, "id");
                ++delivered;
            } else {
                sql << kMarkFailed, soci::use(ws, "ws"), soci::use(id, "id");
                if (attempts_[ev.id] + 1 >= kMaxAttempts)
                    spdlog::error("outbox event {} ({}) given up after {} failed deliveries", ev.id, ev.topic,
                                  kMaxAttempts);
            }
        }
        return 0;
    });
    attempts_.clear();
    return delivered;
}

}  // namespace otdel::events
