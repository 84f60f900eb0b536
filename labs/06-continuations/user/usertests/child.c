// child.c: usertests as a child: one case, or a helper role another case
// needs (a program to wait for, to nest, to hand handles to).
//
// main decides which side this program is: a child's second capability
// is its role page (usertests.h), a region whose first word is
// ROLE_MAGIC; the runner is started by run= with the console alone, or
// with a text region (`run=usertests:12`).
#include "usertests.h"

#define ROLE_MAGIC 0x7573657274657374ul  // "usertest"
struct role_page {
    uint64_t magic, role, a, b;
};

uint64_t console;
int case_number;
long case_depth;
static uint64_t given[4];  // the capabilities spawn_role moved to it
static int ngiven;
static uint64_t role_region;

long spawn_role(long role, long a, long b, const uint64_t *give, int ngive) {
    if (ngive < 0 || ngive > 4)
        return E_INVAL;
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    if (r < 0)
        return r;
    struct role_page *page = (struct role_page *)region_at((uint64_t)r);
    *page = (struct role_page){ROLE_MAGIC, (uint64_t)role, (uint64_t)a, (uint64_t)b};
    struct spawn_cap caps[6] = {{console, 0}, {(uint64_t)r, SPAWN_MOVE}};
    for (int i = 0; i < ngive; i++)
        caps[2 + i] = (struct spawn_cap){give[i], SPAWN_MOVE};
    long h = spawn("usertests", caps, (unsigned long)(2 + ngive));
    if (h < 0)
        cap_drop((uint64_t)r);  // (what was to be given stays here)
    return h;
}

// The role page behind a handle, or NULL when it is not one.
static const struct role_page *role_page_of(uint64_t handle) {
    struct cap_info info;
    if (cap_inspect(handle, &info) != 0 || info.type != OBJ_REGION || info.length < 4096 ||
        !(info.rights & CAP_READ))
        return NULL;
    const struct role_page *page = (const struct role_page *)info.base;
    return page->magic == ROLE_MAGIC ? page : NULL;
}

// --- Helper roles. ---------------------------------------------------------------

static uint64_t nest_child;
static long nest_done(long arg, long state) {
    struct proc_status st;
    proc_status(nest_child, &st);
    return st.code;  // the depth the deepest one reached, passed up
}

static long start_nest(long depth) {
    long h = spawn_role(ROLE_NEST, depth + 1, 0, NULL, 0);
    if (h == E_LIMIT)
        return depth;
    if (h < 0)
        return 100 - h;
    nest_child = (uint64_t)h;
    return cont_wait_proc(nest_child, nest_done, 0);
}

// Another program's handle values name nothing of this one's, unless a
// value happens to be one of its own (the console, the role page): each
// is stale, empty, or out of its table.
static long foreign(const uint64_t *handles, int n) {
    for (int i = 0; i < n; i++) {
        if (handles[i] == console || handles[i] == role_region)
            continue;
        struct cap_info info;
        if (cap_type(handles[i]) != E_BADHANDLE || cap_inspect(handles[i], &info) != E_BADHANDLE ||
            cap_drop(handles[i]) != E_BADHANDLE)
            return 1;
    }
    return 0;
}

static int child_main(const struct role_page *page) {
    uint64_t words[2] = {page->a, page->b};
    switch (page->role) {
    case ROLE_CASE:
        if (page->a >= (uint64_t)ncases)
            return 91;
        case_number = (int)page->a + 1;
        case_depth = (long)page->b;
        return (int)cases[page->a].fn();
    case ROLE_EXIT: return (int)page->a;
    case ROLE_NEST: return (int)start_nest((long)page->a);
    case ROLE_FOREIGN: return (int)foreign(words, 2);
    case ROLE_DOOMED: return (int)role_doomed((long)page->a);
    case ROLE_CROWDED: return (int)role_crowded();
    case ROLE_SCRIBBLE: return ngiven ? (int)role_scribble(given[0]) : 97;
    case ROLE_LATER: return (int)role_later((long)page->a, (long)page->b);
    }
    return 92;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps < 1 || cap_type(caps[0]) >> 8 != OBJ_CONSOLE)
        return 93;  // neither a child nor a runner: spawned by a case as a bare program
    console = caps[0];
    const struct role_page *page = ncaps >= 2 ? role_page_of(caps[1]) : NULL;
    if (!page)
        return runner_main(ncaps >= 2 ? caps[1] : 0);
    role_region = caps[1];
    for (int i = 2; i < ncaps && ngiven < 4; i++)
        given[ngiven++] = caps[i];
    return child_main(page);
}
