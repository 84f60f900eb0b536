// child.c: usertests as a child: one case, or a helper role another case
// needs (a program to wait for, to kill, to nest, to hand handles to).
//
// main decides which side this program is: a child's second capability
// is its role page (usertests.h), a region whose first word is
// ROLE_MAGIC, as in lab 06 (so that lab 06's cases run before channels
// do); the runner is started by run= (the console only) or by the shell
// (caps[1]: its arguments, a region).
#include "usertests.h"

#define ROLE_MAGIC 0x7573657274657374ul  // "usertest"
struct role_page {
    uint64_t magic, role, a, b;
};

uint64_t console;
int case_number;
long case_depth;
static uint64_t given[4];  // the capabilities spawn_role moved to it
static int ngiven;
static uint64_t role_region;
static uint64_t kept_page;  // the runner's one role page (role_page_keep)

int role_page_keep(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    if (r > 0)
        kept_page = (uint64_t)r;
    return r < 0 ? (int)r : 0;
}

struct sys_mem mem_now(void) {
    struct sys_mem m = {0};
    sysinfo(SYSINFO_MEM, 0, &m, sizeof m);
    return m;
}

long live_programs(void) {
    struct sys_proc p;
    long n = 0;
    while (sysinfo(SYSINFO_PROC, n, &p, sizeof p) == 0)
        n++;
    return n;
}

long spawn_role(long role, long a, long b, const uint64_t *give, int ngive) {
    if (ngive < 0 || ngive > 4)
        return E_INVAL;
    long r = kept_page ? (long)kept_page : region_new(4096, CAP_READ | CAP_WRITE);
    if (r < 0)
        return r;
    struct role_page *page = (struct role_page *)region_at((uint64_t)r);
    *page = (struct role_page){ROLE_MAGIC, (uint64_t)role, (uint64_t)a, (uint64_t)b};
    // A page of its own moves to the child; the kept one is lent (a copy).
    struct spawn_cap caps[6] = {{console, 0}, {(uint64_t)r, kept_page ? 0 : SPAWN_MOVE}};
    for (int i = 0; i < ngive; i++)
        caps[2 + i] = (struct spawn_cap){give[i], SPAWN_MOVE};
    long h = spawn("usertests", caps, (unsigned long)(2 + ngive));
    if (h < 0 && !kept_page)
        cap_drop((uint64_t)r);  // (what was to be given stays here)
    return h;
}

// The role page behind a handle, or NULL when it is not one.
static const struct role_page *role_page_of(uint64_t handle) {
    struct cap_info info;
    if (cap_inspect(handle, &info) != 0 || info.type != OBJ_REGION || info.length < 4096 ||
        !(info.rights & CAP_READ))
        return NULL;
    const struct role_page *page = (const struct role_page *)info.base;
    return page->magic == ROLE_MAGIC ? page : NULL;
}

// --- Helper roles. ---------------------------------------------------------------

static uint64_t nest_child;
static long nest_done(long arg, long state) {
    struct proc_status st;
    proc_status(nest_child, &st);
    return st.code;  // the depth the deepest one reached, passed up
}

static long start_nest(long depth) {
    long h = spawn_role(ROLE_NEST, depth + 1, 0, NULL, 0);
    if (h == E_LIMIT)
        return depth;
    if (h < 0)
        return 100 - h;
    nest_child = (uint64_t)h;
    return cont_wait_proc(nest_child, nest_done, 0);
}

// Another program's handle values name nothing of this one's, unless a
// value happens to be one of its own (the console, the role page): each
// is stale, empty, or out of its table.
static long foreign(const uint64_t *handles, int n) {
    for (int i = 0; i < n; i++) {
        if (handles[i] == console || handles[i] == role_region)
            continue;
        struct cap_info info;
        if (cap_type(handles[i]) != E_BADHANDLE || cap_inspect(handles[i], &info) != E_BADHANDLE ||
            cap_drop(handles[i]) != E_BADHANDLE)
            return 1;
    }
    return 0;
}

