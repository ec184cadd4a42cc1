#pragma once

// The ingest journal: every MQTT message is appended here (one write() call) before the broker
// is acknowledged, and a checkpoint records how far the store has committed. A hub killed at
// any moment — even with SIGKILL between the acknowledgement and the store's commit — replays
// the journal after its checkpoint on restart, so no message the broker delivered is lost.
// (write() survives the death of the process. Nothing is fsynced: after a power cut the newest
// records, like the store's newest commits, may be gone.)
//
// Layout: segment files `journal-<first offset>.log` in a folder, records
// [u32 length][u32 crc32][payload]; a torn last record (the hub died mid-write) is ignored.
// Offsets are positions in the concatenated stream. Not thread-safe: one appender, and the
// checkpoint from one consumer, each serialised by the caller.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/clock.h"

namespace hearth::hub {

struct JournalRecord {
    std::uint64_t end_offset = 0; // checkpoint this value once the record is committed
    TimestampMs received_ms = 0;
    std::string topic;
    std::string payload;
};

class Journal {
public:
    // Opens (creating) the journal folder. Errors: the folder cannot be created or read.
    static tl::expected<Journal, std::string> open(const std::filesystem::path& dir,
                                                   std::uint64_t segment_bytes = 64U << 20U);
    Journal(Journal&&) noexcept;
    Journal& operator=(Journal&&) noexcept;
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;
    ~Journal();

    // The records after the last checkpoint, oldest first: what a restarted hub must replay.
    tl::expected<std::vector<JournalRecord>, std::string> uncommitted() const;

    // Appends one message; returns its end offset. Errors: the disk is full or failing.
    tl::expected<std::uint64_t, std::string>
    append(TimestampMs received_ms, const std::string& topic, const std::string& payload);

    // Everything up to `end_offset` is in the store: remember it (durably) and drop segments
    // that are wholly committed.
    tl::expected<void, std::string> checkpoint(std::uint64_t end_offset);

    [[nodiscard]] std::uint64_t end_offset() const { return m_end; }
    [[nodiscard]] std::uint64_t committed_offset() const { return m_committed; }

private:
    Journal() = default;
    tl::expected<void, std::string> open_segment(std::uint64_t first_offset);

    std::filesystem::path m_dir;
    std::uint64_t m_segment_bytes = 0;
    int m_fd = -1;
    std::uint64_t m_segment_start = 0;
    std::uint64_t m_end = 0;
    std::uint64_t m_committed = 0;
};

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

} // namespace hearth::hub
