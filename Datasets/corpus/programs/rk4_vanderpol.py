"""Three RK4 steps of the Van der Pol oscillator."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "heldout"
# x, v, mu, dt
INPUTS = [((), -2.0, 2.0), ((), -1.0, 1.0), ((), 0.5, 2.0), ((), 0.05, 0.1)]


def rhs(x, v, mu):
    return v, mu * (1.0 - x * x) * v - x


def fn(x, v, mu, dt):
    for _ in range(3):
        a1, b1 = rhs(x, v, mu)
        a2, b2 = rhs(x + 0.5 * dt * a1, v + 0.5 * dt * b1, mu)
        a3, b3 = rhs(x + 0.5 * dt * a2, v + 0.5 * dt * b2, mu)
        a4, b4 = rhs(x + dt * a3, v + dt * b3, mu)
        x = x + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
        v = v + dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
    return x, v
