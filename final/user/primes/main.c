// primes: a concurrent prime sieve (after McIlroy and Hoare) as a chain of
// programs connected by channels (final/).
//
//   primes --2,3,4,...--> sieve 1 --> sieve 2 --> ... --> sieve k
//
// Every sieve (user/sieve) keeps the first number it receives (a prime),
// reports it here, and passes on the numbers it does not divide. The
// chain grows: a sieve starts with the write end of a channel nobody reads
// yet; when it reports its prime, this program spawns the next sieve with
// the read end. Numbers go four to a message; a full queue (E_FULL) makes
// a sender wait a tick and try again. After 100 primes the source stops
// and drops its ends: the chain closes from the front, each sieve ending
// when its input is closed, and the reports' channel closes last.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define WANTED 100
#define LIMIT  560  // the 100th prime is 541

static uint64_t console, report[2], feed, pending_read;
static long next_number = 2, found, last_prime;
static bool ordered = true;

static long spawn_sieve(void) {
    uint64_t e[2];
    if (channel_new(e) != 0)
        return -1;
    struct spawn_cap give[4] = {
        {console, 0}, {pending_read, SPAWN_MOVE}, {e[0], SPAWN_MOVE}, {report[0], 0}};
    long child = spawn("sieve", give, 4);
    pending_read = e[1];
    if (child > 0)
        cap_drop((uint64_t)child);
    return child;
}

static long generate(long arg, long value) {
    if (next_number > LIMIT || found >= WANTED) {
        cap_drop(feed);  // the front of the chain closes
        return 0;
    }
    struct msg m = {.words = {next_number, next_number + 1, next_number + 2, next_number + 3}};
    long err = chan_send(feed, &m);
    if (err == E_FULL)
        return cont_wait_time(1, generate, 0);
    if (err != 0)
        return err;
    next_number += 4;
    return cont_queue(generate, 0);
}

static long reported(long arg, long value) {
    struct msg m;
    if (value == E_CLOSED) {  // every sieve has ended
        CHECK(found == WANTED, "100 primes found, one sieve each");
        CHECK(last_prime == 541, "the 100th prime is 541");
        CHECK(ordered, "the primes came in increasing order");
        cap_drop(report[1]);
        cap_drop(pending_read);
        return checks_done();
    }
    while (chan_recv(report[1], &m) == 0) {
        long p = (long)m.words[1];
        if (found >= WANTED)
            continue;  // late reports after the end: the sieve is told to stop by E_CLOSED
        ordered = ordered && p > last_prime;
        last_prime = p;
        found++;
        printf("primes: %ld: %ld\n", found, p);
        if (found < WANTED && spawn_sieve() <= 0)
            return 1;
        if (found == WANTED) {       // no one will read the last sieve's output,
            cap_drop(pending_read);  // and only the sieves hold the reporting end now
            cap_drop(report[0]);
            pending_read = 0;
        }
    }
    return cont_wait_msg(report[1], reported, 0);
}

int main(int ncaps, const uint64_t *caps) {
    console = caps[0];
    uint64_t first[2];
    if (channel_new(report) != 0 || channel_new(first) != 0)
        return 1;
    feed = first[0];
    pending_read = first[1];
    CHECK(spawn_sieve() > 0, "the first sieve is spawned");
    cont_queue(generate, 0);
    return cont_wait_msg(report[1], reported, 0);
}
