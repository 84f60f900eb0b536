// gdt.c: the Global Descriptor Table and the Task State Segment.
//
// In long mode segments barely matter: base and limit are ignored, and a
// code segment only says "64-bit, ring 0". We still need a GDT for the
// selectors in CS/SS and one thing that is not a segment at all: the TSS,
// whose interrupt stack table gives the double-fault handler a stack of its
// own. Without it a kernel stack overflow (a fault while the stack is full)
// could not even push an exception frame, and the CPU would reset.
// Three interrupt stacks: the double fault's, and those of NMI and machine
// check, which can arrive at any moment, even on a broken stack.
//
// The slots for ring-3 segments are here from the start, left empty (not
// present): lab 04 fills them (usergdt.c) and sets RSP0, the stack the CPU
// switches to when an interrupt arrives in user mode.
#include "gdt.h"
#include "string.h"
#include <stdint.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];  // stacks for entering rings 0-2 (lab 04)
    uint64_t reserved1;
    uint64_t ist[7];  // interrupt stack table, IST1..IST7
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint8_t ist_stacks[3][4096] __attribute__((aligned(16)));
static uint64_t gdt[7];  // null, kcode, kdata, udata, ucode, TSS (two slots)

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

// A TSS descriptor is 16 bytes: base and limit spread over the fields.
static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit) {
    slot[0] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | SEG_TSS_AVAIL | SEG_PRESENT |
              ((uint64_t)(limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
    slot[1] = base >> 32;
}

void gdt_init(void) {
    gdt[0] = 0;
    gdt[KERNEL_CS / 8] = SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG;
    gdt[KERNEL_DS / 8] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW;
    gdt[USER_DS / 8] = gdt[USER_CS / 8] = 0;  // not present until lab 04
    memset(&tss, 0, sizeof tss);
    for (int i = 0; i < 3; i++)  // IST1..IST3 (gdt.h)
        tss.ist[i] = (uint64_t)(ist_stacks[i] + sizeof ist_stacks[i]);
    tss.iomap_base = sizeof tss;  // no I/O permission bitmap
    set_tss_descriptor(&gdt[TSS_SEL / 8], (uint64_t)&tss, sizeof tss - 1);

    struct gdt_pointer gp = {sizeof gdt - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0" : : "m"(gp));
    // Reload CS with a far return (there is no far jump to an immediate in
    // 64-bit mode), then the data segments, then the task register.
    __asm__ volatile("pushq %[cs]\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %[ds], %%ax\n"
                     "movw %%ax, %%ds\n"
                     "movw %%ax, %%es\n"
                     "movw %%ax, %%ss\n"
                     "xorl %%eax, %%eax\n"
                     "movw %%ax, %%fs\n"
                     "movw %%ax, %%gs\n"
                     :
                     : [cs] "i"(KERNEL_CS), [ds] "i"(KERNEL_DS)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
}

void gdt_set_segment(uint16_t selector, uint64_t descriptor) { gdt[selector / 8] = descriptor; }

void gdt_set_kernel_stack(uint64_t rsp0) { tss.rsp[0] = rsp0; }
