// kvm_test.c: the kernel's address space has the permissions it claims.
#include "frame.h"
#include "ktest.h"
#include "kvm.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "paging.h"

static void expect_range_perm(char *start, char *end, unsigned perm) {
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE) {
        struct mapping m;
        ASSERT_TRUE(translate(kernel_root, va, &m));
        EXPECT_EQ(m.perm, perm);
        EXPECT_EQ(m.pa, va - KERNEL_VMA);
    }
}

KTEST(kvm, sections_have_their_permissions) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    expect_range_perm(_text_start, _rodata_start, VM_EXEC);
    expect_range_perm(_rodata_start, _data_start, VM_READ);
    expect_range_perm(_data_start, stack_guard, VM_WRITE);
    expect_range_perm(boot_stack, _kernel_end, VM_WRITE);
}

KTEST(kvm, guard_null_and_identity_are_unmapped) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    struct mapping m;
    EXPECT_FALSE(translate(kernel_root, (uint64_t)stack_guard, &m));
    EXPECT_FALSE(translate(kernel_root, 0, &m));
    EXPECT_FALSE(translate(kernel_root, 0x100000, &m));  // boot's identity map
    EXPECT_TRUE(paging_active_root() == kernel_root);
}

// Walk every present leaf in the kernel half: none writable and executable.
static int count_wx(pte_t *table, int level) {
    int bad = 0;
    for (int i = 0; i < 512; i++) {
        pte_t e = table[i];
        if (!(e & PTE_PRESENT))
            continue;
        if (level == 0 || (e & PTE_HUGE))
            bad += (e & PTE_WRITABLE) && !(e & PTE_NO_EXEC);
        else
            bad += count_wx(phys_to_virt(e & PTE_ADDRESS), level - 1);
    }
    return bad;
}

KTEST(kvm, no_kernel_page_is_writable_and_executable) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    ASSERT_TRUE(cpu_has_nx);           // qemu64 has NX; W^X needs it
    int bad = 0;
    for (int i = 256; i < 512; i++)
        if (kernel_root[i] & PTE_PRESENT)
            bad += count_wx(phys_to_virt(kernel_root[i] & PTE_ADDRESS), 2);
    EXPECT_EQ(bad, 0);
}

KTEST(kvm, direct_map_covers_available_memory) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type != MEM_AVAILABLE || r->length < PAGE_SIZE)
            continue;
        uint64_t first = (r->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        uint64_t last = ((r->base + r->length) & ~(PAGE_SIZE - 1)) - PAGE_SIZE;
        struct mapping m;
        ASSERT_TRUE(translate(kernel_root, DIRECT_MAP + first, &m));
        EXPECT_EQ(m.pa, first);
        EXPECT_EQ(m.perm, VM_WRITE);
        ASSERT_TRUE(translate(kernel_root, DIRECT_MAP + last, &m));
        EXPECT_EQ(m.pa, last);
    }
}

static volatile uint64_t fault_address;

KTEST(kvm, writing_rodata_faults) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    static const uint64_t constant = 42;
    fault_address = (uint64_t)&constant;
    EXPECT_EXCEPTION(T_PAGE_FAULT, *(volatile uint64_t *)fault_address = 1);
    EXPECT_EQ(ktest_last_fault()->cr2, fault_address);
    EXPECT_EQ(ktest_last_fault()->error, PF_PRESENT | PF_WRITE);
    EXPECT_EQ(constant, 42);
}

KTEST(kvm, writing_kernel_text_faults) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    fault_address = (uint64_t)_text_start;
    EXPECT_EXCEPTION(T_PAGE_FAULT, *(volatile uint8_t *)fault_address = 0x90);
    EXPECT_EQ(ktest_last_fault()->error, PF_PRESENT | PF_WRITE);
}

KTEST(kvm, executing_the_direct_map_faults) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    uint64_t frame = frame_alloc();
    ASSERT_TRUE(frame != 0);
    uint8_t *code = phys_to_virt(frame);
    code[0] = 0xC3;  // ret: harmless, if it ever ran
    void (*fn)(void) = (void (*)(void))code;
    EXPECT_EXCEPTION(T_PAGE_FAULT, fn());
    EXPECT_EQ(ktest_last_fault()->error, PF_PRESENT | PF_FETCH);
    EXPECT_EQ(ktest_last_fault()->cr2, (uint64_t)code);
    frame_free(frame);
}

KTEST(kvm, unmapped_kernel_address_faults) {
    ASSERT_TRUE(kernel_root != NULL);                     // kvm_init built the tables
    fault_address = kvm_direct_map_end() + 0x40000000ul;  // past all memory
    EXPECT_EXCEPTION(T_PAGE_FAULT, (void)*(volatile uint64_t *)fault_address);
    EXPECT_EQ(ktest_last_fault()->error, 0);  // not present, read
    EXPECT_EQ(ktest_last_fault()->cr2, fault_address);
}

// Ring 3 must reach nothing of the kernel half: no entry there, table or
// page, at any level, has the user bit (lab 04 runs user code).
static int user_entries(const pte_t *table, int level) {
    int found = 0;
    for (int i = 0; i < 512; i++) {
        if (!(table[i] & PTE_PRESENT))
            continue;
        if (table[i] & PTE_USER)
            found++;
        if (level > 0 && !(table[i] & PTE_HUGE))
            found += user_entries(phys_to_virt(table[i] & PTE_ADDRESS), level - 1);
    }
    return found;
}

KTEST(kvm, kernel_half_has_no_user_entry) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the tables
    int found = 0;
    for (int i = 256; i < 512; i++)
        if (kernel_root[i] & PTE_PRESENT)
            found += (kernel_root[i] & PTE_USER ? 1 : 0) +
                     user_entries(phys_to_virt(kernel_root[i] & PTE_ADDRESS), 2);
    EXPECT_EQ(found, 0);
}
