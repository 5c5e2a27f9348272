/* run_boot.c - `pvhprobe boot -- VMM-COMMAND...`: run a VMM that boots the
 * probe guest, read its console from a pipe until the probe's frame has
 * ended (or the timeout), stop it, and report on the capture.
 *
 * The command's stdout and stderr go to one pipe: QEMU -nographic (or
 * -serial stdio), Firecracker and Cloud Hypervisor (--serial tty) print the
 * guest's serial console on stdout. Its stdin is /dev/null. It runs in its
 * own process group, so that stopping it (SIGTERM, then SIGKILL after
 * KILL_GRACE_MS) also stops what a wrapper script started. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/escape.h"
#include "dump_probe_console.h"
#include "run_analysis.h"

#define BOOT_TIMEOUT_DEFAULT 30
#define KILL_GRACE_MS 2000
#define BOOT_LABEL "<VMM console>"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pid_t spawn(char *const argv[], int *rd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "pvhprobe: boot: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no race with the kill below */
	close(p[1]);
	*rd = p[0];
	return pid;
}

/* SIGTERM to the group, SIGKILL after the grace period; returns the
 * wait status. */
static int stop(pid_t pid, bool exited_already)
{
	int st = 0;
	if (!exited_already && waitpid(pid, &st, WNOHANG) == pid)
		return st;
	if (!exited_already)
		kill(-pid, SIGTERM);
	long long until = now_ms() + KILL_GRACE_MS;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			return st;
		if (now_ms() > until) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return st;
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
}

static int save(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	size_t w = fwrite(buf, 1, len, f);
	int rc = w == len ? 0 : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

int run_boot(const struct options *o)
{
	unsigned timeout = o->timeout ? o->timeout : BOOT_TIMEOUT_DEFAULT;
	int rd;
	fflush(stdout);
	pid_t pid = spawn(o->files, &rd);
	if (pid < 0) {
		fprintf(stderr, "pvhprobe: boot: cannot start %s: %s\n", o->files[0], strerror(errno));
		return EXIT_INPUT;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	long long deadline = now_ms() + (long long)timeout * 1000;
	bool eof = false, complete = false, timed_out = false, too_big = false;
	size_t scan = 0; /* where to look for the next END line */
	while (buf && !eof && !complete) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd p = { .fd = rd, .events = POLLIN };
		int r = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (len == cap) {
			char *nb = cap >= DUMP_MAX_BYTES ? NULL : realloc(buf, cap * 2 + 1);
			if (!nb) {
				too_big = true;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(rd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			break;
		}
		len += (size_t)n;
		/* Parse the capture only when an END line has been completed
		 * since the last look: a chatty VMM costs a memmem per read. */
		for (;;) {
			const char *m = memmem(buf + scan, len - scan, "PVHPROBE END ", 13);
			const char *nl = m ? memchr(m, '\n', (size_t)(buf + len - m)) : NULL;
			if (!nl) {
				if (!m && len - scan > 12)
					scan = len - 12; /* a marker may straddle reads */
				break;
			}
			scan = (size_t)(nl + 1 - buf);
			if ((complete = probe_console_complete(buf, scan) > 0))
				break;
		}
	}
	close(rd);
	int st = stop(pid, eof && waitpid(pid, NULL, WNOHANG) == pid);
	(void)st;
	if (!buf) {
		fprintf(stderr, "pvhprobe: boot: out of memory\n");
		return EXIT_INPUT;
	}
	buf[len] = '\0';
	int rc = EXIT_OK;
	if (o->capture) {
		int r = save(o->capture, buf, len);
		if (r < 0) {
			fprintf(stderr, "pvhprobe: %s: %s\n", o->capture, strerror(-r));
			rc = EXIT_INPUT;
		}
	}
	if (!complete) {
		if (timed_out)
			fprintf(stderr, "pvhprobe: boot: no complete probe report within %u s; %s stopped\n", timeout, o->files[0]);
		else if (too_big)
			fprintf(stderr, "pvhprobe: boot: more than %u MiB of console output without a complete report\n",
				DUMP_MAX_BYTES >> 20);
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			fprintf(stderr, "pvhprobe: boot: %s did not run (exit status 127)\n", o->files[0]);
	}
	if (rc == EXIT_OK && !probe_console_detect(buf, len)) {
		/* Not a capture at all: show what the command said last. */
		const char *e = buf + len;
		while (e > buf && (e[-1] == '\n' || e[-1] == '\r'))
			e--;
		const char *s = e;
		while (s > buf && s[-1] != '\n' && e - s < 200)
			s--;
		char last[1024];
		escape_c((const uint8_t *)s, (size_t)(e - s), last, sizeof(last));
		fprintf(stderr, "pvhprobe: %s: no PVHPROBE BEGIN line in %zu bytes of console output, expected the probe guest's report (does the command boot pvhprobe.elf with its serial console on stdout?)%s%s%s\n",
			o->capture ? o->capture : BOOT_LABEL, len, len ? "; its last line: \"" : "", len ? last : "", len ? "\"" : "");
		rc = EXIT_INPUT;
	}
	if (rc != EXIT_OK) {
		free(buf);
		return rc;
	}
	struct analysis *a = analysis_new();
	if (!a) {
		free(buf);
		fprintf(stderr, "pvhprobe: out of memory\n");
		return EXIT_OUTPUT;
	}
	a->buf = buf;
	a->len = len;
	rc = analysis_open(a, o, o->capture ? o->capture : BOOT_LABEL);
	a->buf = NULL;
	if (rc == EXIT_OK)
		rc = run_render(o, a);
	else
		analysis_free(a);
	free(buf);
	return rc;
}
