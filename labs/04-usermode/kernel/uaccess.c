// uaccess.c: checked copies to and from user memory (see uaccess.h).
//
// A program passes addresses as numbers; it could pass anything: a kernel
// address, an unmapped one, a range that wraps around the end of the
// address space. So the kernel never dereferences them. It looks each page
// up in the program's own page tables (translate), checks the permissions
// a user access would need, and copies through the direct map. A check
// first covers the whole range, so a bad page makes the call fail before
// anything is copied.
#include "uaccess.h"
#include "abi.h"
#include "memlayout.h"
#include "string.h"

static uint64_t min(uint64_t a, uint64_t b) { return a < b ? a : b; }

// [va, va + len) in the lower half, without wrapping around.
static bool user_range(uint64_t va, uint64_t len) {
    // LAB 4: BEGIN SOLUTION
    return len <= USER_TOP && va <= USER_TOP - len;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)va, (void)len;
    // LAB 4: STUB return false;   /* lab 4: user_range not written yet */
}

// Every page of the range mapped for user code, writable when `write`.
static bool user_pages(pte_t *root, uint64_t va, uint64_t len, bool write) {
    // LAB 4: BEGIN SOLUTION
    for (uint64_t page = va & ~(PAGE_SIZE - 1); page < va + len; page += PAGE_SIZE) {
        struct mapping m;
        if (!translate(root, page, &m) || !(m.perm & VM_USER) || (write && !(m.perm & VM_WRITE)))
            return false;
    }
    return true;
    // LAB 4: END SOLUTION
    // LAB 4: STUB return true;   /* lab 4: user pages are not checked yet */
}

// Copy len bytes between user address `va` and kernel buffer `kernel`,
// page by page through the direct map.
static void copy_pages(pte_t *root, uint64_t va, void *kernel, uint64_t len, bool to_user) {
    // LAB 4: BEGIN SOLUTION
    uint8_t *k = kernel;
    while (len > 0) {
        struct mapping m;
        if (!translate(root, va, &m))  // checked by user_pages: cannot happen
            return;
        uint64_t chunk = min(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        void *user = phys_to_virt(m.pa);
        if (to_user)
            memcpy(user, k, chunk);
        else
            memcpy(k, user, chunk);
        va += chunk;
        k += chunk;
        len -= chunk;
    }
    // LAB 4: END SOLUTION
    // LAB 4: STUB /* lab 4: copy_pages not written yet */
    // LAB 4: STUB (void)root, (void)va, (void)kernel, (void)len, (void)to_user, (void)min;
}

int check_user_range(pte_t *root, uint64_t va, uint64_t len, bool write) {
    // LAB 4: BEGIN SOLUTION
    if (len == 0)
        return 0;
    return user_range(va, len) && user_pages(root, va, len, write) ? 0 : E_FAULT;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)root, (void)va, (void)len, (void)write, (void)user_range, (void)user_pages;
    // LAB 4: STUB return E_FAULT;   /* lab 4: check_user_range not written yet */
}

int copy_from_user(pte_t *root, void *dst, uint64_t src, uint64_t len) {
    // LAB 4: BEGIN SOLUTION
    if (len == 0)
        return 0;
    if (!user_range(src, len) || !user_pages(root, src, len, false))
        return E_FAULT;
    copy_pages(root, src, dst, len, false);
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)root, (void)dst, (void)src, (void)len, (void)copy_pages;
    // LAB 4: STUB return E_FAULT;   /* lab 4: copy_from_user not written yet */
}

int copy_to_user(pte_t *root, uint64_t dst, const void *src, uint64_t len) {
    // LAB 4: BEGIN SOLUTION
    if (len == 0)
        return 0;
    if (!user_range(dst, len) || !user_pages(root, dst, len, true))
        return E_FAULT;
    copy_pages(root, dst, (void *)src, len, true);
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)root, (void)dst, (void)src, (void)len;
    // LAB 4: STUB return E_FAULT;   /* lab 4: copy_to_user not written yet */
}
