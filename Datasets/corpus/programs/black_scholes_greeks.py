"""European call and put under Black-Scholes with delta, gamma, vega and theta of the call (erf-based normal CDF)."""
import jax.numpy as jnp
from jax import lax

DOMAIN = "finance"
SPLIT = "train"
# spot, strike, maturity, rate, volatility
INPUTS = [((), 90.0, 110.0), ((), 95.0, 105.0), ((), 0.5, 2.0), ((), 0.01, 0.05), ((), 0.15, 0.35)]


def cdf(x):
    return 0.5 * (1.0 + lax.erf(x * 0.7071067811865476))


def pdf(x):
    return 0.3989422804014327 * jnp.exp(-0.5 * x * x)


def fn(s, k, t, r, sigma):
    sq = jnp.sqrt(t)
    d1 = (jnp.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sq)
    d2 = d1 - sigma * sq
    disc = k * jnp.exp(-r * t)
    call = s * cdf(d1) - disc * cdf(d2)
    put = disc * cdf(-d2) - s * cdf(-d1)
    delta = cdf(d1)
    gamma = pdf(d1) / (s * sigma * sq)
    vega = s * pdf(d1) * sq
    theta = -s * pdf(d1) * sigma / (2.0 * sq) - r * disc * cdf(d2)
    return call, put, delta, gamma, vega, theta
