// ktest.h: in-kernel unit tests, reported as KTAP.
//
// Write a test in any file:
//
//     KTEST(string, strlen_counts_bytes) {
//         EXPECT_EQ(strlen("abc"), 3);
//     }
//
// Tests of one suite run together, suites in alphabetical order. Boot with
// `test` to run them all, `test=string,timer` for some suites.
//   EXPECT_*  reports a failure and the test goes on;
//   ASSERT_*  reports a failure and ends the test.
//   EXPECT_EXCEPTION(T_DIVIDE, statement) passes when the statement raises
//   that CPU exception; ktest_last_fault() then says where and how.
// A test that faults unexpectedly, or runs for longer than KTEST_TIMEOUT_TICKS
// with interrupts on, fails; the remaining tests still run.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "jump.h"
#include "kprintf.h"
#include "timer.h"
#include "trap.h"

#define KTEST_TIMEOUT_TICKS (5 * TIMER_HZ)  // 5 s

struct ktest {
    const char *suite, *name, *file;
    int line;  // where the test is defined
    void (*fn)(void);
};

// Sections named .ktests.<suite> are sorted by the linker script, which
// groups each suite's tests together.
#define KTEST(suite, name) \
    static void ktest_fn_##suite##_##name(void); \
    static const struct ktest ktest_##suite##_##name \
        __attribute__((used, section(".ktests." #suite), aligned(8))) = { \
            #suite, #name, __FILE__, __LINE__, ktest_fn_##suite##_##name}; \
    static void ktest_fn_##suite##_##name(void)

// --- What a caught exception looked like. ---------------------------------
struct ktest_fault {
    int64_t vector;  // -1: the test timed out
    uint64_t error, rip, cr2;
};

// A catcher: where a fault (or a timeout, or a failed ASSERT) resumes.
struct ktest_catcher {
    struct jump_point jump;  // where the test resumes (jump.h)
    struct ktest_fault fault;
    struct ktest_catcher *outer;
};
void ktest_catch_push(struct ktest_catcher *c);
void ktest_catch_pop(struct ktest_catcher *c);
const struct ktest_fault *ktest_last_fault(void);
void ktest_set_last_fault(const struct ktest_fault *f);

void ktest_fail(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
_Noreturn void ktest_abort(void);
bool ktest_check_fault(const char *file, int line, const char *what, const struct ktest_fault *f,
                       int64_t expected);

// --- Assertions. ------------------------------------------------------------
#define KTEST_CHECK_(cond, on_fail, ...) \
    do { \
        if (!(cond)) { \
            ktest_fail(__FILE__, __LINE__, __VA_ARGS__); \
            on_fail; \
        } \
    } while (0)

#define KTEST_EQ_(a, b, on_fail) \
    do { \
        long long a_ = (long long)(a), b_ = (long long)(b); \
        KTEST_CHECK_(a_ == b_, on_fail, "%s == %s: %lld (0x%llx) != %lld (0x%llx)", #a, #b, a_, \
                     a_, b_, b_); \
    } while (0)

#define KTEST_STREQ_(a, b, on_fail) \
    do { \
        const char *a_ = (a), *b_ = (b); \
        KTEST_CHECK_(a_ &&b_ &&ktest_strcmp(a_, b_) == 0, on_fail, "%s == %s: \"%s\" != \"%s\"", \
                     #a, #b, a_, b_); \
    } while (0)

#define EXPECT_TRUE(cond)  KTEST_CHECK_(cond, (void)0, "%s is false", #cond)
#define EXPECT_FALSE(cond) KTEST_CHECK_(!(cond), (void)0, "%s is true", #cond)
#define EXPECT_EQ(a, b)    KTEST_EQ_(a, b, (void)0)
#define EXPECT_NE(a, b) \
    KTEST_CHECK_((long long)(a) != (long long)(b), (void)0, "%s != %s: both %lld", #a, #b, \
                 (long long)(a))
#define EXPECT_STREQ(a, b) KTEST_STREQ_(a, b, (void)0)
#define ASSERT_TRUE(cond)  KTEST_CHECK_(cond, ktest_abort(), "%s is false", #cond)
#define ASSERT_EQ(a, b)    KTEST_EQ_(a, b, ktest_abort())
#define ASSERT_STREQ(a, b) KTEST_STREQ_(a, b, ktest_abort())

#define EXPECT_EXCEPTION(expected_vector, statement) \
    do { \
        struct ktest_catcher c_; \
        if (jump_save(&c_.jump) == 0) { \
            ktest_catch_push(&c_); \
            statement; \
            ktest_catch_pop(&c_); \
            c_.fault.vector = -2; /* nothing happened */ \
        } \
        ktest_set_last_fault(&c_.fault); \
        ktest_check_fault(__FILE__, __LINE__, #statement, &c_.fault, expected_vector); \
    } while (0)

int ktest_strcmp(const char *a, const char *b);

// A test that is slow by nature (it touches every frame of a large memory)
// may give itself more time than KTEST_TIMEOUT_TICKS.
void ktest_set_timeout(uint64_t ticks);

// Run fn as a test of its own, printing nothing; returns its failure count.
// The ktest suite uses it to show that failures are really detected.
int ktest_run_quiet(void (*fn)(void), uint64_t timeout_ticks);

// Run the suites named in `list` (comma-separated), or all when list is
// NULL, print KTAP, and return whether everything passed.
bool ktest_run_suites(const char *list);
