// timer.c: the programmable interval timer (PIT, Intel 8253/8254).
//
// Channel 0 runs in rate-generator mode and raises IRQ 0 TIMER_HZ times a
// second; each interrupt adds one to the tick count. Ticks only count time:
// Baton never preempts, so the timer never switches to other work.
#include "timer.h"
#include "panic.h"
#include "pic.h"
#include "x86.h"

#define PIT_CHANNEL0  0x40
#define PIT_COMMAND   0x43
#define PIT_FREQUENCY 1193182  // Hz: the PIT's input clock
#define PIT_CH0_RATE  0x34     // channel 0, low then high byte, mode 2

static volatile uint64_t ticks;
static tick_hook_fn tick_hooks[4];

// IRQ 0: count the tick, then run the tick hooks.
static void timer_interrupt(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    ticks++;
    for (int i = 0; i < 4; i++)
        if (tick_hooks[i])
            tick_hooks[i](tf);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)tf;   /* lab 1: timer_interrupt not written yet */
}

// Program channel 0 for TIMER_HZ interrupts a second and let IRQ 0 through.
void timer_init(void) {
    // LAB 1: BEGIN SOLUTION
    uint16_t divisor = PIT_FREQUENCY / TIMER_HZ;
    outb(PIT_COMMAND, PIT_CH0_RATE);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, divisor >> 8);
    irq_register(0, timer_interrupt);
    pic_unmask(0);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)timer_interrupt;   /* lab 1: the PIT is not programmed yet */
    // LAB 1: STUB pic_unmask(0);  /* the firmware's 18.2 Hz still wakes hlt, so no test hangs */
}

uint64_t timer_ticks(void) { return ticks; }

void timer_add_tick_hook(tick_hook_fn fn) {
    // LAB 1: BEGIN SOLUTION
    for (int i = 0; i < 4; i++) {
        if (tick_hooks[i] == fn)
            return;
        if (!tick_hooks[i]) {
            tick_hooks[i] = fn;
            return;
        }
    }
    panic("timer: no room for another tick hook");
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)fn;   /* lab 1: tick hooks not kept yet */
    // LAB 1: STUB (void)tick_hooks;
}

void timer_sleep_ticks(uint64_t n) {
    // LAB 1: BEGIN SOLUTION
    uint64_t flags = read_rflags();
    uint64_t until = ticks + n;
    while (ticks < until)
        sti_hlt();
    if (!(flags & RFLAGS_IF))
        cli();
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)n;   /* lab 1: timer_sleep_ticks not written yet */
}
