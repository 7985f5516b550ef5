"""Alpha-beta tracking filter over eight position measurements; final estimate and residual energy."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "train"
# alpha, beta, initial position, initial velocity, dt, eight measurements
INPUTS = [((), 0.3, 0.6), ((), 0.05, 0.2), ((), -0.1, 0.1), ((), 0.8, 1.2), ((), 0.09, 0.11)] + [((), 0.0, 1.0)] * 8


def fn(alpha, beta, x, v, dt, *zs):
    energy = 0.0
    for z in zs:
        x = x + dt * v
        r = z - x
        x = x + alpha * r
        v = v + beta / dt * r
        energy = energy + r * r
    return x, v, energy
