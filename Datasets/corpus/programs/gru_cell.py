"""One GRU cell update (reset and update gates) with input width 4 and hidden width 6."""
import jax.numpy as jnp
import jax

DOMAIN = "ml"
SPLIT = "heldout"
INPUTS = [((4,), -1.0, 1.0), ((6,), -1.0, 1.0)] + [((4, 6), -0.5, 0.5), ((6, 6), -0.5, 0.5), ((6,), -0.1, 0.1)] * 3


def fn(x, h, wz, uz, bz, wr, ur, br, wh, uh, bh):
    z = jax.nn.sigmoid(x @ wz + h @ uz + bz)
    r = jax.nn.sigmoid(x @ wr + h @ ur + br)
    cand = jnp.tanh(x @ wh + (r * h) @ uh + bh)
    return ((1.0 - z) * h + z * cand,)
