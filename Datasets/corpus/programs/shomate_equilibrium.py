"""Shomate heat capacity, enthalpy and entropy of three species and the equilibrium constant of A + B <-> C."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "heldout"
# temperature (K), Shomate coefficients A..G of three species (scaled), pressure ratio p/p0
INPUTS = [((), 600.0, 1000.0), ((3, 7), -1.0, 1.0), ((), 0.8, 1.2)]

R = 8.314e-3  # kJ/(mol K)
SCALE = [30.0, 10.0, 2.0, 0.5, 0.2, 20.0, 200.0]


def fn(temp, coef, pr):
    t = temp / 1000.0
    out = []
    for i in range(3):
        a, b, c, d, e, f, g = [coef[i, j] * SCALE[j] + (25.0 if j == 0 else 0.0) for j in range(7)]
        cp = a + b * t + c * t * t + d * t * t * t + e / (t * t)
        h = a * t + b * t * t / 2.0 + c * t * t * t / 3.0 + d * t * t * t * t / 4.0 - e / t + f
        s = a * jnp.log(t) + b * t + c * t * t / 2.0 + d * t * t * t / 3.0 - e / (2.0 * t * t) + g
        out.append((cp, h, s))
    dh = out[2][1] - out[0][1] - out[1][1]
    ds = (out[2][2] - out[0][2] - out[1][2]) / 1000.0
    dg = dh - temp * ds
    k = jnp.exp(-dg / (R * temp)) / pr
    dcp = out[2][0] - out[0][0] - out[1][0]
    return k, dh, dcp
