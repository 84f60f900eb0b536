// gdt.h: segment selectors, descriptor bits and the GDT/TSS set-up.
#pragma once
#include <stdint.h>

// The selectors. The order is the one syscall/sysret needs (lab 04):
// kernel code, kernel data, then user data before user code. The user
// slots stay empty until lab 04 fills them (usergdt.c).
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   (0x18 | 3)  // | 3: requested privilege level 3
#define USER_CS   (0x20 | 3)
#define TSS_SEL   0x28

// Descriptor bits (Intel SDM vol. 3, 3.4.5).
#define SEG_PRESENT   (1ul << 47)
#define SEG_CODE_DATA (1ul << 44)  // a code or data segment (not system)
#define SEG_EXEC      (1ul << 43)
#define SEG_RW        (1ul << 41)    // readable code / writable data
#define SEG_LONG      (1ul << 53)    // 64-bit code
#define SEG_TSS_AVAIL (0x9ul << 40)  // system type: available 64-bit TSS
#define SEG_USER      (3ul << 45)    // descriptor privilege level 3

// Interrupt stack table slots (1-based, as the IDT names them).
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

void gdt_init(void);
// Put a descriptor in the GDT slot of selector (lab 04: the user segments).
void gdt_set_segment(uint16_t selector, uint64_t descriptor);
// The stack the CPU switches to when an interrupt comes from user mode.
void gdt_set_kernel_stack(uint64_t rsp0);
