#include "commands/registry.h"

#include <utility>

namespace hearth::apps {

std::vector<CommandSpec>& registered_commands() {
    static std::vector<CommandSpec> commands;
    return commands;
}

bool register_command(CommandSpec spec) {
    registered_commands().push_back(std::move(spec));
    return true;
}

std::vector<EvalTaskSpec>& registered_eval_tasks() {
    static std::vector<EvalTaskSpec> tasks;
    return tasks;
}

bool register_eval_task(EvalTaskSpec spec) {
    registered_eval_tasks().push_back(std::move(spec));
    return true;
}

} // namespace hearth::apps
