"""Joint torques that hold a four-link planar arm against gravity, and its potential energy."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "heldout"
# joint angles (4), link lengths (4), link masses (4), payload mass
INPUTS = [((), -1.0, 1.0)] * 4 + [((), 0.2, 0.5)] * 4 + [((), 0.5, 2.0)] * 4 + [((), 0.0, 1.0)]

G = 9.81


def fn(q1, q2, q3, q4, l1, l2, l3, l4, m1, m2, m3, m4, mp):
    q, l, m = [q1, q2, q3, q4], [l1, l2, l3, l4], [m1, m2, m3, m4]
    ang, xj, yj = 0.0, [0.0], [0.0]
    xc, yc = [], []
    for i in range(4):
        ang = ang + q[i]
        c, s = jnp.cos(ang), jnp.sin(ang)
        xc.append(xj[-1] + 0.5 * l[i] * c)
        yc.append(yj[-1] + 0.5 * l[i] * s)
        xj.append(xj[-1] + l[i] * c)
        yj.append(yj[-1] + l[i] * s)
    taus = []
    for j in range(4):
        # torque about joint j: sum of the weights outboard of it times their horizontal lever arm
        tau = mp * G * (xj[4] - xj[j])
        for i in range(j, 4):
            tau = tau + m[i] * G * (xc[i] - xj[j])
        taus.append(tau)
    pe = mp * G * yj[4]
    for i in range(4):
        pe = pe + m[i] * G * yc[i]
    return taus[0], taus[1], taus[2], taus[3], pe
