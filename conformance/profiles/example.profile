# conformance/profiles/example.profile: a target outside the testbed (a box
# at a plugfest).  `conformance/run --target this-file SUITE...` sources it;
# nothing is brought up or taken down.  Copy it and fill in your target.
IMPL=example-ha                 # the name the verdict table shows
IMPL_VERSION="vendor 1.2.3"     # recorded with the results
RUN_IN=""                       # command prefix to run mobprobe where the
                                # cable is ("" here; "ssh probe-host" works
                                # if mobprobe is installed there)
SRC=2001:db8:5::1               # our address on the link to the target
TARGET=2001:db8:5::2            # legacy-ipv6-node, tcp-legacy: the node
TCP_OPEN=80                     # tcp-legacy: a listening port
TCP_CLOSED=81                   # tcp-legacy: a closed port
HOA=2001:db8:1::100             # a home address to put in HAO / RH2
SERVER=2001:db8:3::53           # dns-auth, dns-resolver: the authoritative server
RESOLVER=2001:db8:3::31         # dns-resolver: the resolver under test
CLIENT_RUN=""                   # dns-resolver: prefix to run the client's probes
ZONE=example.                   # a zone the server lets us update
TSIG_KEY=/etc/mobkit/tsig.key   # its TSIG key, as tsig-keygen writes it
CLAIMS=""                       # features the target claims (cases may SKIP on them)
CN=2001:db8:5::2                # mip6-cn: the correspondent under test
HOME_PREFIX=2001:db8:1::        # mip6-cn: a home prefix routed to the prober
                                # (each case appends its own interface ID)
COA=2001:db8:7::100             # mip6-cn: a care-of address routed to the prober
NONCE_LIFETIME=240              # mip6-cn: how long the target accepts a nonce (s)
HA=2001:db8:1::2                # mip6-ha: the home agent under test
HA_LLADDR=02:00:00:00:00:02     # mip6-ha: its link-layer address on the home link
                                # (HOME_PREFIX above is its home prefix, /64,
                                # on the link the prober shares with it)
PROBER_HOME=2001:db8:1::1       # mip6-ha: the prober's address on the home link
MN_SPI=4096                     # mip6-ha: RFC 4285 MN-HA SPI and key (hex) the
MN_KEY=00112233445566778899aabbccddeeff  # home agent holds for the home prefix
MAX_LIFETIME=200                # mip6-ha: the longest binding it grants (s; empty: unknown)
                                # COA (above): a care-of address routed to the prober
                                # CLAIMS: rfc4285 when it requires MN-HA authentication
COA2=2001:db8:7::200            # mip6-ha: another care-of address routed to the prober (never registered)
PROBER_IFACE=eth0               # mip6-ha: the prober's interface on the home link (case 19
                                # gives it a home address with `ip -6 addr add`: RUN_IN needs root)
HA1=2001:db8:1::2               # mip6-multiha: the home agent listed first
HA2=2001:db8:1::3               # mip6-multiha: the other home agent
COA_PREFIX=2001:db8:a1::        # mip6-multiha: the prober's care-of addresses
                                # (the cases append c1..c9; routed to the prober)
MH_SPI=4096                     # mip6-multiha: RFC 4285 MN-HA SPI and key the
MH_KEY=00112233445566778899aabbccddeeff  # home agents accept for any home address
HA_PROBE_INTERVAL=1000          # mip6-multiha: how often a home agent probes a peer (ms)
HA_PROBE_MISSES=3               # mip6-multiha: unanswered probes that make a peer dead
FAIL_HA1=""                     # mip6-multiha: a command that cuts HA1 off (run where
                                # conformance/run runs); "": cases 05, 06 SKIP
RESTORE_HA1=""                  # mip6-multiha: a command that brings HA1 back and
                                # returns once HA2 reaches it again
MN_COA=""                       # mip6-multiha: the target mobile node's care-of address
                                # (its traffic must pass the prober); "": 03, 04 SKIP
MN_CTL=""                       # mip6-multiha: a command that prints the mobile node's
                                # JSON counters (arg counters) and binding update list (bul)
