// rng.h: a small random-number generator for the fuzzers (rng.c).
//
// splitmix64: one 64-bit word of state, every output a mix of it, so a
// seed gives the same sequence on every run. Not for secrets.
#pragma once
#include <stdbool.h>
#include <stdint.h>

void rng_seed(uint64_t seed);
uint64_t rng(void);
uint64_t below(uint64_t n);     // 0 .. n-1 (0 when n is 0)
bool chance(uint64_t percent);  // true percent times in 100
