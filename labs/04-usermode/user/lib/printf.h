// printf.h: formatted output for user programs (printf.c).
//
// The kernel's formatter (kernel/format.c): conversions %d %i %u %x %X %p
// %s %c %%; flags - (left-justify) and 0 (pad with zeros); a width (a
// number, or * to take it from the arguments); a precision for %s; the
// length modifiers l, ll and z (%ld, %lu, %lx, %zu, ...).
#pragma once
#include <stdarg.h>
#include <stddef.h>

// To the console, a line at a time: returns the number of characters.
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Into buf, at most size - 1 characters and a '\0'. Returns the length
// the whole string would have had, as C's snprintf does, so a result
// >= size means it was cut short.
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
