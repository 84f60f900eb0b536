// sleeper: waits two ticks, then ends (the kernel's stack tests start a
// thousand of these at once). Two, so that the tick that wakes it comes
// while the dispatcher is idle, whatever the first one interrupted.
#include "syscall.h"

static long woke(long arg, long now) { return 0; }

int main(void) { return cont_wait_time(2, woke, 0); }
