#pragma once

// ARM semihosting calls (the debugger, here QEMU, performs I/O for the target), so that test
// programs on the emulated watch can read a recording and write results without a heap or a
// C library stdio. Only for test programs; the engine itself does no I/O.

#include <cstddef>
#include <cstdint>

namespace hearth::mcu {

enum class OpenMode : std::uint32_t { ReadBinary = 1, WriteBinary = 5 };

// Returns a handle, or -1 on failure.
int sh_open(const char* path, OpenMode mode);
// Returns the number of bytes read (0 at end of file), or -1 on failure.
int sh_read(int handle, void* buffer, std::size_t size);
void sh_write(int handle, const void* data, std::size_t size);
void sh_close(int handle);
// The command line QEMU was given with -append, into `buffer`; false on failure.
bool sh_command_line(char* buffer, std::size_t size);
void sh_write_text(const char* text);
[[noreturn]] void sh_exit(int status);

} // namespace hearth::mcu
