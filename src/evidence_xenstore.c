/* evidence_xenstore.c - the toolstack's view of this domain, from xenstore
 * (optional: built in when pkg-config finds libxenstore).
 *
 * libxenstore blocks on a stuck or missing xenstored, so the reads run in a
 * child process that reports through a pipe; the parent waits at most
 * XS_TIMEOUT_MS and kills it. Only attempted on this machine's own tree
 * (not a replayed --sysroot, which must not be mixed with the local
 * xenstore), on Xen (/sys/hypervisor/type "xen", or /dev/xen/xenbus), or
 * when XENSTORED_PATH names a socket (libxenstore's own override, which the
 * tests use). */
#include "evidence.h"

#include <errno.h>
#include <string.h>

#ifdef HAVE_XENSTORE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>

#define XS_TIMEOUT_MS 1000

static void child(int fd)
{
	struct xs_handle *h = xs_open(XS_OPEN_READONLY);
	if (!h) {
		/* 0xff, then errno: the parent reports why (EACCES: needs root). */
		unsigned char m[2] = { 0xff, (unsigned char)(errno > 0 && errno < 255 ? errno : EIO) };
		if (write(fd, m, 2) != 2)
			_exit(3);
		_exit(2);
	}
	static const char *const keys[3] = { "domid", "name", "vm" };
	for (int i = 0; i < 3; i++) {
		unsigned int len = 0;
		char *v = xs_read(h, XBT_NULL, keys[i], &len);
		unsigned char n = v ? (unsigned char)(len > 95 ? 95 : len) : 0;
		if (write(fd, &n, 1) != 1 || (n && write(fd, v, n) != n))
			_exit(3);
		free(v);
	}
	xs_close(h);
	_exit(0);
}

static int read_full(int fd, void *buf, size_t n, int *left_ms)
{
	size_t got = 0;
	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, *left_ms);
		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ssize_t k = read(fd, (char *)buf + got, n - got);
		if (k <= 0)
			return k == 0 ? -EPIPE : -errno;
		got += (size_t)k;
	}
	return 0;
}

void evidence_xenstore(struct xen_evidence *x, bool live)
{
	x->xenstore_built = true;
	bool on_xen = sbuf_eq(&x->type, "xen") || x->xenbus == 1;
	if (getenv("XENSTORED_PATH"))
		on_xen = live = true;
	if (!live) {
		x->xs_err = -EXDEV; /* a replayed tree: not this machine's xenstore */
		return;
	}
	if (!on_xen) {
		x->xs_err = -ENODEV;
		return;
	}
	fflush(NULL); /* the child must not write our buffered output again */
	int p[2];
	if (pipe(p) < 0) {
		x->xs_err = -errno;
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		x->xs_err = -errno;
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1]);
	}
	close(p[1]);
	int left = XS_TIMEOUT_MS, r = 0;
	struct sbuf *dst[3] = { &x->xs_domid, &x->xs_name, &x->xs_vm };
	for (int i = 0; i < 3 && r == 0; i++) {
		unsigned char n;
		r = read_full(p[0], &n, 1, &left);
		if (r == 0 && n == 0xff) { /* xs_open failed: its errno follows */
			unsigned char e = EIO;
			read_full(p[0], &e, 1, &left);
			r = -(int)e;
			break;
		}
		if (r == 0 && n)
			r = read_full(p[0], dst[i]->b, n, &left);
		if (r == 0) {
			dst[i]->n = n;
			dst[i]->err = n ? 0 : -ENOENT;
		}
	}
	close(p[0]);
	if (r != 0)
		kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		r = -EIO;
	x->xs_err = r;
}
#else
void evidence_xenstore(struct xen_evidence *x, bool live)
{
	(void)live;
	x->xenstore_built = false;
	x->xs_err = -ENOSYS;
}
#endif
