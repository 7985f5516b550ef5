#!/usr/bin/env python3
"""Random structured programs as jaxpr text (train only; issue 14, train8): one seed, one program.

A program is composed, by a numpy generator seeded with the seed, from a library of blocks that
numerical code is made of, traced by JAX itself (jax.make_jaxpr, float32; dead equations removed)
and printed as the corpus prints its programs (Datasets/corpus/README.md), so `ccelim` reads it:

  chain        an elementwise chain of unary and binary ops (sin, cos, tanh, exp, log, sqrt, pow,
               division, logistic, ...; log/sqrt/pow/div take a positive argument such as c + x²)
  poly         a polynomial (Horner) or a rational function p(x)/q(x), literal or input coefficients
  repeat       one small random sub-block applied to several values with shared inputs (a layer),
               or iterated on its own output (an unrolled loop)
  ode          explicit integrator steps (Euler, RK2/Heun, RK4, leapfrog) of a random small
               right-hand side: a few scalars or one vector with neighbour coupling
  reduce       sum, mean, product (a chain of products of elements), smooth max (log-sum-exp),
               2-norm, weighted sums
  stencil      explicit steps of diffusion / advection / reaction on a row or a grid, with a
               periodic, zero, mirrored or edge boundary (slices and concatenate)
  linear       matrix-vector products, outer products, small matrix products, dot products
  mix          scalars gathered from a vector, or stacked into one

Scalar and tensor (rank ≤ 2) values share one pool; every block reads values from the pool and
adds its results. Outputs are either the values nothing else read (many outputs) or one to
three sums of them (few outputs). Each program has 20 to 300 equations (the number of blocks is
the one whose program is nearest a size drawn from the seed). Deterministic per seed (same JAX, same text).

Usage:
  random-programs.py SEED OUT.jaxpr                    one program
  random-programs.py --seeds A-B --out-dir DIR         programs DIR/rprog_SEED.jaxpr for seeds A..B
  random-programs.py --check CCELIM SEED [SEED ...]    import each with `CCELIM import-jaxpr` and
                                                       compare `CCELIM jacobian` with jax.jacrev
  random-programs.py --values SEED [SEED ...]          per seed one JSON line: the text, the used
                                                       inputs, outputs and jax.jacrev's blocks
                                                       (Tests/CodegenTests/RandomProgramsTests.swift)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True

MIN_EQUATIONS, MAX_EQUATIONS = 20, 300
BLOCKS = ["chain", "poly", "repeat", "ode", "reduce", "stencil", "linear", "mix"]
# What the importer reads (Sources/Elimination/Graph/EdgeRules.swift); pjit bodies are inlined.
SUPPORTED = {
    "neg", "abs", "exp", "log", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "integer_pow", "square", "sqrt", "rsqrt", "logistic", "erf", "add", "sub", "mul",
    "div", "atan2", "add_any", "eq", "max", "min", "pow", "reshape", "slice", "dynamic_slice",
    "dynamic_update_slice", "concatenate", "stop_gradient", "iota", "copy", "dot_general", "reduce_sum",
    "reduce_max", "reduce_min", "transpose", "broadcast_in_dim", "squeeze", "convert_element_type", "pjit",
}


class Builder:
    """The blocks, drawing every structural choice from one numpy generator."""

    def __init__(self, rng, jnp):
        self.r, self.jnp = rng, jnp
        self.pool = []

    # -- helpers ---------------------------------------------------------------------------------
    def coef(self, low=0.2, high=1.5):
        return float(np.round(self.r.uniform(low, high), 3)) * (1 if self.r.random() < 0.7 else -1)

    def pick(self, pred=lambda v: True):
        cands = [v for v in self.pool if pred(v)]
        if not cands:
            return None
        # favour recent values (programs flow forward) but reach back to inputs too
        w = np.arange(1, len(cands) + 1, dtype=float) ** 1.5
        return cands[self.r.choice(len(cands), p=w / w.sum())]

    def pick_or(self, pred, default):
        v = self.pick(pred)
        return default if v is None else v

    def partner(self, x):
        """A pool value that combines elementwise with x: same shape, or a scalar."""
        shape = x.shape
        return self.pick(lambda v: v is not x and (v.shape == shape or v.shape == ()))

    def positive(self, x):
        j = self.jnp
        k = self.r.integers(4)
        if k == 0:
            return self.coef(0.5, 2.0) ** 2 + x * x
        if k == 1:
            return j.exp(self.coef(0.1, 0.5) * j.tanh(x))
        if k == 2:
            return 1.0 + 1.0 / (1.0 + j.exp(-x))
        return abs(self.coef()) + j.square(j.sin(x))

    def unary(self, x):
        j = self.jnp
        op = self.r.choice(["sin", "cos", "tanh", "exp", "log", "sqrt", "pow", "sq", "cube", "inv", "logistic",
                            "atan", "neg_scale", "erf"])
        if op == "sin": return j.sin(x)
        if op == "cos": return j.cos(x)
        if op == "tanh": return j.tanh(x)
        if op == "exp": return j.exp(self.coef(0.1, 0.6) * j.tanh(x)) if self.r.random() < 0.5 else j.exp(-x * x)
        if op == "log": return j.log(self.positive(x))
        if op == "sqrt": return j.sqrt(self.positive(x))
        if op == "pow": return self.positive(x) ** float(self.r.choice([0.5, 1.5, -0.5, 2.5, -1.5]))
        if op == "sq": return x * x
        if op == "cube": return x ** 3
        if op == "inv": return 1.0 / self.positive(x)
        if op == "logistic": return 1.0 / (1.0 + j.exp(-x))
        if op == "atan": return j.arctan(x)
        if op == "erf": return __import__("jax").scipy.special.erf(x)
        return self.coef() * x

    def binary(self, x, y):
        j = self.jnp
        op = self.r.choice(["add", "sub", "mul", "mul", "div", "axpy", "hypot", "max"])
        if op == "add": return x + y
        if op == "sub": return x - y
        if op == "mul": return x * y
        if op == "div": return x / self.positive(y)
        if op == "axpy": return self.coef() * x + y
        if op == "hypot": return j.sqrt(x * x + y * y + 0.1)
        return j.maximum(x, y) if self.r.random() < 0.3 else 0.5 * (x + y + j.sqrt((x - y) ** 2 + 0.01))

    def add(self, *vals):
        self.pool.extend(vals)

    # -- blocks ----------------------------------------------------------------------------------
    def chain(self):
        x = self.pick()
        own = [x]
        for _ in range(self.r.integers(2, 9)):
            if self.r.random() < 0.45:
                y = self.partner(x) if self.r.random() < 0.6 else own[int(self.r.integers(len(own)))]
                if y is None or not (y.shape == x.shape or y.shape == ()):
                    y = own[0]
                x = self.binary(y, x) if y.shape == x.shape and self.r.random() < 0.5 else self.binary(x, y)
            else:
                x = self.unary(x)
            own.append(x)
        self.add(x)

    def poly(self):
        x = self.pick()
        deg = int(self.r.integers(2, 7))
        scalars = [v for v in self.pool if v.shape == () and v is not x]
        def coefs(n):
            if scalars and self.r.random() < 0.4:
                return [scalars[self.r.integers(len(scalars))] if self.r.random() < 0.5 else self.coef() for _ in range(n)]
            return [self.coef() for _ in range(n)]
        def horner(cs):
            acc = cs[0] * x if not isinstance(cs[0], float) else cs[0] * x
            for c in cs[1:-1]:
                acc = (acc + c) * x
            return acc + cs[-1]
        p = horner(coefs(deg + 1))
        if self.r.random() < 0.4:  # rational: p / (c + q²)
            q = horner(coefs(int(self.r.integers(1, 4)) + 1))
            p = p / (1.0 + q * q)
        self.add(p)

    def sub_block(self, x, w):
        """A fixed random sub-block f(x, w) (its choices drawn once, replayed per use)."""
        plan = [(self.r.integers(6), self.coef()) for _ in range(self.r.integers(2, 6))]
        j = self.jnp
        def f(x):
            for k, c in plan:
                if k == 0: x = j.tanh(c * x + w)
                elif k == 1: x = x * w + c
                elif k == 2: x = j.sin(x) * w
                elif k == 3: x = x / (1.0 + w * w) + c * x * x
                elif k == 4: x = j.exp(-c * c * x * x) + w
                else: x = x + c * j.sqrt(1.0 + x * x)
            return x
        return f

    def repeat(self):
        x0 = self.pick()
        w = self.partner(x0)
        w = self.coef() if w is None else w
        f = self.sub_block(x0, w)
        if self.r.random() < 0.5:  # a layer: the same sub-block on several values of one shape
            xs = [v for v in self.pool if v.shape == x0.shape][-int(self.r.integers(2, 6)):]
            self.add(*[f(v) for v in xs])
        else:  # an unrolled loop
            x = x0
            for _ in range(self.r.integers(2, 6)):
                x = f(x)
            self.add(x)

    def rhs(self, n_scalar):
        """A random right-hand side over a list of state values (each scalar, or all one vector)."""
        j = self.jnp
        d = n_scalar
        params = [self.pick_or(lambda v: v.shape == (), self.coef()) for _ in range(2)]
        terms = []
        for i in range(d):
            a, b = int(self.r.integers(d)), int(self.r.integers(d))
            kind = int(self.r.integers(5))
            c = self.coef()
            terms.append((i, a, b, kind, c))
        def f(s):
            out = []
            for i, a, b, kind, c in terms:
                if kind == 0: t = c * s[a] - params[0] * s[i]
                elif kind == 1: t = s[a] * s[b] * c - s[i]
                elif kind == 2: t = params[1] * j.sin(s[a]) + c * s[b]
                elif kind == 3: t = c * (1.0 - s[a] * s[a]) * s[b] - s[i]
                else: t = s[a] / (1.0 + s[b] * s[b]) - params[0] * s[i]
                out.append(t)
            return out
        return f

    def ode(self):
        d = int(self.r.integers(2, 5))
        s = [self.pick(lambda v: v.shape == ()) for _ in range(d)]
        if any(v is None for v in s):
            return self.chain()
        f = self.rhs(d)
        h = self.pick(lambda v: v.shape == ()) if self.r.random() < 0.5 else self.coef(0.01, 0.2)
        method = self.r.choice(["euler", "rk2", "rk4", "leapfrog"])
        ax = lambda a, k, c: [ai + c * ki for ai, ki in zip(a, k)]
        for _ in range(self.r.integers(1, 4 if method != "rk4" else 2)):
            if method == "euler":
                s = ax(s, f(s), h)
            elif method == "rk2":
                k1 = f(s); k2 = f(ax(s, k1, h))
                s = [si + 0.5 * h * (a + b) for si, a, b in zip(s, k1, k2)]
            elif method == "rk4":
                k1 = f(s); k2 = f(ax(s, k1, 0.5 * h)); k3 = f(ax(s, k2, 0.5 * h)); k4 = f(ax(s, k3, h))
                s = [si + h / 6.0 * (a + 2.0 * b + 2.0 * c + e) for si, a, b, c, e in zip(s, k1, k2, k3, k4)]
            else:  # leapfrog on (q, p) halves: kick, drift, kick
                half = max(1, d // 2)
                q, p = s[:half], s[half:] or [v * 0.5 for v in s[:half]]
                acc = lambda q: [-(qi + 0.3 * qi ** 3) for qi in q]
                p = [pi + 0.5 * h * ai for pi, ai in zip(p, acc(q))]
                q = [qi + h * pi for qi, pi in zip(q, p)]
                p = [pi + 0.5 * h * ai for pi, ai in zip(p, acc(q))]
                s = q + p
        self.add(*s)

    def reduce(self):
        j = self.jnp
        x = self.pick(lambda v: v.ndim >= 1)
        if x is None:
            return self.chain()
        k = self.r.choice(["sum", "mean", "prod", "lse", "norm", "wsum", "axis"])
        if k == "sum": y = j.sum(x)
        elif k == "mean": y = j.mean(x * x)
        elif k == "prod":
            flat = x.reshape(-1)
            m = min(flat.shape[0], int(self.r.integers(2, 7)))
            y = flat[0]
            for i in range(1, m):
                y = y * flat[i]
        elif k == "lse": y = j.log(j.sum(j.exp(j.tanh(x))))
        elif k == "norm": y = j.sqrt(j.sum(x * x) + 1e-3)
        elif k == "wsum":
            w = self.pick(lambda v: v.shape == x.shape and v is not x)
            y = j.sum((w if w is not None else self.coef()) * x)
        else:
            y = j.sum(x, axis=int(self.r.integers(x.ndim)))
        self.add(y)

    def shifted(self, u, axis, shift, kind):
        """u shifted by ±1 along axis with the boundary value kind supplies at the end it exposes."""
        j = self.jnp
        n = u.shape[axis]
        take = lambda a, b: j.take(u, np.arange(a, b), axis=axis) if False else \
            (u[a:b] if axis == 0 else u[:, a:b])
        if kind == "periodic":
            return j.roll(u, shift, axis=axis)
        if shift == 1:  # value at i is u[i-1]; the new first cell is the boundary
            edge = {"zero": take(0, 1) * 0.0, "edge": take(0, 1), "mirror": take(1, 2)}[kind]
            return j.concatenate([edge, take(0, n - 1)], axis=axis)
        edge = {"zero": take(n - 1, n) * 0.0, "edge": take(n - 1, n), "mirror": take(n - 2, n - 1)}[kind]
        return j.concatenate([take(1, n), edge], axis=axis)

    def stencil(self):
        j = self.jnp
        u = self.pick(lambda v: v.ndim >= 1 and min(v.shape) >= 3)
        if u is None:
            return self.linear()
        kind = self.r.choice(["periodic", "zero", "mirror", "edge"])
        physics = self.r.choice(["diffusion", "advection", "reaction"])
        s = self.pick_or(lambda v: v.shape == (), self.coef(0.05, 0.3))
        for _ in range(self.r.integers(1, 4)):
            axes = range(u.ndim)
            if physics == "advection":
                d = sum(u - self.shifted(u, a, 1, kind) for a in axes)
                u = u - s * d
            else:
                lap = sum(self.shifted(u, a, 1, kind) + self.shifted(u, a, -1, kind) for a in axes) - 2.0 * u.ndim * u
                u = u + s * lap
                if physics == "reaction":
                    u = u + self.coef(0.05, 0.3) * u * (1.0 - u * u)
        self.add(u)

    def linear(self):
        j = self.jnp
        k = self.r.choice(["matvec", "outer", "matmul", "dot", "tmatvec"])
        mats = lambda: self.pick(lambda v: v.ndim == 2)
        vecs = lambda n=None: self.pick(lambda v: v.ndim == 1 and (n is None or v.shape[0] == n))
        A = mats()
        if k in ("matvec", "tmatvec") and A is not None:
            x = vecs(A.shape[1] if k == "matvec" else A.shape[0])
            if x is not None:
                return self.add(A @ x if k == "matvec" else A.T @ x)
        if k == "matmul" and A is not None:
            B = self.pick(lambda v: v.ndim == 2 and v.shape[0] == A.shape[1])
            if B is not None:
                return self.add(A @ B)
        x = vecs()
        if x is None:
            return self.chain()
        if k == "dot":
            y = vecs(x.shape[0])
            return self.add(j.dot(x, y if y is not None else x))
        y = vecs()
        self.add(j.outer(x, y if y is not None else x))

    def mix(self):
        j = self.jnp
        x = self.pick(lambda v: v.ndim == 1)
        if x is not None and self.r.random() < 0.5:
            idx = self.r.choice(x.shape[0], size=min(x.shape[0], int(self.r.integers(1, 4))), replace=False)
            return self.add(*[x[int(i)] for i in idx])
        sc = [v for v in self.pool if v.shape == ()]
        if len(sc) >= 2:
            m = min(len(sc), int(self.r.integers(2, 7)))
            picks = [sc[i] for i in self.r.choice(len(sc), size=m, replace=False)]
            return self.add(j.stack(picks))
        self.chain()


def spec(seed):
    """Inputs (shapes) and the plan's knobs drawn from the seed."""
    r = np.random.default_rng([seed, 0])
    flavour = r.choice(["scalar", "tensor", "mixed"], p=[0.35, 0.25, 0.4])
    n_in = int(r.integers(1, 9))
    shapes = []
    for _ in range(n_in):
        if flavour == "scalar" or (flavour == "mixed" and r.random() < 0.5):
            shapes.append(())
        elif r.random() < 0.7:
            shapes.append((int(r.integers(3, 13)),))
        else:
            shapes.append((int(r.integers(3, 7)), int(r.integers(3, 7))))
    if flavour != "tensor" and sum(s == () for s in shapes) < 2:
        shapes += [(), ()]
    target = int(np.exp(r.uniform(np.log(25), np.log(280))))
    outputs = r.choice(["many", "few"])
    weights = r.dirichlet(np.ones(len(BLOCKS)) * 0.8)
    return {"flavour": str(flavour), "shapes": shapes, "target": target, "outputs": str(outputs),
            "weights": weights}


