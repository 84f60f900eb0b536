# user.mk: building the user programs (included by the lab's Makefile).
#
# Every directory under user/ except lib/ is one program, built from its own
# .c files and the user library's (user/lib: .c, .S and .asm files):
#
#   make user-programs      builds build/user/<name> for every program
#
# A program is a static position-independent executable: an ELF file of
# type ET_DYN with no interpreter (no dynamic linker) whose only relocations
# are R_X86_64_RELATIVE, "add the load address to this word". The kernel's
# loader picks the address and applies them itself (kernel/elf.c checks the
# file, kernel/proc.c loads it). Objects go under build/user/obj/.
#
# Relies on the including Makefile for B (the build directory), CC,
# TOOLPREFIX and tools-check; it runs in the snapshot directory.

# The same list the Makefile computes (and puts on the ISO).
USERPROGS := $(notdir $(patsubst %/,%,$(filter-out user/lib/,$(wildcard user/*/))))

# -fPIE                code that runs wherever the loader puts it;
# -ffreestanding ...   no libc: user/lib is all a program has;
# -mgeneral-regs-only  no SSE or x87 code: the kernel neither saves nor
#                      restores those registers;
# -Ikernel             for kernel/abi.h, the numbers both sides share;
# -Wno-unused-parameter  (lab 06) every continuation takes (arg, value),
#                      and many need only one of them, or neither.
# The red zone stays on: interrupts and system calls switch to a kernel
# stack before pushing anything, so they never touch the user's stack.
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -fPIE \
               -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
               -Wall -Wextra -Werror -Wno-unused-parameter -mgeneral-regs-only -Iuser/lib -Ikernel -Icommon -MMD -MP

# -static-pie + --no-dynamic-linker  ET_DYN, no PT_INTERP, relative relocations only;
# max-page-size=4096 + separate-code   each PT_LOAD starts on its own page, so
#                                      every page has one set of permissions;
# norelro   the kernel maps data writable once and never makes part of it
#           read-only again, so RELRO would only add padding.
USER_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,max-page-size=4096 \
                -Wl,-z,separate-code -Wl,-z,noexecstack -Wl,--build-id=none -Wl,-z,norelro

# user/lib/printf.c -> build/user/obj/lib/printf.o (likewise .S and .asm)
user_objects = $(patsubst user/%,$(B)/user/obj/%.o,$(basename $(1)))

USER_LIB_SRCS := $(sort $(wildcard user/lib/*.c user/lib/*.S user/lib/*.asm))
USER_LIB_OBJS := $(call user_objects,$(USER_LIB_SRCS))
# The string functions and the printf formatter are the kernel's own,
# common/string.c and common/format.c: freestanding C that works as well in
# user mode ("string.h" and "format.h" are found through -Icommon).
USER_LIB_OBJS += $(B)/user/obj/common/string.o $(B)/user/obj/common/format.o

# A change of flags (here or in the Makefile) rebuilds every object.
USER_BUILD_FILES := user/user.mk Makefile

$(B)/user/obj/common/%.o: common/%.c $(USER_BUILD_FILES) | tools-check
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/obj/%.o: user/%.c $(USER_BUILD_FILES) | tools-check
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/obj/%.o: user/%.S $(USER_BUILD_FILES) | tools-check
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

# NASM code must say `default rel` to be position-independent.
$(B)/user/obj/%.o: user/%.asm $(USER_BUILD_FILES) | tools-check
	@mkdir -p $(@D)
	$(NASM) -f elf64 -MD $(@:.o=.d) -MP $< -o $@

# One link rule per program: its own objects, then the library's.
define user_program
$(B)/user/$(1): $(call user_objects,$(sort $(wildcard user/$(1)/*.c user/$(1)/*.S))) $(USER_LIB_OBJS)
	@mkdir -p $$(@D)
	$$(CC) $$(USER_LDFLAGS) -o $$@ $$^
endef
$(foreach p,$(USERPROGS),$(eval $(call user_program,$(p))))

.PHONY: user-programs
user-programs: $(USERPROGS:%=$(B)/user/%)

-include $(wildcard $(B)/user/obj/*/*.d)

# (The Makefile sets .DEFAULT_GOAL := all, so these rules, included before
# its first target, do not become what a bare `make` builds.)
