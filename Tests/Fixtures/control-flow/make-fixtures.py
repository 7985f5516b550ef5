#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/control-flow: small float64 JAX programs with comparisons and masks
(&, |, ~), jnp.where, jnp.clip, jnp.sign, logsumexp (sign, is_finite), jnp.flip, jnp.pad, lax.pad,
jnp.cross, jnp.take, jnp.diag and jnp.diagonal (gather with constant indices), jnp.var and
jnp.hypot (bare inf and nan literals), exp2, cbrt, floor and ceil, x.at[i].set / .add (scatter,
also at run-time indices), lax.select_n, lax.scan, lax.fori_loop, expm1, reduce_prod, cumsum and
cumlogsumexp, jnp.argsort, lax.cond and lax.switch, lax.while_loop bounded by a counter,
jnp.linalg.cholesky, cho_solve, solve_triangular, multivariate_normal.logpdf, jnp.linalg.solve,
lu_factor and lu_solve, jnp.linalg.det, slogdet and qr, lax.linalg.tridiagonal_solve, jnp.linalg.inv
and solve of a matrix, values of rank 3 (pairwise differences by broadcasting, attention heads,
batched einsum, transposes, reductions, slices and concatenations of rank-3 arrays, a scan over
them), jnp.convolve and jnp.correlate (conv_general_dilated), jnp.take_along_axis,
jax.scipy.special's gammaln, betaln, digamma, erfinv, i0e and i1e, inputs and results of rank 3
and 4 (boundary_shapes), conversions to float32, bfloat16 and float16 and arithmetic in the
latter two (narrow_floats), integer types that wrap around and saturate (integer_widths), each
scan or while program next to the same program written with a Python loop (its "twin"), and a
program ccelim must refuse (while_tolerance).

It writes, deterministically:
  <name>.jaxpr   print(jax.make_jaxpr(fn)(*sample)) under the pinned JAX, float64
  values.json    per program the sample point, fn's outputs and jax.jacrev's Jacobian blocks there,
                 in the layout of Tests/Fixtures/reference/values.json; `twins` pairs every scan
                 program with its Python-loop twin; `refused` lists the programs to refuse
Run from anywhere: python3 Tests/Fixtures/control-flow/make-fixtures.py (jax 0.4.38 pinned in
Ops/python-requirements.txt). Running it twice gives no diff.
"""
import json
import os
import re

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platform_name", "cpu")

HERE = os.path.dirname(os.path.abspath(__file__))
PINNED_JAX = "0.4.38"


def where_activation(x, y):
    """jnp.where on gt, jnp.clip (max/min) and jnp.maximum."""
    return jnp.where(x > y, x * y, jnp.sin(x)) + jnp.clip(x, -0.5, 0.5) * jnp.maximum(y, 0.25)


def comparisons(x, y):
    """Every comparison feeding a select_n; the last output only reads comparisons."""
    a = jnp.where(x < y, jnp.exp(x), y)
    b = jnp.where(x >= 0.1, a * y, a)
    c = jnp.where(y <= 0.3, b, jnp.cos(b))
    d = jnp.where(x != y, c, 2.0 * c)
    e = jnp.where(x == 0.7, d + 1.0, d * x)
    return e, jnp.sum(jnp.where(x > 0.0, 1.0, 0.0))


def masks(x, y):
    """Masks combined with &, | and ~ before a jnp.where."""
    inside = (x > 0.0) & (x < 0.5)
    return jnp.where(inside | ~(y > 0.2), x * y, jnp.cos(x) + y)


def select_index(x):
    """lax.select_n with an integer index and three cases."""
    i = (x > 0.0).astype(jnp.int32) + (x > 0.5).astype(jnp.int32)
    return lax.select_n(i, jnp.sin(x), x * x, jnp.exp(x))


def expm1_prod(x, m):
    """expm1, reduce_prod of a vector and of a matrix over each axis."""
    return jnp.expm1(x) * jnp.prod(x), jnp.prod(m, axis=0), jnp.prod(m, axis=1)


def cumulative(x, m):
    """cumsum of a vector, of a matrix along axis 0 and, reversed, along axis 1."""
    return jnp.cumsum(x * x), jnp.sin(jnp.cumsum(m, axis=0)), lax.cumsum(m * m, axis=1, reverse=True)


def sign_finite(x, y):
    """jnp.sign (at 0 too) and logsumexp, which prints sign and is_finite."""
    return jnp.sign(x) * y + jax.scipy.special.logsumexp(x * y)


def flip_pad(x, m):
    """jnp.flip (one axis, all axes), jnp.pad with zeros, and lax.pad with interior padding, a
    cropping (negative) low edge and a padding value computed from an input."""
    a = jnp.flip(x) * x
    b = jnp.flip(m, axis=1) * jnp.flip(m)
    c = jnp.pad(x, (1, 2)) * 2.0
    d = lax.pad(m, x[0] * x[1], ((1, 0, 1), (-1, 1, 0)))
    return a, b, c, d


def gather_take(x, y, m):
    """gather with constant indices: jnp.cross, jnp.take of a vector, of a matrix along each axis
    (a negative index too)."""
    return jnp.cross(x, y), jnp.take(x, 1) * y, jnp.take(m, 1, axis=1) * jnp.take(m, -1, axis=0)[:2]


def diagonal_points(m, t):
    """gather of single elements along two axes: jnp.diag and jnp.trace of a square matrix, and
    jnp.diagonal of a non-square one (with an offset, JAX closes over the column indices, whose
    values the jaxpr does not print: refused)."""
    return jnp.diag(m) * jnp.trace(m), jnp.diagonal(t) * t[2, 3]


def nonfinite_literals(x, y):
    """jnp.var, jnp.std and jnp.hypot, whose jaxprs hold the bare literals inf and nan."""
    return jnp.var(x) + jnp.std(x), jnp.hypot(x, y)


def rounding_roots(x, y):
    """jnp.exp2, jnp.cbrt (of a negative value too), and jnp.floor and jnp.ceil, whose
    derivative is 0, inside products."""
    return jnp.exp2(x) * jnp.cbrt(y), jnp.floor(3.0 * x) * y + jnp.ceil(y) * x


def clamp_round_rem(x, y, h):
    """lax.clamp with scalar bounds and an array lower bound (x inside, below and above),
    jnp.round (halves to even) and lax.round (halves away from zero) of halves, erfc, and the
    remainders x % y and jnp.fmod, whose partial in y is -trunc(x / y)."""
    clamped = jax.lax.clamp(-0.25, x, 0.5) * y + jax.lax.clamp(y, x, 0.9)
    rounded = jnp.round(h) * x + jax.lax.round(h) * y + jax.scipy.special.erfc(x * y)
    return clamped, rounded, x % y + jnp.fmod(x, y) * y


def cumulative_scans(x, m):
    """jnp.cumprod of a vector with a zero (odd length), lax.cummax along a matrix's rows
    reversed and lax.cummin down its columns, with ties: JAX's associative-scan tree decides
    each tied element's share of the derivative."""
    return jnp.cumprod(x) * x, jax.lax.cummax(m, axis=1, reverse=True) + jax.lax.cummin(m, axis=0)


