#pragma once
// Subcommand registration: each adds its options to the CLI11 app and sets `run` to the function
// the main dispatcher calls after parsing. A command returns its exit status (app/exit_codes.hpp).

#include <functional>

#include <CLI/CLI.hpp>

namespace sixgate::app {

using CommandRunner = std::function<int()>;

void add_prefixes_command(CLI::App& app, CommandRunner& run);
void add_check_command(CLI::App& app, CommandRunner& run);
void add_run_command(CLI::App& app, CommandRunner& run);
void add_status_command(CLI::App& app, CommandRunner& run);
// `sixgate translate` (app/translate_command.cpp, built from app/translate.cmake).
void add_translate_command(CLI::App& app, CommandRunner& run);
// `sixgate lab` (app/lab_command.cpp, built from app/lab.cmake).
void add_lab_command(CLI::App& app, CommandRunner& run);
// `sixgate doctor` (app/doctor/doctor_command.cpp, built from app/doctor.cmake).
void add_doctor_command(CLI::App& app, CommandRunner& run);

}  // namespace sixgate::app
