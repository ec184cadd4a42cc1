#pragma once

// Subcommands register themselves here from their own file, so that adding a command touches
// only that file. Exit codes: 0 ok, 1 usage error, 2 bad input.

#include <functional>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace hearth::apps {

enum ExitCode : int { exit_ok = 0, exit_usage = 1, exit_bad_input = 2 };

// Shared by every command's callback: the exit status the command decided on.
struct CommandContext {
    int exit_code = exit_ok;
};

struct CommandSpec {
    int order; // position in `hearth --help`
    std::function<void(CLI::App& app, CommandContext& ctx)> add;
};

// Registers a command; call from a namespace-scope initialiser in the command's file.
bool register_command(CommandSpec spec);
std::vector<CommandSpec>& registered_commands();

// `hearth eval TASK DIR` dispatches to tasks registered here by each algorithm's command file.
struct EvalTaskSpec {
    std::string_view name;
    std::string_view summary;
    // Runs the evaluation over `dir`, prints the report on stdout and progress on stderr;
    // returns the exit code.
    std::function<int(const std::string& dir)> run;
};
bool register_eval_task(EvalTaskSpec spec);
std::vector<EvalTaskSpec>& registered_eval_tasks();

} // namespace hearth::apps
