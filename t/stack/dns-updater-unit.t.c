/* t/stack/dns-updater-unit.t.c: mobd's DNS updater (stack/roles/dns-updater.c,
 * included whole).
 *
 *  - the UPDATE it builds, parsed back with ldns (not with lib/dns's
 *    parser): one zone entry, an update section of exactly one delete of
 *    the CAAAA rrset (class ANY, TTL 0, no RDATA) and one add (class IN,
 *    TTL 0, the care-of address), no AAAA anywhere, no prerequisite, the
 *    TSIG last and verifying; the TTL and the CAAAA codepoint from the
 *    configuration; at home the delete alone; SIG(0) and unsigned forms;
 *  - the back-off schedule and what each rcode makes of an update;
 *  - the role in a loop on loopback against a scripted server in this
 *    test (a UDP socket on ::1): NOERROR with a TSIG that verifies, an
 *    answer whose TSIG does not verify (ignored, the retry answered),
 *    NOTAUTH with the TSIG error BADSIG, REFUSED retried to the last try,
 *    no answer (timeout after exactly dns-tries sends, each with its own
 *    ID), a move that supersedes an update in flight, a truncated answer
 *    (the next try over TCP, to a listener of this test), the delete at home,
 *    and mobctl updater's text and JSON;
 *  - dns-record addrs (issue 17): the address set (withdrawn ones out,
 *    sorted, each once, capped), dns-srv labels, the UPDATE replacing the
 *    AAAA and SRV rrsets (the deletes alone with no address); the role
 *    alone on an absent interface (no address) against the scripted server: the
 *    delete at start, a REFUSED update sent again after the back-off,
 *    mobctl withdraw/restore answers, updater's JSON.  Nothing leaves the
 *    host. */
#include <poll.h>

#include "stack/roles/dns-updater.c"
#include "t/lib/tap.h"

static const char *secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; /* octets 0..31 */
static const char *wrong = "HwAeHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=";
static struct mobd d;
static struct mk_tsig_key key, badkey;
static struct in6_addr HOA, COA1, COA2;
static int srv = -1;                 /* the scripted server */
static struct sockaddr_in6 peer;     /* where the last request came from */
static uint8_t req[4096];
static size_t reqlen;

/* ---- the message, parsed back with ldns ---- */

static ldns_pkt *build(const struct mobd_du_conf *c, const struct mk_codepoints *cp,
		       const struct mk_tsig_key *tk, const struct mk_sig0_key *sk,
		       const struct in6_addr *coa, uint8_t *buf, size_t *len)
{
	uint8_t mac[64];
	size_t maclen;
	ldns_pkt *p = NULL;
	if (du_build(c, cp, tk, sk, coa, coa ? 1 : 0, 0x1234, buf, 4096, len, mac, sizeof mac, &maclen).err != MK_E_OK ||
	    ldns_wire2pkt(&p, buf, *len) != LDNS_STATUS_OK)
		return NULL;
	return p;
}

static bool owner_is(const ldns_rr *rr, const char *name)
{
	ldns_rdf *o = NULL;
	bool eq = ldns_str2rdf_dname(&o, name) == LDNS_STATUS_OK && ldns_dname_compare(ldns_rr_owner(rr), o) == 0;
	ldns_rdf_deep_free(o);
	return eq;
}

/* no AAAA in any section */
static bool no_aaaa(const ldns_pkt *p)
{
	const ldns_rr_list *ls[] = { ldns_pkt_question(p), ldns_pkt_answer(p), ldns_pkt_authority(p),
				     ldns_pkt_additional(p) };
	for (size_t s = 0; s < 4; s++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(ls[s]); i++)
			if (ldns_rr_get_type(ldns_rr_list_rr(ls[s], i)) == LDNS_RR_TYPE_AAAA)
				return false;
	return true;
}

/* the rdata of rr as octets: 16 expected */
static bool rdata_is(const ldns_rr *rr, const struct in6_addr *a)
{
	if (ldns_rr_rd_count(rr) != 1)
		return false;
	const ldns_rdf *r = ldns_rr_rdf(rr, 0);
	return ldns_rdf_size(r) == 16 && memcmp(ldns_rdf_data(r), a, 16) == 0;
}

