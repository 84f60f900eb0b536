// errchild: its second continuation queues a third, then returns an error
// (E_INVAL). The program ends there with that code: the third never runs.
#include "printf.h"
#include "syscall.h"

static long third(long arg, long value) {
    printf("errchild: the third continuation ran\n");
    return 0;
}

static long second(long arg, long value) {
    cont_queue(third, 0);
    return E_INVAL;
}

int main(void) { return cont_queue(second, 0); }
