// faulter: waits two ticks, then reads address 0 and is killed (for waitproc).
#include "syscall.h"

static long later(long arg, long now) { return *(volatile long *)0; }

int main(void) { return cont_wait_time(2, later, 0); }
