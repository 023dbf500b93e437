/* lib/wire/err.c: names and texts of the error enum. */
#include "err.h"

static const char *const err_text[MK_E__COUNT] = {
#define MK_ERR(name, text) text,
#include "err_common.def"
#include "err_ip6.def"
#include "err_mh.def"
#include "err_icmp6.def"
#include "err_tcp.def"
#include "err_dns.def"
#undef MK_ERR
};

static const char *const err_name[MK_E__COUNT] = {
#define MK_ERR(name, text) #name,
#include "err_common.def"
#include "err_ip6.def"
#include "err_mh.def"
#include "err_icmp6.def"
#include "err_tcp.def"
#include "err_dns.def"
#undef MK_ERR
};

const char *mk_strerror(enum mk_err e)
{
	if ((unsigned)e >= MK_E__COUNT)
		return "unknown error";
	return err_text[e];
}

const char *mk_errname(enum mk_err e)
{
	if ((unsigned)e >= MK_E__COUNT)
		return "UNKNOWN";
	return err_name[e];
}
