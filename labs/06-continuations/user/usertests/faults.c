// faults.c: faults of every kind a program can raise, each of which must
// kill it with a reason, never stop the kernel. Each case returns 1 if it
// survived (the runner then reports it: an exit where a kill was due).
#include "usertests.h"

static volatile uint64_t sink;

long f_null_read(void) {
    sink = *(volatile uint64_t *)0;
    return 1;
}

long f_null_write(void) {
    *(volatile uint64_t *)0 = 1;
    return 1;
}

long f_null_call(void) {
    ((void (*)(void))(uintptr_t)sink)();  // sink is 0
    return 1;
}

long f_write_text(void) {
    *(volatile uint8_t *)(uintptr_t)f_write_text = 0xc3;
    return 1;
}

long f_write_rodata(void) {
    static const char text[] = "constant";
    *(volatile char *)(uintptr_t)text = 'C';
    return 1;
}

static uint8_t data_code[16] = {0xc3};  // ret, in writable data
long f_exec_data(void) {
    ((void (*)(void))(uintptr_t)data_code)();
    return 1;
}

long f_exec_stack(void) {
    volatile uint8_t code[16] = {0xc3};
    ((void (*)(void))(uintptr_t)code)();
    return 1;
}

long f_exec_region(void) {  // a region without CAP_EXEC
    uint8_t *p = (uint8_t *)region_at((uint64_t)region_new(4096, CAP_READ | CAP_WRITE));
    p[0] = 0xc3;
    ((void (*)(void))(uintptr_t)p)();
    return 1;
}

long f_write_readonly_region(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long ro = cap_derive((uint64_t)r, CAP_READ, 0, 0);
    cap_drop((uint64_t)r);  // only the read-only capability maps it now
    *(volatile uint8_t *)region_at((uint64_t)ro) = 1;
    return 1;
}

long f_use_after_drop(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    uint64_t base = region_at((uint64_t)r);
    *(volatile uint8_t *)base = 1;
    cap_drop((uint64_t)r);
    sink = *(volatile uint8_t *)base;
    return 1;
}

long f_read_kernel(void) {
    sink = *(volatile uint64_t *)KERNEL_TEXT;
    return 1;
}

long f_write_direct_map(void) {
    *(volatile uint64_t *)(DIRECT_MAP + 0x100000) = 0;
    return 1;
}

long f_call_kernel(void) {
    ((void (*)(void))KERNEL_TEXT)();
    return 1;
}

long f_read_noncanonical(void) {
    sink = *(volatile uint64_t *)USER_TOP;
    return 1;
}

long f_call_noncanonical(void) {
    ((void (*)(void))USER_TOP)();
    return 1;
}

long f_stack_noncanonical(void) {
    __asm__ volatile("mov %%rsp, %%rbx\n\t"
                     "mov %0, %%rsp\n\t"
                     "push %%rax\n\t"
                     "mov %%rbx, %%rsp" ::"r"(USER_TOP + 64)
                     : "rbx", "memory");
    return 1;
}

static volatile unsigned long never = ~0ul;  // a depth no stack reaches
static unsigned long dive(unsigned long n) {
    volatile char frame[256];
    frame[n % sizeof frame] = (char)n;
    if (n == never)
        return 0;
    return dive(n + 1) + frame[0];
}
long f_recursion(void) { return (long)dive(0); }

long f_forever(void) {  // the time budget ends it
    for (;;)
        sink++;
}

static volatile long zero, minimum = (long)(1ul << 63), minus_one = -1;
long f_divide_by_zero(void) {
    sink = (uint64_t)(100 / zero);
    return 1;
}

long f_divide_overflow(void) {  // the quotient does not fit: #DE as well
    sink = (uint64_t)(minimum / minus_one);
    return 1;
}

long f_x87_error(void) {
    unsigned short control = 0x37f & ~(1 << 2);  // divide by zero unmasked
    __asm__ volatile("fldcw %0\n\tfld1\n\tfldz\n\tfdivrp\n\tfwait" ::"m"(control) : "memory");
    return 1;
}

