// slow: `slow T` passes its input on unchanged, but waits T timer ticks
// (1 if no T is given) before it takes each buffer. The stage before it
// then runs ahead, fills the channel's queue (16 messages) and must wait
// for room: back-pressure, which lib/pipe.c handles by trying again a
// tick later.
#include "pipe.h"

static long delay = 1;

static long got(long arg, long have);

static long take(long arg, long now) { return pipe_next(got, 0); }

static long again(long arg, long value) { return cont_wait_time(delay, take, 0); }

static long got(long arg, long have) {
    if (!have)
        return 0;
    return pipe_send(&pipe_in, again, 0);
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    const char *s = pipe_args();
    if (*s >= '0' && *s <= '9')
        for (delay = 0; *s >= '0' && *s <= '9' && delay < 1000; s++)
            delay = delay * 10 + (*s - '0');
    return again(0, 0);
}
