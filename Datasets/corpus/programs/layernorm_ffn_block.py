"""Pre-norm transformer feed-forward block: layer norm over width 8, ReLU MLP 8 -> 16 -> 8, residual, four tokens."""
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((4, 8), -1.0, 1.0), ((8,), 0.8, 1.2), ((8,), -0.1, 0.1), ((8, 16), -0.4, 0.4), ((16,), -0.1, 0.1), ((16, 8), -0.4, 0.4)]


def fn(x, gamma, beta, w1, b1, w2):
    mean = jnp.mean(x, axis=1, keepdims=True)
    centred = x - mean
    var = jnp.mean(centred * centred, axis=1, keepdims=True)
    normed = centred / jnp.sqrt(var + 1e-5) * gamma + beta
    hidden = jnp.maximum(normed @ w1 + b1, 0.0)
    return (x + hidden @ w2,)
