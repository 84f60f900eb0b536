// chanmove: sends a region it wrote on the channel end it was given
// (caps[1]), then touches it: it must be killed, the region is no longer
// mapped in its view (chantest checks the reason).
#include "printf.h"
#include "syscall.h"

int main(int ncaps, const uint64_t *caps) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0)
        return 1;
    *(volatile uint64_t *)info.base = 0x5eed;
    struct msg m = {.words = {info.base, (uint64_t)region_phys((uint64_t)r)},
                    .caps = {(uint64_t)r},
                    .ncaps = 1};
    if (chan_send(caps[1], &m) != 0)
        return 2;
    printf("chanmove: region sent; touching it now\n");
    *(volatile uint64_t *)info.base = 1;  // not mapped any more: a page fault
    return 3;
}
