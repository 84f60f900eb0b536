// printf.c: printf for user programs: %d %i %u %x %p %s %c %%, widths,
// zero padding, and the l/ll/z length modifiers. vsnprintf does the work;
// printf formats into a buffer and writes it with one system call.
#include "printf.h"
#include "string.h"
#include "syscall.h"
#include <stdbool.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t size, used;
};

static void put(struct out *o, char c) {
    if (o->used + 1 < o->size)
        o->buf[o->used] = c;
    o->used++;
}

static void put_number(struct out *o, unsigned long long v, int base, bool negative, int width,
                       bool zero) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    int pad = width - n - negative;
    if (!zero)
        for (; pad > 0; pad--)
            put(o, ' ');
    if (negative)
        put(o, '-');
    for (; pad > 0; pad--)
        put(o, '0');
    while (n > 0)
        put(o, digits[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    struct out o = {buf, size, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        bool zero = *++p == '0';
        int width = 0, longs = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        for (; *p == 'l' || *p == 'z'; p++)
            longs++;
        if (*p == 'd' || *p == 'i') {
            long long v = longs ? va_arg(ap, long) : va_arg(ap, int);
            put_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, v < 0, width, zero);
        } else if (*p == 'u' || *p == 'x') {
            unsigned long long v = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            put_number(&o, v, *p == 'u' ? 10 : 16, false, width, zero);
        } else if (*p == 'p') {
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false, 0, false);
        } else if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            for (s = s ? s : "(null)"; *s; s++)
                put(&o, *s);
        } else if (*p == 'c') {
            put(&o, (char)va_arg(ap, int));
        } else {
            put(&o, '%');
            if (!*p)
                break;
            put(&o, *p);
        }
    }
    if (size > 0)
        buf[o.used < size ? o.used : size - 1] = '\0';
    return o.used;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    write(buf, n < (int)sizeof buf ? (unsigned long)n : sizeof buf - 1);
    return n;
}
