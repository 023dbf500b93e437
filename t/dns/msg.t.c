/* t/dns/msg.t.c: the strict DNS message parser, names, and the re-encoder.
 * Golden messages are written by hand from RFC 1035 4.1 and 4.1.4 here. */
#include <arpa/inet.h>
#include <string.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "t/lib/check.h"

/* A response to "www.example. AAAA" as the server-mobility design gives
 * it: the home address in the answer, the care-of address as a CAAAA
 * (TYPE65280) in the additional section.  Names after the question are
 * compression pointers to offset 12. */
static const uint8_t resp[] = {
	0x12, 0x34,             /* ID */
	0x85, 0x80,             /* QR, opcode 0, AA, RD, RA, rcode 0 */
	0x00, 0x01, 0x00, 0x01, /* QD 1, AN 1 */
	0x00, 0x00, 0x00, 0x01, /* NS 0, AR 1 */
	/* 12: question www.example. AAAA IN */
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
	0x00, 0x1c, 0x00, 0x01,
	/* 29: answer: ptr 12, AAAA IN TTL 60 RDLEN 16 2001:db8:1::100 */
	0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
	/* 57: additional: ptr 12, TYPE65280 IN TTL 0 RDLEN 16 2001:db8:2::100 */
	0xc0, 0x0c, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
	/* 85: end */
};

static struct mk_dns_msg m, m2;
static uint8_t buf[4096];

/* Copy the golden response, patch one octet, parse. */
static struct mk_status patched(size_t off, uint8_t v, size_t len, const struct mk_codepoints *cp)
{
	memcpy(buf, resp, sizeof resp);
	if (off < sizeof buf)
		buf[off] = v;
	return mk_dns_msg_parse(buf, len, &m, cp);
}

static void test_golden(void)
{
	char s[MK_DNS_NAME_STR_MAX];
	uint8_t coa[16], hoa[16];

	inet_pton(AF_INET6, "2001:db8:2::100", coa);
	inet_pton(AF_INET6, "2001:db8:1::100", hoa);
	struct mk_status st = mk_dns_msg_parse(resp, sizeof resp, &m, NULL);
	tap_ok(st.err == MK_E_OK, "golden response parses");
	tap_is_int(m.id, 0x1234, "ID");
	tap_is_int(m.opcode, 0, "opcode QUERY");
	tap_is_int(m.nrec, 3, "three entries (question, answer, additional)");
	tap_is_int(m.rec[0].section, MK_DNS_SEC_QUESTION, "entry 0 in the question section");
	tap_is_int(m.rec[1].section, MK_DNS_SEC_ANSWER, "entry 1 in the answer section");
	tap_is_int(m.rec[1].kind, MK_DNS_RD_AAAA, "answer is an AAAA");
	tap_is_mem(m.rec[1].rd.aaaa, hoa, 16, "answer carries the home address");
	tap_is_int(m.rec[1].ttl, 60, "answer TTL");
	tap_is_int(m.rec[2].section, MK_DNS_SEC_ADDITIONAL, "the CAAAA is kept in the additional section");
	tap_is_int(m.rec[2].kind, MK_DNS_RD_CAAAA, "additional record decoded as CAAAA (default type 65280)");
	tap_is_mem(m.rec[2].rd.aaaa, coa, 16, "CAAAA carries the care-of address");
	tap_ok(mk_dns_msg_name(&m, m.rec[2].off, s, sizeof s).err == MK_E_OK &&
		       strcmp(s, "www.example.") == 0,
	       "compressed owner of the CAAAA reads www.example.");
	tap_is_str(mk_dns_section_name(m.rec[2].section, 0), "additional", "section name");
	tap_is_str(mk_dns_type_name(m.rec[2].type, NULL), "CAAAA", "type name under the codepoint");

	/* another codepoint in force: 65280 is just an unknown type */
	struct mk_codepoints cp;
	mk_cp_profile(&cp, "default");
	mk_cp_set(&cp, "caaaa-type=65281");
	st = mk_dns_msg_parse(resp, sizeof resp, &m, &cp);
	tap_ok(st.err == MK_E_OK && m.rec[2].kind == MK_DNS_RD_RAW,
	       "with caaaa-type=65281 the TYPE65280 record is raw");

	/* the uncompressed re-encoding */
	size_t n;
	mk_dns_msg_parse(resp, sizeof resp, &m, NULL);
	st = mk_dns_msg_build(buf, sizeof buf, &m, &n);
	tap_ok(st.err == MK_E_OK && n == 12 + 17 + 2 * (13 + 10 + 16),
	       "re-encoded without compression: %zu octets", n);
	st = mk_dns_msg_parse(buf, n, &m2, NULL);
	tap_ok(st.err == MK_E_OK && m2.nrec == 3 && m2.rec[2].kind == MK_DNS_RD_CAAAA &&
		       memcmp(m2.rec[2].rd.aaaa, coa, 16) == 0 && buf[m2.rec[2].off] == 3,
	       "the re-encoding parses to the same records, owner written out");
	st = mk_dns_msg_build(buf, 40, &m, &n);
	tap_ok(st.err == MK_E_NOSPACE && n == 0, "re-encoding into 40 octets: NOSPACE, nothing written");
}

