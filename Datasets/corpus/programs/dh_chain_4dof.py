"""Forward kinematics of a 4-joint arm in Denavit-Hartenberg form (fixed twists and offsets), scalar products."""
import math

import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
INPUTS = [((), -1.2, 1.2)] * 4

# (alpha, a, d) per joint; joint angles are the inputs.
DH = [(1.5707963, 0.0, 0.3), (0.0, 0.4, 0.0), (0.0, 0.35, 0.0), (-1.5707963, 0.05, 0.1)]


def link(theta, alpha, a, d):
    ct, st = jnp.cos(theta), jnp.sin(theta)
    ca, sa = math.cos(alpha), math.sin(alpha)
    rot = [[ct, -st * ca, st * sa], [st, ct * ca, -ct * sa], [0.0, sa, ca]]
    return rot, [a * ct, a * st, d]


def compose(r1, t1, r2, t2):
    r = [[sum(r1[i][k] * r2[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    t = [t1[i] + sum(r1[i][k] * t2[k] for k in range(3)) for i in range(3)]
    return r, t


def fn(q1, q2, q3, q4):
    r, t = link(q1, *DH[0])
    for q, params in zip((q2, q3, q4), DH[1:]):
        r2, t2 = link(q, *params)
        r, t = compose(r, t, r2, t2)
    # Tool position and approach axis (third column of the rotation).
    return t[0], t[1], t[2], r[0][2], r[1][2], r[2][2]
