"""Two explicit steps of the Gray-Scott reaction-diffusion system on twelve cells with no-flux (mirrored) ends."""
import jax.numpy as jnp

DOMAIN = "physics"
SPLIT = "heldout"
# u (12), v (12), feed rate, kill rate, time step
INPUTS = [((12,), 0.3, 1.0), ((12,), 0.0, 0.3), ((), 0.02, 0.06), ((), 0.05, 0.07), ((), 0.2, 0.5)]

DU, DV = 0.2, 0.1


def laplacian(a):
    padded = jnp.concatenate([a[1:2], a, a[-2:-1]])
    return padded[:-2] - 2.0 * a + padded[2:]


def fn(u, v, feed, kill, dt):
    for _ in range(2):
        uvv = u * v * v
        u = u + dt * (DU * laplacian(u) - uvv + feed * (1.0 - u))
        v = v + dt * (DV * laplacian(v) + uvv - (feed + kill) * v)
    return u, v
