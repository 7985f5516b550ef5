"""Two SSP-RK3 steps of a forced, damped Duffing oscillator."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "heldout"
# position, velocity, damping, linear and cubic stiffness, forcing amplitude and frequency, time, step
INPUTS = [((), -1.0, 1.0), ((), -1.0, 1.0), ((), 0.1, 0.3), ((), -1.0, 1.0), ((), 0.5, 1.5), ((), 0.2, 0.5),
          ((), 0.8, 1.4), ((), 0.0, 1.0), ((), 0.05, 0.1)]


def rhs(x, v, t, delta, alpha, beta, gamma, omega):
    return v, gamma * jnp.cos(omega * t) - delta * v - alpha * x - beta * x * x * x


def fn(x, v, delta, alpha, beta, gamma, omega, t, h):
    p = (delta, alpha, beta, gamma, omega)
    for _ in range(2):
        k1x, k1v = rhs(x, v, t, *p)
        x1, v1 = x + h * k1x, v + h * k1v
        k2x, k2v = rhs(x1, v1, t + h, *p)
        x2 = 0.75 * x + 0.25 * (x1 + h * k2x)
        v2 = 0.75 * v + 0.25 * (v1 + h * k2v)
        k3x, k3v = rhs(x2, v2, t + 0.5 * h, *p)
        x = x / 3.0 + 2.0 / 3.0 * (x2 + h * k3x)
        v = v / 3.0 + 2.0 / 3.0 * (v2 + h * k3v)
        t = t + h
    return x, v
