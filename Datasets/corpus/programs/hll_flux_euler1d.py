"""HLL approximate Riemann flux of the 1-D Euler equations (ideal gas), left/right primitive states."""
import jax.numpy as jnp

DOMAIN = "physics"
SPLIT = "train"
# Sample point: (shape, low, high) per argument, drawn by Ops/make-corpus.
INPUTS = [((), 0.9, 1.1), ((), 0.1, 0.3), ((), 0.9, 1.1), ((), 0.4, 0.6), ((), -0.1, 0.1), ((), 0.4, 0.6)]


def fn(rl, ul, pl, rr, ur, pr):
    g = 1.4
    el = pl / (g - 1.0) + 0.5 * rl * ul * ul
    er = pr / (g - 1.0) + 0.5 * rr * ur * ur
    cl = jnp.sqrt(g * pl / rl)
    cr = jnp.sqrt(g * pr / rr)
    sl = jnp.minimum(ul - cl, ur - cr)
    sr = jnp.maximum(ul + cl, ur + cr)
    fl = (rl * ul, rl * ul * ul + pl, ul * (el + pl))
    fr = (rr * ur, rr * ur * ur + pr, ur * (er + pr))
    ql = (rl, rl * ul, el)
    qr = (rr, rr * ur, er)
    return tuple((sr * fl[i] - sl * fr[i] + sl * sr * (qr[i] - ql[i])) / (sr - sl) for i in range(3))
