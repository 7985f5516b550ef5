"""Chebyshev series of degree 9 and its derivative series at two points (Clenshaw recurrence)."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# ten coefficients, then the two points
INPUTS = [((), -1.0, 1.0)] * 10 + [((), -0.9, 0.9)] * 2


def clenshaw(c, x):
    b1, b2 = 0.0, 0.0
    for ck in reversed(c[1:]):
        b1, b2 = ck + 2.0 * x * b1 - b2, b1
    return c[0] + x * b1 - b2


def fn(*args):
    c, xs = list(args[:10]), args[10:]
    # Coefficients of the derivative series: c'_{k-1} = c'_{k+1} + 2 k c_k.
    d = [0.0] * 11
    for k in range(9, 0, -1):
        d[k - 1] = d[k + 1] + 2.0 * k * c[k]
    d[0] = 0.5 * d[0]
    return tuple(clenshaw(c, x) for x in xs) + tuple(clenshaw(d[:9], x) for x in xs)
