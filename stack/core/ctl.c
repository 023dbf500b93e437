/* stack/core/ctl.c: the control socket (mobctl).  Non-blocking: every
 * connection has its own buffers and is served by the loop as its octets
 * come and go, so a client that sends half a line, or reads its answer
 * slowly, holds nobody else up.  A connection sends one command line
 * ("NAME [json] [ARGS...]"; the arguments go to the command as one
 * string), gets the answer and is closed; one that sends no whole line
 * within MOBD_CTL_IDLE_MS is closed unanswered.
 *
 * Commands come from the daemon's table {name, roles, help, handler};
 * "commands" (or "help") lists those of the roles running. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "stack/core/core.h"

#define CTL_LINE_MAX 256

struct ctl_conn {
	int fd;                          /* -1: free */
	char in[CTL_LINE_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outoff;
	struct mobd_timer idle;
};

static struct {
	int fd;
	struct mobd *d;
	char path[108];
	const struct mobd_cmd *cmds;
	size_t n_cmds;
	struct ctl_conn conns[MOBD_CTL_MAX_CONNS];
} mobd_ctl = { .fd = -1 };

static bool serves(const struct mobd *d, const struct mobd_cmd *c)
{
	if (!c->roles)
		return true;
	for (unsigned i = 0; i < d->n_roles; i++)
		if (c->roles & MOBD_RB(d->roles[i]->id))
			return true;
	return false;
}

static void list_commands(struct mobd *d, bool json, FILE *f)
{
	bool first = true;
	if (json)
		fputc('[', f);
	for (size_t i = 0; i < mobd_ctl.n_cmds; i++) {
		const struct mobd_cmd *c = &mobd_ctl.cmds[i];
		if (!serves(d, c))
			continue;
		if (json)
			fprintf(f, "%s{\"name\":\"%s\",\"help\":\"%s\"}", first ? "" : ",", c->name,
				c->help);
		else
			fprintf(f, "%-10s %s\n", c->name, c->help);
		first = false;
	}
	if (json)
		fputs("]\n", f);
	else
		fprintf(f, "%-10s %s\n", "commands", "this list");
}

/* the next word of *s (blanks skipped), NUL-terminated in place, *s past
 * it; NULL at the end of the line */
static char *next_word(char **s)
{
	char *p = *s + strspn(*s, " \t\r\n");
	if (!*p) {
		*s = p;
		return NULL;
	}
	char *e = p + strcspn(p, " \t\r\n");
	if (*e)
		*e++ = 0;
	*s = e;
	return p;
}