def arg_extremes(x, m):
    """jnp.argmax of a vector with a tie (the first wins), jnp.argmin down a matrix's columns, both
    as floats in products, and x[jnp.argmax(x)], a data-dependent index."""
    i = jnp.argmax(x)
    return x * i + jnp.argmin(m, axis=0) * m[0], x[i] * x


def sort_median(x, m):
    """jnp.sort of a vector with a tie, down a matrix's columns, and jnp.median of odd and even
    length (sort, jnp.any's reduce_or, and gathers at indices computed from literals)."""
    return jnp.sort(x) * x + jnp.median(x), jnp.sort(m, axis=0) * jnp.median(m[0])


def runtime_gather(x, m):
    """gathers at indices known only at run time: x at each row's argmax of m (a vector of
    indices), m at the (row, argmax) pairs (two axes), and jnp.take with mode='clip'."""
    k = jnp.argmax(m, axis=1)
    return x[k] * m[jnp.arange(3), k], jnp.take(x, jnp.argmin(m, axis=0) + 2, mode="clip") * x


def interp_search(x, xp):
    """jnp.interp at points inside, outside and on the knots (searchsorted prints the total-order
    comparison lt_to and a gather that keeps its axis), and jnp.searchsorted as a float."""
    fp = jnp.sin(xp) + 2.0
    return jnp.interp(x, xp, fp) * x, jnp.searchsorted(xp, x).astype(x.dtype) * x


def scatter_set_add(x, y, m):
    """scatter and scatter-add with constant indices: x.at[i].set / .add on a vector, a matrix
    row and column, a negative index."""
    a = x.at[0].set(x[1] * y[2])
    b = x.at[1].add(y[0] ** 2)
    c = m.at[1].add(y)
    d = m.at[:, 2].set(x[:2] * 2.0)
    e = x.at[-1].set(y[1]) * a
    return a, b, c, d, e


def scan_rnn(h, xs, w):
    """An RNN over 4 steps with lax.scan: carry h, consts w, stacked outputs."""

    def step(h, x):
        h = jnp.tanh(w @ h + x)
        return h, h * 2.0

    return lax.scan(step, h, xs)


def scan_rnn_loop(h, xs, w):
    ys = []
    for i in range(4):
        x = xs[i]
        h = jnp.tanh(w @ h + x)
        ys.append(h * 2.0)
    return h, jnp.stack(ys)


def scan_reverse(h, xs):
    """A reverse scan with scalar carry and scalar ys."""

    def step(h, x):
        return h * x + 1.0, jnp.sin(h)

    return lax.scan(step, h, xs, reverse=True)


def scan_reverse_loop(h, xs):
    ys = [None] * 5
    for i in reversed(range(5)):
        x = xs[i]
        new = h * x + 1.0
        ys[i] = jnp.sin(h)
        h = new
    return h, jnp.stack(ys)


def fori_integrator(y):
    """A damped pendulum, explicit Euler, lax.fori_loop with static bounds (printed as scan)."""

    def step(i, s):
        q, p = s[0], s[1]
        dq = p
        dp = -jnp.sin(q) - 0.1 * p * i
        return jnp.stack([q + 0.05 * dq, p + 0.05 * dp])

    return lax.fori_loop(0, 6, step, y)


def fori_integrator_loop(y):
    s = y
    for i in range(6):
        q, p = s[0], s[1]
        dq = p
        dp = -jnp.sin(q) - 0.1 * p * i
        s = jnp.stack([q + 0.05 * dq, p + 0.05 * dp])
    return s


def nested(h, xs):
    """A fori_loop with a jnp.where inside a scan; its counter reaches the body as a float."""

    def inner(i, h):
        return jnp.where(h > 0.0, h * 0.9, jnp.sin(h)) + 0.1 * i

    def outer(h, x):
        h = lax.fori_loop(0, 2, inner, h + x)
        return h, h

    return lax.scan(outer, h, xs)


def nested_loop(h, xs):
    ys = []
    for t in range(3):
        h = h + xs[t]
        for i in range(2):
            h = jnp.where(h > 0.0, h * 0.9, jnp.sin(h)) + 0.1 * i
        ys.append(h)
    return h, jnp.stack(ys)


