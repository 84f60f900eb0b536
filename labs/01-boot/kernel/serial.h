// serial.h: the COM1 serial port, the kernel's console.
#pragma once
#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long len);
