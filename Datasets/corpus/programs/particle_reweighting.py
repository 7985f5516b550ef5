"""Particle-filter measurement update: Gaussian likelihood weights, normalisation, posterior mean, variance and ESS."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "train"
# particles (12), prior log-weights (12), measurement, noise std
INPUTS = [((12,), -2.0, 2.0), ((12,), -0.5, 0.0), ((), -0.5, 0.5), ((), 0.5, 1.0)]


def fn(x, logw, z, sigma):
    loglik = -0.5 * ((z - x) / sigma) ** 2 + logw
    shifted = loglik - jax_stop(jnp.max(loglik))
    w = jnp.exp(shifted)
    w = w / jnp.sum(w)
    mean = jnp.sum(w * x)
    var = jnp.sum(w * (x - mean) ** 2)
    ess = 1.0 / jnp.sum(w * w)
    return mean, var, ess


def jax_stop(v):
    from jax import lax
    return lax.stop_gradient(v)
