// execrodata: read-only data is not executable (each segment gets its own
// permissions: .rodata is read-only, not read-and-execute). Calling into
// it is a page fault (fetch, protection) that kills the program.
#include "printf.h"

// mov eax, 1; ret: a function, were its page executable.
static const unsigned char code[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0xc3};

int main(void) {
    int (*function)(void) = (int (*)(void))(const void *)code;
    __asm__ volatile("" : "+r"(function));  // the compiler may not reason about it
    printf("execrodata: calling into .rodata at %p\n", (void *)function);
    function();
    printf("still alive: FAIL\n");
    return 1;
}