def make_fn(seed, sp, n_blocks, jnp, leaves=None):
    """The program of n_blocks blocks. leaves=None: it returns every value the blocks made (to find
    the leaves: values no later value reads); else the outputs are those leaves (at most 12, the
    rest summed into the last) or, for a "few"-outputs program, one to three sums of them."""
    def fn(*xs):
        b = Builder(np.random.default_rng([seed, 1]), jnp)
        b.add(*xs)
        for _ in range(n_blocks):
            getattr(b, BLOCKS[b.r.choice(len(BLOCKS), p=sp["weights"])])()
        made = b.pool[len(xs):]
        if leaves is None:
            return tuple(made)
        vals = [made[i] for i in leaves]
        if sp["outputs"] == "many":
            outs = vals[:11] + ([sum(jnp.sum(v) if v.ndim else v for v in vals[11:])] if len(vals) > 11 else [])
        else:
            k = min(len(vals), int(b.r.integers(1, 4)))
            outs = []
            for g in range(k):
                acc = None
                for v in vals[g::k]:
                    t = (jnp.sum(v * v) if b.r.random() < 0.5 else jnp.sum(v)) if v.ndim else v
                    acc = t if acc is None else acc + b.coef() * t
                outs.append(acc)
        return tuple(outs)
    return fn


