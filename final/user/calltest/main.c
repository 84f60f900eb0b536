// calltest: chan_call and cont_wait_recv (final/): a call sends and waits
// in one system call and its answer arrives received, on top of the stack
// of the continuation it wakes; the errors leave the caller running with
// nothing sent and nothing waiting; 200 empty calls to user/callee (the
// kernel's fast path) are each answered; the other end closing wakes a
// waiting receiver with E_CLOSED.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define EMPTY_CALLS 200

static uint64_t console, own[2], ends[2], child, region_frame;
static long empty_answers;

static long never(long arg, long value) { return 9; }  // a call that failed must not run this

static void errors(void) {
    struct msg m = {0};
    CHECK(chan_call(0, &m, never, 0) == E_BADHANDLE, "a call on handle 0: E_BADHANDLE");
    CHECK(chan_call(console, 0, never, 0) == E_TYPE, "a call on a console: E_TYPE");
    uint64_t e[2];
    channel_new(e);
    CHECK(chan_call(e[0], (struct msg *)0xffff800000000000ul, never, 0) == E_FAULT,
          "a call with its message in kernel memory: E_FAULT");
    m.ncaps = 1;
    m.caps[0] = e[0];
    CHECK(chan_call(e[0], &m, never, 0) == E_INVAL, "a call carrying its own end: E_INVAL");
    cap_drop(e[1]);
    CHECK(chan_call(e[0], 0, never, 0) == E_CLOSED, "a call to a closed end: E_CLOSED");
    uint64_t ro = (uint64_t)cap_derive(e[0], CAP_READ, 0, 0);
    CHECK(chan_call(ro, 0, never, 0) == E_RIGHTS, "a call without CAP_WRITE: E_RIGHTS");
    cap_drop(ro);
    cap_drop(e[0]);
}

static long closed(long arg, long value) {
    CHECK(value == E_CLOSED, "cont_wait_recv at an end whose peer is gone: E_CLOSED");
    cap_drop(own[1]);
    return checks_done();
}

static long callee_ended(long arg, long value) {
    struct proc_status st;
    CHECK(value == PROC_EXITED && proc_status(child, &st) == 0 && st.code == 0,
          "the callee, waiting in its call, got E_CLOSED and ended with 0");
    cap_drop(child);
    channel_new(own);
    cap_drop(own[0]);
    return cont_wait_recv(own[1], closed, 0);
}

static long answered_empty(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    if (value > 0 && m->words[0] == 0 && m->ncaps == 0)
        empty_answers++;
    if (arg < EMPTY_CALLS)
        return chan_call(ends[0], 0, answered_empty, arg + 1) == 0 ? 4 : 5;
    CHECK(empty_answers == EMPTY_CALLS, "200 empty calls, each answered with an empty message");
    cap_drop(ends[0]);
    return cont_wait_proc(child, callee_ended, 0);
}

static long answered_words(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    CHECK(value > 0 && (value & 15) == 0, "the answer arrives as a message on the stack");
    CHECK(value > 0 && m->words[0] == 42 && m->ncaps == 0, "the answer to 41 is 42");
    CHECK(value > 0 && m->words[1] == region_frame,
          "the region sent with the call reached the callee (the same frame)");
    return chan_call(ends[0], 0, answered_empty, 1) == 0 ? 6 : 7;
}

static long received(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    CHECK(value > 0 && m->words[0] == 7 && m->words[3] == 10 && m->ncaps == 0,
          "cont_wait_recv: the message is received for the continuation");
    struct msg none;
    CHECK(chan_recv(own[1], &none) == E_EMPTY, "... and no longer queued");
    cap_drop(own[0]);
    cap_drop(own[1]);
    channel_new(ends);
    struct spawn_cap give[1] = {{ends[1], SPAWN_MOVE}};
    child = (uint64_t)spawn("callee", give, 1);
    CHECK((long)child > 0, "the callee is spawned");
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    region_frame = (uint64_t)region_phys((uint64_t)r);
    struct msg call = {.words = {41}, .caps = {(uint64_t)r}, .ncaps = 1};
    chan_call(ends[0], &call, answered_words, 0);
    CHECK(false, "a call that works does not return");
    return 1;
}

int main(int ncaps, const uint64_t *caps) {
    console = console_handle;
    errors();
    channel_new(own);
    struct msg m = {.words = {7, 8, 9, 10}};
    chan_send(own[0], &m);
    return cont_wait_recv(own[1], received, 0);
}
