/* t/dns/mobile.t.c: the client's lookup of a mobile server
 * (mk_dns_lookup_mobile, lib/dns/mobile.c).
 *
 * Part 1 feeds mk_mobile_digest answers written here octet by octet (RFC
 * 1035 4.1, owner names uncompressed): the home address from the AAAA
 * answer, the care-of address from the ADDITIONAL of the AAAA answer (the
 * paper), the ANSWER of the CAAAA query (plain servers) or the ADDITIONAL
 * of the CAAAA answer; a CAAAA of another name ignored; a CNAME chain;
 * NXDOMAIN, NODATA, SERVFAIL, a malformed answer, an answer to another
 * question; the CAAAA codepoint moved.
 * Part 2 runs the whole lookup against a scripted resolver on [::1] (a
 * child process of this test, ended by PID): both queries answered, the
 * AAAA answer alone carrying the CAAAA (the lookup does not wait for the
 * other), a wrong ID ignored, a lost query sent again, a silent resolver
 * (timeout). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "wire/cursor.h"

#define CAAAA 65280

struct rr {
	int sec;                /* 1 answer, 2 authority, 3 additional */
	const char *owner;
	uint16_t type;
	uint32_t ttl;
	const char *data;       /* address (AAAA, CAAAA) or name (CNAME) */
	uint16_t rdlen_override;
};

/* An answer to qname/qtype: header, question, then rrs. */
static size_t answer(uint8_t *buf, size_t cap, uint16_t id, const char *qname, uint16_t qtype,
		     unsigned rcode, uint16_t flags, const struct rr *rrs, size_t n)
{
	struct mk_wr w;
	uint8_t nm[MK_DNS_NAME_MAX];
	size_t nl;
	uint16_t cnt[4] = { 1, 0, 0, 0 };

	for (size_t i = 0; i < n; i++)
		cnt[rrs[i].sec]++;
	mk_wr_init(&w, buf, cap);
	mk_wr_u16(&w, id);
	mk_wr_u16(&w, (uint16_t)(MK_DNS_F_QR | MK_DNS_F_RD | MK_DNS_F_RA | flags | rcode));
	for (int s = 0; s < 4; s++)
		mk_wr_u16(&w, cnt[s]);
	mk_dns_name_from_str(qname, nm, &nl);
	mk_wr_bytes(&w, nm, nl);
	mk_wr_u16(&w, qtype);
	mk_wr_u16(&w, MK_DNS_C_IN);
	for (int s = 1; s < 4; s++)
		for (size_t i = 0; i < n; i++) {
			const struct rr *r = &rrs[i];
			uint8_t rd[MK_DNS_NAME_MAX];
			size_t rl = 16;
			if (r->sec != s)
				continue;
			mk_dns_name_from_str(r->owner, nm, &nl);
			mk_wr_bytes(&w, nm, nl);
			mk_wr_u16(&w, r->type);
			mk_wr_u16(&w, MK_DNS_C_IN);
			mk_wr_u32(&w, r->ttl);
			if (r->type == MK_DNS_T_CNAME)
				mk_dns_name_from_str(r->data, rd, &rl);
			else
				inet_pton(AF_INET6, r->data, rd);
			if (r->rdlen_override)
				rl = r->rdlen_override;
			mk_wr_u16(&w, (uint16_t)rl);
			mk_wr_bytes(&w, rd, rl);
		}
	return mk_wr_ok(&w) ? w.off : 0;
}

static struct mk_dns_msg msg;
static uint8_t buf[4096];

static struct mk_status feed(struct mk_mobile *mb, const char *qname, uint16_t qtype,
			     unsigned rcode, const struct rr *rrs, size_t n,
			     const struct mk_codepoints *cp)
{
	uint8_t qn[MK_DNS_NAME_MAX];
	size_t ql, len = answer(buf, sizeof buf, 7, qname, qtype, rcode, 0, rrs, n);
	mk_dns_name_from_str("server.example.", qn, &ql);
	return mk_mobile_digest(mb, qn, ql, qtype, buf, len, &msg, cp);
}

