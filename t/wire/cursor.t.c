/* t/wire/cursor.t.c: the sticky-error cursors, the checksum helpers and the
 * codepoint table. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "t/lib/tap.h"
#include "wire/cksum.h"
#include "wire/codepoints.h"
#include "wire/cursor.h"

static void test_rd(void)
{
	const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct mk_rd r;

	mk_rd_init(&r, b, sizeof b);
	tap_is_int(mk_rd_u8(&r), 0x01, "rd: u8 reads the first octet");
	tap_is_int(mk_rd_u16(&r), 0x0203, "rd: u16 is big-endian");
	tap_is_int(mk_rd_u32(&r), 0x04050607, "rd: u32 is big-endian");
	tap_ok(mk_rd_ok(&r) && mk_rd_left(&r) == 0, "rd: whole buffer consumed, no error");
	tap_is_int(mk_rd_u8(&r), 0, "rd: read past the end returns 0");
	tap_is_int(r.err, MK_E_TRUNC, "rd: read past the end sets MK_E_TRUNC");
	tap_is_int(r.err_off, 7, "rd: error offset is where the short read started");

	mk_rd_init(&r, b, sizeof b);
	r.base = 40;
	mk_rd_skip(&r, 5);
	(void)mk_rd_u32(&r);
	(void)mk_rd_u8(&r); /* would succeed on its own: the error is sticky */
	tap_ok(r.err == MK_E_TRUNC && r.err_off == 45,
	       "rd: first error kept with base added (45), later reads are no-ops");
	tap_ok(r.off == 5, "rd: cursor does not move after an error");

	mk_rd_init(&r, b, sizeof b);
	mk_rd_skip(&r, 2);
	struct mk_rd c = mk_rd_sub(&r, 3);
	(void)mk_rd_u32(&c);
	tap_ok(c.err == MK_E_TRUNC && c.err_off == 2 && r.off == 5 && mk_rd_ok(&r),
	       "rd: sub-cursor reports offsets in the parent's frame and leaves the parent clean");
	c = mk_rd_sub(&r, 9);
	tap_ok(!mk_rd_ok(&r) && !mk_rd_ok(&c), "rd: sub-cursor longer than what is left fails both");
}

static void test_wr(void)
{
	uint8_t b[6];
	struct mk_wr w;

	mk_wr_init(&w, b, sizeof b);
	mk_wr_u16(&w, 0xabcd);
	mk_wr_u32(&w, 0x01020304);
	const uint8_t want[] = { 0xab, 0xcd, 0x01, 0x02, 0x03, 0x04 };
	tap_is_mem(b, want, sizeof want, "wr: u16 + u32 written big-endian");
	mk_wr_u8(&w, 9);
	tap_ok(w.err == MK_E_NOSPACE && w.err_off == 6 && w.off == 6,
	       "wr: overrun sets MK_E_NOSPACE at offset 6 and writes nothing");
	mk_wr_put16_at(&w, 0, 0);
	tap_is_int(b[0], 0xab, "wr: put16_at after an error is a no-op");
}

