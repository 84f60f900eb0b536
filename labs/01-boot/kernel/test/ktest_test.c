// ktest_test.c: the test framework tests itself. Each inner test below
// runs quietly on its own, and we check that ktest saw what it should:
// a failing check, a stopped test, an unexpected fault, a hang.
#include "ktest.h"
#include "x86.h"

static volatile bool reached_after_assert;

static void passes(void) { EXPECT_EQ(2 + 2, 4); }
static void fails_once(void) { EXPECT_EQ(1, 2); }
static void fails_twice(void) {
    EXPECT_TRUE(false);
    EXPECT_STREQ("a", "b");
}
static void assert_stops(void) {
    ASSERT_TRUE(false);
    reached_after_assert = true;
}
static void faults(void) { __asm__ volatile("ud2"); }
static void expects_missing_exception(void) { EXPECT_EXCEPTION(T_DIVIDE, (void)0); }
static void expects_wrong_exception(void) { EXPECT_EXCEPTION(T_DIVIDE, __asm__ volatile("int3")); }
// Long enough for the watchdog (each hlt ends at the next timer interrupt),
// but bounded, so a broken watchdog fails this test instead of hanging.
static void hangs(void) {
    for (int i = 0; i < 20; i++)
        hlt();
}

KTEST(ktest, passing_test_has_no_failures) { EXPECT_EQ(ktest_run_quiet(passes, 100), 0); }

KTEST(ktest, failed_expectations_are_counted) {
    EXPECT_EQ(ktest_run_quiet(fails_once, 100), 1);
    EXPECT_EQ(ktest_run_quiet(fails_twice, 100), 2);
}

KTEST(ktest, assert_ends_the_test) {
    reached_after_assert = false;
    EXPECT_EQ(ktest_run_quiet(assert_stops, 100), 1);
    EXPECT_FALSE(reached_after_assert);
}

KTEST(ktest, unexpected_fault_fails_only_that_test) { EXPECT_EQ(ktest_run_quiet(faults, 100), 1); }

KTEST(ktest, missing_or_wrong_exception_fails) {
    EXPECT_EQ(ktest_run_quiet(expects_missing_exception, 100), 1);
    EXPECT_EQ(ktest_run_quiet(expects_wrong_exception, 100), 1);
}

KTEST(ktest, hanging_test_times_out) { EXPECT_EQ(ktest_run_quiet(hangs, 3), 1); }