long f_single_step(void) {
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop\n\tnop" ::: "memory", "cc");
    return 1;
}

// Instructions ring 3 may not run, or that trap on purpose: one case each.
#define KILLED_BY(fn, insn) \
    long fn(void) { \
        __asm__ volatile(insn ::: "memory", "rax", "rcx", "rdx"); \
        return 1; \
    }
KILLED_BY(f_ud2, "ud2")
KILLED_BY(f_int3, "int3")
KILLED_BY(f_int80, "int $0x80")
KILLED_BY(f_int_timer, "int $0x20")  // the timer's vector, raised by hand
KILLED_BY(f_into, ".byte 0xce")      // into: no such instruction in 64-bit mode
KILLED_BY(f_int_nmi, "int $2")       // the NMI's vector (its own stack)
KILLED_BY(f_int_double_fault, "int $8")
KILLED_BY(f_popf_iopl, "pushfq\n\torq $0x3000, (%%rsp)\n\tpopfq\n\tcli")  // IOPL stays 0
KILLED_BY(f_hlt, "hlt")
KILLED_BY(f_cli, "cli")
KILLED_BY(f_in, "in $0x64, %%al")
KILLED_BY(f_out, "mov $0x80, %%dx\n\txor %%eax, %%eax\n\tout %%al, %%dx")  // a harmless port
KILLED_BY(f_rdmsr, "mov $0xc0000080, %%ecx\n\trdmsr")
KILLED_BY(f_wrmsr, "mov $0xc0000082, %%ecx\n\txor %%eax, %%eax\n\txor %%edx, %%edx\n\twrmsr")
KILLED_BY(f_read_cr3, "mov %%cr3, %%rax")
KILLED_BY(f_write_cr0, "xor %%eax, %%eax\n\tmov %%rax, %%cr0")
KILLED_BY(f_lgdt, "sub $16, %%rsp\n\tlgdt (%%rsp)\n\tadd $16, %%rsp")
KILLED_BY(f_lidt, "sub $16, %%rsp\n\tlidt (%%rsp)\n\tadd $16, %%rsp")
KILLED_BY(f_invlpg, "invlpg (%%rsp)")
KILLED_BY(f_wbinvd, "wbinvd")
KILLED_BY(f_swapgs, "swapgs")
KILLED_BY(f_sysret, "sysretq")
KILLED_BY(f_iret_to_kernel, "mov %%rsp, %%rax\n\tpush $0x10\n\tpush %%rax\n\tpushfq\n\t"
                            "push $0x08\n\tlea 1f(%%rip), %%rax\n\tpush %%rax\n\tiretq\n1:")
KILLED_BY(f_load_kernel_ds, "mov $0x10, %%eax\n\tmov %%eax, %%ds")
KILLED_BY(f_far_call_kernel, "push $0x08\n\tlea 1f(%%rip), %%rax\n\tpush %%rax\n\tlretq\n1:")

long f_cont_noncanonical(void) { return cont_queue((cont_fn)USER_TOP, 0); }
long f_cont_kernel(void) { return cont_queue((cont_fn)KERNEL_TEXT, 0); }

// rsp a non-canonical number while timer interrupts come (until two
// ticks have passed, asked with system calls made from there too): they
// switch to the kernel's stack and never touch it; the program goes on.
long t_rsp_garbage_across_interrupts(void) {
    long until = ticks() + 2, now;
    __asm__ volatile("mov %%rsp, %%rbx\n\t"
                     "mov $0xdead000000000000, %%rsp\n\t"
                     "1: mov $100000, %%ecx\n\t"
                     "2: dec %%ecx\n\t"
                     "jnz 2b\n\t"
                     "mov %[ticks], %%eax\n\t"
                     "syscall\n\t"
                     "cmp %[until], %%rax\n\t"
                     "jl 1b\n\t"
                     "mov %%rbx, %%rsp"
                     : "=&a"(now)
                     : [ticks] "i"(SYS_TICKS), [until] "r"(until)
                     : "rbx", "rcx", "r11", "memory", "cc");
    EXPECT_TRUE(now >= until);
    return 0;
}
