/* lib/wire/codepoints.h: every number the papers invented or left open.
 *
 * The designs mobkit implements predate, or never reached, IANA.  Each
 * number they need is a codepoint here with a default that collides with
 * nothing IANA has assigned, the value the paper used (profile "paper"),
 * where the value comes from and why it was chosen.  Every tool takes
 * `--profile NAME` and `--codepoint NAME=VALUE` and prints the values in
 * force (mk_cp_format).  The full rationale table is in doc/codepoints.md.
 *
 *  name                         default  paper   meaning
 *  caaaa-type                   65280    65280   DNS RR TYPE of CAAAA (private use 65280-65534)
 *  bu-mha-flag                  0x0008   0x0800  BU flag: multiple home agents in use
 *  mh-opt-mha                   18       18      mobility option type: Multiple Home Agents
 *  icmp6-ha-unreachable         201      154     ICMPv6 type: Home Agent Unreachable
 *  tcp-migrate-permitted-kind   253      35      TCP option kind of Migrate-Permitted
 *  tcp-migrate-permitted-exid   0x4d50   0       RFC 6994 ExID (0: raw kind, no ExID)
 *  tcp-migrate-kind             253      36      TCP option kind of Migrate
 *  tcp-migrate-exid             0x4d47   0       RFC 6994 ExID (0: raw kind, no ExID)
 *  harp-mh-type                 240      240     MH type of the HARP message (draft-ietf-mip6-hareliability-06: TBD)
 *  harp-ss-mh-type              241      241     MH type of State Sync (TBD)
 *  harp-rekey-mh-type           242      242     MH type of HA Rekey (TBD; not built or parsed yet)
 *  harp-opt-bci                 240      240     mobility option type of Binding Cache Info (TBD), in State Sync only
 */
#ifndef MK_WIRE_CODEPOINTS_H
#define MK_WIRE_CODEPOINTS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum mk_cp_id {
	MK_CP_CAAAA_TYPE,
	MK_CP_BU_MHA_FLAG,
	MK_CP_MH_OPT_MHA,
	MK_CP_ICMP6_HA_UNREACH,
	MK_CP_TCP_MIGPERM_KIND,
	MK_CP_TCP_MIGPERM_EXID,
	MK_CP_TCP_MIGRATE_KIND,
	MK_CP_TCP_MIGRATE_EXID,
	MK_CP_HARP_MH_TYPE,
	MK_CP_HARP_SS_MH_TYPE,
	MK_CP_HARP_REKEY_MH_TYPE,
	MK_CP_HARP_OPT_BCI,
	MK_CP__COUNT
};

struct mk_cp_info {
	const char *name;     /* command-line name, "icmp6-ha-unreachable" */
	uint32_t def;         /* profile "default" */
	uint32_t paper;       /* profile "paper" */
	uint32_t min, max;    /* accepted range for overrides */
	const char *source;   /* where the number comes from */
	const char *why;      /* why this default */
};

extern const struct mk_cp_info mk_cp_table[MK_CP__COUNT];

/* The values in force; pass by pointer to every codec that needs one. */
struct mk_codepoints {
	uint32_t v[MK_CP__COUNT];
	const char *profile;  /* name of the base profile */
	uint32_t overridden;  /* bit i set: v[i] was set with mk_cp_set */
};

/* The default profile, usable as a constant. */
extern const struct mk_codepoints mk_cp_default;

/* Load profile "default" or "paper"; MK_E_PROFILE for any other name. */
struct mk_status mk_cp_profile(struct mk_codepoints *cp, const char *profile);
/* Apply one "NAME=VALUE" override (decimal or 0x hex).  Errors:
 * MK_E_CODEPOINT_NAME (off = 0), MK_E_CODEPOINT_VALUE (off = index of the
 * first character of VALUE). */
struct mk_status mk_cp_set(struct mk_codepoints *cp, const char *assignment);
/* Look up a name; -1 if unknown. */
int mk_cp_lookup(const char *name);
/* Write "profile=default caaaa-type=65280 bu-mha-flag=0x0008 ..." into
 * buf (NUL-terminated, truncated to cap); returns the length it needed. */
size_t mk_cp_format(const struct mk_codepoints *cp, char *buf, size_t cap);

static inline uint32_t mk_cp(const struct mk_codepoints *cp, enum mk_cp_id id)
{
	return (cp ? cp : &mk_cp_default)->v[id];
}

#endif
