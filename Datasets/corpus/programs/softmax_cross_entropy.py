"""Two-layer classifier (tanh hidden layer) with label-smoothed log-softmax cross-entropy; loss, probabilities, entropy."""
import jax.numpy as jnp
from jax import lax

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((8,), -1.0, 1.0), ((8, 6), -0.5, 0.5), ((6,), -0.1, 0.1), ((6, 5), -0.5, 0.5), ((5,), -0.1, 0.1), ((5,), 0.0, 1.0)]


def fn(x, w1, b1, w2, b2, target):
    logits = jnp.tanh(x @ w1 + b1) @ w2 + b2
    shifted = logits - lax.stop_gradient(jnp.max(logits))
    log_z = jnp.log(jnp.sum(jnp.exp(shifted)))
    log_p = shifted - log_z
    p = jnp.exp(log_p)
    t = 0.9 * target / jnp.sum(target) + 0.02
    return -jnp.sum(t * log_p), p, -jnp.sum(p * log_p)
