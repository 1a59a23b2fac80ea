#pragma once
// Cooperative stop: SIGINT/SIGTERM set a flag that long computations poll between
// units of work, so they can write a checkpoint and leave cleanly.
namespace xorscape {

// Installs handlers for SIGINT and SIGTERM that call request_stop().
void install_stop_handlers();
void request_stop();
bool stop_requested();
// For tests and for tools that run several phases.
void clear_stop_request();

}  // namespace xorscape
