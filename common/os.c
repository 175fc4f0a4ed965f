/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * os.c - shared system chores.
 */
#include "os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

long ss_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ss_ms_until(long deadline)
{
	long left = deadline - ss_now_ms();

	return left < 0 ? 0 : left > 1000000000L ? 1000000000 : (int)left;
}

/* Close the descriptors >= FROM listed in /proc/self/fd, read with
 * getdents64 (no malloc).  0, or -1 when /proc cannot be read. */
static int close_listed(int from)
{
	char buf[4096];
	long got;
	int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir < 0)
		return -1;
	/* Closing what was listed does not disturb the listing: the kernel
	 * walks the table by number. */
	while ((got = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *d =
			    (struct dirent64 *)(void *)(buf + off);
			const char *p = d->d_name;
			long fd = 0;

			for (; *p >= '0' && *p <= '9' && fd < 1 << 30; p++)
				fd = fd * 10 + (*p - '0');
			if (!*p && p != d->d_name && fd >= from && fd != dir)
				close((int)fd);
			off += d->d_reclen;
		}
	}
	close(dir);
	return got == 0 ? 0 : -1;
}

void ss_close_from(int from, long max_fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)from, ~0U, 0) == 0)
		return;
#endif
	if (close_listed(from) == 0)
		return;
	for (long fd = from; fd < max_fd; fd++)
		close((int)fd);
}

int ss_random_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];

	if (nbytes > sizeof(raw)) {
		out[0] = '\0';
		errno = EINVAL;
		return -1;
	}
	if (getrandom(raw, nbytes, 0) != (ssize_t)nbytes) {
		out[0] = '\0';
		return -1;
	}
	for (size_t i = 0; i < nbytes; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * nbytes] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

const char *ss_process_getenv(const char *name, void *arg)
{
	(void)arg;
	return getenv(name);
}

int ss_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
