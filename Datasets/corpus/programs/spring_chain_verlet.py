"""Three velocity-Verlet steps of a chain of 10 masses joined by nonlinear (cubic) springs, ends fixed."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "heldout"
INPUTS = [((10,), -0.2, 0.2), ((10,), -0.5, 0.5), ((), 0.8, 1.2), ((), 0.05, 0.1)]


def force(x, k):
    padded = jnp.concatenate([x[:1] * 0.0, x, x[:1] * 0.0])
    left = padded[1:-1] - padded[:-2]
    right = padded[2:] - padded[1:-1]
    return k * (right - left) + 0.5 * (right ** 3 - left ** 3)


def fn(x, v, k, dt):
    a = force(x, k)
    for _ in range(3):
        v = v + 0.5 * dt * a
        x = x + dt * v
        a = force(x, k)
        v = v + 0.5 * dt * a
    return x, v