static void test_cksum(void)
{
	/* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 */
	const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	tap_is_int(mk_csum_finish(mk_csum_add(0, d, sizeof d)), (uint16_t)~0xddf2,
		   "cksum: RFC 1071 worked example (sum 0xddf2)");
	/* odd length: last octet padded with zero on the right */
	const uint8_t o[] = { 0x12, 0x34, 0x56 };
	tap_is_int(mk_csum_finish(mk_csum_add(0, o, 3)), (uint16_t)~(0x1234 + 0x5600),
		   "cksum: odd length pads the last octet on the right");

	/* Pseudo-header checked against a sum done here word by word. */
	struct in6_addr s, t;
	inet_pton(AF_INET6, "2001:db8::1", &s);
	inet_pton(AF_INET6, "2001:db8:ffff::2", &t);
	uint8_t msg[12] = { 0x3b, 0x01, 0x05, 0x00, 0, 0, 0x12, 0x34, 0x80, 0x00, 0x00, 0x10 };
	uint32_t sum = 0;
	for (int i = 0; i < 16; i += 2)
		sum += (uint32_t)(s.s6_addr[i] << 8 | s.s6_addr[i + 1]) +
		       (uint32_t)(t.s6_addr[i] << 8 | t.s6_addr[i + 1]);
	sum += sizeof msg + 135;
	for (size_t i = 0; i < sizeof msg; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t ck = mk_csum6(&s, &t, 135, msg, sizeof msg);
	tap_is_int(ck, (uint16_t)~sum, "cksum: IPv6 pseudo-header sum matches a word-by-word sum");
	mk_store16(msg + 4, ck);
	tap_ok(mk_csum6_ok(&s, &t, 135, msg, sizeof msg), "cksum: message with its checksum verifies");
	msg[7] ^= 0x01;
	tap_ok(!mk_csum6_ok(&s, &t, 135, msg, sizeof msg), "cksum: one flipped bit fails verification");
}

static void test_codepoints(void)
{
	struct mk_codepoints cp;
	char buf[512];

	tap_ok(mk_cp_profile(&cp, "default").err == MK_E_OK &&
		       cp.v[MK_CP_ICMP6_HA_UNREACH] == 201 && cp.v[MK_CP_BU_MHA_FLAG] == 0x0008 &&
		       cp.v[MK_CP_CAAAA_TYPE] >= 65280 && cp.v[MK_CP_CAAAA_TYPE] <= 65534 &&
		       cp.v[MK_CP_MH_OPT_MHA] == 18 && cp.v[MK_CP_TCP_MIGRATE_KIND] == 253,
	       "codepoints: default profile avoids IANA assignments (201, 0x0008, private RR type, 18, 253)");
	tap_ok(memcmp(cp.v, mk_cp_default.v, sizeof cp.v) == 0,
	       "codepoints: mk_cp_default equals the loaded default profile");
	tap_ok(mk_cp_profile(&cp, "paper").err == MK_E_OK && cp.v[MK_CP_ICMP6_HA_UNREACH] == 154,
	       "codepoints: paper profile uses ICMPv6 type 154");
	tap_is_int(mk_cp_profile(&cp, "papers").err, MK_E_PROFILE, "codepoints: unknown profile refused");
	mk_cp_profile(&cp, "default");
	tap_ok(mk_cp_set(&cp, "icmp6-ha-unreachable=200").err == MK_E_OK &&
		       cp.v[MK_CP_ICMP6_HA_UNREACH] == 200,
	       "codepoints: override by name");
	tap_ok(mk_cp_set(&cp, "bu-mha-flag=0x0004").err == MK_E_OK && cp.v[MK_CP_BU_MHA_FLAG] == 4,
	       "codepoints: hex override");
	struct mk_status st = mk_cp_set(&cp, "bu-mha-flag=0x0006");
	tap_ok(st.err == MK_E_CODEPOINT_VALUE && st.off == 12,
	       "codepoints: a BU flag of two bits is refused, offset names the value");
	st = mk_cp_set(&cp, "icmp6-ha-unreachable=256");
	tap_ok(st.err == MK_E_CODEPOINT_VALUE, "codepoints: ICMPv6 type 256 out of range");
	st = mk_cp_set(&cp, "icmp6-ha-unreachable=20x");
	tap_ok(st.err == MK_E_CODEPOINT_VALUE, "codepoints: trailing garbage refused");
	st = mk_cp_set(&cp, "no-such=1");
	tap_is_int(st.err, MK_E_CODEPOINT_NAME, "codepoints: unknown name refused");
	tap_is_int(cp.v[MK_CP_ICMP6_HA_UNREACH], 200, "codepoints: refused overrides change nothing");
	mk_cp_format(&cp, buf, sizeof buf);
	tap_ok(strstr(buf, "profile=default") && strstr(buf, "icmp6-ha-unreachable=200(set)") &&
		       strstr(buf, "bu-mha-flag=0x0004(set)") && strstr(buf, "caaaa-type=65280 "),
	       "codepoints: format lists the values in force and marks overrides");
	size_t need = mk_cp_format(&cp, buf, 8);
	tap_ok(need > 8 && strlen(buf) == 7, "codepoints: format truncates safely and reports the size needed");
	for (int i = 0; i < MK_CP__COUNT; i++)
		if (!mk_cp_table[i].source || !mk_cp_table[i].why ||
		    mk_cp_table[i].def < mk_cp_table[i].min || mk_cp_table[i].def > mk_cp_table[i].max) {
			tap_ok(0, "codepoints: entry %s is documented and in range", mk_cp_table[i].name);
			return;
		}
	tap_ok(1, "codepoints: every entry has a source, a reason and an in-range default");
}

int main(void)
{
	tap_plan(35);
	test_rd();
	test_wr();
	test_cksum();
	test_codepoints();
	tap_is_str(mk_errname(MK_E_TRUNC), "TRUNC", "err: names come from the X-macro list");
	tap_ok(strcmp(mk_strerror(MK_E__COUNT), "unknown error") == 0, "err: out-of-range code has a text");
	return tap_done();
}
