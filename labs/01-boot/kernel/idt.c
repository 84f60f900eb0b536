// idt.c: the Interrupt Descriptor Table.
//
// One gate per vector, all pointing at the stubs in vectors.asm, all
// interrupt gates (the CPU clears IF on entry, so handlers are never
// interrupted) and all reachable from ring 0 only. The double fault runs
// on its own stack (IST, see gdt.c), so even a stack overflow is reported;
// so do NMI and machine check, which can arrive at any moment.
#include "gdt.h"
#include "panic.h"
#include "trap.h"
#include <stdint.h>

struct gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;        // 0, or which interrupt stack table entry
    uint8_t type_attr;  // present, privilege, gate type
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

#define GATE_PRESENT   0x80
#define GATE_INTERRUPT 0x0E  // an interrupt gate: IF cleared on entry

extern const uint64_t vector_table[256];
static struct gate idt[256];

static void set_gate(int vector, uint64_t handler, int ist) {
    // (ist: 0, or which TSS interrupt stack the CPU switches to.)
    // LAB 1: BEGIN SOLUTION
    idt[vector] = (struct gate){
        .offset_low = handler & 0xFFFF,
        .selector = KERNEL_CS,
        .ist = ist,
        .type_attr = GATE_PRESENT | GATE_INTERRUPT,
        .offset_mid = (handler >> 16) & 0xFFFF,
        .offset_high = handler >> 32,
    };
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)vector, (void)handler, (void)ist;   /* lab 1: set_gate not written yet */
}

void idt_init(void) {
    // LAB 1: BEGIN SOLUTION
    for (int v = 0; v < 256; v++)
        set_gate(v, vector_table[v], 0);
    set_gate(T_DOUBLE_FAULT, vector_table[T_DOUBLE_FAULT], IST_DOUBLE_FAULT);
    set_gate(T_NMI, vector_table[T_NMI], IST_NMI);
    set_gate(T_MACHINE_CHECK, vector_table[T_MACHINE_CHECK], IST_MACHINE_CHECK);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)set_gate;   /* an empty IDT would reset the machine: panic instead */
    // LAB 1: STUB panic("lab 1: idt_init not written yet (kernel/idt.c)");

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) pointer = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer));
}
