#include "e2e/run_hearth.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace hearth::e2e {

namespace {

std::string slurp(int fd) {
    std::string out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    return out;
}

} // namespace

RunResult run_hearth(const std::vector<std::string>& args, const std::string& stdin_text) {
    // Output goes to temporary files rather than pipes, so that a command writing a lot to
    // both streams cannot deadlock against this reader.
    char out_name[] = "/tmp/hearth-e2e-out-XXXXXX";
    char err_name[] = "/tmp/hearth-e2e-err-XXXXXX";
    char in_name[] = "/tmp/hearth-e2e-in-XXXXXX";
    const int out_fd = mkstemp(out_name);
    const int err_fd = mkstemp(err_name);
    const int in_fd = mkstemp(in_name);
    if (out_fd < 0 || err_fd < 0 || in_fd < 0) {
        throw std::runtime_error("mkstemp failed");
    }
    if (!stdin_text.empty() && write(in_fd, stdin_text.data(), stdin_text.size()) !=
                                   static_cast<ssize_t>(stdin_text.size())) {
        throw std::runtime_error("writing stdin failed");
    }
    lseek(in_fd, 0, SEEK_SET);

    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        std::vector<char*> argv;
        std::string bin = HEARTH_BIN;
        argv.push_back(bin.data());
        std::vector<std::string> copies(args);
        for (auto& a : copies) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    result.out = slurp(out_fd);
    result.err = slurp(err_fd);
    close(in_fd);
    unlink(out_name);
    unlink(err_name);
    unlink(in_name);
    return result;
}

std::string make_temp_dir() {
    char name[] = "/tmp/hearth-e2e-XXXXXX";
    const char* dir = mkdtemp(name);
    if (dir == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return dir;
}

} // namespace hearth::e2e
