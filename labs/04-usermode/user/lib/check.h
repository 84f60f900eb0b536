// check.h: a tiny test helper for the test programs (check.c).
//
//     CHECK(write(NULL, 8) == E_FAULT, "write from NULL");
//     ...
//     return checks_done();
//
// Each CHECK prints one line,
//     check: write from NULL ... ok
//     check: write from NULL ... FAIL (user/badptr/main.c:12)
// and the program goes on to the next check, so one run shows every
// failure. checks_done() prints a summary and returns what main should
// return: 0 when every check passed, else 1 (the kernel then prints
// "exit 1").
#pragma once
#include <stdbool.h>

// A macro only to capture the file and line of the CHECK itself.
#define CHECK(cond, description) check_report((cond) != 0, (description), __FILE__, __LINE__)

void check_report(bool passed, const char *description, const char *file, int line);
int checks_done(void);
