"""One RK4 step of the 1-D Brusselator reaction-diffusion system on a periodic ring of 6 cells."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# u, v, a, b, dt
INPUTS = [((6,), 0.8, 1.2), ((6,), 2.5, 3.5), ((), 0.9, 1.1), ((), 2.8, 3.2), ((), 0.01, 0.03)]


def rhs(u, v, a, b):
    lap_u = jnp.roll(u, 1) + jnp.roll(u, -1) - 2.0 * u
    lap_v = jnp.roll(v, 1) + jnp.roll(v, -1) - 2.0 * v
    uuv = u * u * v
    return a - (b + 1.0) * u + uuv + 0.1 * lap_u, b * u - uuv + 0.05 * lap_v


def fn(u, v, a, b, dt):
    k1u, k1v = rhs(u, v, a, b)
    k2u, k2v = rhs(u + 0.5 * dt * k1u, v + 0.5 * dt * k1v, a, b)
    k3u, k3v = rhs(u + 0.5 * dt * k2u, v + 0.5 * dt * k2v, a, b)
    k4u, k4v = rhs(u + dt * k3u, v + dt * k3v, a, b)
    u = u + dt / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u)
    v = v + dt / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return u, v
