// ut.c: the robustness suites' runner (ut.h): numbering, one line a case,
// tallies by category, the summary the grader checks.
#include "ut.h"
#include <stdarg.h>
#include "printf.h"
#include "string.h"

#define MAX_CATEGORIES 16

static struct {
    const char *name;
    int passed, failed;
} categories[MAX_CATEGORIES];
static int ncategories, number, passed, failed;
static char why_buf[160];

const char *ut_why(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_buf, sizeof why_buf, fmt, ap);
    va_end(ap);
    return why_buf;
}

// The tally of a category, added on first use (in the order cases name them).
static int category_index(const char *name) {
    for (int i = 0; i < ncategories; i++)
        if (strcmp(categories[i].name, name) == 0)
            return i;
    if (ncategories == MAX_CATEGORIES)
        return MAX_CATEGORIES - 1;  // more than planned: the last one absorbs them
    categories[ncategories].name = name;
    return ncategories++;
}

void ut_report(const char *category, const char *name, const char *why) {
    int c = category_index(category);
    number++;
    if (why == NULL) {
        passed++;
        categories[c].passed++;
        printf("ok %d %s\n", number, name);
    } else {
        failed++;
        categories[c].failed++;
        printf("not ok %d %s: %s\n", number, name, why);
    }
}

void ut_run(const struct ut_case *cases, int n) {
    for (int i = 0; i < n; i++)
        ut_report(cases[i].category, cases[i].name, cases[i].run());
}

int ut_finish(void) {
    for (int i = 0; i < ncategories; i++)
        printf("usertests: %s: %d passed, %d failed\n", categories[i].name, categories[i].passed,
               categories[i].failed);
    printf("usertests: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