static void test_malformed(void)
{
	check_status(mk_dns_msg_parse(resp, 11, &m, NULL), MK_E_TRUNC, 0, "11-octet message");
	check_status(patched(0, resp[0], sizeof resp - 1, NULL), MK_E_TRUNC, 67, "RDATA cut short: error at RDLENGTH");
	check_status(patched(30, 57, sizeof resp, NULL), MK_E_DNS_PTR_FORWARD, 29,
	       "pointer to offset 57 (forward)");
	check_status(patched(30, 29, sizeof resp, NULL), MK_E_DNS_PTR_FORWARD, 29,
	       "pointer to itself (a loop)");
	check_status(patched(30, 11, sizeof resp, NULL), MK_E_DNS_PTR_HEADER, 29,
	       "pointer to offset 11 (into the header, where ARCOUNT is)");
	check_status(patched(12, 0x43, sizeof resp, NULL), MK_E_DNS_LABEL_TYPE, 12,
	       "label type 0x40 (extended label)");
	check_status(patched(12, 0x83, sizeof resp, NULL), MK_E_DNS_LABEL_TYPE, 12, "label type 0x80");
	memcpy(buf, resp, sizeof resp);
	buf[68] = 15;
	check_status(mk_dns_msg_parse(buf, sizeof resp - 1, &m, NULL), MK_E_CAAAA_RDLEN, 67,
	       "CAAAA with 15 octets of RDATA");
	memcpy(buf, resp, sizeof resp);
	buf[68] = 17;
	buf[sizeof resp] = 0;
	check_status(mk_dns_msg_parse(buf, sizeof resp + 1, &m, NULL), MK_E_CAAAA_RDLEN, 67,
	       "CAAAA with 17 octets of RDATA");
	memcpy(buf, resp, sizeof resp);
	buf[40] = 15;
	buf[sizeof resp] = 0; /* keep the total length consistent */
	check_status(mk_dns_msg_parse(buf, sizeof resp, &m, NULL), MK_E_DNS_AAAA_RDLEN, 39,
	       "AAAA with 15 octets of RDATA");
	check_status(patched(62, 3, sizeof resp, NULL), MK_E_CAAAA_CLASS, 61, "CAAAA in class CH");
	buf[sizeof resp] = 0;
	check_status(patched(0, 0x12, sizeof resp + 1, NULL), MK_E_TRAILING, sizeof resp, "an octet after the last record");
	check_status(patched(11, 2, sizeof resp, NULL), MK_E_TRUNC, sizeof resp, "ARCOUNT 2 with one record");

	/* OPT outside the additional section: turn the answer into OPT */
	memcpy(buf, resp, sizeof resp);
	buf[31] = 0;
	buf[32] = 41;
	check_status(mk_dns_msg_parse(buf, sizeof resp, &m, NULL), MK_E_DNS_OPT_PLACE, 29,
	       "OPT RR in the answer section");

	/* a name longer than 255 octets: 5 labels of 63 */
	uint8_t big[12 + 5 * 64 + 1 + 4] = { 0, 1, 0, 0, 0, 1 };
	size_t p = 12;
	for (int i = 0; i < 5; i++) {
		big[p++] = 63;
		memset(big + p, 'a', 63);
		p += 63;
	}
	big[p++] = 0;
	check_status(mk_dns_msg_parse(big, p + 4, &m, NULL), MK_E_DNS_NAME_LEN, 12 + 3 * 64,
	       "name over 255 octets, refused at the label that overflows");
}

