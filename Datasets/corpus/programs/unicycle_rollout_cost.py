"""Trajectory cost of a unicycle driven by 8 speed and 8 turn-rate commands (a shooting-MPC objective)."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
# speeds (8), turn rates (8), goal x, goal y
INPUTS = [((8,), 0.5, 1.5), ((8,), -0.5, 0.5), ((), 1.0, 2.0), ((), 0.5, 1.5)]


def fn(v, w, gx, gy):
    x, y, th, effort = 0.0, 0.0, 0.0, 0.0
    dt = 0.2
    for k in range(8):
        th = th + dt * w[k]
        x = x + dt * v[k] * jnp.cos(th)
        y = y + dt * v[k] * jnp.sin(th)
        effort = effort + 0.01 * v[k] * v[k] + 0.1 * w[k] * w[k]
    miss = (x - gx) ** 2 + (y - gy) ** 2
    return miss + effort, x, y
