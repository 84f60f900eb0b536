// child.c: usertests as a child: one case, or a helper role another case
// needs (a program to wait for, to kill, to nest, to hand handles to).
//
// main decides which side this program is: a child is given a channel end
// (caps[1]) with one message queued on it, saying its role; the runner is
// started by run= (the console only) or by the shell (caps[1]: its
// arguments, a region).
#include "usertests.h"

uint64_t console;
int case_number;
long case_depth;
static uint64_t given[CHAN_MAX_CAPS];  // the capabilities the message brought

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
    uint64_t e[2];
    long err = channel_new(e);
    if (err)
        return err;
    struct msg m = {.words = {(uint64_t)role, (uint64_t)a, (uint64_t)b}, .ncaps = (uint64_t)ngive};
    for (int i = 0; i < ngive; i++)
        m.caps[i] = give[i];
    err = chan_send(e[0], &m);
    cap_drop(e[0]);  // the message stays queued at e[1]
    if (err) {
        cap_drop(e[1]);
        return err;
    }
    struct spawn_cap caps[2] = {{console, 0}, {e[1], SPAWN_MOVE}};
    long h = spawn("usertests", caps, 2);
    if (h < 0)
        cap_drop(e[1]);  // (with it the message, and what it carried)
    return h;
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

// Another program's handle values name nothing of this one's (its table
// holds the console alone): each is stale, empty, or out of its table.
static long foreign(const uint64_t *words) {
    for (int i = 1; i < 4; i++) {
        if (words[i] == console)
            continue;  // slot 0, generation 1: its own console too
        struct cap_info info;
        if (cap_type(words[i]) != E_BADHANDLE || cap_inspect(words[i], &info) != E_BADHANDLE ||
            cap_drop(words[i]) != E_BADHANDLE)
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

int child_main(uint64_t endpoint) {
    struct msg m;
    if (chan_recv(endpoint, &m) != 0)
        return 90;
    cap_drop(endpoint);
    for (uint64_t i = 0; i < m.ncaps && i < CHAN_MAX_CAPS; i++)
        given[i] = m.caps[i];
    switch (m.words[0]) {
    case ROLE_CASE:
        if (m.words[1] >= (uint64_t)ncases)
            return 91;
        case_number = (int)m.words[1] + 1;
        case_depth = (long)m.words[2];
        return (int)cases[m.words[1]].fn();
    case ROLE_EXIT: return (int)m.words[1];
    case ROLE_SLEEP: return (int)sleep_forever();
    case ROLE_NEST: return (int)start_nest((long)m.words[1]);
    case ROLE_FOREIGN: return (int)foreign(m.words);
    case ROLE_TOUCH: return (int)touch();
    case ROLE_IDLE: return (int)cont_wait_time(FOREVER, noop, 0);
    case ROLE_FLOOD: return (int)start_flood();
    case ROLE_KILLSELF: return (int)cont_wait_msg(given[0], kill_received, 0);
    case ROLE_AWAIT: return (int)cont_wait_msg(given[0], noop, 0);
    case ROLE_DOOMED: return (int)role_doomed((long)m.words[1]);
    case ROLE_CROWDED: return (int)role_crowded();
    case ROLE_SCRIBBLE: return (int)role_scribble(given[0]);
    case ROLE_LATER: return (int)role_later((long)m.words[1], (long)m.words[2]);
    }
    return 92;
}

int main(int ncaps, const uint64_t *caps) {
    console = caps[0];
    if (ncaps >= 2 && cap_type(caps[1]) >> 8 == OBJ_CHANNEL)
        return child_main(caps[1]);
    if (ncaps < 1 || cap_type(caps[0]) >> 8 != OBJ_CONSOLE)
        return 93;  // neither a child nor a runner: spawned by a case as a bare program
    return runner_main(ncaps >= 2 ? caps[1] : 0);
}
