/* lib/dns/mobile.c: the client's lookup of a mobile server (issue 15):
 * the home address from the AAAA, the care-of address from a CAAAA found
 * in the ADDITIONAL section of the AAAA answer (the paper's semantics, as
 * mobbed's kresd-caaaa serves them), in the ANSWER of the CAAAA query (what
 * plain servers do) or in the ADDITIONAL of the CAAAA answer (the paper's
 * section 3.1 word for word).  See dns.h for the contract.
 *
 * Queries are written here (a header, one question, an OPT) rather than
 * with ldns: the NSS module links this file, and a query needs nothing
 * ldns adds.  Answers go through mk_dns_msg_parse, which keeps sections. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "wire/cursor.h"

enum { CNAME_MAX = 8, EDNS_SIZE = 1232, RESP_MAX = 65535 };

const char *mk_mobile_result_name(enum mk_mobile_result r)
{
	static const char *const n[] = { "found", "nodata", "nxdomain", "rcode", "timeout",
					 "malformed", "truncated" };
	return (unsigned)r < sizeof n / sizeof n[0] ? n[r] : "?";
}

const char *mk_mobile_coa_name(enum mk_mobile_coa c)
{
	static const char *const n[] = { "none", "additional-of-aaaa", "answer-of-caaaa",
					 "additional-of-caaaa" };
	return (unsigned)c < sizeof n / sizeof n[0] ? n[c] : "?";
}

void mk_mobile_init(struct mk_mobile *out)
{
	memset(out, 0, sizeof *out);
	out->result = MK_MOBILE_TIMEOUT;
	out->coa_from = MK_COA_NONE;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The uncompressed wire name at m->buf[off]. */
static int rec_name(const struct mk_dns_msg *m, size_t off, uint8_t *out, size_t *len)
{
	size_t next;
	return mk_dns_name_read(m->buf, m->len, off, out, len, &next, 1).err == MK_E_OK;
}

/* The question must be ours: one entry, our name (any case), our type, IN. */
static int is_our_answer(const struct mk_dns_msg *m, const uint8_t *qname, size_t qlen,
			 uint16_t qtype)
{
	uint8_t n[MK_DNS_NAME_MAX];
	size_t nl;

	if (!(m->flags & MK_DNS_F_QR) || m->opcode != MK_DNS_OP_QUERY || m->count[0] != 1 ||
	    m->nrec < 1 || m->rec[0].section != MK_DNS_SEC_QUESTION)
		return 0;
	if (m->rec[0].type != qtype || m->rec[0].cls != MK_DNS_C_IN)
		return 0;
	return rec_name(m, m->rec[0].off, n, &nl) && mk_dns_name_eq(n, nl, qname, qlen);
}

/* Follow the CNAME chain in the ANSWER section from qname: canon gets the
 * last name of it. */
static void follow_cnames(const struct mk_dns_msg *m, const uint8_t *qname, size_t qlen,
			  uint8_t *canon, size_t *clen)
{
	uint8_t n[MK_DNS_NAME_MAX];
	size_t nl;

	memcpy(canon, qname, qlen);
	*clen = qlen;
	for (int hop = 0; hop < CNAME_MAX; hop++) {
		int moved = 0;
		for (unsigned i = 0; i < m->nrec && !moved; i++) {
			const struct mk_dns_rec *r = &m->rec[i];
			if (r->section != MK_DNS_SEC_ANSWER || r->kind != MK_DNS_RD_CNAME ||
			    !rec_name(m, r->off, n, &nl) || !mk_dns_name_eq(n, nl, canon, *clen))
				continue;
			if (!rec_name(m, r->rd.cname_off, canon, clen))
				return;
			moved = 1;
		}
		if (!moved)
			return;
	}
}