def long_where_scan(h, xs):
    """160 steps of a scalar recurrence with a jnp.where: large enough for the JAX emitter's
    level-vectorised body."""

    def step(h, x):
        z = h * 0.9 + x
        return jnp.where(z > 0.0, jnp.tanh(z), 0.1 * z), None

    return lax.scan(step, h, xs)[0]


def rnn_step(h0, xs, wh, wx, b):
    """An RNN cell over 6 steps (lax.scan) with a loss per step; `ccelim optimize` example."""

    def step(h, x):
        h = jnp.tanh(wh @ h + wx @ x + b)
        return h, jnp.sum(h * h)

    return lax.scan(step, h0, xs)


def leaky_clip(x, w):
    """A leaky ReLU by jnp.where, clipped, then a piecewise loss; `ccelim optimize` example."""
    z = w @ x
    a = jnp.where(z > 0.0, z, 0.01 * z)
    c = jnp.clip(a, -1.0, 1.0)
    return jnp.sum(jnp.where(jnp.abs(c) < 0.5, c * c, jnp.expm1(c)))


def damped_oscillator(state, k):
    """20 semi-implicit Euler steps of a quadratically damped oscillator (lax.fori_loop);
    `ccelim optimize` example."""

    def body(i, s):
        x, v = s[0], s[1]
        acc = -k[0] * x - k[1] * v * jnp.abs(v)
        v = v + 0.01 * acc
        x = x + 0.01 * v
        return jnp.stack([x, v])

    return lax.fori_loop(0, 20, body, state)


def while_counter(x, y):
    """lax.while_loop bounded by a counter: jax.jacrev cannot differentiate a while_loop, so this
    program's Jacobian in values.json is jax.jacrev of its Python-loop twin (the same function)."""

    def body(s):
        i, h = s
        return i + 1, jnp.tanh(h * y + 0.1 * i)

    return lax.while_loop(lambda s: s[0] < 4, body, (0, x))[1]


def while_counter_loop(x, y):
    h = x
    for i in range(4):
        h = jnp.tanh(h * y + 0.1 * i)
    return h


def while_tolerance(x):
    """A while_loop whose trip count depends on the values: refused."""
    return lax.while_loop(lambda c: jnp.sum(c * c) > 0.01, lambda c: c * 0.5, x)


def cumulative_logsumexp(x, m):
    """lax.cumlogsumexp (forward, reverse, along a matrix's rows and columns), with ties."""
    return lax.cumlogsumexp(x) * lax.cumlogsumexp(x, reverse=True), lax.cumlogsumexp(m, axis=1) + lax.cumlogsumexp(m, axis=0, reverse=True)


def runtime_scatter(x, v, m):
    """x.at[i].set and .add at indices computed at run time (one out of range, which
    FILL_OR_DROP drops), lax.dynamic_update_slice at a computed start (clamped), a matrix row."""
    a = x.at[jnp.argmax(v)].set(v[0] * 2.0)
    b = a.at[jnp.argmin(v)].add(jnp.sin(v[1]))
    c = b.at[jnp.argmax(v) + 5].set(7.0 * v[2])
    d = lax.dynamic_update_slice(x, v[:2] * v[1:3], (jnp.argmin(v) + 2,))
    return c * d, m.at[jnp.argmin(v)].add(x[:3] * v[3])


def argsort_rank(x, y):
    """jnp.argsort (a sort of the keys and an iota) reordering x, and lax.sort of a tuple by its
    first element; y has a tie (the sort is stable)."""
    order = jnp.argsort(y)
    k, v = lax.sort((y, x * x), num_keys=1)
    return x[order] * jnp.sin(y), k * v


def cond_guarded(x, y):
    """lax.cond guarding a sqrt and a log: the branches not taken are NaN at the sample (sqrt and
    log of negative elements) and must not reach the Jacobian, as they do not reach jax.jacrev's."""
    a = lax.cond(x[0] > 0, lambda u: jnp.sqrt(u) * y, lambda u: -u * y, x)
    b = lax.cond(jnp.sum(y) < 0, lambda u: jnp.log(u), lambda u: jnp.sin(u), y)
    return a + b


def cond_switch(x, y):
    """lax.cond on a computed predicate (two results, one a pass-through), lax.switch on argmax
    (three branches, index clamped), a cond in a fori_loop whose counter fixes the branch, and a
    scalar cond whose taken branch returns a literal."""
    a, b = lax.cond(jnp.sum(x) > 0.5, lambda u, v: (jnp.sin(u) * v, u), lambda u, v: (u + v * v, u), x, y)
    c = lax.switch(jnp.argmax(y), [lambda u: u * 2.0, lambda u: jnp.exp(u), lambda u: -u], a)

    def body(i, s):
        return lax.cond(i % 2 == 0, lambda t: t * 0.9 + 0.1, lambda t: jnp.tanh(t), s)

    d = lax.fori_loop(0, 4, body, b * y)
    e = lax.cond(x[0] > 0, lambda t: t[1] * t[2], lambda t: jnp.float64(3.0), x)
    return c + d, e


def cholesky_solve(m, b):
    """jnp.linalg.cholesky of a symmetric positive definite matrix built from the input, its
    log-determinant from the diagonal, and jax.scipy.linalg.cho_solve (two triangular solves, the
    second transposed) of a vector."""
    a = m @ m.T + 0.5 * jnp.eye(3)
    chol = jnp.linalg.cholesky(a)
    logdet = 2.0 * jnp.sum(jnp.log(jnp.diag(chol)))
    return chol, logdet, jax.scipy.linalg.cho_solve((chol, True), b)


