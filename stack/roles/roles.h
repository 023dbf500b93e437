/* stack/roles/roles.h: the roles mobd knows, each a table of hooks
 * (struct mobd_role, stack/core/core.h) in a file of its own. */
#ifndef MOBD_ROLES_H
#define MOBD_ROLES_H

#include "stack/core/core.h"

extern const struct mobd_role mobd_home_agent;  /* home-agent.c: RFC 6275 9.5, 10 */
extern const struct mobd_role mobd_mobile_node; /* mobile-node.c: RFC 6275 11 */
extern const struct mobd_role mobd_correspondent; /* correspondent.c: RFC 6275 5.2, 9 */
extern const struct mobd_role mobd_dns_updater;  /* dns-updater.c: the CAAAA of a mobile server (issue 15) */

#endif