static void test_message(void)
{
	struct mobd_du_conf c = { .ttl = 0 };
	static uint8_t buf[4096];
	size_t len;
	struct mk_codepoints cp = mk_cp_default;
	snprintf(c.zone, sizeof c.zone, "example.");
	snprintf(c.name, sizeof c.name, "mn.example.");

	ldns_pkt *p = build(&c, &cp, &key, NULL, &COA1, buf, &len);
	tap_ok(p && ldns_pkt_get_opcode(p) == LDNS_PACKET_UPDATE && !ldns_pkt_qr(p) && !ldns_pkt_rd(p) &&
		       ldns_pkt_id(p) == 0x1234,
	       "the UPDATE parses with ldns: opcode UPDATE, QR 0, RD 0, the ID given");
	if (!p) {
		tap_skip(11, "no message");
		return;
	}
	const ldns_rr_list *z = ldns_pkt_question(p), *up = ldns_pkt_authority(p);
	tap_ok(ldns_rr_list_rr_count(z) == 1 && owner_is(ldns_rr_list_rr(z, 0), "example.") &&
		       ldns_rr_get_type(ldns_rr_list_rr(z, 0)) == LDNS_RR_TYPE_SOA &&
		       ldns_rr_get_class(ldns_rr_list_rr(z, 0)) == LDNS_RR_CLASS_IN,
	       "zone section: example. SOA IN");
	tap_ok(ldns_pkt_ancount(p) == 0 && ldns_rr_list_rr_count(up) == 2,
	       "no prerequisite; the update section holds exactly 2 RRs");
	const ldns_rr *del = ldns_rr_list_rr(up, 0), *add = ldns_rr_list_rr(up, 1);
	tap_ok(del && owner_is(del, "mn.example.") && ldns_rr_get_type(del) == 65280 &&
		       ldns_rr_get_class(del) == LDNS_RR_CLASS_ANY && ldns_rr_ttl(del) == 0 &&
		       ldns_rr_rd_count(del) == 0,
	       "first: delete the CAAAA rrset of mn.example. (TYPE65280, class ANY, TTL 0, no RDATA)");
	tap_ok(add && owner_is(add, "mn.example.") && ldns_rr_get_type(add) == 65280 &&
		       ldns_rr_get_class(add) == LDNS_RR_CLASS_IN && ldns_rr_ttl(add) == 0 && rdata_is(add, &COA1),
	       "then: add mn.example. 0 IN TYPE65280 with the care-of address");
	tap_ok(no_aaaa(p), "no AAAA in any section: the home address is left alone");
	tap_ok(ldns_pkt_tsig(p) != NULL && buf[10] == 0 && buf[11] == 1 &&
		       mk_tsig_verify(buf, len, &key, NULL, 0, 0).err == MK_E_OK,
	       "a TSIG (mobbed-key.), the only additional RR, that verifies with the key");
	tap_ok(mk_tsig_verify(buf, len, &badkey, NULL, 0, 0).err == MK_E_TSIG_BAD_MAC,
	       "and does not verify with another secret");
	ldns_pkt_free(p);

	c.ttl = 30;
	mk_cp_set(&cp, "caaaa-type=65534");
	p = build(&c, &cp, &key, NULL, &COA2, buf, &len);
	add = p ? ldns_rr_list_rr(ldns_pkt_authority(p), 1) : NULL;
	del = p ? ldns_rr_list_rr(ldns_pkt_authority(p), 0) : NULL;
	tap_ok(add && del && ldns_rr_ttl(add) == 30 && ldns_rr_get_type(add) == 65534 &&
		       ldns_rr_get_type(del) == 65534 && rdata_is(add, &COA2) && ldns_rr_ttl(del) == 0,
	       "dns-ttl 30 and caaaa-type=65534: the add has TTL 30 and the type, the delete the type");
	ldns_pkt_free(p);

	/* dns-record aaaa (a TCP Migrate host, issue 16): the AAAA rrset */
	cp = mk_cp_default;
	c.ttl = 0;
	c.aaaa = true;
	p = build(&c, &cp, &key, NULL, &COA2, buf, &len);
	add = p ? ldns_rr_list_rr(ldns_pkt_authority(p), 1) : NULL;
	del = p ? ldns_rr_list_rr(ldns_pkt_authority(p), 0) : NULL;
	tap_ok(add && del && ldns_rr_get_type(add) == LDNS_RR_TYPE_AAAA &&
		       ldns_rr_get_type(del) == LDNS_RR_TYPE_AAAA && ldns_rr_get_class(del) == LDNS_RR_CLASS_ANY &&
		       rdata_is(add, &COA2) && ldns_rr_ttl(add) == 0,
	       "dns-record aaaa: the AAAA rrset deleted and the new address added, TTL 0");
	ldns_pkt_free(p);
	c.aaaa = false;

	p = build(&c, &cp, &key, NULL, NULL, buf, &len);
	up = p ? ldns_pkt_authority(p) : NULL;
	del = up ? ldns_rr_list_rr(up, 0) : NULL;
	tap_ok(up && ldns_rr_list_rr_count(up) == 1 && ldns_rr_get_type(del) == 65280 &&
		       ldns_rr_get_class(del) == LDNS_RR_CLASS_ANY && no_aaaa(p) && ldns_pkt_tsig(p),
	       "at home: the delete of the CAAAA rrset alone, signed");
	ldns_pkt_free(p);

	struct mk_sig0_key sk;
	if (mk_sig0_key_generate(&sk, "mn.example.", MK_SIG0_ALG_ED25519).err != MK_E_OK) {
		tap_skip(1, "no Ed25519 key from OpenSSL");
	} else {
		p = build(&c, &cp, NULL, &sk, &COA1, buf, &len);
		tap_ok(p && !ldns_pkt_tsig(p) && ldns_rr_list_rr_count(ldns_pkt_authority(p)) == 2 &&
			       mk_sig0_verify(buf, len, NULL, 0, &sk, 0, NULL).err == MK_E_OK,
		       "SIG(0) instead: no TSIG, the SIG(0) verifies with the key");
		ldns_pkt_free(p);
		mk_sig0_key_free(&sk);
	}
	p = build(&c, &cp, NULL, NULL, &COA1, buf, &len);
	tap_ok(p && !ldns_pkt_tsig(p) && ldns_pkt_arcount(p) == 0 &&
		       ldns_rr_list_rr_count(ldns_pkt_authority(p)) == 2,
	       "unsigned: nothing in the additional section");
	ldns_pkt_free(p);
}

