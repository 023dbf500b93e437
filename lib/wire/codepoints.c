/* lib/wire/codepoints.c: the codepoint table and its two profiles. */
#include "codepoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct mk_cp_info mk_cp_table[MK_CP__COUNT] = {
	[MK_CP_CAAAA_TYPE] = {
		"caaaa-type", 65280, 65280, 1, 65535,
		"server-mobility paper (seed 000) section 3.1: defines CAAAA, gives no number",
		"RFC 6895 private-use range 65280-65534; the paper names no value, so "
		"both profiles use the first private-use type",
	},
	[MK_CP_BU_MHA_FLAG] = {
		"bu-mha-flag", 0x0008, 0x0800, 1, 0x8000,
		"multiple-home-agents paper (seed 003) Fig. 7: a new 'M' bit in the BU",
		"0x0008 is the highest unassigned BU flag bit; the paper's M after K is "
		"0x0800, which IANA gave to HMIPv6 (RFC 5380)",
	},
	[MK_CP_MH_OPT_MHA] = {
		"mh-opt-mha", 18, 18, 1, 255,
		"multiple-home-agents paper (seed 003) Fig. 8: option listing home agents, no number",
		"18 is the RFC 5096 experimental mobility option; the paper names no value",
	},
	[MK_CP_ICMP6_HA_UNREACH] = {
		"icmp6-ha-unreachable", 201, 154, 0, 255,
		"multiple-home-agents paper (seed 003) Fig. 9: 'type value is set to 154 temporarily'",
		"201 is in the informational private-experimentation pair (RFC 4443: 200, 201); "
		"IANA gave 154 to FMIPv6 (RFC 5568)",
	},
	[MK_CP_TCP_MIGPERM_KIND] = {
		"tcp-migrate-permitted-kind", 253, 35, 2, 255,
		"draft-snoeren-tcp-migrate-00: kind written '#', never assigned",
		"253 is the RFC 4727 experiment kind, shared through an RFC 6994 ExID; the paper "
		"profile sends the draft's raw layout on unassigned kind 35",
	},
	[MK_CP_TCP_MIGPERM_EXID] = {
		"tcp-migrate-permitted-exid", 0x4d50, 0, 0, 0xffff,
		"RFC 6994 16-bit ExID for Migrate-Permitted ('MP'); 0 selects the raw form",
		"not in the IANA TCP ExID registry nor among the known squatters (0xf989, 0xeb9f, 0xacce)",
	},
	[MK_CP_TCP_MIGRATE_KIND] = {
		"tcp-migrate-kind", 253, 36, 2, 255,
		"draft-snoeren-tcp-migrate-00: kind written '#', never assigned",
		"253 with its own ExID; paper profile uses unassigned raw kind 36",
	},
	[MK_CP_TCP_MIGRATE_EXID] = {
		"tcp-migrate-exid", 0x4d47, 0, 0, 0xffff,
		"RFC 6994 16-bit ExID for Migrate ('MG'); 0 selects the raw form",
		"not in the IANA TCP ExID registry nor among the known squatters",
	},
	[MK_CP_HARP_MH_TYPE] = {
		"harp-mh-type", 240, 240, 0, 255,
		"draft-ietf-mip6-hareliability-06 section 7: HARP message, MH type TBD",
		"MH types 24-255 are unassigned (IANA: 0-23); 240 is far from the next IANA "
		"assignment and from 200, mobprobe's unassigned type; the draft has no number, so both "
		"profiles use it. 0, or a type mobkit decodes (0-7, 11, 12), turns the message off",
	},
	[MK_CP_HARP_SS_MH_TYPE] = {
		"harp-ss-mh-type", 241, 241, 0, 255,
		"draft-ietf-mip6-hareliability-06 section 7: State Sync message, MH type TBD",
		"unassigned MH type next to harp-mh-type; both profiles",
	},
	[MK_CP_HARP_REKEY_MH_TYPE] = {
		"harp-rekey-mh-type", 242, 242, 0, 255,
		"draft-ietf-mip6-hareliability-06 section 7: HA Rekey message, MH type TBD",
		"unassigned MH type next to harp-ss-mh-type; both profiles (mobkit does not build "
		"or parse it yet: the Wireshark plugin decodes it)",
	},
	[MK_CP_HARP_OPT_BCI] = {
		"harp-opt-bci", 240, 240, 0, 255,
		"draft-ietf-mip6-hareliability-06 section 7: Binding Cache Information option, type TBD",
		"mobility option types 71-255 are unassigned (IANA: 0-70); read only inside State "
		"Sync, so it shadows nothing elsewhere; both profiles",
	},
};

