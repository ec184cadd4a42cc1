// Fuzz target for the TCX reader: any input must give a document or an error, never a crash,
// and any document it gives must survive write_tcx -> parse_tcx unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tcx/tcx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto order :
         {hearth::formats::TcxTimeOrder::Reject, hearth::formats::TcxTimeOrder::Keep}) {
        const auto document = hearth::formats::parse_tcx(text, order);
        if (!document) {
            if (document.error().message.empty()) {
                std::abort();
            }
            continue;
        }
        const auto again = hearth::formats::parse_tcx(hearth::formats::write_tcx(*document), order);
        if (!again || !(*again == *document)) {
            std::abort();
        }
    }
    return 0;
}
