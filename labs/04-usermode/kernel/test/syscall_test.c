// syscall_test.c: the system-call set-up and dispatch, from the kernel side.
#include "abi.h"
#include "cpu.h"
#include "frame.h"
#include "gdt.h"
#include "ktest.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "uaccess.h"

#include "x86.h"

static uint64_t rdmsr(uint32_t msr) { return read_msr(msr); }

KTEST(syscall, msrs_are_set) {
    EXPECT_TRUE(rdmsr(0xC0000080) & 1);  // EFER.SCE
    uint64_t star = rdmsr(0xC0000081);
    EXPECT_EQ((star >> 32) & 0xFFFF, KERNEL_CS);
    EXPECT_EQ(((star >> 48) + 16) | 3, USER_CS);  // sysret's CS
    EXPECT_EQ(((star >> 48) + 8) | 3, USER_DS);   // and SS
    EXPECT_NE(rdmsr(0xC0000082), 0);              // LSTAR
    uint64_t mask = rdmsr(0xC0000084);
    EXPECT_TRUE(mask & (1 << 9));          // IF cleared on entry
    EXPECT_TRUE(mask & (1 << 10));         // DF
    EXPECT_TRUE(mask & (1 << 8));          // TF
    EXPECT_TRUE(mask & (1 << 18));         // AC
    EXPECT_TRUE(mask & (1 << 14));         // NT: iretq would fault
    EXPECT_EQ(mask & (3 << 12), 3 << 12);  // IOPL
    EXPECT_TRUE(mask & (1 << 16));         // RF
}

// Programs may use the FPU and SSE: errors must reach them as #MF and #XM.
KTEST(syscall, fpu_errors_are_exceptions) {
    uint64_t cr0 = read_cr0(), cr4 = read_cr4();
    EXPECT_TRUE(cr0 & (1 << 5));   // NE: #MF, not FERR#/IRQ 13
    EXPECT_TRUE(cr0 & (1 << 1));   // MP
    EXPECT_FALSE(cr0 & (1 << 2));  // EM: no emulation
    EXPECT_FALSE(cr0 & (1 << 3));  // TS: no lazy switching
    EXPECT_TRUE(cr4 & (1 << 9));   // OSFXSR: SSE allowed
    EXPECT_TRUE(cr4 & (1 << 10));  // OSXMMEXCPT: #XM, not #UD
}

// userentry.asm counts the returns it makes with iretq instead of sysret.
// Weak: a later lab whose userentry.asm does not count them links without.
extern uint64_t syscall_iret_returns __attribute__((weak));

// The sysret hazard, through the real path: a program whose `syscall` is
// the last instruction of the lower half gets rcx = 2^47, not canonical.
// The kernel must return with iretq and kill it, not sysret into a #GP in
// ring 0. A program cannot map that page itself, so the test maps it into
// hello's address space: "mov eax, SYS_TICKS; syscall" at its end. Under
// QEMU a sysret there faults only at the program's next fetch, so the
// program is killed either way: the iretq count tells the paths apart.
KTEST(syscall, sysret_hazard_kills_the_program) {
    const struct boot_module *hello = NULL;
    for (int i = 0; i < bootinfo.nmodules; i++)
        if (strcmp(bootinfo.modules[i].name, "hello") == 0)
            hello = &bootinfo.modules[i];
    ASSERT_TRUE(hello != NULL);
    struct proc *p = proc_load("hello", phys_to_virt(hello->start), hello->end - hello->start);
    ASSERT_TRUE(p != NULL);
    uint64_t page = USER_TOP - PAGE_SIZE, frame = frame_alloc();
    ASSERT_TRUE(frame != 0);
    uint8_t *code = phys_to_virt(frame);
    static const uint8_t tail[] = {0xb8, SYS_TICKS, 0, 0, 0, 0x0f, 0x05};  // mov eax, 4; syscall
    memset(code, 0xcc, PAGE_SIZE);
    memcpy(code + PAGE_SIZE - sizeof tail, tail, sizeof tail);
    ASSERT_EQ(map_region(p->root, page, frame, PAGE_SIZE, VM_USER | VM_EXEC), 0);
    p->entry = USER_TOP - sizeof tail;
    uint64_t iret_returns = &syscall_iret_returns ? syscall_iret_returns : 0;
    int64_t result = proc_run(p);  // frees the process, not this page
    EXPECT_EQ(result, -1);         // killed (the reason is on the console)
    if (&syscall_iret_returns)
        EXPECT_EQ(syscall_iret_returns, iret_returns + 1);  // returned with iretq
    frame_free(frame);
}

KTEST(syscall, unknown_numbers_are_errors) {
    struct syscall_frame f = {0};
    uint64_t numbers[] = {SYS_COUNT, 1000, ~0ul, 0x7FFFFFFF};
    for (unsigned i = 0; i < 4; i++) {
        f.number = numbers[i];
        EXPECT_EQ(syscall_dispatch(&f), E_NOSYS);
    }
}

// The IDT gives double fault, NMI and machine check their own stacks.
KTEST(syscall, fault_gates_use_their_own_stacks) {
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    const uint8_t *idt = (const uint8_t *)idtr.base;
    EXPECT_EQ(idt[T_DOUBLE_FAULT * 16 + 4] & 7, IST_DOUBLE_FAULT);
    EXPECT_EQ(idt[T_NMI * 16 + 4] & 7, IST_NMI);
    EXPECT_EQ(idt[T_MACHINE_CHECK * 16 + 4] & 7, IST_MACHINE_CHECK);
    EXPECT_EQ(idt[T_PAGE_FAULT * 16 + 4] & 7, 0);
}
