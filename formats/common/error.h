#pragma once

// The error every reader returns for bad input: a code a program can act on, where in the input
// it happened (byte offset for binary formats, line for text), and a message for a person.
// Rendered as e.g. `fit: record 412 at byte 9876: unknown local message type 7`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace hearth::formats {

enum class ErrorCode : std::uint8_t {
    Io,             // the file could not be opened or read
    Empty,          // nothing to read
    Truncated,      // the input ends inside a structure
    BadHeader,      // a file header that is not what the format requires
    BadCrc,         // a checksum does not match
    UnknownMessage, // a reference to something never defined (e.g. a FIT local message type)
    InvalidSyntax,  // malformed text: XML, CSV, numbers
    MissingField,   // a required element or column is absent
    InvalidValue,   // a value out of its domain (NaN time, negative rate...)
    TimeOrder,      // timestamps going backwards
    Unsupported,    // valid but not something this reader handles
};

std::string_view to_string(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::InvalidValue;
    std::string message;
    std::string format;                  // "fit", "gpx", "tcx", "csv", "wfdb"
    std::optional<std::uint64_t> offset; // byte offset in the input
    std::optional<std::uint64_t> line;   // 1-based line in a text input

    // "fit: at byte 9876: unknown local message type 7"
    [[nodiscard]] std::string describe() const;
};

template <class T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> make_error(std::string format, ErrorCode code, std::string message,
                                        std::optional<std::uint64_t> offset = std::nullopt,
                                        std::optional<std::uint64_t> line = std::nullopt) {
    return tl::unexpected<Error>(Error{code, std::move(message), std::move(format), offset, line});
}

} // namespace hearth::formats