static int addr_is(const uint8_t *a, const char *want)
{
	uint8_t w[16];
	inet_pton(AF_INET6, want, w);
	return memcmp(a, w, 16) == 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const char *const NAME = "server.example.";
static const char *const HOA = "2001:db8:1::100", *const COA = "2001:db8:21::100";

static void test_digest(void)
{
	struct mk_mobile mb;
	struct mk_codepoints cp;

	/* the paper, as kresd-caaaa serves it */
	const struct rr paper[] = {
		{ 1, NAME, MK_DNS_T_AAAA, 60, HOA, 0 },
		{ 3, NAME, CAAAA, 0, COA, 0 },
	};
	mk_mobile_init(&mb);
	tap_is_int(mb.result, MK_MOBILE_TIMEOUT, "before any answer: timeout");
	tap_is_int(feed(&mb, NAME, MK_DNS_T_AAAA, 0, paper, N(paper), NULL).err, MK_E_OK,
		   "AAAA answer with the CAAAA in ADDITIONAL digests");
	tap_ok(mb.result == MK_MOBILE_FOUND && mb.n_hoa == 1 && addr_is(mb.hoa[0], HOA) &&
		       mb.hoa_ttl == 60,
	       "home address 2001:db8:1::100 ttl 60 from the AAAA answer");
	tap_ok(mb.coa_from == MK_COA_ADDITIONAL_AAAA && addr_is(mb.coa, COA) && mb.coa_ttl == 0,
	       "care-of address 2001:db8:21::100 ttl 0 from the ADDITIONAL of the AAAA answer");
	tap_is_str(mk_mobile_coa_name(mb.coa_from), "additional-of-aaaa", "its section's name");

	/* a plain server: no CAAAA with the AAAA, the CAAAA in ANSWER */
	const struct rr aaaa_only[] = { { 1, NAME, MK_DNS_T_AAAA, 30, HOA, 0 },
					{ 1, NAME, MK_DNS_T_AAAA, 20, "2001:db8:1::101", 0 } };
	const struct rr caaaa_ans[] = { { 1, NAME, CAAAA, 0, COA, 0 } };
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, 0, aaaa_only, N(aaaa_only), NULL);
	tap_ok(mb.result == MK_MOBILE_FOUND && mb.coa_from == MK_COA_NONE && mb.n_hoa == 2 &&
		       mb.hoa_ttl == 20 && addr_is(mb.hoa[1], "2001:db8:1::101"),
	       "AAAA answer alone: two home addresses, the smaller TTL, no care-of address yet");
	feed(&mb, NAME, CAAAA, 0, caaaa_ans, N(caaaa_ans), NULL);
	tap_ok(mb.caaaa_answered && mb.coa_from == MK_COA_ANSWER_CAAAA && addr_is(mb.coa, COA),
	       "then the CAAAA query's ANSWER gives the care-of address");

	/* the paper's literal wording: a CAAAA query answered in ADDITIONAL */
	const struct rr caaaa_add[] = { { 3, NAME, CAAAA, 0, COA, 0 } };
	mk_mobile_init(&mb);
	feed(&mb, NAME, CAAAA, 0, caaaa_add, N(caaaa_add), NULL);
	tap_ok(mb.coa_from == MK_COA_ADDITIONAL_CAAAA && addr_is(mb.coa, COA),
	       "a CAAAA answer with the record in ADDITIONAL: additional-of-caaaa");
	tap_is_int(mb.result, MK_MOBILE_TIMEOUT, "the CAAAA answer alone gives no home address");

	/* another name's CAAAA is no care-of address of ours */
	const struct rr other[] = { { 1, NAME, MK_DNS_T_AAAA, 60, HOA, 0 },
				    { 3, "evil.example.", CAAAA, 0, COA, 0 } };
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, 0, other, N(other), NULL);
	tap_ok(mb.result == MK_MOBILE_FOUND && mb.coa_from == MK_COA_NONE,
	       "a CAAAA owned by another name in ADDITIONAL is ignored");

	/* CNAME: the AAAA and CAAAA of the canonical name */
	const struct rr chain[] = {
		{ 1, NAME, MK_DNS_T_CNAME, 60, "ms1.example.", 0 },
		{ 1, "ms1.example.", MK_DNS_T_AAAA, 60, HOA, 0 },
		{ 1, "other.example.", MK_DNS_T_AAAA, 60, "2001:db8::bad", 0 },
		{ 3, "ms1.example.", CAAAA, 0, COA, 0 },
	};
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, 0, chain, N(chain), NULL);
	tap_ok(mb.result == MK_MOBILE_FOUND && mb.n_hoa == 1 && addr_is(mb.hoa[0], HOA) &&
		       mb.coa_from == MK_COA_ADDITIONAL_AAAA,
	       "CNAME: the canonical name's AAAA (not another owner's) and CAAAA");
	tap_is_str(mb.canon, "ms1.example.", "the canonical name is kept");

	/* the outcomes that are not an address */
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, MK_DNS_R_NXDOMAIN, NULL, 0, NULL);
	tap_ok(mb.result == MK_MOBILE_NXDOMAIN && mb.rcode == 3, "NXDOMAIN");
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, 0, NULL, 0, NULL);
	tap_is_int(mb.result, MK_MOBILE_NODATA, "NOERROR without an AAAA: nodata");
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, MK_DNS_R_SERVFAIL, paper, N(paper), NULL);
	tap_ok(mb.result == MK_MOBILE_RCODE && mb.rcode == 2 && mb.coa_from == MK_COA_NONE,
	       "SERVFAIL: rcode 2, and no care-of address taken from it");
	const struct rr bad[] = { { 1, NAME, MK_DNS_T_AAAA, 60, HOA, 0 },
				  { 3, NAME, CAAAA, 0, COA, 4 } };
	mk_mobile_init(&mb);
	tap_is_int(feed(&mb, NAME, MK_DNS_T_AAAA, 0, bad, N(bad), NULL).err, MK_E_CAAAA_RDLEN,
		   "a CAAAA of 4 octets: the answer is refused by the parser");
	tap_is_int(mb.result, MK_MOBILE_MALFORMED, "and the lookup says malformed");

	/* an answer to another question changes nothing */
	mk_mobile_init(&mb);
	tap_is_int(feed(&mb, "x.example.", MK_DNS_T_AAAA, 0, paper, N(paper), NULL).err, MK_E_INVAL,
		   "an answer whose question is another name is not ours");
	tap_ok(mb.result == MK_MOBILE_TIMEOUT && !mb.aaaa_answered && mb.coa_from == MK_COA_NONE,
	       "and it left the lookup as it was");

	/* the CAAAA codepoint moved: TYPE65280 is nothing to us */
	mk_cp_profile(&cp, "default");
	mk_cp_set(&cp, "caaaa-type=65300");
	mk_mobile_init(&mb);
	feed(&mb, NAME, MK_DNS_T_AAAA, 0, paper, N(paper), &cp);
	tap_ok(mb.result == MK_MOBILE_FOUND && mb.coa_from == MK_COA_NONE,
	       "caaaa-type=65300: a TYPE65280 record is no care-of address");
}

