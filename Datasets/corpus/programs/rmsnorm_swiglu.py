"""Two weight-shared RMSNorm + SwiGLU feed-forward blocks with residual connections, on four tokens of width eight."""
import jax
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "heldout"
# tokens (4 x 8), norm gain (8), gate and up projections (8 x 12), down projection (12 x 8)
INPUTS = [((4, 8), -1.0, 1.0), ((8,), 0.8, 1.2), ((8, 12), -0.3, 0.3), ((8, 12), -0.3, 0.3), ((12, 8), -0.3, 0.3)]


def block(x, g, wg, wu, wd):
    ms = jnp.mean(x * x, axis=1, keepdims=True)
    h = x / jnp.sqrt(ms + 1e-6) * g
    gate = jnp.dot(h, wg)
    up = jnp.dot(h, wu)
    act = gate * jax.nn.sigmoid(gate) * up
    return x + jnp.dot(act, wd)


def fn(x, g, wg, wu, wd):
    return (block(block(x, g, wg, wu, wd), g, wg, wu, wd),)
