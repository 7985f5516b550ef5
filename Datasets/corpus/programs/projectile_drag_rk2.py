"""Four midpoint (RK2) steps of a projectile with quadratic air drag in the vertical plane."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# x, y, vx, vy, drag coefficient, dt
INPUTS = [((), 0.0, 0.1), ((), 0.0, 0.1), ((), 5.0, 8.0), ((), 5.0, 8.0), ((), 0.01, 0.05), ((), 0.05, 0.1)]


def rhs(x, y, vx, vy, k):
    speed = jnp.sqrt(vx * vx + vy * vy)
    return vx, vy, -k * speed * vx, -9.81 - k * speed * vy


def fn(x, y, vx, vy, k, dt):
    s = (x, y, vx, vy)
    for _ in range(4):
        d1 = rhs(*s, k)
        mid = tuple(s[i] + 0.5 * dt * d1[i] for i in range(4))
        d2 = rhs(*mid, k)
        s = tuple(s[i] + dt * d2[i] for i in range(4))
    return s
