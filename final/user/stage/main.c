// stage: one stage of the pipeline demo. caps[0] the console, caps[1] the
// end it reads, caps[2] the end it writes: nothing else. It takes one
// region, adds 1 to every word, and sends it on with its number + 1.
#include "printf.h"
#include "syscall.h"

static const uint64_t *given;

static long got(long arg, long value) {
    struct msg m;
    if (value < 1 || chan_recv(given[1], &m) != 0 || m.ncaps != 1)
        return 1;
    struct cap_info info;
    if (cap_inspect(m.caps[0], &info) != 0)
        return 2;
    printf("pipeline: stage %lu: region %p, first frame 0x%lx\n", m.words[0], (void *)info.base,
           region_phys(m.caps[0]));
    uint64_t *w = (uint64_t *)info.base;
    for (uint64_t i = 0; i < info.length / 8; i++)
        w[i]++;
    m.words[0]++;
    return chan_send(given[2], &m) == 0 ? 0 : 3;
}

int main(int ncaps, const uint64_t *caps) {
    given = caps;
    if (ncaps != 3)
        return 4;
    return cont_wait_msg(caps[1], got, 0);
}
