/* stack/roles/roles.h: the roles mobd knows, each a table of hooks
 * (struct mobd_role, stack/core/core.h) in a file of its own. */
#ifndef MOBD_ROLES_H
#define MOBD_ROLES_H

#include "stack/core/core.h"

extern const struct mobd_role mobd_home_agent;  /* home-agent.c: RFC 6275 9.5, 10 */
extern const struct mobd_role mobd_mobile_node; /* mobile-node.c: RFC 6275 11 */
extern const struct mobd_role mobd_correspondent; /* correspondent.c: RFC 6275 5.2, 9 */
extern const struct mobd_role mobd_migrate;     /* migrate.c: the TCP Migrate shim (issue 16) */
extern const struct mobd_role mobd_dns_updater;  /* dns-updater.c: the CAAAA of a mobile server (issue 15) */

/* correspondent.c: the control commands of bindings learnt from DNS (issue
 * 15): "cn-bind HOA COA LIFETIME_S", "cn-unbind HOA"; answer "ok" or
 * "error: REASON" ("error: usage: ..." for bad arguments) */
void cn_cmd_bind(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f);
void cn_cmd_unbind(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f);

/* migrate.c: "migrate": the connections, their 4-tuples, negotiation, token,
 * ReqNo, state, migrations */
void mig_cmd_migrate(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f);

/* dns-updater.c, dns-record addrs (issue 17): "withdraw ADDR" takes ADDR out
 * of the published AAAA rrset (one UPDATE), "restore ADDR" puts it back when
 * it is still usable; answer "ok" or "error: REASON" */
void du_cmd_withdraw(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f);

#endif
