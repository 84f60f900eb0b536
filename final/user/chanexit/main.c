// chanexit: holds one end of a channel (caps[1]) and ends at once; its
// end closes with it (chantest waits at the other).
#include "syscall.h"

int main(int ncaps, const uint64_t *caps) { return 0; }