/* TSIG and SIG(0) must be the last additional record. */
static void test_placement(void)
{
	/* header, then two additional RRs: a TSIG, then an A */
	static const uint8_t tsig_first[] = {
		0, 1, 0x28, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		/* 12: root TSIG ANY TTL 0 RDLEN 26 */
		0, 0x00, 0xfa, 0x00, 0xff, 0, 0, 0, 0, 0, 29,
		/* alg "hmac-sha256." = 13 octets */
		11, 'h', 'm', 'a', 'c', '-', 's', 'h', 'a', '2', '5', '6', 0,
		0, 0, 0, 0, 0, 1, /* time */ 1, 44, /* fudge */ 0, 0, /* MAC size 0 */
		0, 1, /* orig id */ 0, 0, /* error */ 0, 0, /* other len */
		/* 52: root A IN TTL 0 RDLEN 4 */
		0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1,
	};
	check_status(mk_dns_msg_parse(tsig_first, sizeof tsig_first, &m, NULL), MK_E_TSIG_NOT_LAST, 12,
	       "TSIG followed by another additional record");
	check_status(mk_dns_msg_parse(tsig_first, 52, &m, NULL), MK_E_TSIG_NOT_LAST, 12,
	       "the same cut after the TSIG: ARCOUNT 2 still makes it not last");
	uint8_t one[52];
	memcpy(one, tsig_first, 52);
	one[11] = 1;
	tap_ok(mk_dns_msg_parse(one, 52, &m, NULL).err == MK_E_OK && m.has_tsig &&
		       m.rec[m.tsig_idx].rd.tsig.fudge == 300 && m.rec[m.tsig_idx].rd.tsig.time_signed == 1,
	       "a lone TSIG parses: time 1, fudge 300");
	one[12 + 10] = 28;
	check_status(mk_dns_msg_parse(one, 51, &m, NULL), MK_E_DNS_TSIG_RDATA, 44,
	       "TSIG RDATA one octet short: refused at the MAC Size");
}

static void test_names(void)
{
	uint8_t w[MK_DNS_NAME_MAX];
	size_t n;
	char s[MK_DNS_NAME_STR_MAX];

	tap_ok(mk_dns_name_from_str("Host.Example", w, &n).err == MK_E_OK && n == 14 && w[0] == 4 &&
		       w[5] == 7 && w[13] == 0,
	       "relative name gets the root label");
	tap_ok(mk_dns_name_from_str("a\\.b.c.", w, &n).err == MK_E_OK && n == 7 && w[0] == 3,
	       "escaped dot stays in the label");
	tap_ok(mk_dns_name_to_str(w, n, s, sizeof s).err == MK_E_OK && strcmp(s, "a\\.b.c.") == 0,
	       "and is escaped again on the way out");
	tap_ok(mk_dns_name_from_str("a\\032b.", w, &n).err == MK_E_OK && w[2] == ' ', "\\DDD escape");
	check_status(mk_dns_name_from_str("a..b", w, &n), MK_E_DNS_NAME_TEXT, 2, "empty label");
	char lab[80];
	memset(lab, 'x', 64);
	lab[64] = 0;
	check_status(mk_dns_name_from_str(lab, w, &n), MK_E_DNS_NAME_TEXT, 63, "64-octet label");
	tap_ok(mk_dns_name_from_str(".", w, &n).err == MK_E_OK && n == 1, "root");
	tap_ok(mk_dns_name_eq((const uint8_t *)"\1A\0", 3, (const uint8_t *)"\1a\0", 3),
	       "names compare without case");
	tap_is_str(mk_dns_rcode_name(9), "NOTAUTH", "rcode 9");
	tap_is_str(mk_dns_rcode_name(16), "BADSIG", "rcode 16");
	tap_is_str(mk_dns_opcode_name(5), "UPDATE", "opcode 5");
	tap_is_str(mk_dns_section_name(2, 1), "update", "UPDATE names its third section update");
}

int main(void)
{
	tap_plan(50);
	test_golden();
	test_malformed();
	test_placement();
	test_names();
	return tap_done();
}