/* dns-record addrs (issue 17): the address set, the UPDATE with the SRVs */
static void test_addrs(void)
{
	struct in6_addr in[6], wd[1], out[4];
	const char *txt[] = { "2001:db8:42::9", "2001:db8:41::7", "2001:db8:42::9", "2001:db8:43::1",
			      "2001:db8:40::1", "2001:db8:41::8" };
	for (int i = 0; i < 6; i++)
		inet_pton(AF_INET6, txt[i], &in[i]);
	wd[0] = in[3];
	unsigned n = du_addr_set(in, 6, wd, 1, out, 4);
	char a[4][INET6_ADDRSTRLEN];
	for (unsigned i = 0; i < n && i < 4; i++)
		mk_ip6_ntop(&out[i], a[i]);
	tap_ok(n == 4 && !strcmp(a[0], "2001:db8:40::1") && !strcmp(a[1], "2001:db8:41::7") &&
		       !strcmp(a[2], "2001:db8:41::8") && !strcmp(a[3], "2001:db8:42::9"),
	       "address set: the withdrawn one out, the duplicate once, sorted, at most 4 (the largest dropped)");
	n = du_addr_set(in, 2, in, 2, out, 4);
	tap_ok(n == 0, "address set: every address withdrawn: empty (the update is a delete)");

	tap_ok(du_srv_label_ok("_mkrv._tcp") && du_srv_label_ok("_sip._udp") && !du_srv_label_ok("mkrv._tcp") &&
		       !du_srv_label_ok("_mkrv") && !du_srv_label_ok("_a._b._c") && !du_srv_label_ok("_._tcp") &&
		       !du_srv_label_ok("_mk rv._tcp"),
	       "dns-srvtext label: _service._proto only (RFC 2782)");

	struct mobd_du_conf c = { .ttl = 30, .addrs = true, .n_srv = 1 };
	struct mk_codepoints cp = mk_cp_default;
	static uint8_t buf[8192];
	size_t len, maclen;
	uint8_t mac[64];
	ldns_pkt *p = NULL;
	snprintf(c.zone, sizeof c.zone, "example.");
	snprintf(c.name, sizeof c.name, "mn.example.");
	snprintf(c.srv[0].owner, sizeof c.srv[0].owner, "_mkrv._tcp.mn.example.");
	c.srv[0].port = 7001;
	c.srv[0].priority = 1;
	c.srv[0].weight = 5;
	struct in6_addr two[2] = { COA1, COA2 };
	bool built = du_build(&c, &cp, &key, NULL, two, 2, 7, buf, sizeof buf, &len, mac, sizeof mac, &maclen).err ==
			     MK_E_OK &&
		     ldns_wire2pkt(&p, buf, len) == LDNS_STATUS_OK;
	const ldns_rr_list *up = p ? ldns_pkt_authority(p) : NULL;
	const ldns_rr *r[5] = { 0 };
	for (size_t i = 0; up && i < 5 && i < ldns_rr_list_rr_count(up); i++)
		r[i] = ldns_rr_list_rr(up, i);
	tap_ok(built && ldns_rr_list_rr_count(up) == 5 && owner_is(r[0], "mn.example.") &&
		       ldns_rr_get_type(r[0]) == LDNS_RR_TYPE_AAAA && ldns_rr_get_class(r[0]) == LDNS_RR_CLASS_ANY &&
		       ldns_rr_get_type(r[1]) == LDNS_RR_TYPE_AAAA && rdata_is(r[1], &COA1) && ldns_rr_ttl(r[1]) == 30 &&
		       ldns_rr_get_type(r[2]) == LDNS_RR_TYPE_AAAA && rdata_is(r[2], &COA2) &&
		       mk_tsig_verify(buf, len, &key, NULL, 0, 0).err == MK_E_OK,
	       "dns-record addrs: delete the AAAA rrset, add each address (TTL 30), signed");
	char *srvtext = r[4] ? ldns_rr2str(r[4]) : NULL;
	tap_ok(r[3] && owner_is(r[3], "_mkrv._tcp.mn.example.") && ldns_rr_get_type(r[3]) == LDNS_RR_TYPE_SRV &&
		       ldns_rr_get_class(r[3]) == LDNS_RR_CLASS_ANY && srvtext &&
		       strstr(srvtext, "_mkrv._tcp.mn.example.\t30\tIN\tSRV\t1 5 7001 mn.example."),
	       "then the SRV rrset replaced: _mkrv._tcp.mn.example. 30 IN SRV 1 5 7001 mn.example.");
	if (srvtext && !strstr(srvtext, "SRV\t1 5 7001"))
		tap_diag("%s", srvtext);
	free(srvtext);
	ldns_pkt_free(p);
	p = NULL;
	built = du_build(&c, &cp, &key, NULL, two, 0, 8, buf, sizeof buf, &len, mac, sizeof mac, &maclen).err == MK_E_OK &&
		ldns_wire2pkt(&p, buf, len) == LDNS_STATUS_OK;
	up = p ? ldns_pkt_authority(p) : NULL;
	tap_ok(built && ldns_rr_list_rr_count(up) == 2 &&
		       ldns_rr_get_type(ldns_rr_list_rr(up, 0)) == LDNS_RR_TYPE_AAAA &&
		       ldns_rr_get_type(ldns_rr_list_rr(up, 1)) == LDNS_RR_TYPE_SRV &&
		       ldns_rr_get_class(ldns_rr_list_rr(up, 1)) == LDNS_RR_CLASS_ANY,
	       "no usable address: the AAAA and SRV rrsets deleted, nothing added");
	ldns_pkt_free(p);
}

