// memlayout.h: where things are in the address space (lab 01).
//
// boot.asm maps physical 0..4 GiB at virtual 0..4 GiB (identity) and
// physical 0..2 GiB again at KERNEL_VMA, where the kernel is linked.
// Lab 02 replaces the identity map with a direct map of all memory.
#pragma once
#include <stdint.h>

#define KERNEL_VMA 0xFFFFFFFF80000000ul

// Where the kernel can read a physical address (the boot information).
static inline void *phys_to_virt(uint64_t pa) { return (void *)pa; }

// Linker-script symbols (kernel.ld): use their addresses, not their values.
extern char _kernel_phys_start[], _kernel_phys_end[];
extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _bss_start[], _bss_end[], _kernel_end[];
extern char stack_guard[], boot_stack[], boot_stack_top[];
