// timer.h: the tick count, driven by the PIT at TIMER_HZ.
#pragma once
#include <stdint.h>
#include "trap.h"

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);
// Wait (halting the CPU) until `ticks` more timer interrupts have come.
// Interrupts are enabled for the wait and restored afterwards.
void timer_sleep_ticks(uint64_t ticks);

// Functions to call on every tick, from the interrupt (at most a few).
typedef void (*tick_hook_fn)(struct trapframe *tf);
void timer_add_tick_hook(tick_hook_fn fn);
