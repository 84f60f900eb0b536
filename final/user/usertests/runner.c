// runner.c: usertests's runner: each case in a child program of its own,
// one after another, each judged by how it ended; then a leak check.
//
//   ok 12 write: every bad buffer is E_FAULT
//   FAIL 13 read: ...: exit 57, expected exit 0
//   usertests: mem free frames A -> A, regions B -> B, caps C -> C, conts D -> D, channels E -> E
//   usertests: 80 passed, 0 failed
//
// The counts are read before the first case and after the last child
// (and everything the cases spawned) has ended; a pair that differs is a
// leak, and counts as one more failure. The runner itself holds nothing
// new meanwhile: the case number travels on one role page, made before the
// counts are read and lent to each case in turn (a new page per case would
// leave page tables in the runner's view).
//
// From the shell: `usertests` runs them all, `usertests 12` case 12 only.
#include "usertests.h"

static struct sys_mem before;
static int next, passed, failed, only = -1;
static long depth;  // the runner's own: 0 under run=, 1 from the shell
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

// The leak check, once only the runner is left (a case's helpers may
// still be ending; give them a few ticks).
static long finish(long tries, long value) {
    if (live_programs() > 1 && tries < 500)
        return cont_wait_time(1, finish, tries + 1);
    struct sys_mem after = mem_now();
    printf("usertests: mem free frames %lu -> %lu, regions %lu -> %lu, caps %lu -> %lu, conts %lu "
           "-> %lu, channels %lu -> %lu\n",
           before.free_frames, after.free_frames, before.regions, after.regions, before.caps,
           after.caps, before.conts, after.conts, before.channels, after.channels);
    if (memcmp(&before, &after, sizeof before) != 0) {
        printf("FAIL leak check: the counts differ\n");
        failed++;
    }
    printf("usertests: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static long run_next(long arg, long value) {
    while (next < ncases && only >= 0 && next != only)
        next++;
    if (next >= ncases)
        return finish(0, 0);
    long h = spawn_role(ROLE_CASE, next, depth + 1, NULL, 0);
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
    if (args) {  // started by the shell: a case number, or nothing
        depth = 1;
        const char *s = (const char *)region_at(args);
        long n = 0;
        while (*s >= '0' && *s <= '9' && n < 1000)
            n = n * 10 + (*s++ - '0');
        if (n > 0)
            only = (int)n - 1;
    }
    if (role_page_keep() != 0)
        return 89;
    before = mem_now();
    printf("usertests: %d cases, each in a program of its own\n", only >= 0 ? 1 : ncases);
    return (int)run_next(0, 0);
}
