"""Vasicek zero-coupon bond prices and yields at six maturities from (kappa, theta, sigma, r0)."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "train"
INPUTS = [((), 0.3, 0.7), ((), 0.03, 0.05), ((), 0.01, 0.02), ((), 0.01, 0.04)]

MATURITIES = [0.5, 1.0, 2.0, 3.0, 5.0, 10.0]


def fn(kappa, theta, sigma, r0):
    yields = []
    for t in MATURITIES:
        b = (1.0 - jnp.exp(-kappa * t)) / kappa
        log_a = (theta - sigma * sigma / (2.0 * kappa * kappa)) * (b - t) - sigma * sigma * b * b / (4.0 * kappa)
        yields.append(-(log_a - b * r0) / t)
    return tuple(yields)
