// kprintf.c: printf for the kernel: common/format.c's formatter, sent to
// the serial port. (Into a buffer: snprintf, in format.c itself.)
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
