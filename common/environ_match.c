/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * environ_match.c - streaming match of NUL-separated environment entries.
 */
#include "environ_match.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int ss_env_match_init(struct ss_env_match *m, const char *const *want, size_t n)
{
	memset(m, 0, sizeof(*m));
	if (!want || n == 0 || n > SS_ENV_MATCH_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *eq = want[i] ? strchr(want[i], '=') : NULL;

		if (!eq || eq == want[i])
			return -1;
		m->want[i] = want[i];
		m->want_len[i] = strlen(want[i]);
		m->name_len[i] = (size_t)(eq - want[i]) + 1;
	}
	m->n = n;
	m->alive = (1u << n) - 1;
	return 0;
}

/* The current entry ended (NUL, or the end of the data). */
static void end_entry(struct ss_env_match *m)
{
	for (size_t i = 0; i < m->n; i++) {
		unsigned bit = 1u << i;

		/* The first entry with the name decides. */
		if (!(m->named & bit) || (m->decided & bit))
			continue;
		m->decided |= bit;
		if ((m->alive & bit) && m->pos == m->want_len[i])
			m->matched |= bit;
	}
	m->pos = 0;
	m->alive = (1u << m->n) - 1;
	m->named = 0;
	m->pending = false;
}

void ss_env_match_feed(struct ss_env_match *m, const char *buf, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		char c = buf[k];

		if (c == '\0') {
			end_entry(m);
			continue;
		}
		m->pending = true;
		/* Compare this byte with byte POS of each wanted entry still
		 * equal so far; a longer entry stops matching. */
		for (size_t i = 0; i < m->n && m->alive; i++) {
			unsigned bit = 1u << i;

			if (!(m->alive & bit))
				continue;
			if (m->pos >= m->want_len[i] || m->want[i][m->pos] != c)
				m->alive &= ~bit;
			else if (m->pos + 1 == m->name_len[i])
				m->named |= bit; /* "NAME=" read */
		}
		/* Saturate rather than wrap on endless input. */
		if (m->pos < (size_t)-1)
			m->pos++;
	}
}

bool ss_env_match_settled(const struct ss_env_match *m)
{
	unsigned all = (1u << m->n) - 1;

	/* One name decided against us settles it too. */
	return m->decided == all || (m->decided & ~m->matched);
}

bool ss_env_match_result(struct ss_env_match *m, bool at_eof)
{
	if (at_eof && m->pending)
		end_entry(m);
	return m->n && m->matched == (1u << m->n) - 1;
}

bool ss_environ_match_buf(const char *buf, size_t len, const char *const *want,
			  size_t n)
{
	struct ss_env_match m;

	if (ss_env_match_init(&m, want, n))
		return false;
	ss_env_match_feed(&m, buf, len);
	return ss_env_match_result(&m, true);
}

int ss_environ_match_fd(int fd, const char *const *want, size_t n, size_t cap)
{
	struct ss_env_match m;
	char buf[16384];
	size_t total = 0;

	if (ss_env_match_init(&m, want, n)) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		size_t room = cap - total;
		ssize_t got;

		if (ss_env_match_settled(&m))
			break;
		/* Cut short: an entry in progress is not known whole. */
		if (room == 0)
			return ss_env_match_result(&m, false) ? 1 : 0;
		got = read(fd, buf, room < sizeof(buf) ? room : sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		ss_env_match_feed(&m, buf, (size_t)got);
		total += (size_t)got;
	}
	return ss_env_match_result(&m, true) ? 1 : 0;
}
