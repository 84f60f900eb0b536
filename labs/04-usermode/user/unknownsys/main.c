// unknownsys: an unknown system call is an error, not a reason to die.
#include "check.h"
#include "syscall.h"

int main(void) {
    CHECK(sys_call(SYS_COUNT, 0, 0) == E_NOSYS, "the first number past the last");
    CHECK(sys_call(1000, 0, 0) == E_NOSYS, "number 1000");
    CHECK(sys_call(-1, 0, 0) == E_NOSYS, "number -1");
    CHECK(sys_call(0x7fffffff, 0, 0) == E_NOSYS, "number 0x7fffffff");
    CHECK(ticks() >= 0, "still alive: ticks works");
    return checks_done();
}