static void test_schedule(void)
{
	unsigned want[] = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 }, ok = 1;
	for (unsigned k = 0; k < 8; k++)
		if (du_wait_ms(1000, k) != want[k]) {
			tap_diag("wait after try %u: %u ms, want %u", k, du_wait_ms(1000, k), want[k]);
			ok = 0;
		}
	tap_ok(ok, "back-off from 1000 ms: 1, 2, 4, 8, 16, 32 s, then capped at 60 s");
	tap_ok(du_wait_ms(10, 0) == 10 && du_wait_ms(10, 3) == 80 && du_wait_ms(10, 40) == 60000 &&
		       du_wait_ms(60000, 0) == 60000,
	       "from 10 ms: 10, .. 80 at the 4th; no overflow after 40 doublings");
	tap_ok(du_next_for(MK_DNS_R_NOERROR, false) == DU_NEXT_DONE &&
		       du_next_for(MK_DNS_R_SERVFAIL, false) == DU_NEXT_RETRY &&
		       du_next_for(MK_DNS_R_NOTZONE, true) == DU_NEXT_GIVEUP &&
		       du_next_for(MK_DNS_R_FORMERR, true) == DU_NEXT_GIVEUP,
	       "NOERROR done, SERVFAIL retried, NOTZONE and FORMERR given up even with retry");
	bool all = true;
	unsigned refused[] = { MK_DNS_R_REFUSED, MK_DNS_R_NOTAUTH, MK_DNS_R_BADSIG, MK_DNS_R_BADKEY,
			       MK_DNS_R_BADTIME };
	for (size_t i = 0; i < 5; i++)
		all = all && du_next_for(refused[i], false) == DU_NEXT_GIVEUP &&
		      du_next_for(refused[i], true) == DU_NEXT_RETRY;
	tap_ok(all, "REFUSED, NOTAUTH, BADSIG, BADKEY, BADTIME: as dns-on-refused says");
}

/* ---- the role on loopback ---- */

/* the next request at the scripted server within ms (the loop runs meanwhile) */
static bool next_request(int ms)
{
	uint64_t until = now_ns() + (uint64_t)ms * 1000000ull;
	while (now_ns() < until) {
		struct pollfd pf = { srv, POLLIN, 0 };
		if (poll(&pf, 1, 0) == 1) {
			socklen_t sl = sizeof peer;
			ssize_t n = recvfrom(srv, req, sizeof req, 0, (struct sockaddr *)&peer, &sl);
			if (n > 0) {
				reqlen = (size_t)n;
				return true;
			}
		}
		ev_run_once(5);
	}
	return false;
}

/* the loop runs until the update is no longer in flight (or ms) */
static bool settle(int ms)
{
	uint64_t until = now_ns() + (uint64_t)ms * 1000000ull;
	while (DU(&d)->st == DU_FLIGHT && now_ns() < until)
		ev_run_once(5);
	return DU(&d)->st != DU_FLIGHT;
}

static uint16_t req_id(void)
{
	return reqlen >= 2 ? (uint16_t)(req[0] << 8 | req[1]) : 0;
}

/* the answer to req with rcode, signed with k (NULL: unsigned), TC set
 * when tc, into out (2 octets left free before it); its length, 0 if none */
static size_t make_answer(uint8_t *out, size_t cap, unsigned rcode, const struct mk_tsig_key *k, bool tc)
{
	ldns_pkt *q = NULL, *r = ldns_pkt_new();
	uint8_t mac[64];
	size_t len = 0, maclen = 0;
	if (ldns_wire2pkt(&q, req, reqlen) != LDNS_STATUS_OK || !r) {
		ldns_pkt_free(r);
		return 0;
	}
	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_tc(r, tc);
	ldns_pkt_set_opcode(r, LDNS_PACKET_UPDATE);
	ldns_pkt_set_rcode(r, (uint8_t)rcode);
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	if (k && mk_tsig_mac(req, reqlen, mac, sizeof mac, &maclen).err == MK_E_OK)
		mk_tsig_sign(r, k, 0, mac, maclen);
	if (mk_dns_pkt_wire(r, out, cap, &len).err != MK_E_OK)
		len = 0;
	ldns_pkt_free(q);
	ldns_pkt_free(r);
	return len;
}

