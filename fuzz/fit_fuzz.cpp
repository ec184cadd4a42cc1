// Fuzz target of the FIT reader: any bytes must decode or fail with an Error, never crash or
// hang, in strict, lenient and streaming modes; streaming in small chunks must agree with
// decoding the whole buffer; and whatever decodes must re-encode with the writer and decode
// again to the same number of messages.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "fit/fit_reader.h"
#include "fit/fit_writer.h"

namespace fit = hearth::formats::fit;

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

// Re-encodes the numeric and string fields of the decoded messages (raw values, own base
// types) and checks that the writer's file decodes with the same message count.
void round_trip(const fit::FitFile& file) {
    fit::FitWriter writer;
    std::size_t written = 0;
    for (const fit::Message& m : file.messages) {
        std::vector<fit::OutField> fields;
        for (const fit::Field& f : m.fields) {
            if (f.source != fit::FieldSource::Defined || !f.valid) {
                continue;
            }
            fit::OutField out;
            out.number = f.number;
            out.base_type = f.base_type;
            out.raw = true;
            if (f.base_type == fit::BaseType::String) {
                out.text = f.text;
            } else if (f.is_array()) {
                continue;
            } else {
                out.values = {static_cast<double>(f.raw)};
                if (fit::is_signed(f.base_type) || fit::is_float(f.base_type)) {
                    continue; // raw holds the bit pattern; keep the target simple
                }
            }
            fields.push_back(std::move(out));
        }
        if (writer.write(m.global_number, fields)) {
            ++written;
        }
    }
    const auto again = fit::decode_fit(writer.finish());
    check(again.has_value());
    check(again->messages.size() == written);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const auto strict = fit::decode_fit(bytes);

    fit::DecodeOptions lenient;
    lenient.crc = fit::CrcCheck::Skip;
    lenient.on_error = fit::ErrorMode::Lenient;
    const auto relaxed = fit::decode_fit(bytes, lenient);
    check(relaxed.has_value() || relaxed.error().code == hearth::formats::ErrorCode::Empty);

    fit::FitDecoder decoder;
    std::size_t streamed = 0;
    decoder.on_message([&](const fit::Message&) { ++streamed; });
    bool ok = true;
    for (std::size_t pos = 0; pos < size && ok; pos += 7) {
        ok = decoder.feed(bytes.subspan(pos, std::min<std::size_t>(7, size - pos))).has_value();
    }
    ok = ok && decoder.finish().has_value();
    check(ok == strict.has_value());
    if (strict) {
        check(streamed == strict->messages.size());
        round_trip(*strict);
    }
    return 0;
}
