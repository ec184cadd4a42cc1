#pragma once

// Runs the `hearth` binary as a user would, capturing stdout, stderr and the exit status.

#include <string>
#include <vector>

namespace hearth::e2e {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Arguments are passed as they are (no shell); `stdin_text` is fed to standard input.
RunResult run_hearth(const std::vector<std::string>& args, const std::string& stdin_text = "");

// A fresh temporary directory, removed by the caller (or left for inspection on failure).
std::string make_temp_dir();

} // namespace hearth::e2e