/* the same, sent over UDP to where the request came from */
static void answer_tc(unsigned rcode, const struct mk_tsig_key *k, bool tc)
{
	uint8_t out[4096];
	size_t len = make_answer(out, sizeof out, rcode, k, tc);
	if (len)
		sendto(srv, out, len, 0, (struct sockaddr *)&peer, sizeof peer);
}

static void answer(unsigned rcode, const struct mk_tsig_key *k)
{
	answer_tc(rcode, k, false);
}

/* over TCP: a connection accepted on lst, the request read (its length
 * first) into req, the answer (rcode, signed with k) written back; true if
 * the request came whole within ms */
static bool tcp_exchange(int lst, int ms, unsigned rcode, const struct mk_tsig_key *k)
{
	uint64_t until = now_ns() + (uint64_t)ms * 1000000ull;
	int c = -1;
	uint8_t in[4098], out[4098];
	size_t got = 0;
	while (now_ns() < until) {
		struct pollfd pf = { c < 0 ? lst : c, POLLIN, 0 };
		if (poll(&pf, 1, 0) == 1) {
			if (c < 0) {
				c = accept4(lst, NULL, NULL, SOCK_CLOEXEC);
				continue;
			}
			ssize_t r = recv(c, in + got, sizeof in - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			if (got >= 2 && got >= 2u + (size_t)(in[0] << 8 | in[1])) {
				reqlen = (size_t)(in[0] << 8 | in[1]);
				memcpy(req, in + 2, reqlen);
				size_t len = make_answer(out + 2, sizeof out - 2, rcode, k, false);
				out[0] = (uint8_t)(len >> 8);
				out[1] = (uint8_t)len;
				bool sent = len && send(c, out, len + 2, MSG_NOSIGNAL) == (ssize_t)(len + 2);
				close(c);
				return sent;
			}
		}
		ev_run_once(5);
	}
	if (c >= 0)
		close(c);
	return false;
}

static size_t put(uint8_t *b, size_t n, const void *p, size_t l)
{
	memcpy(b + n, p, l);
	return n + l;
}

/* NOTAUTH with the TSIG error BADSIG and no MAC (RFC 8945 5.2.2), by hand */
static void answer_badsig(void)
{
	static const uint8_t zone[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 6, 0, 1 };
	static const uint8_t kn[] = { 10, 'm', 'o', 'b', 'b', 'e', 'd', '-', 'k', 'e', 'y', 0 };
	static const uint8_t alg[] = { 11, 'h', 'm', 'a', 'c', '-', 's', 'h', 'a', '2', '5', '6', 0 };
	uint8_t b[256];
	uint64_t t = (uint64_t)time(NULL);
	uint8_t hdr[12] = { req[0], req[1], 0x80 | MK_DNS_OP_UPDATE << 3, MK_DNS_R_NOTAUTH, 0, 1, 0, 0, 0, 0, 0, 1 };
	uint8_t fix[10] = { 0, 250, 0, 255, 0, 0, 0, 0, 0, sizeof alg + 16 };
	uint8_t tail[16] = { (uint8_t)(t >> 40), (uint8_t)(t >> 32), (uint8_t)(t >> 24), (uint8_t)(t >> 16),
			     (uint8_t)(t >> 8), (uint8_t)t, 1, 44, 0, 0, req[0], req[1], 0, 16, 0, 0 };
	size_t n = put(b, 0, hdr, sizeof hdr);
	n = put(b, n, zone, sizeof zone);
	n = put(b, n, kn, sizeof kn);
	n = put(b, n, fix, sizeof fix);
	n = put(b, n, alg, sizeof alg);
	n = put(b, n, tail, sizeof tail);
	sendto(srv, b, n, 0, (struct sockaddr *)&peer, sizeof peer);
}

static char *show(bool json)
{
	static char *out;
	size_t n;
	free(out);
	out = NULL;
	FILE *f = open_memstream(&out, &n);
	du_show(&d, "updater", json, f);
	fclose(f);
	return out;
}

/* a move to coa (home: back home) answered NOERROR: true when the request
 * had n updates, the first a delete (class ANY), the last of type type */
static bool exchange(const struct in6_addr *coa, bool home, size_t n, uint16_t type)
{
	ldns_pkt *q = NULL;
	mobd_coa_changed(&d, &HOA, coa, home);
	bool got = next_request(2000) && ldns_wire2pkt(&q, req, reqlen) == LDNS_STATUS_OK;
	ldns_rr_list *up = got ? ldns_pkt_authority(q) : NULL;
	bool okq = up && ldns_rr_list_rr_count(up) == n &&
		   ldns_rr_get_class(ldns_rr_list_rr(up, 0)) == LDNS_RR_CLASS_ANY &&
		   ldns_rr_get_type(ldns_rr_list_rr(up, n - 1)) == type;
	ldns_pkt_free(q);
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	return okq;
}

/* a control command's answer */
static char *command(const char *name, const char *args)
{
	static char *out;
	size_t n;
	const struct mobd_cmd cmd = { name, MOBD_RB(MOBD_R_DU), "", du_cmd_withdraw };
	free(out);
	out = NULL;
	FILE *f = open_memstream(&out, &n);
	du_cmd_withdraw(&d, &cmd, false, args, f);
	fclose(f);
	return out;
}

/* dns-record addrs on an interface that does not exist (no address: the
 * update is the deletes),
 * with the role alone: a failed update is sent again; withdraw, restore */
static void test_role_addrs(void)
{
	char err[256];
	d.c.roles = MOBD_RB(MOBD_R_DU);
	d.c.du.addrs = true;
	d.c.du.n_ifaces = 1;
	snprintf(d.c.du.ifaces[0], sizeof d.c.du.ifaces[0], "mk-no-such0");
	d.c.du.n_srv = 1;
	snprintf(d.c.du.srv[0].owner, sizeof d.c.du.srv[0].owner, "_mkrv._tcp.mn.example.");
	d.c.du.srv[0].port = 7001;
	d.c.du.retry_refused = false;
	d.c.du.tries = 1;
	if (du_start(&d, err, sizeof err) != 0) {
		tap_diag("start: %s", err);
		tap_skip(4, "the addrs mode does not start (netlink)");
		return;
	}
	struct du *u = DU(&d);
	ldns_pkt *q = NULL;
	bool got = next_request(2000);
	const ldns_rr_list *up = got && ldns_wire2pkt(&q, req, reqlen) == LDNS_STATUS_OK ? ldns_pkt_authority(q) : NULL;
	tap_ok(up && ldns_rr_list_rr_count(up) == 2 && ldns_rr_get_type(ldns_rr_list_rr(up, 0)) == LDNS_RR_TYPE_AAAA &&
		       ldns_rr_get_type(ldns_rr_list_rr(up, 1)) == LDNS_RR_TYPE_SRV &&
		       ldns_rr_get_class(ldns_rr_list_rr(up, 1)) == LDNS_RR_CLASS_ANY &&
		       mk_tsig_verify(req, reqlen, &key, NULL, 0, 0).err == MK_E_OK,
	       "addrs mode alone, at start, its interface absent (no address): one signed UPDATE deleting the AAAA and SRV rrsets");
	ldns_pkt_free(q);
	answer(MK_DNS_R_REFUSED, &key);
	settle(50);
	bool failed = u->st == DU_FAILED;
	got = next_request(2000); /* the next back-off: 200 ms */
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	tap_ok(failed && got && u->cnt.resent == 1 && u->st == DU_DONE && u->cnt.updates == 2,
	       "REFUSED: given up, then a new update after the back-off (resent 1), answered NOERROR");
	char a1[64], a2[64], a3[64], a4[64];
	snprintf(a1, sizeof a1, "%s", command("withdraw", "2001:db8:21::5"));
	snprintf(a2, sizeof a2, "%s", command("withdraw", "2001:db8:21::5"));
	snprintf(a3, sizeof a3, "%s", command("withdraw", "2001:db8::x"));
	snprintf(a4, sizeof a4, "%s", command("restore", "2001:db8:21::5"));
	bool quiet = !next_request(300);
	tap_ok(!strcmp(a1, "ok\n") && !strcmp(a2, "error: 2001:db8:21::5 is withdrawn already\n") &&
		       !strncmp(a3, "error: usage: withdraw ADDR: '2001:db8::x'", 42) && !strcmp(a4, "ok\n") && quiet &&
		       u->cnt.withdrawn == 1,
	       "withdraw ok, twice an error, a bad address a usage error, restore ok; no update (the set did not change)");
	if (!quiet || strcmp(a1, "ok\n"))
		tap_diag("%s%s%s%s", a1, a2, a3, a4);
	char *j = show(true);
	tap_ok(strstr(j, "\"published\":[],\"withdrawn\":[],\"interfaces\":[\"mk-no-such0\"],\"srv\":[{\"owner\":\"_mkrv._tcp.mn.example.\",\"priority\":0,\"weight\":0,\"port\":7001,\"target\":\"mn.example.\"}]") &&
		       strstr(j, "\"record\":\"AAAA\"") && strstr(j, "\"resent\":1"),
	       "mobctl updater --json: published, withdrawn, interfaces, srv, the resent counter");
	du_stop(&d);
}

static void test_role(const char *keyfile)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t sl = sizeof sa;
	char err[256];
	srv = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(srv, (struct sockaddr *)&sa, &sl) != 0) {
		tap_skip(18, "no UDP socket on ::1");
		return;
	}
	d.c.cp = mk_cp_default;
	d.c.roles = MOBD_RB(MOBD_R_MN) | MOBD_RB(MOBD_R_DU);
	d.c.du.server = in6addr_loopback;
	d.c.du.port = ntohs(sa.sin6_port);
	snprintf(d.c.du.zone, sizeof d.c.du.zone, "example.");
	snprintf(d.c.du.name, sizeof d.c.du.name, "mn.example.");
	snprintf(d.c.du.tsig_path, sizeof d.c.du.tsig_path, "%s", keyfile);
	d.c.du.timeout_ms = 100;
	d.c.du.tries = 3;
	d.roles[0] = &mobd_dns_updater;
	d.n_roles = 1;
	log_init(true, false);
	if (ev_init() != 0 || du_start(&d, err, sizeof err) != 0) {
		tap_diag("start: %s", err);
		tap_skip(18, "the role does not start");
		return;
	}
	struct du *u = DU(&d);

	/* a move: NOERROR, signed */
	mobd_coa_changed(&d, &HOA, &COA1, false);
	bool got = next_request(2000);
	ldns_pkt *q = NULL;
	tap_ok(got && ldns_wire2pkt(&q, req, reqlen) == LDNS_STATUS_OK &&
		       ldns_rr_list_rr_count(ldns_pkt_authority(q)) == 2 &&
		       rdata_is(ldns_rr_list_rr(ldns_pkt_authority(q), 1), &COA1) &&
		       mk_tsig_verify(req, reqlen, &key, NULL, 0, 0).err == MK_E_OK,
	       "on_coa (mobd_coa_changed): the server gets a signed UPDATE for the new care-of address");
	ldns_pkt_free(q);
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	tap_ok(u->st == DU_DONE && u->outcome && !strcmp(u->outcome, "NOERROR") && u->tries == 1 &&
		       u->answered == 1 && !strcmp(u->answer_tsig, "verified") && u->cnt.rc[0] == 1,
	       "NOERROR with a TSIG that verifies over the request's MAC: done after 1 try");

	/* an answer whose TSIG does not verify is ignored; the retry is answered */
	mobd_coa_changed(&d, &HOA, &COA2, false);
	next_request(2000);
	uint16_t id1 = req_id();
	answer(MK_DNS_R_NOERROR, &badkey);
	got = next_request(2000);
	uint16_t id2 = req_id();
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	tap_ok(got && id1 != id2 && u->cnt.bad_answers == 1 && u->st == DU_DONE && u->answered == 2 &&
		       u->tries == 2 && u->cnt.retries == 1,
	       "a NOERROR whose TSIG does not verify is not believed; the retry (a new ID) is answered");

	/* NOERROR without a TSIG to a signed update: not believed either */
	mobd_coa_changed(&d, &HOA, &COA1, false);
	next_request(2000);
	answer(MK_DNS_R_NOERROR, NULL);
	got = next_request(2000);
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	tap_ok(got && u->cnt.bad_answers == 2 && u->st == DU_DONE && u->answered == 2,
	       "an unsigned NOERROR to a signed UPDATE is not believed (RFC 8945 5.3)");

	/* BADSIG: given up (dns-on-refused give-up, the default) */
	mobd_coa_changed(&d, &HOA, &COA2, false);
	next_request(2000);
	answer_badsig();
	settle(2000);
	char *t = show(false);
	tap_ok(u->st == DU_FAILED && !strcmp(u->outcome, "BADSIG") && u->tries == 1 &&
		       u->cnt.rc[MK_DNS_R_BADSIG] == 1 && strstr(t, "BADSIG"),
	       "NOTAUTH with the TSIG error BADSIG: outcome BADSIG, given up after 1 try");

	/* REFUSED with dns-on-refused retry: every try, then the outcome */
	d.c.du.retry_refused = true;
	mobd_coa_changed(&d, &HOA, &COA1, false);
	unsigned n = 0;
	while (next_request(2000)) {
		n++;
		answer(MK_DNS_R_REFUSED, NULL);
		if (n == 3)
			break;
	}
	settle(3000);
	tap_ok(n == 3 && u->st == DU_FAILED && !strcmp(u->outcome, "REFUSED") && u->tries == 3 &&
		       !strcmp(u->answer_tsig, "unsigned"),
	       "REFUSED with dns-on-refused retry: 3 tries (dns-tries), then REFUSED");
	d.c.du.retry_refused = false;

	/* no answer: timeout after dns-tries tries, each with its own ID */
	mobd_coa_changed(&d, &HOA, &COA2, false);
	uint16_t ids[4] = { 0 };
	n = 0;
	while (n < 4 && next_request(2000))
		ids[n++] = req_id();
	settle(3000);
	tap_ok(n == 3 && ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2] && u->st == DU_FAILED &&
		       !strcmp(u->outcome, "timeout") && u->tries == 3 && u->cnt.timeout == 1 && !u->answered,
	       "no answer: exactly 3 sends (dns-tries 3), 3 IDs, then timeout");

	/* a newer move supersedes the update in flight */
	uint64_t sup = u->cnt.superseded;
	mobd_coa_changed(&d, &HOA, &COA1, false);
	next_request(2000);
	mobd_coa_changed(&d, &HOA, &COA2, false);
	got = next_request(2000);
	q = NULL;
	bool second = got && ldns_wire2pkt(&q, req, reqlen) == LDNS_STATUS_OK &&
		      rdata_is(ldns_rr_list_rr(ldns_pkt_authority(q), 1), &COA2);
	ldns_pkt_free(q);
	answer(MK_DNS_R_NOERROR, &key);
	settle(2000);
	tap_ok(second && u->cnt.superseded == sup + 1 && u->st == DU_DONE && !memcmp(&u->coa, &COA2, 16) &&
		       u->tries == 1,
	       "a move while an update is in flight supersedes it: the new address is published");

	/* a truncated answer: the update goes on over TCP */
	int lst = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lst < 0 || bind(lst, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lst, 2) != 0) {
		tap_skip(1, "no TCP listener on the scripted server's port");
	} else {
		mobd_coa_changed(&d, &HOA, &COA1, false);
		next_request(2000);
		answer_tc(MK_DNS_R_NOERROR, NULL, true);
		got = tcp_exchange(lst, 2000, MK_DNS_R_NOERROR, &key);
		q = NULL;
		bool over_tcp = got && ldns_wire2pkt(&q, req, reqlen) == LDNS_STATUS_OK &&
				rdata_is(ldns_rr_list_rr(ldns_pkt_authority(q), 1), &COA1) &&
				mk_tsig_verify(req, reqlen, &key, NULL, 0, 0).err == MK_E_OK;
		ldns_pkt_free(q);
		settle(2000);
		tap_ok(over_tcp && u->tcp && u->cnt.truncated == 1 && u->st == DU_DONE && u->answered == 2 &&
			       !strcmp(u->answer_tsig, "verified") && strstr(show(true), "\"transport\":\"tcp\""),
		       "a truncated (TC) answer: the next try over TCP (length-prefixed, signed), NOERROR verified");
	}
	if (lst >= 0)
		close(lst);

	/* home: the delete */
	bool delonly = exchange(&HOA, true, 1, 65280);
	tap_ok(delonly && u->st == DU_DONE && u->home, "at home: the CAAAA rrset deleted, NOERROR");

	char *j = show(true);
	tap_ok(strstr(j, "\"op\":\"delete\"") && strstr(j, "\"rcode\":\"NOERROR\"") &&
		       strstr(j, "\"tsig\":\"verified\"") && strstr(j, "\"latency_ms\":") &&
		       strstr(j, "\"timeout\":1") && strstr(j, "\"BADSIG\":1") && strstr(j, "\"REFUSED\":1") &&
		       j[strlen(j) - 1] == '\n' && j[strlen(j) - 2] == '}',
	       "mobctl updater --json: the last update (op, rcode, latency, TSIG) and the outcomes counted");
	t = show(false);
	tap_ok(strstr(t, "last: delete CAAAA, NOERROR, latency ") && strstr(t, "outcome timeout"),
	       "mobctl updater (text): the last update and the outcomes");
	if (!strstr(t, "last: delete"))
		tap_diag("%s", t);

	/* dns-record aaaa (the migrate role, issue 16): mobctl says AAAA */
	d.c.du.aaaa = true;
	bool aaaa = exchange(&COA2, false, 2, LDNS_RR_TYPE_AAAA);
	t = show(false);
	bool text = strstr(t, "last: replace AAAA 2001:db8:22::5, NOERROR") &&
		    strstr(t, "record AAAA, zone example.") && !strstr(t, "CAAAA");
	if (!text)
		tap_diag("%s", t);
	j = show(true);
	tap_ok(aaaa && u->st == DU_DONE && text && strstr(j, "\"record\":\"AAAA\""),
	       "dns-record aaaa: mobctl updater says AAAA (record and last update), no CAAAA");
	d.c.du.aaaa = false;

	/* stop: the socket and the timer go */
	mobd_coa_changed(&d, &HOA, &COA1, false);
	next_request(2000);
	du_stop(&d);
	tap_ok(d.rs[MOBD_R_DU] == NULL, "stop with an update in flight: state freed");
	test_role_addrs();
	close(srv);
}

int main(void)
{
	char dir[] = "/tmp/mk-du.XXXXXX", path[64];
	inet_pton(AF_INET6, "2001:db8:1::100", &HOA);
	inet_pton(AF_INET6, "2001:db8:21::5", &COA1);
	inet_pton(AF_INET6, "2001:db8:22::5", &COA2);
	tap_plan(41);
	mk_tsig_key_set(&key, "mobbed-key", "hmac-sha256", secret);
	mk_tsig_key_set(&badkey, "mobbed-key", "hmac-sha256", wrong);
	test_message();
	test_addrs();
	test_schedule();
	if (!mkdtemp(dir)) {
		tap_skip(18, "no temporary folder");
		return tap_done();
	}
	snprintf(path, sizeof path, "%s/tsig.key", dir);
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "key \"mobbed-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"%s\";\n};\n", secret);
		fclose(f);
	}
	test_role(path);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
