// kprintf.h: formatted output to the console (snprintf: format.h).
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include "format.h"

int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int kvprintf(const char *fmt, va_list ap);
