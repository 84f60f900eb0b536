// crash: `crash N` passes its first N buffers on unchanged (0 if no N is
// given), then dies of a page fault, touching address 0: on the buffer
// after them, or at the end of its input. It shows what a pipeline does
// when a stage is killed: the shell reports it, the stages after it see
// their input end, the ones before it find nobody to write to and end.
#include "pipe.h"

static long passed, keep;

static long got(long arg, long have);

static long again(long arg, long value) { return pipe_next(got, 0); }

static long got(long arg, long have) {
    if (!have || passed == keep)
        return *(volatile long *)0;  // killed here
    passed++;
    return pipe_send(&pipe_in, again, 0);
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    for (const char *s = pipe_args(); *s >= '0' && *s <= '9' && keep < 1000; s++)
        keep = keep * 10 + (*s - '0');
    return pipe_next(got, 0);
}
