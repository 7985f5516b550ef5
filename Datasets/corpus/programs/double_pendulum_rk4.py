"""Two RK4 steps of the frictionless double pendulum (point masses on massless rods), masses and lengths as inputs."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# angle 1, angle 2, rate 1, rate 2, mass 1, mass 2, length 1, length 2, dt
INPUTS = [((), -1.0, 1.0), ((), -1.0, 1.0), ((), -0.5, 0.5), ((), -0.5, 0.5), ((), 0.8, 1.2), ((), 0.8, 1.2),
          ((), 0.8, 1.2), ((), 0.8, 1.2), ((), 0.01, 0.02)]


def rhs(s, c):
    a1, a2, w1, w2 = s
    m2, l1, l2, total, twice, g_twice, g_m2, g_total, l1_total, l2_m2 = c
    d = a1 - a2
    sd, cd = jnp.sin(d), jnp.cos(d)
    den = twice - m2 * jnp.cos(2.0 * d)
    acc1 = (-g_twice * jnp.sin(a1) - g_m2 * jnp.sin(a1 - 2.0 * a2) - 2.0 * sd * m2 * (w2 * w2 * l2 + w1 * w1 * l1 * cd)) / (l1 * den)
    acc2 = 2.0 * sd * (w1 * w1 * l1_total + g_total * jnp.cos(a1) + w2 * w2 * l2_m2 * cd) / (l2 * den)
    return w1, w2, acc1, acc2


def fn(a1, a2, w1, w2, m1, m2, l1, l2, dt):
    g = 9.81
    # Parameter combinations, computed once.
    total, twice = m1 + m2, 2.0 * m1 + m2
    c = (m2, l1, l2, total, twice, g * twice, g * m2, g * total, l1 * total, l2 * m2)
    s = (a1, a2, w1, w2)
    for _ in range(2):
        k1 = rhs(s, c)
        k2 = rhs(tuple(s[i] + 0.5 * dt * k1[i] for i in range(4)), c)
        k3 = rhs(tuple(s[i] + 0.5 * dt * k2[i] for i in range(4)), c)
        k4 = rhs(tuple(s[i] + dt * k3[i] for i in range(4)), c)
        s = tuple(s[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) for i in range(4))
    return s
