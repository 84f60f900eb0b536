// check.c: counting and reporting checks (see check.h).
#include "check.h"
#include "printf.h"

static int checks_run, checks_failed;

void check_report(bool passed, const char *description, const char *file, int line) {
    checks_run++;
    if (passed) {
        printf("check: %s ... ok\n", description);
    } else {
        checks_failed++;
        printf("check: %s ... FAIL (%s:%d)\n", description, file, line);
    }
}

int checks_done(void) {
    if (checks_failed == 0) {
        printf("checks: all %d passed\n", checks_run);
        return 0;
    }
    printf("checks: %d of %d FAILED\n", checks_failed, checks_run);
    return 1;
}
