// gen: `gen N` writes N numbered lines of text, 32 bytes each, to its
// output (the next pipeline stage, or the console), in 64 KiB buffers
// that travel without a copy (lib/pipe.h). `gen 32768` is 1 MiB:
//
//   00001 the quick brown fox jumps
//   00002 the quick brown fox jumps
//
// Six words a line, so N lines are 32*N bytes and 6*N words.
#include "pipe.h"
#include "printf.h"
#include "string.h"

#define LINE      "00000 the quick brown fox jumps\n"
#define LINE_LEN  32
#define MAX_LINES 99999  // five digits

static long lines;  // how many to write

// A decimal number, or -1.
static long number(const char *s) {
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > MAX_LINES)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

// One buffer of lines from line `from` (counting from 0), then the next.
static long fill(long from, long unused) {
    if (from == lines)
        return 0;  // all sent: ending closes the output, the end of the stream
    struct pipe_buf b;
    long err = pipe_alloc(&b, PIPE_BUF_SIZE);
    if (err)
        return err;
    long n = lines - from;
    if (n > PIPE_BUF_SIZE / LINE_LEN)
        n = PIPE_BUF_SIZE / LINE_LEN;
    for (long i = 0; i < n; i++) {
        char *p = b.data + i * LINE_LEN;
        memcpy(p, LINE, LINE_LEN);
        for (long v = from + i + 1, d = 4; d >= 0; d--, v /= 10)
            p[d] = (char)('0' + v % 10);
    }
    b.len = (uint64_t)(n * LINE_LEN);
    return pipe_send(&b, fill, from + n);
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    lines = number(pipe_args());
    if (lines < 0) {
        printf("gen: usage: gen <lines> (0 to %d)\n", MAX_LINES);
        return 1;
    }
    return fill(0, 0);
}