def triangular_solves(u, b, r):
    """jax.scipy.linalg.solve_triangular: lower and upper, transposed, a unit diagonal, several
    right-hand sides; lax.linalg.triangular_solve from the right (x·op(a) = b). Each reads only
    its triangle of u."""
    x1 = jax.scipy.linalg.solve_triangular(u, b, lower=True)
    x2 = jax.scipy.linalg.solve_triangular(u, r, lower=False, trans=1)
    x3 = jax.scipy.linalg.solve_triangular(u, b * x1, lower=False, unit_diagonal=True)
    x4 = lax.linalg.triangular_solve(u, r.T, left_side=False, lower=True, transpose_a=True)
    return x1 + x3, x2, x4


def gaussian_logpdf(x, mean, m):
    """jax.scipy.stats.multivariate_normal.logpdf with a covariance built from the input
    (cholesky, a triangular solve, the log of the factor's diagonal)."""
    cov = m @ m.T + 0.4 * jnp.eye(3)
    return jax.scipy.stats.multivariate_normal.logpdf(x, mean, cov)


def special_functions(x, a, b):
    """jax.scipy.special: a Beta(alpha, beta) log-likelihood of x in (0, 1) (betaln, which prints
    lgamma) with its digamma score, a Gamma log-density (gammaln), the normal quantile of x
    (erfinv), a von Mises log-density and mean resultant length (i0e, i1e; kappa on both sides of
    20, and i1e of a negative argument), and gammaln and digamma of negative non-integers."""
    sp = jax.scipy.special
    alpha, beta = 1.0 + a * a, 0.5 + jnp.exp(b)
    beta_ll = jnp.sum((alpha - 1.0) * jnp.log(x) + (beta - 1.0) * jnp.log1p(-x) - sp.betaln(alpha, beta))
    score = sp.digamma(alpha + beta) - sp.digamma(alpha) + jnp.log(x)
    gamma_ll = alpha * jnp.log(beta) + (alpha - 1.0) * jnp.log(x) - beta * x - sp.gammaln(alpha)
    probit = jnp.sqrt(2.0) * sp.erfinv(2.0 * x - 1.0)
    kappa = 4.0 + 30.0 * a * a
    von_mises = kappa * (jnp.cos(x - b) - 1.0) - jnp.log(2.0 * jnp.pi * sp.i0e(kappa))
    resultant = sp.i1e(kappa) / sp.i0e(kappa) + sp.i1e(x - a - b)
    return beta_ll, score, gamma_ll, probit, von_mises + resultant, sp.gammaln(x - 2.5) + sp.digamma(-x - 0.5)


def linear_solve(a, b):
    """jnp.linalg.solve (an LU factorization with partial pivoting of stop_gradient(a), then
    lax.custom_linear_solve, whose derivative is implicit) of a matrix whose pivots move rows,
    and of a matrix built from it."""
    x = jnp.linalg.solve(a, b)
    return x, jnp.linalg.solve(a @ a.T + jnp.eye(3), jnp.sin(x))


def lu_factor_solve(a, b):
    """jax.scipy.linalg.lu_factor (lu, differentiated: the factors' derivative at the chosen
    pivots) and lu_solve (lu_pivots_to_permutation, a gather at the permutation, two triangular
    solves) of a matrix whose pivots move rows."""
    lu, piv = jax.scipy.linalg.lu_factor(a)
    return lu, jax.scipy.linalg.lu_solve((lu, piv), b)


def determinants(a, m, y):
    """jnp.linalg.det of a 4×4 matrix whose pivots move rows, jnp.linalg.slogdet (sign and log
    |det|), and a Gaussian negative log-likelihood from slogdet and jnp.linalg.solve: custom_jvp
    functions whose bodies are not elementwise (an LU factorization), inlined."""
    sign, logabsdet = jnp.linalg.slogdet(m)
    cov = m @ m.T + 0.5 * jnp.eye(3)
    nll = 0.5 * (jnp.linalg.slogdet(cov)[1] + y @ jnp.linalg.solve(cov, y))
    return jnp.linalg.det(a), sign * logabsdet, nll


def qr_decomposition(a, s):
    """jnp.linalg.qr of a tall matrix (Q and R, reduced) and the R of a square one (its last
    column has nothing below the diagonal: no reflection, as LAPACK's geqrf)."""
    q, r = jnp.linalg.qr(a)
    return q, r, jnp.linalg.qr(s, mode="r")


def tridiagonal(dl, d, du, b):
    """lax.linalg.tridiagonal_solve with two right-hand columns and a diagonal computed from the
    input: jax.jacrev cannot differentiate it at all ("Differentiation rule for
    'tridiagonal_solve' not implemented"), so its reference Jacobian is jax.jacrev of the twin."""
    return jax.lax.linalg.tridiagonal_solve(dl, d + 2.0 * jnp.cos(d), du, b)


def tridiagonal_loop(dl, d, du, b):
    """The Thomas algorithm written with a Python loop, as JAX's own CPU implementation."""
    d = d + 2.0 * jnp.cos(d)
    n = d.shape[0]
    c = [du[0] / d[0]]
    e = [d[0]]
    for i in range(1, n):
        e.append(d[i] - dl[i] * c[i - 1])
        if i < n - 1:
            c.append(du[i] / e[i])
    f = [b[0] / e[0]]
    for i in range(1, n):
        f.append((b[i] - dl[i] * f[i - 1]) / e[i])
    x = [f[n - 1]]
    for i in range(n - 2, -1, -1):
        x.insert(0, f[i] - c[i] * x[0])
    return jnp.stack(x)


