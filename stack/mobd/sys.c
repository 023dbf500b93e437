/* stack/mobd/sys.c: what mobd asks of the system.
 *
 *   netlink   libmnl, one request at a time with its acknowledgement
 *   TUN       /dev/net/tun, IFF_TUN | IFF_NO_PI: IPv6 packets, no header
 *   nftables  libnftables: one table, made at start, deleted at exit; the
 *             tables of mobd processes that are gone are removed at start
 *   capture   libpcap, immediate mode, inbound only, a BPF filter
 *   send      lib/net/raw6 (IPPROTO_RAW): the packet as built
 *   ICMPv6    a raw socket with an ICMP6_FILTER, hop limit 255 (ND)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_tun.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mobd.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"

/* ---- netlink ---- */

#define NLBUF 16384 /* MNL_SOCKET_BUFFER_SIZE is computed at run time: a VLA */

static struct mnl_socket *nl;
static unsigned nl_seq;

static int nl_open(void)
{
	if (nl)
		return 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nl_seq = (unsigned)time(NULL);
	return 0;
}

/* send one request, wait for its ack; -errno from the kernel, or 0 */
static int nl_talk(struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	char buf[NLBUF];
	int r;
	if (nl_open() != 0)
		return -EIO;
	h->nlmsg_seq = ++nl_seq;
	h->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		return -errno;
	unsigned portid = mnl_socket_get_portid(nl);
	while ((r = (int)mnl_socket_recvfrom(nl, buf, sizeof buf)) > 0) {
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
	if (!addr || (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return MNL_CB_OK;
	if (d->n < d->max)
		memcpy(&d->out[d->n++], addr, 16);
	return MNL_CB_OK;
}

int nl_addrs(int ifindex, struct in6_addr *out, int max)
{
	char buf[NLBUF];
	struct addr_dump d = { ifindex, out, max, 0 };
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
				if ((int)m->ifa_index == ifindex)
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

/* ---- sysctl ---- */

int sys_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, value, strlen(value));
	close(fd);
	return w == (ssize_t)strlen(value) ? 0 : -1;
}

/* ---- nftables ---- */

static int nft_run(const char *cmd, char *err, size_t errlen)
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
static void nft_leftovers(bool *others)
{
	struct nft_ctx *n = nft_ctx_new(NFT_CTX_DEFAULT);
	char cmd[96], err[256], comm[64];
	int pids[64], np = 0;
	*others = false;
	if (!n)
		return;
	nft_ctx_buffer_output(n);
	nft_ctx_buffer_error(n);
	if (nft_run_cmd_from_buffer(n, "list tables ip6\n") == 0) {
		const char *o = nft_ctx_get_output_buffer(n);
		for (const char *l = o; l && *l && np < 64;) {
			int pid;
			char tail;
			if (sscanf(l, "table ip6 mobd_%d%c", &pid, &tail) == 2 && tail == '\n' &&
			    pid > 0 && pid != (int)getpid())
				pids[np++] = pid;
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
		snprintf(cmd, sizeof cmd, "delete table ip6 mobd_%d\n", pids[i]);
		if (nft_run(cmd, err, sizeof err) == 0)
			logm("removed nftables table ip6 mobd_%d left by pid %d, which is gone", pids[i],
			     pids[i]);
		else
			logm("leftover table ip6 mobd_%d: %s", pids[i], err);
	}
}

/* ---- TUN ---- */

static int tun_open(const char *name, int *ifindex, char *err, size_t errlen)
{
	struct ifreq ifr;
	bool existed = if_nametoindex(name) != 0;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		snprintf(err, errlen, "TUN device '%s': %s%s", name, strerror(errno),
			 errno == EBUSY ? " (another process holds it: another mobd?)" : "");
		close(fd);
		return -1;
	}
	if (existed) {
		/* nobody held it, so it was left persistent: from now on it goes
		 * with this descriptor, as one mobd makes */
		ioctl(fd, TUNSETPERSIST, 0);
		logm("TUN device %s was left over: taken over, no longer persistent", name);
	}
	*ifindex = (int)if_nametoindex(name);
	return fd;
}

static int link_up(const char *name, unsigned mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) == 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

static int link_info(const char *name, uint8_t mac[6], struct in6_addr *ll)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", name);
	int r = ioctl(s, SIOCGIFHWADDR, &ifr);
	close(s);
	if (r != 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	/* the EUI-64 link-local address (the testbed does not change it) */
	memset(ll, 0, sizeof *ll);
	ll->s6_addr[0] = 0xfe;
	ll->s6_addr[1] = 0x80;
	ll->s6_addr[8] = mac[0] ^ 2;
	ll->s6_addr[9] = mac[1];
	ll->s6_addr[10] = mac[2];
	ll->s6_addr[11] = 0xff;
	ll->s6_addr[12] = 0xfe;
	ll->s6_addr[13] = mac[3];
	ll->s6_addr[14] = mac[4];
	ll->s6_addr[15] = mac[5];
	return 0;
}

/* ---- open / close ---- */

int sys_open(struct mobd_io *io, const struct mobd_conf *c, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE], cmd[1024];
	struct bpf_program prog;
	struct icmp6_filter filt;
	int one = 1, hops = 255;

	memset(io, 0, sizeof *io);
	io->tun_fd = io->pcap_fd = io->icmp_fd = -1;
	io->raw.fd = -1;
	io->ifindex = (int)if_nametoindex(c->iface);
	if (!io->ifindex) {
		snprintf(err, errlen, "interface '%s': %s", c->iface, strerror(errno));
		return -1;
	}
	if (link_info(c->iface, io->mac, &io->lladdr) != 0) {
		snprintf(err, errlen, "interface '%s': no Ethernet address", c->iface);
		return -1;
	}
	if (nl_open() != 0) {
		snprintf(err, errlen, "netlink: %s", strerror(errno));
		return -1;
	}

	/* keep Mobility Header, Home Address option, RH2 and tunnel packets
	 * from the kernel, which would answer them with Parameter Problem */
	nft_leftovers(&io->others_alive);
	snprintf(io->nft_table, sizeof io->nft_table, "mobd_%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "add table ip6 %s\n"
		 "add chain ip6 %s pre { type filter hook prerouting priority -300; policy accept; }\n"
		 "add rule ip6 %s pre iifname \"%s\" ip6 nexthdr { 41, 43, 60, 135 } drop\n"
		 "add rule ip6 %s pre iifname \"%s\" meta l4proto { 41, 135 } drop\n",
		 io->nft_table, io->nft_table, io->nft_table, c->iface, io->nft_table, c->iface);
	if (nft_run(cmd, err, errlen) != 0)
		return -1;
	io->nft_on = true;

	io->pcap = pcap_create(c->iface, ebuf);
	if (!io->pcap) {
		snprintf(err, errlen, "capture on '%s': %s", c->iface, ebuf);
		return -1;
	}
	pcap_set_snaplen(io->pcap, 65535);
	pcap_set_immediate_mode(io->pcap, 1);
	pcap_set_buffer_size(io->pcap, 32 << 20);
	if (pcap_activate(io->pcap) < 0) {
		snprintf(err, errlen, "capture on '%s': %s", c->iface, pcap_geterr(io->pcap));
		return -1;
	}
	if (pcap_datalink(io->pcap) != DLT_EN10MB) {
		snprintf(err, errlen, "interface '%s' is not Ethernet", c->iface);
		return -1;
	}
	pcap_setdirection(io->pcap, PCAP_D_IN);
	if (pcap_compile(io->pcap, &prog,
			 "ip6 and (ip6[6] == 41 or ip6[6] == 43 or ip6[6] == 60 or ip6[6] == 135)", 1,
			 PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(io->pcap, &prog) != 0) {
		snprintf(err, errlen, "capture filter: %s", pcap_geterr(io->pcap));
		return -1;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(io->pcap, 1, ebuf) != 0) {
		snprintf(err, errlen, "capture: %s", ebuf);
		return -1;
	}
	io->pcap_fd = pcap_get_selectable_fd(io->pcap);

	if (mk_raw6_open(&io->raw, c->iface, err, errlen) != 0)
		return -1;

	io->icmp_fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (io->icmp_fd < 0) {
		snprintf(err, errlen, "ICMPv6 socket: %s", strerror(errno));
		return -1;
	}
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_ROUTER_ADV, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DHAAD_REQUEST, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DHAAD_REPLY, &filt);
	/* a BU's destination that is no home agent answers with these */
	ICMP6_FILTER_SETPASS(MK_ICMP6_PARAM_PROB, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DST_UNREACH, &filt);
	setsockopt(io->icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof filt);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &io->ifindex, sizeof io->ifindex);

	io->tun_fd = tun_open(c->tun, &io->tun_ifindex, err, errlen);
	if (io->tun_fd < 0)
		return -1;
	char p[128];
	snprintf(p, sizeof p, "/proc/sys/net/ipv6/conf/%s/addr_gen_mode", c->tun);
	sys_sysctl(p, "1"); /* no link-local address on the TUN: it sends no RS */
	if (link_up(c->tun, c->mtu) != 0) {
		snprintf(err, errlen, "TUN device '%s': cannot bring it up: %s", c->tun,
			 strerror(errno));
		return -1;
	}
	return 0;
}

