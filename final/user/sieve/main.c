// sieve: one stage of the primes demo. caps[0] the console, caps[1] the
// end it reads numbers from, caps[2] the end it passes numbers on to,
// caps[3] the end it reports its prime on. The first number it receives
// is its prime; it passes on the numbers its prime does not divide, and
// ends when its input closes (or its output's reader is gone).
#include "syscall.h"

static uint64_t in, out, report;
static long prime;
static struct msg pending;  // numbers waiting to go out (pending.words, up to 4)
static int npending;

static long receive(long arg, long value);

// Send what is pending; on a full queue, try again a tick later.
static long flush(long arg, long value) {
    if (npending > 0) {
        for (int i = npending; i < CHAN_WORDS; i++)
            pending.words[i] = 0;  // 0: no number
        long err = chan_send(out, &pending);
        if (err == E_FULL)
            return cont_wait_time(1, flush, 0);
        if (err == E_CLOSED)
            return 0;  // the end of the chain: nothing more to do
        if (err != 0)
            return err;
        npending = 0;
    }
    return cont_wait_msg(in, receive, 0);
}

static long receive(long arg, long value) {
    struct msg m;
    if (value == E_CLOSED || chan_recv(in, &m) != 0)
        return 0;  // the input closed: this sieve ends, its ends close
    for (int i = 0; i < CHAN_WORDS; i++) {
        long n = (long)m.words[i];
        if (n == 0)
            continue;
        if (prime == 0) {
            prime = n;
            struct msg r = {.words = {0, (uint64_t)n}};
            chan_send(report, &r);
        } else if (n % prime != 0) {
            pending.words[npending++] = (uint64_t)n;
        }
    }
    return flush(0, 0);
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps != 4)
        return 1;
    in = caps[1];
    out = caps[2];
    report = caps[3];
    return cont_wait_msg(in, receive, 0);
}