def count_equations(jaxpr, bad):
    n = 0
    for eqn in jaxpr.eqns:
        name = eqn.primitive.name
        if name not in SUPPORTED:
            bad.add(name)
        if name == "pjit":
            n += count_equations(eqn.params["jaxpr"].jaxpr, bad)
        else:
            n += 1
    return n


def sample(sp, seed):
    r = np.random.default_rng([seed, 2])
    return [np.asarray(r.uniform(0.2, 0.9, size=s), dtype=np.float32) for s in sp["shapes"]]


def trace(seed, n_blocks, sp):
    import jax
    import jax.numpy as jnp
    from jax._src.interpreters import partial_eval as pe
    from jax.extend.core import ClosedJaxpr, Var
    point = [jnp.asarray(x) for x in sample(sp, seed)]
    everything = jax.make_jaxpr(make_fn(seed, sp, n_blocks, jnp))(*point).jaxpr
    read = {id(v) for e in everything.eqns for v in e.invars if isinstance(v, Var)}
    inputs = {id(v) for v in everything.invars}
    leaves, seen = [], set()
    for i, v in enumerate(everything.outvars):
        if isinstance(v, Var) and id(v) not in read and id(v) not in inputs and id(v) not in seen:
            leaves.append(i)
            seen.add(id(v))
    fn = make_fn(seed, sp, n_blocks, jnp, leaves)
    closed = jax.make_jaxpr(fn)(*point)
    # drop equations no output depends on (jaxpr text keeps them)
    # and the inputs none depends on (the text's inputs are the used ones, in order)
    jaxpr, used = pe.dce_jaxpr(closed.jaxpr, [True] * len(closed.jaxpr.outvars))
    closed = ClosedJaxpr(jaxpr, closed.consts)
    bad = set()
    n = count_equations(closed.jaxpr, bad)
    if bad:
        raise SystemExit(f"random-programs: seed {seed} uses {sorted(bad)}, which ccelim does not import; fix the block")
    return (fn, used), closed, n


