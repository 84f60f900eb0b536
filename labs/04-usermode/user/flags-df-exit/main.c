// flags-df-exit: a write() and an exit() with RFLAGS.DF set. The kernel must
// clear it on entry and not carry it back into its own code: the next
// program in the run list must start as usual.
#include "flags.h"

int main(void) { flags_then_exit(RFLAGS_DF); }
