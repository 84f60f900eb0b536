// contsys.h: what final/'s channel.c takes from the continuation system
// calls (contsys.c, docs/abi.md; the calls themselves are registered there).
#pragma once
#include <stdint.h>

// A record for the running program, with fn and arg: NULL and *err
// (E_LIMIT, E_NOMEM) when none. final/: channel.c uses it too.
struct cont *cont_new_for_caller(uint64_t fn, uint64_t arg, int *err);
