"""Three-link planar arm: end-effector pose, the 2x3 positional Jacobian and its manipulability."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
# three joint angles, three link lengths
INPUTS = [((), -1.5, 1.5)] * 3 + [((), 0.5, 1.0)] * 3


def fn(q1, q2, q3, l1, l2, l3):
    a1, a2, a3 = q1, q1 + q2, q1 + q2 + q3
    c = [jnp.cos(a1), jnp.cos(a2), jnp.cos(a3)]
    s = [jnp.sin(a1), jnp.sin(a2), jnp.sin(a3)]
    lx = [l1 * c[0], l2 * c[1], l3 * c[2]]
    ly = [l1 * s[0], l2 * s[1], l3 * s[2]]
    x = lx[0] + lx[1] + lx[2]
    y = ly[0] + ly[1] + ly[2]
    # Column j of the Jacobian sums the links from j on.
    jx = [-(ly[0] + ly[1] + ly[2]), -(ly[1] + ly[2]), -ly[2]]
    jy = [lx[0] + lx[1] + lx[2], lx[1] + lx[2], lx[2]]
    a = jx[0] * jx[0] + jx[1] * jx[1] + jx[2] * jx[2]
    b = jx[0] * jy[0] + jx[1] * jy[1] + jx[2] * jy[2]
    d = jy[0] * jy[0] + jy[1] * jy[1] + jy[2] * jy[2]
    manipulability = jnp.sqrt(a * d - b * b)
    return x, y, a3 * 1.0, manipulability
