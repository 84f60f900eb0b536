// writetext: a program's code is read-only (W^X), so it cannot change
// itself: writing over main is a page fault (write, protection).
#include "printf.h"

int main(void) {
    volatile unsigned char *text = (volatile unsigned char *)(void *)main;
    __asm__ volatile("" : "+r"(text));  // the compiler may not reason about it
    printf("writetext: writing a nop over main at %p\n", (void *)text);
    text[0] = 0x90;  // nop
    printf("still alive: FAIL\n");
    return 1;
}