static int owner_is(const struct mk_dns_msg *m, const struct mk_dns_rec *r, const uint8_t *a,
		    size_t al, const uint8_t *b, size_t bl)
{
	uint8_t n[MK_DNS_NAME_MAX];
	size_t nl;
	return rec_name(m, r->off, n, &nl) &&
	       (mk_dns_name_eq(n, nl, a, al) || mk_dns_name_eq(n, nl, b, bl));
}

/* The first CAAAA of the name in section sec: 1 and *out set, or 0. */
static int find_caaaa(struct mk_mobile *out, const struct mk_dns_msg *m, unsigned sec,
		      const uint8_t *qname, size_t qlen, const uint8_t *canon, size_t clen,
		      enum mk_mobile_coa from)
{
	for (unsigned i = 0; i < m->nrec; i++) {
		const struct mk_dns_rec *r = &m->rec[i];
		if (r->section != sec || r->kind != MK_DNS_RD_CAAAA || r->cls != MK_DNS_C_IN ||
		    !owner_is(m, r, qname, qlen, canon, clen))
			continue;
		memcpy(out->coa, r->rd.aaaa, 16);
		out->coa_ttl = r->ttl;
		out->coa_from = from;
		return 1;
	}
	return 0;
}

struct mk_status mk_mobile_digest(struct mk_mobile *out, const uint8_t *qname, size_t qlen,
				  uint16_t qtype, const uint8_t *resp, size_t len,
				  struct mk_dns_msg *m, const struct mk_codepoints *cp)
{
	uint8_t canon[MK_DNS_NAME_MAX];
	size_t clen;
	int is_aaaa = qtype == MK_DNS_T_AAAA;
	struct mk_status st;

	if (!is_aaaa && qtype != mk_cp(cp, MK_CP_CAAAA_TYPE))
		return mk_fail(MK_E_INVAL, 0);
	st = mk_dns_msg_parse(resp, len, m, cp);
	if (st.err != MK_E_OK) {
		if (out->parse_err.err == MK_E_OK)
			out->parse_err = st;
		if (is_aaaa && !out->aaaa_answered)
			out->result = MK_MOBILE_MALFORMED;
		return st;
	}
	if (!is_our_answer(m, qname, qlen, qtype))
		return mk_fail(MK_E_INVAL, 0);
	unsigned rc = mk_dns_msg_rcode(m);
	follow_cnames(m, qname, qlen, canon, &clen);

	if (!is_aaaa) {
		out->caaaa_answered = 1;
		out->caaaa_rcode = rc;
		if (rc == MK_DNS_R_NOERROR && out->coa_from == MK_COA_NONE &&
		    !find_caaaa(out, m, MK_DNS_SEC_ANSWER, qname, qlen, canon, clen,
				MK_COA_ANSWER_CAAAA))
			find_caaaa(out, m, MK_DNS_SEC_ADDITIONAL, qname, qlen, canon, clen,
				   MK_COA_ADDITIONAL_CAAAA);
		return mk_ok();
	}

	out->aaaa_answered = 1;
	out->rcode = rc;
	out->n_hoa = 0;
	out->hoa_ttl = 0;
	if (mk_dns_name_to_str(canon, clen, out->canon, sizeof out->canon).err != MK_E_OK)
		out->canon[0] = 0;
	for (unsigned i = 0; i < m->nrec; i++) {
		const struct mk_dns_rec *r = &m->rec[i];
		if (r->section != MK_DNS_SEC_ANSWER || r->kind != MK_DNS_RD_AAAA ||
		    r->cls != MK_DNS_C_IN || !owner_is(m, r, canon, clen, canon, clen))
			continue;
		if (out->n_hoa == 0 || r->ttl < out->hoa_ttl)
			out->hoa_ttl = r->ttl;
		if (out->n_hoa < MK_MOBILE_MAX_HOA)
			memcpy(out->hoa[out->n_hoa++], r->rd.aaaa, 16);
	}
	if (rc == MK_DNS_R_NXDOMAIN)
		out->result = MK_MOBILE_NXDOMAIN;
	else if (rc != MK_DNS_R_NOERROR)
		out->result = MK_MOBILE_RCODE;
	else if (out->n_hoa)
		out->result = MK_MOBILE_FOUND;
	else if (m->flags & MK_DNS_F_TC)
		out->result = MK_MOBILE_TRUNCATED;
	else
		out->result = MK_MOBILE_NODATA;
	/* the paper's semantics first: it makes the CAAAA query unnecessary */
	if (rc == MK_DNS_R_NOERROR)
		find_caaaa(out, m, MK_DNS_SEC_ADDITIONAL, qname, qlen, canon, clen,
			   MK_COA_ADDITIONAL_AAAA);
	return mk_ok();
}

