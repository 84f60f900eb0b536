// flags-ac-fault: a fault (#UD) with RFLAGS.AC set: the program is killed,
// and the kernel must not go on with its flag: the next program in the
// run list must start as usual.
#include "flags.h"

int main(void) { flags_then_fault(RFLAGS_AC); }
