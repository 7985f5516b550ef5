"""Portfolio under a 3-factor model: volatility, Sharpe ratio, risk contributions, diversification ratio, impact cost."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "train"
# weights (8), previous weights (8), loadings (8x3), factor variances (3), specific variances (8), expected returns (8)
INPUTS = [((8,), 0.05, 0.2), ((8,), 0.05, 0.2), ((8, 3), -1.0, 1.0), ((3,), 0.01, 0.05), ((8,), 0.01, 0.04), ((8,), 0.02, 0.1)]


def fn(w, w_prev, b, f, d, mu):
    exposure = w @ b                      # (3,)
    variance = jnp.sum(exposure * exposure * f) + jnp.sum(w * w * d)
    vol = jnp.sqrt(variance)
    # Marginal risk contributions w_i (B F B' w + D w)_i / vol.
    contributions = w * (b @ (exposure * f) + d * w) / vol
    asset_vol = jnp.sqrt(jnp.sum(b * b * f, axis=1) + d)
    diversification = jnp.dot(w, asset_vol) / vol
    impact = 0.01 * jnp.sum(jnp.abs(w - w_prev) ** 1.5)
    utility = jnp.dot(mu, w) - 2.0 * variance - impact
    return utility, jnp.dot(mu, w) / vol, contributions, diversification
