// worker: 20 steps, each waiting a tick and doing a little work, then exit
// 0. Two of them run while spinner burns its budget (budget).
#include "syscall.h"

static long sum;

static long step(long n, long now) {
    for (int i = 0; i < 1000; i++)
        sum += i;
    if (n == 20)
        return sum == 20l * 499500 ? 0 : 1;
    return cont_wait_time(1, step, n + 1);
}

int main(void) { return cont_wait_time(1, step, 1); }
