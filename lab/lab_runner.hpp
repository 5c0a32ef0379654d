#pragma once
// Bringing a lab up in network namespaces and tearing it down: `sixgate lab up` and `lab down`
// (app/lab_runner_command.cpp is the CLI). Every thing is recorded in the state file before it is
// made (lab/lab_state.hpp); `down` removes what the state names and sweeps namespaces with the
// lab's prefix it missed (lab/lab_teardown.hpp). Entry points: bring_up_lab(), LabInterruptGuard.

#include <chrono>
#include <csignal>
#include <ostream>
#include <string>
#include <vector>

#include "lab/lab_plan.hpp"
#include "lab/lab_readiness.hpp"
#include "lab/lab_teardown.hpp"

namespace sixgate::lab {

// While alive, SIGINT, SIGTERM and SIGHUP set a flag instead of ending the process, so what was
// made can be removed; the previous handlers come back on destruction.
class LabInterruptGuard {
public:
    LabInterruptGuard();
    ~LabInterruptGuard();
    LabInterruptGuard(const LabInterruptGuard&) = delete;
    LabInterruptGuard& operator=(const LabInterruptGuard&) = delete;

    static bool interrupted() noexcept;
    static int signal_number() noexcept;  // the first signal caught, 0 if none

private:
    struct sigaction previous_[3];
};

struct LabRunnerContext {
    std::ostream& out;  // progress and the summary
    std::ostream& err;  // what failed, with the host's log
    ControlProbe probe_control;
    std::chrono::milliseconds ready_timeout{30000};
};

enum class LabUpOutcome {
    up,           // every host ready
    already_up,   // refused: the lab (state file or namespaces) exists; nothing made
    refused,      // refused: something it needs is in use (a control socket answers); nothing made
    failed,       // a step failed or a host died or was not ready in time; everything removed
    interrupted,  // a signal arrived; everything made so far removed
};

// `topology_argument` is what the user gave (for the state file and the hints printed).
LabUpOutcome bring_up_lab(const LabPlan& plan, const std::string& topology_argument, const LabRunnerContext& context);

}  // namespace sixgate::lab
