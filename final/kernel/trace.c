// trace.c: the continuation trace (final/): a ring of events, each step
// of a continuation's life and each capability that changed hands.
//
// Owns: the ring, the on/off switch, the text of an event (the one line
// format of docs/trace.md, for the shell's `trace dump` through sysinfo
// and for the dump at power-off), and the system call trace(power, mode).
//
// Where the events come from (one line in each place):
//   new    contsys.c (cont_new_for_caller), proc.c (a program's main)
//   wait   contsys.c (wait_time, wait_input, wait_proc), channel.c (wait_msg)
//   ready  channel.c: a record woken by a message (or a closed end); a
//          record queued (a new with no wait after it) and a wake by
//          time, input or a process's end are not events of their own:
//          the record's run follows its new or its wait
//   run    sched.c's dispatcher, through the sched_watch pointer (cont.h)
//   end    contsys.c (cont_return with 0, the program going on; any
//          other return ends the program, and its exit says so)
//   exit   proc.c (proc_end)
//   send, recv, cap   channel.c (chan_send, chan_recv), spawn.c (hand_on)
// Off, each of them is a test of trace_recording (trace.h), out of the
// way of the common path, and sched_watch is NULL: a few instructions a
// continuation (docs/trace.md gives the figures).
//
// A record's address names a continuation in the trace: from its `new` to
// its `run` (when the record is freed and may be reused) it is the same
// continuation. The tools/trace script follows that rule.
//
// Relies on cap, proc (names, pids, the image's base), cont (sched_watch),
// cmdline (`trace`), panic (power_off_hook), uaccess (sysinfo's buffer).
#include "trace.h"
#include "abi.h"
#include "cap.h"
#include "cmdline.h"
#include "cont.h"
#include "frame.h"
#include "kprintf.h"
#include "memlayout.h"
#include "panic.h"
#include "proc.h"
#include "region.h"
#include "string.h"
#include "syscall.h"

// One event; what x, y, z and w hold depends on the kind (format_event).
struct trace_event {
    uint64_t seq;
    uint32_t kind;
    int32_t pid;    // the program it concerns
    char name[16];  // that program's name, kept: the program may be gone
    uint64_t cont;  // the record (new, wait, ready, run), else 0
    uint64_t x, y, z, w;
};

bool trace_recording;
// Frames of its own, taken the first time recording starts and kept (a
// dump may come after `trace off`): a kernel that never traces pays
// nothing, not even the memory.
static struct trace_event *ring;
#define RING_ORDER 4  // 2^4 frames: 64 KiB, room for TRACE_RING events
_Static_assert(TRACE_RING * sizeof(struct trace_event) <= (PAGE_SIZE << RING_ORDER),
               "the ring does not fit its frames");
static uint64_t next_seq;  // the number the next event gets; ring[seq % TRACE_RING]

static struct trace_event *record(enum trace_kind kind, struct proc *p) {
    struct trace_event *e = &ring[next_seq % TRACE_RING];
    *e = (struct trace_event){.seq = next_seq++, .kind = kind};
    if (p) {
        e->pid = p->pid;
        strlcpy(e->name, p->name, sizeof e->name);
    }
    return e;
}

// fn as an address in the program's ELF file (its image's base taken
// off), so that a trace reads the same on every boot; 0 (main) stays 0.
static uint64_t fn_in_image(struct proc *p, uint64_t fn) {
    for (int i = 0; i < p->nregions; i++) {
        const struct proc_region *r = &p->regions[i];
        if (r->kind == REGION_IMAGE && fn >= r->va && fn < r->va + r->size)
            return fn - r->va;
    }
    return fn;
}

void trace_record_cont(enum trace_kind kind, struct cont *c, uint64_t value) {
    struct trace_event *e = record(kind, c->proc);
    e->cont = (uint64_t)c;
    e->x = fn_in_image(c->proc, c->fn);
    e->y = c->arg;
    e->z = value;
}

struct cont *trace_record_new(struct cont *c) {
    trace_record_cont(TRACE_NEW, c, 0);
    return c;
}

void trace_record_wait(struct cont *c, int on, uint64_t object) {
    struct trace_event *e = record(TRACE_WAIT, c->proc);
    e->cont = (uint64_t)c;
    e->x = (uint64_t)on;
    e->y = object;
}

void trace_record_end(struct proc *p, uint64_t value) { record(TRACE_END, p)->x = value; }

void trace_record_exit(struct proc *p, int state, int64_t code) {
    struct trace_event *e = record(TRACE_EXIT, p);
    e->x = (uint64_t)state;
    e->y = (uint64_t)code;
}

void trace_record_msg(enum trace_kind kind, struct proc *p, const void *endpoint,
                      struct cap *const *caps, uint64_t ncaps) {
    struct trace_event *e = record(kind, p);
    e->x = (uint64_t)endpoint;
    e->y = ncaps;
    enum trace_how how = kind == TRACE_SEND ? TRACE_HOW_SEND : TRACE_HOW_RECV;
    for (uint64_t i = 0; i < ncaps; i++)
        if (caps[i])
            trace_record_cap(p, p, how, caps[i]);
}

void trace_record_cap(struct proc *to, struct proc *from, enum trace_how how, const struct cap *c) {
    struct trace_event *e = record(TRACE_CAP, to);
    e->x = (uint64_t)how | (uint64_t)(from ? from->pid : 0) << 32;
    e->y = (uint64_t)c->obj->type | (uint64_t)c->rights << 8;
    e->z = c->obj->type == OBJ_REGION ? ((struct region *)c->obj)->va + c->offset : 0;
    e->w = c->obj->type == OBJ_REGION ? c->length : 0;
}

