// wc: counts the lines (newlines), words (runs of non-blanks) and bytes of
// its input, and writes one line: `wc: lines L, words W, bytes B`
// (lib/pipe.h). Alone, `wc some words` counts its arguments and a newline.
#include <stdbool.h>
#include "pipe.h"
#include "printf.h"

static uint64_t lines, words, bytes;
static bool in_word;  // a word may go on in the next buffer

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static long done(long arg, long value) { return 0; }

static long got(long arg, long have) {
    if (!have) {
        char out[96];
        int n =
            snprintf(out, sizeof out, "wc: lines %lu, words %lu, bytes %lu\n", lines, words, bytes);
        return pipe_write(out, (uint64_t)n, done, 0);
    }
    for (uint64_t i = 0; i < pipe_in.len; i++) {
        char c = pipe_in.data[i];
        lines += c == '\n';
        if (is_blank(c))
            in_word = false;
        else if (!in_word) {
            in_word = true;
            words++;
        }
    }
    bytes += pipe_in.len;
    return pipe_next(got, 0);  // (frees this buffer)
}

int main(int ncaps, const uint64_t *caps) {
    pipe_init(ncaps, caps);
    return pipe_next(got, 0);
}
