/* stack/core/nft.c: the nftables table that keeps Mobility Header, Home
 * Address option, RH2 and tunnel packets from the kernel (libnftables):
 * made at start, deleted at exit; the tables of mobd processes that are
 * gone are removed at start.
 *
 * It is a netdev table on the interface's ingress hook, which comes after
 * the packet sockets that see every frame (mobd's capture, tcpdump) and
 * before the kernel's IPv6 input: a packet mobd takes is dropped before
 * the kernel parses it.  An ip6 table at prerouting (mobd before 2026-12)
 * let IPv6 input and the hook run first for every packet mobd takes.  (On
 * veth that work is charged to the sender: in make bench it is mobprobe's,
 * whose offered rate rose from 240-260k to 240-290k BU/s; the home
 * agent's own rate did not move beyond the runs' spread.)  Tables of
 * either family left by a dead mobd are removed. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stack/core/core.h"

int nft_run(const char *cmd, char *err, size_t errlen)
{
	struct nft_ctx *n = nft_ctx_new(NFT_CTX_DEFAULT);
	int r;
	if (!n) {
		snprintf(err, errlen, "nftables: cannot create a context");
		return -1;
	}
	nft_ctx_buffer_error(n);
	r = nft_run_cmd_from_buffer(n, cmd);
	if (r != 0) {
		const char *e = nft_ctx_get_error_buffer(n);
		snprintf(err, errlen, "nftables: %s", e && *e ? e : "command failed");
		char *nl2 = strchr(err, '\n');
		if (nl2)
			*nl2 = 0;
	}
	nft_ctx_free(n);
	return r;
}

/* The nftables tables of mobd instances that died without their cleanup
 * (kill -9): ip6 mobd_PID where PID is no running mobd.  Removed, each
 * said in the log; *others tells whether a live mobd has a table here. */
void nft_leftovers(bool *others)
{
	struct nft_ctx *n = nft_ctx_new(NFT_CTX_DEFAULT);
	char cmd[96], err[256], comm[64];
	int pids[64], np = 0;
	bool netdev[64];
	*others = false;
	if (!n)
		return;
	nft_ctx_buffer_output(n);
	nft_ctx_buffer_error(n);
	if (nft_run_cmd_from_buffer(n, "list tables\n") == 0) {
		const char *o = nft_ctx_get_output_buffer(n);
		for (const char *l = o; l && *l && np < 64;) {
			int pid;
			char fam[8], tail;
			if (sscanf(l, "table %7[a-z0-9] mobd_%d%c", fam, &pid, &tail) == 3 && tail == '\n' &&
			    (!strcmp(fam, "ip6") || !strcmp(fam, "netdev")) && pid > 0 && pid != (int)getpid()) {
				netdev[np] = fam[0] == 'n';
				pids[np++] = pid;
			}
			l = strchr(l, '\n');
			l = l ? l + 1 : NULL;
		}
	}
	nft_ctx_free(n);
	for (int i = 0; i < np; i++) {
		snprintf(cmd, sizeof cmd, "/proc/%d/comm", pids[i]);
		FILE *f = fopen(cmd, "r");
		bool alive = f && fgets(comm, sizeof comm, f) && !strcmp(comm, "mobd\n");
		if (f)
			fclose(f);
		if (alive) {
			*others = true;
			continue;
		}
		const char *fam = netdev[i] ? "netdev" : "ip6";
		snprintf(cmd, sizeof cmd, "delete table %s mobd_%d\n", fam, pids[i]);
		if (nft_run(cmd, err, sizeof err) == 0)
			log_info("removed nftables table %s mobd_%d left by pid %d, which is gone", fam,
				 pids[i], pids[i]);
		else
			log_warnx("leftover table %s mobd_%d: %s", fam, pids[i], err);
	}
}


int nft_open(struct mobd_io *io, const char *iface, char *err, size_t errlen)
{
	char cmd[1024];
	nft_leftovers(&io->others_alive);
	snprintf(io->nft_table, sizeof io->nft_table, "mobd_%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "add table netdev %s\n"
		 "add chain netdev %s pre { type filter hook ingress device \"%s\" priority -300; policy accept; }\n"
		 "add rule netdev %s pre meta protocol ip6 ip6 nexthdr { 41, 43, 60, 135 } drop\n"
		 "add rule netdev %s pre meta protocol ip6 meta l4proto { 41, 135 } drop\n",
		 io->nft_table, io->nft_table, iface, io->nft_table, io->nft_table);
	if (nft_run(cmd, err, errlen) != 0)
		return -1;
	io->nft_on = true;
	return 0;
}

void nft_close(struct mobd_io *io)
{
	char cmd[128], err[256];
	if (!io->nft_on)
		return;
	snprintf(cmd, sizeof cmd, "delete table netdev %s\n", io->nft_table);
	if (nft_run(cmd, err, sizeof err) != 0)
		log_warnx("%s", err);
	io->nft_on = false;
}

