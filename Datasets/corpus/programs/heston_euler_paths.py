"""Full-truncation Euler steps of the Heston model for six paths and the discounted mean call payoff."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "heldout"
# log-price increments' normals (6 paths x 4 steps), variance normals (6 x 4), s0, v0, kappa, theta, xi, rho, r, strike
INPUTS = [((6, 4), -2.0, 2.0), ((6, 4), -2.0, 2.0), ((), 90.0, 110.0), ((), 0.02, 0.06), ((), 1.0, 3.0),
          ((), 0.02, 0.06), ((), 0.2, 0.5), ((), -0.8, -0.3), ((), 0.0, 0.05), ((), 95.0, 105.0)]

DT = 0.25


def fn(z1, z2, s0, v0, kappa, theta, xi, rho, r, strike):
    logs = jnp.log(s0) + z1[:, 0] * 0.0
    v = v0 + z1[:, 0] * 0.0
    for k in range(4):
        vp = jnp.maximum(v, 0.0)
        sq = jnp.sqrt(vp * DT + 1e-12)
        w = rho * z1[:, k] + jnp.sqrt(1.0 - rho * rho) * z2[:, k]
        logs = logs + (r - 0.5 * vp) * DT + sq * z1[:, k]
        v = v + kappa * (theta - vp) * DT + xi * sq * w
    payoff = jnp.maximum(jnp.exp(logs) - strike, 0.0)
    return jnp.exp(-r) * jnp.mean(payoff), jnp.mean(v)
