#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the raw results of bench/guest.sh into the results page and its plot:

    bench/report.py RESULTS.tsv OUT.md OUT.png

Every rate is also given as a ratio to the conntrack-only rate of the same
boot (and path), which the machine's speed and load cancel out of. The goals
of the benchmark issue are checked here, each by the one rule of met(); for
a goal that is missed, its section of bench/README.md is quoted. The plot is
drawn by gnuplot with bench/plot.gp, when gnuplot is installed.

Reading order: the statistics (pure functions), the formats, the reading of
the .tsv, then report(), which calls one function per section and per goal.
Standard library only; bench/test_report.py tests it.
"""

import math
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# ---------------------------------------------------------------- statistics


def median(xs):
    """The median of xs, None if there are none."""
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def ratio(a, b):
    """a / b, None if either is unknown or b is 0."""
    return None if a is None or b is None or b == 0 else a / b


def binom_half_cdf(k, n):
    """P(Bin(n, 1/2) <= k)."""
    return sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n


def median_ci(xs):
    """The 95% confidence interval of the median of xs, which assumes nothing
    of their distribution: the k-th lowest and the k-th highest value, for
    the largest k with P(Bin(n, 1/2) <= k - 1) <= 0.025. None for n < 6."""
    s = sorted(xs)
    n, k = len(s), 0
    while k < n and binom_half_cdf(k, n) <= 0.025:
        k += 1
    return (s[k - 1], s[n - k]) if k else None


def sign_p(ratios, f):
    """One-sided sign test: p of so few of the ratios above f, were they
    as likely above as below (ties count half). None with fewer than 3."""
    if len(ratios) < 3:
        return None
    above = sum(1 if x > f else 0.5 if x == f else 0 for x in ratios)
    return binom_half_cdf(math.floor(above), len(ratios))


@lru_cache(maxsize=None)
def mw_count(n, m, u):
    """The orderings of n values of one kind and m of another in which the
    first are above u pairs: the exact null distribution of Mann-Whitney's
    U. The largest value is one of the n (above all m) or one of the m."""
    if u < 0:
        return 0
    if n == 0 or m == 0:
        return int(u == 0)
    return mw_count(n - 1, m, u - m) + mw_count(n, m - 1, u)


def mw_p(a, b, f):
    """One-sided, exact Mann-Whitney test: p of the values a being this far
    below the values b times f, were they alike (ties count half). None with
    fewer than 3 of either."""
    n, m = len(a), len(b)
    if n < 3 or m < 3:
        return None
    u = sum(1 if x > y * f else 0.5 if x == y * f else 0 for x in a for y in b)
    return sum(mw_count(n, m, k) for k in range(math.floor(u) + 1)) / math.comb(n + m, n)


@dataclass(frozen=True)
class Cell:
    """A over B in one cell (or a pool of cells), against a threshold."""
    ratio: float        # median of the rounds' ratios, or ratio of medians
    p: float = None     # one-sided p of A below B times the threshold
    test: str = "sign"  # "sign": rounds side by side; "mw": windows apart
    ci: tuple = None    # 95% confidence interval of the median (pools)


def met(c, t):
    """The verdict rule, the same for every goal and cell: met when the
    confidence interval's lower bound is above the threshold, or the test
    does not reject it (p >= 0.05); with too few rounds for either, when
    the ratio reaches it. (A lower bound above t leaves at most k - 1
    rounds at or below t, and then the sign test cannot reject: in effect
    the test decides.)"""
    if c.ci is not None and c.ci[0] > t:
        return True
    if c.p is not None:
        return c.p >= 0.05
    return c.ratio >= t


def side_by_side(rounds, t):
    """A cell (or pool) measured side by side: its rounds' ratios."""
    return Cell(median(rounds), sign_p(rounds, t), "sign", median_ci(rounds))


def apart(a, b, wa, wb, t):
    """A cell measured apart: medians a, b and their windows wa, wb."""
    q = ratio(a, b)
    return None if q is None else Cell(q, mw_p(wa, wb, t), "mw")


# ------------------------------------------------------------------- formats


def fmt(v):
    if v is None:
        return "–"
    if v >= 10000:
        return "%.1fk" % (v / 1000)
    if v >= 1000:
        return "%.2fk" % (v / 1000)
    if v >= 100:
        return "%.0f" % v
    return "%.3g" % v


def rfmt(r):
    return "–" if r is None else "%.2fx" % r


def gfmt(r, t):
    """A ratio against a goal's threshold t: with a third decimal where two
    would round a miss up to the threshold."""
    if r is not None and r < t and float("%.2f" % r) >= t:
        return "%.3fx" % r
    return rfmt(r)


def secs(v):
    return "–" if v is None else "%.2f s" % v if v < 10 else "%.0f s" % v


def size(n):
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def num(v):
    """A number as awk prints one (the plot's data)."""
    return "" if v is None else str(int(v)) if v == int(v) else "%.6g" % v


def pfmt(p):
    """p to two decimals, or more where two would put it at 0 or on the
    other side of 0.05."""
    for d in (2, 3, 4):
        s = f"{p:.{d}f}"
        if float(s) > 0 and (float(s) < 0.05) == (p < 0.05):
            return s
    return f"{p:.1e}"


def yes(ok):
    return "**met**" if ok else "**not met**"


TESTS = {"sign": "one-sided sign test of the rounds' ratios",
         "mw": "one-sided Mann-Whitney test of the windows"}


def below(cells, t, unit="cells", anypairs=True):
    """'below by more than the noise in K of N cells (TEST, p < 0.05)'."""
    k = sum(1 for c in cells if c.p is not None and c.p < 0.05)
    used = {c.test for c in cells} or {"sign" if anypairs else "mw"}
    test = TESTS[used.pop()] if len(used) == 1 else \
        "one-sided sign test of the rounds' ratios, or Mann-Whitney test of the windows"
    return f"below by more than the noise in {k} of {len(cells)} {unit} ({test}, p < 0.05)"


def note(c, t):
    """For a figure below the threshold t, what its test says of it."""
    if c.ratio >= t or c.p is None:
        return ""
    test = "the sign test" if c.test == "sign" else "the Mann-Whitney test"
    if c.p >= 0.05:
        return f", which {test} does not tell from {t}x (p = {pfmt(c.p)})"
    return f", below {t}x by more than the noise ({test}, p = {pfmt(c.p)})"


def cellfmt(cw, t):
    """'0.95x, at WHERE' for (Cell, WHERE), with note(); '–, at ' for None."""
    c, where = cw
    return "–, at " if c is None else f"{gfmt(c.ratio, t)}, at {where}{note(c, t)}"


def lowest(cells):
    """The (Cell, where) of the lowest ratio, or (None, "")."""
    return min(cells, key=lambda cw: cw[0].ratio, default=(None, ""))


# ------------------------------------------------------------------- reading

PATHS = ("wan", "hairpin")
MATCHES = ("last", "random")
NAME = {"noct": "(a) forwarding, no conntrack", "ct": "(a') conntrack only",
        "ctnat": "conntrack + empty nat chains",
        "ipt-legacy": "(b) iptables-legacy", "ipt-nft": "(b) iptables-nft",
        "nft-map": "(c) nftables dnat map", "nft1": "(c) nftables, one dnat rule",
        "hairpin": "(d) hairpin"}
# Others' forwards (issue #22): its routers, in the order of their slots.
SCOPE_NAME = {"dnat-masq": "masquerade line", "scope-all": "hairpin scope all", "dnat": "the rule alone"}
PATHNAME = {"wan": "WAN path (client outside)",
            "hairpin": "hairpin path (client on the server's LAN)"}


@dataclass
class Meas:
    """One measurement: its median as written, and its windows."""
    text: str
    windows: list
    busy: float  # CPU 1's busy share, %; None in older runs

    @property
    def value(self):
        return float(self.text)


