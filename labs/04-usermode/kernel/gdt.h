// gdt.h: segment selectors and the GDT/TSS set-up (lab 04: user mode).
#pragma once
#include <stdint.h>

// The order is the one syscall/sysret needs (see syscall.c): kernel code,
// kernel data, then user data before user code.
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   (0x18 | 3)           // | 3: requested privilege level 3
#define USER_CS   (0x20 | 3)
#define TSS_SEL   0x28

// Interrupt stack table slots (1-based, as the IDT names them).
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3

void gdt_init(void);
void gdt_use_ist_stacks(void);         // NMI and #MC: once the IDT exists
// The stack the CPU switches to when an interrupt comes from user mode.
void gdt_set_kernel_stack(uint64_t rsp0);
