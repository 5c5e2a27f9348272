# guest.mk - pvhprobe.elf, the PVH-bootable probe guest (docs/probe-guest.md).
# Included from the top Makefile.
#
#   make guest         build ./pvhprobe.elf
#   make check-guest   boot it under QEMU (TCG) on pc, q35 and microvm
#
# 32-bit freestanding x86: no libc, the analysis core (src/core/) and the
# guest's own files, linked at 2 MiB by guest/pvh.ld. No 64-bit division
# anywhere (the core's formatter has its own), so no libgcc either.

GUEST_CC      ?= $(CC)
OBJCOPY       ?= objcopy
GUEST_INC     := $(shell $(GUEST_CC) -print-file-name=include)
GUEST_CFLAGS  := -m32 -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers $(if $(filter 1,$(WERROR)),-Werror) -Os \
	-ffreestanding -nostdinc -isystem $(GUEST_INC) -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-delete-null-pointer-checks -mgeneral-regs-only \
	-ffunction-sections -fdata-sections -Isrc -Iguest
GUEST_LDFLAGS := -m32 -nostdlib -static -Wl,-T,guest/pvh.ld -Wl,--build-id=none \
	-Wl,--gc-sections -Wl,-z,noexecstack -Wl,-z,max-page-size=4096
GUEST_SRCS    := $(wildcard guest/*.c) $(wildcard src/core/*.c)
GUEST_OBJS    := $(patsubst %.c,build/guest/%.o,$(GUEST_SRCS)) build/guest/guest/entry.o

build/guest/%.o: %.c Makefile guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

build/guest/guest/entry.o: guest/entry.S Makefile guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) -m32 -c -o $@ $<

# build/guest/pvhprobe-debug.elf keeps the symbols (addr2line for the EIP
# of a PVHPROBE TRAP line); pvhprobe.elf is it stripped.
build/guest/pvhprobe-debug.elf: $(GUEST_OBJS) guest/pvh.ld
	$(GUEST_CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

pvhprobe.elf: build/guest/pvhprobe-debug.elf
	$(OBJCOPY) --strip-all $< $@

guest: pvhprobe.elf

check-guest: pvhprobe.elf
	sh tests/guest/run.sh ./pvhprobe.elf

-include $(GUEST_OBJS:.o=.d)
