// `hearth convert IN OUT`: FIT, GPX and TCX in any direction. The input format is detected from
// the content, the output format from OUT's extension (or --to).

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/registry.h"
#include "export/export.h"
#include "import/import.h"

namespace hearth::apps {
namespace {

struct ConvertOptions {
    std::string input;
    std::string output;
    std::string to;
    bool lenient = false;
    bool merge_tracks = false;
};

int run_convert(const ConvertOptions& opts) {
    const auto format = sport::format_from_extension(
        opts.to.empty() ? std::filesystem::path(opts.output).extension().string() : opts.to);
    if (!format) {
        std::cerr << "hearth convert: cannot tell the output format of '" << opts.output
                  << "': use a .fit, .gpx or .tcx name, or --to fit|gpx|tcx\n";
        return exit_usage;
    }
    sport::ImportOptions import;
    import.leniency = opts.lenient ? sport::Leniency::Lenient : sport::Leniency::Strict;
    import.gpx_grouping =
        opts.merge_tracks ? sport::GpxGrouping::Merged : sport::GpxGrouping::PerTrack;
    auto workout = sport::import_file(opts.input, import);
    if (!workout) {
        std::cerr << "hearth convert: " << opts.input << ": " << workout.error().describe() << "\n";
        return exit_bad_input;
    }
    for (const auto& warning : workout->warnings) {
        std::cerr << "hearth convert: " << opts.input << ": warning: " << warning << "\n";
    }
    if (workout->activities.empty()) {
        std::cerr << "hearth convert: " << opts.input << ": no activity to convert\n";
        return exit_bad_input;
    }
    if (auto written = sport::export_file(*workout, *format, opts.output); !written) {
        std::cerr << "hearth convert: " << opts.output << ": " << written.error().describe()
                  << "\n";
        return exit_bad_input;
    }
    std::cout << opts.output << ": " << sport::to_string(*format) << ", "
              << workout->activities.size()
              << (workout->activities.size() == 1 ? " activity" : " activities") << "\n";
    return exit_ok;
}

const bool registered = register_command(
    {11, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<ConvertOptions>();
         auto* cmd = app.add_subcommand("convert", "Convert an activity between FIT, GPX and TCX");
         cmd->add_option("input", opts->input, "Activity file (.fit, .gpx, .tcx)")->required();
         cmd->add_option("output", opts->output, "File to write; the extension sets the format")
             ->required();
         cmd->add_option("--to", opts->to, "Output format when the extension does not say")
             ->check(CLI::IsMember({"fit", "gpx", "tcx"}));
         cmd->add_flag("--lenient", opts->lenient,
                       "Convert what decoded from a truncated or corrupt file (with a warning)");
         cmd->add_flag("--merge-tracks", opts->merge_tracks,
                       "GPX input: one activity from all tracks instead of one per track");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_convert(*opts); });
     }});

} // namespace
} // namespace hearth::apps
