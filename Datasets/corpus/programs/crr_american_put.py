"""American put on a five-step Cox-Ross-Rubinstein binomial tree (early exercise by max)."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "train"
# spot, strike, maturity, rate, volatility
INPUTS = [((), 95.0, 105.0), ((), 98.0, 102.0), ((), 0.5, 1.0), ((), 0.02, 0.05), ((), 0.2, 0.3)]

STEPS = 5


def fn(s, k, t, r, sigma):
    dt = t / STEPS
    u = jnp.exp(sigma * jnp.sqrt(dt))
    d = 1.0 / u
    disc = jnp.exp(-r * dt)
    p = (jnp.exp(r * dt) - d) / (u - d)
    prices = [s * u ** (STEPS - 2 * j) for j in range(STEPS + 1)]
    values = [jnp.maximum(k - x, 0.0) for x in prices]
    for n in range(STEPS - 1, -1, -1):
        prices = [s * u ** (n - 2 * j) for j in range(n + 1)]
        values = [jnp.maximum(disc * (p * values[j] + (1.0 - p) * values[j + 1]), k - prices[j]) for j in range(n + 1)]
    return values[0], p