void sys_close(struct mobd_io *io, const struct mobd_conf *c)
{
	char cmd[128], err[256];
	if (io->nft_on) {
		snprintf(cmd, sizeof cmd, "delete table ip6 %s\n", io->nft_table);
		if (nft_run(cmd, err, sizeof err) != 0)
			logm("%s", err);
		io->nft_on = false;
	}
	if (io->pcap)
		pcap_close(io->pcap);
	io->pcap = NULL;
	mk_raw6_close(&io->raw);
	if (io->icmp_fd >= 0)
		close(io->icmp_fd);
	if (io->tun_fd >= 0)
		close(io->tun_fd); /* a non-persistent TUN device goes with its descriptor */
	io->icmp_fd = io->tun_fd = -1;
	(void)c;
}

int io_send(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	if (mk_raw6_send(&io->raw, pkt, len) != 0) {
		dbg("send of %zu octets failed: %s", len, strerror(errno));
		return -1;
	}
	return 0;
}

int io_send_na(struct mobd_io *io, const struct in6_addr *target, bool router)
{
	uint8_t m[32];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)io->ifindex };
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	memset(m, 0, sizeof m);
	m[0] = ND_NEIGHBOR_ADVERT;
	m[4] = (uint8_t)((router ? 0x80 : 0) | 0x20); /* R, Override; not Solicited */
	memcpy(m + 8, target, 16);
	m[24] = MK_ND_OPT_TLLA;
	m[25] = 1;
	memcpy(m + 26, io->mac, 6);
	/* the kernel fills the checksum of raw ICMPv6 sockets */
	return sendto(io->icmp_fd, m, sizeof m, 0, (struct sockaddr *)&to, sizeof to) ==
			       (ssize_t)sizeof m
		       ? 0
		       : -1;
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