def matrix_solve(a, b, p, h):
    """jnp.linalg.inv of a matrix whose pivots move rows, jnp.linalg.solve of a matrix right-hand
    side (JAX's solve jaxpr for it is batched through rank 3), and a Kalman gain
    K = (S⁻¹·H·P)ᵀ with S = H·P·Hᵀ + R."""
    s = h @ p @ h.T + 0.1 * jnp.eye(2)
    gain = jnp.linalg.solve(s, h @ p).T
    return jnp.linalg.inv(a), jnp.linalg.solve(a, b), p - gain @ s @ gain.T


def pairwise_energy(x, s):
    """A Lennard-Jones energy and its forces written the usual JAX way: pairwise differences by
    broadcasting (rank 3), the diagonal masked with jnp.eye."""
    d = x[:, None, :] - x[None, :, :]
    r2 = jnp.sum(d**2, axis=-1) + jnp.eye(x.shape[0])
    mask = 1.0 - jnp.eye(x.shape[0])
    inv6 = (s[0] ** 2 / r2) ** 3
    energy = 2.0 * s[1] * jnp.sum((inv6**2 - inv6) * mask)
    weight = (1.0 / r2) ** 2 * mask
    return energy, jnp.sum(weight[:, :, None] * d, axis=1)


def attention_heads(q, k, v):
    """Two-head self-attention: reshape to heads, transpose, batched einsum, softmax over the
    last axis of a rank-3 array, back to (tokens, features)."""
    heads = lambda t: t.reshape(3, 2, 2).transpose(1, 0, 2)
    scores = jnp.einsum("hqd,hkd->hqk", heads(q), heads(k)) / jnp.sqrt(2.0)
    weights = jax.nn.softmax(scores, axis=-1)
    out = jnp.einsum("hqk,hkd->hqd", weights, heads(v))
    return out.transpose(1, 0, 2).reshape(3, 4)


def rank3_reindexing(a, b):
    """Rank-3 arrays moved between axes: transposes keeping and moving the last axis, reductions
    over leading, last and mixed axes, slices, concatenations along leading and last axes, size-1
    broadcasting, relu (its custom_jvp inlined), an einsum with a batch axis that is not leading
    and one contracting two axes, a scan over rank-3 slices, cumsum along leading axes (one
    reversed), flips, an integer index, strided indexing from an offset (t[1:, :, ::2], also at
    rank 2: a gather of windows), and jnp.pad."""
    t = jnp.tanh(a.reshape(2, 3, 4))
    u = b.reshape(3, 2, 4)
    moved = jnp.transpose(t, (2, 0, 1)).reshape(4, 6) + jnp.transpose(t, (1, 2, 0)).reshape(4, 6) ** 2
    kept = jnp.transpose(t, (1, 0, 2)).reshape(6, 4)
    reduced = jnp.concatenate(
        [jnp.max(t, axis=1).ravel(), jnp.sum(t, axis=(0, 2)), jnp.prod(t, axis=0).ravel(), jnp.min(t, axis=(0, 1))])
    pieces = jnp.concatenate([t[:, 1:, :2], t[:, :2, 2:]], axis=2) + jnp.concatenate([t[:1, :2], t[1:, 1:]], axis=0)
    spread = t[:, :1, :] * u[:1, :, :].reshape(1, 2, 4)[:, :1, :] + jax.nn.relu(t - 0.2)
    batched = jnp.einsum("ibj,bjk->bik", u, t.transpose(0, 2, 1)[:, :, :3]).reshape(2, 9)
    contracted = jnp.einsum("ibj,bjk->ik", u, t.transpose(0, 2, 1)[:, :, :3])

    def step(h, x):
        h = jnp.tanh(h * x[0] + x[1])
        return h, jnp.sum(h)

    last, sums = lax.scan(step, t[0, :2], jnp.stack([t, t * 0.5]).reshape(2, 2, 3, 4)[:, :, :2, :])
    running = jnp.cumsum(t, axis=1) * lax.cumsum(u, axis=0, reverse=True).reshape(2, 3, 4)
    flipped = jnp.flip(t, axis=(0, 2))[:, 1, :] * u[2, 1]
    strided = t[1:, :, ::2].reshape(3, 2) * u[1:, ::2, 1].reshape(1, 2)
    framed = jnp.pad(t, ((1, 0), (0, 1), (1, 1)), constant_values=0.5).reshape(-1, 6)
    return (moved, kept, reduced, pieces.reshape(2, 8), spread.reshape(6, 4), batched, contracted, last, sums,
            running.reshape(6, 4), flipped, strided, framed)


def convolutions(x, k):
    """jnp.convolve (valid, same, full), jnp.correlate and a strided, dilated, padded
    lax.conv_general_dilated of one channel."""
    strided = lax.conv_general_dilated(x[None, None, :], k[None, None, :], (2,), [(1, 2)], rhs_dilation=(2,))
    return (
        jnp.convolve(x, k, mode="valid"),
        jnp.convolve(jnp.sin(x), k, mode="same") * x,
        jnp.convolve(x, k**2, mode="full"),
        jnp.correlate(x, k, mode="same"),
        strided[0, 0],
    )


def boundary_shapes(t, u, w):
    """Inputs and results of rank 3 and 4 passed and returned in their JAX shapes (stored as
    matrices inside): a (2, 3, 4) batch of sequences, a (2, 1, 3, 2) array and a (4, 2) weight;
    a sum over the middle axis, broadcasting against a reduction, a batched product with the
    weight, a rank-4 result, and a rank-3 result that a later equation also reads (a copy vertex)."""
    s = jnp.tanh(t) * t.sum(0)
    return (
        s,
        jnp.sum(jnp.sin(t) * t, axis=1),
        jnp.einsum("btd,dk->btk", t, w) + jnp.sum(u),
        jnp.exp(0.5 * u) * jnp.sum(u, axis=(1, 2), keepdims=True),
        jnp.sum(s * s),
    )


