/* lib/dns/update.c: RFC 2136 UPDATE messages through ldns. */
#include <string.h>

#include "dns/dns.h"

static const uint16_t meta_types[] = { MK_DNS_T_ANY, MK_DNS_T_AXFR, MK_DNS_T_IXFR, MK_DNS_T_MAILA,
				       MK_DNS_T_MAILB, MK_DNS_T_OPT, MK_DNS_T_TSIG, MK_DNS_T_TKEY };

static int is_meta(uint16_t t)
{
	for (size_t i = 0; i < sizeof meta_types / sizeof meta_types[0]; i++)
		if (meta_types[i] == t)
			return 1;
	return 0;
}

struct mk_status mk_update_new(ldns_pkt **out, const char *zone, uint16_t id)
{
	ldns_rdf *z = NULL;

	*out = NULL;
	if (ldns_str2rdf_dname(&z, zone) != LDNS_STATUS_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	/* ldns wants an update list (it copies it) and owns z from here */
	ldns_rr_list *none = ldns_rr_list_new();
	ldns_pkt *p = none ? ldns_update_pkt_new(z, LDNS_RR_CLASS_IN, NULL, none, NULL) : NULL;
	ldns_rr_list_free(none);
	if (!p) {
		if (!none)
			ldns_rdf_deep_free(z);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	ldns_pkt_set_rd(p, false); /* ldns sets RD; RFC 2136 2.2 says zero */
	ldns_pkt_set_id(p, id);
	*out = p;
	return mk_ok();
}

/* An RR with no RDATA (the delete and prerequisite forms), TTL 0. */
static struct mk_status empty_rr(ldns_rr **out, const char *owner, uint16_t type, ldns_rr_class c)
{
	ldns_rdf *o = NULL;

	*out = NULL;
	if (ldns_str2rdf_dname(&o, owner) != LDNS_STATUS_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	ldns_rr *rr = ldns_rr_new();
	if (!rr) {
		ldns_rdf_deep_free(o);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_type(rr, (ldns_rr_type)type);
	ldns_rr_set_class(rr, c);
	ldns_rr_set_ttl(rr, 0);
	*out = rr;
	return mk_ok();
}

static struct mk_status push(ldns_pkt *u, ldns_pkt_section s, ldns_rr *rr)
{
	if (!ldns_pkt_push_rr(u, s, rr)) {
		ldns_rr_free(rr);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	return mk_ok();
}

static struct mk_status push_empty(ldns_pkt *u, ldns_pkt_section s, const char *owner,
				   uint16_t type, ldns_rr_class c)
{
	ldns_rr *rr;
	struct mk_status st = empty_rr(&rr, owner, type, c);
	return st.err == MK_E_OK ? push(u, s, rr) : st;
}

struct mk_status mk_update_add(ldns_pkt *u, const ldns_rr *rr)
{
	if (is_meta((uint16_t)ldns_rr_get_type(rr)))
		return mk_fail(MK_E_UPDATE_META_TYPE, 0);
	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
		return mk_fail(MK_E_UPDATE_CLASS, 0);
	ldns_rr *c = ldns_rr_clone(rr);
	if (!c)
		return mk_fail(MK_E_DNS_LDNS, 0);
	return push(u, LDNS_SECTION_AUTHORITY, c);
}

struct mk_status mk_update_add_aaaa(ldns_pkt *u, const char *owner, const uint8_t addr[16])
{
	ldns_rr *rr;
	struct mk_status st = empty_rr(&rr, owner, MK_DNS_T_AAAA, LDNS_RR_CLASS_IN);

	if (st.err != MK_E_OK)
		return st;
	ldns_rdf *a = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_AAAA, 16, addr);
	if (!a) {
		ldns_rr_free(rr);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	ldns_rr_push_rdf(rr, a);
	return push(u, LDNS_SECTION_AUTHORITY, rr);
}

struct mk_status mk_update_add_caaaa(ldns_pkt *u, const char *owner, const uint8_t coa[16],
				     const struct mk_codepoints *cp)
{
	ldns_rr *rr;
	struct mk_status st = mk_caaaa_rr_new(&rr, owner, 0, coa, cp);
	return st.err == MK_E_OK ? push(u, LDNS_SECTION_AUTHORITY, rr) : st;
}

struct mk_status mk_update_delete_rrset(ldns_pkt *u, const char *owner, uint16_t type)
{
	return push_empty(u, LDNS_SECTION_AUTHORITY, owner, type, LDNS_RR_CLASS_ANY);
}

struct mk_status mk_update_delete_name(ldns_pkt *u, const char *owner)
{
	return push_empty(u, LDNS_SECTION_AUTHORITY, owner, MK_DNS_T_ANY, LDNS_RR_CLASS_ANY);
}

struct mk_status mk_update_delete_rr(ldns_pkt *u, const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);
	if (!c)
		return mk_fail(MK_E_DNS_LDNS, 0);
	ldns_rr_set_class(c, LDNS_RR_CLASS_NONE);
	ldns_rr_set_ttl(c, 0);
	return push(u, LDNS_SECTION_AUTHORITY, c);
}

struct mk_status mk_update_replace_rrset(ldns_pkt *u, const ldns_rr *const *rrs, size_t n)
{
	if (n == 0)
		return mk_fail(MK_E_INVAL, 0);
	for (size_t i = 1; i < n; i++)
		if (ldns_rr_get_type(rrs[i]) != ldns_rr_get_type(rrs[0]) ||
		    ldns_dname_compare(ldns_rr_owner(rrs[i]), ldns_rr_owner(rrs[0])) != 0)
			return mk_fail(MK_E_UPDATE_RRSET, i);
	for (size_t i = 0; i < n; i++) {
		if (is_meta((uint16_t)ldns_rr_get_type(rrs[i])))
			return mk_fail(MK_E_UPDATE_META_TYPE, i);
		if (ldns_rr_get_class(rrs[i]) != LDNS_RR_CLASS_IN)
			return mk_fail(MK_E_UPDATE_CLASS, i);
	}
	ldns_rr *del = ldns_rr_new();
	ldns_rdf *o = ldns_rdf_clone(ldns_rr_owner(rrs[0]));
	if (!del || !o) {
		ldns_rr_free(del);
		ldns_rdf_deep_free(o);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	ldns_rr_set_owner(del, o);
	ldns_rr_set_type(del, ldns_rr_get_type(rrs[0]));
	ldns_rr_set_class(del, LDNS_RR_CLASS_ANY);
	ldns_rr_set_ttl(del, 0);
	struct mk_status st = push(u, LDNS_SECTION_AUTHORITY, del);
	for (size_t i = 0; i < n && st.err == MK_E_OK; i++)
		st = mk_update_add(u, rrs[i]);
	return st;
}

struct mk_status mk_update_prereq_name_in_use(ldns_pkt *u, const char *owner)
{
	return push_empty(u, LDNS_SECTION_ANSWER, owner, MK_DNS_T_ANY, LDNS_RR_CLASS_ANY);
}

struct mk_status mk_update_prereq_name_not_in_use(ldns_pkt *u, const char *owner)
{
	return push_empty(u, LDNS_SECTION_ANSWER, owner, MK_DNS_T_ANY, LDNS_RR_CLASS_NONE);
}

struct mk_status mk_update_prereq_rrset_exists(ldns_pkt *u, const char *owner, uint16_t type)
{
	return push_empty(u, LDNS_SECTION_ANSWER, owner, type, LDNS_RR_CLASS_ANY);
}

struct mk_status mk_update_prereq_rrset_not_exists(ldns_pkt *u, const char *owner, uint16_t type)
{
	return push_empty(u, LDNS_SECTION_ANSWER, owner, type, LDNS_RR_CLASS_NONE);
}

struct mk_status mk_update_prereq_rrset_value(ldns_pkt *u, const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);
	if (!c)
		return mk_fail(MK_E_DNS_LDNS, 0);
	ldns_rr_set_ttl(c, 0);
	return push(u, LDNS_SECTION_ANSWER, c);
}

struct mk_status mk_dns_pkt_wire(const ldns_pkt *p, uint8_t *buf, size_t cap, size_t *outlen)
{
	uint8_t *w = NULL;
	size_t n = 0;

	*outlen = 0;
	if (ldns_pkt2wire(&w, p, &n) != LDNS_STATUS_OK || !w)
		return mk_fail(MK_E_DNS_LDNS, 0);
	if (n > cap) {
		LDNS_FREE(w);
		return mk_fail(MK_E_NOSPACE, cap);
	}
	memcpy(buf, w, n);
	LDNS_FREE(w);
	*outlen = n;
	return mk_ok();
}