@dataclass
class Results:
    meta: dict = field(default_factory=dict)
    meas: dict = field(default_factory=dict)     # (kind, engine, N, path, match)
    pairs: dict = field(default_factory=dict)    # (kind, A, B, N, path, match): A/B a round
    ct: dict = field(default_factory=dict)       # path: [(rate, when, busy)], conntrack only
    engines: list = field(default_factory=list)  # in the order measured
    sizes: list = field(default_factory=list)    # ascending
    perf: dict = field(default_factory=dict)     # (engine, path): (rate, busy, [(symbol, pct)])
    load: dict = field(default_factory=dict)     # (engine, N): s
    add: dict = field(default_factory=dict)
    delete: dict = field(default_factory=dict)
    mem: dict = field(default_factory=dict)      # (engine, N): bytes, see read()
    ctfail: list = field(default_factory=list)   # (where, count)
    nrates: int = 0
    # Masquerade (issue #21), apart from the rest: nftables' masquerade
    # and masq at N live bindings.
    masq: dict = field(default_factory=dict)     # (engine, N, path): Meas; path out or in
    mfail: list = field(default_factory=list)    # (where, count)
    bindings: dict = field(default_factory=dict)  # (N, when): masq's bindings
    mmem: dict = field(default_factory=dict)     # (engine, N): (bindings, bytes as mem)
    walk: dict = field(default_factory=dict)     # (N, what): (s, bindings, entries)
    msizes: list = field(default_factory=list)   # ascending
    # Others' forwards (issue #22), apart too: one dnat rule, its source
    # NAT by the masquerade line, by hairpin's scope all, or by nothing.
    scope: dict = field(default_factory=dict)    # (engine, path): Meas
    others: dict = field(default_factory=dict)   # path: connections scope all hairpinned
    sfail: list = field(default_factory=list)    # (where, count)
    # Failover (issue 23), apart too: two routers, N live connections.
    fopen: dict = field(default_factory=dict)    # (N, kind): (opened, checked, wanted, s)
    fsync: dict = field(default_factory=dict)    # N: (s opening, s until r2 held them, held, total)
    fkept: dict = field(default_factory=dict)    # (N, when, kind): (kept, of, reset, timeout)
    fbind: dict = field(default_factory=dict)    # (N, when): (bindings, expected, entries)
    ftime: dict = field(default_factory=dict)    # (N, when): FailTime
    fspurious: list = field(default_factory=list)  # (N, when, router): took over before the failure
    fsizes: list = field(default_factory=list)   # ascending

    def value(self, kind, eng, n, path, match):
        m = self.meas.get((kind, eng, n, path, match))
        return None if m is None else m.value

    def windows(self, kind, eng, n, path, match):
        m = self.meas.get((kind, eng, n, path, match))
        return [] if m is None else m.windows

    def busy(self, kind, eng, n, path, match):
        m = self.meas.get((kind, eng, n, path, match))
        return None if m is None else m.busy

    def rounds(self, kind, a, b, n, path, match):
        """A over B in the rounds of their side-by-side measurement, or []."""
        if (kind, a, b, n, path, match) in self.pairs:
            return self.pairs[kind, a, b, n, path, match]
        return [1 / x if x > 0 else 0 for x in self.pairs.get((kind, b, a, n, path, match), [])]

    def compare(self, kind, a, b, n, path, match, t):
        """A over B: side by side if they were, else apart; None if unknown."""
        r = self.rounds(kind, a, b, n, path, match)
        if r:
            return side_by_side(r, t)
        return apart(self.value(kind, a, n, path, match), self.value(kind, b, n, path, match),
                     self.windows(kind, a, n, path, match), self.windows(kind, b, n, path, match), t)

    def ref(self, path):
        """A path's reference: the median of its conntrack-only rates."""
        return median([v for v, _, _ in self.ct.get(path, [])])


@dataclass
class FailTime:
    """One failover's times, seconds: from the failure to the new master's
    notify script (takeover); its `conntrackd -c` (commit) and `hairpinctl
    -f` (rebuild); from the failure to the script's end (done), to the first
    datagram a mapping forwarded (first) and to the first new connection
    (newconn); conntrackd's own figure for the commit, from its log
    (ctcommit). None where not seen."""
    takeover: float
    commit: float
    rebuild: float
    done: float
    first: float
    newconn: float
    ctcommit: float = None

    @property
    def recovered(self):
        """From the failure to the entries committed and the bindings
        rebuilt: from then on every replicated connection passes."""
        return self.takeover + self.commit + self.rebuild


def read(text):
    """The results of bench/guest.sh (and run.sh's meta lines)."""
    res = Results()
    sizes = set()
    for line in text.splitlines():
        f = line.split("\t") + [""] * 12
        kind = f[0]
        if kind == "meta":
            res.meta[f[1]] = f[2]
        elif kind in ("rate", "flow", "iperf"):
            eng, n, path, match = f[1], int(f[2]), f[3], f[4]
            busy = float(f[9]) if f[9] else None
            res.meas[kind, eng, n, path, match] = Meas(f[5], [float(x) for x in f[6].split()], busy)
            if f[8] and float(f[8]) > 0:
                res.ctfail.append((f"{eng} {kind} N={n} {path} {match}", f[8]))
            if kind == "rate":
                res.nrates += 1
                # Conntrack only, alone at the start ("-"; older runs:
                # "@N", "@ENGINE", "@end") and beside the engines (ct@0).
                if eng in ("ct", "ct@0"):
                    when = f"@{n},{match}" if eng == "ct@0" else match
                    res.ct.setdefault(path, []).append((float(f[5]), when, busy))
            # References: noct, ct, ctnat, and ENGINE@1 beside the others.
            if eng in ("noct", "ct", "ctnat") or "@" in eng:
                continue
            if eng not in res.engines:
                res.engines.append(eng)
            sizes.add(n)
        elif kind == "pair":
            res.pairs[f[1], f[2], f[3], int(f[4]), f[5], f[6]] = [float(x) for x in f[8].split()]
        elif kind == "perf":
            k = (f[1], f[3])
            if k not in res.perf:
                res.perf[k] = (float(f[6]), float(f[7]), [])
            res.perf[k][2].append((f[4], float(f[5])))
        elif kind in ("load", "add", "del"):
            {"load": res.load, "add": res.add, "del": res.delete}[kind][f[1], int(f[2])] = float(f[3])
        elif kind == "masq":
            eng, n, path = f[1], int(f[2]), f[3]
            busy = float(f[9]) if f[9] else None
            res.masq[eng, n, path] = Meas(f[5], [float(x) for x in f[6].split()], busy)
            if f[8] and float(f[8]) > 0:
                res.mfail.append((f"{eng} N={n} {path}", f[8]))
        elif kind == "scope":
            busy = float(f[9]) if f[9] else None
            res.scope[f[1], f[3]] = Meas(f[5], [float(x) for x in f[6].split()], busy)
            if f[8] and float(f[8]) > 0:
                res.sfail.append((f"{SCOPE_NAME.get(f[1], f[1])}, {f[3]} path", f[8]))
        elif kind == "failopen":
            res.fopen[int(f[2]), f[3]] = (int(f[4]), int(f[5]), int(f[6]), float(f[7]))
        elif kind == "failsync":
            res.fsync[int(f[2])] = (float(f[3]), float(f[4]), int(f[5]) + int(f[6]), int(f[7]))
        elif kind == "failover":
            res.fkept[int(f[2]), f[3], f[4]] = tuple(int(x) for x in f[5:9])
        elif kind == "failbind":
            res.fbind[int(f[2]), f[3]] = tuple(int(x) for x in f[4:7])
        elif kind == "failtime":
            res.ftime[int(f[2]), f[3]] = FailTime(*(None if x in ("", "-") else float(x) for x in f[4:11]))
        elif kind == "failspurious":
            res.fspurious.append((int(f[2]), f[3], f[4]))
        elif kind == "hairpinned":
            res.others[f[3]] = int(f[4])
        elif kind == "bindings":
            res.bindings[int(f[2]), f[3]] = int(f[4])
        elif kind == "mmem":
            b = [float(x) for x in f[4:9]]
            a = [float(x) for x in f[9:14]]
            res.mmem[f[1], int(f[2])] = (int(f[3]), ((a[1] - b[1]) * 1024, (a[2] - b[2]) * 1024,
                                                     (a[3] - b[3]) * 1024, (b[4] - a[4]) * 1024))
        elif kind == "walk":
            res.walk[int(f[2]), f[3]] = (float(f[4]), int(f[5]), int(f[6]))
        elif kind == "mem":
            # kB before (slab sunreclaim vmalloc percpu free), then after;
            # kept in bytes: unreclaimable slab, vmalloc, percpu, free taken
            b = [float(x) for x in f[3:8]]
            a = [float(x) for x in f[8:13]]
            res.mem[f[1], int(f[2])] = ((a[1] - b[1]) * 1024, (a[2] - b[2]) * 1024,
                                        (a[3] - b[3]) * 1024, (b[4] - a[4]) * 1024)
    res.sizes = sorted(sizes)
    res.msizes = sorted({n for _, n, _ in res.masq} | {n for n, _ in res.walk})
    res.fsizes = sorted({n for n, _ in res.fopen} | {n for n, _, _ in res.fkept})
    return res


# -------------------------------------------------------------------- report


def report(res, why, png):
    """The results page, in Markdown. why: the text of bench/README.md."""
    if not res.sizes:
        # The masquerade part, others' forwards, failover, alone (BENCH_ONLY).
        return header(res) + masq(res, why) + scope(res, why) + failover(res, why)
    rates = rate_table(res, "wan") + rate_table(res, "hairpin")
    return "".join([header(res), method(res), rates, rate_notes("†" in rates),
                    pairs_table(res), established(res), loading(res), memory(res),
                    profile(res), goals(res, why), masq(res, why), scope(res, why),
                    failover(res, why), checks(res, png)])


def header(res):
    m = res.meta
    s = f"# hairpin benchmark: Linux {m.get('kernel', '')}\n\n"
    if m.get("quick") == "1":
        s += "**Smoke test (BENCH_QUICK): short windows and small sizes, not a result.**\n\n"
    s += (f"- Date: {m.get('date', '')}; commit {m.get('commit', '')}; `make bench` took "
          f"{int(float(m.get('seconds') or 0) / 60)} min in the guest.\n"
          f"- Machine: {m.get('host_cpu', '')}, {m.get('host_cores', '')} cores, "
          f"host kernel {m.get('host_kernel', '')}.\n"
          f"- Guest: {m.get('qemu', '')} (qemu TCG, software emulation: no KVM), "
          f"{m.get('cpus', '')} vCPUs, {int(float(m.get('mem_kb') or 0) / 1024)} MiB, "
          f"Linux {m.get('kernel', '')}; {m.get('nft', '')}; {m.get('iptables', '')}.\n")
    others, busy = float(m.get("other_vms") or 0), m.get("other_vms_busy_pct", "")
    if others > 0 or float(busy or 0) > 0:
        s += (f"- **Other VMs ran on this machine for {busy or 'part'}% of the run** "
              f"({int(others)} qemu processes at its start): they take CPU from the guest, "
              "so absolute figures are low and noisy, the ratios less so.\n")
    return s + """
Absolute figures are those of an emulated CPU, tens of times slower than
hardware: compare the ratios, which are to the conntrack-only rate of the
same boot and path (the median of its measurements through the boot).

"""


