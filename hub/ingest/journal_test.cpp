#include "ingest/journal.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

class JournalTest : public ::testing::Test {
protected:
    void SetUp() override {
        static int counter = 0;
        m_dir = std::filesystem::temp_directory_path() /
                ("hearth-journal-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST(Crc32, MatchesTheStandardCheckValue) {
    // CRC-32 (IEEE 802.3) of "123456789" is 0xCBF43926.
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926U);
}

TEST_F(JournalTest, ReplaysWhatWasNotCheckpointed) {
    {
        auto j = Journal::open(m_dir);
        ASSERT_TRUE(j.has_value()) << j.error();
        ASSERT_TRUE(j->append(1, "a/1", "one").has_value());
        const auto second = j->append(2, "a/2", "two");
        ASSERT_TRUE(second.has_value());
        ASSERT_TRUE(j->append(3, "a/3", std::string("bin\0ary", 7)).has_value());
        ASSERT_TRUE(j->checkpoint(*second).has_value());
    } // the "crash": nothing else is flushed or closed cleanly
    auto j = Journal::open(m_dir);
    ASSERT_TRUE(j.has_value());
    const auto records = j->uncommitted();
    ASSERT_TRUE(records.has_value());
    ASSERT_EQ(records->size(), 1U);
    EXPECT_EQ((*records)[0].topic, "a/3");
    EXPECT_EQ((*records)[0].payload, std::string("bin\0ary", 7));
    EXPECT_EQ((*records)[0].received_ms, 3);
    EXPECT_EQ((*records)[0].end_offset, j->end_offset());
}

TEST_F(JournalTest, IgnoresATornLastRecordAndAppendsAfterIt) {
    {
        auto j = Journal::open(m_dir);
        j->append(1, "t", "whole");
        j->append(2, "t", "torn-away");
    }
    // Cut the last record in half, as a death in the middle of write() would.
    const auto segment = std::filesystem::directory_iterator(m_dir)->path();
    std::filesystem::resize_file(segment, std::filesystem::file_size(segment) - 5);
    auto j = Journal::open(m_dir);
    ASSERT_TRUE(j.has_value());
    ASSERT_EQ(j->uncommitted()->size(), 1U);
    j->append(3, "t", "after");
    const auto records = j->uncommitted();
    ASSERT_EQ(records->size(), 2U);
    EXPECT_EQ((*records)[1].payload, "after");
}

TEST_F(JournalTest, RollsSegmentsAndDropsCommittedOnes) {
    auto j = Journal::open(m_dir, 100);
    std::uint64_t end = 0;
    for (int i = 0; i < 30; ++i) {
        end = *j->append(i, "topic", "payload-" + std::to_string(i));
        ASSERT_TRUE(j->checkpoint(end).has_value());
    }
    std::size_t segments = 0;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir)) {
        segments += entry.path().extension() == ".log" ? 1 : 0;
    }
    EXPECT_LE(segments, 2U);
    EXPECT_TRUE(j->uncommitted()->empty());
    j->append(99, "topic", "late");
    auto reopened = Journal::open(m_dir, 100);
    ASSERT_EQ(reopened->uncommitted()->size(), 1U);
    EXPECT_EQ(reopened->uncommitted()->front().payload, "late");
}

TEST_F(JournalTest, ReportsAFolderItCannotCreate) {
    std::ofstream(m_dir.string()) << "a file, not a folder";
    const auto j = Journal::open(m_dir / "sub");
    ASSERT_FALSE(j.has_value());
    EXPECT_NE(j.error().find("cannot create"), std::string::npos);
    std::filesystem::remove(m_dir);
}

} // namespace
} // namespace hearth::hub
