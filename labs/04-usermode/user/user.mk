# user.mk: building the user programs (included by the lab's Makefile).
#
# Every directory under user/ but lib/ is a program: its .c files and the
# library's are compiled position-independent (-fPIE) and linked as a
# static PIE: an ELF of type ET_DYN, with no interpreter and only
# R_X86_64_RELATIVE relocations, which the kernel's loader applies
# (kernel/elf.c, kernel/proc.c). No SSE: the kernel does not save it.
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -fPIE \
               -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
               -mgeneral-regs-only -Wall -Wextra -Werror -Iuser/lib -Ikernel -MMD -MP
USER_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,max-page-size=4096 \
                -Wl,-z,separate-code -Wl,-z,noexecstack -Wl,--build-id=none -Wl,-z,norelro
USER_LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(wildcard user/lib/*.c))

$(B)/obj/user/%.o: user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

# One rule per program: its objects, then the library's.
define user_program
$(B)/user/$(1): $(patsubst %.c,$(B)/obj/%.o,$(wildcard user/$(1)/*.c)) $(USER_LIB_OBJS)
	@mkdir -p $$(dir $$@)
	$(CC) $(USER_LDFLAGS) -o $$@ $$^
endef
$(foreach p,$(USERPROGS),$(eval $(call user_program,$(p))))

.PHONY: user-programs
user-programs: $(USERPROGS:%=$(B)/user/%)

-include $(wildcard $(B)/obj/user/*.d $(B)/obj/user/*/*.d)
