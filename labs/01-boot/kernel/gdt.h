// gdt.h: segment selectors and the GDT/TSS set-up.
#pragma once

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TSS_SEL   0x18

// Interrupt stack table slots (1-based, as the IDT names them).
#define IST_DOUBLE_FAULT 1

void gdt_init(void);
