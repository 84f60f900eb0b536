// flags-tf: RFLAGS.TF set (single-step) before a write() system call. The
// single-step trap kills the program in user mode; the kernel itself must
// never run with TF set (the syscall entry clears it), and the next
// program in the run list must start as usual.
#include "flags.h"

int main(void) { flags_then_exit(RFLAGS_TF); }
