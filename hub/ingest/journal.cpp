#include "ingest/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace hearth::hub {

namespace {

constexpr std::size_t header_bytes = 8;
constexpr std::uint32_t max_record_bytes = 64U << 20U;

std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
        }
        table[i] = c;
    }
    return table;
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
    }
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
    }
}

std::uint64_t get_le(const std::string& s, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) {
        v = (v << 8U) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    }
    return v;
}

std::string segment_name(std::uint64_t first_offset) {
    char name[48];
    std::snprintf(name, sizeof name, "journal-%020llu.log",
                  static_cast<unsigned long long>(first_offset));
    return name;
}

// Segments sorted by their first offset.
std::vector<std::pair<std::uint64_t, std::filesystem::path>>
list_segments(const std::filesystem::path& dir) {
    std::vector<std::pair<std::uint64_t, std::filesystem::path>> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("journal-") && name.ends_with(".log")) {
            out.emplace_back(std::strtoull(name.c_str() + 8, nullptr, 10), entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

} // namespace

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc) {
    static const auto table = make_crc_table();
    const auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) {
        crc = table[(crc ^ p[i]) & 0xFFU] ^ (crc >> 8U);
    }
    return ~crc;
}

Journal::Journal(Journal&& other) noexcept {
    *this = std::move(other);
}

Journal& Journal::operator=(Journal&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            close(m_fd);
        }
        m_dir = std::move(other.m_dir);
        m_segment_bytes = other.m_segment_bytes;
        m_fd = std::exchange(other.m_fd, -1);
        m_segment_start = other.m_segment_start;
        m_end = other.m_end;
        m_committed = other.m_committed;
    }
    return *this;
}

Journal::~Journal() {
    if (m_fd >= 0) {
        close(m_fd);
    }
}

tl::expected<Journal, std::string> Journal::open(const std::filesystem::path& dir,
                                                 std::uint64_t segment_bytes) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return tl::unexpected("journal: cannot create " + dir.string() + ": " + ec.message());
    }
    Journal j;
    j.m_dir = dir;
    j.m_segment_bytes = segment_bytes;
    const std::string checkpoint = read_whole(dir / "checkpoint");
    if (checkpoint.size() == 8) {
        j.m_committed = get_le(checkpoint, 0, 8);
    }
    // The stream ends after the last whole record of the newest segment; a torn tail is cut
    // off so that new records follow whole ones.
    const auto segments = list_segments(dir);
    std::uint64_t start = j.m_committed;
    std::uint64_t valid_bytes = 0;
    if (!segments.empty()) {
        start = segments.back().first;
        const std::string bytes = read_whole(segments.back().second);
        std::size_t at = 0;
        while (at + header_bytes <= bytes.size()) {
            const auto length = static_cast<std::uint32_t>(get_le(bytes, at, 4));
            const auto crc = static_cast<std::uint32_t>(get_le(bytes, at + 4, 4));
            if (length > max_record_bytes || at + header_bytes + length > bytes.size() ||
                crc32(bytes.data() + at + header_bytes, length) != crc) {
                break;
            }
            at += header_bytes + length;
        }
        valid_bytes = at;
        if (truncate(segments.back().second.c_str(), static_cast<off_t>(at)) != 0) {
            return tl::unexpected(
                errno_text("journal: cannot repair " + segments.back().second.string()));
        }
    }
    if (auto r = j.open_segment(start); !r) {
        return tl::unexpected(r.error());
    }
    j.m_end = start + valid_bytes;
    j.m_committed = std::min(j.m_committed, j.m_end);
    return j;
}

tl::expected<void, std::string> Journal::open_segment(std::uint64_t first_offset) {
    if (m_fd >= 0) {
        close(m_fd);
    }
    const auto path = m_dir / segment_name(first_offset);
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        return tl::unexpected(errno_text("journal: cannot open " + path.string()));
    }
    m_segment_start = first_offset;
    return {};
}

