// irqs.h: the PIC lines this lab's drivers use, and so unmask.
//
// The timer test checks that exactly these are unmasked: a line opened by
// mistake would let stray interrupts in. Lab 06 adds the serial port's
// receive interrupt (console input, event.c).
#pragma once

#define IRQ_TIMER   0  // the PIT (timer.c)
#define IRQ_CASCADE 2  // the slave PIC, chained to the master
#define IRQ_COM1    4  // the serial port's receive interrupt (used from lab 06)

#define IRQS_UNMASKED ((1u << IRQ_TIMER) | (1u << IRQ_CASCADE) | (1u << IRQ_COM1))
