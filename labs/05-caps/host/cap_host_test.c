// cap_host_test.c: kernel/cap.c on the host, under AddressSanitizer and
// UndefinedBehaviorSanitizer, against a simple model: 1,000,000 random
// operations (create, derive, copy to another table, move, drop, revoke,
// lookups of live, stale and random handles), with allocation failures
// injected, the tree and the counts checked after every step.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../kernel/cap.h"
#include "host_test.h"

// --- Hooks. ---------------------------------------------------------------
static int fail_every;  // every n-th allocation fails (0: none)
static long allocations, live_objects, installed, removed;
void *cap_hook_alloc(size_t size) {
    if (fail_every && ++allocations % fail_every == 0)
        return NULL;
    return malloc(size);
}
void cap_hook_free(void *p) { free(p); }
_Noreturn void cap_hook_panic(const char *why) {
    printf("panic: %s\n", why);
    abort();
}
int cap_hook_installed(struct cap_table *holder, struct cap *c) {
    (void)holder, (void)c;
    installed++;
    return 0;
}
void cap_hook_removed(struct cap_table *holder, struct cap *c) {
    (void)holder, (void)c;
    removed++;
}
void obj_release(struct object *obj) {
    live_objects--;
    free(obj);
}

// --- The model: every live capability, by table and handle. ---------------
#define TABLES    3
#define MODEL_MAX 1500
struct model_cap {
    int table;
    uint64_t handle;
    struct cap *cap;
};
static struct model_cap model[MODEL_MAX];
static int nmodel;
static struct cap_table tables[TABLES];
static uint64_t rng = 0x2545F4914F6CDD1Dul;
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

// Drop from the model every entry whose handle no longer looks up.
static void sync_model(void) {
    int j = 0;
    for (int i = 0; i < nmodel; i++) {
        struct cap *c;
        if (cap_lookup(&tables[model[i].table], model[i].handle, 0, 0, &c) == 0 &&
            c == model[i].cap)
            model[j++] = model[i];
    }
    nmodel = j;
}

static int is_descendant(struct cap *c, struct cap *ancestor) {
    for (struct cap *p = c->parent; p; p = p->parent)
        if (p == ancestor)
            return 1;
    return 0;
}

// Everything the model says is consistent with the tables and the tree.
static int consistent(void) {
    uint64_t used = 0;
    for (int t = 0; t < TABLES; t++) {
        used += tables[t].used;
        uint32_t count = 0;
        for (uint32_t s = 0; s < tables[t].nslots; s++) {
            struct cap *c = tables[t].entries[s].cap;
            if (!c)
                continue;
            count++;
            CHECK(c->holder == &tables[t] && c->slot == s);
            CHECK((tables[t].entries[s].gen & 0xffff) != 0);
            int seen = 0;
            if (c->parent) {
                for (struct cap *k = c->parent->first_child; k; k = k->next_sibling)
                    seen += k == c;
                CHECK(seen == 1);
            }
        }
        CHECK(count == tables[t].used);
        // The free list holds every empty slot once, and nothing else.
        uint32_t free_slots = 0;
        for (uint32_t s = tables[t].free_head; s != CAP_NO_SLOT;
             s = tables[t].entries[s].next_free) {
            CHECK(s < tables[t].nslots && !tables[t].entries[s].cap);
            CHECK(++free_slots <= tables[t].nslots - count);
        }
        CHECK(free_slots == tables[t].nslots - count);
    }
    CHECK(used == cap_live_count());
    CHECK((uint64_t)nmodel == cap_live_count());
    return 1;
}

