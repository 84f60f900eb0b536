// printf.c: printf for user programs (see printf.h).
//
// The formatting is the kernel's own, common/format.c (freestanding C that
// works as well in user mode, like string.c). What is the library's: printf
// collects a line and sends it to the console with one write() system call.
// A system call costs far more than a character, and a whole line arrives
// in one piece.
#include "printf.h"
#include "format.h"
#include "syscall.h"

// --- printf: a line at a time, to the console. -----------------------------

struct line {
    char buf[256];
    size_t used;
};

static void flush_line(struct line *l) {
    if (l->used > 0)
        write(l->buf, l->used);
    l->used = 0;
}

// Send the line at its end, or when the buffer is full (a very long line
// then goes out in pieces).
static void emit_line(char c, void *arg) {
    struct line *l = arg;
    l->buf[l->used++] = c;
    if (c == '\n' || l->used == sizeof l->buf)
        flush_line(l);
}

int printf(const char *fmt, ...) {
    struct line l;
    l.used = 0;  // (the buffer itself need not be cleared)
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(emit_line, &l, fmt, ap);
    va_end(ap);
    flush_line(&l);  // a last piece without a '\n'
    return n;
}