struct mk_status mk_dns_server_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 1];
	unsigned long port = 53;
	const char *h = s;
	size_t hl = strlen(s);

	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		char *end;
		if (!close || close[1] != ':' || !close[2])
			return mk_fail(MK_E_INVAL, 0);
		errno = 0;
		port = strtoul(close + 2, &end, 10);
		if (*end || errno || port == 0 || port > 65535 || close[2] == '-' || close[2] == '+')
			return mk_fail(MK_E_INVAL, (size_t)(close + 2 - s));
		h = s + 1;
		hl = (size_t)(close - s - 1);
	}
	if (hl == 0 || hl >= sizeof host)
		return mk_fail(MK_E_INVAL, 0);
	memcpy(host, h, hl);
	host[hl] = 0;
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof *s6;
	} else if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof *s4;
	} else {
		return mk_fail(MK_E_INVAL, s[0] == '[' ? 1 : 0);
	}
	return mk_ok();
}

/* One query: ID, RD, the question, an OPT offering EDNS_SIZE octets. */
static size_t build_query(uint8_t *buf, size_t cap, uint16_t id, const uint8_t *qname,
			  size_t qlen, uint16_t qtype)
{
	struct mk_wr w;

	mk_wr_init(&w, buf, cap);
	mk_wr_u16(&w, id);
	mk_wr_u16(&w, MK_DNS_F_RD);
	mk_wr_u16(&w, 1);
	mk_wr_u16(&w, 0);
	mk_wr_u16(&w, 0);
	mk_wr_u16(&w, 1);
	mk_wr_bytes(&w, qname, qlen);
	mk_wr_u16(&w, qtype);
	mk_wr_u16(&w, MK_DNS_C_IN);
	mk_wr_u8(&w, 0);                /* OPT: root owner */
	mk_wr_u16(&w, MK_DNS_T_OPT);
	mk_wr_u16(&w, EDNS_SIZE);
	mk_wr_u32(&w, 0);
	mk_wr_u16(&w, 0);
	return mk_wr_ok(&w) ? w.off : 0;
}

