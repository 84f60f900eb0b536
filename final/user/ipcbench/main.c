// ipcbench: the cost of a call and its reply between two programs: send
// an empty message to user/ipcecho and wait for its reply, in one system
// call (chan_call); the reply arrives received, on top of the stack of
// the continuation it wakes. Instructions per round trip, as the exit
// code, for `make bench` (ipc_call_reply).
#include <stdint.h>
#include "syscall.h"

#define ROUNDS 1000

static uint64_t ends[2], start;  // ends[0]: ours; ends[1] goes to ipcecho
static long rounds;

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static long replied(long arg, long value) {
    if (value <= 0)
        return 1;  // no reply: ipcecho ended
    if (++rounds == ROUNDS) {
        long per = (long)((rdtsc() - start) / ROUNDS);
        cap_drop(ends[0]);  // ipcecho sees E_CLOSED and ends
        exit(per);
    }
    return chan_call(ends[0], 0, replied, 0) == 0 ? 2 : 3;  // returns only on an error
}

int main(int ncaps, const uint64_t *caps) {
    if (channel_new(ends) != 0)
        return 3;
    struct spawn_cap give[1] = {{ends[1], SPAWN_MOVE}};
    long child = spawn("ipcecho", give, 1);
    if (child < 0)
        return 4;
    cap_drop((uint64_t)child);
    start = rdtsc();
    chan_call(ends[0], 0, replied, 0);
    return 5;
}
