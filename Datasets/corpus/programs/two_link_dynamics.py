"""Forward dynamics of a planar two-link arm (mass matrix, Coriolis, gravity, PD control), four semi-implicit Euler steps."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
# q1, q2, dq1, dq2, link masses (2), link lengths (2), gains kp, kd, targets (2), dt
INPUTS = [((), -0.5, 0.5), ((), -0.5, 0.5), ((), -0.2, 0.2), ((), -0.2, 0.2), ((), 1.0, 2.0), ((), 0.5, 1.5),
          ((), 0.4, 0.6), ((), 0.3, 0.5), ((), 20.0, 40.0), ((), 2.0, 6.0), ((), -0.3, 0.3), ((), -0.3, 0.3), ((), 0.005, 0.01)]


def fn(q1, q2, dq1, dq2, m1, m2, l1, l2, kp, kd, t1, t2, dt):
    g = 9.81
    for _ in range(4):
        c2, s2 = jnp.cos(q2), jnp.sin(q2)
        # Uniform rods: centre of mass at half length, inertia m l^2 / 12 about it.
        i1, i2 = m1 * l1 * l1 / 12.0, m2 * l2 * l2 / 12.0
        lc1, lc2 = 0.5 * l1, 0.5 * l2
        m11 = i1 + i2 + m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2.0 * l1 * lc2 * c2)
        m12 = i2 + m2 * (lc2 * lc2 + l1 * lc2 * c2)
        m22 = i2 + m2 * lc2 * lc2
        h = m2 * l1 * lc2 * s2
        cor1 = -h * (2.0 * dq1 * dq2 + dq2 * dq2)
        cor2 = h * dq1 * dq1
        g1 = (m1 * lc1 + m2 * l1) * g * jnp.cos(q1) + m2 * lc2 * g * jnp.cos(q1 + q2)
        g2 = m2 * lc2 * g * jnp.cos(q1 + q2)
        tau1 = kp * (t1 - q1) - kd * dq1 + g1
        tau2 = kp * (t2 - q2) - kd * dq2 + g2
        r1, r2 = tau1 - cor1 - g1, tau2 - cor2 - g2
        det = m11 * m22 - m12 * m12
        ddq1 = (m22 * r1 - m12 * r2) / det
        ddq2 = (m11 * r2 - m12 * r1) / det
        dq1, dq2 = dq1 + dt * ddq1, dq2 + dt * ddq2
        q1, q2 = q1 + dt * dq1, q2 + dt * dq2
    return q1, q2, dq1, dq2