/* ---- part 2: a scripted resolver on [::1] ---- */

enum { S_BOTH, S_AAAA_CARRIES, S_WRONG_ID, S_LOSE_FIRST, S_SILENT };

static void serve(int fd, int script)
{
	uint8_t q[512], out[1024];
	int seen_aaaa = 0;
	struct sockaddr_in6 from;
	socklen_t fl;

	for (;;) {
		fl = sizeof from;
		ssize_t n = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
		if (n < 12 + 5)
			continue;
		uint16_t id = mk_load16(q);
		/* the question: one name at 12, then type */
		size_t p = 12;
		while (p < (size_t)n && q[p])
			p += 1 + q[p];
		uint16_t qt = mk_load16(q + p + 1);
		size_t len = 0;
		const struct rr a_plain[] = { { 1, NAME, MK_DNS_T_AAAA, 60, HOA, 0 } };
		const struct rr a_paper[] = { { 1, NAME, MK_DNS_T_AAAA, 60, HOA, 0 },
					      { 3, NAME, CAAAA, 0, COA, 0 } };
		const struct rr c_ans[] = { { 1, NAME, CAAAA, 0, COA, 0 } };
		if (script == S_SILENT)
			continue;
		if (qt == MK_DNS_T_AAAA) {
			seen_aaaa++;
			if (script == S_LOSE_FIRST && seen_aaaa == 1)
				continue;
			if (script == S_WRONG_ID) {
				len = answer(out, sizeof out, (uint16_t)(id + 1), NAME, qt, 0, 0,
					     a_paper, 2);
				sendto(fd, out, len, 0, (struct sockaddr *)&from, fl);
			}
			len = script == S_AAAA_CARRIES
				      ? answer(out, sizeof out, id, NAME, qt, 0, 0, a_paper, 2)
				      : answer(out, sizeof out, id, NAME, qt, 0, 0, a_plain, 1);
		} else {
			if (script == S_AAAA_CARRIES)
				continue; /* never answered: the lookup must not wait */
			len = script == S_WRONG_ID ? answer(out, sizeof out, id, NAME, qt, 0, 0, NULL, 0)
						   : answer(out, sizeof out, id, NAME, qt, 0, 0, c_ans, 1);
		}
		sendto(fd, out, len, 0, (struct sockaddr *)&from, fl);
	}
}

