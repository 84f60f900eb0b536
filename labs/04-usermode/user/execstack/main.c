// execstack: the stack is data, never code. Its pages have the NX bit, so
// jumping to instructions written there is a page fault on the fetch.
#include "printf.h"
#include "string.h"

static const unsigned char ret_instruction[] = {0xC3};  // ret

int main(void) {
    unsigned char code[16];
    memcpy(code, ret_instruction, sizeof ret_instruction);
    void (*fn)(void) = (void (*)(void))(void *)code;
    // Hide where fn points, and say the code bytes are used, so the
    // compiler keeps both the copy and the call.
    __asm__ volatile("" : "+r"(fn) : : "memory");
    printf("execstack: calling a ret copied to the stack at %p\n", (void *)code);
    fn();
    printf("still alive: FAIL\n");
    return 1;
}
