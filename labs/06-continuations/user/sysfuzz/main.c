// sysfuzz: random system calls, the same ones again for the same seed.
//
//   run=sysfuzz:SEED:CALLS          on the kernel command line
//                                   (make fuzz LAB=6 SEED=7 CALLS=100000)
//
// (without arguments: seed 1, 10000 calls). Lab 06's version: final/ has
// its own main.c, which reads the kernel's counts itself (sysinfo) and
// kills its children; lab 06 has neither call. One program in three roles:
//
//   the top     prints the seed first (so a failure can be replayed),
//               spawns the worker and waits for its end. Its last line:
//                 sysfuzz: seed S: PASS: N calls, counts at run: done
//               or FAIL with the reason; it exits 0 or 1. The kernel's
//               `run: done` line, once every program has ended, compares
//               the memory counts with those before the first program.
//   the worker  makes the random calls (calls.c, more.c), BATCH per
//               continuation (a continuation has a time budget), prints
//               the count every 100,000, spawns children now and then; at
//               the end it drops everything it holds and exits with the
//               number of calls it made (minus the number of anomalies
//               when there were any).
//   a child     (of the worker) makes a few random calls with the
//               capabilities it was given, waits a tick and exits.
//
// The kernel must never panic, and no call may end the worker: a killed
// worker (a fault, the time budget) is a FAIL with the kernel's reason.
#include "fuzz.h"
#include "printf.h"
#include "string.h"

#define BATCH         32      // calls per continuation
#define PROGRESS      100000  // a line every this many calls
#define CHILD_CALLS   24
#define DEFAULT_CALLS 10000

// --- Arguments: "SEED CALLS", "worker SEED CALLS" or "child SEED". -----------

static const char *next_word(const char *s) {
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

// A decimal number at s; *ok false when there is none (or it overflows).
static uint64_t number(const char *s, bool *ok) {
    uint64_t n = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 19; s++, digits++)
        n = n * 10 + (uint64_t)(*s - '0');
    *ok = digits > 0 && (*s == '\0' || *s == ' ');
    return n;
}

// The arguments string in caps[1], or "".
static const char *arguments(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps < 2 || cap_inspect(caps[1], &info) != 0 || info.type != OBJ_REGION)
        return "";
    return (const char *)info.base;
}

// --- The worker. -----------------------------------------------------------------

static uint64_t args_region;  // the worker's caps[1]

// One line per call made: how often it succeeded, and failed with each error.
static void print_results(void) {
    static const char *calls[SYS_COUNT + 1] = {
        "exit",        "write",      "region_new", "drop",        "ticks",     "derive",
        "revoke",      "inspect",    "spawn",      "proc_status", "cap_type",  "read",
        "cont_return", "cont_queue", "wait_time",  "wait_input",  "wait_proc", "unknown"};
    static const char *errors[14] = {"ok",        "FAULT",   "INVAL",  "NOMEM", "NOSYS",
                                     "BADHANDLE", "TYPE",    "RIGHTS", "FULL",  "NOENT",
                                     "LIMIT",     "BADPROG", "?",      "?"};
    for (int nr = 0; nr <= SYS_COUNT; nr++) {
        char line[300];
        int n = snprintf(line, sizeof line, "sysfuzz: %s", calls[nr]);
        uint64_t total = 0;
        for (int e = 0; e < 14; e++) {
            total += fz.results[nr][e];
            if (fz.results[nr][e] && n < (int)sizeof line)
                n += snprintf(line + n, sizeof line - (size_t)n, " %s %lu", errors[e],
                              fz.results[nr][e]);
        }
        if (total)
            printf("%s\n", line);
    }
}

static long worker_finish(void) {
    struct fixed *f = &fz.fixed;
    for (int i = 0; i < f->nchildren; i++)  // (each ends by itself, a tick after it began)
        fuzz_call(SYS_DROP, (long)f->children[i], 0, 0, 0);
    f->nchildren = 0;
    pool_drop_all();
    fuzz_call(SYS_DROP, (long)f->scratch, 0, 0, 0);
    fuzz_call(SYS_DROP, (long)f->scratch_ro, 0, 0, 0);
    fuzz_call(SYS_DROP, (long)f->marker, 0, 0, 0);
    fuzz_call(SYS_DROP, (long)args_region, 0, 0, 0);
    print_results();
    printf("sysfuzz: worker done: %lu calls, %lu anomalies, everything dropped\n", fz.calls,
           fz.anomalies);
    cap_drop(f->console);
    exit(fz.anomalies ? -(long)fz.anomalies : (long)fz.calls);
}

