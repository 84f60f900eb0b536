// syscall.c: setting up `syscall`, and the table of system calls.
//
// Lab 05: every call lives in the file of its subsystem (console.c, region.c,
// capsys.c, spawn.c, proc.c; lab 06: contsys.c); this file only holds the
// one table.
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
#include "capsys.h"
#include "channel.h"
#include "console.h"
#include "contsys.h"
#include "gdt.h"
#include "kprintf.h"
#include "proc.h"
#include "region.h"
#include "timer.h"
#include "trace.h"
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
    write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_SCE);
    write_msr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
    write_msr(MSR_LSTAR, (uint64_t)syscall_entry);
    write_msr(MSR_SFMASK, SYSCALL_FLAGS_CLEARED);
    enable_smep_smap();
}

static int64_t sys_ticks(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return timer_ticks(); }

typedef int64_t (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t);

static const syscall_fn syscalls[SYS_COUNT] = {
    [SYS_EXIT] = sys_exit,
    [SYS_WRITE] = sys_write,
    [SYS_REGION_NEW] = sys_region_new,
    [SYS_DROP] = sys_drop,
    [SYS_TICKS] = sys_ticks,
    [SYS_DERIVE] = sys_derive,
    [SYS_REVOKE] = sys_revoke,
    [SYS_INSPECT] = sys_inspect,
    [SYS_SPAWN] = sys_spawn,
    [SYS_PROC_STATUS] = sys_proc_status,
    [SYS_CAP_TYPE] = sys_cap_type,
    [SYS_READ] = sys_read,
    [SYS_CONT_RETURN] = sys_cont_return,
    [SYS_CONT_QUEUE] = sys_cont_queue,
    [SYS_WAIT_TIME] = sys_wait_time,
    [SYS_WAIT_INPUT] = sys_wait_input,
    [SYS_WAIT_PROC] = sys_wait_proc,
    [SYS_CHANNEL_NEW] = sys_channel_new,
    [SYS_CHAN_SEND] = sys_chan_send,
    [SYS_CHAN_RECV] = sys_chan_recv,
    [SYS_WAIT_MSG] = sys_wait_msg,
    [SYS_REGION_PHYS] = sys_region_phys,
    [SYS_SYSINFO] = sys_sysinfo,
    [SYS_KILL] = sys_kill,
    [SYS_POWEROFF] = sys_poweroff,
    [SYS_TRACE] = sys_trace,
    [SYS_WAIT_RECV] = sys_wait_recv,
    [SYS_CHAN_CALL] = sys_chan_call,
};

int64_t syscall_dispatch(struct syscall_frame *f) {
    if (f->number >= SYS_COUNT || !syscalls[f->number])
        return E_NOSYS;  // an unknown number is an error, not a crash
    return syscalls[f->number](f->arg[0], f->arg[1], f->arg[2], f->arg[3]);
}
