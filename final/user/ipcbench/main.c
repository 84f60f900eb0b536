// ipcbench: the cost of a call and its reply between two programs: send
// an empty message to user/ipcecho, wait for its reply, receive it.
// Instructions per round trip, as the exit code, for `make bench`
// (ipc_call_reply).
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
    struct msg m;
    if (value < 1 || chan_recv(ends[0], &m) != 0)
        return 1;
    if (++rounds == ROUNDS) {
        long per = (long)((rdtsc() - start) / ROUNDS);
        cap_drop(ends[0]);  // ipcecho sees E_CLOSED and ends
        exit(per);
    }
    struct msg call = {0};
    if (chan_send(ends[0], &call) != 0)
        return 2;
    return cont_wait_msg(ends[0], replied, 0);
}

int main(int ncaps, const uint64_t *caps) {
    if (channel_new(ends) != 0)
        return 3;
    struct spawn_cap give[1] = {{ends[1], SPAWN_MOVE}};
    long child = spawn("ipcecho", give, 1);
    if (child < 0)
        return 4;
    cap_drop((uint64_t)child);
    struct msg call = {0};
    start = rdtsc();
    if (chan_send(ends[0], &call) != 0)
        return 5;
    return cont_wait_msg(ends[0], replied, 0);
}
