// printf.c: printf and snprintf for user programs (see printf.h).
//
// One formatter, format(), turns a format string into characters and hands
// each to an `emit` function: snprintf's stores it in the caller's buffer,
// printf's collects a line and sends it to the console with one write()
// system call. A system call costs far more than a character, and a whole
// line arrives in one piece. It is the kernel's kprintf, made smaller.
#include "printf.h"
#include "string.h"
#include "syscall.h"
#include <stdbool.h>
#include <stdint.h>

typedef void (*emit_fn)(char c, void *arg);

struct spec {                // one parsed %-conversion
    bool left;               // '-': pad on the right
    bool zero;               // '0': pad numbers with zeros
    int width;
    int length;              // 0 int, 1 long, 2 long long
};

static int emit_padding(emit_fn emit, void *arg, char c, int n) {
    for (int i = 0; i < n; i++)
        emit(c, arg);
    return n > 0 ? n : 0;
}

// A string of known length, padded to the field width.
static int emit_field(emit_fn emit, void *arg, const char *s, int len, const struct spec *sp) {
    int n = len;
    if (!sp->left)
        n += emit_padding(emit, arg, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(s[i], arg);
    if (sp->left)
        n += emit_padding(emit, arg, ' ', sp->width - len);
    return n;
}

// A number in base 10 or 16, with a '-' in front when negative. Zero
// padding goes between the sign and the digits: -0042.
static int emit_number(emit_fn emit, void *arg, unsigned long long value, int base,
                       bool negative, const struct spec *sp) {
    char digits[24];         // 2^64 has 20 decimal digits
    int len = 0;
    do {
        digits[len++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);

    int pad = sp->width - len - (negative ? 1 : 0), n = len;
    if (!sp->left && !sp->zero)
        n += emit_padding(emit, arg, ' ', pad);
    if (negative) {
        emit('-', arg);
        n++;
    }
    if (!sp->left && sp->zero)
        n += emit_padding(emit, arg, '0', pad);
    while (len > 0)
        emit(digits[--len], arg);
    if (sp->left)
        n += emit_padding(emit, arg, ' ', pad);
    return n;
}

// Read flags, width and length after a '%'; returns where the conversion
// character is.
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap) {
    *sp = (struct spec){0};
    for (;; p++) {
        if (*p == '-')
            sp->left = true;
        else if (*p == '0')
            sp->zero = true;
        else
            break;
    }
    if (*p == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        p++;
    }
    while (*p >= '0' && *p <= '9')
        sp->width = sp->width * 10 + (*p++ - '0');
    for (; *p == 'l'; p++)
        sp->length++;
    if (*p == 'z') {         // size_t is an unsigned long here
        sp->length = 1;
        p++;
    }
    return p;
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap) {
    if (sp->length >= 2)
        return va_arg(*ap, unsigned long long);
    if (sp->length == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static long long arg_signed(const struct spec *sp, va_list *ap) {
    if (sp->length >= 2)
        return va_arg(*ap, long long);
    if (sp->length == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

// One conversion, *p its character: the number of characters it made.
static int convert(emit_fn emit, void *arg, const char *p, const struct spec *sp, va_list *ap) {
    switch (*p) {
    case 'd':
    case 'i': {
        long long v = arg_signed(sp, ap);
        // Negate as unsigned, so that the most negative value works too.
        unsigned long long magnitude = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
        return emit_number(emit, arg, magnitude, 10, v < 0, sp);
    }
    case 'u':
        return emit_number(emit, arg, arg_unsigned(sp, ap), 10, false, sp);
    case 'x':
        return emit_number(emit, arg, arg_unsigned(sp, ap), 16, false, sp);
    case 'p': {
        uintptr_t v = (uintptr_t)va_arg(*ap, void *);
        struct spec digits = *sp;
        digits.width = sp->width > 2 ? sp->width - 2 : 0;
        emit('0', arg);
        emit('x', arg);
        return 2 + emit_number(emit, arg, v, 16, false, &digits);
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (s == NULL)
            s = "(null)";
        return emit_field(emit, arg, s, (int)strlen(s), sp);
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);
        return emit_field(emit, arg, &c, 1, sp);
    }
    case '%':
        emit('%', arg);
        return 1;
    }
    return -1;               // not a conversion we know
}

static int format(emit_fn emit, void *arg, const char *fmt, va_list ap_in) {
    va_list ap;
    va_copy(ap, ap_in);
    int n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(*p, arg);
            n++;
            continue;
        }
        const char *start = p;
        struct spec sp;
        p = parse_spec(p + 1, &sp, &ap);
        int made = convert(emit, arg, p, &sp, &ap);
        if (made >= 0) {
            n += made;
            continue;
        }
        // Unknown (or the string ended): print it as it is, so a typo shows.
        for (const char *q = start; q <= p && *q; q++, n++)
            emit(*q, arg);
        if (*p == '\0')
            break;
    }
    va_end(ap);
    return n;
}

// --- snprintf: into the caller's buffer. ---------------------------------

struct buffer {
    char *buf;
    size_t size, used;
};

// Keep room for the '\0'; what does not fit is dropped.
static void emit_buffer(char c, void *arg) {
    struct buffer *b = arg;
    if (b->used + 1 < b->size)
        b->buf[b->used++] = c;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    struct buffer b = {buf, size, 0};
    int n = format(emit_buffer, &b, fmt, ap);
    if (size > 0)
        buf[b.used] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

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
    l.used = 0;              // (the buffer itself need not be cleared)
    va_list ap;
    va_start(ap, fmt);
    int n = format(emit_line, &l, fmt, ap);
    va_end(ap);
    flush_line(&l);          // a last piece without a '\n'
    return n;
}
