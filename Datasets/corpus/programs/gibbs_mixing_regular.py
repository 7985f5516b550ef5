"""Six-component regular solution at three temperatures: Gibbs energy of mixing, chemical potentials, activity coefficients."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "train"
# unnormalised amounts (6), interaction matrix (6x6), base temperature
INPUTS = [((6,), 0.5, 2.0), ((6, 6), -2000.0, 2000.0), ((), 300.0, 400.0)]


def fn(n, w, t):
    x = n / jnp.sum(n)
    ws = 0.5 * (w + w.T)
    log_x = jnp.log(x)
    wx = ws @ x
    excess = 0.5 * jnp.dot(x, wx)
    results = []
    for factor in (1.0, 1.1, 1.2):
        rt = 8.314 * t * factor
        ideal = rt * jnp.sum(x * log_x)
        ln_gamma = (wx - excess) / rt
        results += [ideal + excess, jnp.exp(ln_gamma)]
    mu = 8.314 * t * (log_x + 1.0) + wx
    return tuple(results) + (mu,)
