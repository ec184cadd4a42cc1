// `hearth eval TASK DIR`: scores an algorithm over a data folder (see docs/accuracy.md).

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/registry.h"

namespace hearth::apps {
namespace {

struct EvalOptions {
    std::string task;
    std::string dir;
};

const bool registered = register_command(
    {40, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<EvalOptions>();
         auto* cmd = app.add_subcommand("eval", "Score an algorithm over a data folder: per "
                                                "recording and overall");
         std::string tasks;
         for (const auto& t : registered_eval_tasks()) {
             tasks += "\n  " + std::string(t.name) + ": " + std::string(t.summary);
         }
         cmd->footer("Tasks:" + tasks);
         cmd->add_option("task", opts->task, "What to evaluate (see the list below)")->required();
         cmd->add_option("dir", opts->dir, "A folder of NAME.csv + NAME.ref.csv recordings")
             ->required()
             ->check(CLI::ExistingDirectory);
         cmd->callback([opts, &ctx] {
             const auto& all = registered_eval_tasks();
             auto it = std::find_if(all.begin(), all.end(),
                                    [&](const EvalTaskSpec& t) { return t.name == opts->task; });
             if (it == all.end()) {
                 std::cerr << "hearth eval: unknown task '" << opts->task
                           << "' (see hearth eval --help)\n";
                 ctx.exit_code = exit_usage;
                 return;
             }
             ctx.exit_code = it->run(opts->dir);
         });
     }});

} // namespace
} // namespace hearth::apps
