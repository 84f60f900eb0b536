// console.c: the console as an object, and the write system call.
//
// Owns: the console object (there is one; it is static, so releasing it
// does nothing). Relies on cap (the caller's handle must name a console
// capability with CAP_WRITE), uaccess (the bytes) and serial (where they go).
#include "console.h"
#include "abi.h"
#include "proc.h"
#include "serial.h"
#include "uaccess.h"

struct object console_object = {.type = OBJ_CONSOLE};

// write(console, buf, len): all or nothing; len, or E_BADHANDLE / E_TYPE
// / E_RIGHTS for the handle (checked first: no capability, no look at
// the buffer), or E_FAULT.
int64_t sys_write(uint64_t console, uint64_t buf, uint64_t len, uint64_t unused) {
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, console, OBJ_CONSOLE, CAP_WRITE, &c);
    if (err)
        return err;
    err = check_user_range(current_proc->root, buf, len, false);
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
