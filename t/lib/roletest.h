/* t/lib/roletest.h: a mobd role's unit test without a network.  What the
 * role sends is caught: the test is linked with -Wl,--wrap=mk_raw6_send
 * (see the GNUmakefile rules of t/stack/correspondent.t and t/stack/mn-ro.t),
 * so every packet the core sends (io_send: msg_send, msg_encap, msg_bu_rr
 * ...) lands in sent[] instead of the raw socket; n_sent counts the sends
 * since the test set it to 0, the first MAX_SENT are kept whole.  The TUN
 * device is a pipe: what tun_write writes is read from the end
 * roletest_init returns.  Included by one file of the test program. */
#ifndef MK_T_ROLETEST_H
#define MK_T_ROLETEST_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "net/raw6.h"
#include "stack/core/core.h"

#define MAX_SENT 8
static uint8_t sent[MAX_SENT][2048];
static size_t sent_len[MAX_SENT];
static int n_sent;

int __wrap_mk_raw6_send(struct mk_raw6 *r, const uint8_t *pkt, size_t len);
int __wrap_mk_raw6_send(struct mk_raw6 *r, const uint8_t *pkt, size_t len)
{
	(void)r;
	if (n_sent < MAX_SENT && len <= sizeof sent[0]) {
		memcpy(sent[n_sent], pkt, len);
		sent_len[n_sent] = len;
	}
	n_sent++;
	return 0;
}

/* role alone in d, no raw socket, the TUN a non-blocking pipe, the log on
 * stderr, the event loop up: the pipe's read end, -1 if something failed */
static int roletest_init(struct mobd *d, const struct mobd_role *role)
{
	int fds[2] = { -1, -1 };
	d->io.raw.fd = -1;
	if (pipe2(fds, O_NONBLOCK) == 0)
		d->io.tun_fd = fds[1];
	d->roles[0] = role;
	d->n_roles = 1;
	log_init(true, false);
	return ev_init() == 0 ? fds[0] : -1;
}

#endif
