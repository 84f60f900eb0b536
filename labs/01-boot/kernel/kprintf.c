// kprintf.c: printf for the kernel: format.c's formatter, sent to the
// serial port (kprintf) or into a buffer (ksnprintf).
#include "kprintf.h"
#include "format.h"
#include "serial.h"

static void emit_serial(char c, void *arg) { serial_putc(c); }

int kvprintf(const char *fmt, va_list ap) { return vformat(emit_serial, NULL, fmt, ap); }

int kprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    return vsformat(buf, size, fmt, ap);
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
