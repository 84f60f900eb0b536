// callstale: what a call's fast path (call_direct in kernel/channel.c)
// must still check, in one program that is both ends of a channel.
//
// A continuation waits to receive at end B, then its program drops the
// handle it waits with, keeping B open through a second handle. An empty
// call from end A, with nothing else runnable, must not hand that
// continuation the message (its handle is gone): it starts with
// E_BADHANDLE and the message stays queued at B. Then a call made while a
// message already waits for the caller: the callee woken by the call and
// the caller's own continuation both run, each with its message.
#include "check.h"
#include "syscall.h"

static uint64_t first[2], ends[2], b2;

static long callee(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    CHECK(value > 0 && m->words[0] == 0 && m->ncaps == 0,
          "the callee woken by a call receives its empty message");
    return 0;
}

static long after(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    CHECK(value > 0 && m->words[0] == 9,
          "a call made with a message already queued for the caller: the caller gets it");
    cap_drop(ends[0]);
    cap_drop(b2);
    return checks_done();
}

static long answered(long arg, long value) {
    const struct msg *m = (const struct msg *)value;
    CHECK(value > 0 && m->words[0] == 5, "the caller's wait gets the answer sent to it");
    cont_wait_recv(b2, callee, 0);
    struct msg nine = {.words = {9}};
    chan_send(b2, &nine);  // queued for the caller before it calls
    return chan_call(ends[0], 0, after, 0) == 0 ? 2 : 3;
}

static long stale(long arg, long value) {
    CHECK(value == E_BADHANDLE,
          "a receiver whose handle was dropped while it waited starts with E_BADHANDLE");
    struct msg m = {.words = {1}};
    CHECK(chan_recv(b2, &m) == 0 && m.words[0] == 0 && m.ncaps == 0,
          "... and the call's message stays queued for the end's other handle");
    struct msg five = {.words = {5}};
    CHECK(chan_send(b2, &five) == 0, "an answer to the waiting caller is sent");
    return 0;
}

// The stack has received a message (first's), so the fast path knows
// where a message would go: only the handle check can send the call on.
static long started(long arg, long value) {
    cap_drop(first[0]);
    cap_drop(first[1]);
    channel_new(ends);
    b2 = (uint64_t)cap_derive(ends[1], CAP_READ | CAP_WRITE, 0, 0);
    CHECK((long)b2 > 0, "a second handle to end B");
    cont_wait_recv(ends[1], stale, 0);
    cap_drop(ends[1]);  // the handle the receiver waits with
    return chan_call(ends[0], 0, answered, 0) == 0 ? 4 : 5;
}

int main(int ncaps, const uint64_t *caps) {
    channel_new(first);
    struct msg m = {.words = {1}};
    chan_send(first[0], &m);
    return cont_wait_recv(first[1], started, 0);
}
