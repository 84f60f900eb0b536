// console.c: the console as an object, and the write system call.
//
// Owns: the console object (there is one; it is static, so releasing it
// does nothing). Relies on cap (the caller's handle must name a console
// capability with CAP_WRITE), uaccess (the bytes) and serial (where they go).
#include "console.h"
#include "abi.h"
#include "proc.h"
#include "serial.h"
#include "syscall.h"
#include "uaccess.h"

struct object console_object = {.type = OBJ_CONSOLE};

// The bytes of [buf, buf + len) of the caller's memory to the serial
// port: all or nothing, len or E_FAULT.
static int64_t console_put(uint64_t buf, uint64_t len) {
    int err = check_user_range(current_proc->root, buf, len, false);
    if (err)
        return err;
    char chunk[256];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        copy_from_user(current_proc->root, chunk, buf + done, n);
        serial_write(chunk, n);
        done += n;
    }
    return len;
}

// write(console, buf, len): len, or E_BADHANDLE / E_TYPE / E_RIGHTS for
// the handle (checked first: no capability, no look at the buffer), or
// E_FAULT.
int64_t sys_write(uint64_t console, uint64_t buf, uint64_t len, uint64_t unused) {
    // LAB 5: BEGIN SOLUTION
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, console, OBJ_CONSOLE, CAP_WRITE, &c);
    if (err)
        return err;
    return console_put(buf, len);
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)console;   /* lab 5: stand-in: lab 4's write, which needs no capability */
    // LAB 5: STUB return console_put(buf, len);
}
SYSCALL(SYS_WRITE, sys_write);
