"""Analytic inverse kinematics of a two-link arm (elbow down) and the elbow position it implies."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "heldout"
# target x, target y, link lengths
INPUTS = [((), 0.6, 0.9), ((), 0.3, 0.6), ((), 0.6, 0.7), ((), 0.5, 0.6)]


def fn(px, py, l1, l2):
    r2 = px * px + py * py
    c2 = (r2 - l1 * l1 - l2 * l2) / (2.0 * l1 * l2)
    q2 = jnp.arccos(c2)
    k1 = l1 + l2 * jnp.cos(q2)
    k2 = l2 * jnp.sin(q2)
    q1 = jnp.arctan2(py, px) - jnp.arctan2(k2, k1)
    ex, ey = l1 * jnp.cos(q1), l1 * jnp.sin(q1)
    # Residual of the forward kinematics (zero up to rounding), to keep the loop closed.
    fx = ex + l2 * jnp.cos(q1 + q2) - px
    fy = ey + l2 * jnp.sin(q1 + q2) - py
    return q1, q2, ex, ey, fx * fx + fy * fy