struct mk_status mk_dns_lookup_mobile(const char *name, const struct sockaddr *resolver,
				      socklen_t resolver_len, const struct mk_codepoints *cp,
				      unsigned timeout_ms, struct mk_mobile *out, int *sys_errno)
{
	uint8_t qname[MK_DNS_NAME_MAX], q[2][MK_DNS_NAME_MAX + 32];
	size_t qlen, ql[2];
	uint16_t ids[2], types[2] = { MK_DNS_T_AAAA, (uint16_t)mk_cp(cp, MK_CP_CAAAA_TYPE) };
	int answered[2] = { 0, 0 }, resent = 0;
	struct mk_status st;
	uint8_t *resp = NULL;
	struct mk_dns_msg *m = NULL;
	int fd = -1;

	mk_mobile_init(out);
	if (sys_errno)
		*sys_errno = 0;
	st = mk_dns_name_from_str(name, qname, &qlen);
	if (st.err != MK_E_OK)
		return st;
	if (timeout_ms == 0 || !resolver ||
	    (resolver->sa_family != AF_INET6 && resolver->sa_family != AF_INET))
		return mk_fail(MK_E_INVAL, 0);
	if (getrandom(ids, sizeof ids, 0) != (ssize_t)sizeof ids) {
		uint64_t t = mono_ns();
		ids[0] = (uint16_t)(t ^ (t >> 16) ^ (uint64_t)getpid());
		ids[1] = (uint16_t)(ids[0] ^ 0x5a5a);
	}
	if (ids[1] == ids[0])
		ids[1] ^= 1;
	for (int i = 0; i < 2; i++)
		ql[i] = build_query(q[i], sizeof q[i], ids[i], qname, qlen, types[i]);

	resp = malloc(RESP_MAX);
	m = malloc(sizeof *m);
	if (!resp || !m) {
		st = mk_fail(MK_E_NOSPACE, 0);
		goto done;
	}
	fd = socket(resolver->sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, resolver, resolver_len) != 0)
		goto sys;
	uint64_t t0 = mono_ns(), deadline = t0 + (uint64_t)timeout_ms * 1000000u;
	uint64_t resend_at = t0 + (uint64_t)timeout_ms * 500000u;
	/* ECONNREFUSED: an ICMP error to the first query (nothing listens)
	 * reported at the second send; the timeout tells the rest */
	for (int i = 0; i < 2; i++)
		if (send(fd, q[i], ql[i], MSG_NOSIGNAL) != (ssize_t)ql[i] && errno != ECONNREFUSED)
			goto sys;
	for (;;) {
		/* done: both in, or the AAAA answer carried the care-of address */
		if (answered[0] && (answered[1] || out->coa_from == MK_COA_ADDITIONAL_AAAA))
			break;
		uint64_t now = mono_ns();
		if (now >= deadline)
			break;
		if (!resent && now >= resend_at) {
			resent = 1;
			for (int i = 0; i < 2; i++)
				if (!answered[i])
					(void)send(fd, q[i], ql[i], MSG_NOSIGNAL);
		}
		uint64_t until = resent ? deadline : resend_at;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int k = poll(&pfd, 1, (int)((until - now + 999999) / 1000000));
		if (k < 0 && errno != EINTR)
			goto sys;
		if (k <= 0)
			continue;
		ssize_t n = recv(fd, resp, RESP_MAX, 0);
		if (n < 0) {
			/* ICMP port unreachable: nothing listens; wait out the
			 * timeout in case a later send finds it up */
			if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED)
				continue;
			goto sys;
		}
		if (n < MK_DNS_HDR_LEN)
			continue;
		uint16_t id = mk_load16(resp);
		for (int i = 0; i < 2; i++) {
			if (answered[i] || id != ids[i])
				continue;
			struct mk_status d = mk_mobile_digest(out, qname, qlen, types[i], resp,
							      (size_t)n, m, cp);
			if (d.err == MK_E_INVAL)
				continue;  /* not the answer to our question */
			answered[i] = 1;
		}
	}
	out->elapsed_ns = mono_ns() - t0;
	st = mk_ok();
	goto done;
sys:
	if (sys_errno)
		*sys_errno = errno;
	st = mk_fail(MK_E_DNS_SOCKET, 0);
done:
	if (fd >= 0)
		close(fd);
	free(resp);
	free(m);
	return st;
}

struct mk_status mk_dns_resolv_conf(const char *path, struct sockaddr_storage *ss, socklen_t *len)
{
	FILE *f = fopen(path ? path : "/etc/resolv.conf", "re");
	char line[512], a[256];
	int found = 0;

	if (!f)
		return mk_fail(MK_E_INVAL, 0);
	while (!found && fgets(line, sizeof line, f))
		if (sscanf(line, " nameserver %255s", a) == 1 &&
		    mk_dns_server_addr(a, ss, len).err == MK_E_OK)
			found = 1;
	fclose(f);
	return found ? mk_ok() : mk_fail(MK_E_INVAL, 0);
}