tl::expected<std::vector<JournalRecord>, std::string> Journal::uncommitted() const {
    std::vector<JournalRecord> out;
    for (const auto& [first, path] : list_segments(m_dir)) {
        const std::string bytes = read_whole(path);
        if (first + bytes.size() <= m_committed) {
            continue;
        }
        std::size_t at = 0;
        while (at + header_bytes <= bytes.size()) {
            const auto length = static_cast<std::uint32_t>(get_le(bytes, at, 4));
            const auto crc = static_cast<std::uint32_t>(get_le(bytes, at + 4, 4));
            if (length > max_record_bytes || at + header_bytes + length > bytes.size() ||
                crc32(bytes.data() + at + header_bytes, length) != crc || length < 12) {
                break;
            }
            const std::size_t body = at + header_bytes;
            at += header_bytes + length;
            if (first + at <= m_committed) {
                continue;
            }
            JournalRecord r;
            r.end_offset = first + at;
            r.received_ms = static_cast<TimestampMs>(get_le(bytes, body, 8));
            const auto topic_length = static_cast<std::size_t>(get_le(bytes, body + 8, 4));
            if (12 + topic_length > length) {
                return tl::unexpected("journal: corrupt record at offset " +
                                      std::to_string(first + body - header_bytes));
            }
            r.topic = bytes.substr(body + 12, topic_length);
            r.payload = bytes.substr(body + 12 + topic_length, length - 12 - topic_length);
            out.push_back(std::move(r));
        }
    }
    return out;
}

tl::expected<std::uint64_t, std::string>
Journal::append(TimestampMs received_ms, const std::string& topic, const std::string& payload) {
    std::string record;
    const std::size_t length = 12 + topic.size() + payload.size();
    if (length > max_record_bytes) {
        return tl::unexpected(std::string("journal: message too large"));
    }
    record.reserve(header_bytes + length);
    put_u32(record, static_cast<std::uint32_t>(length));
    put_u32(record, 0); // crc, filled below
    put_u64(record, static_cast<std::uint64_t>(received_ms));
    put_u32(record, static_cast<std::uint32_t>(topic.size()));
    record += topic;
    record += payload;
    const std::uint32_t crc = crc32(record.data() + header_bytes, length);
    for (int i = 0; i < 4; ++i) {
        record[4 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFFU);
    }
    // A short write (the disk filled up in the middle of the record) is continued, so that the
    // error the system gives for the rest is the one reported (ENOSPC, EFBIG...).
    std::size_t done = 0;
    std::string reason;
    while (done < record.size()) {
        const ssize_t written = ::write(m_fd, record.data() + done, record.size() - done);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            reason = written < 0 ? std::strerror(errno) : "nothing written";
            break;
        }
        done += static_cast<std::size_t>(written);
    }
    if (done != record.size()) {
        // Cut a partial record off so the next append starts on a record boundary.
        if (done > 0) {
            ftruncate(m_fd, static_cast<off_t>(m_end - m_segment_start));
        }
        return tl::unexpected("journal: cannot append: " + reason);
    }
    m_end += record.size();
    return m_end;
}

tl::expected<void, std::string> Journal::checkpoint(std::uint64_t end_offset) {
    m_committed = std::min(std::max(m_committed, end_offset), m_end);
    std::string bytes;
    put_u64(bytes, m_committed);
    const auto tmp = m_dir / "checkpoint.tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return tl::unexpected(errno_text("journal: cannot write checkpoint"));
    }
    // No fdatasync: the journal's promise is surviving the hub's death, which write() and rename()
    // keep. A synced checkpoint would also claim more than the store (SQLite WAL with
    // synchronous=NORMAL) keeps across a power cut, and syncing on every batch, under the lock
    // the MQTT thread appends with, held outgoing commands back by tens of milliseconds.
    const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    close(fd);
    if (!ok || std::rename(tmp.c_str(), (m_dir / "checkpoint").c_str()) != 0) {
        return tl::unexpected(errno_text("journal: cannot write checkpoint"));
    }
    // Start a new segment once the current one is large and fully committed; delete segments
    // that lie wholly before the checkpoint.
    if (m_end - m_segment_start >= m_segment_bytes && m_committed == m_end) {
        if (auto r = open_segment(m_end); !r) {
            return r;
        }
    }
    const auto segments = list_segments(m_dir);
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        if (segments[i + 1].first <= m_committed) {
            std::error_code ec;
            std::filesystem::remove(segments[i].second, ec);
        }
    }
    return {};
}

} // namespace hearth::hub
