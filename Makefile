# Baton: the one entry point. Run `make help` for the list.
#
# LAB= picks a snapshot: 3, 03, 03-buddy, buddy or final (tools/labs.py).
# Every target first makes sure the tools are installed (tools/install-deps:
# silent and instant when nothing is missing).

.DEFAULT_GOAL := help
PYTHON ?= python3
export BATON_ROOT := $(CURDIR)

# Resolve LAB= once, at parse time, so a bad name stops everything with a
# one-line error that lists the valid labs (exit status 2). `make grade`
# alone leaves it to grade.py, which says the same: one Python start less
# (most of a second where python3 is a pyenv shim).
ifneq ($(strip $(LAB)),)
  ifeq ($(filter-out grade,$(MAKECMDGOALS)),)
    LABDIR := $(LAB)
  else
    LABDIR := $(shell $(PYTHON) tools/labs.py resolve '$(LAB)' 2>&1)
    ifneq ($(.SHELLSTATUS),0)
      $(error $(LABDIR))
    endif
  endif
endif
# make qemu / gdb without LAB=: final/ if it exists, else the newest lab.
BOOTDIR = $(or $(LABDIR),$(shell $(PYTHON) tools/labs.py default))

.PHONY: help qemu qemu-gdb gdb grade test mutants bench trace fuzz handout handin autograder format doctor deps clean

help:
	@echo "Baton: a teaching kernel for x86_64."
	@echo "  make qemu [LAB=n] [MEM=512M] [CMDLINE=test]  build and boot (Ctrl-A X leaves QEMU)"
	@echo "  make qemu-gdb [LAB=n]    boot stopped, waiting for GDB;  make gdb [LAB=n]  attach"
	@echo "  make grade [LAB=n]       grade one lab, or all"
	@echo "  make test                everything CI checks; ends with 'N passed, M failed'"
	@echo "  make mutants [LAB=n] [ALL=1]  grade planted mistakes: each must lose points (staff)"
	@echo "  make bench [LAB=n]       benchmarks (guest instructions under QEMU icount)"
	@echo "  make trace [RUN=pipeline]  boot final/ with trace=1, draw what ran: build/trace.svg"
	@echo "  make fuzz [LAB=n] [FUZZ_SECONDS=600]   fuzz the ELF checker (lab 04 on)"
	@echo "  make fuzz SEED=n [CALLS=n] [LAB=6|final]  random system calls from one seed, in QEMU"
	@echo "  make handout LAB=n [OUT=dir]   a student tree for lab n, solutions cut out"
	@echo "  make handin [LAB=n] [FORCE=1]  check and pack your work: handin-<lab>-<time>.tar.gz"
	@echo "  make autograder LAB=n    a Gradescope autograder zip for lab n (build/)"
	@echo "  make format              clang-format every C file of every snapshot (.clang-format)"
	@echo "  make doctor              which tools are missing, and how to install them"
	@echo "  make clean               remove every build output"
	@echo "Labs: $$($(PYTHON) tools/labs.py list | tr '\n' ' ')"

deps:
	@tools/install-deps

doctor:
	@tools/doctor

# Rewrites in place; `make test` checks it was done (tools/lint/lint.py).
format:
	@test -f tools/lint/lint.py || { echo "make format: tools/lint/ is not in this tree" >&2; exit 2; }
	@$(PYTHON) tools/lint/lint.py format

qemu qemu-gdb: deps
	@$(MAKE) --no-print-directory -C $(BOOTDIR) $@

gdb:
	@$(MAKE) --no-print-directory -C $(BOOTDIR) gdb

grade: deps
	@$(PYTHON) grading/grade.py $(if $(LABDIR),--lab '$(LAB)',--all) $(GRADEFLAGS)

test: deps
	@$(PYTHON) tools/test-all $(TESTFLAGS)

# The mutation check (tools/mutants): the newest lab with mutants by default.
mutants: deps
	@test -f tools/mutants || { echo "make mutants: tools/mutants is not in this tree" >&2; exit 2; }
	@$(PYTHON) tools/mutants $(if $(LABDIR),'$(LAB)') $(if $(ALL),--all) $(if $(JOBS),--jobs $(JOBS))

bench: deps
	@$(PYTHON) grading/bench.py $(if $(LABDIR),--lab '$(LAB)',--all)

# The newest lab with a fuzzer, unless LAB= names one.
# The continuation trace of a demo (final/): build/trace.log, .dot, .svg (tools/trace).
trace: deps
	@$(PYTHON) tools/trace boot --run '$(or $(RUN),pipeline)'

FUZZDIR = $(or $(LABDIR),$(lastword $(sort $(dir $(wildcard labs/*/host/elf_fuzz.c final/host/elf_fuzz.c)))))

# With SEED= or CALLS=: the random system-call fuzzer (user/sysfuzz, lab 06
# on; final/ unless LAB= names a lab) on one seed, in QEMU; without:
# libFuzzer on the ELF checker.
ifneq ($(SEED)$(CALLS),)
fuzz: deps
	@$(PYTHON) grading/sysfuzz.py --lab '$(or $(LAB),final)' $(if $(SEED),--seed '$(SEED)') $(if $(CALLS),--calls '$(CALLS)')
else
fuzz:
	@tools/install-deps --with-optional
	@test -n "$(FUZZDIR)" || { echo "no lab has a fuzzer yet (it comes with lab 04)" >&2; exit 2; }
	@$(MAKE) --no-print-directory -C $(patsubst %/,%,$(FUZZDIR:%/host/=%))/host fuzz $(if $(FUZZ_SECONDS),FUZZ_SECONDS=$(FUZZ_SECONDS))
endif

handout:
	@test -n "$(LABDIR)" || { echo "make handout needs LAB=n (labs: $$($(PYTHON) tools/labs.py list | tr '\n' ' '))" >&2; exit 2; }
	@$(PYTHON) tools/handout make '$(LAB)' $(if $(OUT),--out '$(OUT)')

handin:
	@$(PYTHON) tools/handin $(if $(LABDIR),--lab '$(LAB)') $(if $(FORCE),--force)

autograder:
	@test -n "$(LABDIR)" || { echo "make autograder needs LAB=n" >&2; exit 2; }
	@$(PYTHON) tools/autograder package '$(LAB)' $(if $(OUT),--out '$(OUT)')

clean:
	@for d in labs/*/ final/; do [ -d "$$d" ] && rm -rf "$$d/build"; done; true
	@rm -rf grading/tests/tmp build handout
	@echo "removed every build/ directory"
