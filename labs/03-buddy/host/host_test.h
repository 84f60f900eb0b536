// host_test.h: what every host test program shares.
//
//     static int test_something(void) { CHECK(x == 1); return 1; }
//     int main(void) { host_run("something", test_something); return host_summary(); }
//
// CHECK ends the test (returns 0) with the file, line and condition; the
// program prints one line a test and ends with "N passed, M failed", which
// the host Makefile and `make test` add up.
#pragma once
#include <stdio.h>
#include <stdlib.h>

static int host_passed, host_failed;

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            printf("  %s:%d: %s is false\n", __FILE__, __LINE__, #cond); \
            return 0; \
        } \
    } while (0)

static inline void host_record(const char *name, int ok) {
    printf("%s %s\n", ok ? "ok    " : "FAILED", name);
    fflush(stdout);  // seen even if a later test crashes
    ok ? host_passed++ : host_failed++;
}

static inline void host_run(const char *name, int (*test)(void)) { host_record(name, test()); }

// How many random operations a model test runs: `full`, or a tenth of it
// when BATON_HOST_QUICK is set (the grader's quick run; make test runs all).
static inline long host_ops(long full) { return getenv("BATON_HOST_QUICK") ? full / 10 : full; }

// The closing line; the exit status for main.
static inline int host_summary(void) {
    printf("%d passed, %d failed\n", host_passed, host_failed);
    return host_failed != 0;
}
