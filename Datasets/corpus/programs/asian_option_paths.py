"""Arithmetic Asian call on six given Gaussian paths of five geometric-Brownian steps (the draws are inputs)."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "train"
# spot, strike, rate, volatility, normal draws (6 paths x 5 steps)
INPUTS = [((), 95.0, 105.0), ((), 95.0, 105.0), ((), 0.01, 0.05), ((), 0.15, 0.3), ((6, 5), -2.0, 2.0)]


def fn(s0, k, r, sigma, z):
    dt = 0.2
    drift = (r - 0.5 * sigma * sigma) * dt
    shock = sigma * jnp.sqrt(dt)
    s = s0 * jnp.exp(drift + shock * z[:, 0])
    total = s
    for j in range(1, 5):
        s = s * jnp.exp(drift + shock * z[:, j])
        total = total + s
    payoff = jnp.maximum(total / 5.0 - k, 0.0)
    return (jnp.exp(-r) * jnp.mean(payoff),)
