#pragma once

// Text helpers shared by the XML readers and writers (GPX, TCX): numbers as XML Schema writes
// them, line numbers for error messages, qualified names. Internal to formats/; no XML library
// types here so that the parser stays an implementation detail of the .cpp files.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::formats::xml {

// The 1-based line of a byte offset (clamped to the text). Linear: meant for error paths.
std::uint64_t line_at(std::string_view text, std::ptrdiff_t offset);

std::string_view trim(std::string_view text);

// Whether the XML declaration names a single-byte Western encoding (ISO-8859-1, Latin-1,
// Windows-1252 / CP1252), which some older GPS software writes.
bool declares_latin1(std::string_view text);
// Re-encodes such text as UTF-8. As the WHATWG Encoding Standard does for all these labels, the
// bytes are read as Windows-1252, whose 0x80-0x9F are printable (euro sign, curly quotes, dashes)
// where ISO-8859-1 has unused control codes.
std::string latin1_to_utf8(std::string_view text);

// `gpxtpx:hr` -> `hr`; `hr` -> `hr`.
std::string_view local_name(std::string_view qualified);
// `gpxtpx:hr` -> `gpxtpx`; `hr` -> ``.
std::string_view prefix_of(std::string_view qualified);

// An xs:decimal / xs:double as files write them: optional sign, digits, fraction, exponent,
// surrounding whitespace. Non-finite values (NaN, INF) and anything else are rejected.
std::optional<double> parse_double(std::string_view text);
// An integer (optional sign, surrounding whitespace); rejects fractions and overflow.
std::optional<std::int64_t> parse_integer(std::string_view text);

// The shortest decimal text that reads back as exactly `value` (no exponent for ordinary
// magnitudes, so that strict readers accept it as xs:decimal).
std::string format_double(double value);

} // namespace hearth::formats::xml
