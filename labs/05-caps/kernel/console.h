// console.h: the console object, the one a console capability names.
#pragma once
#include <stdint.h>
#include "cap.h"

extern struct object console_object;  // static: never released

int64_t sys_write(uint64_t console, uint64_t buf, uint64_t len, uint64_t unused);