VERDICTS = """\
- **Verdicts**: a goal is met when, in each of its cells (or pools of
  rounds, where it says so), the 95% confidence interval of the median ratio
  has its lower bound above the threshold, or a one-sided sign test of the
  rounds' ratios does not reject the threshold (p ≥ 0.05): a cell fails only
  where it is below by more than the noise. The interval is the k-th lowest
  to the k-th highest round, for the largest k with P(Bin(n, 1/2) ≤ k - 1)
  ≤ 0.025 (6 rounds at least). Cells not measured side by side take a
  one-sided Mann-Whitney test of their windows instead; a cell with fewer
  than 3 rounds or windows, its median. Goals 6 and 7, single measurements,
  are judged by their value.
"""


def method(res):
    m = res.meta
    fwin = m.get("flow_window") or m.get("window", "")
    fnwin = m.get("flow_windows") or m.get("windows", "")
    warm, nwin, win = m.get("warmup", ""), m.get("windows", ""), m.get("window", "")
    s = r"""## Method

One boot of the test VM (tools/vm/run.sh), size by size: every engine at
one N, then every engine at the next N in the opposite order, so that the
machine's drift through the boot falls on all engines alike. Each engine
gets fresh network namespaces at each N, so that nothing an earlier one
registered stays in its path:

    wan 203.0.113.254 --- wan0 203.0.113.1, .2  router  br-lan 198.18.0.1/16 --- srv 198.18.0.10, .11
                                                                            \--- lan 198.18.16.1 ...

"""
    if res.pairs:
        s += """\
The nft map and hairpin, which the goals compare, are measured **side by
side**: each has a router of its own (and a sink), both built and loaded
before either is measured, and the generators (`wan`, `lan`) have a veth
to each. Their windows alternate, one engine's then the other's, in
the reverse order every other round (A B, B A, A B...); the goals compare
them by the ratios of the windows of one round, which the machine's
drift over minutes cannot reach. """
        s += """\
The single nftables rule (`udp dport P
dnat to SERVER`, and on the hairpin path the map's masquerade line: the
cheapest engine that translates, goal 3's reference) takes its turn too,
in a router of its own, its flows all to its one port; so do conntrack
only (context: no engine that translates can reach it), at N=1 the empty
nat chains, and above N=1 hairpin with one mapping (goal 2's reference).

""" if "nft1" in res.engines else """\
Conntrack only takes its turn too, in
a router of its own (goal 3's reference), and so do, at N=1, the empty
nat chains, and above N=1, hairpin with one mapping (goal 2's).

"""
    s += f"""\
- **New-flow rate**: pktgen (start_xmit mode, `clone_skb 0`, burst 1) on the
  veth of `wan` (WAN path) or of `lan` (hairpin path: client, server and router
  on one LAN), UDP, sequential source addresses (4093 of them) and ports
  (1024-65534), so every packet is a new flow. On the hairpin path the ports
  are random, as real clients' are: pktgen counts on through the packets the
  router's full backlog refuses, so sequential ports wrap within a window, the
  masquerade's kept ports then come in runs, and its search for a free port
  walks them (7 taken ports tried a flow). pktgen and the sink run on
  CPU 0, the router on CPU 1 (RPS): the rate is what one CPU forwards, with
  pktgen always ahead (the excess overflows CPU 1's backlog; the sink is on
  the other CPU so that forwarded packets never compete with the flood for a
  slot in that backlog). Each window also reads CPU 1's busy share from
  `/proc/stat`: whether the router set the rate (a † where it did not).
  The sink `srv` counts
  and drops in a netdev ingress `counter`; rate = packets arriving between two
  reads of its count in the steady state / the time between them. The
  destination is the last mapping added, or uniformly random over all mappings.
  Windows: {warm} s warm-up (discarded), then {nwin} windows of {win} s, each from a
  flushed conntrack table; the median is reported. On the hairpin path pktgen
  stops after 60000 packets the router took (one masquerade address has 64511
  source ports per destination), and a window ends early once 85% of them are
  sent. Between windows the router drains its backlog, for at most 1 s (not
  at all below 2000 flows/s, where that would take longer). An engine below
  2000 flows/s at one N gets only the last-added WAN cell at larger N.
- **Mappings**: N UDP mappings, 50000 ports per public address (100k uses two),
  `203.0.113.A:P -> 198.18.0.(9+A):P`. (b): one `-d ADDR -p udp --dport P -j DNAT`
  rule a mapping in PREROUTING plus `-s LAN -d LAN -o br-lan -m conntrack
  --ctstate DNAT -j MASQUERADE`; (c): `dnat ip to ip daddr . udp dport map @portmap`
  plus `oifname br-lan ip saddr LAN ct status dnat masquerade`; (d): `hairpinctl
  map add udp 203.0.113.A:P to 198.18.0.(9+A):P`, default settings.
- **References**: (a) no netfilter at all; (a') conntrack only (turned on by a
  `ct state` expression in a chain no packet enters); conntrack with empty nat
  chains (the NAT core's null bindings in both directions: the destination's
  costs a tuple lookup that a DNAT to one port skips, so this is not a floor
  for a DNAT engine). Their traffic goes to the server's address.
  Conntrack only is measured alone at the start and again beside the
  engines at each size; the tables' ratios are to the median of all its
  measurements on that path.
- **Established**: one flow (fixed addresses and ports), {fnwin} rounds of {fwin} s
  windows (it is the same code in both engines: many short rounds), with
  the sink on CPU 1 after the router (the veth's NAPI ring): with the sink
  on CPU 0, pktgen could not keep the router busy with established packets,
  and the rate was the generator's. CPU 1's time per packet is then the
  router's and the sink's drop, the same for every engine. iperf3
"""
    if m.get("iperf_rounds"):
        s += f"""\
  TCP through the last mapping, through both engines at once: {m['iperf_rounds']} runs of
  {m.get('iperf_time', '')} s, each engine's flow (client, router, server) alone on a CPU, the
  CPUs swapped every run (no RPS then); the median of the runs. For the
"""
    else:
        s += """\
  TCP through the last mapping, four runs of 3 s an engine (A B, B A...),
  median of their one-second intervals. For the
"""
    return s + """\
  nft map and hairpin, which the goal compares: no rule engine sees an
  established packet (the NAT core asks one only for a new connection).
  The goal pools the rounds of both tools and sizes: for the same code one
  cell alone reads a few percent off 1.0 from the host's noise.
- **Load**: wall time of `iptables-restore`, `nft -f`, `hairpinctl -f` into an
  empty table; add and delete one mapping at size N (median of 3, one command each).
- **Memory**: `/proc/meminfo` deltas across the load: unreclaimable slab,
  vmalloc and percpu (the nat table blob of iptables is vmalloc'ed), and
  MemFree, a second of rest after the command.
- conntrack: `nf_conntrack_max` 1048576 and 262144 buckets, set from the initial
  namespace; `send_redirects=0`, `rp_filter=0` on the router.
""" + VERDICTS + "\n"


def mark(busy):
    """'†' when CPU 1 (the router) was less than 90% busy in a measurement's
    windows (median): the generator, not the router, set the rate."""
    return "†" if busy is not None and busy < 90 else ""


def when(w):
    if w == "-":
        return "at the start"
    if w == "@end":
        return "at the end"
    if re.fullmatch(r"@[0-9]+", w):
        return "after N=" + size(int(w[1:]))
    if re.match(r"@[0-9]+,", w):
        n, match = w[1:].split(",", 1)
        return "beside N=" + size(int(n)) + (" random" if match == "random" else "")
    return "before " + NAME.get(w[1:], w[1:])


def ctnat_key(res, path):
    """The empty nat chains on PATH: beside the engines at the smallest N,
    or (older runs) alone at the start."""
    k = ("rate", "ctnat@0", res.sizes[0], path, "last")
    return k if k in res.meas else ("rate", "ctnat", 0, path, "-")


def nheader(res, lead, sep):
    """The head of a table with a column for each N."""
    return (lead + "".join(f" N={size(n)} |" for n in res.sizes) + "\n"
            + sep + "---:|" * len(res.sizes) + "\n")


