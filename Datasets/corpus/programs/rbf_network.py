"""Gaussian radial-basis-function network: ten centres in the plane, widths and weights as inputs, a batch of three points."""
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "heldout"
INPUTS = [((3, 2), -1.0, 1.0), ((10, 2), -1.0, 1.0), ((10,), 0.5, 2.0), ((10,), -1.0, 1.0)]


def fn(points, centres, widths, weights):
    outputs = []
    for i in range(3):
        diff = centres - points[i:i + 1, :]                  # (10, 2)
        r2 = jnp.sum(diff * diff, axis=1)                   # (10,)
        outputs.append(jnp.dot(weights, jnp.exp(-widths * r2)))
    return tuple(outputs)
