/* stack/core/intake.c: every packet comes in here once.  A captured packet
 * is parsed once (the extension chain with its Home Address option and
 * RH2; a Mobility Header with its checksum and lib/wire's parse) and handed
 * to the roles that asked for it: a Mobility Header by its type (a role's
 * mh_types, mh_all), one that does not parse to the roles that take errors
 * (mh_errors), anything else (tunnelled packets) to on_ip.  Each role
 * decides for itself whether the packet is addressed to it.  ICMPv6 and
 * the TUN device are read here too and handed to every role. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

void intake_parse(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, struct mobd_pkt *p)
{
	p->pkt = pkt;
	p->len = len;
	p->mh = NULL;
	p->mhlen = 0;
	p->cksum = -1;
	p->st.err = MK_E_OK;
	p->st.off = 0;
	p->chain_ok = mk_ip6_chain_parse(pkt, len, &p->ih, &p->c).err == MK_E_OK;
	if (!p->chain_ok || p->c.ulp != MK_MH_NEXTHDR)
		return;
	p->mh = pkt + p->c.ulp_off;
	p->mhlen = p->c.ulp_len;
	/* the checksum over the length the MH says it has, when the packet
	 * holds that much (RFC 6275 9.2: a wrong one is silently discarded) */
	if (p->mhlen >= 8 && 8u * (p->mh[1] + 1u) <= p->mhlen) {
		struct mk_ip6_chain cc = p->c;
		cc.ulp_len = 8u * (p->mh[1] + 1u);
		p->cksum = mk_ip6_ulp_cksum(pkt, &p->ih, &cc) != 0;
	}
	/* the Multiple Home Agents option is read as such in a BU with the MHA flag */
	p->st = mk_mh_parse_ex(p->mh, p->mhlen, cp, MK_MH_PARSE_MHA_IF_FLAG, &p->m);
}

static bool wants(const struct mobd_role *r, const struct mobd_pkt *p)
{
	if (!p->chain_ok || p->st.err != MK_E_OK)
		return r->mh_errors;
	return r->mh_all || (p->m.type < 32 && (r->mh_types & (1u << p->m.type)));
}

static void to_role(struct mobd *d, const struct mobd_role *r)
{
	if (d->n_roles > 1)
		log_role(r->name);
}

void intake_packet(struct mobd *d, const uint8_t *pkt, size_t len)
{
	static struct mobd_pkt p; /* one loop, one packet at a time */
	/* the Mobility Header types of HA Reliability (harp-mh-type,
	 * harp-ss-mh-type) are spoken only by a home agent in that mode: to
	 * every other mobd they are unknown types (RFC 6275 9.2: BE 2) */
	if (!d->cp_in_made) {
		d->cp_in = d->c.cp;
		if (!d->c.harel) {
			d->cp_in.v[MK_CP_HARP_MH_TYPE] = 0;
			d->cp_in.v[MK_CP_HARP_SS_MH_TYPE] = 0;
		}
		d->cp_in_made = true;
	}
	intake_parse(pkt, len, &d->cp_in, &p);
	if (p.chain_ok)
		log_peer(&p.ih.src);
	for (unsigned i = 0; i < d->n_roles; i++) {
		const struct mobd_role *r = d->roles[i];
		to_role(d, r);
		if (!p.chain_ok || p.c.ulp == MK_MH_NEXTHDR) {
			if (r->on_mh && wants(r, &p))
				r->on_mh(d, &p);
		} else if (r->on_ip) {
			r->on_ip(d, &p);
		}
	}
	log_peer(NULL);
}

void intake_tun(struct mobd *d)
{
	static uint8_t buf[65536];
	for (int i = 0; i < 256; i++) {
		ssize_t r = read(d->io.tun_fd, buf, sizeof buf);
		if (r <= 0)
			break;
		if ((buf[0] >> 4) != 6 || r < 40)
			continue;
		for (unsigned k = 0; k < d->n_roles; k++)
			if (d->roles[k]->on_tun) {
				to_role(d, d->roles[k]);
				d->roles[k]->on_tun(d, buf, (size_t)r);
			}
	}
}

void intake_icmp6(struct mobd *d)
{
	uint8_t buf[2048];
	char cbuf[256];
	for (;;) {
		struct sockaddr_in6 from;
		struct iovec iov = { buf, sizeof buf };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof cbuf };
		struct in6_addr dst = IN6ADDR_ANY_INIT;
		ssize_t r = recvmsg(d->io.icmp_fd, &mh, 0);
		if (r <= 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				dst = pi.ipi6_addr;
			}
		log_peer(&from.sin6_addr);
		for (unsigned k = 0; k < d->n_roles; k++)
			if (d->roles[k]->on_icmp6) {
				to_role(d, d->roles[k]);
				d->roles[k]->on_icmp6(d, buf, (size_t)r, &from.sin6_addr, &dst);
			}
		log_peer(NULL);
	}
}

const struct mobd_bce *role_binding(struct mobd *d, unsigned id, const struct in6_addr *hoa)
{
	for (unsigned i = 0; i < d->n_roles; i++)
		if (d->roles[i]->id == id && d->roles[i]->binding && d->rs[id])
			return d->roles[i]->binding(d, hoa);
	return NULL;
}

void mobd_coa_changed(struct mobd *d, const struct in6_addr *hoa, const struct in6_addr *coa,
		      bool at_home)
{
	const char *was = log_role_name();
	for (unsigned i = 0; i < d->n_roles; i++)
		if (d->roles[i]->on_coa) {
			to_role(d, d->roles[i]);
			d->roles[i]->on_coa(d, hoa, coa, at_home);
		}
	log_role(was);
}
