-- tools/wireshark/mobkit.lua: a Wireshark (4.0 and later) Lua plugin for the
-- messages and options mobkit defines, and for the RFC 4285 options that
-- Wireshark's own MIPv6 dissector misreads.  Manual: doc/mobkit-wireshark.7.
--
-- What it decodes (every field under the filter name "mobkit"):
--   Multiple Home Agents mobility option (mobkit.mha.*), the MHA flag of the
--   Binding Update (mobkit.bu.*), Home Agent Unreachable (ICMPv6,
--   mobkit.hau.*), TCP Migrate-Permitted and Migrate in both forms (raw kind
--   and RFC 6994 ExID; mobkit.migperm.*, mobkit.migrate.*), the CAAAA DNS
--   record (mobkit.caaaa.*), the RFC 4285 Mobility Message Authentication
--   option with its 12-octet MN-HA authenticator (mobkit.auth.*) and the
--   Mobility Message Replay Protection timestamp read as NTP time
--   (mobkit.replay.*), and the HA reliability (HARP), State Sync and HA
--   Rekey messages of draft-ietf-mip6-hareliability-06 (mobkit.harp.*,
--   mobkit.ss.*, mobkit.rekey.*) on the Mobility Header types of the
--   codepoint table (the draft left them TBD; 0 turns one off).
--
-- Codepoints: the values of doc/codepoints.md and lib/wire/codepoints.c.
-- `-o mobkit.profile:default|paper` picks the table; each number can be set
-- on its own (`-o mobkit.mh_opt_mha:200`, decimal or 0x hex), an empty
-- value meaning "the profile's".
--
-- How it hooks in, leaving the built-in dissectors in charge of everything
-- else:
--   mip6.option table   types 9 and 10 (the built-in runs first, the
--                       corrected fields follow), the MHA type (the built-in
--                       Experimental dissector keeps type 18 whenever the
--                       option is not an MHA option);
--   tcp.option table    the Migrate kinds of the RFC 6994 form (253/254): the
--                       built-in Experimental dissector runs first, ours
--                       follows when the ExID is a Migrate ExID;
--   ip.proto 58         only when the Home Agent Unreachable type is one IANA
--                       gave to another message (154, FMIPv6, in the paper
--                       profile; Wireshark would call it malformed): that
--                       type is ours, every other goes to Wireshark's ICMPv6;
--   postdissector       the rest, found through the fields Wireshark's own
--                       dissectors add: the BU flags and HARP (mip6.mhtype),
--                       Home Agent Unreachable (icmpv6.type), CAAAA records
--                       (dns.resp.type), the raw Migrate form on a kind of
--                       its own (tcp.option_kind: the TCP dissector keeps its
--                       unknown-option item).
-- Packets are shown as they were but for the mobkit items, and
-- frame.protocols naming mobkit_* where a table entry above ran.

local mk = Proto("mobkit", "mobkit: messages and options mobkit defines")

---------------------------------------------------------------------------
-- codepoints (lib/wire/codepoints.c)

local CP = {
	-- name, pref key, default, paper, min, max
	{ "caaaa-type", "caaaa_type", 65280, 65280, 1, 65535 },
	{ "bu-mha-flag", "bu_mha_flag", 0x0008, 0x0800, 1, 0x8000 },
	{ "mh-opt-mha", "mh_opt_mha", 18, 18, 1, 255 },
	{ "icmp6-ha-unreachable", "icmp6_ha_unreachable", 201, 154, 0, 255 },
	{ "tcp-migrate-permitted-kind", "tcp_migrate_permitted_kind", 253, 35, 2, 255 },
	{ "tcp-migrate-permitted-exid", "tcp_migrate_permitted_exid", 0x4d50, 0, 0, 0xffff },
	{ "tcp-migrate-kind", "tcp_migrate_kind", 253, 36, 2, 255 },
	{ "tcp-migrate-exid", "tcp_migrate_exid", 0x4d47, 0, 0, 0xffff },
	-- draft-ietf-mip6-hareliability-06 leaves these TBD: the table's values
	-- (unassigned MH and option types, both profiles); 0 turns one off
	{ "harp-mh-type", "harp_mh_type", 240, 240, 0, 255 },
	{ "harp-ss-mh-type", "harp_ss_mh_type", 241, 241, 0, 255 },
	{ "harp-rekey-mh-type", "harp_rekey_mh_type", 242, 242, 0, 255 },
	{ "harp-opt-bci", "harp_opt_bci", 240, 240, 0, 255 },
}

local PROFILE_DEFAULT, PROFILE_PAPER = 1, 2
local MHA_IF_FLAG, MHA_ALWAYS, MHA_NEVER = 1, 2, 3

mk.prefs.profile = Pref.enum("Codepoint profile", PROFILE_DEFAULT,
	"default: numbers that collide with nothing IANA assigned; paper: the numbers the papers used",
	{ { "default", "default", PROFILE_DEFAULT }, { "paper", "paper", PROFILE_PAPER } }, false)
for _, c in ipairs(CP) do
	mk.prefs[c[2]] = Pref.string(c[1], "",
		string.format("%s (empty: the profile's value; default %d, paper %d; %d..%d)",
			c[1], c[3], c[4], c[5], c[6]))
end
mk.prefs.mha_on_experimental = Pref.enum("MHA on type 18", MHA_IF_FLAG,
	"When the MHA option type is 18 (RFC 5096 Experimental): read it as MHA only in a BU "
		.. "carrying the MHA flag, always, or never",
	{ { "if_flag", "if_flag", MHA_IF_FLAG }, { "always", "always", MHA_ALWAYS }, { "never", "never", MHA_NEVER } }, false)

