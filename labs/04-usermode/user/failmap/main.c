// failmap: a little of everything that allocates in lab 04, for
// failsweep=failmap (kernel/failalloc.c), which runs it again and again
// with the first, second, third ... kernel allocation failing. Its load
// allocates (a region, frames for its segments and stack, page tables);
// then it maps a writable region and an executable one, writes a word in
// each page of the first, hands one of them to write(), and unmaps both.
// A step that fails ends the program with that error (E_NOMEM); nothing
// failing, it exits 0. The sweep checks that every run, whatever failed,
// ends with nothing leaked. (Lab 05's failcaps and lab 06's failspawn do
// the same with the calls those labs add.)
#include "syscall.h"

#define PAGE  4096ul
#define PAGES 3

int main(void) {
    long data = map_raw(PAGES * PAGE, MAP_WRITE);
    if (data < 0)
        return (int)data;
    long code = map_raw(PAGE, MAP_EXEC);
    if (code < 0)
        return (int)code;
    for (unsigned long i = 0; i < PAGES; i++)
        ((char *)data)[i * PAGE] = (char)('a' + i);
    ((char *)data)[PAGES * PAGE - 1] = '\n';
    if (write((char *)data + PAGES * PAGE - 1, 1) != 1)
        return 2;
    if (unmap((void *)code, PAGE) != 0 || unmap((void *)data, PAGES * PAGE) != 0)
        return 3;
    return 0;
}
