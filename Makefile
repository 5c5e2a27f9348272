# pvhprobe - build, test, install.
#
#   make            build ./pvhprobe (static when the libraries' archives are
#                   installed; LINK=dynamic for a shared build)
#   make check      every test (unit, CLI golden cases, dump corpus, live smoke)
#   make install    PREFIX=/usr/local DESTDIR= (with pvhprobe.elf, under
#                   $(PREFIX)/lib/pvhprobe/, when `make guest` built it)
#   make deps       install the Debian packages building and running need (root)
#   make deps-test  and those the tests need too (root)
#
# CC, CFLAGS, CPPFLAGS, LDFLAGS, PKG_CONFIG, PREFIX, DESTDIR and LINK
# (static or dynamic) are honoured.
# WERROR=1 turns warnings into errors (CI does). SANITIZE=1 builds with
# AddressSanitizer and UndefinedBehaviorSanitizer.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
LIBDIR     ?= $(PREFIX)/lib
CC         ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS     ?= -O2 -g
SHARED     ?= ../shared

WARN := -std=c17 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# Dependencies through pkg-config. libcpuid is x86-only; a build without it
# still analyses dumps (issue: non-x86 builds).
DEP_PKGS := jansson
HAVE_LIBCPUID := $(shell $(PKG_CONFIG) --exists libcpuid 2>/dev/null && echo 1)
ifeq ($(HAVE_LIBCPUID),1)
DEP_PKGS += libcpuid
DEP_CPPFLAGS += -DHAVE_LIBCPUID=1
endif
HAVE_XENSTORE := $(shell $(PKG_CONFIG) --exists xenstore 2>/dev/null && echo 1)
ifeq ($(HAVE_XENSTORE),1)
DEP_PKGS += xenstore
DEP_CPPFLAGS += -DHAVE_XENSTORE=1
endif

# Optional: decompress a bzImage's payload to check the ELF notes inside.
HAVE_LIBLZMA := $(shell $(PKG_CONFIG) --exists liblzma 2>/dev/null && echo 1)
ifeq ($(HAVE_LIBLZMA),1)
DEP_PKGS += liblzma
DEP_CPPFLAGS += -DHAVE_LIBLZMA=1
endif
HAVE_LIBZSTD := $(shell $(PKG_CONFIG) --exists libzstd 2>/dev/null && echo 1)
ifeq ($(HAVE_LIBZSTD),1)
DEP_PKGS += libzstd
DEP_CPPFLAGS += -DHAVE_LIBZSTD=1
endif

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS))
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(DEP_PKGS))

# Linking. ./pvhprobe is linked statically when every library it uses has
# its archive installed (Debian's -dev packages ship them): loading glibc's
# ld.so and five shared libraries costs 0.55-0.6 ms, a quarter of a run
# (bench/README.md). The probe below is the question itself: can an empty
# program be linked -static against those libraries? LINK=dynamic builds a
# shared binary (the Debian package does); SANITIZE=1 is always dynamic
# (the sanitizer runtimes do not link statically). build/dynamic/pvhprobe is
# the shared twin valgrind's leak checks need (make check-valgrind).
ifeq ($(SANITIZE),1)
LINK := dynamic
endif
ifeq ($(origin LINK),undefined)
LINK := $(shell printf 'int main(void){return 0;}\n' | $(CC) -static -x c - -o /dev/null \
	$$($(PKG_CONFIG) --static --libs $(DEP_PKGS)) >/dev/null 2>&1 && echo static || echo dynamic)
endif
ifeq ($(LINK),static)
MAIN_LDFLAGS := -static
MAIN_LIBS    := $(shell $(PKG_CONFIG) --static --libs $(DEP_PKGS))
else
MAIN_LIBS    := $(DEP_LIBS)
endif
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS   = $(WARN) $(CFLAGS)
ALL_CPPFLAGS = -D_GNU_SOURCE $(DEP_CPPFLAGS) $(DEP_CFLAGS) -Isrc $(CPPFLAGS)
DEPFLAGS     = -MMD -MP

