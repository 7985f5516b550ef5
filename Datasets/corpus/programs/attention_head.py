"""Two-head scaled dot-product self-attention over four tokens of width 6: output projection, residual, layer norm."""
import jax.numpy as jnp
from jax import lax

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((4, 6), -1.0, 1.0)] + [((6, 3), -0.5, 0.5)] * 6 + [((6, 6), -0.5, 0.5)]


def head(x, wq, wk, wv):
    q, k, v = x @ wq, x @ wk, x @ wv
    scores = (q @ k.T) * 0.5773502691896258   # 1 / sqrt(head width)
    shifted = scores - lax.stop_gradient(jnp.max(scores, axis=1, keepdims=True))
    e = jnp.exp(shifted)
    return (e / jnp.sum(e, axis=1, keepdims=True)) @ v


def fn(x, wq1, wk1, wv1, wq2, wk2, wv2, wo):
    heads = jnp.concatenate([head(x, wq1, wk1, wv1), head(x, wq2, wk2, wv2)], axis=1)
    y = x + heads @ wo
    mean = jnp.mean(y, axis=1, keepdims=True)
    centred = y - mean
    var = jnp.mean(centred * centred, axis=1, keepdims=True)
    return (centred / jnp.sqrt(var + 1e-5),)
