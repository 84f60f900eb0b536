// printf.h: formatted output for user programs (printf.c).
//
// The kernel's formatter (common/format.c): conversions %d %i %u %x %X %p
// %s %c %%; flags - (left-justify) and 0 (pad with zeros); a width (a
// number, or * to take it from the arguments); a precision for %s; the
// length modifiers l, ll and z (%ld, %lu, %lx, %zu, ...).
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include "format.h"

// To the console, a line at a time: returns the number of characters.
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// snprintf and vsnprintf come from format.h, the kernel's own.
