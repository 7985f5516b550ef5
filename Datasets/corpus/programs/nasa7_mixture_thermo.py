"""Heat capacity, enthalpy and entropy of four species from NASA 7-coefficient polynomials, and their mixture."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "heldout"
# temperature, coefficients (4 species x 7), mole fractions (4), pressure ratio p/p0
INPUTS = [((), 800.0, 1200.0), ((4, 7), -1.0, 1.0), ((4,), 0.1, 0.4), ((), 0.8, 1.2)]

SCALE = [3.0, 1e-3, 1e-6, 1e-9, 1e-12, 1e3, 1.0]


def fn(t, a, y, pr):
    coef = [a[:, i] * SCALE[i] + (3.5 if i == 0 else 0.0) for i in range(7)]
    cp = coef[0] + t * (coef[1] + t * (coef[2] + t * (coef[3] + t * coef[4])))
    h = (coef[0] + t * (coef[1] / 2.0 + t * (coef[2] / 3.0 + t * (coef[3] / 4.0 + t * coef[4] / 5.0))) + coef[5] / t)
    s = coef[0] * jnp.log(t) + t * (coef[1] + t * (coef[2] / 2.0 + t * (coef[3] / 3.0 + t * coef[4] / 4.0))) + coef[6]
    x = y / jnp.sum(y)
    s_mix = jnp.dot(x, s) - jnp.dot(x, jnp.log(x)) - jnp.log(pr)
    return jnp.dot(x, cp), jnp.dot(x, h) * t, s_mix, cp
