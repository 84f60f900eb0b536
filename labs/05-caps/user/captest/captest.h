// captest.h: what captest tells capchild, through a region it hands it.
#pragma once
#include <stdint.h>

enum child_mode {
    MODE_NO_CONSOLE = 1,     // write must fail every way
    MODE_HOLDS_EXACTLY,      // the given capabilities and no others
    MODE_WRITE,              // write to caps[1]'s region
    MODE_JUMP,               // call into caps[1]'s region
    MODE_DERIVE_DROP_TOUCH,  // derive, drop everything, touch
    MODE_NEST,               // spawn itself until E_LIMIT
};

struct child_args {
    uint64_t mode;
    uint64_t parent_console;  // a handle of the parent's, foreign to the child
    uint64_t expect_n;
    uint64_t expect_type[8], expect_rights[8];
};
