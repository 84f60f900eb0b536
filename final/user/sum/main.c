// sum: a checksum of its input, to show that bytes went through a pipeline
// intact: `sum: B bytes, fnv1a 0x........` (the 32-bit FNV-1a hash of
// every byte in order; lib/pipe.h). Alone, it sums its arguments and a
// newline.
#include "pipe.h"
#include "printf.h"

static uint32_t hash = 2166136261u;  // FNV-1a's offset basis
static uint64_t bytes;

static long done(long arg, long value) { return 0; }

static long got(long arg, long have) {
    if (!have) {
        char out[64];
        int n = snprintf(out, sizeof out, "sum: %lu bytes, fnv1a 0x%08x\n", bytes, hash);
        return pipe_write(out, (uint64_t)n, done, 0);
    }
    for (uint64_t i = 0; i < pipe_in.len; i++)
        hash = (hash ^ (uint8_t)pipe_in.data[i]) * 16777619u;  // FNV's prime
    bytes += pipe_in.len;
    return pipe_next(got, 0);
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    return pipe_next(got, 0);
}