static uint64_t base;
static long touch_again(long arg, long value) {
    *(volatile uint64_t *)base += 1;  // faults once the region is revoked
    return cont_wait_time(1, touch_again, 0);
}

static long touch(void) {
    base = region_at(given[0]);
    *(volatile uint64_t *)base = 1;
    struct msg m = {.words = {base}};
    chan_send(given[1], &m);  // "I have written it"
    return cont_wait_time(1, touch_again, 0);
}

// Wait for everything a program can wait for, then say so and wait to be
// killed: the kill must free every record.
static long sleep_forever(void) {
    cont_wait_time(FOREVER, noop, 0);
    cont_wait_input(noop, 0);
    uint64_t e[2];
    channel_new(e);
    uint64_t hold[1] = {e[1]};  // the grandchild waits on e[1]: it ends when this one does
    long child = spawn_role(ROLE_AWAIT, 0, 0, hold, 1);
    if (child > 0)
        cont_wait_proc((uint64_t)child, noop, 0);
    cont_wait_msg(e[0], noop, 0);
    struct msg m = {.words = {1}};
    if (given[0])
        chan_send(given[0], &m);
    return 0;
}

// Two more for each one run (until E_LIMIT), and a thousand timers with
// scattered deadlines: a program with much queued, killed.
static long flood(long arg, long value) {
    cont_queue(flood, 0);
    cont_queue(flood, 0);
    return 0;
}

static long start_flood(void) {
    for (long i = 0; i < 1000; i++)
        cont_wait_time((i * 7919) % 600 + 1, noop, 0);
    return flood(0, 0);
}

// A process handle arrives (its own, as it happens): kill it.
static long kill_received(long arg, long value) {
    struct msg m;
    if (chan_recv(given[0], &m) != 0 || m.ncaps != 1)
        return 94;
    kill(m.caps[0]);
    return 95;  // not reached when the handle was its own
}

static int child_main(const struct role_page *page) {
    uint64_t words[2] = {page->a, page->b};
    switch (page->role) {
    case ROLE_CASE:
        if (page->a >= (uint64_t)ncases)
            return 91;
        case_number = (int)page->a + 1;
        case_depth = (long)page->b;
        return (int)cases[page->a].fn();
    case ROLE_EXIT: return (int)page->a;
    case ROLE_SLEEP: return (int)sleep_forever();
    case ROLE_NEST: return (int)start_nest((long)page->a);
    case ROLE_FOREIGN: return (int)foreign(words, 2);
    case ROLE_TOUCH: return (int)touch();
    case ROLE_IDLE: return (int)cont_wait_time(FOREVER, noop, 0);
    case ROLE_FLOOD: return (int)start_flood();
    case ROLE_KILLSELF: return (int)cont_wait_msg(given[0], kill_received, 0);
    case ROLE_AWAIT: return (int)cont_wait_msg(given[0], noop, 0);
    case ROLE_DOOMED: return (int)role_doomed((long)page->a);
    case ROLE_CROWDED: return (int)role_crowded();
    case ROLE_SCRIBBLE: return ngiven ? (int)role_scribble(given[0]) : 97;
    case ROLE_LATER: return (int)role_later((long)page->a, (long)page->b);
    }
    return 92;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps < 1 || cap_type(caps[0]) >> 8 != OBJ_CONSOLE)
        return 93;  // neither a child nor a runner: spawned by a case as a bare program
    console = caps[0];
    const struct role_page *page = ncaps >= 2 ? role_page_of(caps[1]) : NULL;
    if (!page)
        return runner_main(ncaps >= 2 ? caps[1] : 0);
    role_region = caps[1];
    for (int i = 2; i < ncaps && ngiven < 4; i++)
        given[ngiven++] = caps[i];
    return child_main(page);
}
