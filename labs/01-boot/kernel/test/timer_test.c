// timer_test.c: the PIT interrupt keeps the tick count.
#include "irqs.h"
#include "ktest.h"
#include "pic.h"
#include "timer.h"
#include "x86.h"

// Halt until `n` ticks have passed, at most 50 interrupts: each hlt ends
// at the next interrupt (mostly the timer's). False when the
// tick count did not keep up (so no test waits forever on a broken timer).
static bool ticks_advance(uint64_t n) {
    uint64_t start = timer_ticks();
    for (int i = 0; i < 50 && timer_ticks() < start + n; i++)
        hlt();
    return timer_ticks() >= start + n;
}

KTEST(timer, ticks_advance_with_interrupts_on) {
    ASSERT_TRUE(read_rflags() & RFLAGS_IF);
    EXPECT_TRUE(ticks_advance(3));
}

KTEST(timer, ticks_stop_with_interrupts_off) {
    cli();
    uint64_t start = timer_ticks();
    for (volatile int i = 0; i < 2000000; i++)
        ;  // longer than a tick, even on a fast host
    uint64_t after = timer_ticks();
    sti();
    EXPECT_EQ(after, start);  // the interrupt, not a loop, counts
}

KTEST(timer, sleep_waits_at_least_that_long) {
    ASSERT_TRUE(ticks_advance(1));  // else timer_sleep_ticks would never return
    uint64_t start = timer_ticks();
    timer_sleep_ticks(5);
    EXPECT_TRUE(timer_ticks() - start >= 5);
    EXPECT_TRUE(read_rflags() & RFLAGS_IF);
}

KTEST(timer, only_timer_and_cascade_unmasked) {
    uint16_t mask = pic_get_mask();
    EXPECT_EQ(mask & (1u << IRQ_TIMER), 0);
    EXPECT_EQ(mask & (1u << IRQ_CASCADE), 0);
    EXPECT_EQ(mask & IRQS_UNMASKED, 0);       // every line a driver uses open
    EXPECT_EQ(mask | IRQS_UNMASKED, 0xFFFF);  // everything else masked
}

// Outside an interrupt handler nothing is in service, so an IRQ 7 or 15
// arriving now could only be spurious; a real line (the timer's) never is.
KTEST(timer, spurious_irqs_are_told_by_the_in_service_bit) {
    cli();  // no timer interrupt between the checks
    EXPECT_TRUE(pic_is_spurious(7));
    EXPECT_TRUE(pic_is_spurious(15));
    EXPECT_FALSE(pic_is_spurious(IRQ_TIMER));
    sti();
}

KTEST(timer, sleep_survives_interrupts_disabled_caller) {
    ASSERT_TRUE(ticks_advance(1));
    cli();
    timer_sleep_ticks(2);
    EXPECT_FALSE(read_rflags() & RFLAGS_IF);  // restored to off
    sti();
}

// The PIT counts down from its divisor, 1193182 / TIMER_HZ, to 1 and
// starts again: its latched count never exceeds the divisor, and over a
// period it passes every value. A wrong divisor (the rate written instead
// of the divisor, say) shows here: no timer test counts real time.
static uint16_t pit_count(void) {
    outb(0x43, 0x00);  // latch channel 0's count
    uint16_t low = inb(0x40);
    return low | (uint16_t)inb(0x40) << 8;
}

KTEST(timer, pit_counts_down_from_the_divisor) {
    const uint32_t divisor = 1193182 / TIMER_HZ;
    uint32_t highest = 0;
    for (int i = 0; i < 200000 && highest <= divisor / 2; i++) {
        uint32_t count = pit_count();
        ASSERT_TRUE(count <= divisor);
        if (count > highest)
            highest = count;
    }
    EXPECT_TRUE(highest > divisor / 2);
}
