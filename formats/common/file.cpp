#include "common/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace hearth::formats {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

template <class Container> Result<Container> read_all(const std::filesystem::path& path) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        return make_error("file", ErrorCode::Io, path.string() + ": " + std::strerror(errno));
    }
    Container out;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
        out.insert(out.end(), buffer, buffer + n);
        if (n < sizeof buffer) {
            if (std::ferror(file.get()) != 0) {
                return make_error("file", ErrorCode::Io,
                                  path.string() + ": read failed: " + std::strerror(errno));
            }
            break;
        }
    }
    return out;
}

} // namespace

Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path) {
    return read_all<std::vector<std::uint8_t>>(path);
}

Result<std::string> read_file_text(const std::filesystem::path& path) {
    return read_all<std::string>(path);
}

} // namespace hearth::formats