char *ctl_answer(struct mobd *d, const char *line, size_t *len)
{
	char buf[CTL_LINE_MAX], *rest = buf, *out = NULL;
	snprintf(buf, sizeof buf, "%s", line);
	/* only the first line counts */
	buf[strcspn(buf, "\r\n")] = 0;
	char *name = next_word(&rest);
	FILE *f = open_memstream(&out, len);
	if (!f)
		return NULL;
	/* "json" right after the name; the rest are the command's arguments,
	 * their outer blanks removed */
	rest += strspn(rest, " \t");
	bool json = !strncmp(rest, "json", 4) && (!rest[4] || rest[4] == ' ' || rest[4] == '\t');
	if (json)
		rest += 4 + strspn(rest + 4, " \t");
	size_t al = strlen(rest);
	while (al && (rest[al - 1] == ' ' || rest[al - 1] == '\t'))
		rest[--al] = 0;
	size_t i = 0;
	if (!name) {
		fprintf(f, "error: empty command\n");
	} else if (!strcmp(name, "commands") || !strcmp(name, "help")) {
		list_commands(d, json, f);
	} else {
		for (i = 0; i < mobd_ctl.n_cmds; i++)
			if (!strcmp(name, mobd_ctl.cmds[i].name) && serves(d, &mobd_ctl.cmds[i]))
				break;
		if (i < mobd_ctl.n_cmds) {
			mobd_ctl.cmds[i].fn(d, &mobd_ctl.cmds[i], json, rest, f);
		} else {
			fprintf(f, "error: unknown command '%s' (", name);
			const char *sep = "";
			for (i = 0; i < mobd_ctl.n_cmds; i++)
				if (serves(d, &mobd_ctl.cmds[i])) {
					fprintf(f, "%s%s", sep, mobd_ctl.cmds[i].name);
					sep = ", ";
				}
			fprintf(f, ")\n");
		}
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void conn_close(struct ctl_conn *k)
{
	if (k->fd < 0)
		return;
	ev_timer_stop(&k->idle);
	ev_del(k->fd);
	close(k->fd);
	free(k->out);
	k->out = NULL;
	k->fd = -1;
}

static void idle_cb(void *arg)
{
	conn_close(arg);
}

static void conn_cb(void *arg, uint32_t ev)
{
	struct ctl_conn *k = arg;
	if (!k->out) {
		ssize_t r = recv(k->fd, k->in + k->inlen, sizeof k->in - 1 - k->inlen, 0);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r <= 0 && k->inlen == 0) {
			conn_close(k);
			return;
		}
		if (r > 0)
			k->inlen += (size_t)r;
		k->in[k->inlen] = 0;
		/* a whole line, a full buffer or the end of what comes: answer */
		if (!memchr(k->in, '\n', k->inlen) && k->inlen < sizeof k->in - 1 && r > 0)
			return;
		k->out = ctl_answer(mobd_ctl.d, k->in, &k->outlen);
		if (!k->out) {
			conn_close(k);
			return;
		}
		k->outoff = 0;
		ev_mod(k->fd, EPOLLOUT);
		ev = EPOLLOUT;
	}
	if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
		while (k->outoff < k->outlen) {
			ssize_t s = send(k->fd, k->out + k->outoff, k->outlen - k->outoff,
					 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (s < 0 && errno == EAGAIN)
				return;
			if (s <= 0)
				break;
			k->outoff += (size_t)s;
		}
		conn_close(k);
	}
}

static void accept_cb(void *arg, uint32_t ev)
{
	(void)arg;
	(void)ev;
	for (;;) {
		int fd = accept4(mobd_ctl.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		struct ctl_conn *k = NULL;
		for (int i = 0; i < MOBD_CTL_MAX_CONNS && !k; i++)
			if (mobd_ctl.conns[i].fd < 0)
				k = &mobd_ctl.conns[i];
		if (!k) {
			static const char busy[] = "error: too many control connections\n";
			(void)!send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		memset(k, 0, sizeof *k);
		k->fd = fd;
		if (ev_add(fd, conn_cb, k) != 0) {
			close(fd);
			k->fd = -1;
			continue;
		}
		k->idle.cb = idle_cb;
		k->idle.arg = k;
		ev_timer_arm(&k->idle, MOBD_CTL_IDLE_MS);
	}
}

int ctl_open(struct mobd *d, const char *path, const struct mobd_cmd *cmds, size_t n, char *err,
	     size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	for (int i = 0; i < MOBD_CTL_MAX_CONNS; i++)
		mobd_ctl.conns[i].fd = -1;
	mobd_ctl.d = d;
	mobd_ctl.cmds = cmds;
	mobd_ctl.n_cmds = n;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	/* a socket file with no listener behind it is a leftover: replace it */
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		if (connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0) {
			close(probe);
			close(fd);
			snprintf(err, errlen, "control socket %s: another mobd is listening", path);
			return -1;
		}
		close(probe);
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
		snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	chmod(path, 0600);
	if (ev_add(fd, accept_cb, NULL) != 0) {
		snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	mobd_ctl.fd = fd;
	snprintf(mobd_ctl.path, sizeof mobd_ctl.path, "%s", path);
	return 0;
}

void ctl_close(void)
{
	if (mobd_ctl.fd < 0)
		return;
	for (int i = 0; i < MOBD_CTL_MAX_CONNS; i++)
		conn_close(&mobd_ctl.conns[i]);
	ev_del(mobd_ctl.fd);
	close(mobd_ctl.fd);
	unlink(mobd_ctl.path);
	mobd_ctl.fd = -1;
}
