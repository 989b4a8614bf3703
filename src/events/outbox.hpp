#pragma once
/// Outbox: domain events written in the same transaction as the change, delivered after commit
/// by the Dispatcher (live UI now; webhooks and e-mail later).
#include <soci/soci.h>
#include <boost/json/value.hpp>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace otdel::events {

/// Appends an event inside the open transaction `sql`. Returns its id.
core::Id Enqueue(soci::session& sql, core::Id workspace_id, const std::string& topic, const boost::json::value& payload,
                 core::Millis at);

struct OutboxEvent {
    core::Id workspace_id = 0;
    core::Id id = 0;
    std::string topic;
    boost::json::value payload;
};

/// Delivers committed outbox rows in id order to subscribers by topic, then marks them published.
/// Wakes on Kick() (services call it after commit) and polls every second for rows from other processes.
/// A subscriber that throws leaves the row for a retry (attempts counted).
class OutboxDispatcher {
public:
    using Subscriber = std::function<void(const OutboxEvent&)>;

    OutboxDispatcher(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
    ~OutboxDispatcher() { Stop(); }

    void Subscribe(const std::string& topic, Subscriber s);
    void Start();
    void Stop();
    void Kick();
    /// Delivers everything pending now, on the calling thread. Returns how many were delivered.
    int DrainOnce();

private:
    void Loop();
    db::Database& db_;
    const core::Clock& clock_;
    std::multimap<std::string, Subscriber> subscribers_;
    std::mutex mu_;
    std::mutex drain_mu_;
    std::condition_variable cv_;
    bool kicked_ = false;
    bool stop_ = false;
    std::thread thread_;
    std::map<core::Id, int> attempts_;  // attempts so far of the batch being delivered (under drain_mu_)
};

}  // namespace otdel::events
