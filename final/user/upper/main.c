// upper: uppercases its input and writes it on (lib/pipe.h). In a
// pipeline it changes each buffer in place and sends the same region on:
// no byte is copied. Alone, `upper some words` prints SOME WORDS.
#include "pipe.h"

static long got(long arg, long have);

static long again(long arg, long value) { return pipe_next(got, 0); }

static long got(long arg, long have) {
    if (!have)
        return 0;  // the end: ending closes our output too
    for (uint64_t i = 0; i < pipe_in.len; i++)
        if (pipe_in.data[i] >= 'a' && pipe_in.data[i] <= 'z')
            pipe_in.data[i] = (char)(pipe_in.data[i] - 'a' + 'A');
    return pipe_send(&pipe_in, again, 0);
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    return pipe_next(got, 0);
}
