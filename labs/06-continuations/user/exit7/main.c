// exit7: waits two ticks, then exits with 7 (for waitproc).
#include "syscall.h"

static long later(long arg, long now) { exit(7); }

int main(void) { return cont_wait_time(2, later, 0); }
