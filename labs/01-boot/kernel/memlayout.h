// memlayout.h: where things are in the address space.
//
//   0                  .. 0x00007fffffffffff   the lower (user) half
//   DIRECT_MAP         .. + all memory          every physical page, once
//   KERNEL_VMA         .. + 2 GiB               the kernel image
//
// boot.asm maps the first 4 GiB of physical memory at DIRECT_MAP (and, for
// a moment, at 0), and the first 2 GiB at KERNEL_VMA. Lab 02 replaces the
// boot tables with its own, mapping all memory at DIRECT_MAP.
#pragma once
#include <stdint.h>

#define DIRECT_MAP 0xFFFF800000000000ul  // the first higher-half address
#define KERNEL_VMA 0xFFFFFFFF80000000ul  // -2 GiB: the kernel's code model
#define PAGE_SIZE  4096ul
#define USER_TOP   0x0000800000000000ul  // the first address above the lower (user) half

// The kernel reaches any physical address through the direct map.
static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + DIRECT_MAP); }
static inline uint64_t virt_to_phys(const void *va) {
    uint64_t v = (uint64_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP;
}

// Linker-script symbols (kernel.ld): use their addresses, not their values.
extern char _kernel_phys_start[], _kernel_phys_end[];
extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _bss_start[], _bss_end[], _kernel_end[];
extern char stack_guard[], boot_stack[], boot_stack_top[];
