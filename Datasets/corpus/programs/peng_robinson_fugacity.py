"""Peng-Robinson equation of state: vapour compressibility by six Newton steps on the cubic, then ln(fugacity coefficient)."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "train"
# temperature, pressure, critical temperature, critical pressure, acentric factor
INPUTS = [((), 350.0, 400.0), ((), 1.0e6, 2.0e6), ((), 300.0, 320.0), ((), 4.5e6, 5.0e6), ((), 0.1, 0.2)]


def fn(t, p, tc, pc, omega):
    r = 8.314
    kappa = 0.37464 + 1.54226 * omega - 0.26992 * omega * omega
    alpha = (1.0 + kappa * (1.0 - jnp.sqrt(t / tc))) ** 2
    a = 0.45724 * r * r * tc * tc / pc * alpha
    b = 0.07780 * r * tc / pc
    big_a = a * p / (r * r * t * t)
    big_b = b * p / (r * t)
    c2 = -(1.0 - big_b)
    c1 = big_a - 3.0 * big_b * big_b - 2.0 * big_b
    c0 = -(big_a * big_b - big_b * big_b - big_b ** 3)
    z = 1.0
    for _ in range(6):
        f = ((z + c2) * z + c1) * z + c0
        df = (3.0 * z + 2.0 * c2) * z + c1
        z = z - f / df
    s2 = 1.4142135623730951
    ln_phi = (z - 1.0 - jnp.log(z - big_b)
              - big_a / (2.0 * s2 * big_b) * jnp.log((z + (1.0 + s2) * big_b) / (z + (1.0 - s2) * big_b)))
    return z, ln_phi
