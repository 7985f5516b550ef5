"""GARCH(1,1) variance recursion over twelve returns and the Gaussian negative log-likelihood."""
import jax.numpy as jnp

DOMAIN = "finance"
SPLIT = "heldout"
# omega, alpha, beta, then twelve returns
INPUTS = [((), 0.01, 0.05), ((), 0.05, 0.15), ((), 0.7, 0.85)] + [((), -0.3, 0.3)] * 12


def fn(omega, alpha, beta, *returns):
    var = omega / (1.0 - alpha - beta)
    nll = 0.0
    for r in returns:
        nll = nll + 0.5 * (jnp.log(var) + r * r / var)
        var = omega + alpha * r * r + beta * var
    return nll, var
