// `hearth import` as a user runs it: activities and a recording into a fresh SQLite store,
// then again (nothing new), and a failing file among good ones.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "e2e/run_hearth.h"

namespace hearth::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path samples = fs::path(HEARTH_SOURCE_DIR) / "data" / "samples";

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

TEST(ImportE2E, AddsThenFindsEverythingAlreadyThere) {
    const std::string dir = make_temp_dir();
    const std::string csv = dir + "/hr.csv";
    {
        std::ofstream out(csv);
        out << "t_s,hr\n";
        for (int t = 0; t < 120; ++t) {
            out << t << "," << 60 + t % 5 << "\n";
        }
    }
    const std::vector<std::string> args = {"import",
                                           (samples / "run-fenix2.fit").string(),
                                           (samples / "run-forerunner410.tcx").string(),
                                           csv,
                                           "--data",
                                           dir + "/data",
                                           "--start",
                                           "2026-11-24T07:00:00Z"};
    auto first = run_hearth(args);
    EXPECT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(count(first.out, ": added ("), 3) << first.out;
    EXPECT_NE(first.out.find("heart_rate 2026-11-24"), std::string::npos) << first.out;
    EXPECT_TRUE(fs::exists(dir + "/data/hearth.db"));

    auto second = run_hearth(args);
    EXPECT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(count(second.out, ": already there ("), 3) << second.out;
    EXPECT_EQ(count(second.out, "  added"), 0) << second.out;
    fs::remove_all(dir);
}

TEST(ImportE2E, ABadFileFailsWithExit2AndTheOthersAreImported) {
    const std::string dir = make_temp_dir();
    const std::string junk = dir + "/junk.fit";
    std::ofstream(junk) << "definitely not a FIT file";
    auto r =
        run_hearth({"import", junk, (samples / "pool-swim.fit").string(), "--data", dir + "/data"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find(junk + ": failed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pool-swim.fit: added (fit)"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("hearth import: " + junk + ": "), std::string::npos) << r.err;

    auto bad_store = run_hearth({"import", junk, "--store", "nonsense"});
    EXPECT_EQ(bad_store.exit_code, 1);
    EXPECT_NE(bad_store.err.find("hearth import: store:"), std::string::npos) << bad_store.err;
    fs::remove_all(dir);
}

} // namespace
} // namespace hearth::e2e