void trace_record_ready(struct cont *c) {
    struct trace_event *e = record(TRACE_READY, c->proc);
    e->cont = (uint64_t)c;
    e->x = c->wait;  // what it waited for: WAIT_NONE when queued
    e->y = c->word;  // the value it will be given
}

// The dispatcher's watcher (cont.h): a record about to run.
static void watch(struct cont *c) { trace_record_cont(TRACE_RUN, c, c->word); }

// --- Text. ---------------------------------------------------------------------

static const char *const kind_names[] = {"new",  "wait", "ready", "run", "end",
                                         "exit", "send", "recv",  "cap"};
static const char *const wait_names[] = {"queue", "time", "input", "proc", "msg"};
static const char *const how_names[] = {"spawn", "move", "send", "recv"};
static const char *const type_names[] = {"?", "region", "process", "console", "channel", "power"};

static const char *name_of(const char *const *names, uint64_t n, uint64_t i) {
    return i < n ? names[i] : "?";
}
#define NAME(names, i) name_of(names, sizeof names / sizeof names[0], i)

static void format_event(const struct trace_event *e, char *buf, uint64_t len) {
    int n = snprintf(buf, len, "trace: %lu %s pid=%d prog=%s", e->seq, NAME(kind_names, e->kind),
                     e->pid, e->name[0] ? e->name : "-");
    if (n < 0 || (uint64_t)n >= len)
        return;
    buf += n;
    len -= (uint64_t)n;
    switch (e->kind) {
    case TRACE_NEW: snprintf(buf, len, " c=%lx fn=0x%lx arg=0x%lx", e->cont, e->x, e->y); break;
    case TRACE_WAIT:
        snprintf(buf, len, " c=%lx on=%s obj=0x%lx", e->cont, NAME(wait_names, e->x), e->y);
        break;
    case TRACE_READY:
        snprintf(buf, len, " c=%lx why=%s value=%ld", e->cont, NAME(wait_names, e->x),
                 (int64_t)e->y);
        break;
    case TRACE_RUN:
        snprintf(buf, len, " c=%lx fn=0x%lx arg=0x%lx value=%ld", e->cont, e->x, e->y,
                 (int64_t)e->z);
        break;
    case TRACE_END: snprintf(buf, len, " value=%ld", (int64_t)e->x); break;
    case TRACE_EXIT:
        snprintf(buf, len, " how=%s code=%ld", e->x == PROC_EXITED ? "exit" : "killed",
                 (int64_t)e->y);
        break;
    case TRACE_SEND:
    case TRACE_RECV: snprintf(buf, len, " ep=%lx caps=%lu", e->x, e->y); break;
    case TRACE_CAP: {
        uint64_t rights = e->y >> 8;
        snprintf(buf, len, " from=%lu how=%s type=%s rights=%c%c%c%c base=0x%lx len=%lu",
                 e->x >> 32, NAME(how_names, e->x & 0xffffffff), NAME(type_names, e->y & 0xff),
                 rights & CAP_READ ? 'r' : '-', rights & CAP_WRITE ? 'w' : '-',
                 rights & CAP_EXEC ? 'x' : '-', rights & CAP_GRANT ? 'g' : '-', e->z, e->w);
        break;
    }
    }
}

static uint64_t oldest_seq(void) { return next_seq > TRACE_RING ? next_seq - TRACE_RING : 0; }

int64_t trace_line(uint64_t seq, char *buf, uint64_t len) {
    if (seq < oldest_seq())
        seq = oldest_seq();
    if (seq >= next_seq)
        return -1;
    format_event(&ring[seq % TRACE_RING], buf, len);
    return (int64_t)seq;
}

void trace_dump(void) {
    uint64_t first = oldest_seq();
    kprintf("trace: dump of %lu events (%lu lost)\n", next_seq - first, first);
    char line[TRACE_LINE_MAX];
    for (uint64_t seq = first; seq < next_seq; seq++) {
        format_event(&ring[seq % TRACE_RING], line, sizeof line);
        kprintf("%s\n", line);
    }
    kprintf("trace: end of dump\n");
}

// --- Switching it. ---------------------------------------------------------------

int trace_set(bool on) {
    if (on && !ring) {
        uint64_t frames = frame_alloc_order(RING_ORDER);
        if (!frames)
            return E_NOMEM;
        ring = phys_to_virt(frames);
    }
    if (on && !trace_recording)
        next_seq = 0;  // a fresh start: the ring is empty
    trace_recording = on;
    sched_watch = on ? watch : NULL;
    power_off_hook = on ? trace_dump : NULL;
    return 0;
}

int64_t sys_trace(uint64_t power, uint64_t mode, uint64_t unused1, uint64_t unused2) {
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, power, OBJ_POWER, CAP_WRITE, &c);
    if (err)
        return err;
    if (mode != TRACE_OFF && mode != TRACE_ON)
        return E_INVAL;
    int64_t was = trace_recording ? TRACE_ON : TRACE_OFF;
    err = trace_set(mode == TRACE_ON);
    return err ? err : was;
}
SYSCALL(SYS_TRACE, sys_trace);

void trace_init(void) {
    const char *value = cmdline_get("trace");
    bool bare = cmdline_has("trace") && !value;
    if ((bare || (value && strcmp(value, "1") == 0)) && trace_set(true) != 0)
        kprintf("trace: no memory for the ring; not recording\n");
    else if (value && strcmp(value, "0") != 0)
        kprintf("trace: trace=%s ignored (trace or trace=1: on, trace=0: off)\n", value);
}
CMDLINE_KEY(trace, "trace or trace=1: record continuation events from boot, dump them at power-off",
            NULL);
