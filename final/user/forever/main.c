// forever: wakes every 10 ticks and never ends (the shell's `kill` test
// runs it in the background).
#include "syscall.h"

static long tick(long arg, long now) { return cont_wait_time(10, tick, 0); }

int main(void) { return cont_wait_time(10, tick, 0); }
