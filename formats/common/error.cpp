#include "common/error.h"

namespace hearth::formats {

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Empty:
        return "empty";
    case ErrorCode::Truncated:
        return "truncated";
    case ErrorCode::BadHeader:
        return "bad_header";
    case ErrorCode::BadCrc:
        return "bad_crc";
    case ErrorCode::UnknownMessage:
        return "unknown_message";
    case ErrorCode::InvalidSyntax:
        return "invalid_syntax";
    case ErrorCode::MissingField:
        return "missing_field";
    case ErrorCode::InvalidValue:
        return "invalid_value";
    case ErrorCode::TimeOrder:
        return "time_order";
    case ErrorCode::Unsupported:
        return "unsupported";
    }
    return "unknown";
}

std::string Error::describe() const {
    std::string out = format.empty() ? std::string("error") : format;
    out += ": ";
    if (line) {
        out += "line " + std::to_string(*line) + ": ";
    } else if (offset) {
        out += "at byte " + std::to_string(*offset) + ": ";
    }
    out += message;
    return out;
}

} // namespace hearth::formats
