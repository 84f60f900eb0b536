// ipcecho: answers every message on its one capability (caps[0], a
// channel end) with an empty one, until the other end closes.
#include "syscall.h"

static uint64_t ep;

static long called(long arg, long value) {
    struct msg m;
    if (value == E_CLOSED)
        return 0;
    while (chan_recv(ep, &m) == 0) {
        struct msg reply = {0};
        if (chan_send(ep, &reply) != 0)
            return 0;
    }
    return cont_wait_msg(ep, called, 0);
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps != 1)
        return 1;
    ep = caps[0];
    return cont_wait_msg(ep, called, 0);
}
