"""Sparse autoencoder 10 -> 6 -> 2 -> 6 -> 10 with softplus activations: reconstruction, and error plus sparsity and weight penalties."""
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((10,), -1.0, 1.0), ((10, 6), -0.5, 0.5), ((6, 2), -0.5, 0.5), ((2, 6), -0.5, 0.5), ((6, 10), -0.5, 0.5),
          ((6,), -0.1, 0.1), ((2,), -0.1, 0.1), ((6,), -0.1, 0.1), ((10,), -0.1, 0.1)]


def softplus(z):
    return jnp.log1p(jnp.exp(z))


def fn(x, w1, w2, w3, w4, b1, b2, b3, b4):
    h = softplus(x @ w1 + b1)
    code = softplus(h @ w2 + b2)
    h = softplus(code @ w3 + b3)
    recon = h @ w4 + b4
    err = recon - x
    rho = code / (1.0 + code)
    sparsity = jnp.sum(0.1 * jnp.log(0.1 / rho) + 0.9 * jnp.log(0.9 / (1.0 - rho)))
    decay = jnp.sum(w1 * w1) + jnp.sum(w4 * w4)
    return recon, jnp.sum(err * err) + 0.1 * sparsity + 1e-3 * decay, code
