// The heart-rate estimator on the emulated watch: reads a replay file and writes the estimates
// through semihosting.   qemu-system-arm ... -kernel hr_replay.elf -append "IN.bin OUT.txt"

#include <cstring>

#include "replay/hr_replay.h"
#include "semihosting.h"

using hearth::mcu::OpenMode;

int main() {
    static char command_line[512];
    if (!hearth::mcu::sh_command_line(command_line, sizeof command_line)) {
        hearth::mcu::sh_write_text("hr_replay: no command line\n");
        return 1;
    }
    // The last two words are the input and output paths. (Split by hand: newlib's strtok
    // would pull in its heap.)
    char* words[16] = {};
    int count = 0;
    for (char* p = command_line; *p != '\0' && count < 16;) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        words[count++] = p;
        while (*p != '\0' && *p != ' ') {
            ++p;
        }
    }
    if (count < 2) {
        hearth::mcu::sh_write_text("hr_replay: usage: -append \"IN.bin OUT.txt\"\n");
        return 1;
    }
    const int in = hearth::mcu::sh_open(words[count - 2], OpenMode::ReadBinary);
    const int out = hearth::mcu::sh_open(words[count - 1], OpenMode::WriteBinary);
    if (in < 0 || out < 0) {
        hearth::mcu::sh_write_text("hr_replay: cannot open the files\n");
        return 1;
    }
    const int status = hearth::mcu::replay_heart_rate(
        [in](unsigned char* buffer, std::size_t bytes) -> std::size_t {
            const int n = hearth::mcu::sh_read(in, buffer, bytes);
            return n < 0 ? 0 : static_cast<std::size_t>(n);
        },
        [out](const char* text, std::size_t bytes) { hearth::mcu::sh_write(out, text, bytes); });
    hearth::mcu::sh_close(in);
    hearth::mcu::sh_close(out);
    return status;
}
