// writetext: the program's own code is read-only (W^X): writing it kills.
#include "printf.h"

int main(void) {
    volatile unsigned char *text = (unsigned char *)(void *)main;
    __asm__ volatile("" : "+r"(text));
    printf("writetext: writing my own code at %p\n", (void *)text);
    text[0] = 0x90;
    printf("still alive: FAIL\n");
    return 1;
}
