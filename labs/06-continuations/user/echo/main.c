// echo: waits for console input, and echoes the first line it gets. The
// grader types the line into the serial port once this program says it
// is waiting.
#include "check.h"
#include "printf.h"
#include "syscall.h"

static char line[256];
static unsigned long len;
static int deliveries, empty_deliveries;

static long got_input(long arg, long buffered) {
    char buf[64];
    deliveries++;
    long n = read(buf, sizeof buf);
    if (n <= 0 || buffered <= 0)
        empty_deliveries++;  // woken with nothing to read
    for (long i = 0; i < n; i++) {
        if (buf[i] == '\n' || buf[i] == '\r') {
            line[len] = '\0';
            printf("echo: %s\n", line);
            CHECK(len > 0, "a line arrived through the console input event");
            CHECK(empty_deliveries == 0, "each wake-up found input to read");
            CHECK(read(buf, sizeof buf) >= 0, "read after the line does not wait");
            return checks_done();
        }
        if (len < sizeof line - 1)
            line[len++] = buf[i];
    }
    return cont_wait_input(got_input, 0);  // the rest of the line
}

int main(void) {
    CHECK(console_read(0, line, 1) == E_BADHANDLE, "read with handle 0: E_BADHANDLE");
    CHECK(read((void *)0xffff800000000000ul, 8) == E_FAULT || read(line, 0) == 0,
          "read into kernel memory: E_FAULT, or nothing was buffered");
    CHECK(cont_wait_input(got_input, 0) == 0, "waiting for console input");
    printf("echo: waiting for a line\n");
    return 0;
}
