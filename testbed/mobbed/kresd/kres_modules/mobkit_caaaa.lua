-- testbed/mobbed/kresd/kres_modules/mobkit_caaaa.lua: a Knot Resolver (5.x) module that
-- serves the server-mobility paper's answer semantics (section 3.1): the
-- CAAAA (care-of address) of a name in the ADDITIONAL section of the
-- answer to an AAAA query, and of the answer to a CAAAA query.
--
-- Modelled on kresd's own dns64 module: when the client's own AAAA query
-- is resolved (consume layer, RESOLVED, no parent), it pushes a CAAAA
-- sub-query for the same name into the resolution plan; when that
-- sub-query is resolved, its CAAAA RRset is taken out of the ANSWER
-- selection (to_wire false) and added to the ADDITIONAL selection
-- (req.add_selected), which kresd writes into the final answer.  A CAAAA
-- query's own CAAAA RRset is moved to ADDITIONAL the same way (the paper:
-- "a CAAAA query ... returns the mobile server's care-of address in the
-- additional section"); set answer_caaaa = 'answer' to leave it in ANSWER
-- as a plain resolver does.
--
-- Configuration (mobbed writes it):
--   package.path = DIR .. '/?.lua;' .. package.path   (kresd requires
--                                  kres_modules.NAME: DIR/kres_modules/NAME.lua)
--   modules.load('mobkit_caaaa')
--   mobkit_caaaa.config({ type = 65280, answer_caaaa = 'additional' })
-- type is the codepoint caaaa-type (doc/codepoints.md).  A name without a
-- CAAAA gets its plain answer (the sub-query's NODATA adds nothing).  Not
-- tried: a CAAAA sub-query that fails (SERVFAIL, timeout) may fail the AAAA.
local kres = require('kres')
local ffi = require('ffi')
local C = ffi.C

local M = { layer = {}, type = 65280, answer_caaaa = 'additional' }

function M.config(conf)
	if conf == nil then return end
	if type(conf) ~= 'table' then
		error('[mobkit_caaaa] config wants a table { type = N, answer_caaaa = ... }', 2)
	end
	if conf.type ~= nil then
		local t = tonumber(conf.type)
		if t == nil or t < 1 or t > 65535 or t % 1 ~= 0 then
			error(string.format('[mobkit_caaaa] bad type %q: want 1..65535', tostring(conf.type)), 2)
		end
		M.type = t
	end
	if conf.answer_caaaa ~= nil then
		if conf.answer_caaaa ~= 'additional' and conf.answer_caaaa ~= 'answer' then
			error(string.format('[mobkit_caaaa] bad answer_caaaa %q: want additional or answer',
				tostring(conf.answer_caaaa)), 2)
		end
		M.answer_caaaa = conf.answer_caaaa
	end
end

-- Move the CAAAA RRsets that query uid selected for ANSWER to ADDITIONAL.
local function to_additional(req, uid)
	local sel = req.answ_selected
	local moved = false
	for i = 0, tonumber(sel.len) - 1 do
		local e = sel.at[i]
		if e.qry_uid == uid and e.rr.type == M.type and e.rr.rclass == kres.class.IN then
			e.to_wire = false
			C.kr_ranked_rrarray_add(req.add_selected, e.rr, e.rank, true, uid, req.pool)
			moved = true
		end
	end
	if moved then
		C.kr_ranked_rrarray_finalize(req.add_selected, uid, req.pool)
	end
end

function M.layer.consume(state, req, pkt)
	if state == kres.FAIL then return state end
	local qry = req:current()
	if qry == nil or not qry.flags.RESOLVED or qry.sclass ~= kres.class.IN then
		return state
	end
	local vars = req:vars()

	-- the answer to our own CAAAA sub-query (known by its place in the plan:
	-- the iterator gives a query a new uid on every attempt)
	if vars.mobkit_caaaa_pushed and qry.parent ~= nil and qry.stype == M.type
			and qry.parent.stype == kres.type.AAAA and qry.parent.parent == nil then
		to_additional(req, qry.uid)
		return state
	end
	-- the client's own question, resolved (after any CNAME: the last link)
	if qry.parent ~= nil or vars.mobkit_caaaa_done or qry.flags.CNAME then
		return state
	end
	if pkt:rcode() ~= kres.rcode.NOERROR then return state end
	if qry.stype == M.type then
		vars.mobkit_caaaa_done = true
		if M.answer_caaaa == 'additional' then to_additional(req, qry.uid) end
	elseif qry.stype == kres.type.AAAA then
		vars.mobkit_caaaa_done = true
		local flags = kres.mk_qflags({})
		-- the sub-query goes where its parent went (policy.STUB / FORWARD)
		flags.STUB = qry.flags.STUB
		flags.FORWARD = qry.flags.FORWARD
		-- TTL 0 "applies only to the current transaction" (paper 3.1): kresd
		-- would serve a TTL-0 record from its cache for the rest of the
		-- second it was stored in, a stale care-of address right after a move
		flags.NO_CACHE = true
		flags.DNSSEC_WANT = qry.flags.DNSSEC_WANT
		if req:push(qry:name(), M.type, kres.class.IN, flags, qry) ~= nil then
			vars.mobkit_caaaa_pushed = true
		end
	end
	return state
end

return M