/* ---- the home agent's home addresses: a set in the table (nft_hoa_*) ----
 *
 * With kernel-state yes the home agent keeps the home addresses it holds
 * in a set of the table, "hoas" (type ipv6_addr, a hash), and one rule at
 * the ingress hook drops what is addressed to one of them: the capture,
 * which saw the frame before the hook, hands it to the home agent, which
 * tunnels it to the care-of address (home-agent.c).  No route per binding.
 *
 * Elements go to the kernel as nf_tables batches (begin, NEWSETELEM or
 * DELSETELEM messages of many elements each, end) on a netlink socket of
 * their own, built with libmnl: queued per loop turn, sent with one
 * sendmsg.  The kernel runs a batch inside that sendmsg, as one
 * transaction, so its acknowledgements are there when it returns; a batch
 * one element of which fails is undone whole, and its elements are sent
 * again one batch each, so the failure is the element's alone (a deletion
 * of an element that is not there is no failure).
 *
 * The set has the size max-bindings: with a size the kernel picks its
 * fixed hash (buckets for 4/3 of the size, 8 octets each, allocated at
 * once) rather than the resizable one.
 *
 * Measured per element (this 2-core machine under other jobs' load, 50k
 * and 100k addresses added into such a set in batches of 16 to 2048, a
 * throwaway program beside mobd's core): these batches 0.9-1.2 us wall
 * clock with the size, 1.2-1.4 us without (resizable hash), up to 2.9 us
 * when the load was higher, not depending on the batch size; the same
 * through libnftables, one "add element ... { a, b, ... }" command per
 * batch on one context, 3.3-16 us (it parses and checks every element in
 * user space first, and costs more the smaller the batch).  In make bench
 * the element is about a tenth of the home agent's CPU per BU with
 * kernel-state yes (home-agent.c says how much the route per binding
 * cost). */
#define NFS_MAX 2048                     /* elements queued before a batch goes */
#define NFS_BUF (NFS_MAX * 32 + 4096)
static struct mnl_socket *nfs;
static char nfs_table[32];
static struct nfs_elem {
	struct in6_addr a;
	bool add;
} nfs_q[NFS_MAX];
static unsigned nfs_n, nfs_seq;

int nft_hoa_open(struct mobd_io *io, unsigned size, char *err, size_t errlen)
{
	char cmd[512];
	if (!io->nft_on) {
		snprintf(err, errlen, "nftables: no table for the home addresses' set");
		return -1;
	}
	snprintf(cmd, sizeof cmd,
		 "add set netdev %s hoas { type ipv6_addr; size %u; }\n"
		 "add rule netdev %s pre meta protocol ip6 ip6 daddr @hoas drop\n",
		 io->nft_table, size, io->nft_table);
	if (nft_run(cmd, err, errlen) != 0)
		return -1;
	nfs = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nfs || mnl_socket_bind(nfs, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "netlink (nftables): %s", strerror(errno));
		if (nfs)
			mnl_socket_close(nfs);
		nfs = NULL;
		return -1;
	}
	int big = 4 << 20;
	setsockopt(mnl_socket_get_fd(nfs), SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	snprintf(nfs_table, sizeof nfs_table, "%s", io->nft_table);
	nfs_seq = (unsigned)time(NULL) ^ 0x3c3c0000u;
	nfs_n = 0;
	return 0;
}

void nft_hoa_close(void)
{
	if (nfs)
		mnl_socket_close(nfs);
	nfs = NULL;
	nfs_n = 0;
}

unsigned nft_hoa_queued(void)
{
	return nfs_n;
}

static struct nlmsghdr *nfs_hdr(char *at, uint16_t type, uint16_t flags, uint8_t family,
				uint16_t res_id)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(at);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++nfs_seq;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(h, sizeof *g);
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return h;
}

/* one batch of q[0..n) into buf: begin, an element message per run of
 * additions or deletions (each asks for its acknowledgement), end; the
 * length, and in *msgs the element messages */
