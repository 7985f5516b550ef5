"""Extended Debye-Hueckel activity coefficients of four ions and the mean ionic activity of a salt."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "train"
# four molalities, temperature
INPUTS = [((), 0.01, 0.1)] * 4 + [((), 290.0, 310.0)]

CHARGES = [1.0, -1.0, 2.0, -2.0]
SIZES = [0.45, 0.3, 0.6, 0.4]   # ion-size parameter in nm


def fn(m1, m2, m3, m4, t):
    m = [m1, m2, m3, m4]
    ionic = 0.5 * sum(mi * z * z for mi, z in zip(m, CHARGES))
    a_coef = 0.5085 * (t / 298.15) ** 1.5 / (1.0 + 0.002 * (t - 298.15))
    b_coef = 3.281 * jnp.sqrt(t / 298.15)
    sq = jnp.sqrt(ionic)
    log_gamma = [-a_coef * z * z * sq / (1.0 + b_coef * s * sq) for z, s in zip(CHARGES, SIZES)]
    activity = [mi * 10.0 ** lg for mi, lg in zip(m, log_gamma)]
    mean = jnp.sqrt(activity[0] * activity[1])
    return tuple(activity) + (mean, ionic)