def take_along(z, w):
    """jnp.take_along_axis at run-time indices (a gather with batching dimensions, FILL_OR_DROP):
    a cross-entropy whose labels are argmax of another input, columns picked along axis 0, a
    strided window z[1:, ::2], and the largest element along the last axis of a rank-3 array."""
    labels = jnp.argmax(w, axis=1)
    loss = -jnp.take_along_axis(jax.nn.log_softmax(z), labels[:, None], axis=1).sum()
    columns = jnp.take_along_axis(jnp.sin(z), jnp.argmin(w, axis=0)[None, :], axis=0)
    outer = z[:, :, None] * w[:, None, :]
    peaks = jnp.take_along_axis(outer, jnp.argmax(outer, axis=2, keepdims=True), axis=2).reshape(3, 4)
    return loss, columns, z[1:, ::2] * w[1:, 1::2], peaks


V3 = np.array([0.3, -0.2, 0.7])
def narrow_floats(x, y):
    """Conversions to float32, bfloat16 and float16, products in bfloat16 and float16, and
    lax.reduce_precision to float16's bits: every value is rounded as XLA rounds it. Each Jacobian path is one product of rounded factors, so
    jax.jacrev's cotangents (rounded to the narrow format on the way back) are exact there too."""
    xb, yb = x.astype(jnp.bfloat16), y.astype(jnp.bfloat16)
    xh, yh = x.astype(jnp.float16), y.astype(jnp.float16)
    return (
        x.astype(jnp.float32).astype(jnp.float64) * 3.0,
        xb.astype(jnp.float64) * 0.75,
        (xb * yb + 1.0).astype(jnp.float64),
        (xh * yh - 0.5).astype(jnp.float64),
        lax.reduce_precision(x, exponent_bits=5, mantissa_bits=10) * 0.75,
    )


def integer_widths(x):
    """Integers of 8, 16 and 32 bits as XLA computes them, each reaching an output as a factor of
    x: a float converted to int32 and uint8 (truncated, saturated at 0 and 255), int32 addition
    past 2^31 − 1 (wraps negative), int32 → int8 and uint16 negation (wrap around)."""
    k = (x * 1000.0).astype(jnp.int32)
    return (
        (k + jnp.int32(2147483000)).astype(jnp.float64) * x,
        k.astype(jnp.int8).astype(jnp.float64) * x,
        (x * 100.0).astype(jnp.uint8).astype(jnp.float64) * x,
        (-(k.astype(jnp.uint16))).astype(jnp.float64) * x,
    )


