// usergdt.c: the segments of ring 3 (lab 04).
//
// In long mode a segment hardly matters, but the CPU still checks the
// privilege level of the selectors it loads: to run user code, CS and SS
// must name descriptors whose privilege level (DPL) is 3. Lab 01's GDT
// keeps two empty slots for them, in the order syscall/sysret needs (user
// data, then user code: see gdt.h and syscall.c).
#include "gdt.h"

void user_segments_init(void) {
    // LAB 4: BEGIN SOLUTION
    gdt_set_segment(USER_DS, SEG_PRESENT | SEG_CODE_DATA | SEG_RW | SEG_USER);
    gdt_set_segment(USER_CS, SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_USER);
    // LAB 4: END SOLUTION
    // LAB 4: STUB /* lab 4: the user segments are not written yet */
}
