#include "semihosting.h"

#include <cstring>

namespace hearth::mcu {

namespace {

enum : std::uint32_t {
    sys_open = 0x01,
    sys_close = 0x02,
    sys_write0 = 0x04,
    sys_write = 0x05,
    sys_read = 0x06,
    sys_get_cmdline = 0x15,
    sys_exit = 0x18,
    sys_exit_extended = 0x20,
};

int call(std::uint32_t op, const void* arg) {
    register std::uint32_t r0 asm("r0") = op;
    register const void* r1 asm("r1") = arg;
    asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return static_cast<int>(r0);
}

} // namespace

int sh_open(const char* path, OpenMode mode) {
    const std::uint32_t args[3] = {reinterpret_cast<std::uint32_t>(path),
                                   static_cast<std::uint32_t>(mode),
                                   static_cast<std::uint32_t>(std::strlen(path))};
    return call(sys_open, args);
}

int sh_read(int handle, void* buffer, std::size_t size) {
    const std::uint32_t args[3] = {static_cast<std::uint32_t>(handle),
                                   reinterpret_cast<std::uint32_t>(buffer),
                                   static_cast<std::uint32_t>(size)};
    const int not_read = call(sys_read, args);
    return not_read < 0 ? -1 : static_cast<int>(size) - not_read;
}

void sh_write(int handle, const void* data, std::size_t size) {
    const std::uint32_t args[3] = {static_cast<std::uint32_t>(handle),
                                   reinterpret_cast<std::uint32_t>(data),
                                   static_cast<std::uint32_t>(size)};
    call(sys_write, args);
}

void sh_close(int handle) {
    const std::uint32_t args[1] = {static_cast<std::uint32_t>(handle)};
    call(sys_close, args);
}

bool sh_command_line(char* buffer, std::size_t size) {
    std::uint32_t args[2] = {reinterpret_cast<std::uint32_t>(buffer),
                             static_cast<std::uint32_t>(size)};
    return call(sys_get_cmdline, args) == 0;
}

void sh_write_text(const char* text) {
    call(sys_write0, text);
}

void sh_exit(int status) {
    // SYS_EXIT_EXTENDED carries the status; plain SYS_EXIT on AArch32 can only say
    // "application exit" (0) or anything else (1).
    const std::uint32_t args[2] = {0x20026U, static_cast<std::uint32_t>(status)};
    call(sys_exit_extended, args);
    for (;;) {
        call(sys_exit, reinterpret_cast<const void*>(status == 0 ? 0x20026U : 0x20024U));
    }
}

} // namespace hearth::mcu
