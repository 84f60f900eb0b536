// syscall.c: setting up `syscall`, and the table of system calls.
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
#include "proc.h"
#include "serial.h"
#include "timer.h"
#include "uaccess.h"
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

void syscall_init(void) {
    // LAB 4: BEGIN SOLUTION
    write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_SCE);
    write_msr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
    write_msr(MSR_LSTAR, (uint64_t)syscall_entry);
    write_msr(MSR_SFMASK, SYSCALL_FLAGS_CLEARED);
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)syscall_entry;
    enable_smep_smap();
}

// write(buf, len): copy the bytes in, a chunk at a time, to the console.
static int64_t sys_write(uint64_t buf, uint64_t len, uint64_t unused) {
    // LAB 4: BEGIN SOLUTION
    char chunk[256];
    int err = check_user_range(current_proc->root, buf, len, false);
    if (err)
        return err;  // all or nothing: nothing is written
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        copy_from_user(current_proc->root, chunk, buf + done, n);
        serial_write(chunk, n);
        done += n;
    }
    return len;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)buf, (void)len;
    // LAB 4: STUB return E_NOSYS;   /* lab 4: sys_write not written yet */
}

static int64_t sys_ticks(uint64_t a, uint64_t b, uint64_t c) { return timer_ticks(); }

typedef int64_t (*syscall_fn)(uint64_t, uint64_t, uint64_t);

static const syscall_fn syscalls[SYS_COUNT] = {
    [SYS_EXIT] = sys_exit,   [SYS_WRITE] = sys_write, [SYS_MAP] = sys_map,
    [SYS_UNMAP] = sys_unmap, [SYS_TICKS] = sys_ticks,
};

int64_t syscall_dispatch(struct syscall_frame *f) {
    // LAB 4: BEGIN SOLUTION
    if (f->number >= SYS_COUNT || !syscalls[f->number])
        return E_NOSYS;  // an unknown number is an error, not a crash
    return syscalls[f->number](f->arg[0], f->arg[1], f->arg[2]);
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)syscalls;
    // LAB 4: STUB return E_NOSYS;   /* lab 4: syscall_dispatch not written yet */
}
