// callee: the other side of calltest: answers each call on its one
// capability (caps[0], a channel end) with chan_call, which sends the
// answer and waits for the next call in one system call. An empty call
// gets an empty answer (the kernel's fast path); a call with words gets
// words[0] + 1 and, when it carried a region, the region's frame.
#include "syscall.h"

static uint64_t ep;

static long called(long arg, long value) {
    if (value <= 0)
        return 0;  // E_CLOSED: the caller is gone
    const struct msg *m = (const struct msg *)value;
    if (m->words[0] == 0 && m->ncaps == 0)
        return chan_call(ep, 0, called, 0) == E_CLOSED ? 0 : 2;
    struct msg answer = {.words = {m->words[0] + 1}};
    if (m->ncaps == 1 && cap_type(m->caps[0]) >= 0)
        answer.words[1] = (uint64_t)region_phys(m->caps[0]);
    return chan_call(ep, &answer, called, 0) == E_CLOSED ? 0 : 3;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps != 1)
        return 1;
    ep = caps[0];
    return cont_wait_recv(ep, called, 0);
}