static size_t nfs_build(const struct nfs_elem *q, unsigned n, char *buf, unsigned *msgs)
{
	size_t len = 0;
	struct nlmsghdr *h = nfs_hdr(buf, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	len += NLMSG_ALIGN(h->nlmsg_len);
	*msgs = 0;
	for (unsigned i = 0; i < n;) {
		bool add = q[i].add;
		h = nfs_hdr(buf + len,
			    (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | (add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM)),
			    (uint16_t)(NLM_F_ACK | (add ? NLM_F_CREATE : 0)), NFPROTO_NETDEV, 0);
		mnl_attr_put_strz(h, NFTA_SET_ELEM_LIST_TABLE, nfs_table);
		mnl_attr_put_strz(h, NFTA_SET_ELEM_LIST_SET, "hoas");
		struct nlattr *list = mnl_attr_nest_start(h, NFTA_SET_ELEM_LIST_ELEMENTS);
		for (; i < n && q[i].add == add; i++) {
			struct nlattr *el = mnl_attr_nest_start(h, NFTA_LIST_ELEM);
			struct nlattr *key = mnl_attr_nest_start(h, NFTA_SET_ELEM_KEY);
			mnl_attr_put(h, NFTA_DATA_VALUE, 16, &q[i].a);
			mnl_attr_nest_end(h, key);
			mnl_attr_nest_end(h, el);
		}
		mnl_attr_nest_end(h, list);
		len += NLMSG_ALIGN(h->nlmsg_len);
		(*msgs)++;
	}
	h = nfs_hdr(buf + len, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	return len + NLMSG_ALIGN(h->nlmsg_len);
}

/* send one batch, read its acknowledgements: 0, or the first error
 * (-errno); *enoent_only: every error was ENOENT */
static int nfs_talk(const struct nfs_elem *q, unsigned n, bool *enoent_only)
{
	static char buf[NFS_BUF];
	char rb[16384];
	unsigned msgs, acks = 0;
	int first = 0;
	size_t len = nfs_build(q, n, buf, &msgs);
	*enoent_only = true;
	for (;;) {
		if (mnl_socket_sendto(nfs, buf, len) >= 0)
			break;
		if (errno != EINTR)
			return -errno;
	}
	while (acks < msgs) {
		ssize_t r = recv(mnl_socket_get_fd(nfs), rb, sizeof rb, MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			/* the kernel answers inside the sendmsg; a wait is a safeguard */
			struct pollfd p = { .fd = mnl_socket_get_fd(nfs), .events = POLLIN };
			if (poll(&p, 1, 5000) == 1)
				continue;
			return first ? first : -ETIMEDOUT;
		}
		if (r <= 0)
			return first ? first : -EIO;
		int left = (int)r;
		for (struct nlmsghdr *h = (struct nlmsghdr *)rb; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			acks++;
			if (e->error) {
				if (!first)
					first = e->error;
				if (e->error != -ENOENT)
					*enoent_only = false;
			}
		}
	}
	return first;
}

int nft_hoa_flush(nft_fail_cb fail, void *arg)
{
	bool enoent_only;
	int nfail = 0;
	if (!nfs || !nfs_n)
		return 0;
	unsigned n = nfs_n;
	nfs_n = 0;
	if (nfs_talk(nfs_q, n, &enoent_only) == 0)
		return 0;
	/* undone whole: each element again on its own */
	for (unsigned i = 0; i < n; i++) {
		int r = nfs_talk(&nfs_q[i], 1, &enoent_only);
		if (r == 0 || (!nfs_q[i].add && enoent_only))
			continue;
		nfail++;
		if (fail)
			fail(arg, nfs_q[i].add, &nfs_q[i].a, r);
	}
	return nfail;
}

int nft_hoa(bool add, const struct in6_addr *a, nft_fail_cb fail, void *arg)
{
	if (!nfs)
		return 1;
	nfs_q[nfs_n].a = *a;
	nfs_q[nfs_n++].add = add;
	return nfs_n == NFS_MAX ? nft_hoa_flush(fail, arg) : 0;
}

/* ha-bu-iface: a router's home agent takes the Binding Updates and the
 * reverse tunnel on its uplink too (home-agent.c says why).  There, and on
 * its home link (iface NULL: the chain "pre" is emptied and filled anew),
 * the table drops only what is addressed to the home agent itself: a
 * router forwards other nodes' tunnels and Mobility Headers (a mobile
 * node on its access link registering with another router's home agent).
 * With hoas the packets to a bound home address are dropped at this
 * ingress too (the capture on it has seen them; the home agent tunnels
 * them). */
int nft_also(struct mobd_io *io, const char *iface, const struct in6_addr *self, bool hoas,
	     char *err, size_t errlen)
{
	static unsigned nchain;
	char cmd[1024], a[INET6_ADDRSTRLEN];
	if (!io->nft_on) {
		snprintf(err, errlen, "nftables: no table for interface %s", iface ? iface : "(home link)");
		return -1;
	}
	inet_ntop(AF_INET6, self, a, sizeof a);
	char ch[16];
	int n;
	if (iface) {
		snprintf(ch, sizeof ch, "x%u", nchain++);
		n = snprintf(cmd, sizeof cmd,
			     "add chain netdev %s %s { type filter hook ingress device \"%s\" priority -300; policy accept; }\n",
			     io->nft_table, ch, iface);
	} else {
		snprintf(ch, sizeof ch, "pre");
		n = snprintf(cmd, sizeof cmd, "flush chain netdev %s pre\n", io->nft_table);
	}
	if (n > 0 && (size_t)n < sizeof cmd)
		n += snprintf(cmd + n, sizeof cmd - (size_t)n,
			      "add rule netdev %s %s meta protocol ip6 ip6 daddr %s ip6 nexthdr { 41, 43, 60, 135 } drop\n"
			      "add rule netdev %s %s meta protocol ip6 ip6 daddr %s meta l4proto { 41, 135 } drop\n",
			      io->nft_table, ch, a, io->nft_table, ch, a);
	if (hoas && n > 0 && (size_t)n < sizeof cmd)
		snprintf(cmd + n, sizeof cmd - (size_t)n,
			 "add rule netdev %s %s meta protocol ip6 ip6 daddr @hoas drop\n", io->nft_table, ch);
	return nft_run(cmd, err, errlen) != 0 ? -1 : 0;
}
