// Fuzz target of the FIT reader: any bytes must decode or fail with an Error, never crash or
// hang, in strict, lenient and streaming modes; streaming in small chunks must agree with
// decoding the whole buffer; and whatever decodes must re-encode with the writer and decode
// again to the same number of messages.

#include <algorithm>
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
// types, developer fields through their declarations) and checks that the writer's file
// decodes with exactly the messages written plus the declarations.
void round_trip(const fit::FitFile& file) {
    fit::FitWriter writer;
    std::vector<std::pair<std::uint8_t, std::uint8_t>> declared;
    for (const auto& d : file.developer_fields) {
        if (writer.declare_developer_field(d)) {
            declared.emplace_back(d.developer_data_index, d.field_definition_number);
        }
    }
    std::size_t written = 0;
    for (const fit::Message& m : file.messages) {
        std::vector<fit::OutField> fields;
        for (const fit::Field& f : m.fields) {
            if (f.source == fit::FieldSource::Developer && f.valid && !f.is_array() &&
                f.base_type != fit::BaseType::String &&
                std::find(declared.begin(), declared.end(),
                          std::pair{f.developer_data_index, f.number}) != declared.end()) {
                fields.push_back(
                    fit::OutField::developer(f.developer_data_index, f.number, f.value));
                continue;
            }
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
    // Declarations add a developer_data_id per developer and a field_description per field.
    std::vector<std::uint8_t> developers;
    for (const auto& [index, number] : declared) {
        if (std::find(developers.begin(), developers.end(), index) == developers.end()) {
            developers.push_back(index);
        }
    }
    check(again->messages.size() == written + declared.size() + developers.size());
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
