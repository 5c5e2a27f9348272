/* test_source.c - the live sources: CPUID faulting is reported, not a
 * SIGSEGV; /dev/cpu/N/cpuid errors name the file and the likely cause. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc_libc.h"
#include "core/leaftab.h"
#include "source.h"

#if defined(__x86_64__) || defined(__i386__)
#include <asm/prctl.h>
#include <sys/syscall.h>

/* In a child: turn CPUID faulting on (where the CPU and kernel can), then
 * open the instruction source. It must refuse with -ENOTSUP and a message,
 * without executing CPUID (which would kill the child with SIGSEGV). */
static void test_cpuid_faulting(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0)
			_exit(77); /* no CPUID faulting on this CPU: nothing to test */
		struct cpuid_source s;
		char msg[SOURCE_ERRMSG] = "";
		int r = source_insn_open(&s, -1, msg, sizeof(msg));
		_exit(r == -ENOTSUP && strstr(msg, "CPUID faulting") ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* On x86 the instruction source works and the table executes each leaf once. */
static void test_insn_once(void **state)
{
	(void)state;
	struct cpuid_source s;
	char msg[SOURCE_ERRMSG];
	if (source_insn_open(&s, -1, msg, sizeof(msg)) != 0)
		skip();
	struct leaftab t;
	lt_init(&t, &s, &alloc_libc);
	struct cpuid_regs a = lt_get(&t, 0, 0);
	struct cpuid_regs b = lt_get(&t, 0, 0);
	assert_true(regs_equal(&a, &b));
	assert_int_equal(t.executions, 1);
	assert_int_equal(t.lookups, 2);
	lt_free(&t);
	source_close(&s);
}
#endif

static void test_dev_missing(void **state)
{
	(void)state;
	struct cpuid_source s;
	char msg[SOURCE_ERRMSG] = "";
	assert_int_equal(source_dev_open(&s, "/nonexistent-root", 3, msg, sizeof(msg)), -ENOENT);
	assert_non_null(strstr(msg, "/nonexistent-root/dev/cpu/3/cpuid"));
	assert_non_null(strstr(msg, "modprobe cpuid"));
}

/* A source that counts its calls and answers each base with its own
 * number, so that reading the bases back to back can be checked. */
struct counting {
	struct cpuid_source s;
	unsigned calls;
};

static int count_exec(struct cpuid_source *s, uint32_t leaf, uint32_t subleaf, struct leaf_entry *out)
{
	((struct counting *)s)->calls++;
	out->r = (struct cpuid_regs){ leaf, subleaf, leaf ^ 0x5a5a5a5au, 7 };
	out->recorded = true;
	return leaf == 0x40008000u ? -EIO : 0;
}

/* lt_read_bases() executes each base not read yet exactly once, gives what
 * lt_get() would, and latches a source error as lt_get() does. */
static void test_read_bases(void **state)
{
	(void)state;
	struct counting c = { .s = { .kind = SOURCE_DUMP, .exec = count_exec } };
	struct leaftab t;
	lt_init(&t, &c.s, &alloc_libc);
	struct cpuid_regs first = lt_get(&t, 0x40000100u, 0); /* already read: not again */
	lt_read_bases(&t);
	assert_int_equal(c.calls, 256);
	assert_int_equal(t.executions, 256);
	lt_read_bases(&t);
	assert_int_equal(c.calls, 256);
	for (unsigned i = 0; i < HV_NBASES; i++) {
		struct cpuid_regs r = lt_get(&t, hv_base(i), 0);
		if (hv_base(i) == 0x40008000u) {
			assert_true(regs_zero(&r));
			assert_false(lt_recorded(&t, hv_base(i), 0));
		} else {
			assert_int_equal(r.eax, hv_base(i));
			assert_int_equal(r.ecx, hv_base(i) ^ 0x5a5a5a5au);
		}
	}
	assert_int_equal(first.eax, 0x40000100u);
	assert_int_equal(c.calls, 256);
	assert_int_equal(t.err, -EIO);
	assert_int_equal(t.err_leaf, 0x40008000u);
	assert_int_equal(t.cache.n, 256);
	lt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#if defined(__x86_64__) || defined(__i386__)
		cmocka_unit_test(test_cpuid_faulting),
		cmocka_unit_test(test_insn_once),
#endif
		cmocka_unit_test(test_dev_missing),
		cmocka_unit_test(test_read_bases),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
