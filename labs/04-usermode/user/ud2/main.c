// ud2: an invalid instruction raises #UD (invalid opcode), which kills the
// program, not the kernel. ud2 is the instruction made to be invalid.
#include "printf.h"

int main(void) {
    printf("ud2: executing ud2\n");
    __asm__ volatile("ud2");
    printf("still alive: FAIL\n");
    return 1;
}
