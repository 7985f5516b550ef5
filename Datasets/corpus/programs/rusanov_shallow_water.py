"""Rusanov (local Lax-Friedrichs) flux of the 2-D shallow-water equations across an x-face."""
import jax.numpy as jnp

DOMAIN = "physics"
SPLIT = "heldout"
INPUTS = [((), 1.0, 1.5), ((), 0.1, 0.4), ((), -0.2, 0.2), ((), 0.6, 0.9), ((), -0.1, 0.2), ((), -0.2, 0.2)]


def fn(hl, hul, hvl, hr, hur, hvr):
    g = 9.81
    ul, vl = hul / hl, hvl / hl
    ur, vr = hur / hr, hvr / hr
    fl = (hul, hul * ul + 0.5 * g * hl * hl, hul * vl)
    fr = (hur, hur * ur + 0.5 * g * hr * hr, hur * vr)
    ql = (hl, hul, hvl)
    qr = (hr, hur, hvr)
    a = jnp.maximum(jnp.abs(ul) + jnp.sqrt(g * hl), jnp.abs(ur) + jnp.sqrt(g * hr))
    flux = tuple(0.5 * (fl[i] + fr[i]) - 0.5 * a * (qr[i] - ql[i]) for i in range(3))
    # The face speed a is reported too (a CFL estimate uses it).
    return flux + (a * 1.0,)
