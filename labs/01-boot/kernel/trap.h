// trap.h: what the CPU and vectors.asm save on an interrupt or exception.
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct trapframe {
    // Pushed by trap_entry (vectors.asm), last pushed first.
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    // Pushed by the vector stub.
    uint64_t vector;
    uint64_t error;  // the CPU's error code, or 0
    // Pushed by the CPU.
    uint64_t rip, cs, rflags, rsp, ss;
};

// The CPU exception vectors the kernel names (trap.c's table has all 32;
// Intel SDM vol. 3, table 6-1).
enum {
    T_DIVIDE = 0,
    T_NMI = 2,
    T_BREAKPOINT = 3,
    T_INVALID_OPCODE = 6,
    T_DOUBLE_FAULT = 8,
    T_GENERAL_PROTECTION = 13,
    T_PAGE_FAULT = 14,
    T_MACHINE_CHECK = 18,
};
#define NUM_EXCEPTIONS 32
#define IRQ_BASE       32  // the PIC's IRQ 0..15 arrive as vectors 32..47

// Page-fault error code bits.
#define PF_PRESENT (1u << 0)  // 0: page not present; 1: protection violation
#define PF_WRITE   (1u << 1)
#define PF_USER    (1u << 2)
#define PF_FETCH   (1u << 4)  // instruction fetch (with NX)

const char *exception_name(uint64_t vector);  // "#PF page fault"
// A page fault's error code in words, into buf (NUL-terminated):
// "<read|write|fetch>, <not present|protection>, <kernel|user>", for
// example "write, not present, kernel". An instruction fetch says "fetch"
// whatever the write bit says.
void page_fault_reason(uint64_t error, char *buf, unsigned long size);

// A fault handler may take an exception before it becomes a panic: it
// returns true when it handled it (and may have changed the frame to
// resume elsewhere). Register one from any file with FAULT_HANDLER(fn);
// ktest uses this to catch expected exceptions.
typedef bool (*fault_handler_fn)(struct trapframe *tf);
#define FAULT_HANDLER(fn) \
    static const fault_handler_fn fault_handler_##fn \
        __attribute__((used, section(".fault_handlers"), aligned(8))) = fn

// Device interrupts: irq_register(irq, fn) makes fn run for that PIC line.
typedef void (*irq_handler_fn)(struct trapframe *tf);
void irq_register(int irq, irq_handler_fn fn);

// Set by a later lab's memory code: prints what lies at a faulting address
// ("kernel text", "direct map", ...) after the page-fault description.
extern void (*describe_fault_address)(uint64_t addr);

void idt_init(void);
void print_registers(const struct trapframe *tf);
