// ut.h: the runner of the robustness suites (ut.c), shared by lab 04's
// usertests and lab 05's.
//
// A case is a function that returns NULL when every expectation held, or a
// short reason (ut_why() builds one). The runner prints one line a case,
//     ok 3 write: every bad buffer is E_FAULT
//     not ok 4 map: bad lengths and flags are E_INVAL: map(0, 1) = 4096
// then one line a category and the total, which the grader reads:
//     usertests: bad pointers: 3 passed, 0 failed
//     usertests: 25 passed, 0 failed
#pragma once
#include <stdint.h>

struct ut_case {
    const char *category;
    const char *name;
    const char *(*run)(void);
};

// A reason built like printf's (one buffer: valid until the next call).
const char *ut_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Run cases [0, n), numbering them from the last number used plus one.
void ut_run(const struct ut_case *cases, int n);

// Record a case judged elsewhere (lab 05's cases in child programs).
void ut_report(const char *category, const char *name, const char *why);

// Print the category lines and the total; 0 when every case passed.
int ut_finish(void);

// Ranges no program owns: null, the lower half's end, non-canonical,
// the kernel half, wrapping around ~0, unmapped user memory (calls04.c).
struct ut_range {
    uint64_t addr, len;
};
extern const struct ut_range ut_bad_ranges[];
extern const int ut_nbad;

// Lab 04's cases (calls04.c): every call lab 04 has, through the user
// library, so they hold in every lab whose library keeps those calls.
extern const struct ut_case calls04_cases[];
extern const int calls04_count;

// The bytes of memory map() hands out before it fails (and gives them all
// back): what the program can see of the kernel's free frames.
uint64_t ut_free_memory(void);
extern uint64_t ut_free_memory_seen;  // its last result (1 GiB before the first)
extern uint64_t ut_memory_before;     // main's count, before the first case
// The same, calling while_held (if not NULL) with every page taken.
uint64_t ut_free_memory_holding(void (*while_held)(void));

// Whether free memory measured after some work matches before: equal, or
// at most ut_memory_slack bytes less. Page tables emptied by unmap stay
// for the next map there (kernel/paging.h); lab 04's regions come back at
// the same addresses, so its slack is 0, but lab 05's single address space
// hands them out among children's, so a program sees a few pages fewer.
// The kernel's own exact counts are in run: done.
extern uint64_t ut_memory_slack;
int ut_memory_same(uint64_t before, uint64_t after);