def program(seed):
    """(jaxpr text, equations, fn, sample point) of the fewest blocks whose program reaches the
    size drawn from the seed (found by doubling, then bisection), within 20..300 equations."""
    sp = spec(seed)
    traced = {}
    def size(k):
        if k not in traced:
            traced[k] = trace(seed, k, sp)
        return traced[k][2]
    hi = 1
    while size(hi) < sp["target"] and hi < 64:
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:  # size(lo) < target <= size(hi), roughly (sizes grow with blocks)
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if size(mid) < sp["target"] else (lo, mid)
    fits = [k for k in sorted(traced) if MIN_EQUATIONS <= size(k) <= MAX_EQUATIONS]
    if not fits:
        raise SystemExit(f"random-programs: seed {seed} gives no program of {MIN_EQUATIONS}..{MAX_EQUATIONS} equations")
    k = min(fits, key=lambda k: (abs(size(k) - sp["target"]), k))
    (fn, used), closed, n = traced[k]
    return str(closed) + "\n", n, fn, sample(sp, seed), used


TOLERANCE = 2e-4  # as Tests/JacobianTests/CorpusValuesTests.swift (float32 literals in the text)


def relative_difference(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / (1.0 + np.abs(b)), initial=0.0))


def reference(seed):
    """The program's text and, at its float32 sample point, the used inputs, the outputs and
    jax.jacrev's Jacobian blocks [output][used input] in float64 (as make-corpus does for the corpus)."""
    import jax
    import jax.numpy as jnp
    text, n, fn, point, used = program(seed)
    with jax.experimental.enable_x64():
        xs = [jnp.asarray(x.astype(np.float64)) for x in point]
        outputs = [np.asarray(y) for y in fn(*xs)]
        jacobian = jax.jacrev(fn, argnums=tuple(range(len(xs))))(*xs)
    for o, y in enumerate(outputs):
        if not np.all(np.isfinite(y)):
            raise SystemExit(f"random-programs: seed {seed}: output {o} is not finite at the sample point")
    keep = [k for k in range(len(xs)) if used[k]]
    return {"seed": seed, "equations": n, "text": text,
            "inputs": [point[k].astype(np.float64).tolist() for k in keep],
            "outputs": [y.tolist() for y in outputs],
            "jacobian": [[np.asarray(jacobian[o][k]).tolist() for k in keep] for o in range(len(outputs))]}


