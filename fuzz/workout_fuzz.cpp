// Fuzz target of the workout importers and exporters: any bytes, detected as FIT, GPX or TCX,
// must import or fail with an Error (strict and lenient), analyse, and export to all three
// formats; a FIT export must import again with the same number of activities and records.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "export/export.h"
#include "import/import.h"
#include "metrics/activity_metrics.h"

namespace {

using namespace hearth::sport;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

std::size_t record_count(const Workout& w) {
    std::size_t n = 0;
    for (const auto& a : w.activities) {
        n += a.records.size();
    }
    return n;
}

void exercise(const Workout& w) {
    for (const auto& a : w.activities) {
        (void)metrics::activity_metrics(a);
        (void)metrics::lap_metrics(a);
    }
    (void)export_gpx(w);
    (void)export_tcx(w);
    auto fit = export_fit(w);
    if (!fit) {
        return;
    }
    auto again = import_fit(*fit);
    check(again.has_value());
    check(again->activities.size() <= w.activities.size());
    check(record_count(*again) <= record_count(w));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    for (Leniency leniency : {Leniency::Strict, Leniency::Lenient}) {
        ImportOptions options;
        options.leniency = leniency;
        auto w = import_bytes(bytes, ".fit", options);
        if (w) {
            exercise(*w);
        } else {
            check(!w.error().describe().empty());
        }
    }
    return 0;
}
