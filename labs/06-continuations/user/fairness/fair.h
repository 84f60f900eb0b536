// fair.h: what fairness, flooder and stepper share, in a region fairness
// hands to both.
#pragma once
struct fair_shared {
    long flooder_ran;        // continuations the flooder has run
    long flooder_at_finish;  // flooder_ran when the stepper finished
};
#define FLOOD_TOTAL 4000  // the flooder's continuations in all
#define STEPS       20    // the stepper's
