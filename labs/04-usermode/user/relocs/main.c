// relocs: globals that hold addresses are right, wherever the program was
// loaded.
//
// The linker cannot know where the kernel will put a position-independent
// program, so a global initialised with an address (a pointer, a table of
// functions) holds only an offset in the file, with an R_X86_64_RELATIVE
// relocation saying "add the load address here". The kernel's loader
// applies them (kernel/proc.c). Code finds addresses by itself, relative
// to rip, so comparing the two catches a loader that skipped them:
// `readelf -r build/user/relocs` lists them.
#include "check.h"
#include "printf.h"
#include "string.h"

// volatile: the compiler must load these words from memory, where only the
// loader's relocations can have put the right addresses, instead of
// computing the answer itself.
static const char greeting[] = "relocated";
const char *volatile greeting_pointer = greeting;

static int numbers[8] = {10, 11, 12, 13, 14, 15, 16, 17};
int *volatile fourth_number = &numbers[3];

static int one(void) { return 1; }
static int two(void) { return 2; }
static int three(void) { return 3; }
int (*volatile const functions[])(void) = {one, two, three};

// A struct mixing plain numbers and addresses.
struct named {
    const char *name;
    int value;
    int *where;
};
struct named named_number = {"twelve", 12, &numbers[2]};

extern const char __ehdr_start[];  // the linker's name for the first byte of the image

int main(void) {
    printf("relocs: loaded at %p; checking pointers stored in globals\n", (void *)__ehdr_start);
    CHECK(greeting_pointer == greeting, "a global pointer to a global string");
    CHECK(strcmp(greeting_pointer, "relocated") == 0, "reading the string through it");
    CHECK(fourth_number == &numbers[3] && *fourth_number == 13, "a pointer to an array element");
    CHECK(functions[0] == one && functions[1] == two && functions[2] == three,
          "a table of function pointers");
    CHECK(functions[0]() + functions[1]() + functions[2]() == 6, "calling through the table");
    CHECK(strcmp(named_number.name, "twelve") == 0 && named_number.where == &numbers[2] &&
              *named_number.where == named_number.value,
          "pointers inside a struct");
    return checks_done();
}
