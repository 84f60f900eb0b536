// exit-neg1: exit(-1). Exit codes are 64-bit, signed (docs/abi.md): the
// kernel prints all of it, and any code but 0 is a failure.
#include "syscall.h"

int main(void) { exit((long)(-1)); }