def rate_table(res, path):
    ref, cts = res.ref(path), res.ct.get(path, [])
    s = f"## New UDP flows per second, {PATHNAME[path]}\n\n"
    s += f"Reference rates: {NAME['ct']} **{fmt(ref)}** (1.00x: the median of {len(cts)} measurements:"
    for i, (v, w, b) in enumerate(cts):
        sep = "" if i == 0 else " and" if i == len(cts) - 1 else ","
        s += f"{sep} {when(w)} {fmt(v)}{mark(b)}"
    s += ")"
    for key, label in ((("rate", "noct", 0, path, "-"), NAME["noct"]),
                       (ctnat_key(res, path), NAME["ctnat"])):
        if key in res.meas:
            v = res.meas[key].value
            s += f"; {label} **{fmt(v)}** ({rfmt(ratio(v, ref))}){mark(res.meas[key].busy)}"
    s += ".\n\n" + nheader(res, "| engine | match |", "|---|---|")
    for e in res.engines:
        for match in MATCHES:
            s += f"| {NAME.get(e, e)} | {'last added' if match == 'last' else 'random'} |"
            for n in res.sizes:
                mt = "last" if n == 1 and ("rate", e, n, path, match) not in res.meas else match
                v = res.value("rate", e, n, path, mt)
                dag = "" if v is None or mt != match else mark(res.busy("rate", e, n, path, mt))
                s += f" {fmt(v)} ({rfmt(ratio(v, ref))}){dag} |"
            s += "\n"
    return s + "\n"


def rate_notes(bound):
    s = ("Each cell: median flows/s (ratio to conntrack only). N=1 has one mapping, so\n"
         "its \"random\" is its \"last added\".\n")
    if bound:
        s += """
†: CPU 1, the router's, was busy less than 90% of that measurement's
windows (median): pktgen's side, not the router, set the rate, which is
then a lower bound of what the router forwards. Every measurement without
a † kept CPU 1 at least 90% busy.
"""
    return s + "\n"


PAIR_NAME = {"hairpin": "hairpin", "nft-map": "nft map", "nft1": "one nft dnat rule",
             "hairpin@1": "hairpin with one mapping", "ct@0": "conntrack only",
             "ctnat@0": "empty nat chains"}


def cell_rounds(res, a, b, n, path, match):
    """A over B's rounds at N on PATH: the MATCH cell, or at N=1 its only one."""
    r = res.rounds("rate", a, b, n, path, match)
    if not r and n == res.sizes[0] and match == "random":
        r = res.rounds("rate", a, b, n, path, "last")
    return r


def rangefmt(r):
    """' 1.08x (0.95-1.20) |': the rounds' median and range."""
    return f" {rfmt(median(r))} ({min(r):.2f}-{max(r):.2f}) |"


def pairs_table(res):
    if not res.pairs:
        return ""
    m = res.meta
    s = """## Side by side: hairpin, the nft map and conntrack only

The ratios of their windows of the same round (median, and the lowest and
highest of the rounds): in each round the engines were measured one right
after the other, so that the machine's drift, which moves whole cells of
the tables above by 20%, cancels out.

""" + nheader(res, "| ratio | path | match |", "|---|---|---|")
    for a, b in (("hairpin", "nft-map"), ("hairpin", "nft1"), ("hairpin", "hairpin@1"),
                 ("hairpin", "ct@0"), ("nft-map", "ct@0"), ("hairpin", "ctnat@0")):
        for path in PATHS:
            for match in MATCHES:
                # Rows with no rounds (older runs) are left out; the empty
                # nat chains are beside the engines at N=1 only.
                cells = [cell_rounds(res, a, b, n, path, match) for n in res.sizes]
                if not any(cells) or (b == "ctnat@0" and match == "random"):
                    continue
                mcol = "" if b == "ctnat@0" else "last added" if match == "last" else "random"
                s += f"| {PAIR_NAME[a]} / {PAIR_NAME[b]} | {'WAN' if path == 'wan' else 'hairpin'} | {mcol} |"
                for n, r in zip(res.sizes, cells):
                    itself = b == "hairpin@1" and n == res.sizes[0]
                    s += rangefmt(r) if r else " 1.00x (itself) |" if itself else " – |"
                s += "\n"
    for kind, match, label in (("flow", "one", "one flow"), ("iperf", "one", "iperf3"),
                               ("iperf", "offload", "iperf3, offloaded")):
        if match == "offload" and not offloaded(res):
            continue
        s += f"| hairpin / nft map | {label} | |"
        for n in res.sizes:
            r = res.rounds(kind, "hairpin", "nft-map", n, "wan", match)
            s += " |" if not r else rangefmt(r) if len(r) > 1 else f" {rfmt(r[0])} |"
        s += "\n"
    fwin = m.get("flow_window") or m.get("window", "")
    fnwin = m.get("flow_windows") or m.get("windows", "")
    s += f"""
hairpin with one mapping: a router beside the others, its flows all to
its one mapping; conntrack only and the empty nat chains: routers beside
the others, their flows to the server's address. One flow: {fnwin} rounds of
"""
    if m.get("iperf_rounds"):
        s += (f"{fwin} s windows. iperf3: the ratios of the runs through both engines at\n"
              f"once, {m.get('iperf_time', '')} s each.\n")
    else:
        s += (f"{fwin} s windows. iperf3: through each engine in turn, the ratios of the medians\n"
              "of their one-second intervals in each round.\n")
    return s + "\n"


def established(res):
    nmin, nmax = res.sizes[0], res.sizes[-1]
    ct = ("wan", "one")

    def cpu(b):
        return "" if b is None else f"; CPU 1 {int(b)}%"
    ctflow = res.value("flow", "ct", 0, *ct)
    off = offloaded(res)
    s = ("## Established traffic\n\n"
         f"| engine | one flow, packets/s, N={size(nmin)} | N={size(nmax)} | "
         f"iperf3 TCP, Mbit/s, N={size(nmin)} | N={size(nmax)} |"
         + (f" iperf3 TCP offloaded, Mbit/s, N={size(nmin)} | N={size(nmax)} |" if off else "")
         + "\n|---|---:|---:|---:|---:|" + ("---:|---:|" if off else "") + "\n"
         f"| {NAME['ct']} | {fmt(ctflow)} (1.00x{cpu(res.busy('flow', 'ct', 0, *ct))}) | | "
         f"{fmt(res.value('iperf', 'ct', 0, *ct))} | |" + (" | |" if off else "") + "\n")
    noct = res.value("flow", "noct", 0, *ct)
    if noct is not None:
        s += f"| {NAME['noct']} | {fmt(noct)} ({rfmt(ratio(noct, ctflow))}) | | | |" + (" | |" if off else "") + "\n"
    for e in res.engines:
        if res.value("flow", e, nmin, *ct) is None and res.value("flow", e, nmax, *ct) is None:
            continue
        s += f"| {NAME.get(e, e)} |"
        for n in (nmin, nmax):
            v = res.value("flow", e, n, *ct)
            s += f" {fmt(v)} ({rfmt(ratio(v, ctflow))}{cpu(res.busy('flow', e, n, *ct))}) |"
        for match in ("one", "offload") if off else ("one",):
            for n in (nmin, nmax):
                s += f" {fmt(res.value('iperf', e, n, 'wan', match))} |"
        s += "\n"
    s += "\n"
    if res.busy("flow", "ct", 0, *ct) is not None:
        s += ("CPU 1: the router's CPU, its busy share in the windows (median). Below\n"
              "90% the router kept up with what came, and the rate is the generator's.\n")
        s += ("Each iperf3 flow has a CPU to itself, so its runs have no such figure.\n"
              if res.meta.get("iperf_rounds") else
              "iperf3's own processes run on either CPU, so its runs have no such figure.\n")
        s += "\n"
    if off:
        s += OFFLOAD + "\n"
    return s


OFFLOAD = """\
Offloaded: the same iperf3 runs with a flowtable on each router's devices
(`flowtable ft { hook ingress priority 0; devices = { wan0, br-lan } }`) and
`meta l4proto tcp counter flow add @ft` in its forward chain: once established, a
connection's packets go from the ingress hook to the output device,
translated by the flowtable from the conntrack entry, past every other
hook and so past either engine.
"""


def offloaded(res):
    """Whether the run measured iperf3 through flowtables (match "offload")."""
    return any(k[0] == "iperf" and k[4] == "offload" for k in res.meas)


def loading(res):
    ns = res.sizes
    s = ("## Loading and updating\n\n| engine |" + "".join(f" load N={size(n)} |" for n in ns)
         + "".join(f" add / del at N={size(n)} |" for n in ns) + "\n|---|" + "---:|" * (2 * len(ns)) + "\n")
    for e in res.engines:
        s += (f"| {NAME.get(e, e)} |" + "".join(f" {secs(res.load.get((e, n)))} |" for n in ns)
              + "".join(f" {secs(res.add.get((e, n)))} / {secs(res.delete.get((e, n)))} |"
                        for n in ns) + "\n")
    return s + "\nWall time of one command, process start included (about 0.1 s in this VM).\n\n"


def per_mapping(res, e, n):
    """Kernel memory per mapping, bytes: slab, vmalloc and percpu; None if
    not measured (only from N=10k on)."""
    if n < 10000 or (e, n) not in res.mem:
        return None
    return sum(res.mem[e, n][:3]) / n


