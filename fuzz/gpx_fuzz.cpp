// Fuzz target for the GPX reader: any input must give a document or an error, never a crash,
// and any document it gives must survive write_gpx -> parse_gpx unchanged (except the version,
// which the writer always makes 1.1).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gpx/gpx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto order :
         {hearth::formats::GpxTimeOrder::Keep, hearth::formats::GpxTimeOrder::Reject}) {
        const auto document = hearth::formats::parse_gpx(text, order);
        if (!document) {
            if (document.error().message.empty()) {
                std::abort();
            }
            continue;
        }
        auto again = hearth::formats::parse_gpx(hearth::formats::write_gpx(*document), order);
        if (!again) {
            std::abort();
        }
        again->version = document->version;
        if (!(*again == *document)) {
            std::abort();
        }
    }
    return 0;
}
