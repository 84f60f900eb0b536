// sleeper: waits one tick, then ends (the kernel's stack tests start a
// thousand of these at once).
#include "syscall.h"

static long woke(long arg, long now) { return 0; }

int main(void) { return cont_wait_time(1, woke, 0); }