def check(ccelim, seed):
    """Imports the program with `ccelim import-jaxpr` and compares `ccelim jacobian` (vertex
    elimination in Float64, forward and reverse order) with jax.jacrev (`reference`). Returns
    (equations, outputs, the largest relative difference)."""
    ref = reference(seed)
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"rprog_{seed}.jaxpr")
        open(path, "w").write(ref["text"])
        r = subprocess.run([ccelim, "import-jaxpr", path, "-o", os.path.join(d, "g.graph")], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise SystemExit(f"random-programs: seed {seed}: ccelim import-jaxpr failed: {r.stderr.strip()}")
        inputs = os.path.join(d, "in.json")
        json.dump(ref["inputs"], open(inputs, "w"))
        for order in ("fwd", "rev"):
            r = subprocess.run([ccelim, "jacobian", path, "--order", order, "--inputs", inputs, "--json"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"random-programs: seed {seed}: ccelim jacobian failed: {r.stderr.strip()}")
            got = json.loads(r.stdout)
            if len(got["outputs"]) != len(ref["outputs"]):
                raise SystemExit(f"random-programs: seed {seed}: ccelim sees {len(got['outputs'])} outputs, "
                                 f"JAX {len(ref['outputs'])}")
            for o, y in enumerate(ref["outputs"]):
                worst = max(worst, relative_difference(got["outputs"][o], y))
                for k, block in enumerate(ref["jacobian"][o]):
                    worst = max(worst, relative_difference(got["jacobian"][o][k], block))
    return ref["equations"], len(ref["outputs"]), worst


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("args", nargs="*")
    p.add_argument("--seeds")
    p.add_argument("--out-dir")
    p.add_argument("--check", metavar="CCELIM")
    p.add_argument("--values", action="store_true", help="print reference(SEED) as one JSON line per seed")
    a = p.parse_args()
    if a.seeds:
        lo, hi = map(int, a.seeds.split("-"))
        os.makedirs(a.out_dir, exist_ok=True)
        for seed in range(lo, hi + 1):
            text, n, *_ = program(seed)
            open(os.path.join(a.out_dir, f"rprog_{seed}.jaxpr"), "w").write(text)
            print(f"rprog_{seed}: {n} equations", file=sys.stderr)
    elif a.values:
        for seed in map(int, a.args):
            print(json.dumps(reference(seed)))
    elif a.check:
        failed = 0
        for seed in map(int, a.args):
            n, outs, worst = check(a.check, seed)
            ok = worst < TOLERANCE
            failed += not ok
            print(f"rprog_{seed}: {n} equations, {outs} outputs, max rel. difference vs jax.jacrev {worst:.2e}"
                  + ("" if ok else f" (FAILS, tolerance {TOLERANCE})"))
        sys.exit(1 if failed else 0)
    else:
        seed, out = int(a.args[0]), a.args[1]
        text, n, *_ = program(seed)
        open(out, "w").write(text)
        print(f"rprog_{seed}: {n} equations", file=sys.stderr)
