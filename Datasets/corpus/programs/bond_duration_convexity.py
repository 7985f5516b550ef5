"""Bond price, Macaulay duration and convexity, discounting each cash flow on a Nelson-Siegel yield curve."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "heldout"
# cash flows (10), times (10), Nelson-Siegel level, slope, curvature, decay
INPUTS = [((10,), 2.0, 6.0), ((10,), 0.5, 10.0), ((), 0.03, 0.05), ((), -0.02, 0.0), ((), -0.01, 0.01), ((), 1.5, 2.5)]


def fn(cf, t, level, slope, curvature, tau):
    s = t / tau
    decay = jnp.exp(-s)
    loading = (1.0 - decay) / s
    y = level + slope * loading + curvature * (loading - decay)
    discount = jnp.exp(-y * t)
    pv = cf * discount
    price = jnp.sum(pv)
    duration = jnp.sum(t * pv) / price
    convexity = jnp.sum(t * t * pv) / price
    return price, duration, convexity, y