static pid_t start_server(int script, struct sockaddr_in6 *sa)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	socklen_t sl = sizeof *sa;

	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	sa->sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, sizeof *sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)sa, &sl) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		serve(fd, script);
		_exit(0);
	}
	close(fd);
	return pid;
}

static void stop_server(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static int run(int script, unsigned timeout_ms, struct mk_mobile *mb)
{
	struct sockaddr_in6 sa;
	pid_t pid = start_server(script, &sa);
	int se = 0;

	if (pid < 0)
		return -1;
	struct mk_status st = mk_dns_lookup_mobile("Server.Example", (struct sockaddr *)&sa,
						   sizeof sa, NULL, timeout_ms, mb, &se);
	stop_server(pid);
	return st.err == MK_E_OK ? 0 : -1;
}

static void test_live(void)
{
	struct mk_mobile mb;
	struct sockaddr_storage ss;
	socklen_t sl;

	if (socket(AF_INET6, SOCK_DGRAM, 0) < 0) {
		tap_skip(11, "no IPv6 socket on this host");
		return;
	}
	tap_ok(run(S_BOTH, 3000, &mb) == 0 && mb.result == MK_MOBILE_FOUND &&
		       addr_is(mb.hoa[0], HOA) && mb.coa_from == MK_COA_ANSWER_CAAAA &&
		       addr_is(mb.coa, COA),
	       "live: both queries answered (name in mixed case): HoA, and CoA from the CAAAA "
	       "query's ANSWER");
	tap_ok(run(S_AAAA_CARRIES, 10000, &mb) == 0 && mb.result == MK_MOBILE_FOUND &&
		       mb.coa_from == MK_COA_ADDITIONAL_AAAA && !mb.caaaa_answered,
	       "live: the AAAA answer carries the CAAAA: done without the CAAAA answer");
	tap_ok(mb.elapsed_ns < 10000000000ull,
	       "and it did not wait for the timeout to end (10 s)");
	tap_ok(run(S_WRONG_ID, 3000, &mb) == 0 && mb.result == MK_MOBILE_FOUND &&
		       mb.coa_from == MK_COA_NONE && mb.caaaa_answered && mb.caaaa_rcode == 0,
	       "live: an answer with the wrong ID (carrying a CAAAA) is ignored; NODATA for CAAAA");
	tap_ok(run(S_LOSE_FIRST, 2000, &mb) == 0 && mb.result == MK_MOBILE_FOUND &&
		       mb.coa_from == MK_COA_ANSWER_CAAAA,
	       "live: the first AAAA query lost, the second (at half the timeout) answered");
	tap_ok(run(S_SILENT, 300, &mb) == 0 && mb.result == MK_MOBILE_TIMEOUT &&
		       !mb.aaaa_answered && !mb.caaaa_answered && mb.coa_from == MK_COA_NONE,
	       "live: a silent resolver: timeout, nothing answered");
	tap_ok(mb.elapsed_ns >= 300000000ull, "and it waited the whole timeout (300 ms)");
	tap_is_str(mk_mobile_result_name(mb.result), "timeout", "timeout's name");

	/* usage-level errors come back as the status, nothing sent */
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	tap_is_int(mk_dns_lookup_mobile("a..b", (struct sockaddr *)&sa, sizeof sa, NULL, 100, &mb,
					NULL).err,
		   MK_E_DNS_NAME_TEXT, "a bad name is refused before anything is sent");
	tap_is_int(mk_dns_lookup_mobile("a.b", (struct sockaddr *)&sa, sizeof sa, NULL, 0, &mb,
					NULL).err,
		   MK_E_INVAL, "a zero timeout is refused");
	tap_ok(mk_dns_server_addr("[::1]:5353", &ss, &sl).err == MK_E_OK &&
		       ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) == 5353 &&
		       mk_dns_server_addr("192.0.2.1", &ss, &sl).err == MK_E_OK &&
		       ss.ss_family == AF_INET &&
		       mk_dns_server_addr("[::1]:0", &ss, &sl).err == MK_E_INVAL &&
		       mk_dns_server_addr("server", &ss, &sl).err == MK_E_INVAL,
	       "resolver addresses: [::1]:5353 and 192.0.2.1 taken; port 0 and a name refused");
}

int main(void)
{
	tap_plan(31);
	signal(SIGPIPE, SIG_IGN);
	test_digest();
	test_live();
	return tap_done();
}