static long worker_batch(long arg, long value) {
    for (int i = 0; i < BATCH && fz.calls < fz.target; i++) {
        uint64_t before = fz.calls;
        fuzz_one();
        if (fz.calls / PROGRESS != before / PROGRESS)
            printf("sysfuzz: %lu calls\n", fz.calls / PROGRESS * PROGRESS);
    }
    if (fz.calls >= fz.target || cont_queue(worker_batch, 0) != 0)
        return worker_finish();
    return 0;
}

static long worker_main(const char *args, int ncaps, const uint64_t *caps) {
    bool ok1, ok2;
    fz.seed = number(args, &ok1);
    fz.target = number(next_word(args), &ok2);
    if (!ok1 || !ok2)
        return -100;
    rng_seed(fz.seed);
    fz.fixed.console = caps[0];
    args_region = caps[1];
    long err = fuzz_setup_scratch();
    long marker = fuzz_call(SYS_REGION_NEW, 4096, CAP_READ | CAP_WRITE, 0, 0);
    if (err || marker < 0)
        return err ? err : marker;
    fz.fixed.marker = (uint64_t)marker;
    return cont_queue(worker_batch, 0);
}

// --- A child. ----------------------------------------------------------------------

static long child_end(long arg, long value) { exit(0); }

static long child_main(const char *args, int ncaps, const uint64_t *caps) {
    bool ok;
    rng_seed(number(args, &ok));
    fz.child = true;
    fz.fixed.console = caps[0];
    fz.fixed.marker = caps[1];
    if (fuzz_setup_scratch() != 0)
        return 0;  // no memory: nothing to do
    for (int i = 2; i < ncaps; i++)
        pool_add(caps[i], 0);
    for (int i = 0; i < CHILD_CALLS; i++)
        fuzz_one();
    if (cont_wait_time(1, child_end, 0) != 0)
        exit(0);
    return 0;
}

// --- The top. ------------------------------------------------------------------------

static uint64_t worker, seed, target;

static long top_done(long arg, long state) {
    struct proc_status st;
    long err = proc_status(worker, &st);
    cap_drop(worker);
    if (err) {
        printf("sysfuzz: seed %lu: FAIL: cannot read the worker's status\n", seed);
        return 1;
    }
    if (st.state == PROC_KILLED) {
        printf("sysfuzz: seed %lu: FAIL: the worker was killed: %s\n", seed, st.reason);
        return 1;
    }
    if (st.code <= 0) {
        printf("sysfuzz: seed %lu: FAIL: %ld anomalies\n", seed, -st.code);
        return 1;
    }
    printf("sysfuzz: seed %lu: PASS: %ld calls, counts at run: done\n", seed, st.code);
    return 0;
}

static long top_main(const char *args, uint64_t console) {
    bool ok1 = true, ok2 = true;
    seed = 1;
    target = DEFAULT_CALLS;
    if (*args) {
        seed = number(args, &ok1);
        target = number(next_word(args), &ok2);
    }
    if (!ok1 || !ok2 || target == 0) {
        printf("sysfuzz: usage: sysfuzz SEED CALLS (CALLS from 1)\n");
        return 2;
    }
    printf("sysfuzz: seed %lu, %lu calls (replay: make fuzz LAB=6 SEED=%lu CALLS=%lu)\n", seed,
           target, seed, target);
    long region = region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (region < 0 || cap_inspect((uint64_t)region, &info) != 0) {
        printf("sysfuzz: seed %lu: FAIL: no memory for the worker's arguments\n", seed);
        return 1;
    }
    snprintf((char *)info.base, 4096, "worker %lu %lu", seed, target);
    struct spawn_cap give[2] = {{console, 0}, {(uint64_t)region, SPAWN_MOVE}};
    long h = spawn("sysfuzz", give, 2);
    if (h < 0) {
        cap_drop((uint64_t)region);
        printf("sysfuzz: seed %lu: FAIL: cannot spawn the worker: error %ld\n", seed, h);
        return 1;
    }
    worker = (uint64_t)h;
    return cont_wait_proc(worker, top_done, 0);
}

int main(int ncaps, const uint64_t *caps) {
    const char *args = arguments(ncaps, caps);
    if (strncmp(args, "worker ", 7) == 0)
        return (int)worker_main(args + 7, ncaps, caps);
    if (strncmp(args, "child ", 6) == 0)
        return (int)child_main(args + 6, ncaps, caps);
    return (int)top_main(args, console_handle);
}
