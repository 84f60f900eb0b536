// ipcecho: answers every message on its one capability (caps[0], a
// channel end) with an empty one, until the other end closes. Each answer
// is a chan_call: reply, and wait for the next call, in one system call.
#include "syscall.h"

static uint64_t ep;

static long called(long arg, long value) {
    if (value <= 0)
        return 0;  // E_CLOSED: the caller is gone
    chan_call(ep, 0, called, 0);
    return 0;  // the reply could not be sent: the caller is gone
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps != 1)
        return 1;
    ep = caps[0];
    return cont_wait_recv(ep, called, 0);
}
