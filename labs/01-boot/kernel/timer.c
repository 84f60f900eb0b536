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

static void timer_interrupt(struct trapframe *tf) {
    // LAB 1: BEGIN SOLUTION
    ticks++;
    // LAB 1: END SOLUTION
    for (int i = 0; i < 4; i++)
        if (tick_hooks[i])
            tick_hooks[i](tf);
}

void timer_init(void) {
    uint16_t divisor = PIT_FREQUENCY / TIMER_HZ;
    outb(PIT_COMMAND, PIT_CH0_RATE);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, divisor >> 8);
    irq_register(0, timer_interrupt);
    pic_unmask(0);
}

uint64_t timer_ticks(void) { return ticks; }

void timer_add_tick_hook(tick_hook_fn fn) {
    for (int i = 0; i < 4; i++) {
        if (tick_hooks[i] == fn)
            return;
        if (!tick_hooks[i]) {
            tick_hooks[i] = fn;
            return;
        }
    }
    panic("timer: no room for another tick hook");
}

void timer_sleep_ticks(uint64_t n) {
    uint64_t flags = read_rflags();
    uint64_t until = ticks + n;
    while (ticks < until)
        sti_hlt();
    if (!(flags & RFLAGS_IF))
        cli();
}
