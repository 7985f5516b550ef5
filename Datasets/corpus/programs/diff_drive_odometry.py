"""Dead reckoning of a differential-drive robot over six wheel-speed samples (midpoint heading)."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
# x, y, heading, wheel radius, axle length, dt, six left and six right wheel speeds
INPUTS = [((), -0.5, 0.5), ((), -0.5, 0.5), ((), -1.0, 1.0), ((), 0.04, 0.06), ((), 0.25, 0.35), ((), 0.05, 0.1)] + [((), 1.0, 3.0)] * 12


def fn(x, y, th, r, b, dt, *wheels):
    left, right = wheels[:6], wheels[6:]
    for wl, wr in zip(left, right):
        v = 0.5 * r * (wl + wr)
        w = r * (wr - wl) / b
        mid = th + 0.5 * dt * w
        x = x + dt * v * jnp.cos(mid)
        y = y + dt * v * jnp.sin(mid)
        th = th + dt * w
    return x, y, th
