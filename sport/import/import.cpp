#include "import/import.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/file.h"

namespace hearth::sport {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The local name of the first element in an XML text (after the BOM, declaration, comments
// and processing instructions), or "" when there is none in the first 64 KiB.
std::string_view xml_root_name(std::string_view text) {
    text = text.substr(0, std::min<std::size_t>(text.size(), 65536));
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    std::size_t pos = 0;
    while (true) {
        pos = text.find('<', pos);
        if (pos == std::string_view::npos || pos + 1 >= text.size()) {
            return {};
        }
        const char next = text[pos + 1];
        if (next == '?' || next == '!') {
            // Declaration, comment or DOCTYPE: skip to its end.
            const std::string_view end = text.substr(pos, 4) == "<!--" ? "-->" : ">";
            pos = text.find(end, pos + 2);
            if (pos == std::string_view::npos) {
                return {};
            }
            continue;
        }
        std::size_t end = pos + 1;
        while (end < text.size() && text[end] != '>' && text[end] != '/' &&
               std::isspace(static_cast<unsigned char>(text[end])) == 0) {
            ++end;
        }
        std::string_view name = text.substr(pos + 1, end - pos - 1);
        if (auto colon = name.find(':'); colon != std::string_view::npos) {
            name.remove_prefix(colon + 1);
        }
        return name;
    }
}

} // namespace

std::optional<FileFormat> format_from_extension(std::string_view extension) {
    std::string ext = lower(extension);
    if (!ext.empty() && ext.front() == '.') {
        ext.erase(0, 1);
    }
    if (ext == "fit") {
        return FileFormat::Fit;
    }
    if (ext == "gpx") {
        return FileFormat::Gpx;
    }
    if (ext == "tcx") {
        return FileFormat::Tcx;
    }
    return std::nullopt;
}

std::optional<FileFormat> detect_format(std::span<const std::uint8_t> bytes,
                                        std::string_view extension_hint) {
    // FIT file header: byte 0 is the header size (12 or 14), bytes 8..11 are ".FIT".
    if (bytes.size() >= 12 && (bytes[0] == 12 || bytes[0] == 14) && bytes[8] == '.' &&
        bytes[9] == 'F' && bytes[10] == 'I' && bytes[11] == 'T') {
        return FileFormat::Fit;
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const std::string_view root = xml_root_name(text);
    if (root == "gpx") {
        return FileFormat::Gpx;
    }
    if (root == "TrainingCenterDatabase") {
        return FileFormat::Tcx;
    }
    return format_from_extension(extension_hint);
}

formats::Result<Workout> import_bytes(std::span<const std::uint8_t> bytes,
                                      std::string_view extension_hint,
                                      const ImportOptions& options) {
    if (bytes.empty()) {
        return formats::make_error("", formats::ErrorCode::Empty, "the file is empty", 0);
    }
    const auto format = detect_format(bytes, extension_hint);
    if (!format) {
        return formats::make_error("", formats::ErrorCode::Unsupported,
                                   "not a FIT, GPX or TCX file (no FIT header, no <gpx> or "
                                   "<TrainingCenterDatabase> root)",
                                   0);
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    switch (*format) {
    case FileFormat::Fit:
        return import_fit(bytes, options);
    case FileFormat::Gpx:
        return import_gpx(text, options);
    case FileFormat::Tcx:
        return import_tcx(text, options);
    }
    return formats::make_error("", formats::ErrorCode::Unsupported, "unknown format");
}

formats::Result<Workout> import_file(const std::filesystem::path& path,
                                     const ImportOptions& options) {
    auto bytes = formats::read_file_bytes(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    return import_bytes(*bytes, path.extension().string(), options);
}

} // namespace hearth::sport
