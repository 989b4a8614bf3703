#pragma once
#include "app/config.hpp"

namespace otdel::app {

struct ServeFlags {
    bool manual_clock = false;
    bool bench_endpoints = false;
};

/// Builds the object graph by hand (clock, database, services, router, server), serves until SIGTERM,
/// then drains and stops the background threads. Returns the process exit code.
int Serve(Config cfg, ServeFlags flags);

}  // namespace otdel::app
