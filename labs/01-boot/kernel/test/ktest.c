// ktest.c: running the in-kernel tests and printing KTAP.
//
// Each test runs inside a "catcher" (ktest.h): a place saved with
// jump_save. When the test faults, the fault handler below rewrites the
// interrupt frame so that the CPU returns into that place instead of the
// faulting instruction; when it runs too long, the timer's tick hook does
// the same; a failed ASSERT jumps there directly. So one broken test fails
// alone and the run goes on. Output follows KTAP version 1: one subtest
// block per suite, failure diagnostics as "#" lines before "not ok".
#include "ktest.h"
#include "cmdline.h"
#include "panic.h"
#include "string.h"
#include "timer.h"
#include "x86.h"

#define FAULT_NONE      (-2)  // the statement did not fault
#define FAULT_TIMEOUT   (-1)
#define FAULT_ASSERTION (-3)  // a failed ASSERT ended the test

extern const struct ktest __ktests_start[], __ktests_end[];

static struct ktest_catcher *catchers;      // innermost first
static struct ktest_catcher *test_catcher;  // the running test's outermost
static int failures;                        // in the running test
static int quiet;                           // >0: print no diagnostics
static bool test_running;
static uint64_t test_started, test_timeout;
// The watchdog counts the timer interrupts it sees itself, so that it works
// even when the tick count is what a broken kernel gets wrong.
static volatile uint64_t watchdog_ticks;
static struct ktest_fault last_fault;

int ktest_strcmp(const char *a, const char *b) { return strcmp(a, b); }

void ktest_set_timeout(uint64_t ticks) { test_timeout = ticks; }

void ktest_catch_push(struct ktest_catcher *c) {
    c->fault = (struct ktest_fault){.vector = FAULT_NONE};
    c->outer = catchers;
    catchers = c;
}

void ktest_catch_pop(struct ktest_catcher *c) { catchers = c->outer; }

const struct ktest_fault *ktest_last_fault(void) { return &last_fault; }
void ktest_set_last_fault(const struct ktest_fault *f) { last_fault = *f; }

