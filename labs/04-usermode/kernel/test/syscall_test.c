// syscall_test.c: the system-call set-up and dispatch, from the kernel side.
#include "abi.h"
#include "gdt.h"
#include "ktest.h"
#include "syscall.h"

#include "x86.h"

static uint64_t rdmsr(uint32_t msr) { return read_msr(msr); }

KTEST(syscall, msrs_are_set) {
    EXPECT_TRUE(rdmsr(0xC0000080) & 1);                // EFER.SCE
    uint64_t star = rdmsr(0xC0000081);
    EXPECT_EQ((star >> 32) & 0xFFFF, KERNEL_CS);
    EXPECT_EQ(((star >> 48) + 16) | 3, USER_CS);       // sysret's CS
    EXPECT_EQ(((star >> 48) + 8) | 3, USER_DS);        // and SS
    EXPECT_NE(rdmsr(0xC0000082), 0);                   // LSTAR
    uint64_t mask = rdmsr(0xC0000084);
    EXPECT_TRUE(mask & (1 << 9));                      // IF cleared on entry
    EXPECT_TRUE(mask & (1 << 10));                     // DF
    EXPECT_TRUE(mask & (1 << 8));                      // TF
    EXPECT_TRUE(mask & (1 << 18));                     // AC
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
