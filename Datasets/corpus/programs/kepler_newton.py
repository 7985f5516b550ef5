"""Kepler's equation M = E - e sin E solved by six Newton iterations; orbit position and speed."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# mean anomaly, eccentricity, semi-major axis, gravitational parameter
INPUTS = [((), 0.5, 2.5), ((), 0.1, 0.5), ((), 1.0, 2.0), ((), 0.8, 1.2)]


def fn(m, e, a, mu):
    big_e = m + e * jnp.sin(m)
    for _ in range(6):
        big_e = big_e - (big_e - e * jnp.sin(big_e) - m) / (1.0 - e * jnp.cos(big_e))
    x = a * (jnp.cos(big_e) - e)
    y = a * jnp.sqrt(1.0 - e * e) * jnp.sin(big_e)
    r = jnp.sqrt(x * x + y * y)
    speed = jnp.sqrt(mu * (2.0 / r - 1.0 / a))
    return x, y, speed