# The sources, by stage (README.md "Layout"; data flows down this list).
# Stages 2-4, the analysis core: leaf table, scan, signature table, decoders,
# models. Pure functions of the leaves; built hosted here and freestanding
# by check-core (and linked into the probe guest). core/mem.c is the
# freestanding build's own memcpy and friends: libc's serve the hosted one.
CORE_SRCS     := $(filter-out src/core/mem.c,$(wildcard src/core/*.c))
# Stage 1, where leaves come from: the CPUID instruction, /dev/cpu, every
# vCPU, the cost of one CPUID; the core's allocator over libc.
SOURCE_SRCS   := $(wildcard src/source*.c) src/alloc_libc.c
# Recorded input: the bounded reader, cpuid -r / AIDA64 text, pvhprobe's
# own JSON reports, bug-report bundles.
DUMP_SRCS     := $(wildcard src/input*.c src/dump*.c)
# Stage 5, what the running system shows: boot_params, /sys/hypervisor,
# xenstore, DMI and ACPI, all under a sysroot.
EVIDENCE_SRCS := $(wildcard src/evidence*.c)
# Kernel images on disk: ELF, bzImage, their decompressors.
KIMAGE_SRCS   := $(wildcard src/kimage*.c)
# Stage 6, the one data model: the report, the CPU's identity, comparisons.
REPORT_SRCS   := $(wildcard src/report*.c)
# Stage 7, renderers: text, JSON, env, Prometheus, and their escapes.
RENDER_SRCS   := $(wildcard src/render*.c)
# The program: options, the runs that tie the stages together, main.
RUN_SRCS      := src/cli.c $(wildcard src/run*.c)

LIB_SRCS := $(CORE_SRCS) $(SOURCE_SRCS) $(DUMP_SRCS) $(EVIDENCE_SRCS) $(KIMAGE_SRCS) \
	$(REPORT_SRCS) $(RENDER_SRCS) $(RUN_SRCS)
# Every source belongs to a stage.
STRAY_SRCS := $(filter-out $(LIB_SRCS) src/main.c src/core/mem.c,$(wildcard src/*.c src/core/*.c))
ifneq ($(STRAY_SRCS),)
$(error sources in no stage list of the Makefile: $(STRAY_SRCS))
endif
LIB_OBJS  := $(LIB_SRCS:src/%.c=build/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

.PHONY: all check check-unit check-core check-cli check-corpus check-matrix matrix mutate check-live check-completions \
	check-install check-systemd check-deb install uninstall clean deps deps-test static guest check-guest

all: pvhprobe

build/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

build/libpvhprobe.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

pvhprobe: build/main.o build/libpvhprobe.a build/link-$(LINK)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(MAIN_LDFLAGS) -o $@ build/main.o build/libpvhprobe.a $(MAIN_LIBS)

# Relinks ./pvhprobe when LINK changes.
build/link-$(LINK):
	@mkdir -p build
	@rm -f build/link-*
	@touch $@

build/dynamic/pvhprobe: build/main.o build/libpvhprobe.a
	@mkdir -p build/dynamic
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/main.o build/libpvhprobe.a $(DEP_LIBS)

build/tests/%: tests/unit/%.c build/libpvhprobe.a
	@mkdir -p build/tests
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) -Itests/unit $(ALL_CFLAGS) $(DEPFLAGS) $(LDFLAGS) -o $@ $< \
		build/libpvhprobe.a $(CMOCKA_LIBS) $(DEP_LIBS)

# The core, freestanding: each core source compiled with -ffreestanding
# -nostdinc (only the compiler's own freestanding headers: no libc header
# can be reached) for x86-64 and for 32-bit x86 (the probe guest's mode),
# linked into one relocatable object with core/mem.c, which must then need
# no symbol from outside.
FREE_INC    := $(shell $(CC) -print-file-name=include)
FREE_CFLAGS  = -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers $(if $(filter 1,$(WERROR)),-Werror) -O2 \
	-ffreestanding -nostdinc -isystem $(FREE_INC) -fno-stack-protector -fno-pic \
	-fno-asynchronous-unwind-tables -mno-red-zone -mgeneral-regs-only
FREE_SRCS   := $(CORE_SRCS) src/core/mem.c
FREE_ARCHS  := 64 32
build/free%/core.o: $(FREE_SRCS) Makefile
	@mkdir -p $(@D)
	@set -e; objs=""; for s in $(FREE_SRCS); do \
		o=$(@D)/$$(basename $$s .c).o; \
		$(CC) -m$* $(FREE_CFLAGS) -c -o $$o $$s; objs="$$objs $$o"; \
	done; $(LD) -m $(if $(filter 32,$*),elf_i386,elf_x86_64) -r -o $@ $$objs
check-core: $(FREE_ARCHS:%=build/free%/core.o)
	@set -e; for o in $^; do \
		undef=$$(nm -u $$o); \
		if [ -n "$$undef" ]; then echo "check-core: $$o needs symbols from outside the core:"; \
			echo "$$undef"; exit 1; fi; \
		echo "ok - $$o: the core builds freestanding, $$(size -B $$o | awk 'NR==2 {print $$1+$$2+$$3}') bytes, no undefined symbol"; \
	done

-include $(LIB_OBJS:.o=.d) build/main.d $(UNIT_BINS:=.d)

check: check-core check-unit check-cli check-corpus check-matrix check-live check-completions check-install check-systemd

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-cli: pvhprobe
	sh tests/cli/run-golden.sh ./pvhprobe tests/golden
	sh tests/cli/manpage.sh ./pvhprobe man/pvhprobe.1
	sh tests/cli/man-examples.sh ./pvhprobe man/pvhprobe.1
	sh tests/cli/xenstore.sh ./pvhprobe
	sh tests/cli/formats.sh ./pvhprobe
	sh tests/cli/io.sh ./pvhprobe

check-corpus: pvhprobe
	sh tests/corpus/run-corpus.sh ./pvhprobe $(SHARED)/dumps

# docs/matrix.md: every model on every dump (tests/matrix/make-matrix.sh).
# make matrix rewrites it; check-matrix fails when it is stale (without
# $(SHARED)/dumps only the hand-built rows are compared).
matrix: pvhprobe
	sh tests/matrix/make-matrix.sh ./pvhprobe $(SHARED)/dumps >docs/matrix.md.tmp && mv docs/matrix.md.tmp docs/matrix.md

check-matrix: pvhprobe
	sh tests/matrix/check-matrix.sh ./pvhprobe $(SHARED)/dumps

# Mutation testing of the models and the scan (minutes; not in make check).
mutate:
	sh tests/mutate/run.sh -j 2

check-live: pvhprobe
	sh tests/live/smoke.sh ./pvhprobe

check-completions: pvhprobe
	sh tests/cli/completions.sh ./pvhprobe

check-install: pvhprobe
	MAKE=$(MAKE) sh tests/cli/install.sh

check-systemd: pvhprobe
	sh tests/cli/systemd.sh ./pvhprobe

# Slow (builds the Debian package): CI runs it, `make check` does not.
check-deb:
	sh tests/cli/debian.sh

# `pvhprobe boot` on the real probe guest under QEMU TCG (tests/guest/boot.sh;
# fails when QEMU is missing). CI calls it; `make check` does not boot VMs.
.PHONY: check-boot
check-boot: pvhprobe pvhprobe.elf
	sh tests/guest/boot.sh ./pvhprobe ./pvhprobe.elf

# Hardening (issue 7; docs/hardening.md): not part of `make check`.
# check-valgrind needs a plain build (not SANITIZE=1) and runs the shared
# twin build/dynamic/pvhprobe (memcheck cannot replace malloc in a static
# binary, so it could not check for leaks there); check-unprivileged
# needs root; check-arm64 builds its own copies under $TMPDIR.
.PHONY: check-valgrind check-arm64 check-unprivileged check-limits check-cpuid-faulting
check-valgrind: build/dynamic/pvhprobe
	sh tests/hardening/valgrind.sh build/dynamic/pvhprobe
check-arm64:
	sh tests/hardening/arm64.sh
check-unprivileged: pvhprobe
	sh tests/hardening/unprivileged.sh ./pvhprobe
check-limits: pvhprobe
	sh tests/hardening/limits.sh ./pvhprobe
check-cpuid-faulting: pvhprobe
	sh tests/hardening/cpuid-faulting.sh ./pvhprobe

# libFuzzer fuzzers for every parser and the whole analysis (fuzz/README.md).
.PHONY: fuzz fuzz-smoke
fuzz:
	$(MAKE) -C fuzz && sh fuzz/run.sh 600
fuzz-smoke:
	$(MAKE) -C fuzz && sh fuzz/run.sh 20

deps:
	sh scripts/install-deps.sh
deps-test:
	sh scripts/install-deps.sh --test

# Where each shell looks for completions. bash: bash-completion's own
# completionsdir (pkg-config), with its datadir moved to ours, so that a
# PREFIX=/usr/local install stays under /usr/local (bash-completion 2 also
# searches $XDG_DATA_DIRS, /usr/local/share first); without the .pc file the
# same place. zsh: Debian's vendor-completions for PREFIX=/usr, else
# site-functions (zsh searches /usr/local/share/zsh/site-functions). fish: its
# vendor directory (fish reads the one under /usr/local only when it is in
# $XDG_DATA_DIRS). Each can be overridden.
BASHCOMPDIR ?= $(or $(shell $(PKG_CONFIG) --define-variable=prefix=$(PREFIX) \
	--define-variable=datadir=$(DATADIR) --variable=completionsdir bash-completion \
	2>/dev/null),$(DATADIR)/bash-completion/completions)
ZSHCOMPDIR  ?= $(DATADIR)/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
SCHEMAS     := $(wildcard schema/*.json)
# The systemd units of contrib/systemd (disabled until enabled): systemd's
# own systemdsystemunitdir (pkg-config) under our prefix, else
# PREFIX/lib/systemd/system (systemd reads /usr/local/lib/systemd/system
# too). The service is installed naming BINDIR/pvhprobe.
SYSTEMDUNITDIR ?= $(or $(shell $(PKG_CONFIG) --define-variable=prefix=$(PREFIX) \
	--define-variable=rootprefix=$(PREFIX) --variable=systemdsystemunitdir systemd \
	2>/dev/null),$(PREFIX)/lib/systemd/system)
UNITS       := pvhprobe-textfile.service pvhprobe-textfile.timer

install: pvhprobe
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/pvhprobe \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 pvhprobe $(DESTDIR)$(BINDIR)/pvhprobe
	install -m 0644 man/pvhprobe.1 $(DESTDIR)$(MANDIR)/man1/pvhprobe.1
	install -m 0644 $(SCHEMAS) $(DESTDIR)$(DATADIR)/pvhprobe/
	install -m 0644 completions/pvhprobe.bash $(DESTDIR)$(BASHCOMPDIR)/pvhprobe
	install -m 0644 completions/_pvhprobe $(DESTDIR)$(ZSHCOMPDIR)/_pvhprobe
	install -m 0644 completions/pvhprobe.fish $(DESTDIR)$(FISHCOMPDIR)/pvhprobe.fish
	if [ -f pvhprobe.elf ]; then install -d $(DESTDIR)$(LIBDIR)/pvhprobe && \
		install -m 0644 pvhprobe.elf $(DESTDIR)$(LIBDIR)/pvhprobe/pvhprobe.elf; fi
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	@mkdir -p build
	t=build/pvhprobe-textfile.service.$$$$; \
	sed 's|/usr/bin/pvhprobe|$(BINDIR)/pvhprobe|g' contrib/systemd/pvhprobe-textfile.service >$$t && \
	install -m 0644 $$t $(DESTDIR)$(SYSTEMDUNITDIR)/pvhprobe-textfile.service; st=$$?; rm -f $$t; exit $$st
	install -m 0644 contrib/systemd/pvhprobe-textfile.timer $(DESTDIR)$(SYSTEMDUNITDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pvhprobe $(DESTDIR)$(MANDIR)/man1/pvhprobe.1 \
		$(addprefix $(DESTDIR)$(DATADIR)/pvhprobe/,$(notdir $(SCHEMAS))) \
		$(DESTDIR)$(BASHCOMPDIR)/pvhprobe $(DESTDIR)$(ZSHCOMPDIR)/_pvhprobe \
		$(DESTDIR)$(FISHCOMPDIR)/pvhprobe.fish $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(UNITS)) \
		$(DESTDIR)$(LIBDIR)/pvhprobe/pvhprobe.elf
	-rmdir $(DESTDIR)$(DATADIR)/pvhprobe $(DESTDIR)$(LIBDIR)/pvhprobe

clean:
	rm -rf build pvhprobe pvhprobe-static pvhprobe.elf

# Static binary for guests (tests/vm, docs/e2e-vm.md): every source compiled
# again under build/static with `$(CC) -static`, against the .a files of
# libjansson-dev and libcpuid-dev. Without xenstore unless STATIC_XENSTORE=1
# (libxenstore.a and libxentoolcore.a of libxen-dev; remove build/static when
# switching).
STATIC_PKGS := jansson $(if $(filter 1,$(HAVE_LIBCPUID)),libcpuid) \
	$(if $(filter 1,$(STATIC_XENSTORE)),xenstore)
STATIC_CPPFLAGS = -D_GNU_SOURCE $(if $(filter 1,$(STATIC_XENSTORE)),-DHAVE_XENSTORE=1) \
	$(if $(filter 1,$(HAVE_LIBCPUID)),-DHAVE_LIBCPUID=1) \
	$(shell $(PKG_CONFIG) --cflags $(STATIC_PKGS)) -Isrc $(CPPFLAGS)
STATIC_LIBS = $(shell $(PKG_CONFIG) --static --libs $(STATIC_PKGS))
STATIC_OBJS := $(patsubst src/%.c,build/static/%.o,$(LIB_SRCS) src/main.c)
# No sanitizers: their runtimes do not link statically (SANITIZE=1 check-vm).
STATIC_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(ALL_CFLAGS))
STATIC_LDFLAGS = $(filter-out -fsanitize=%,$(LDFLAGS))

static: pvhprobe-static

build/static/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(STATIC_CPPFLAGS) $(STATIC_CFLAGS) $(DEPFLAGS) -c -o $@ $<
-include $(STATIC_OBJS:.o=.d)

pvhprobe-static: $(STATIC_OBJS)
	$(CC) -static $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $@ $^ $(STATIC_LIBS)

# Boots Debian's kernel under QEMU (TCG) through PVH and the Linux boot
# protocol with pvhprobe-static inside, and checks prediction against the
# guest's evidence (tests/vm/run.sh, docs/e2e-vm.md). Needs root (apt).
.PHONY: check-vm
check-vm: pvhprobe pvhprobe-static
	sh tests/vm/run.sh ./pvhprobe-static ./pvhprobe

# Boots Debian's Xen 4.17 under QEMU (TCG) with Debian's Linux as PVH and PV
# dom0, xenstored and pvhprobe-static inside (tests/xen/run.sh,
# docs/e2e-xen.md). Needs root (apt) and a pvhprobe-static built with
# STATIC_XENSTORE=1 (else its xenstore checks fail).
.PHONY: check-xen
check-xen: pvhprobe pvhprobe-static
	sh tests/xen/run.sh ./pvhprobe-static ./pvhprobe

include guest/guest.mk