def memory(res):
    s = ("## Kernel memory per mapping\n\n"
         "| engine | N | unreclaimable slab | vmalloc | percpu | sum | free memory taken | per mapping |\n"
         "|---|---:|---:|---:|---:|---:|---:|---:|\n")
    mib = 1048576
    for e in res.engines:
        for n in res.sizes:
            pm = per_mapping(res, e, n)
            if pm is None:
                continue
            sunr, vm, pcpu, free = res.mem[e, n]
            s += (f"| {NAME.get(e, e)} | {size(n)} | {sunr / mib:.2f} MiB | {vm / mib:.2f} MiB | "
                  f"{pcpu / mib:.2f} MiB | {(sunr + vm + pcpu) / mib:.2f} MiB | {free / mib:.2f} MiB | "
                  f"**{pm:.0f} B** |\n")
    return s + """
Per mapping: the sum. A large kmalloc, such as a big hash table's buckets,
comes from the page allocator but is counted as unreclaimable slab. The free
memory taken also moves with the page cache and the per-CPU page lists: it is
shown, not counted.

"""


def symbol_group(sym):
    if "nf_nat" in sym or sym == "nf_conntrack_tuple_taken":
        return "nat"
    if re.match(r"(__)?(nf_conntrack_|nf_ct_|init_conntrack|hash_conntrack)", sym):
        return "ct"
    if sym.startswith(("hairpin_", "nft_")):
        return "eng"
    return "rest"


def flow_costs(rate, busy, symbols):
    """CPU time per flow, µs, by group and by symbol: a symbol's share of
    the busy samples times the time per flow. What fell under perf's cut-off
    is the rest of the stack too."""
    per = 1e6 / rate
    us = {"rate": rate, "total": per, "ct": 0, "nat": 0, "eng": 0}
    by_sym = {}
    for sym, pct in symbols:
        t = pct / busy * per
        g = symbol_group(sym)
        if g != "rest":
            us[g] += t
        by_sym[sym] = by_sym.get(sym, 0) + t
    us["rest"] = per - us["ct"] - us["nat"] - us["eng"]
    return us, by_sym


PERF_ENGINES = ("ct", "nft-map", "hairpin")
PERF_ROWS = (("rate", "new flows/s while profiled"), ("total", "**CPU time per flow, µs**"),
             ("ct", "conntrack"), ("nat", "NAT core"), ("eng", "the engine"),
             ("rest", "the rest of the stack"))


def profile(res):
    if not res.perf:
        return ""
    s = """## Where the router's time goes (perf)

perf on CPU 1 (the router's), software clock at 997 Hz, over two windows
of 2 s to the last mapping at the smallest N. Time per flow = a symbol's
share of the CPU's busy samples / the rate while profiled (CPU 1 is at
least 90% busy in the windows of these measurements: the router sets their
rate), in the emulated CPU's microseconds. The NAT core is every
`*nf_nat*` symbol and `nf_conntrack_tuple_taken` (its check that a
translated tuple is free); conntrack the other `nf_conntrack_*`, `nf_ct_*`,
`init_conntrack` and `hash_conntrack_raw`; the engine `hairpin_*` or `nft_*`.

"""
    for path in PATHS:
        costs = {}
        for e in PERF_ENGINES:
            p = res.perf.get((e, path))
            if p and p[0] and p[1]:
                costs[e] = flow_costs(*p)
        s += (f"| {'WAN path' if path == 'wan' else 'hairpin path'} | {NAME['ct']} | "
              f"{NAME['nft-map']} | {NAME['hairpin']} |\n|---|---:|---:|---:|\n")
        for row, label in PERF_ROWS:
            s += f"| {label} |"
            for e in PERF_ENGINES:
                if e not in costs:
                    s += " – |"
                    continue
                us = costs[e][0]
                s += (f" {fmt(us[row])} |" if row == "rate" else f" {us[row]:.2f} |" if row == "total"
                      else f" {us[row]:.2f} ({100 * us[row] / us['total']:.0f}%) |")
            s += "\n"
        s += "\n"
        if "hairpin" in costs and "ct" in costs:
            hp, ct = costs["hairpin"][1], costs["ct"][1]
            diff = [(hp.get(y, 0) - ct.get(y, 0), y) for y in set(hp) | set(ct)]
            top = sorted((d for d in diff if d[0] > 0.05), key=lambda d: (-d[0], d[1]))[:8]
            s += ("hairpin's largest costs over conntrack only here, µs per flow:"
                  + ",".join(f" `{y}` +{d:.2f}" for d, y in top) + ".\n\n")
    return s


# --------------------------------------------------------------------- goals


def explain(why, goal):
    """The section '### Goal GOAL: ...' of bench/README.md, quoted under a
    goal it missed: up to the next heading."""
    text = re.search(rf"^### Goal {re.escape(goal)}:.*?\n(.*?)(?=^#|\Z)", why, re.M | re.S)
    text = text.group(1).strip("\n") if text else ""
    return f"\n{text}\n\n" if text else ""


def goals(res, why):
    return "".join(["## Goals\n\n", goal1(res, why), goal2(res, why), goal3(res, why),
                    goal4(res, why), goal5(res, why), goal6(res, why), goal7(res, why), "\n"])


def cells_of(res, kind, a, b, ns, t):
    """[(Cell, where)]: A over B at each N, path and match measured."""
    return [(c, f"N={size(n)}, {path} path, {match}") for n in ns for path in PATHS for match in MATCHES
            if (c := res.compare(kind, a, b, n, path, match, t)) is not None]


def goal1(res, why):
    """New-flow rate >= 1.0x the nft map, in every cell."""
    cells = cells_of(res, "rate", "hairpin", "nft-map", res.sizes, 1.0)
    ok = bool(cells) and all(met(c, 1.0) for c, _ in cells)
    above = sum(1 for c, _ in cells if c.ratio >= 1.0)
    gmean = rfmt(math.exp(sum(math.log(c.ratio) for c, _ in cells) / len(cells))) if cells else "–"
    s = (f"1. New-flow rate ≥ 1.0x the nft map at every N: {yes(ok)} "
         f"(lowest {cellfmt(lowest(cells), 1.0)}; "
         f"{above} of {len(cells)} cells at or above, geometric mean {gmean}; "
         f"{below([c for c, _ in cells], 1.0, anypairs=bool(res.pairs))}).\n")
    return s + ("" if ok else explain(why, "1"))


def goal2(res, why):
    """>= 0.9x its own rate at N=1. Side by side with hairpin holding one
    mapping (hairpin@1), the question at each N and match is one: the
    lookup costs the same on either path. Both paths' rounds are pooled,
    so that one path's few rounds of noise do not decide it alone. Without
    side-by-side rounds (older runs), each cell against the cell of N=1."""
    t, g, nmin, nmax = 0.9, "hairpin", res.sizes[0], res.sizes[-1]
    cells, pools, apart_ = [], [], []  # (Cell, where) each
    for n in res.sizes[1:]:
        for match in MATCHES:
            pool = []
            for path in PATHS:
                where = f"N={size(n)}, {path} path, {match}"
                r = res.rounds("rate", g, g + "@1", n, path, match)
                if r:
                    cells.append((side_by_side(r, t), where))
                    pool += r
                    continue
                a, b = (g, n, path, match), (g, nmin, path, "last")
                c = apart(res.value("rate", *a), res.value("rate", *b),
                          res.windows("rate", *a), res.windows("rate", *b), t)
                if c is not None:
                    cells.append((c, where))
                    apart_.append((c, where))
            if pool:
                pools.append((side_by_side(pool, t), f"N={size(n)}, {match}"))
    judged = pools + apart_
    ok = bool(judged) and all(met(c, t) for c, _ in judged)
    sig = below([c for c, _ in cells], t, anypairs=bool(res.pairs))
    s = f"2. ≥ 0.9x its own rate at N={size(nmin)}, up to N={size(nmax)}: {yes(ok)} ("
    if pools:
        failed = sum(1 for c, _ in pools if not met(c, t))
        s += (f"lowest of each N and match, both paths' rounds pooled: {cellfmt(lowest(pools), t)}"
              + (f" ({failed} of {len(pools)} such pools below by more than the noise)" if failed else "")
              + f"; lowest single cell {rfmt(lowest(cells)[0].ratio)}, at {lowest(cells)[1]}; {sig}).\n")
    else:
        s += f"lowest {cellfmt(lowest(cells), t)}; {sig}).\n"
    return s + ("" if ok else explain(why, "2"))


def goal3(res, why):
    """>= 0.95x a single nftables rule, `udp dport P dnat to SERVER` (the
    engine nft1), at every N on both paths, each pooling its matches'
    rounds. Where the run did not measure that rule: the older goal against
    conntrack only, as context."""
    head = "3. ≥ 0.95x a single nftables rule (`udp dport P dnat to SERVER`) at every N, on both paths: "
    if "nft1" in res.engines:
        return head + goal3_nft1(res, why)
    return head + "**reference not measured in this run**; as context, " + goal3_conntrack(res, why)


def goal3_nft1(res, why):
    """Cell by cell, as goal 1: at 100k mappings the random match's lookups
    miss the cache where the single rule has no lookup at all, and pooling
    it with the last-added match would hide that."""
    t = 0.95
    cells = cells_of(res, "rate", "hairpin", "nft1", res.sizes, t)
    ok = bool(cells) and all(met(c, t) for c, _ in cells)
    s = (f"{yes(ok)} (lowest {cellfmt(lowest(cells), t)}; "
         f"{below([c for c, _ in cells], t, 'cells', bool(res.pairs))}).\n")
    return s + ("" if ok else explain(why, "3"))