const struct mk_codepoints mk_cp_default = {
	.v = { 65280, 0x0008, 18, 201, 253, 0x4d50, 253, 0x4d47, 240, 241, 242, 240 },
	.profile = "default",
	.overridden = 0,
};

int mk_cp_lookup(const char *name)
{
	for (int i = 0; i < MK_CP__COUNT; i++)
		if (strcmp(name, mk_cp_table[i].name) == 0)
			return i;
	return -1;
}

struct mk_status mk_cp_profile(struct mk_codepoints *cp, const char *profile)
{
	int paper;

	if (strcmp(profile, "default") == 0)
		paper = 0;
	else if (strcmp(profile, "paper") == 0)
		paper = 1;
	else
		return mk_fail(MK_E_PROFILE, 0);
	for (int i = 0; i < MK_CP__COUNT; i++)
		cp->v[i] = paper ? mk_cp_table[i].paper : mk_cp_table[i].def;
	cp->profile = paper ? "paper" : "default";
	cp->overridden = 0;
	return mk_ok();
}

struct mk_status mk_cp_set(struct mk_codepoints *cp, const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	char name[64];

	if (!eq || (size_t)(eq - assignment) >= sizeof name)
		return mk_fail(MK_E_CODEPOINT_NAME, 0);
	memcpy(name, assignment, (size_t)(eq - assignment));
	name[eq - assignment] = '\0';
	int id = mk_cp_lookup(name);
	if (id < 0)
		return mk_fail(MK_E_CODEPOINT_NAME, 0);

	const char *val = eq + 1;
	size_t voff = (size_t)(val - assignment);
	if (*val == '\0' || *val == '-' || *val == '+' || *val == ' ')
		return mk_fail(MK_E_CODEPOINT_VALUE, voff);
	char *end;
	unsigned long long v = strtoull(val, &end, 0);
	if (*end != '\0' || v < mk_cp_table[id].min || v > mk_cp_table[id].max)
		return mk_fail(MK_E_CODEPOINT_VALUE, voff);
	/* a BU flag must be exactly one bit */
	if (id == MK_CP_BU_MHA_FLAG && (v & (v - 1)) != 0)
		return mk_fail(MK_E_CODEPOINT_VALUE, voff);
	cp->v[id] = (uint32_t)v;
	cp->overridden |= 1u << id;
	return mk_ok();
}

size_t mk_cp_format(const struct mk_codepoints *cp, char *buf, size_t cap)
{
	size_t need = 0;
	int n;

	n = snprintf(buf, cap, "profile=%s", cp->profile ? cp->profile : "default");
	need += n > 0 ? (size_t)n : 0;
	for (int i = 0; i < MK_CP__COUNT; i++) {
		int hex = i == MK_CP_BU_MHA_FLAG || i == MK_CP_TCP_MIGPERM_EXID ||
			  i == MK_CP_TCP_MIGRATE_EXID;
		char *dst = need < cap ? buf + need : NULL;
		size_t room = need < cap ? cap - need : 0;
		const char *mark = (cp->overridden >> i) & 1 ? "(set)" : "";
		if (hex)
			n = snprintf(dst, room, " %s=0x%04x%s", mk_cp_table[i].name,
				     (unsigned)cp->v[i], mark);
		else
			n = snprintf(dst, room, " %s=%u%s", mk_cp_table[i].name,
				     (unsigned)cp->v[i], mark);
		need += n > 0 ? (size_t)n : 0;
	}
	return need;
}
