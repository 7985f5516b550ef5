"""One kick-drift-kick leapfrog step of three softened gravitating bodies in the plane."""
import jax.numpy as jnp

DOMAIN = "physics"
SPLIT = "train"
# x1 y1 x2 y2 x3 y3, vx1 vy1 vx2 vy2 vx3 vy3, m1 m2 m3, dt
INPUTS = [((), -1.0, 1.0)] * 6 + [((), -0.3, 0.3)] * 6 + [((), 0.5, 1.5)] * 3 + [((), 0.01, 0.05)]


def accelerations(p, m):
    acc = []
    for i in range(3):
        ax, ay = 0.0, 0.0
        for j in range(3):
            if i == j:
                continue
            dx, dy = p[2 * j] - p[2 * i], p[2 * j + 1] - p[2 * i + 1]
            r2 = dx * dx + dy * dy + 0.01
            inv = m[j] / (r2 * jnp.sqrt(r2))
            ax, ay = ax + inv * dx, ay + inv * dy
        acc += [ax, ay]
    return acc


def fn(*args):
    p, v, m, dt = list(args[0:6]), list(args[6:12]), args[12:15], args[15]
    a = accelerations(p, m)
    v = [v[k] + 0.5 * dt * a[k] for k in range(6)]
    p = [p[k] + dt * v[k] for k in range(6)]
    a = accelerations(p, m)
    v = [v[k] + 0.5 * dt * a[k] for k in range(6)]
    return tuple(p + v)