def goal3_conntrack(res, why):
    """>= 0.85x conntrack only: side by side with it (ct@0), else against
    the median of its measurements through the boot; and the empty nat
    chains at the smallest N."""
    t, g, nmin, cells, side = 0.85, "hairpin", res.sizes[0], [], []
    for n in res.sizes:
        for path in PATHS:
            for match in MATCHES:
                r = res.rounds("rate", g, "ct@0", n, path, match)
                if r:
                    c = side_by_side(r, t)
                    side.append(c)
                else:
                    c = apart(res.value("rate", g, n, path, match), res.ref(path), [], [], t)
                if c is not None:
                    cells.append((c, f"N={size(n)}, {path} path, {match}"))
    c, where = lowest(cells)
    s = f"the older goal of ≥ 0.85x conntrack only (lowest {gfmt(c and c.ratio, t)}, at {where}"
    if side:
        s += "; " + below(side, t)
    for i, path in enumerate(PATHS):
        nat = cell_rounds(res, g, "ctnat@0", nmin, path, "last")
        q = median(nat) if nat else ratio(res.value("rate", g, nmin, path, "last"),
                                          res.value(*ctnat_key(res, path)))
        s += ("; hairpin against the empty nat chains:" if i == 0 else ",") + \
            f" {rfmt(q)} on the {'WAN' if path == 'wan' else 'hairpin'} path"
    s += (f", side by side at N={size(nmin)}" if nat else "") + ").\n"
    missed = not cells or not all(met(c, t) for c, _ in cells)
    return s + (explain(why, "3 of older runs") if missed else "")


def goal4(res, why):
    """>= 10x iptables-legacy at N=10k, in every path and match."""
    cells = [(c, f"{path} path, {match}") for path in PATHS for match in MATCHES
             if (c := res.compare("rate", "hairpin", "ipt-legacy", 10000, path, match, 10)) is not None]
    ok = bool(cells) and all(met(c, 10) for c, _ in cells)
    s = f"4. ≥ 10x iptables-legacy at N=10k: {yes(ok)} (lowest {cellfmt(lowest(cells), 10)}).\n"
    return s + ("" if ok else explain(why, "4"))


def goal5(res, why):
    """Established throughput >= 0.98x the nft map. Its cells are the same
    code in both engines, and each reads a few percent off 1.0 from the
    host's noise alone: the goal is judged on all their rounds pooled."""
    t, g, nmin, nmax = 0.98, "hairpin", res.sizes[0], res.sizes[-1]
    cells, pool, busy = [], [], []
    for n in (nmin, nmax):
        for kind in ("flow", "iperf"):
            c = res.compare(kind, g, "nft-map", n, "wan", "one", t)
            if c is not None:
                cells.append((c, f"{'one flow' if kind == 'flow' else 'iperf3'}, N={size(n)}"))
                pool += res.rounds(kind, g, "nft-map", n, "wan", "one")
        busy += [b for e in (g, "nft-map") if (b := res.busy("flow", e, n, "wan", "one")) is not None]
    sig = below([c for c, _ in cells], t, anypairs=bool(res.pairs))
    s = "5. Established throughput ≥ 0.98x the nft map: "
    if pool:
        p = side_by_side(pool, t)
        ok = met(p, t)
        s += (f"{yes(ok)} (all {len(pool)} rounds of its {len(cells)} cells pooled: "
              f"{gfmt(p.ratio, t)}{note(p, t)}")
        if p.ci:
            s += f", 95% confidence interval of that median {p.ci[0]:.2f}-{p.ci[1]:.2f}x"
        c, where = lowest(cells)
        s += f"; lowest cell {rfmt(c.ratio)}, {where}; {sig}"
    else:
        # Older runs, with no rounds: every cell.
        ok = bool(cells) and all(met(c, t) for c, _ in cells)
        c, where = lowest(cells)
        s += f"{yes(ok)} (lowest {gfmt(c and c.ratio, t)}, {where}{note(c, t) if c else ''}; {sig}"
    if busy:
        s += (f"; CPU 1 was {int(min(busy))}-{int(max(busy))}% busy in the one-flow windows"
              + (": the generator, not the router, set their rates" if max(busy) < 90 else ""))
    return s + ").\n" + ("" if ok else explain(why, "5")) + goal5_offload(res, why)


def goal5_offload(res, why):
    """The same with software flow offload, where measured: every round of
    both sizes pooled, as above."""
    t, pool = 0.98, []
    for n in (res.sizes[0], res.sizes[-1]):
        pool += res.rounds("iperf", "hairpin", "nft-map", n, "wan", "offload")
    if not pool:
        return ""
    p = side_by_side(pool, t)
    s = (f"   - With software flow offload (a flowtable on the router's devices): {yes(met(p, t))} "
         f"(all {len(pool)} iperf3 rounds of both sizes pooled: {gfmt(p.ratio, t)}{note(p, t)}")
    if p.ci:
        s += f", 95% confidence interval of that median {p.ci[0]:.2f}-{p.ci[1]:.2f}x"
    return s + ").\n" + ("" if met(p, t) else explain(why, "5 with offload"))


def goal6(res, why):
    """Loading the most mappings faster than `nft -f` loads as many."""
    n = res.sizes[-1]
    a, b = res.load.get(("hairpin", n)), res.load.get(("nft-map", n))
    ok = a is not None and b is not None and a < b
    s = (f"6. Loading N={size(n)} faster than `nft -f` loads as many map entries: "
         f"{yes(ok)} ({secs(a)} against {secs(b)}).\n")
    return s + ("" if ok else explain(why, "6"))


def goal7(res, why):
    """<= 100 B of kernel memory per mapping, at the largest N."""
    n = res.sizes[-1]
    v, nft = per_mapping(res, "hairpin", n), per_mapping(res, "nft-map", n)
    ok = v is not None and v <= 100
    s = (f"7. ≤ 100 B of kernel memory per mapping: {yes(ok)} ({'–' if v is None else f'{v:.0f}'} B "
         f"at N={size(n)}; the nft map: {'–' if nft is None else f'{nft:.0f}'} B).\n")
    return s + ("" if ok else explain(why, "7"))


# ---------------------------------------------------------------- masquerade


def masq_rate(res, eng, n, path):
    m = res.masq.get((eng, n, path))
    return None if m is None else m.value


def masq_outbound(res, n):
    """masq over nftables' masquerade, outbound, at N: side by side."""
    r = res.rounds("masq", "masq", "nft-masq", n, "out", "bound")
    return side_by_side(r, 0.95) if r else None


def per_binding(res, n):
    """masq's kernel memory per binding at N, bytes (slab, vmalloc, percpu
    across its fill, as per_mapping()); None if not measured."""
    m = res.mmem.get(("masq", n))
    return None if m is None or m[0] <= 0 else sum(m[1][:3]) / m[0]


