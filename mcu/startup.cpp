// Reset and vector table for the Cortex-M4F test programs: enable the FPU, copy .data, zero
// .bss, run static constructors, call main(), report its status through semihosting.

#include <cstdint>

#include "semihosting.h"

extern "C" {
extern std::uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_top;
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
int main();
[[noreturn]] void reset_handler();
[[noreturn]] void fault_handler();
}

void reset_handler() {
    // CPACR: full access to coprocessors 10 and 11 (the FPU) before any float instruction.
    auto* cpacr = reinterpret_cast<volatile std::uint32_t*>(0xE000ED88U);
    *cpacr = *cpacr | (0xFU << 20U);
    asm volatile("dsb\n isb" ::: "memory");

    const std::uint32_t* src = &_data_load;
    for (std::uint32_t* dst = &_data_start; dst < &_data_end;) {
        *dst++ = *src++;
    }
    for (std::uint32_t* dst = &_bss_start; dst < &_bss_end;) {
        *dst++ = 0;
    }
    for (auto** f = __preinit_array_start; f < __preinit_array_end; ++f) {
        (*f)();
    }
    for (auto** f = __init_array_start; f < __init_array_end; ++f) {
        (*f)();
    }
    hearth::mcu::sh_exit(main());
}

void fault_handler() {
    hearth::mcu::sh_write_text("hard fault\n");
    hearth::mcu::sh_exit(3);
}

// Initial stack pointer, reset, then NMI, HardFault, MemManage, BusFault, UsageFault.
__attribute__((section(".vectors"), used)) const void* const vector_table[] = {
    &_stack_top,
    reinterpret_cast<const void*>(&reset_handler),
    reinterpret_cast<const void*>(&fault_handler),
    reinterpret_cast<const void*>(&fault_handler),
    reinterpret_cast<const void*>(&fault_handler),
    reinterpret_cast<const void*>(&fault_handler),
    reinterpret_cast<const void*>(&fault_handler),
};
