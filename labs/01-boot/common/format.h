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
// Format into buf: at most size - 1 characters and a '\0' (when size > 0).
// Returns the length the whole string would have had, as C's snprintf
// does, so a result >= size means it was cut short.
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