def masq(res, why):
    """The masquerade section, with its goals: only where it was measured."""
    if not res.msizes:
        return ""
    ns = res.msizes
    s = """## Masquerade: masq against nftables' masquerade (issue #21)

nftables' masquerade (`oifname { "wan0", "wan1" } masquerade`) and hairpin's
masq (`masq add dev wan0`, `masq add dev wan1`, filter independent) side by
side, in two routers, window for window as above. One external address has
64511 UDP ports to bind, so each router has a second WAN device (a dummy,
192.0.2.1). **At N live bindings** means: N LAN endpoints (half behind each
WAN device) first sent one flow each, then conntrack was flushed, as it is
before every window. masq keeps their N bindings (UDP timeout set to a day,
bindings limit above what the run makes); nftables' masquerade keeps
nothing, so for it N names only the traffic it was given.

- **Outbound**: new UDP connections from a random bound endpoint of the
  first half to a random WAN endpoint, counted as they arrive in `wan`:
  every one finds its binding, none makes one.
- **Inbound**: new UDP connections from WAN endpoints to a random bound
  port of 203.0.113.1, through masq's independent bindings, to the sink;
  nftables' reference is the static equivalent, one `dnat` rule for the
  bound port range.

""" + "| new connections/s |" + "".join(f" N={size(n)} |" for n in ns) + "\n|---|" + "---:|" * len(ns) + "\n"
    for path, label in (("out", "outbound"), ("in", "inbound")):
        for eng, name in (("nft-masq", "nftables masquerade" if path == "out" else "nftables dnat rule"),
                          ("masq", "masq")):
            s += f"| {label}, {name} |"
            for n in ns:
                m = res.masq.get((eng, n, path))
                s += f" {fmt(m and m.value)}{mark(m and m.busy)} |"
            s += "\n"
        s += f"| {label}, masq / nftables |"
        for n in ns:
            r = res.rounds("masq", "masq", "nft-masq", n, path, "bound")
            s += rangefmt(r) if r else " – |"
        s += "\n"
    s += ("\nRates: the median window, flows/s (†: CPU 1, the router's, less than 90% busy). "
          "Ratios: the median of the rounds' ratios (lowest-highest).\n\n")
    s += "| masq's bindings | " + " | ".join(f"N={size(n)}" for n in ns) + " |\n|---|" + "---:|" * len(ns) + "\n"
    for when_, label in (("fill", "after the fill"), ("end", "after the windows")):
        s += f"| {label} |" + "".join(f" {res.bindings.get((n, when_), '–')} |" for n in ns) + "\n"
    mem = [(e, n) for n in ns for e in ("nft-masq", "masq") if (e, n) in res.mmem]
    if mem:
        mib = 1048576
        s += ("\n| kernel memory across the fill | N | bindings | unreclaimable slab | vmalloc | percpu "
              "| free memory taken | per binding |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
        for e, n in mem:
            b, (sunr, vm, pcpu, free) = res.mmem[e, n]
            pb = per_binding(res, n) if e == "masq" else None
            s += (f"| {'nftables masquerade' if e == 'nft-masq' else 'masq'} | {size(n)} | {b} | "
                  f"{sunr / mib:.2f} MiB | {vm / mib:.2f} MiB | {pcpu / mib:.2f} MiB | {free / mib:.2f} MiB | "
                  f"{'–' if pb is None else f'**{pb:.0f} B**'} |\n")
        s += """
nftables' router is filled first: its delta is conntrack's residue once
flushed (slab it keeps), which masq's fill then reuses, so masq's delta is
its bindings'. Per binding: slab, vmalloc and percpu over the bindings
counted after the fill.
"""
    walks = [n for n in ns if (n, "rebuild") in res.walk]
    if walks:
        s += ("\n| the conntrack walk | N | entries | bindings after | wall time |\n"
              "|---|---:|---:|---:|---:|\n")
        for n in walks:
            for what, label in (("none", "`hairpinctl show` (process and netlink alone)"),
                                ("rebuild", "adding the rules: bindings rebuilt from the entries"),
                                ("used", "the walk again, the bindings in use"),
                                ("idle", "the walk again, conntrack flushed")):
                if (n, what) in res.walk:
                    t, b, e = res.walk[n, what]
                    s += f"| {label} | {size(n)} | {e} | {b if what != 'none' else '–'} | {secs(t)} |\n"
        s += """
In nftables' router, N entries made through its masquerade, then
`hairpinctl -f` adding both masq rules: its commit walks the conntrack
table at once and makes a binding of every entry with only a source NAT.
Then the same command again (the walk every 10 s does the same work), and
again with conntrack flushed.
"""
    if res.mfail:
        s += ("\n`conntrack -S`, insert_failed + drop + early_drop: "
              + "; ".join(f"{w}: {c}" for w, c in res.mfail) + ".\n")
    return s + "\n" + masq_goals(res, why)


def masq_goals(res, why):
    """Issue #21's goals: outbound at 0.95x nftables' masquerade at every N,
    each N a cell judged by met(); at most 128 B of kernel memory per
    binding, at the largest N measured."""
    t = 0.95
    cells = [(c, f"N={size(n)}") for n in res.msizes if (c := masq_outbound(res, n)) is not None]
    ok = bool(cells) and all(met(c, t) for c, _ in cells)
    s = (f"Goals of issue #21:\n\n1. Outbound new connections ≥ 0.95x nftables' masquerade at every N: "
         f"{yes(ok)} (lowest {cellfmt(lowest(cells), t)}; {below([c for c, _ in cells], t, 'sizes')}).\n")
    s += "" if ok else explain(why, "M1")
    mem = [n for n in res.msizes if per_binding(res, n) is not None]
    v = per_binding(res, mem[-1]) if mem else None
    ok = v is not None and v <= 128
    s += (f"2. ≤ 128 B of kernel memory per binding: {yes(ok)} "
          f"({'–' if v is None else f'{v:.0f}'} B{f' at N={size(mem[-1])}' if mem else ''}).\n")
    return s + ("" if ok else explain(why, "M2")) + "\n"


# ---------------------------------------------------------- others' forwards

def scope_rounds(res, a, b, path):
    return res.rounds("scope", a, b, 1, path, "rule")


def scope(res, why):
    """The section of others' forwards, with its goal: only where measured."""
    if not res.scope:
        return ""
    s = """## Others' forwards: scope all against the masquerade line (issue #22)

One nftables rule that a LAN client's connection to the public address
hits too, `ip daddr 203.0.113.1 udp dport 10000 dnat to 198.18.0.10:10000`
(an operator's, or a daemon's without miniupnpd's `iif` match), the same in
three routers side by side, taking turns window by window (in the reverse
order every other round), which differ only in the source NAT of what it
forwards: the expert's line in the nat postrouting chain, `oifname
"br-lan" ct status dnat masquerade`; an empty chain and `hairpinctl set
scope all` (with the default `hairpin auto`, `source lan`); neither, the
rule alone. The masquerade line's router has no hairpin setting, so
hairpin registers nothing there. Each router's flows go to the rule's
port.

- **Hairpin path**: from the server's LAN to the public address. The
  masquerade line and scope all both source-NAT every connection, to the
  router's LAN address; the rule alone translates only the destination.
- **WAN path**, for context: from outside. scope all leaves these
  connections alone (their clients are not on the server's subnet); the
  masquerade line, which matches no source, translates them too.

| new connections/s | hairpin path | WAN path |
|---|---:|---:|
"""
    for e, name in SCOPE_NAME.items():
        s += f"| {name} |"
        for path in ("hairpin", "wan"):
            m = res.scope.get((e, path))
            s += f" {fmt(m and m.value)}{mark(m and m.busy)} |"
        s += "\n"
    for a, b in (("scope-all", "dnat-masq"), ("scope-all", "dnat"), ("dnat-masq", "dnat")):
        s += f"| {SCOPE_NAME[a]} / {SCOPE_NAME[b]} |"
        for path in ("hairpin", "wan"):
            r = scope_rounds(res, a, b, path)
            s += rangefmt(r) if r else " – |"
        s += "\n"
    nr = {p: len(scope_rounds(res, "scope-all", "dnat-masq", p)) for p in ("hairpin", "wan")}
    s += (f"\nRates: the median window, flows/s (†: CPU 1, the router's, less than 90% busy). "
          f"Ratios: the median of the rounds' ratios (lowest-highest); {nr['hairpin']} rounds on "
          f"the hairpin path, {nr['wan']} on the WAN path.\n")
    if res.others:
        h, w = res.others.get("hairpin"), res.others.get("wan")
        s += (f"\nConnections of others' forwards that hairpin counted as hairpinned (`show -s`, "
              f"others-hairpinned) across each path's windows: {'–' if h is None else h} on the hairpin "
              f"path, {'–' if w is None else w} on the WAN path"
              + (" (none, as it should)" if w == 0 else " (**none should be**)" if w else "") + ".\n")
    if res.sfail:
        s += ("\n`conntrack -S`, insert_failed + drop + early_drop: "
              + "; ".join(f"{w}: {c}" for w, c in res.sfail) + ".\n")
    return s + "\n" + scope_goal(res, why)


def scope_goal(res, why):
    """Issue #22's goal: on the hairpin path, scope all at 0.95x the
    masquerade line, one cell judged by met(); not met either if scope all
    hairpinned none of that path's connections (the sink counts them from
    any source, translated or not)."""
    t = 0.95
    r = scope_rounds(res, "scope-all", "dnat-masq", "hairpin")
    c = side_by_side(r, t) if r else None
    did = res.others.get("hairpin", 1) > 0
    ok = c is not None and met(c, t) and did
    s = (f"Goal of issue #22:\n\n1. New-flow rate on the hairpin path through others' dnat rule, hairpin's "
         f"scope all ≥ 0.95x the masquerade line: {yes(ok)} (")
    if c is None:
        s += "not measured side by side"
    else:
        s += f"{gfmt(c.ratio, t)}{note(c, t)}, {len(r)} rounds"
        if c.ci:
            s += f", 95% confidence interval of that median {c.ci[0]:.2f}-{c.ci[1]:.2f}x"
    if not did:
        s += "; scope all hairpinned none of them"
    return s + ").\n" + ("" if ok else explain(why, "S1")) + "\n"


# ------------------------------------------------------------------ failover

FAILURES = {"hard": "hard failover", "graceful": "graceful failback"}
FKINDS = ("mapped", "masq")


def share(a, b):
    """a of b as a percentage: '100%' only when all, never rounded up."""
    if not b:
        return "–"
    return "100%" if a == b else f"{math.floor(1000 * a / b) / 10:.1f}%"


def advert(res):
    """keepalived's advert interval in the failover part, seconds."""
    return float(res.meta.get("failover_advert") or 1)


def fcases(res):
    """The failovers measured, (N, when), in order."""
    return [(n, w) for n in res.fsizes for w in FAILURES if (n, w) in res.ftime or (n, w, "mapped") in res.fkept]


def failover(res, why):
    """The failover section, with its goals: only where it was measured."""
    if not res.fsizes:
        return ""
    m = res.meta
    s = """## Failover: two routers, keepalived and conntrackd (issue 23)

selftests/failover.sh's two routers (selftests/two-routers.sh): hairpin in
both, the same `hairpinctl -f` file in both, keepalived moving the WAN and
LAN virtual addresses (one VRRP instance, """ + f"advert interval {advert(res):g} s" + """, r1's
priority 150, r2's 100), conntrackd (FTFW) replicating conntrack over a
link of their own, and keepalived's notify script on the new master:
`conntrackd -c` (commit), then `hairpinctl -f` (its masq line rebuilds the
bindings from the committed entries). **N live connections**: half mapped
(a WAN host to the WAN address, port 8080, mapped to a LAN server), half
masq (a LAN host to a WAN host through `masq add dev wan0 to VIP`, each
its own binding), TCP, opened at a bounded rate and each checked by one
echoed line; then r2's conntrackd must hold them all in its external
cache. Then a **hard failover** to r2 (r1's daemons frozen, its links
down, then killed), r1 back as from a reboot (no entries, no addresses;
its file loaded, its daemons started, r2's table resent to it), and a
**graceful failback** to r1 (r2's keepalived stopped: its last advert,
of priority 0, hands over at once; its conntrackd runs on).

- **Kept**: after each, every connection still open sends a line and
  waits for its echo (20 s at most); a reset or a timeout is a connection
  lost. Bindings: masq's, on the new master, against the masq connections
  open before.
- **Times**, from the failure: the new master's notify script starts
  (takeover); its commit and rebuild; **recovered**, the three together:
  from then on every replicated connection passes, and every binding is
  back. Beside it, the first datagram a mapping forwarded (a prober from
  the WAN, one every 50 ms, through its own mapping) and the first new
  connection (one tried every 100 ms, 1 s to connect), which need no
  replicated state and can come before.

"""
    if m.get("failover_date"):
        others = m.get("failover_other_vms_busy_pct", "")
        s += (f"Measured apart from the rest of this page (`BENCH_ONLY=failover`): {m['failover_date']}, "
              f"commit {m.get('failover_commit', '')}"
              + (f"; **other VMs ran on this machine for {others}% of it**" if float(others or 0) > 0 else "")
              + ".\n\n")
    s += ("| N | connections opened | checked | opening | r2's external cache held them all |\n"
          "|---:|---:|---:|---:|---:|\n")
    for n in res.fsizes:
        o = sum(res.fopen.get((n, k), (0, 0, 0, 0))[0] for k in FKINDS)
        c = sum(res.fopen.get((n, k), (0, 0, 0, 0))[1] for k in FKINDS)
        w = sum(res.fopen.get((n, k), (0, 0, 0, 0))[2] for k in FKINDS)
        sy = res.fsync.get(n)
        held = "–" if sy is None else (f"{secs(sy[1])} after the last" if sy[2] >= sy[3]
                                       else f"**{sy[2]} of {sy[3]}** after {secs(sy[1])}")
        s += f"| {size(n)} | {o} of {w} | {c} | {'–' if sy is None else secs(sy[0])} | {held} |\n"
    s += ("\n| N | failure | mapped kept | masq kept | lost: reset, timed out | bindings on the new master "
          "| entries there |\n|---:|---|---:|---:|---:|---:|---:|\n")
    for n, w in fcases(res):
        row = f"| {size(n)} | {FAILURES[w]} |"
        reset = tout = 0
        for k in FKINDS:
            kept, of, r, t = res.fkept.get((n, w, k), (0, 0, 0, 0))
            reset, tout = reset + r, tout + t
            row += f" {kept} of {of} ({share(kept, of)}) |" if of else " – |"
        b = res.fbind.get((n, w))
        row += f" {reset}, {tout} | {'–' if b is None else f'{b[0]} of {b[1]}'} | {'–' if b is None else b[2]} |"
        s += row + "\n"
    s += ("\n| N | failure | takeover | commit | rebuild | **recovered** | one advert + commit "
          "| first datagram | first new connection | commit, conntrackd's log |\n"
          "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for n, w in fcases(res):
        t = res.ftime.get((n, w))
        if t is None:
            continue
        s += (f"| {size(n)} | {FAILURES[w]} | {secs(t.takeover)} | {secs(t.commit)} | {secs(t.rebuild)} "
              f"| **{secs(t.recovered)}** | {secs(advert(res) + t.commit)} | {secs(t.first)} "
              f"| {secs(t.newconn)} | {secs(t.ctcommit)} |\n")
    for n, w, r in res.fspurious:
        s += (f"\n**At N={size(n)}, {r} had taken over before the {FAILURES.get(w, w)}**: keepalived "
              "missed adverts while the connections opened (starved in the emulated guest); the times "
              "above are from the stamps after the failure.\n")
    s += """
Commit and rebuild are the wall times of `conntrackd -c` and `hairpinctl
-f` in the notify script, each a process started in the emulated guest;
conntrackd's log gives the commit alone. Takeover ends when keepalived
has run the script, after it has added the addresses: the first datagram
and the first new connection can come before it. The first datagram is
the first sent after the failure that came back: in a graceful failback
the old master, its addresses not yet gone, may forward it.
"""
    return s + "\n" + failover_goals(res, why)


def failover_goals(res, why):
    """Issue 23's goals: every connection kept, of each kind, in every
    failover; recovered within one advert interval plus the commit time,
    hard and graceful judged apart and both reported."""
    cases = fcases(res)
    kept = [(n, w, k) + res.fkept[n, w, k] for n, w in cases for k in FKINDS if (n, w, k) in res.fkept]
    short = [(n, k) for (n, k), (_, c, want, _) in res.fopen.items() if c < want]
    ok = bool(kept) and all(x[3] == x[4] and x[4] > 0 for x in kept) and not short
    lows = sorted(kept, key=lambda x: x[3] / x[4] if x[4] else 0)
    s = "Goals of issue 23:\n\n1. Connections kept = 100% at every N, in both failovers: " + yes(ok)
    if kept:
        n, w, k, a, b = lows[0][:5]
        s += f" (lowest {share(a, b)}: {a} of {b} {k} connections at N={size(n)}, {FAILURES[w]}"
        if short:
            s += "; fewer opened and checked than asked: " + ", ".join(f"{k} at N={size(n)}" for n, k in short)
        s += ")"
    s += ".\n" + ("" if ok else explain(why, "F1"))
    adv = advert(res)
    verdicts = {}
    for w in FAILURES:
        ts = [(n, res.ftime[n, w]) for n in res.fsizes if (n, w) in res.ftime]
        if ts:
            verdicts[w] = (all(t.recovered <= adv + t.commit for _, t in ts), ts)
    ok = bool(verdicts) and all(v for v, _ in verdicts.values())
    s += (f"2. Recovered within one VRRP advert interval ({adv:g} s) plus conntrackd's commit time: "
          f"{yes(ok)}")
    parts = []
    for w, (v, ts) in verdicts.items():
        parts.append(f"{FAILURES[w]}: "
                     + ", ".join(f"{'met' if t.recovered <= adv + t.commit else 'missed'} at N={size(n)}, "
                                 f"{secs(t.recovered)} against {secs(adv + t.commit)}" for n, t in ts))
    s += (" (" + "; ".join(parts) + ")" if parts else "") + ".\n"
    return s + ("" if ok else explain(why, "F2")) + "\n"


def checks(res, png):
    total = sum(int(float(c)) for _, c in res.ctfail)
    s = (f"## Checks\n\n- `conntrack -S` on the router, summed over all {res.nrates} measurements: "
         f"insert_failed + drop + early_drop = **{total}**")
    s += " (none).\n" if total == 0 else ", all in: " + "; ".join(f"{w}: {c}" for w, c in res.ctfail) + ".\n"
    return s + (f"\n![new-flow rate against the number of mappings]({png})\n\n"
                "Raw results: the `.tsv` beside this file (one measurement a line, every window).\n")


# ---------------------------------------------------------------------- plot


def plot_data(res):
    """bench/plot.gp's data: N, then for each path and match each engine's
    rate, then the references (see plot.gp)."""
    s = ""
    for n in res.sizes:
        row = [str(n)]
        for path in PATHS:
            for match in MATCHES:
                for e in ("ipt-legacy", "ipt-nft", "nft-map", "hairpin"):
                    m = res.meas.get(("rate", e, n, path, match))
                    if m is None and n == 1:
                        m = res.meas.get(("rate", e, n, path, "last"))
                    row.append("NaN" if m is None else m.text)
        for path in PATHS:
            noct = res.meas.get(("rate", "noct", 0, path, "-"))
            row += [num(res.ref(path)), "" if noct is None else noct.text]
        s += " ".join(row) + "\n"
    return s


def plot(res, png, here):
    if not shutil.which("gnuplot"):
        print("report.py: no gnuplot, no plot (apt-get install gnuplot-nox)", file=sys.stderr)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".dat") as dat:
        dat.write(plot_data(res))
        dat.flush()
        kernel = res.meta.get("kernel", "")
        subprocess.run(["gnuplot", "-e", f"datafile='{dat.name}'; outfile='{png}'; kernel='{kernel}'",
                        str(here / "plot.gp")], check=True)


def main(argv):
    if len(argv) != 4 or not Path(argv[1]).is_file():
        print("usage: bench/report.py RESULTS.tsv OUT.md OUT.png", file=sys.stderr)
        return 2
    here = Path(__file__).resolve().parent
    res = read(Path(argv[1]).read_text(encoding="utf-8"))
    if not res.sizes and not res.msizes and not res.scope and not res.fsizes:
        print(f"report.py: {argv[1]}: no engine was measured", file=sys.stderr)
        return 1
    why = (here / "README.md").read_text(encoding="utf-8")
    Path(argv[2]).write_text(report(res, why, Path(argv[3]).name), encoding="utf-8")
    if res.sizes:
        plot(res, argv[3], here)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
