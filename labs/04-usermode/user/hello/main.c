// hello: the first program.
#include "printf.h"

int main(void) {
    printf("hello, world\n");
    return 0;
}
