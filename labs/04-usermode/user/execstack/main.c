// execstack: the stack is never executable (NX): calling code on it kills.
#include "printf.h"

int main(void) {
    unsigned char code[16] = {0xC3};       // ret
    void (*fn)(void) = (void (*)(void))(void *)code;
    __asm__ volatile("" : "+r"(fn));
    printf("execstack: calling a ret on the stack at %p\n", (void *)code);
    fn();
    printf("still alive: FAIL\n");
    return 1;
}