local cp = {}       -- name -> value in force
local cp_text = ""  -- "profile=default caaaa-type=65280 ..."

-- A codepoint preference: "" (the profile's value) or a number in range.
local function parse_cp(c, s, profile_value)
	if s == nil or s == "" then
		return profile_value
	end
	local v
	if s:match("^0[xX]%x+$") then
		v = tonumber(s:sub(3), 16)
	elseif s:match("^%d+$") then
		v = tonumber(s, 10)
	end
	if v == nil or v < c[5] or v > c[6] or
		(c[1] == "bu-mha-flag" and bit32.band(v, v - 1) ~= 0) then
		report_failure(string.format("mobkit: %s: bad value '%s' (want %d..%d%s); using %d",
			c[1], s, c[5], c[6], c[1] == "bu-mha-flag" and ", one bit" or "", profile_value))
		return profile_value
	end
	return v
end

local function load_codepoints()
	local paper = mk.prefs.profile == PROFILE_PAPER
	local parts = { "profile=" .. (paper and "paper" or "default") }
	for _, c in ipairs(CP) do
		local v = parse_cp(c, mk.prefs[c[2]], paper and c[4] or c[3])
		cp[c[1]] = v
		local hex = c[1]:match("flag$") or c[1]:match("exid$")
		parts[#parts + 1] = string.format(hex and "%s=0x%04x" or "%s=%d", c[1], v)
	end
	cp_text = table.concat(parts, " ")
end

---------------------------------------------------------------------------
-- fields

local F = {}
local function field(key, f) F[key] = f; return f end

field("codepoints", ProtoField.string("mobkit.codepoints", "Codepoints in force"))
-- Binding Update
field("bu_flags", ProtoField.uint16("mobkit.bu.flags", "BU Flags", base.HEX))
field("bu_mha", ProtoField.bool("mobkit.bu.mha_flag", "MHA flag (mobile node uses multiple home agents)"))
-- Multiple Home Agents option (lib/wire/mh.h)
field("mha_type", ProtoField.uint8("mobkit.mha.type", "Type"))
field("mha_len", ProtoField.uint8("mobkit.mha.len", "Length"))
field("mha_count", ProtoField.uint8("mobkit.mha.count", "Home agents"))
field("mha_addr", ProtoField.ipv6("mobkit.mha.addr", "Home agent"))
-- RFC 4285
local auth_subtypes = { [1] = "MN-HA", [2] = "MN-AAA" }
field("auth_len", ProtoField.uint8("mobkit.auth.len", "Length"))
field("auth_subtype", ProtoField.uint8("mobkit.auth.subtype", "Subtype", base.DEC, auth_subtypes))
field("auth_spi", ProtoField.uint32("mobkit.auth.spi", "Mobility SPI", base.DEC))
field("auth_data", ProtoField.bytes("mobkit.auth.data", "Authentication data"))
field("replay_ts", ProtoField.uint64("mobkit.replay.timestamp", "Timestamp", base.HEX))
field("replay_sec", ProtoField.uint32("mobkit.replay.seconds", "NTP seconds"))
field("replay_frac", ProtoField.uint32("mobkit.replay.fraction", "NTP fraction", base.HEX))
field("replay_unix", ProtoField.uint64("mobkit.replay.unix", "Unix seconds"))
field("replay_time", ProtoField.absolute_time("mobkit.replay.time", "Time", base.UTC))
-- Home Agent Unreachable (lib/wire/icmp6.h)
field("hau_type", ProtoField.uint8("mobkit.hau.type", "Type"))
field("hau_code", ProtoField.uint8("mobkit.hau.code", "Code"))
field("hau_cksum", ProtoField.uint16("mobkit.hau.checksum", "Checksum", base.HEX))
field("hau_cksum_status", ProtoField.uint8("mobkit.hau.checksum.status", "Checksum status", base.DEC,
	{ [0] = "Bad", [1] = "Good", [2] = "Unverified" }))
field("hau_id", ProtoField.uint16("mobkit.hau.id", "Identifier", base.HEX))
field("hau_rsvd", ProtoField.uint16("mobkit.hau.reserved", "Reserved", base.HEX))
field("hau_count", ProtoField.uint8("mobkit.hau.count", "Unreachable home agents"))
field("hau_addr", ProtoField.ipv6("mobkit.hau.addr", "Unreachable home agent"))
-- TCP Migrate (lib/wire/tcpopt.h)
field("mp_kind", ProtoField.uint8("mobkit.migperm.kind", "Kind"))
field("mp_len", ProtoField.uint8("mobkit.migperm.len", "Length"))
field("mp_exid", ProtoField.uint16("mobkit.migperm.exid", "ExID", base.HEX))
field("mp_curve", ProtoField.uint8("mobkit.migperm.curve", "Curve ID"))
field("mp_key", ProtoField.bytes("mobkit.migperm.key", "Key data (top 17 octets)"))
field("mg_kind", ProtoField.uint8("mobkit.migrate.kind", "Kind"))
field("mg_len", ProtoField.uint8("mobkit.migrate.len", "Length"))
field("mg_exid", ProtoField.uint16("mobkit.migrate.exid", "ExID", base.HEX))
field("mg_p", ProtoField.bool("mobkit.migrate.p", "P (preload)", 8, nil, 0x80))
field("mg_reqno", ProtoField.uint8("mobkit.migrate.reqno", "Request number", base.DEC, nil, 0x7f))
field("mg_token", ProtoField.uint64("mobkit.migrate.token", "Token", base.HEX))
field("mg_request", ProtoField.uint64("mobkit.migrate.request", "Request", base.HEX))
-- CAAAA
field("ca_section", ProtoField.string("mobkit.caaaa.section", "Section"))
field("ca_name", ProtoField.string("mobkit.caaaa.name", "Name"))
field("ca_type", ProtoField.uint16("mobkit.caaaa.type", "Type"))
field("ca_class", ProtoField.uint16("mobkit.caaaa.class", "Class"))
field("ca_ttl", ProtoField.uint32("mobkit.caaaa.ttl", "TTL"))
field("ca_rdlen", ProtoField.uint16("mobkit.caaaa.rdlength", "RDATA length"))
field("ca_addr", ProtoField.ipv6("mobkit.caaaa.addr", "Care-of address"))
-- HARP, State Sync, HA Rekey (draft-ietf-mip6-hareliability-06 section 7)
local harp_types = { [0] = "SWO-REQ", [1] = "SWO-REP", [2] = "SWB-REQ", [3] = "SWB-REP",
	[4] = "SW-COMP / HA-HELLO" }
local harp_status = { [0] = "Success", [128] = "Reason unspecified",
	[129] = "Administratively prohibited", [130] = "Not active HA",
	[131] = "Not standby HA", [132] = "Not in same redundant set" }
local ss_types = { [0] = "SS-REQ", [1] = "SS-REP", [2] = "SS-ACK" }
field("mh_proto", ProtoField.uint8("mobkit.mh.proto", "Payload protocol"))
field("mh_hlen", ProtoField.uint8("mobkit.mh.hlen", "Header length"))
field("mh_type", ProtoField.uint8("mobkit.mh.type", "MH type"))
field("mh_rsvd", ProtoField.uint8("mobkit.mh.reserved", "Reserved", base.HEX))
field("mh_cksum", ProtoField.uint16("mobkit.mh.checksum", "Checksum", base.HEX))
field("harp_type", ProtoField.uint8("mobkit.harp.type", "HARP type", base.DEC, harp_types))
field("harp_group", ProtoField.uint8("mobkit.harp.group", "Group ID"))
field("harp_seq", ProtoField.uint16("mobkit.harp.seq", "Sequence number"))
field("harp_flags", ProtoField.uint8("mobkit.harp.flags", "Flags", base.HEX))
field("harp_a", ProtoField.bool("mobkit.harp.a", "A (sender is the active HA)", 8, nil, 0x80))
field("harp_r", ProtoField.bool("mobkit.harp.r", "R (Hello requested)", 8, nil, 0x40))
field("harp_v", ProtoField.bool("mobkit.harp.v", "V (VHARP capable)", 8, nil, 0x20))
field("harp_m", ProtoField.bool("mobkit.harp.m", "M (VHARP mode)", 8, nil, 0x10))
field("harp_status", ProtoField.uint8("mobkit.harp.status", "Status", base.DEC, harp_status))
field("harp_pref", ProtoField.uint16("mobkit.harp.preference", "HA preference"))
field("harp_life", ProtoField.uint16("mobkit.harp.lifetime", "HA lifetime"))
field("harp_hello", ProtoField.uint16("mobkit.harp.hello_interval", "Hello interval"))
field("ss_type", ProtoField.uint8("mobkit.ss.type", "State Sync type", base.DEC, ss_types))
field("ss_a", ProtoField.bool("mobkit.ss.a", "A (acknowledgement requested)", 8, nil, 0x80))
field("ss_id", ProtoField.uint16("mobkit.ss.id", "Identifier", base.HEX))
field("rekey_rsvd", ProtoField.uint16("mobkit.rekey.reserved", "Reserved", base.HEX))
field("rekey_addr", ProtoField.ipv6("mobkit.rekey.addr", "Home agent"))
field("opt_type", ProtoField.uint8("mobkit.harp.opt.type", "Option type"))
field("opt_len", ProtoField.uint8("mobkit.harp.opt.len", "Option length"))
field("opt_data", ProtoField.bytes("mobkit.harp.opt.data", "Option data"))

local flist = {}
for _, f in pairs(F) do flist[#flist + 1] = f end
mk.fields = flist

local E = {
	collide = ProtoExpert.new("mobkit.expert.collision", "codepoint collides with an IANA assignment",
		expert.group.PROTOCOL, expert.severity.NOTE),
	bad = ProtoExpert.new("mobkit.expert.malformed", "malformed mobkit option or message",
		expert.group.MALFORMED, expert.severity.ERROR),
	cksum = ProtoExpert.new("mobkit.expert.bad_checksum", "bad ICMPv6 checksum",
		expert.group.CHECKSUM, expert.severity.ERROR),
	zero_id = ProtoExpert.new("mobkit.expert.ss_id_zero", "State Sync identifier 0 is not allowed",
		expert.group.PROTOCOL, expert.severity.WARN),
}
mk.experts = { E.collide, E.bad, E.cksum, E.zero_id }

-- Run a built-in dissector.  When it throws (a malformed packet), Wireshark
-- has already marked the packet; nil tells the caller to add nothing.
local function call_builtin(d, tvb, pinfo, tree)
	local ok, n = pcall(d.call, d, tvb, pinfo, tree)
	return ok and n or nil
end

local function mk_item(tree, range, text)
	local t = tree:add(mk, range, text)
	t:add(F.codepoints, cp_text):set_generated()
	return t
end

---------------------------------------------------------------------------
-- Mobility Header and ICMPv6: what the postdissector adds to Wireshark's
-- own MIPv6 and ICMPv6 trees (the MHA flag, HARP, Home Agent Unreachable)

local f_mh_type = Field.new("mip6.mhtype")
local f_icmp6_type = Field.new("icmpv6.type")
local f_icmp6 = Field.new("icmpv6")

-- The flags of the Mobility Header being dissected if it is a BU, else
-- nil: its MH Type is the last one Wireshark added (Flags: 6 octets on).
local function current_bu_flags()
	local all = { f_mh_type() }
	local fi = all[#all]
	if not fi or fi.value ~= 5 or fi.offset + 8 > fi.source:len() then
		return nil
	end
	return fi.source(fi.offset + 6, 2):uint()
end

-- the BU flags IANA assigned (RFC 6275, 3963, 5213, 5380, 5555, 5845,
-- 6602, 7161, 8885)
local bu_iana = { [0x8000] = "A", [0x4000] = "H", [0x2000] = "L", [0x1000] = "K",
	[0x0800] = "M (HMIPv6, RFC 5380)", [0x0400] = "R (NEMO)", [0x0200] = "P (PMIPv6)",
	[0x0100] = "F", [0x0080] = "T", [0x0040] = "B", [0x0020] = "S", [0x0010] = "D" }

local function bu_flag_item(tree, flags_range)
	local flag = cp["bu-mha-flag"]
	local on = bit32.band(flags_range:uint(), flag) ~= 0
	local t = mk_item(tree, flags_range, "Binding Update, MHA flag " .. (on and "set" or "clear"))
	t:add(F.bu_flags, flags_range)
	local f = t:add(F.bu_mha, flags_range, on)
	f:append_text(string.format(" (0x%04x)", flag))
	if on and bu_iana[flag] then
		f:add_proto_expert_info(E.collide, string.format(
			"MHA flag 0x%04x is IANA's %s: Wireshark's MIPv6 dissector reads it so", flag, bu_iana[flag]))
	end
end

local function harp_options(tvb, off, tree, kind)
	while off < tvb:len() do
		local t = tvb(off, 1):uint()
		if t == 0 then
			off = off + 1  -- Pad1
		else
			if off + 2 > tvb:len() or off + 2 + tvb(off + 1, 1):uint() > tvb:len() then
				tree:add_proto_expert_info(E.bad, "option runs past the message")
				return
			end
			local l = tvb(off + 1, 1):uint()
			local name = (kind.cp == "harp-ss-mh-type" and t == cp["harp-opt-bci"]) and
				"Binding Cache Information" or "Option"
			local o = tree:add(mk, tvb(off, 2 + l), string.format("%s (%d), %d octets", name, t, l))
			o:add(F.opt_type, tvb(off, 1))
			o:add(F.opt_len, tvb(off + 1, 1))
			if l > 0 then o:add(F.opt_data, tvb(off + 2, l)) end
			off = off + 2 + l
		end
	end
end

-- The bodies of the three messages (tvb: the whole Mobility Header); each
-- returns where its options start.
local function harp_body(tvb, pinfo, t)
	t:add(F.harp_type, tvb(6, 1))
	t:add(F.harp_group, tvb(7, 1))
	t:add(F.harp_seq, tvb(8, 2))
	local fl = t:add(F.harp_flags, tvb(10, 1))
	fl:add(F.harp_a, tvb(10, 1))
	fl:add(F.harp_r, tvb(10, 1))
	fl:add(F.harp_v, tvb(10, 1))
	fl:add(F.harp_m, tvb(10, 1))
	t:add(F.harp_status, tvb(11, 1))
	t:add(F.harp_pref, tvb(12, 2))
	t:add(F.harp_life, tvb(14, 2))
	t:add(F.harp_hello, tvb(16, 2))
	pinfo.cols.info:set(string.format("HARP %s group=%d seq=%d status=%d",
		harp_types[tvb(6, 1):uint()] or tostring(tvb(6, 1):uint()),
		tvb(7, 1):uint(), tvb(8, 2):uint(), tvb(11, 1):uint()))
	return 18
end

local function ss_body(tvb, pinfo, t)
	t:add(F.ss_type, tvb(6, 1))
	t:add(F.ss_a, tvb(7, 1))
	local id = t:add(F.ss_id, tvb(8, 2))
	if tvb(8, 2):uint() == 0 then id:add_proto_expert_info(E.zero_id) end
	pinfo.cols.info:set(string.format("State Sync %s id=0x%04x",
		ss_types[tvb(6, 1):uint()] or tostring(tvb(6, 1):uint()), tvb(8, 2):uint()))
	return 10
end

-- HA Rekey: Reserved16, then home agent addresses (the layout mobkit has
-- for it names no options), read to the end of the message.
local function rekey_body(tvb, pinfo, t)
	t:add(F.rekey_rsvd, tvb(6, 2))
	local n = math.floor((tvb:len() - 8) / 16)
	local list = {}
	for i = 0, n - 1 do
		t:add(F.rekey_addr, tvb(8 + 16 * i, 16))
		list[#list + 1] = tostring(tvb(8 + 16 * i, 16):ipv6())
	end
	pinfo.cols.info:set("HA Rekey " .. table.concat(list, ","))
	return tvb:len()
end

local harp_kinds = {
	{ cp = "harp-mh-type", name = "HA Reliability (HARP)", need = 18, body = harp_body },
	{ cp = "harp-ss-mh-type", name = "State Sync", need = 10, body = ss_body },
	{ cp = "harp-rekey-mh-type", name = "HA Rekey", need = 8, body = rekey_body },
}

local function harp_kind(mhtype)
	for _, k in ipairs(harp_kinds) do
		if mhtype > 0 and mhtype == cp[k.cp] then return k end
	end
	return nil
end

-- A message of draft-ietf-mip6-hareliability-06 (tvb: the Mobility Header).
local function harp_message(tvb, pinfo, tree, kind)
	local len = tvb:len()
	local t = mk_item(tree, tvb(), "Mobility Header, " .. kind.name .. " (draft-ietf-mip6-hareliability-06)")
	t:add(F.mh_proto, tvb(0, 1))
	t:add(F.mh_hlen, tvb(1, 1))
	t:add(F.mh_type, tvb(2, 1))
	t:add(F.mh_rsvd, tvb(3, 1))
	t:add(F.mh_cksum, tvb(4, 2))
	if len < kind.need or (tvb(1, 1):uint() + 1) * 8 > len then
		t:add_proto_expert_info(E.bad, string.format("%s needs %d octets, has %d", kind.name, kind.need, len))
		return
	end
	harp_options(tvb, kind.body(tvb, pinfo, t), t, kind)
end

-- Every Mobility Header of the packet, through its MH Type field.
local function mobility_headers(pinfo, tree)
	for _, fi in ipairs({ f_mh_type() }) do
		local src, at, mhtype = fi.source, fi.offset - 2, fi.value
		local kind = harp_kind(mhtype)
		if mhtype == 5 and at + 10 <= src:len() then
			bu_flag_item(tree, src(at + 8, 2))
		elseif kind and at >= 0 and at + 2 <= src:len() then
			local len = math.min((src(at + 1, 1):uint() + 1) * 8, src:len() - at)
			harp_message(src(at, len):tvb(), pinfo, tree, kind)
		end
	end
end

-- The ICMPv6 checksum (RFC 4443 2.3) of a message Wireshark's ICMPv6
-- dissector did not see: pseudo-header with the addresses of the IPv6
-- header in front of it, the Home Address option's address as the source
-- and the type 2 routing header's as the destination (RFC 6275 6.3, 6.4).
-- Returns true/false, or nil when the addresses are not found.
local f_ip6_src = Field.new("ipv6.src")
local f_ip6_dst = Field.new("ipv6.dst")
local f_hao = Field.new("ipv6.opt.mipv6.home_address")
local f_rh2 = Field.new("ipv6.routing.mipv6.home_address")

-- the last field of f that starts after `from` and before `to`
local function last_between(f, from, to)
	local got
	for _, fi in ipairs({ f() }) do
		if fi.offset > from and fi.offset < to then got = fi end
	end
	return got
end

local function sum16(ba, total)
	for i = 0, ba:len() - 1 do
		total = total + (i % 2 == 0 and ba:get_index(i) * 256 or ba:get_index(i))
	end
	return total
end

local function icmp6_cksum_ok(tvb)
	local at = tvb:offset()
	local src = last_between(f_ip6_src, -1, at)
	local dst = src and last_between(f_ip6_dst, src.offset, at)
	if not dst then return nil end
	src = last_between(f_hao, dst.offset, at) or src
	dst = last_between(f_rh2, dst.offset, at) or dst
	local len = tvb:len()
	local total = sum16(src.range:bytes(), 0)
	total = sum16(dst.range:bytes(), total)
	total = sum16(tvb:bytes(), total + math.floor(len / 65536) + len % 65536 + 58)
	while total > 0xffff do
		total = math.floor(total / 65536) + total % 65536
	end
	return total == 0xffff
end

-- Home Agent Unreachable (tvb: the ICMPv6 message).
local function hau_message(tvb, pinfo, tree, verify)
	local len = tvb:len()
	local typ = tvb(0, 1):uint()
	pinfo.cols.info:set("Home Agent Unreachable")
	local t = mk_item(tree, tvb(), "Home Agent Unreachable (ICMPv6)")
	if typ == 154 then
		t:add_proto_expert_info(E.collide,
			"type 154 is IANA's FMIPv6 (RFC 5568); read as Home Agent Unreachable (codepoint icmp6-ha-unreachable)")
	end
	if len < 8 then
		t:add_proto_expert_info(E.bad, "shorter than the 8-octet header")
		return
	end
	t:add(F.hau_type, tvb(0, 1))
	t:add(F.hau_code, tvb(1, 1))
	local ck = t:add(F.hau_cksum, tvb(2, 2))
	if verify then
		local good = icmp6_cksum_ok(tvb)
		if good == nil then
			ck:append_text(" [unverified: no IPv6 header found]")
		elseif good then
			ck:append_text(" [correct]")
		else
			ck:append_text(" [incorrect]")
			ck:add_proto_expert_info(E.cksum)
		end
		t:add(F.hau_cksum_status, good == nil and 2 or (good and 1 or 0)):set_generated()
	end
	t:add(F.hau_id, tvb(4, 2))
	t:add(F.hau_rsvd, tvb(6, 2))
	local k = math.floor((len - 8) / 16)
	t:add(F.hau_count, k):set_generated()
	local list = {}
	for i = 0, k - 1 do
		t:add(F.hau_addr, tvb(8 + 16 * i, 16))
		list[#list + 1] = tostring(tvb(8 + 16 * i, 16):ipv6())
	end
	if k == 0 or (len - 8) % 16 ~= 0 then
		t:add_proto_expert_info(E.bad, "the address list is empty or not a multiple of 16 octets")
	end
	pinfo.cols.info:append(string.format(" id=0x%04x %s", tvb(4, 2):uint(), table.concat(list, ",")))
end

-- Every Home Agent Unreachable Wireshark's ICMPv6 dissector read (as a
-- private experimentation or unassigned type), through the ICMPv6 Type.
local function hau_messages(pinfo, tree)
	local msgs
	for _, fi in ipairs({ f_icmp6_type() }) do
		if fi.value == cp["icmp6-ha-unreachable"] then
			msgs = msgs or { f_icmp6() }
			local src, len = fi.source, fi.source:len() - fi.offset
			for _, m in ipairs(msgs) do
				if m.source == src and m.offset == fi.offset then len = math.min(len, m.len) end
			end
			hau_message(src(fi.offset, len):tvb(), pinfo, tree)
		end
	end
end

-- ICMPv6 types Wireshark gives another meaning (IANA, 2022): a Home Agent
-- Unreachable on one of them (154, FMIPv6, in the paper profile) would be
-- read as a malformed message of that kind, so the plugin then takes
-- ip.proto 58 and dissects that type alone, the others with Wireshark's.
local function icmp6_assigned(t)
	return (t >= 1 and t <= 4) or (t >= 128 and t <= 161)
end

local ipproto = DissectorTable.get("ip.proto")
local builtin_icmpv6 = ipproto:get_dissector(58)
local icmp_wrap = Proto("mobkit_icmpv6", "mobkit ICMPv6 hook for an IANA-assigned HAU type")
function icmp_wrap.dissector(tvb, pinfo, tree)
	if tvb:len() >= 1 and tvb(0, 1):uint() == cp["icmp6-ha-unreachable"] then
		pinfo.cols.protocol:set("ICMPv6")
		hau_message(tvb, pinfo, tree, true)
		return tvb:len()
	end
	return call_builtin(builtin_icmpv6, tvb, pinfo, tree) or tvb:len()
end

---------------------------------------------------------------------------
-- Mobility options: MHA, RFC 4285 (mip6.option table)

local mipopt = DissectorTable.get("mip6.option")
local builtin_opt = {}  -- type -> built-in dissector (or false), taken before ours replace it
local function builtin_mipopt(t)
	if builtin_opt[t] == nil then
		builtin_opt[t] = mipopt:get_dissector(t) or false
	end
	return builtin_opt[t]
end

local function is_mha(tvb)
	local t, l = tvb(0, 1):uint(), tvb:len() - 2
	local flags = current_bu_flags()
	if l < 16 or l % 16 ~= 0 or flags == nil then
		return false
	end
	if t ~= 18 then
		return true
	end
	local how = mk.prefs.mha_on_experimental
	if how == MHA_ALWAYS then return true end
	if how == MHA_NEVER then return false end
	return bit32.band(flags, cp["bu-mha-flag"]) ~= 0
end

local mha_opt = Proto("mobkit_mha", "mobkit Multiple Home Agents option")
function mha_opt.dissector(tvb, pinfo, tree)
	if not is_mha(tvb) then
		local b = builtin_mipopt(tvb(0, 1):uint())
		if b then return call_builtin(b, tvb, pinfo, tree) or tvb:len() end
		local t = mk_item(tree, tvb(), "Mobility option (not a Multiple Home Agents option)")
		t:add_proto_expert_info(E.bad, "length is not a positive multiple of 16, or not in a BU")
		return tvb:len()
	end
	local n = (tvb:len() - 2) / 16
	local t = mk_item(tree, tvb(), string.format("Multiple Home Agents (%d)", n))
	t:add(F.mha_type, tvb(0, 1))
	t:add(F.mha_len, tvb(1, 1))
	t:add(F.mha_count, n):set_generated()
	local list = {}
	for i = 0, n - 1 do
		t:add(F.mha_addr, tvb(2 + 16 * i, 16))
		list[#list + 1] = tostring(tvb(2 + 16 * i, 16):ipv6())
	end
	t:append_text(": " .. table.concat(list, ", "))
	return tvb:len()
end

-- RFC 4285 4: Type 9, Len, Subtype8, Mobility SPI32, Authentication Data
-- (for MN-HA, HMAC-SHA1-96: 12 octets, so Len = 17)
local auth_opt = Proto("mobkit_auth", "mobkit RFC 4285 authentication option")
function auth_opt.dissector(tvb, pinfo, tree)
	local b = builtin_mipopt(9)
	if b and not call_builtin(b, tvb, pinfo, tree) then return tvb:len() end
	local len = tvb:len()
	local t = mk_item(tree, tvb(), "Mobility Message Authentication (RFC 4285)")
	t:add(F.auth_len, tvb(1, 1))
	if len < 7 then
		t:add_proto_expert_info(E.bad, "shorter than Subtype and SPI")
		return len
	end
	t:add(F.auth_subtype, tvb(2, 1))
	t:add(F.auth_spi, tvb(3, 4))
	if len > 7 then
		t:add(F.auth_data, tvb(7, len - 7))
	end
	t:append_text(string.format(": %s, SPI %d, %d-octet authenticator",
		auth_subtypes[tvb(2, 1):uint()] or "subtype " .. tvb(2, 1):uint(), tvb(3, 4):uint(), len - 7))
	return len
end

-- RFC 4285 5: Type 10, Len 8, Timestamp64 in NTP format (seconds since
-- 1900 . fraction).  Seconds with the top bit clear are in NTP era 1
-- (from 2036-02-07), as RFC 4330 3 reads them.
local NTP_UNIX = 2208988800
local replay_opt = Proto("mobkit_replay", "mobkit RFC 4285 replay protection option")
function replay_opt.dissector(tvb, pinfo, tree)
	local b = builtin_mipopt(10)
	if b and not call_builtin(b, tvb, pinfo, tree) then return tvb:len() end
	local len = tvb:len()
	local t = mk_item(tree, tvb(), "Mobility Message Replay Protection (RFC 4285)")
	if len ~= 10 then
		t:add_proto_expert_info(E.bad, string.format("Len %d, RFC 4285 says 8", len - 2))
		return len
	end
	local sec, frac = tvb(2, 4):uint(), tvb(6, 4):uint()
	local unix = sec - NTP_UNIX
	if sec < 0x80000000 then unix = unix + 4294967296 end
	t:add(F.replay_ts, tvb(2, 8))
	t:add(F.replay_sec, tvb(2, 4))
	t:add(F.replay_frac, tvb(6, 4))
	t:add(F.replay_unix, tvb(2, 4), UInt64.new(unix)):set_generated()
	local ti = t:add(F.replay_time, tvb(2, 8), NSTime.new(unix, math.floor(frac * 1e9 / 4294967296)))
	t:append_text(": " .. ti.text:gsub("^[^:]*: ", ""))
	return len
end

builtin_mipopt(9)
builtin_mipopt(10)
mipopt:add(9, auth_opt)
mipopt:add(10, replay_opt)

---------------------------------------------------------------------------
-- TCP Migrate: the RFC 6994 form through the tcp.option table (after the
-- built-in experimental dissector, which shows kind, length and ExID); the
-- raw form on a kind of its own through the postdissector below, so that
-- the TCP dissector keeps its unknown-option item (tcp.option_kind)

local tcpopt = DissectorTable.get("tcp.option")
local builtin_tcp = {}
local function builtin_tcpopt(k)
	if builtin_tcp[k] == nil then
		builtin_tcp[k] = tcpopt:get_dissector(k) or false
	end
	return builtin_tcp[k]
end

-- Which Migrate form this option is: "perm", "migrate" or nil, and the
-- octet where its own data start.
local function migrate_form(tvb)
	local kind, len = tvb(0, 1):uint(), tvb:len()
	local pk, pe = cp["tcp-migrate-permitted-kind"], cp["tcp-migrate-permitted-exid"]
	local gk, ge = cp["tcp-migrate-kind"], cp["tcp-migrate-exid"]
	local exid = len >= 4 and tvb(2, 2):uint() or -1
	if kind == gk and (ge == 0 or exid == ge) then
		local at = ge == 0 and 2 or 4
		if len == at + 17 or kind ~= pk then return "migrate", at end
	end
	if kind == pk and (pe == 0 or exid == pe) then
		return "perm", pe == 0 and 2 or 4
	end
	return nil
end

-- The tree of one Migrate option (tvb: the option, kind first).
local function migrate_tree(tvb, pinfo, tree, form, at)
	local len = tvb:len()
	local exid = at == 4
	local perm = form == "perm"
	local t = mk_item(tree, tvb(), "TCP " .. (perm and "Migrate-Permitted" or "Migrate")
		.. " (draft-snoeren-tcp-migrate-00)")
	t:add(perm and F.mp_kind or F.mg_kind, tvb(0, 1))
	t:add(perm and F.mp_len or F.mg_len, tvb(1, 1))
	if exid then t:add(perm and F.mp_exid or F.mg_exid, tvb(2, 2)) end
	if perm and len ~= at + 1 and len ~= at + 18 then
		t:add_proto_expert_info(E.bad, string.format("length %d, want %d or %d", len, at + 1, at + 18))
	elseif perm then
		t:add(F.mp_curve, tvb(at, 1))
		if len == at + 18 then
			t:add(F.mp_key, tvb(at + 1, 17))
			t:append_text(string.format(": curve %d, key continues in the Timestamps option", tvb(at, 1):uint()))
		else
			t:append_text(": curve 0 (insecure)")
		end
		pinfo.cols.info:append(" MigPerm")
	elseif len ~= at + 17 then
		t:add_proto_expert_info(E.bad, string.format("length %d, want %d", len, at + 17))
	else
		t:add(F.mg_p, tvb(at, 1))
		t:add(F.mg_reqno, tvb(at, 1))
		t:add(F.mg_token, tvb(at + 1, 8))
		t:add(F.mg_request, tvb(at + 9, 8))
		t:append_text(string.format(": reqno %d, token %s", bit32.band(tvb(at, 1):uint(), 0x7f),
			tvb(at + 1, 8):bytes():tohex():lower()))
		pinfo.cols.info:append(" Migrate")
	end
end

local mig_opt = Proto("mobkit_migrate", "mobkit TCP Migrate options")
function mig_opt.dissector(tvb, pinfo, tree)
	local b = builtin_tcpopt(tvb(0, 1):uint())
	local n = b and call_builtin(b, tvb, pinfo, tree)
	if b and not n then return tvb:len() end
	local form, at = migrate_form(tvb)
	if form then
		migrate_tree(tvb, pinfo, tree, form, at)
	end
	return n or (form and tvb:len()) or 0
end

---------------------------------------------------------------------------
-- registration that follows the codepoints (redone when they change)

local registered = { mipopt = nil, tcp = {}, icmp = false }

local function register_tables()
	local want_icmp = icmp6_assigned(cp["icmp6-ha-unreachable"])
	if want_icmp ~= registered.icmp then
		ipproto:add(58, want_icmp and icmp_wrap or builtin_icmpv6)
		registered.icmp = want_icmp
	end
	-- MHA option type, unless it names an option with an RFC meaning
	if registered.mipopt then
		local b = builtin_mipopt(registered.mipopt)
		if b then mipopt:add(registered.mipopt, b) else mipopt:remove(registered.mipopt, mha_opt) end
		registered.mipopt = nil
	end
	local m = cp["mh-opt-mha"]
	if not (m <= 5 or m == 9 or m == 10) then
		builtin_mipopt(m)
		mipopt:add(m, mha_opt)
		registered.mipopt = m
	end
	for k in pairs(registered.tcp) do
		local b = builtin_tcpopt(k)
		if b then tcpopt:add(k, b) else tcpopt:remove(k, mig_opt) end
	end
	registered.tcp = {}
	for _, ke in ipairs({ { "tcp-migrate-permitted-kind", "tcp-migrate-permitted-exid" },
		{ "tcp-migrate-kind", "tcp-migrate-exid" } }) do
		local k = cp[ke[1]]
		if cp[ke[2]] ~= 0 and not registered.tcp[k] then
			builtin_tcpopt(k)
			tcpopt:add(k, mig_opt)
			registered.tcp[k] = true
		end
	end
end

local function apply()
	load_codepoints()
	register_tables()
end

apply()

function mk.prefs_changed()
	apply()
end

---------------------------------------------------------------------------
-- The postdissector: CAAAA records, found through the DNS fields, and the
-- raw-form Migrate options, found through tcp.option_kind

local f_dns_id = Field.new("dns.id")
local f_resp_type = Field.new("dns.resp.type")
local f_resp_name = Field.new("dns.resp.name")
local f_tcp_kind = Field.new("tcp.option_kind")

local function by_offset(a, b) return a.offset < b.offset end

local function fields_of(f)
	local all = { f() }
	table.sort(all, by_offset)
	return all
end

-- the sections RRs fall in, from the header counts (RFC 1035 4.1.1; RFC
-- 2136 2 for UPDATE)
local function section_of(hdr, k)
	local opcode = bit32.band(bit32.rshift(hdr(2, 1):uint(), 3), 0x0f)
	local an, ns = hdr(6, 2):uint(), hdr(8, 2):uint()
	if k <= an then return opcode == 5 and "prerequisite" or "answer" end
	if k <= an + ns then return opcode == 5 and "update" or "authority" end
	return "additional"
end

-- One CAAAA RR: its TYPE at src offset o, its owner name field nm (or nil),
-- the k-th RR after the question of the message whose header is at hdr.
local function caaaa_rr(tree, src, o, nm, hdr, k)
	local rdlen = src(o + 8, 2):uint()
	local from = nm and nm.offset or o
	local t = mk_item(tree, src(from, math.min(o + 10 + rdlen, src:len()) - from),
		"CAAAA record (care-of address)")
	t:add(F.ca_section, section_of(src(hdr, 12), k))
	if nm then t:add(F.ca_name, nm.range, nm.value) end
	t:add(F.ca_type, src(o, 2))
	t:add(F.ca_class, src(o + 2, 2))
	t:add(F.ca_ttl, src(o + 4, 4))
	t:add(F.ca_rdlen, src(o + 8, 2))
	if rdlen == 16 and o + 26 <= src:len() then
		t:add(F.ca_addr, src(o + 10, 16))
		t:append_text(": " .. tostring(src(o + 10, 16):ipv6()))
	elseif rdlen == 0 then
		t:append_text(": empty RDATA (UPDATE prerequisite or deletion)")
	else
		t:add_proto_expert_info(E.bad, string.format("RDATA length %d, want 16", rdlen))
	end
end

local function caaaa_records(tree)
	local ids = fields_of(f_dns_id)
	if #ids == 0 then return end
	local types, names = fields_of(f_resp_type), fields_of(f_resp_name)
	for i, id in ipairs(ids) do
		local src = id.source
		local stop = ids[i + 1] and ids[i + 1].offset or math.huge
		local k = 0
		for _, ty in ipairs(types) do
			if ty.source == src and ty.offset > id.offset and ty.offset < stop then
				k = k + 1
				if ty.value == cp["caaaa-type"] and ty.offset + 10 <= src:len() then
					local nm
					for _, n in ipairs(names) do
						if n.source == src and n.offset < ty.offset and n.offset > id.offset then nm = n end
					end
					caaaa_rr(tree, src, ty.offset, nm, id.offset, k)
				end
			end
		end
	end
end

local function raw_migrate(pinfo, tree)
	local raw = {}
	if cp["tcp-migrate-permitted-exid"] == 0 then raw[cp["tcp-migrate-permitted-kind"]] = true end
	if cp["tcp-migrate-exid"] == 0 then raw[cp["tcp-migrate-kind"]] = true end
	if next(raw) == nil then return end
	for _, fi in ipairs(fields_of(f_tcp_kind)) do
		local src, o = fi.source, fi.offset
		if raw[fi.value] and o + 2 <= src:len() then
			local len = src(o + 1, 1):uint()
			if len >= 2 and o + len <= src:len() then
				local opt = src(o, len):tvb()
				local form, at = migrate_form(opt)
				if form then migrate_tree(opt, pinfo, tree, form, at) end
			end
		end
	end
end

function mk.dissector(tvb, pinfo, tree)
	mobility_headers(pinfo, tree)
	hau_messages(pinfo, tree)
	caaaa_records(tree)
	raw_migrate(pinfo, tree)
end

register_postdissector(mk)
