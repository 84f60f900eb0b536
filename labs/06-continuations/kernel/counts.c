// counts.c: what the kernel holds, counted for leak checks.
//
// `run: done` (run.c) compares these before and after a run= list; in
// final/ the failalloc sweep and sysinfo's memory figures use them too.
// Counting starts by giving back what the allocators keep in reserve, so
// that two counts differ only by what is really in use.
#include "counts.h"
#include "cap.h"
#include "cont.h"
#include "frame.h"
#include "heap.h"
#include "vregion.h"

// final/'s channel.c counts its channels; before final/ there are none.
__attribute__((weak)) uint64_t channel_live_count(void) { return 0; }

void live_counts(struct live_counts *out) {
    cap_trim();
    cont_pool_trim();
    heap_trim();
    *out = (struct live_counts){frame_free_count(), vregion_count(), cap_live_count(),
                                cont_live_count(), channel_live_count()};
}
