// more.c: lab 06's share of sysfuzz's calls (calls.c asks): which calls
// only look at a handle, which wait for an object, and what the turns
// final/ gives to channels do here: more derives, looks and waits.
// final/ has its own more.c, with channels, sysinfo, kill and poweroff.
#include "fuzz.h"

const long fuzz_lowest_error = E_BADPROG;

const long look_calls[] = {SYS_INSPECT, SYS_CAP_TYPE, SYS_REVOKE, SYS_PROC_STATUS};
const int nlook_calls = sizeof look_calls / sizeof look_calls[0];

const struct wait_call wait_calls[] = {{SYS_WAIT_PROC, OBJ_PROCESS}, {SYS_WAIT_INPUT, OBJ_CONSOLE}};
const int nwait_calls = sizeof wait_calls / sizeof wait_calls[0];

void fuzz_more(uint64_t r) {
    if (r < 64)
        call_region_new();
    else if (r < 74)
        call_derive();
    else if (r < 80)
        call_look();
    else
        call_wait();
}

bool fuzz_other_more(void) { return false; }