static int random_model_ops(void) {
    for (int t = 0; t < TABLES; t++)
        cap_table_init(&tables[t], NULL);
    long ops = 0;
    for (long total = host_ops(1000000); ops < total; ops++) {
        fail_every = (ops / 100000) % 2 ? 7 : 0;  // alternate phases with allocation failures
        int op = (int)(next_random() % 100);
        int t = (int)(next_random() % TABLES);
        struct model_cap *m = nmodel ? &model[next_random() % nmodel] : NULL;
        if (op < 10 || !m) {  // a new object
            if (nmodel >= MODEL_MAX - 1)
                continue;
            struct object *o = calloc(1, sizeof *o);
            o->type = OBJ_REGION;
            o->size = 16 * 4096;
            live_objects++;
            int64_t h = cap_create(&tables[t], o, CAP_ALL, 0, o->size);
            if (h < 0) {
                CHECK(h == E_NOMEM || h == E_FULL);
                live_objects--;
                free(o);
                continue;
            }
            struct cap *c;
            CHECK(cap_lookup(&tables[t], (uint64_t)h, OBJ_REGION, CAP_ALL, &c) == 0);
            model[nmodel++] = (struct model_cap){t, (uint64_t)h, c};
        } else if (op < 40) {  // derive
            if (nmodel >= MODEL_MAX - 1)
                continue;
            uint32_t rights = (uint32_t)(next_random() % 16);
            uint64_t off = (next_random() % 20) * 4096, len = (next_random() % 20) * 4096;
            int64_t h = cap_derive(&tables[m->table], m->handle, rights, off, len);
            struct cap *src = m->cap;
            int ok_rights = (rights & ~src->rights) == 0;
            uint64_t l = (off == 0 && len == 0) ? src->length : len;
            int ok_range = l > 0 && off <= src->length && l <= src->length - off;
            if (!ok_rights)
                CHECK(h == E_RIGHTS);
            else if (!ok_range)
                CHECK(h == E_INVAL);
            else if (h < 0)
                CHECK(h == E_NOMEM || h == E_FULL);
            else {
                struct cap *c;
                CHECK(cap_lookup(&tables[m->table], (uint64_t)h, 0, rights, &c) == 0);
                CHECK(c->parent == src && c->offset == src->offset + off && c->length == l);
                model[nmodel++] = (struct model_cap){m->table, (uint64_t)h, c};
            }
        } else if (op < 50) {  // copy to another table
            if (nmodel >= MODEL_MAX - 1)
                continue;
            int64_t h = cap_copy_to(m->cap, &tables[t]);
            if (h < 0)
                CHECK(h == E_NOMEM || h == E_FULL);
            else {
                struct cap *c;
                CHECK(cap_lookup(&tables[t], (uint64_t)h, 0, 0, &c) == 0 && c->parent == m->cap);
                model[nmodel++] = (struct model_cap){t, (uint64_t)h, c};
            }
        } else if (op < 55) {  // move to another table
            if (nmodel >= MODEL_MAX - 1)
                continue;
            struct cap *src = m->cap, *parent = src->parent;
            int64_t h = cap_copy_to(src, &tables[t]);
            if (h < 0)
                continue;
            struct cap *copy;
            cap_lookup(&tables[t], (uint64_t)h, 0, 0, &copy);
            cap_replace(src, copy);
            CHECK(copy->parent == parent);
            model[nmodel++] = (struct model_cap){t, (uint64_t)h, copy};
            sync_model();
        } else if (op < 75) {  // drop
            struct cap *parent = m->cap->parent;
            struct cap *child = m->cap->first_child;
            CHECK(cap_drop(&tables[m->table], m->handle) == 0);
            if (child)
                CHECK(child->parent == parent);
            uint64_t stale = m->handle;
            int table = m->table;
            sync_model();
            struct cap *c;
            CHECK(cap_lookup(&tables[table], stale, 0, 0, &c) == E_BADHANDLE);
        } else if (op < 80) {  // revoke
            struct cap *root = m->cap;
            CHECK(cap_revoke(&tables[m->table], m->handle) == 0);
            CHECK(root->first_child == NULL);
            sync_model();
            for (int i = 0; i < nmodel; i++)
                CHECK(!is_descendant(model[i].cap, root));
        } else {  // lookups: live, and random
            struct cap *c;
            CHECK(cap_lookup(&tables[m->table], m->handle, 0, 0, &c) == 0 && c == m->cap);
            uint64_t r = next_random();
            if (cap_lookup(&tables[t], r, 0, 0, &c) == 0) {
                int known = 0;
                for (int i = 0; i < nmodel; i++)
                    known += model[i].table == t && model[i].handle == r;
                CHECK(known == 1);
            }
            CHECK(cap_lookup(&tables[t], 0, 0, 0, &c) == E_BADHANDLE);
        }
        if (ops % 5000 == 0 && !consistent())
            return 0;
    }
    CHECK(consistent());
    for (int t = 0; t < TABLES; t++)
        cap_table_destroy(&tables[t]);
    cap_trim();
    CHECK(cap_live_count() == 0 && live_objects == 0);
    CHECK(installed == removed);
    printf("  %ld random operations against the model\n", ops);
    return 1;
}

int main(void) {
    host_run("cap: random operations against a model (1,000,000; a tenth when quick)",
             random_model_ops);
    return host_summary();
}