PROGRAMS = [
    ("where_activation", where_activation, (V3, np.array([0.1, 0.4, 0.2]))),
    ("comparisons", comparisons, (np.array([0.3, 0.05, 0.7, 0.2]), np.array([0.1, 0.4, 0.7, 0.2]))),
    ("masks", masks, (np.array([0.3, 0.7, -0.2, 0.1]), np.array([0.1, 0.4, 0.5, 0.3]))),
    ("select_index", select_index, (np.array([-0.4, 0.2, 0.9, 0.6]),)),
    ("expm1_prod", expm1_prod, (V3, np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.0]]))),
    ("cumulative", cumulative, (V3, np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.0]]))),
    ("sign_finite", sign_finite, (np.array([0.3, 0.0, -0.7, 1.1]), np.array([0.1, 0.4, 0.5, -0.3]))),
    ("flip_pad", flip_pad, (V3, np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.0]]))),
    ("gather_take", gather_take, (V3, np.array([0.1, 0.4, 0.2]), np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.0]]))),
    ("diagonal_points", diagonal_points, (np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.3], [-0.4, 0.9, 1.1]]), np.linspace(-1.1, 1.2, 12).reshape(3, 4))),
    ("nonfinite_literals", nonfinite_literals, (np.array([0.3, -0.2, 0.7, 1.1]), np.array([0.1, 0.4, -0.5, 0.2]))),
    ("rounding_roots", rounding_roots, (np.array([0.3, -0.2, 0.7, 1.1]), np.array([0.1, 0.4, -0.5, 0.2]))),
    ("clamp_round_rem", clamp_round_rem, (np.array([0.3, -0.6, 0.7, 1.7]), np.array([0.1, 0.4, -0.5, 0.2]), np.array([0.5, 1.5, -2.5, 2.0]))),
    ("cumulative_scans", cumulative_scans, (np.array([0.5, -1.2, 0.0, 2.0, 1.5]), np.array([[0.3, 0.3, 0.3, 0.3], [0.1, -0.4, 0.7, 0.7], [0.2, 0.9, -0.1, 0.7]]))),
    ("arg_extremes", arg_extremes, (np.array([0.5, 1.2, -0.3, 1.2]), np.array([[0.3, -0.2, 0.3, 0.8], [0.1, -0.4, 0.7, 0.2], [0.2, 0.9, -0.1, 0.7]]))),
    ("sort_median", sort_median, (np.array([0.5, 1.2, -0.3, 1.2, 0.1]), np.array([[0.3, -0.2, 0.3, 0.8], [0.1, -0.4, 0.7, 0.2], [0.2, 0.9, -0.1, 0.7]]))),
    ("runtime_gather", runtime_gather, (np.array([0.5, 1.2, -0.3, 0.8]), np.array([[0.3, -0.2, 0.3, 0.8], [0.1, -0.4, 0.7, 0.2], [0.2, 0.9, -0.1, 0.7]]))),
    ("cumulative_logsumexp", cumulative_logsumexp, (np.array([0.5, -1.2, 0.5, 2.0, 0.5]), np.array([[0.3, 0.3, 0.3, 0.3], [0.1, -0.4, 0.7, 0.7], [0.2, 0.9, -0.1, 0.7]]))),
    ("runtime_scatter", runtime_scatter, (np.array([0.5, -1.2, 0.7, 2.0]), np.array([0.3, -0.4, 0.9, 0.1]), np.linspace(-1.0, 1.0, 12).reshape(4, 3))),
    ("argsort_rank", argsort_rank, (np.array([0.5, -1.2, 0.7, 2.0]), np.array([0.3, -0.1, 0.3, 0.8]))),
    ("cond_guarded", cond_guarded, (np.array([-0.5, 0.3, -0.2]), np.array([0.4, -0.1, 0.3]))),
    ("cond_switch", cond_switch, (np.array([-0.3, 0.9, 0.5]), np.array([0.2, 0.7, -0.4]))),
    ("interp_search", interp_search, (np.array([-0.5, 0.3, 1.5, 2.7, 1.0]), np.array([0.0, 1.0, 2.0]))),
    ("scatter_set_add", scatter_set_add, (V3, np.array([0.1, 0.4, 0.2]), np.array([[0.5, 1.5, -0.7], [1.2, 0.8, 0.0]]))),
    ("scan_rnn", scan_rnn, (V3, np.linspace(-0.5, 0.6, 12).reshape(4, 3), np.array([[0.5, -0.2, 0.1], [0.3, 0.4, -0.6], [0.2, 0.1, 0.9]]))),
    ("scan_reverse", scan_reverse, (np.array(0.4), np.array([0.9, 1.1, -0.3, 0.5, 0.7]))),
    ("fori_integrator", fori_integrator, (np.array([0.8, -0.1]),)),
    ("nested", nested, (np.array([0.2, -0.3]), np.array([[0.1, 0.4], [-0.6, 0.2], [0.3, -0.1]]))),
    ("long_where_scan", long_where_scan, (np.array(0.1), np.sin(np.arange(160) * 0.7) * 0.5)),
    (
        "rnn_step",
        rnn_step,
        (
            np.array([0.1, -0.2, 0.3, 0.0]),
            np.linspace(-1.0, 1.0, 18).reshape(6, 3),
            np.linspace(-0.4, 0.5, 16).reshape(4, 4),
            np.linspace(0.3, -0.3, 12).reshape(4, 3),
            np.array([0.05, -0.05, 0.1, 0.0]),
        ),
    ),
    ("leaky_clip", leaky_clip, (np.array([0.3, -0.8, 0.5, 1.2, -0.1]), np.linspace(-0.9, 1.1, 30).reshape(6, 5))),
    ("damped_oscillator", damped_oscillator, (np.array([1.0, 0.0]), np.array([4.0, 0.3]))),
    ("while_counter", while_counter, (np.array([0.3, -0.6, 1.1]), np.array([0.9, 1.4, -0.5]))),
    ("cholesky_solve", cholesky_solve, (np.array([[0.9, 0.2, -0.3], [0.1, 1.1, 0.4], [-0.5, 0.3, 0.8]]), np.array([0.4, -1.0, 0.6]))),
    (
        "triangular_solves",
        triangular_solves,
        (
            np.array([[1.5, 0.3, -0.4], [0.2, -1.2, 0.7], [-0.6, 0.5, 0.9]]),
            np.array([0.4, -1.0, 0.6]),
            np.array([[0.3, -0.2], [1.1, 0.5], [-0.7, 0.9]]),
        ),
    ),
    ("linear_solve", linear_solve, (np.array([[0.2, 1.1, -0.4], [-1.3, 0.5, 0.8], [0.9, -0.7, 0.6]]), np.array([0.4, -1.0, 0.6]))),
    ("lu_factor_solve", lu_factor_solve, (np.array([[0.2, 1.1, -0.4], [-1.3, 0.5, 0.8], [0.9, -0.7, 0.6]]), np.array([0.4, -1.0, 0.6]))),
    (
        "determinants",
        determinants,
        (
            np.array([[0.2, 1.1, -0.4, 0.3], [-1.3, 0.5, 0.8, 0.1], [0.9, -0.7, 0.6, -0.5], [0.4, 0.2, -1.1, 0.7]]),
            np.array([[0.9, 0.2, -0.3], [0.1, -1.1, 0.4], [-0.5, 0.3, 0.8]]),
            np.array([0.4, -1.0, 0.6]),
        ),
    ),
    (
        "qr_decomposition",
        qr_decomposition,
        (
            np.array([[0.2, 1.1, -0.4], [-1.3, 0.5, 0.8], [0.9, -0.7, 0.6], [0.4, 0.2, -1.1]]),
            np.array([[0.9, 0.2, -0.3], [0.1, -1.1, 0.4], [-0.5, 0.3, 0.8]]),
        ),
    ),
    (
        "tridiagonal",
        tridiagonal,
        (
            np.array([0.0, 0.3, -0.2, 0.5]),
            np.array([2.0, -3.0, 2.5, 1.7]),
            np.array([0.4, 0.1, -0.6, 0.0]),
            np.array([[1.0, 0.5], [-0.3, 2.0], [0.7, 0.1], [1.2, -0.4]]),
        ),
    ),
    (
        "matrix_solve",
        matrix_solve,
        (
            np.array([[0.2, 1.1, -0.4], [-1.3, 0.5, 0.8], [0.9, -0.7, 0.6]]),
            np.array([[0.3, -1.0], [0.5, 0.2], [1.1, 0.4]]),
            np.array([[1.1, 0.1, 0.2], [0.1, 0.9, 0.1], [0.2, 0.1, 1.3]]),
            np.array([[0.5, -0.3, 0.8], [0.2, 0.7, -0.1]]),
        ),
    ),
    ("pairwise_energy", pairwise_energy, (np.array([[0.0, 0.1, 0.2], [1.1, 0.0, -0.1], [0.2, 1.2, 0.1], [1.0, 1.1, 0.9]]), np.array([0.9, 1.2]))),
    ("attention_heads", attention_heads, (np.linspace(-1.0, 1.0, 12).reshape(3, 4), np.sin(np.arange(12.0)).reshape(3, 4), np.cos(np.arange(12.0)).reshape(3, 4))),
    ("rank3_reindexing", rank3_reindexing, (np.sin(np.arange(24.0) * 0.7), np.cos(np.arange(24.0) * 0.3))),
    ("boundary_shapes", boundary_shapes, (np.sin(np.arange(24.0) * 0.7).reshape(2, 3, 4), np.cos(np.arange(12.0) * 0.9).reshape(2, 1, 3, 2), np.linspace(-0.8, 0.9, 8).reshape(4, 2))),
    ("take_along", take_along, (np.sin(np.arange(12.0)).reshape(3, 4), np.cos(np.arange(12.0) * 1.3).reshape(3, 4))),
    ("convolutions", convolutions, (np.array([0.5, -1.2, 0.7, 2.0, 0.1, -0.4, 0.9, 1.3, -0.8]), np.array([0.3, -0.5, 0.8]))),
    ("gaussian_logpdf", gaussian_logpdf, (np.array([0.5, -0.3, 1.2]), np.array([0.1, 0.2, -0.1]), np.array([[0.9, 0.2, -0.3], [0.1, 1.1, 0.4], [-0.5, 0.3, 0.8]]))),
    ("special_functions", special_functions, (np.array([0.15, 0.4, 0.65, 0.9]), np.array([0.3, -0.7, 0.9, 0.5]), np.array([0.2, -0.4, 0.6, 1.0]))),
    ("narrow_floats", narrow_floats, (np.sin(np.arange(6.0) * 1.1) * 3.0 + 0.01, np.cos(np.arange(6.0) * 0.7) * 0.9)),
    ("integer_widths", integer_widths, (np.linspace(-2.9, 2.9, 6) + 0.013,)),
]
TWINS = {
    "scan_rnn": scan_rnn_loop,
    "scan_reverse": scan_reverse_loop,
    "fori_integrator": fori_integrator_loop,
    "nested": nested_loop,
    "while_counter": while_counter_loop,
    "tridiagonal": tridiagonal_loop,
}
REFUSED = [("while_tolerance", while_tolerance, (V3,))]
# Programs jax.jacrev cannot differentiate: their Jacobian is jax.jacrev of their twin.
JACOBIAN_FROM_TWIN = {"while_counter", "tridiagonal"}


