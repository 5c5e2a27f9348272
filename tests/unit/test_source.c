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

#include "leaftab.h"
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
	lt_init(&t, &s);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
#if defined(__x86_64__) || defined(__i386__)
		cmocka_unit_test(test_cpuid_faulting),
		cmocka_unit_test(test_insn_once),
#endif
		cmocka_unit_test(test_dev_missing),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
