// format.c: the one printf-style formatter, for the kernel, the user
// library and the host tests alike (freestanding C, like string.c).
//
// vformat() turns a format string into characters and hands each to an
// `emit` function; the caller decides where they go: kprintf.c sends them
// to the serial port, the user library's printf to the console in one
// write() per line, snprintf() into a buffer (which is how the tests check
// the formatter). Supported, as in C's printf:
//   conversions  %d %i %u %x %X %p %s %c %%
//   flags        -  (left-justify)   0  (pad with zeros)
//   width        a number or *      precision  .N or .* for %s (at most N chars)
//   length       l ll z  (long, long long, size_t)
// An unknown conversion is printed as it is, so a typo shows in the output.
#include "format.h"
#include "string.h"
#include <stdbool.h>
#include <stdint.h>

struct spec {   // one parsed %-conversion
    bool left;  // '-': pad on the right
    bool zero;  // '0': pad numbers with zeros
    int width;
    int precision;  // -1 when not given
    int length;     // 0 = int, 1 = long, 2 = long long
};

// Emit c n times (nothing when n <= 0); returns how many were emitted.
static int emit_padding(emit_fn emit, void *arg, char c, int n) {
    for (int i = 0; i < n; i++)
        emit(c, arg);
    return n > 0 ? n : 0;
}

// Print a string of known length, padded to the field width.
static int emit_field(emit_fn emit, void *arg, const char *s, int len, const struct spec *sp) {
    int pad = sp->width - len, n = 0;
    if (!sp->left)
        n += emit_padding(emit, arg, ' ', pad);
    for (int i = 0; i < len; i++)
        emit(s[i], arg);
    n += len;
    if (sp->left)
        n += emit_padding(emit, arg, ' ', pad);
    return n;
}

// Print an unsigned magnitude in base 10 or 16, with an optional sign.
static int emit_number(emit_fn emit, void *arg, unsigned long long value, int base, bool negative,
                       bool upper, const struct spec *sp) {
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];  // 2^64 has 20 decimal digits
    int len = 0;
    do {
        buf[len++] = digits[value % base];
        value /= base;
    } while (value);

    int width = sp->width - len - (negative ? 1 : 0), n = 0;
    if (!sp->left && !sp->zero)
        n += emit_padding(emit, arg, ' ', width);
    if (negative) {
        emit('-', arg);
        n++;
    }
    if (!sp->left && sp->zero)
        n += emit_padding(emit, arg, '0', width);
    while (len > 0) {
        emit(buf[--len], arg);
        n++;
    }
    if (sp->left)
        n += emit_padding(emit, arg, ' ', width);
    return n;
}

// Read flags, width, precision and length; returns where the conversion
// character is.
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap) {
    *sp = (struct spec){.precision = -1};
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
    if (*p == '.') {
        sp->precision = 0;
        if (*++p == '*') {
            sp->precision = va_arg(*ap, int);
            p++;
        }
        for (; *p >= '0' && *p <= '9'; p++)
            sp->precision = sp->precision * 10 + (*p - '0');
    }
    for (; *p == 'l'; p++)
        sp->length++;
    if (*p == 'z') {
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

int vformat(emit_fn emit, void *arg, const char *fmt, va_list ap_in) {
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
        switch (*p) {
        case 'd':
        case 'i': {
            long long v = arg_signed(&sp, &ap);
            // Negate as unsigned so that the most negative value works.
            unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
            n += emit_number(emit, arg, mag, 10, v < 0, false, &sp);
            break;
        }
        case 'u': n += emit_number(emit, arg, arg_unsigned(&sp, &ap), 10, false, false, &sp); break;
        case 'x':
        case 'X':
            n += emit_number(emit, arg, arg_unsigned(&sp, &ap), 16, false, *p == 'X', &sp);
            break;
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            emit('0', arg);
            emit('x', arg);
            sp.width = sp.width > 2 ? sp.width - 2 : 0;
            n += 2 + emit_number(emit, arg, v, 16, false, false, &sp);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            int len = sp.precision >= 0 ? (int)strnlen(s, sp.precision) : (int)strlen(s);
            n += emit_field(emit, arg, s, len, &sp);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_field(emit, arg, &c, 1, &sp);
            break;
        }
        case '%':
            emit('%', arg);
            n++;
            break;
        default:  // unknown (or the string ended): print as is
            for (const char *q = start; q <= p && *q; q++, n++)
                emit(*q, arg);
            if (*p == '\0')
                p--;
            break;
        }
    }
    va_end(ap);
    return n;
}

struct buffer {
    char *buf;
    size_t size, used;
};

// Keep room for the terminating NUL; count what does not fit anyway, so the
// return value is the length the whole string would have had (as in C).
static void emit_buffer(char c, void *arg) {
    struct buffer *b = arg;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    struct buffer b = {buf, size, 0};
    int n = vformat(emit_buffer, &b, fmt, ap);
    if (size > 0)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
