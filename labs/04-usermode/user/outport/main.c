// outport: ring 3 has no I/O ports (RFLAGS.IOPL is 0 and there is no I/O
// permission bitmap), so `out` is #GP and kills the program. The port is
// QEMU's debug-exit device: were it allowed, this would power the machine
// off with the "all passed" status.
#include "printf.h"

int main(void) {
    printf("outport: writing 0x10 to port 0xf4\n");
    __asm__ volatile("outb %%al, $0xf4" : : "a"(0x10));
    printf("still alive: FAIL\n");
    return 1;
}
