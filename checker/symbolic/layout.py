"""The symbolic state: a fixed vector of named small-domain integers per time frame.

Every part of a `model.state` tuple becomes a named variable with a static domain:

  ng                          Gs created so far (len of the Gs tuple)
  g<i>.func .status .pc .left .preempt .c<j>   G slot i (all 0 while i >= ng)
  p<i>.status .m .runnext .tick .slice, queue p<i>.ring
  m<i>.state .p .g .spinning
  queues gq (global), pidle, midle
  needspin ended fatal
  c<i>.count .closed, queues c<i>.sendq c<i>.recvq   (entries are `state.waiter` codes)
  mu<i>.held, queue mu<i>.waiters;  wg<i>.counter, queue wg<i>.waiters

A queue `q` is a length `q.n` and slots `q.0 ...`; slots at or beyond the length hold FILL.
A variable is a `values.Sym` over Boolean literals of the frame: one literal per value
(one-hot) for domains of up to ONE_HOT values, else a binary code of the value's index.
`encode` and `decode` map a state tuple to values and back, exactly: decode(encode(s)) == s.
`well_formed` says each variable holds one value of its domain plus the canonical forms
(unused G slots zero, dead Gs canonical, empty queue slots FILL).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import z3

from gocheck.model import program as op
from gocheck.model.config import MachineConfig
from gocheck.model.program import Program
from gocheck.model.state import (
    DEAD,
    FATAL_MESSAGES,
    G_COUNTERS,
    G_STATUS,
    M_STATE,
    P_STATUS,
    S_CHANS,
    S_ENDED,
    S_FATAL,
    S_GLOBALQ,
    S_GS,
    S_MIDLE,
    S_MS,
    S_MUTEXES,
    S_NEEDSPIN,
    S_PIDLE,
    S_PS,
    S_WGS,
    waiter,
)
from gocheck.symbolic.bounds import Bounds
from gocheck.symbolic.values import Cond, Sym, Val, and_, eq, not_, or_

FILL = -1  # an empty queue slot
ONE_HOT = 16
G_FIELDS = ("func", "status", "pc", "left", "preempt")
P_FIELDS = ("status", "m", "runnext", "tick", "slice")
M_FIELDS = ("state", "p", "g", "spinning")


@dataclass(frozen=True, slots=True)
class Frame:
    """One time frame: each variable as a Sym, and the literals it is built from."""

    vars: dict[str, Sym]
    literals: dict[str, list[z3.BoolRef]]

    def __getitem__(self, name: str) -> Sym:
        return self.vars[name]


class Layout:
    """Names, domains and capacities of one program's state vector."""

    def __init__(self, prog: Program, cfg: MachineConfig, b: Bounds):
        self.prog, self.cfg, self.b = prog, cfg, b
        self.caps: dict[str, int] = {"gq": b.goroutines, "pidle": cfg.procs,
                                     "midle": cfg.threads}
        self.caps.update({f"p{p}.ring": b.ring for p in range(cfg.procs)})
        for c in range(len(prog.chan_caps)):
            self.caps[f"c{c}.sendq"] = self.caps[f"c{c}.recvq"] = b.chan_queue
        self.caps.update({f"mu{i}.waiters": b.goroutines for i in range(len(prog.mutex_names))})
        self.caps.update({f"wg{i}.waiters": b.goroutines for i in range(len(prog.wg_names))})
        self.domains: dict[str, tuple[int, ...]] = dict(self._domains())
        self.names = list(self.domains)

    # --- names and domains --------------------------------------------------------------
    def _domains(self) -> Iterator[tuple[str, tuple[int, ...]]]:
        b, cfg, prog = self.b, self.cfg, self.prog
        ng, procs, threads = b.goroutines, cfg.procs, cfg.threads

        def span(lo: int, hi: int) -> tuple[int, ...]:
            return tuple(range(lo, hi + 1))

        yield "ng", span(1, ng)
        for i in range(ng):
            pcs = {0} | {pc for _f, pc in b.places(prog, i)}
            yield f"g{i}.func", tuple(sorted({0, *b.funcs_of[i]}))
            yield f"g{i}.status", span(0, len(G_STATUS) - 1)
            yield f"g{i}.pc", tuple(sorted(pcs))
            yield f"g{i}.left", span(-1, b.max_ticks)
            yield f"g{i}.preempt", (0, 1)
            for j in range(b.counters):
                yield f"g{i}.c{j}", span(0, b.counter_max[j])
        for p in range(procs):
            yield f"p{p}.status", span(0, len(P_STATUS) - 1)
            yield f"p{p}.m", span(-1, threads - 1)
            yield f"p{p}.runnext", span(-1, ng - 1)
            yield f"p{p}.tick", span(0, max(cfg.global_check - 1, 0))
            yield f"p{p}.slice", span(0, cfg.timeslice)
        for m in range(threads):
            yield f"m{m}.state", span(0, len(M_STATE) - 1)
            yield f"m{m}.p", span(-1, procs - 1)
            yield f"m{m}.g", span(-1, ng - 1)
            yield f"m{m}.spinning", (0, 1)
        yield "needspin", (0, 1)
        yield "ended", (0, 1)
        yield "fatal", span(0, len(FATAL_MESSAGES) - 1)
        for c, cap in enumerate(prog.chan_caps):
            yield f"c{c}.count", span(0, cap)
            yield f"c{c}.closed", (0, 1)
        for i in range(len(prog.mutex_names)):
            yield f"mu{i}.held", (0, 1)
        for i in range(len(prog.wg_names)):
            yield f"wg{i}.counter", span(0, b.wg_max)
        entries = tuple(sorted(waiter(g, c) for g in range(ng) for c in range(-1, b.max_cases)))
        for q, cap in self.caps.items():
            if q in ("pidle", "midle"):
                items = tuple(range(procs if q == "pidle" else threads))
            else:
                items = entries if q.startswith("c") else tuple(range(ng))
            yield f"{q}.n", span(0, cap)
            for j in range(cap):
                yield f"{q}.{j}", (FILL, *items)

    def frame(self, tag: str) -> Frame:
        """Fresh literals for every variable, named `<var>=<value>@tag` (one-hot) or
        `<var>#<bit>@tag` (binary)."""
        vars_: dict[str, Sym] = {}
        literals: dict[str, list[z3.BoolRef]] = {}
        for n, dom in self.domains.items():
            if len(dom) <= ONE_HOT:
                lits = [z3.Bool(f"{n}={v}@{tag}") for v in dom]
                vars_[n] = Sym(dict(zip(dom, lits, strict=True)))
            else:
                lits = [z3.Bool(f"{n}#{j}@{tag}") for j in range(_width(len(dom)))]
                vars_[n] = Sym({v: _code(lits, i) for i, v in enumerate(dom)})
            literals[n] = lits
        return Frame(vars_, literals)

    def define(self, x: Frame, name: str, value: Val) -> list[z3.BoolRef]:
        """Constraints making variable `name` of frame x equal to `value` (a value outside
        the domain is excluded)."""
        dom, lits = self.domains[name], x.literals[name]
        cases = value.cases if isinstance(value, Sym) else {value: True}
        out = [_bool(not_(c)) for v, c in cases.items() if v not in dom]
        if len(dom) <= ONE_HOT:
            out += [lit == _bool(cases.get(v, False)) for v, lit in zip(dom, lits, strict=True)]
        else:
            index = {v: i for i, v in enumerate(dom)}
            out += [lit == _bool(or_(*(c for v, c in cases.items()
                                        if v in index and index[v] >> j & 1)))
                    for j, lit in enumerate(lits)]
        return out

    # --- concrete states ----------------------------------------------------------------
    def encode(self, s: tuple) -> dict[str, int]:
        v: dict[str, int] = {"ng": len(s[S_GS])}
        zero_g = (0, 0, 0, 0, 0, ())
        for i in range(self.b.goroutines):
            G = s[S_GS][i] if i < len(s[S_GS]) else zero_g
            v.update({f"g{i}.{f}": int(x) for f, x in zip(G_FIELDS, G, strict=False)})
            counters = G[G_COUNTERS]
            v.update({f"g{i}.c{j}": counters[j] if j < len(counters) else 0
                      for j in range(self.b.counters)})
        for p, (status, m, ring, runnext, tick, slc) in enumerate(s[S_PS]):
            v.update({f"p{p}.status": status, f"p{p}.m": m, f"p{p}.runnext": runnext,
                      f"p{p}.tick": tick, f"p{p}.slice": slc})
            self._put_queue(v, f"p{p}.ring", ring)
        for m, M in enumerate(s[S_MS]):
            v.update({f"m{m}.{f}": int(x) for f, x in zip(M_FIELDS, M, strict=True)})
        self._put_queue(v, "gq", s[S_GLOBALQ])
        self._put_queue(v, "pidle", s[S_PIDLE])
        self._put_queue(v, "midle", s[S_MIDLE])
        v.update(needspin=s[S_NEEDSPIN], ended=s[S_ENDED], fatal=s[S_FATAL])
        for c, (count, closed, sendq, recvq) in enumerate(s[S_CHANS]):
            v.update({f"c{c}.count": count, f"c{c}.closed": closed})
            self._put_queue(v, f"c{c}.sendq", sendq)
            self._put_queue(v, f"c{c}.recvq", recvq)
        for i, (held, waiters) in enumerate(s[S_MUTEXES]):
            v[f"mu{i}.held"] = held
            self._put_queue(v, f"mu{i}.waiters", waiters)
        for i, (counter, waiters) in enumerate(s[S_WGS]):
            v[f"wg{i}.counter"] = counter
            self._put_queue(v, f"wg{i}.waiters", waiters)
        outside = [n for n in self.names if v[n] not in self.domains[n]]
        if outside:
            raise ValueError(f"{outside[0]} = {v[outside[0]]} is outside its static domain")
        return v

    def _put_queue(self, v: dict[str, int], q: str, items: tuple) -> None:
        if len(items) > self.caps[q]:
            raise ValueError(f"{q} holds {len(items)} entries, more than its bound "
                             f"{self.caps[q]}")
        v[f"{q}.n"] = len(items)
        v.update({f"{q}.{j}": items[j] if j < len(items) else FILL
                  for j in range(self.caps[q])})

    def values_term(self, x: Frame, values: Mapping[str, int]) -> z3.BoolRef:
        """Frame x holds exactly the concrete values (every literal fixed)."""
        return z3.And([c for n in self.names for c in self.define(x, n, values[n])])

    def read(self, model: z3.ModelRef, x: Frame) -> dict[str, int]:
        """The values a model gives frame x."""
        out = {}
        for n, dom in self.domains.items():
            bits = [z3.is_true(model.eval(lit, model_completion=True))
                    for lit in x.literals[n]]
            if len(dom) <= ONE_HOT:
                out[n] = dom[bits.index(True)]
            else:
                out[n] = dom[sum(1 << j for j, bit in enumerate(bits) if bit)]
        return out

    def decode(self, v: Mapping[str, int]) -> tuple:
        gs = []
        for i in range(v["ng"]):
            func, status, pc, left, preempt = (v[f"g{i}.{f}"] for f in G_FIELDS)
            if status == DEAD:
                gs.append((func, DEAD, 0, 0, 0, ()))
                continue
            loops = self.prog.functions[func].loops
            gs.append((func, status, pc, left, preempt,
                       tuple(v[f"g{i}.c{j}"] for j in range(loops))))
        ps = tuple((v[f"p{p}.status"], v[f"p{p}.m"], self._queue(v, f"p{p}.ring"),
                    v[f"p{p}.runnext"], v[f"p{p}.tick"], v[f"p{p}.slice"])
                   for p in range(self.cfg.procs))
        ms = tuple((v[f"m{m}.state"], v[f"m{m}.p"], v[f"m{m}.g"], bool(v[f"m{m}.spinning"]))
                   for m in range(self.cfg.threads))
        chans = tuple((v[f"c{c}.count"], v[f"c{c}.closed"], self._queue(v, f"c{c}.sendq"),
                       self._queue(v, f"c{c}.recvq")) for c in range(len(self.prog.chan_caps)))
        mutexes = tuple((v[f"mu{i}.held"], self._queue(v, f"mu{i}.waiters"))
                        for i in range(len(self.prog.mutex_names)))
        wgs = tuple((v[f"wg{i}.counter"], self._queue(v, f"wg{i}.waiters"))
                    for i in range(len(self.prog.wg_names)))
        return (tuple(gs), ps, ms, self._queue(v, "gq"), self._queue(v, "pidle"),
                self._queue(v, "midle"), v["needspin"], chans, mutexes, wgs, v["ended"],
                v["fatal"])

    def _queue(self, v: Mapping[str, int], q: str) -> tuple:
        return tuple(v[f"{q}.{j}"] for j in range(v[f"{q}.n"]))

    # --- well-formedness ----------------------------------------------------------------
    def well_formed(self, x: Frame) -> z3.BoolRef:
        """Each variable holds exactly one value of its domain; unused G slots are zero,
        dead Gs canonical, a live G stands at an action of its function; queue slots below
        the length hold entries and the others FILL."""
        out: list[Cond] = []
        for n, dom in self.domains.items():
            lits = x.literals[n]
            if len(dom) <= ONE_HOT:
                out.append(or_(*lits))
                out += [z3.Or(z3.Not(a), z3.Not(b)) for i, a in enumerate(lits)
                        for b in lits[i + 1:]]
            else:
                out.append(or_(*x[n].cases.values()))
        b, prog = self.b, self.prog
        for i in range(b.goroutines):
            fields = [x[f"g{i}.{f}"] for f in G_FIELDS]
            fields += [x[f"g{i}.c{j}"] for j in range(b.counters)]
            used = x["ng"] > i
            out.append(z3.Implies(z3.Not(_bool(used)), _bool(and_(*(eq(f, 0) for f in fields)))))
            dead = eq(fields[1], DEAD)
            out.append(z3.Implies(_bool(dead), _bool(and_(*(eq(f, 0) for f in fields[2:])))))
            for f in b.funcs_of[i]:
                actions = [pc for pc, ins in enumerate(prog.functions[f].code)
                           if ins.op in op.ACTIONS]
                at = or_(*(eq(fields[2], pc) for pc in actions))
                out.append(z3.Implies(_bool(and_(used, eq(fields[0], f), not_(dead))),
                                      _bool(at)))
        for q, cap in self.caps.items():
            n = x[f"{q}.n"]
            for j in range(cap):
                empty = eq(x[f"{q}.{j}"], FILL)
                out.append(_bool(or_(and_(n > j, not_(empty)), and_(not_(n > j), empty))))
        return z3.And([_bool(c) for c in out])


def _width(n: int) -> int:
    return max(1, (n - 1).bit_length())


def _code(bits: list[z3.BoolRef], i: int) -> z3.BoolRef:
    return z3.And([bit if i >> j & 1 else z3.Not(bit) for j, bit in enumerate(bits)])


def _bool(c: Cond) -> z3.BoolRef:
    return z3.BoolVal(c) if isinstance(c, bool) else c
