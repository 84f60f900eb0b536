// trace.h: a record of what the continuations did (final/, trace.c).
//
// When recording is on, the kernel notes each step of a continuation's
// life in a ring of TRACE_RING events: made (new), waiting (wait), made
// runnable (ready: queued, or woken by a message), run (run), returned (end), its program's end
// (exit), and what travelled between programs (send, recv, and one cap event per capability that
// moved). docs/trace.md gives the line format, and tools/trace turns a dump into a Graphviz
// picture.
//
// Recording is off unless `trace` is on the command line or the shell's
// `trace on` asks for it. Off, each hook below is a compare and a branch
// (the inline test of trace_recording).
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct cap;
struct cont;
struct proc;

extern bool trace_recording;

// Reads `trace=` from the command line (kmain calls it before the actions).
void trace_init(void);
// Turn recording on (the ring starts empty, numbering from 0) or off: 0,
// or E_NOMEM when the ring's memory (taken the first time) is not there.
int trace_set(bool on);
// The line of the oldest recorded event numbered `seq` or later, written
// into buf (at least TRACE_LINE_MAX bytes, no newline): its number, or -1
// when there is none.
int64_t trace_line(uint64_t seq, char *buf, uint64_t len);
// Print every recorded event (at power-off, when recording is on).
void trace_dump(void);
// trace(power, mode): the system call (abi.h).
int64_t sys_trace(uint64_t power, uint64_t mode, uint64_t unused1, uint64_t unused2);

// The kinds of event (docs/trace.md).
enum trace_kind {
    TRACE_NEW,    // a record made for the running program (or a program's main)
    TRACE_WAIT,   // it waits: for time, input, a process's end or a message
    TRACE_READY,  // it became runnable (queued, or woken)
    TRACE_RUN,    // the dispatcher entered it
    TRACE_END,    // the running continuation returned 0; its program goes on
    TRACE_EXIT,   // a program ended (exited or killed)
    TRACE_SEND,   // a message was queued at an endpoint
    TRACE_RECV,   // a message was taken from an endpoint
    TRACE_CAP,    // one capability changed hands (spawn, send, recv)
};

// How a capability moved (TRACE_CAP's `how`).
enum trace_how { TRACE_HOW_SPAWN, TRACE_HOW_SPAWN_MOVE, TRACE_HOW_SEND, TRACE_HOW_RECV };

void trace_record_cont(enum trace_kind kind, struct cont *c, uint64_t value);
// on: what it waits for, cont.h's WAIT_TIME, _INPUT, _PROC or channel.h's WAIT_MSG.
void trace_record_wait(struct cont *c, int on, uint64_t object);
void trace_record_ready(struct cont *c);
struct cont *trace_record_new(struct cont *c) __attribute__((returns_nonnull));  // c
void trace_record_end(struct proc *p, uint64_t value);
void trace_record_exit(struct proc *p, int state, int64_t code);
// A send or recv, then a cap event for each capability it moved (NULL:
// one revoked while queued, which moves nothing).
void trace_record_msg(enum trace_kind kind, struct proc *p, const void *endpoint,
                      struct cap *const *caps, uint64_t ncaps);
void trace_record_cap(struct proc *to, struct proc *from, enum trace_how how, const struct cap *c);

// The hooks, as the kernel's files call them: nothing but a test when off.
// Returns c, so that a caller may end with it (then nothing is kept for it).
static inline struct cont *trace_new(struct cont *c) {
    return __builtin_expect(trace_recording, 0) ? trace_record_new(c) : c;
}
// Before sched_ready, which forgets what c waited for.
static inline void trace_ready(struct cont *c) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_ready(c);
}
static inline void trace_wait(struct cont *c, int on, uint64_t object) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_wait(c, on, object);
}
static inline void trace_end(struct proc *p, uint64_t value) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_end(p, value);
}
static inline void trace_exit(struct proc *p, int state, int64_t code) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_exit(p, state, code);
}
static inline void trace_msg(enum trace_kind kind, struct proc *p, const void *endpoint,
                             struct cap *const *caps, uint64_t ncaps) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_msg(kind, p, endpoint, caps, ncaps);
}
static inline void trace_cap(struct proc *to, struct proc *from, enum trace_how how,
                             const struct cap *c) {
    if (__builtin_expect(trace_recording, 0))
        trace_record_cap(to, from, how, c);
}
