// format.h: the printf-style formatter (format.c), shared by the kernel,
// the user library and the host tests.
#pragma once
#include <stdarg.h>
#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

// Where formatted characters go: called once per character, with `arg`.
typedef void (*emit_fn)(char c, void *arg);

// Format into emit; returns the number of characters emitted.
int vformat(emit_fn emit, void *arg, const char *fmt, va_list ap);
// Format into buf (at most size bytes, NUL-terminated when size > 0);
// returns the length the whole string has, as C's vsnprintf does.
int vsformat(char *buf, size_t size, const char *fmt, va_list ap);
