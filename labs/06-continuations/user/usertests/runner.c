// runner.c: usertests's runner (lab 06): each case in a child program of
// its own, one after another, each judged by how it ended.
//
//   usertests: 80 cases, each in a program of its own
//   ok 12 write: every bad buffer is E_FAULT
//   FAIL 13 read: ...: exit 57, expected exit 0
//   usertests: 80 passed, 0 failed
//
// `run=usertests:12` runs case 12 alone. The leak check is the kernel's
// `run: done` line, once every program (the runner, the cases and what
// they spawned) has ended: lab 06 has no call that reads the counts.
#include "usertests.h"

static int next, passed, failed, only = -1;
static uint64_t child;

static long run_next(long arg, long value);

static bool contains(const char *text, const char *word, size_t n) {
    for (; *text; text++)
        if (strncmp(text, word, n) == 0)
            return true;
    return false;
}

// Does the reason contain one of the '|'-separated alternatives?
static bool reason_matches(const char *reason, const char *want) {
    while (*want) {
        const char *bar = strchr(want, '|');
        size_t n = bar ? (size_t)(bar - want) : strlen(want);
        if (contains(reason, want, n))
            return true;
        want += n + (bar ? 1 : 0);
    }
    return false;
}

static void judge(int i, const struct proc_status *st) {
    const struct test_case *c = &cases[i];
    bool ok = c->ends == ENDS_EXIT
                  ? st->state == PROC_EXITED && st->code == c->code
                  : st->state == PROC_KILLED && reason_matches(st->reason, c->reason);
    if (ok) {
        passed++;
        printf("ok %d %s\n", i + 1, c->name);
        return;
    }
    failed++;
    printf("FAIL %d %s: ", i + 1, c->name);
    if (st->state == PROC_EXITED)
        printf("exit %ld", st->code);
    else
        printf("killed: %s", st->reason);
    if (c->ends == ENDS_EXIT)
        printf(", expected exit %ld\n", c->code);
    else
        printf(", expected a kill for '%s'\n", c->reason);
}

static long case_ended(long i, long state) {
    struct proc_status st = {0};
    if (proc_status(child, &st) != 0)
        st.state = -1;
    cap_drop(child);
    judge((int)i, &st);
    next = (int)i + 1;
    return run_next(0, 0);
}

static long run_next(long arg, long value) {
    while (next < ncases && only >= 0 && next != only)
        next++;
    if (next >= ncases) {
        printf("usertests: %d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    long h = spawn_role(ROLE_CASE, next, 1, NULL, 0);
    if (h < 0) {
        failed++;
        printf("FAIL %d %s: cannot spawn usertests: error %ld\n", next + 1, cases[next].name, h);
        next++;
        return cont_queue(run_next, 0);
    }
    child = (uint64_t)h;
    return cont_wait_proc(child, case_ended, next);
}

int runner_main(uint64_t args) {
    if (args) {  // run=usertests:N: case N alone
        const char *s = (const char *)region_at(args);
        long n = 0;
        while (s && *s >= '0' && *s <= '9' && n < 1000)
            n = n * 10 + (*s++ - '0');
        if (n > 0)
            only = (int)n - 1;
    }
    printf("usertests: %d cases, each in a program of its own\n", only >= 0 ? 1 : ncases);
    return (int)run_next(0, 0);
}
