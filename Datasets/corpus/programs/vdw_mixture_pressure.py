"""Van der Waals pressure, compressibility and residual Helmholtz energy of a five-component mixture (quadratic mixing rule)."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "heldout"
# temperature, molar volume, pure-component a (5), b (5), mole amounts (5), binary interaction (5 x 5)
INPUTS = [((), 300.0, 400.0), ((), 0.5, 1.0), ((5,), 0.1, 0.5), ((5,), 0.02, 0.05), ((5,), 0.1, 1.0),
          ((5, 5), 0.0, 0.1)]

R = 0.08314


def fn(temp, vm, a, b, n, kij):
    x = n / jnp.sum(n)
    sa = jnp.sqrt(a)
    aij = jnp.outer(sa, sa) * (1.0 - 0.5 * (kij + kij.T))
    a_mix = jnp.dot(x, jnp.dot(aij, x))
    b_mix = jnp.dot(x, b)
    p = R * temp / (vm - b_mix) - a_mix / (vm * vm)
    z = p * vm / (R * temp)
    a_res = -R * temp * jnp.log(1.0 - b_mix / vm) - a_mix / vm
    da = 2.0 * jnp.dot(aij, x)
    return p, z, a_res, da
