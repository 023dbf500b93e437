/* lib/util/json.h: a streaming JSON writer for JSON-lines output (one
 * object per line).  No allocation; nesting up to MK_JSON_DEPTH.
 *
 *   struct mk_json j;
 *   mk_json_begin(&j, stdout);            {
 *   mk_json_str(&j, "probe", "bu");         "probe":"bu",
 *   mk_json_obj(&j, "answer");              "answer":{
 *   mk_json_uint(&j, "status", 0);            "status":0
 *   mk_json_end(&j);                        }
 *   mk_json_arr(&j, "addrs");               "addrs":[
 *   mk_json_str(&j, NULL, "2001:db8::1");     "2001:db8::1"
 *   mk_json_end(&j);                        ]
 *   mk_json_finish(&j);                   }\n
 *
 * Keys are NULL inside arrays.  Strings are escaped (RFC 8259 7); bytes
 * that are not printable ASCII are written as \u00XX.
 */
#ifndef MK_UTIL_JSON_H
#define MK_UTIL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MK_JSON_DEPTH 16
#define MK_JSON_BUF 8192

/* The object is written to f in one piece by mk_json_finish (or in pieces
 * of MK_JSON_BUF octets if it is longer): finish every object. */
struct mk_json {
	FILE *f;
	size_t n;                 /* octets in buf */
	char buf[MK_JSON_BUF];
	int depth;
	bool comma[MK_JSON_DEPTH];
	char close[MK_JSON_DEPTH];
};

void mk_json_begin(struct mk_json *j, FILE *f);
void mk_json_obj(struct mk_json *j, const char *key);
void mk_json_arr(struct mk_json *j, const char *key);
void mk_json_end(struct mk_json *j);
/* Close everything still open and end the line. */
void mk_json_finish(struct mk_json *j);

void mk_json_str(struct mk_json *j, const char *key, const char *val); /* NULL: null */
void mk_json_int(struct mk_json *j, const char *key, long long val);
void mk_json_uint(struct mk_json *j, const char *key, unsigned long long val);
void mk_json_num(struct mk_json *j, const char *key, double val, int decimals);
void mk_json_bool(struct mk_json *j, const char *key, bool val);
void mk_json_null(struct mk_json *j, const char *key);
/* Lowercase hex string of n octets. */
void mk_json_hex(struct mk_json *j, const char *key, const uint8_t *p, size_t n);

/* A key written as it is given, for keys known when compiling: quoted is
 * "\"name\":" (n octets, neither checked nor escaped), and the value call
 * that follows takes the key NULL.  MK_JSON_K(j, "name") writes it:
 *   MK_JSON_K(j, "mh.seq"), mk_json_uint(j, NULL, seq);
 * A decoder writes hundreds of keys per packet: this spares their scan. */
void mk_json_key(struct mk_json *j, const char *quoted, size_t n);
#define MK_JSON_K(j, lit) mk_json_key((j), "\"" lit "\":", sizeof("\"" lit "\":") - 1)

#endif
