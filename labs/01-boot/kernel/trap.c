// trap.c: where every interrupt and exception arrives (from vectors.asm).
//
// Exceptions (vectors 0-31) go first to the registered fault handlers (a
// test expecting the fault, later a user program to kill); if none takes
// one, it is a kernel bug and we panic with the vector's name, RIP, error
// code, CR2 for a page fault, and the registers. Device interrupts (32-47,
// from the PIC) go to the handler registered for their IRQ line, then the
// PIC is told we are done. Anything else is unexpected and panics.
#include "trap.h"
#include "memlayout.h"
#include "panic.h"
#include "pic.h"
#include "x86.h"

static const char *const exception_names[NUM_EXCEPTIONS] = {
    "#DE divide error",
    "#DB debug",
    "NMI non-maskable interrupt",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range exceeded",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack-segment fault",
    "#GP general protection",
    "#PF page fault",
    "reserved (15)",
    "#MF x87 floating-point error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating-point",
    "#VE virtualization",
    "#CP control protection",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved (31)",
};

const char *exception_name(uint64_t vector) {
    // LAB 1: BEGIN SOLUTION
    return vector < NUM_EXCEPTIONS ? exception_names[vector] : "not an exception";
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)exception_names;
    // LAB 1: STUB return "(lab 1: exception_name not written yet)";
}

extern const fault_handler_fn __fault_handlers_start[], __fault_handlers_end[];
static irq_handler_fn irq_handlers[16];
void (*describe_fault_address)(uint64_t addr);

void irq_register(int irq, irq_handler_fn fn) {
    // LAB 1: BEGIN SOLUTION
    if (irq < 0 || irq >= 16)
        panic("irq_register: no IRQ %d", irq);
    irq_handlers[irq] = fn;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)irq;   /* lab 1: irq_register not written yet */
    // LAB 1: STUB (void)fn;
    // LAB 1: STUB (void)irq_handlers;
}

void print_registers(const struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
    kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
    kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
    kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
    kprintf("  rip %016lx cs %lx ss %lx rflags %lx\n", tf->rip, tf->cs, tf->ss, tf->rflags);
    kprintf("  cr0 %lx cr2 %lx cr3 %lx cr4 %lx\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)tf;   /* lab 1: print_registers not written yet */
}

void page_fault_reason(uint64_t error, char *buf, unsigned long size) {
    // LAB 1: BEGIN SOLUTION
    const char *access = (error & PF_FETCH) ? "fetch" : (error & PF_WRITE) ? "write" : "read";
    snprintf(buf, size, "%s, %s, %s", access, (error & PF_PRESENT) ? "protection" : "not present",
             (error & PF_USER) ? "user" : "kernel");
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)error;
    // LAB 1: STUB snprintf(buf, size, "lab 1: page_fault_reason not written yet");
}

// Explain a page fault: its error code in words, then where it happened.
static void describe_page_fault(uint64_t error, uint64_t addr) {
    char reason[48];
    page_fault_reason(error, reason, sizeof reason);
    kprintf(" (%s)", reason);
    // LAB 1: BEGIN SOLUTION
    uint64_t guard = (uint64_t)stack_guard;
    if (addr >= guard && addr < guard + PAGE_SIZE)
        kprintf(": kernel stack overflow (hit the guard page below the stack)");
    else if (describe_fault_address)
        describe_fault_address(addr);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)addr;   /* lab 1: the guard page is not recognised yet */
}

static _Noreturn void kernel_exception(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    uint64_t cr2 = read_cr2();
    panic_begin();
    kprintf("%s at rip %p, error 0x%lx", exception_name(tf->vector), (void *)tf->rip, tf->error);
    if (tf->vector == T_PAGE_FAULT || tf->vector == T_DOUBLE_FAULT) {
        // A double fault from a stack overflow leaves the address in CR2.
        kprintf(", cr2 %p", (void *)cr2);
        if (tf->vector == T_PAGE_FAULT)
            describe_page_fault(tf->error, cr2);
        else if (cr2 >= (uint64_t)stack_guard && cr2 < (uint64_t)stack_guard + PAGE_SIZE)
            kprintf(": kernel stack overflow (hit the guard page below the stack)");
    }
    kprintf("\n");
    print_registers(tf);
    panic_end(tf->rbp);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)describe_page_fault;
    // LAB 1: STUB panic("lab 1: exception %lu at rip %p; trap.c's report is not written yet",
    // LAB 1: STUB       tf->vector, (void *)tf->rip);
}

static void exception(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    for (const fault_handler_fn *h = __fault_handlers_start; h < __fault_handlers_end; h++)
        if ((*h)(tf))
            return;
    kernel_exception(tf);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)__fault_handlers_start;   /* lab 1: no fault handler is asked yet */
    // LAB 1: STUB (void)__fault_handlers_end;
    // LAB 1: STUB kernel_exception(tf);
}

static void device_interrupt(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    int irq = tf->vector - IRQ_BASE;
    if (pic_is_spurious(irq))  // a glitch on the line, not a real IRQ
        return;
    if (irq_handlers[irq])
        irq_handlers[irq](tf);
    pic_end_of_interrupt(irq);
    // LAB 1: END SOLUTION
    // LAB 1: STUB pic_end_of_interrupt(tf->vector - IRQ_BASE);   /* lab 1: no handler runs */
}

void trap(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    if (tf->vector < NUM_EXCEPTIONS)
        exception(tf);
    else if (tf->vector < IRQ_BASE + 16)
        device_interrupt(tf);
    else
        panic("unexpected interrupt, vector %lu, at rip %p", tf->vector, (void *)tf->rip);
    // LAB 1: END SOLUTION
    // LAB 1: STUB if (tf->vector < NUM_EXCEPTIONS)   /* lab 1: trap not written yet */
    // LAB 1: STUB     exception(tf);
    // LAB 1: STUB else
    // LAB 1: STUB     device_interrupt(tf);
}
