// check.h: a tiny test helper for the test programs.
//
//     CHECK(write(0, 1) == E_FAULT, "write from NULL fails");
//     ...
//     return checks_done();   // 0 when every check passed
#pragma once
#include "printf.h"

static int checks_failed;

#define CHECK(cond, what) \
    do { \
        if (cond) \
            printf("check: %s ... ok\n", what); \
        else { \
            printf("check: %s ... FAIL (%s:%d)\n", what, __FILE__, __LINE__); \
            checks_failed++; \
        } \
    } while (0)

static inline int checks_done(void) { return checks_failed ? 1 : 0; }
