# elf.mk: the broken ELF seeds of elf_host_test.c and elf_fuzz.c, made at
# build time into build/elf-seeds/ by grading/badelf.py: every kind it
# knows, each made from corpus/elf/good-pie-small (included by Makefile).
#
# badelf.py is in grading/ at the top of the tree: three levels up from a
# lab's host/ (labs/NN-name/host), two from final/host, the same in a
# handout; the nearest one up from here is taken.
BADELF    := $(firstword $(wildcard $(addsuffix grading/badelf.py,../ ../../ ../../../ ../../../../)))
ELF_SEEDS := $(B)/elf-seeds

$(ELF_SEEDS)/.made: corpus/elf/good-pie-small $(BADELF)
	@if [ -z "$(BADELF)" ]; then \
	    echo "elf.mk: no grading/badelf.py in a directory above $(CURDIR);" \
	         "it makes the broken ELF files the elf host test needs"; exit 1; fi
	@rm -rf $(ELF_SEEDS) && mkdir -p $(ELF_SEEDS)
	python3 $(BADELF) --from corpus/elf/good-pie-small $(ELF_SEEDS) > /dev/null
	@touch $@

$(B)/elf_host_test $(B)/elf_fuzz fuzz-elf fuzz-short-elf: $(ELF_SEEDS)/.made
