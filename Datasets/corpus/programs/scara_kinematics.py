"""Forward kinematics of a SCARA arm (two revolute links, a prismatic axis, a wrist) and the tool's planar velocity."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "heldout"
# joint angles q1, q2, prismatic d3, wrist q4, link lengths l1, l2, joint rates w1, w2, w4, tool offset
INPUTS = [((), -1.5, 1.5), ((), -1.5, 1.5), ((), 0.0, 0.2), ((), -3.0, 3.0), ((), 0.3, 0.5), ((), 0.2, 0.4),
          ((), -1.0, 1.0), ((), -1.0, 1.0), ((), -1.0, 1.0), ((), 0.05, 0.1)]


def fn(q1, q2, d3, q4, l1, l2, w1, w2, w4, off):
    c1, s1 = jnp.cos(q1), jnp.sin(q1)
    c12, s12 = jnp.cos(q1 + q2), jnp.sin(q1 + q2)
    c124, s124 = jnp.cos(q1 + q2 + q4), jnp.sin(q1 + q2 + q4)
    x = l1 * c1 + l2 * c12 + off * c124
    y = l1 * s1 + l2 * s12 + off * s124
    z = 0.4 - d3
    phi = q1 + q2 + q4
    # Velocity: J(q) qdot, columns by hand.
    j11 = -l1 * s1 - l2 * s12 - off * s124
    j12 = -l2 * s12 - off * s124
    j14 = -off * s124
    j21 = l1 * c1 + l2 * c12 + off * c124
    j22 = l2 * c12 + off * c124
    j24 = off * c124
    vx = j11 * w1 + j12 * w2 + j14 * w4
    vy = j21 * w1 + j22 * w2 + j24 * w4
    manip = jnp.abs(j11 * j22 - j12 * j21)
    return x, y, z, phi, vx, vy, manip
