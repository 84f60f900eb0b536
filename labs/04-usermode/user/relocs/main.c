// relocs: globals that hold addresses need R_X86_64_RELATIVE relocations,
// applied by the kernel's loader at the program's load address.
#include "check.h"
#include "string.h"

// volatile: the compiler must read these words from memory, where only
// the loader's relocations can have put the right addresses.
static const char greeting[] = "relocated";
const char *volatile pointer = greeting;               // an address in data
static int table[8] = {0, 1, 2, 3, 4, 5, 6, 7};
int *volatile element = &table[3];

static int one(void) { return 1; }
static int two(void) { return 2; }
int (*volatile functions[])(void) = {one, two};        // addresses of code

int main(void) {
    CHECK(pointer == greeting, "a pointer to a global string");
    CHECK(strcmp(pointer, "relocated") == 0, "reading through it");
    CHECK(element == &table[3] && *element == 3, "a pointer into an array");
    CHECK(functions[0]() == 1 && functions[1]() == 2, "a table of function pointers");
    return checks_done();
}
