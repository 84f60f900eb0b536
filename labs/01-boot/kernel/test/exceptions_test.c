// exceptions_test.c: CPU exceptions reach the handler with the right
// vector, error code and address (ktest catches them instead of panicking).
#include "ktest.h"
#include "memlayout.h"
#include "panic.h"
#include "trap.h"

// Values the compiler cannot see through, so it must really do the work.
static volatile int zero = 0;
static volatile uint64_t null_address = 0;
static volatile uint64_t noncanonical_address = 0x0000800000000000ul;

KTEST(exceptions, divide_error) {
    volatile int x = 1;
    EXPECT_EXCEPTION(T_DIVIDE, x = x / zero);
}

KTEST(exceptions, breakpoint) { EXPECT_EXCEPTION(T_BREAKPOINT, __asm__ volatile("int3")); }

KTEST(exceptions, invalid_opcode_points_at_ud2) {
    EXPECT_EXCEPTION(T_INVALID_OPCODE, __asm__ volatile("ud2"));
    const uint8_t *rip = (const uint8_t *)ktest_last_fault()->rip;
    EXPECT_EQ(rip[0], 0x0F);  // ud2 is 0F 0B: the fault names the
    EXPECT_EQ(rip[1], 0x0B);  // instruction, not the next one
}

KTEST(exceptions, page_fault_read_of_null) {
    EXPECT_EXCEPTION(T_PAGE_FAULT, (void)*(volatile uint64_t *)null_address);
    EXPECT_EQ(ktest_last_fault()->cr2, 0);
    EXPECT_EQ(ktest_last_fault()->error, 0);  // not present, read, kernel
}

KTEST(exceptions, page_fault_write_sets_write_bit) {
    EXPECT_EXCEPTION(T_PAGE_FAULT, *(volatile uint64_t *)(null_address + 8) = 1);
    EXPECT_EQ(ktest_last_fault()->cr2, 8);
    EXPECT_EQ(ktest_last_fault()->error, PF_WRITE);
}

KTEST(exceptions, general_protection_on_noncanonical_address) {
    EXPECT_EXCEPTION(T_GENERAL_PROTECTION, (void)*(volatile uint64_t *)noncanonical_address);
}

// `int n` reaches every exception vector that pushes no error code (for the
// others the CPU would not push one, and the frame would be misread).
#define RAISE(n) \
    case n: __asm__ volatile("int $" #n); break
static void raise_vector(int v) {
    switch (v) {
        RAISE(0);
        RAISE(1);
        RAISE(2);
        RAISE(3);
        RAISE(4);
        RAISE(5);
        RAISE(6);
        RAISE(7);
        RAISE(9);
        RAISE(15);
        RAISE(16);
        RAISE(18);
        RAISE(19);
        RAISE(20);
        RAISE(22);
        RAISE(23);
        RAISE(24);
        RAISE(25);
        RAISE(26);
        RAISE(27);
        RAISE(28);
        RAISE(31);
    }
}

KTEST(exceptions, every_vector_without_error_code_arrives) {
    static const int vectors[] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  15, 16,
                                  18, 19, 20, 22, 23, 24, 25, 26, 27, 28, 31};
    for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        EXPECT_EXCEPTION(vectors[i], raise_vector(vectors[i]));
        EXPECT_EQ(ktest_last_fault()->vector, vectors[i]);
    }
}

KTEST(exceptions, names) {
    EXPECT_STREQ(exception_name(T_PAGE_FAULT), "#PF page fault");
    EXPECT_STREQ(exception_name(T_DIVIDE), "#DE divide error");
    EXPECT_STREQ(exception_name(99), "not an exception");
}

KTEST(exceptions, names_end_at_the_last_vector) {
    EXPECT_STREQ(exception_name(T_DOUBLE_FAULT + 1), "coprocessor segment overrun");
    EXPECT_STREQ(exception_name(NUM_EXCEPTIONS - 1), "reserved (31)");
    EXPECT_STREQ(exception_name(NUM_EXCEPTIONS), "not an exception");  // the first IRQ
}

KTEST(exceptions, registers_survive_a_caught_fault) {
    // The catcher restores the callee-saved registers; locals stay right.
    volatile uint64_t before = 0x1234567890ul;
    EXPECT_EXCEPTION(T_BREAKPOINT, __asm__ volatile("int3"));
    EXPECT_EQ(before, 0x1234567890ul);
}

// The page-fault error code in words: each bit read the right way round.
KTEST(exceptions, page_fault_reasons) {
    char buf[48];
    page_fault_reason(0, buf, sizeof buf);
    EXPECT_STREQ(buf, "read, not present, kernel");
    page_fault_reason(PF_WRITE, buf, sizeof buf);
    EXPECT_STREQ(buf, "write, not present, kernel");
    page_fault_reason(PF_PRESENT | PF_WRITE | PF_USER, buf, sizeof buf);
    EXPECT_STREQ(buf, "write, protection, user");
    page_fault_reason(PF_PRESENT | PF_FETCH, buf, sizeof buf);
    EXPECT_STREQ(buf, "fetch, protection, kernel");
    page_fault_reason(PF_USER, buf, sizeof buf);
    EXPECT_STREQ(buf, "read, not present, user");
}

// Three nested calls: a backtrace from the innermost frame finds at least
// their three return addresses, all in the kernel, and stops on its own.
static int depth_found;
static uint64_t found[16];

static __attribute__((noinline)) void innermost(void) {
    depth_found = backtrace((uint64_t)__builtin_frame_address(0), found, 16);
    __asm__ volatile("" ::: "memory");  // not a tail call: keep this frame
}
static __attribute__((noinline)) void middle(void) {
    innermost();
    __asm__ volatile("" ::: "memory");
}
static __attribute__((noinline)) void outer(void) {
    middle();
    __asm__ volatile("" ::: "memory");
}

KTEST(exceptions, backtrace_follows_frame_pointers) {
    outer();
    ASSERT_TRUE(depth_found >= 3);
    EXPECT_TRUE(depth_found < 16);  // the chain ends before the limit
    for (int i = 0; i < 3; i++)
        EXPECT_TRUE(found[i] >= KERNEL_VMA);
    EXPECT_NE(found[0], found[1]);
    EXPECT_NE(found[1], found[2]);
    uint64_t small[2];
    EXPECT_EQ(backtrace((uint64_t)__builtin_frame_address(0), small, 2), 2);  // max is kept
}