void ktest_fail(const char *file, int line, const char *fmt, ...) {
    failures++;
    if (quiet)
        return;
    kprintf("    # %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
}

_Noreturn void ktest_abort(void) {
    if (!test_catcher)
        panic("ktest: ASSERT failed outside a test");
    test_catcher->fault.vector = FAULT_ASSERTION;
    jump_back(&test_catcher->jump, 1);
}

bool ktest_check_fault(const char *file, int line, const char *what, const struct ktest_fault *f,
                       int64_t expected) {
    if (f->vector == FAULT_NONE) {
        ktest_fail(file, line, "expected %s from `%s`, but no exception happened",
                   exception_name(expected), what);
        return false;
    }
    if (f->vector != expected) {
        ktest_fail(file, line, "expected %s from `%s`, got %s at rip %p", exception_name(expected),
                   what, f->vector < 0 ? "a timeout" : exception_name(f->vector), (void *)f->rip);
        return false;
    }
    return true;
}

// Make the interrupted code continue as if jump_save(&c->jump) had just
// returned 1: the registers a call preserves, the stack, the instruction.
static void resume_in_catcher(struct trapframe *tf, struct ktest_catcher *c) {
    tf->rbx = c->jump.rbx;
    tf->rbp = c->jump.rbp;
    tf->r12 = c->jump.r12;
    tf->r13 = c->jump.r13;
    tf->r14 = c->jump.r14;
    tf->r15 = c->jump.r15;
    tf->rsp = c->jump.rsp;
    tf->rip = c->jump.rip;
    tf->rax = 1;
}

static bool catch_fault(struct trapframe *tf) {
    struct ktest_catcher *c = catchers;
    if (!c || (tf->cs & 3))
        return false;  // no test expects it, or a user program's: not ours
    catchers = c->outer;
    c->fault = (struct ktest_fault){tf->vector, tf->error, tf->rip, read_cr2()};
    resume_in_catcher(tf, c);
    return true;
}
FAULT_HANDLER(catch_fault);

static void watchdog(struct trapframe *tf) {
    watchdog_ticks++;
    if (!test_running || watchdog_ticks - test_started < test_timeout)
        return;
    test_running = false;
    catchers = test_catcher->outer;
    test_catcher->fault = (struct ktest_fault){FAULT_TIMEOUT, 0, tf->rip, 0};
    resume_in_catcher(tf, test_catcher);
}

// Run one test function inside its own catcher; returns its failures.
// Everything about an enclosing test is saved and restored, so a test can
// run another (ktest_run_quiet).
static int run_test(void (*fn)(void), const char *file, int line, uint64_t timeout) {
    struct ktest_catcher top;
    struct ktest_catcher *saved_catchers = catchers, *saved_test = test_catcher;
    int saved_failures = failures;
    bool saved_running = test_running;
    uint64_t saved_started = test_started, saved_timeout = test_timeout;
    // A test that turns interrupts off and fails before it turns them back
    // on must not leave the tests after it without the timer (and so
    // without this watchdog): they come back as they were.
    bool interrupts_on = (read_rflags() & RFLAGS_IF) != 0;

    failures = 0;
    timer_add_tick_hook(watchdog);
    if (jump_save(&top.jump) == 0) {
        ktest_catch_push(&top);
        test_catcher = &top;
        test_started = watchdog_ticks;
        test_timeout = timeout;
        test_running = true;
        fn();
        test_running = false;
    } else {
        test_running = false;
        if (top.fault.vector == FAULT_TIMEOUT)
            ktest_fail(file, line, "timed out after %lu ticks (at rip %p)", test_timeout,
                       (void *)top.fault.rip);
        else if (top.fault.vector >= 0)
            ktest_fail(file, line, "unexpected %s at rip %p, error 0x%lx, cr2 %p",
                       exception_name(top.fault.vector), (void *)top.fault.rip, top.fault.error,
                       (void *)top.fault.cr2);
    }
    int result = failures;
    if (interrupts_on)
        sti();
    else
        cli();
    catchers = saved_catchers;
    test_catcher = saved_test;
    failures = saved_failures;
    test_running = saved_running;
    test_started = saved_started;
    test_timeout = saved_timeout;
    return result;
}

int ktest_run_quiet(void (*fn)(void), uint64_t timeout_ticks) {
    quiet++;
    int n = run_test(fn, "(quiet)", 0, timeout_ticks);
    quiet--;
    return n;
}

// The tests of one suite are consecutive (the linker sorts them by suite).
static const struct ktest *suite_end(const struct ktest *first) {
    const struct ktest *t = first;
    while (t < __ktests_end && strcmp(t->suite, first->suite) == 0)
        t++;
    return t;
}

static bool selected(const char *list, const char *suite) {
    return list == NULL || cmdline_list_contains(list, suite);
}

static bool run_suite(int index, const struct ktest *first, const struct ktest *end) {
    kprintf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", first->suite, (int)(end - first));
    bool suite_ok = true;
    for (const struct ktest *t = first; t < end; t++) {
        int failed = run_test(t->fn, t->file, t->line, KTEST_TIMEOUT_TICKS);
        kprintf("    %s %d %s\n", failed ? "not ok" : "ok", (int)(t - first) + 1, t->name);
        suite_ok = suite_ok && !failed;
    }
    kprintf("%s %d %s\n", suite_ok ? "ok" : "not ok", index, first->suite);
    return suite_ok;
}

static bool suite_exists(const char *name, size_t len) {
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
        if (strlen(t->suite) == len && strncmp(t->suite, name, len) == 0)
            return true;
    return false;
}

// Call fn for each name in the list that no suite has.
static int for_each_unknown_suite(const char *list, int index, bool print) {
    int count = 0;
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len > 0 && !suite_exists(p, len)) {
            count++;
            if (print)
                kprintf("# ktest: no suite named '%.*s'\nnot ok %d %.*s\n", (int)len, p,
                        index + count, (int)len, p);
        }
        p = comma ? comma + 1 : p + len;
    }
    return count;
}

bool ktest_run_suites(const char *list) {
    int nsuites = 0;
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t = suite_end(t))
        nsuites += selected(list, t->suite);
    int unknown = for_each_unknown_suite(list, 0, false);
    kprintf("KTAP version 1\n1..%d\n", nsuites + unknown);

    bool all_ok = unknown == 0;
    int index = 0;
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t = suite_end(t))
        if (selected(list, t->suite))
            all_ok = run_suite(++index, t, suite_end(t)) && all_ok;
    for_each_unknown_suite(list, index, true);
    return all_ok;
}

static void test_action(const char *value) {
    bool ok = ktest_run_suites(value && *value ? value : NULL);
    power_off(ok ? EXIT_PASS : EXIT_FAIL);
}
CMDLINE_KEY(test, "run the in-kernel tests (test=suite,... for some), then power off", test_action);
