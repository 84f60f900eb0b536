// pipeline: a 1 MiB region travels through three stages and back, by
// channels, without a byte copied (final/).
//
//   pipeline --c0--> stage 1 --c1--> stage 2 --c2--> stage 3 --c3--> pipeline
//
// Each stage is a program of its own, spawned with exactly three
// capabilities: the console, the end of the channel it reads and the end
// of the one it writes (user/stage). The source fills the region with
// 0, 1, 2, ... (one word each); each stage adds 1 to every word and sends
// it on. Every holder prints the physical address of the region's first
// page: the same frames reach the end. The source then checks every word.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define LEN   (1ul << 20)
#define WORDS (LEN / 8)

static uint64_t ends[4][2];  // ends[i][0] written by stage i, ends[i][1] read by stage i+1
static long first_phys;
static uint64_t *base;

static long came_back(long arg, long value) {
    struct msg m;
    CHECK(value >= 1 && chan_recv(ends[3][1], &m) == 0 && m.ncaps == 1,
          "the region came back through three stages");
    long phys = region_phys(m.caps[0]);
    printf("pipeline: back at the source: region %p, first frame 0x%lx\n", (void *)base, phys);
    CHECK(phys == first_phys, "the same frames reached the end (nothing copied)");
    uint64_t bad = 0, sum = 0;
    for (uint64_t i = 0; i < WORDS; i++) {
        bad += base[i] != i + 3;
        sum += base[i];
    }
    printf("pipeline: checksum 0x%lx\n", sum);
    CHECK(bad == 0 && sum == WORDS * (WORDS - 1) / 2 + 3 * WORDS,
          "every word went through the three stages once (checksum)");
    cap_drop(m.caps[0]);
    cap_drop(ends[3][1]);
    return checks_done();
}

int main(int ncaps, const uint64_t *caps) {
    uint64_t console = caps[0];
    for (int i = 0; i < 4; i++)
        if (channel_new(ends[i]) != 0)
            return 1;
    for (int i = 1; i <= 3; i++) {
        struct spawn_cap give[3] = {
            {console, 0}, {ends[i - 1][1], SPAWN_MOVE}, {ends[i][0], SPAWN_MOVE}};
        long stage = spawn("stage", give, 3);
        CHECK(stage > 0, "a stage is spawned with three capabilities");
        if (stage <= 0)
            return 1;  // ending drops the ends, so the stages already started end too
    }
    long r = region_new(LEN, CAP_READ | CAP_WRITE);
    struct cap_info info;
    CHECK(r > 0 && cap_inspect((uint64_t)r, &info) == 0, "a 1 MiB region");
    base = (uint64_t *)info.base;
    for (uint64_t i = 0; i < WORDS; i++)
        base[i] = i;
    first_phys = region_phys((uint64_t)r);
    printf("pipeline: source: region %p, first frame 0x%lx\n", (void *)base, first_phys);
    struct msg m = {.words = {1}, .caps = {(uint64_t)r}, .ncaps = 1};
    CHECK(chan_send(ends[0][0], &m) == 0, "the region is sent to stage 1");
    cap_drop(ends[0][0]);
    return cont_wait_msg(ends[3][1], came_back, 0);
}
