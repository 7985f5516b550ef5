"""Elman RNN unrolled over four time steps (3 features, 5 hidden units) with a linear read-out of the last state."""
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((4, 3), -1.0, 1.0), ((5,), -0.5, 0.5), ((3, 5), -0.5, 0.5), ((5, 5), -0.5, 0.5), ((5,), -0.1, 0.1), ((5, 2), -0.5, 0.5)]


def fn(xs, h, w, u, b, v):
    for t in range(4):
        h = jnp.tanh(xs[t] @ w + h @ u + b)
    return (h @ v,)
