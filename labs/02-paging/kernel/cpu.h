// cpu.h: switching on CPU features: model-specific registers and CPUID.
//
// Lab 02 turns on no-execute pages (EFER.NXE) once CPUID says the CPU has
// them; lab 04 programs the syscall/sysret MSRs. Lab 01 needs neither, so
// these live apart from x86.h's port and control-register helpers.
#pragma once
#include <stdint.h>

// Model-specific registers (EFER, the syscall MSRs, ...).
#define MSR_EFER   0xC0000080
#define MSR_STAR   0xC0000081
#define MSR_LSTAR  0xC0000082
#define MSR_SFMASK 0xC0000084
#define EFER_SCE   (1ul << 0)   // syscall/sysret enabled
#define EFER_NXE   (1ul << 11)  // the no-execute page bit enabled
static inline uint64_t read_msr(uint32_t msr) {
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void write_msr(uint32_t msr, uint64_t value) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
