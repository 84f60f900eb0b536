// syscall.c: setting up `syscall`, and the table of system calls.
//
// Lab 05: every call lives in the file of its subsystem (console.c, region.c,
// capsys.c, spawn.c, procrun.c) and is registered there (SYSCALL, syscall.h);
// this file gathers them into the one table.
//
// syscall_init programs the MSRs the instruction uses:
//   EFER.SCE  enables syscall/sysret;
//   STAR      the segments: bits 32-47 give the kernel's CS (and SS = CS+8);
//             bits 48-63 a base from which sysret takes the user's SS
//             (base+8) and CS (base+16): hence user data before user code
//             in the GDT (gdt.h);
//   LSTAR     where syscall jumps: syscall_entry (userentry.asm);
//   SFMASK    the flags cleared on entry (SYSCALL_FLAGS_CLEARED, syscall.h):
//             every flag a program may set that the kernel must not run
//             with. IF: no interrupts until sysret. TF: no single-step
//             trap in the kernel. DF: the C ABI wants it clear. AC: with
//             SMAP it would let the kernel touch user pages. NT: an iretq
//             with it set faults. RF and IOPL for good measure (a program
//             cannot set IOPL, and RF only suppresses a debug fault).
// It also turns on SMEP and SMAP where CPUID has them: then the kernel can
// neither run nor touch user pages by accident (uaccess.c copies through
// the direct map, which SMAP does not concern).
#include "syscall.h"
#include "abi.h"
#include "cpu.h"
#include "gdt.h"
#include "kprintf.h"
#include "panic.h"
#include "timer.h"
#include "x86.h"

#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

extern void syscall_entry(void);

static void enable_smep_smap(void) {
    uint32_t a, b, c, d;
    cpuid(0, &a, &b, &c, &d);
    if (a < 7)
        return;
    cpuid(7, &a, &b, &c, &d);
    uint64_t cr4 = read_cr4();
    if (b & (1u << 7))
        cr4 |= CR4_SMEP;
    if (b & (1u << 20))
        cr4 |= CR4_SMAP;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

static int64_t sys_ticks(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return timer_ticks(); }
SYSCALL(SYS_TICKS, sys_ticks);

// The table, by number: filled once at boot from every SYSCALL(...).
static syscall_fn syscalls[SYS_COUNT];
extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static void gather_syscalls(void) {
    for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++) {
        if (e->number >= SYS_COUNT || syscalls[e->number])
            panic("syscall: number %lu registered twice or past SYS_COUNT", e->number);
        syscalls[e->number] = e->fn;
    }
}

void syscall_init(void) {
    write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_SCE);
    write_msr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
    write_msr(MSR_LSTAR, (uint64_t)syscall_entry);
    write_msr(MSR_SFMASK, SYSCALL_FLAGS_CLEARED);
    enable_smep_smap();
    gather_syscalls();
}

int64_t syscall_dispatch(struct syscall_frame *f) {
    if (f->number >= SYS_COUNT || !syscalls[f->number])
        return E_NOSYS;  // an unknown number is an error, not a crash
    return syscalls[f->number](f->arg[0], f->arg[1], f->arg[2], f->arg[3]);
}
