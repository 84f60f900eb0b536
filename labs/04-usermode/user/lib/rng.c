// rng.c: splitmix64, the fuzzers' random numbers (see rng.h).
#include "rng.h"

static uint64_t rng_state;

void rng_seed(uint64_t seed) { rng_state = seed; }

uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ul);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
    return z ^ (z >> 31);
}

uint64_t below(uint64_t n) { return n ? rng() % n : 0; }
bool chance(uint64_t percent) { return below(100) < percent; }
