/* stack/core/netlink.c: what mobd asks of the kernel's routing tables
 * (libmnl, one request at a time with its acknowledgement): addresses,
 * routes, rules, proxy neighbours (only to remove leftovers now); and a
 * socket subscribed to address and route changes (the mobile node's
 * movement detection).  The home agent's kernel state per binding is no
 * route and no proxy entry but an element of an nftables set (nft.c):
 * the kernel's proxy table is 16 linear lists (20k entries took 2.7 s
 * here, 100k 537 s), and a /128 route per binding (fib6_add, in netlink
 * batches until 2026-12) cost the home agent about 5 us of CPU per BU
 * more than the set element (tools/bench-mobd.sh). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "stack/core/core.h"

#define NLBUF 16384 /* MNL_SOCKET_BUFFER_SIZE is computed at run time: a VLA */

static struct mnl_socket *mobd_nl;
static unsigned mobd_nl_seq;

int nl_open(void)
{
	if (mobd_nl)
		return 0;
	mobd_nl = mnl_socket_open(NETLINK_ROUTE);
	if (!mobd_nl || mnl_socket_bind(mobd_nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mobd_nl_seq = (unsigned)time(NULL);
	return 0;
}

/* send one request, wait for its ack; -errno from the kernel, or 0 */
static int nl_talk(struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	char buf[NLBUF];
	int r;
	if (nl_open() != 0)
		return -EIO;
	h->nlmsg_seq = ++mobd_nl_seq;
	h->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(mobd_nl, h, h->nlmsg_len) < 0)
		return -errno;
	unsigned portid = mnl_socket_get_portid(mobd_nl);
	while ((r = (int)mnl_socket_recvfrom(mobd_nl, buf, sizeof buf)) > 0) {
		r = mnl_cb_run(buf, (size_t)r, h->nlmsg_seq, portid, cb, data);
		if (r <= MNL_CB_STOP)
			break;
	}
	return r < 0 ? -errno : 0;
}

int nl_addr(bool add, int ifindex, const struct in6_addr *a, unsigned plen, bool nodad)
{
	char buf[NLBUF];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	h->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct ifaddrmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->ifa_family = AF_INET6;
	m->ifa_prefixlen = (uint8_t)plen;
	m->ifa_index = (unsigned)ifindex;
	m->ifa_scope = RT_SCOPE_UNIVERSE;
	m->ifa_flags = nodad ? IFA_F_NODAD : 0;
	mnl_attr_put(h, IFA_LOCAL, 16, a);
	mnl_attr_put(h, IFA_ADDRESS, 16, a);
	if (nodad)
		mnl_attr_put_u32(h, IFA_FLAGS, IFA_F_NODAD);
	return nl_talk(h, NULL, NULL);
}

int nl_route(bool add, int ifindex, const struct in6_addr *dst, unsigned plen, unsigned table,
	     unsigned metric)
{
	char buf[NLBUF];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	h->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct rtmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->rtm_family = AF_INET6;
	m->rtm_dst_len = (uint8_t)plen;
	m->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	m->rtm_protocol = add ? RTPROT_STATIC : RTPROT_UNSPEC; /* delete: any origin */
	m->rtm_scope = RT_SCOPE_UNIVERSE;
	m->rtm_type = RTN_UNICAST;
	if (plen)
		mnl_attr_put(h, RTA_DST, 16, dst);
	mnl_attr_put_u32(h, RTA_OIF, (uint32_t)ifindex);
	mnl_attr_put_u32(h, RTA_TABLE, table);
	if (metric)
		mnl_attr_put_u32(h, RTA_PRIORITY, metric);
	return nl_talk(h, NULL, NULL);
}

int nl_rule(bool add, const struct in6_addr *from, unsigned table, unsigned prio)
{
	char buf[NLBUF];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = add ? RTM_NEWRULE : RTM_DELRULE;
	h->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct fib_rule_hdr *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->family = AF_INET6;
	m->src_len = 128;
	m->action = FR_ACT_TO_TBL;
	m->table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	mnl_attr_put(h, FRA_SRC, 16, from);
	mnl_attr_put_u32(h, FRA_TABLE, table);
	mnl_attr_put_u32(h, FRA_PRIORITY, prio);
	return nl_talk(h, NULL, NULL);
}

int nl_proxy(bool add, int ifindex, const struct in6_addr *a)
{
	char buf[NLBUF];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = add ? RTM_NEWNEIGH : RTM_DELNEIGH;
	h->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct ndmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->ndm_family = AF_INET6;
	m->ndm_ifindex = ifindex;
	m->ndm_state = NUD_PERMANENT;
	m->ndm_flags = NTF_PROXY;
	mnl_attr_put(h, NDA_DST, 16, a);
	return nl_talk(h, NULL, NULL);
}

struct addr_dump {
	int ifindex;
	struct in6_addr *out;
	int max, n;
	uint32_t skip;                   /* IFA_F_* flags that leave an address out */
};

static int addr_cb(const struct nlmsghdr *h, void *data)
{
	struct addr_dump *d = data;
	const struct ifaddrmsg *m = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	const void *addr = NULL;
	uint32_t flags = m->ifa_flags;
	if (h->nlmsg_type != RTM_NEWADDR || m->ifa_family != AF_INET6 ||
	    (int)m->ifa_index != d->ifindex || m->ifa_scope != RT_SCOPE_UNIVERSE)
		return MNL_CB_OK;
	mnl_attr_for_each(a, h, sizeof *m)
	{
		if (mnl_attr_get_type(a) == IFA_ADDRESS && mnl_attr_get_payload_len(a) == 16)
			addr = mnl_attr_get_payload(a);
		if (mnl_attr_get_type(a) == IFA_FLAGS && mnl_attr_get_payload_len(a) == 4)
			flags = mnl_attr_get_u32(a);
	}
	if (!addr || (flags & d->skip))
		return MNL_CB_OK;
	if (d->n < d->max)
		memcpy(&d->out[d->n++], addr, 16);
	return MNL_CB_OK;
}

int nl_addrs(int ifindex, struct in6_addr *out, int max)
{
	return nl_addrs_skip(ifindex, IFA_F_TENTATIVE | IFA_F_DADFAILED, out, max);
}

int nl_addrs_skip(int ifindex, uint32_t skip, struct in6_addr *out, int max)
{
	char buf[NLBUF];
	struct addr_dump d = { ifindex, out, max, 0, skip };
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ifaddrmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->ifa_family = AF_INET6;
	m->ifa_index = (unsigned)ifindex;
	int r = nl_talk(h, addr_cb, &d);
	return r < 0 ? r : d.n;
}

struct proxy_dump {
	int ifindex;
	const struct in6_addr *p;
	unsigned plen;
	struct in6_addr *out;
	int max, n;
};

static int proxy_cb(const struct nlmsghdr *h, void *data)
{
	struct proxy_dump *d = data;
	const struct ndmsg *m = mnl_nlmsg_get_payload(h);
	const struct nlattr *a;
	if (h->nlmsg_type != RTM_NEWNEIGH || m->ndm_family != AF_INET6 ||
	    m->ndm_ifindex != d->ifindex || !(m->ndm_flags & NTF_PROXY))
		return MNL_CB_OK;
	mnl_attr_for_each(a, h, sizeof *m)
	{
		if (mnl_attr_get_type(a) == NDA_DST && mnl_attr_get_payload_len(a) == 16 &&
		    d->n < d->max) {
			struct in6_addr x;
			memcpy(&x, mnl_attr_get_payload(a), 16);
			if (in_prefix(&x, d->p, d->plen))
				d->out[d->n++] = x;
		}
	}
	return MNL_CB_OK;
}

int nl_proxies(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out, int max)
{
	char buf[NLBUF];
	struct proxy_dump d = { ifindex, p, plen, out, max, 0 };
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETNEIGH;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ndmsg *m = mnl_nlmsg_put_extra_header(h, sizeof *m);
	m->ndm_family = AF_INET6;
	m->ndm_ifindex = ifindex;
	m->ndm_flags = NTF_PROXY; /* the kernel dumps the proxy table for this flag */
	int r = nl_talk(h, proxy_cb, &d);
	return r < 0 ? r : d.n;
}

int nl_monitor_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE };
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int nl_monitor_read(int fd, int ifindex)
{
	char buf[16384];
	int changed = 0;
	ssize_t r;
	while ((r = recv(fd, buf, sizeof buf, 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)r);
		     h = mnl_nlmsg_next(h, (int *)&r)) {
			if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
				const struct ifaddrmsg *m = mnl_nlmsg_get_payload(h);
				if (ifindex == 0 || (int)m->ifa_index == ifindex)
					changed = 1;
			} else if (h->nlmsg_type == RTM_NEWROUTE || h->nlmsg_type == RTM_DELROUTE) {
				const struct rtmsg *m = mnl_nlmsg_get_payload(h);
				const struct nlattr *a;
				if (m->rtm_dst_len != 0)
					continue; /* only default routes say a router came or went */
				mnl_attr_for_each(a, h, sizeof *m)
				{
					if (mnl_attr_get_type(a) == RTA_OIF &&
					    (int)mnl_attr_get_u32(a) == ifindex)
						changed = 1;
				}
			}
		}
	}
	return changed;
}


int nl_addr_in_prefix(int ifindex, const struct in6_addr *p, unsigned plen, struct in6_addr *out)
{
	struct in6_addr as[32];
	int n = nl_addrs(ifindex, as, 32);
	for (int i = 0; i < n; i++)
		if (in_prefix(&as[i], p, plen)) {
			*out = as[i];
			return 0;
		}
	return -1;
}
