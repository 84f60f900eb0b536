// flags.c: entering the kernel with RFLAGS bits set (see flags.h).
//
// Everything between setting the bits and entering the kernel is in one
// asm statement: compiled C may not run with DF set (the ABI says clear).
// popfq in ring 3 changes TF, DF, NT, AC and the arithmetic flags; it
// silently keeps IF and IOPL, which only the kernel may change.
#include "flags.h"
#include "syscall.h"

static const char message[] = "flags: entering the kernel with flags set\n";

void flags_then_exit(unsigned long bits) {
    __asm__ volatile("pushfq\n\t"
                     "orq %[bits], (%%rsp)\n\t"
                     "popfq\n\t"
                     "mov %[write], %%eax\n\t"
                     "syscall\n\t"  // write(message, len) with the bits set
                     "pushfq\n\t"
                     "orq %[bits], (%%rsp)\n\t"
                     "popfq\n\t"
                     "mov %[exit], %%eax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "syscall\n\t"  // exit(0) with the bits set
                     "ud2"
                     :
                     : [bits] "r"(bits), [write] "i"(SYS_WRITE), [exit] "i"(SYS_EXIT), "D"(message),
                       "S"(sizeof message - 1)
                     : "rax", "rcx", "r11", "memory", "cc");
    __builtin_unreachable();
}

void flags_then_fault(unsigned long bits) {
    __asm__ volatile("pushfq\n\t"
                     "orq %[bits], (%%rsp)\n\t"
                     "popfq\n\t"
                     "ud2"
                     :
                     : [bits] "r"(bits)
                     : "memory", "cc");
    __builtin_unreachable();
}