def flat_outputs(fn, args):
    out = fn(*args)
    return list(out) if isinstance(out, (tuple, list)) else [out]


def entry(fn, args, differentiate=None):
    """`differentiate`: the function jax.jacrev differentiates in fn's place (fn's twin)."""
    outputs = flat_outputs(fn, args)
    g = differentiate or fn
    jac = jax.jacrev(lambda *a: tuple(flat_outputs(g, a)), argnums=tuple(range(len(args))))(*args)
    return {
        "input_shapes": [list(np.shape(a)) for a in args],
        "output_shapes": [list(np.shape(o)) for o in outputs],
        "points": [
            {
                "label": "sample point of make-fixtures.py",
                "any_nonfinite": False,
                "inputs": [np.asarray(a).tolist() for a in args],
                "outputs": [np.asarray(o).tolist() for o in outputs],
                "jacobian_jacrev[out][in]": [[np.asarray(b).tolist() for b in row] for row in jac],
            }
        ],
    }


def write_jaxpr(name, fn, args):
    # A custom_vjp's jvp_jaxpr_thunk prints its memory address: written as 0x0, so runs agree.
    text = re.sub(r" at 0x[0-9a-f]+>", " at 0x0>", str(jax.make_jaxpr(fn)(*args)))
    with open(os.path.join(HERE, f"{name}.jaxpr"), "w") as f:
        f.write(text + "\n")


def main():
    if jax.__version__ != PINNED_JAX:
        raise SystemExit(f"make-fixtures: jax {jax.__version__}, pinned {PINNED_JAX} (Ops/python-requirements.txt)")
    tasks = {}
    for name, fn, args in PROGRAMS:
        args = tuple(jnp.asarray(a, dtype=jnp.float64) for a in args)
        write_jaxpr(name, fn, args)
        tasks[name] = entry(fn, args, TWINS[name] if name in JACOBIAN_FROM_TWIN else None)
        if name in TWINS:
            twin = TWINS[name]
            write_jaxpr(name + "_loop", twin, args)
            tasks[name + "_loop"] = entry(twin, args)
    for name, fn, args in REFUSED:
        write_jaxpr(name, fn, tuple(jnp.asarray(a, dtype=jnp.float64) for a in args))
    values = {
        "jax_version": jax.__version__,
        "dtype": "float64",
        "twins": {name: name + "_loop" for name in TWINS},
        "refused": [name for name, _, _ in REFUSED],
        "tasks": tasks,
    }
    with open(os.path.join(HERE, "values.json"), "w") as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
