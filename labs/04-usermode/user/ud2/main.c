// ud2: an invalid instruction (#UD) kills the program, not the kernel.
#include "printf.h"

int main(void) {
    printf("ud2: executing ud2\n");
    __asm__ volatile("ud2");
    printf("still alive: FAIL\n");
    return 1;
}
