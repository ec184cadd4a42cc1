#include "api/tokens.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

TEST(Sha256, MatchesAKnownDigest) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenStore, CreatesVerifiesPersistsAndRevokes) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("hearth-tokens-" + std::to_string(getpid()) + ".json");
    std::string token;
    {
        TokenStore store(file);
        ASSERT_TRUE(store.load().has_value());
        auto created = store.create("phone", 1000);
        ASSERT_TRUE(created.has_value());
        token = *created;
        EXPECT_TRUE(store.verify(token));
        EXPECT_FALSE(store.verify(token + "x"));
        EXPECT_FALSE(store.verify(""));
    }
    struct stat info {};
    ASSERT_EQ(stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777U, 0600U);
    std::ifstream in(file);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(text.find(token), std::string::npos); // only the digest is stored

    TokenStore again(file);
    ASSERT_TRUE(again.load().has_value());
    EXPECT_TRUE(again.verify(token));
    EXPECT_EQ(again.list().at(0).name, "phone");
    EXPECT_TRUE(*again.revoke("phone"));
    EXPECT_FALSE(again.verify(token));
    EXPECT_FALSE(*again.revoke("phone"));
    std::filesystem::remove(file);
}

TEST(TokenStore, RejectsACorruptFile) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("hearth-tokens-bad-" + std::to_string(getpid()) + ".json");
    std::ofstream(file) << "{\"not\": \"a list\"}";
    TokenStore store(file);
    EXPECT_FALSE(store.load().has_value());
    std::filesystem::remove(file);
}

} // namespace
} // namespace hearth::hub
