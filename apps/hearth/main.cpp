// hearth: one binary, one subcommand per job. Wiring only; the work is in the layers.

#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands/registry.h"

int main(int argc, char** argv) {
    using namespace hearth::apps;
    CLI::App app{"Hearth: health engine, workout analyzer and home hub.\n"
                 "Run `hearth COMMAND --help` for one command's options."};
    app.set_version_flag("--version", std::string("hearth 0.1.0"));
    app.require_subcommand(1);
    app.fallthrough(false);

    CommandContext ctx;
    auto& commands = registered_commands();
    std::sort(commands.begin(), commands.end(),
              [](const CommandSpec& a, const CommandSpec& b) { return a.order < b.order; });
    for (const auto& command : commands) {
        command.add(app, ctx);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    } catch (const std::exception& e) {
        // Commands report bad input themselves; anything reaching here is a defect or the
        // system failing (out of memory), never a crash.
        std::cerr << "hearth: internal error: " << e.what() << "\n";
        return exit_bad_input;
    }
    return ctx.exit_code;
}
