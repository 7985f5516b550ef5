"""Lennard-Jones energy and forces of four atoms in the plane (all six pairs)."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "heldout"
# x1 y1 ... x4 y4 on a slightly perturbed square, epsilon, sigma
INPUTS = [((), -0.05, 0.05), ((), -0.05, 0.05), ((), 1.05, 1.15), ((), -0.05, 0.05),
          ((), -0.05, 0.05), ((), 1.05, 1.15), ((), 1.05, 1.15), ((), 1.05, 1.15), ((), 0.9, 1.1), ((), 0.95, 1.0)]


def fn(*args):
    pos, eps, sigma = args[:8], args[8], args[9]
    energy = 0.0
    force = [0.0] * 8
    for i in range(4):
        for j in range(i + 1, 4):
            dx, dy = pos[2 * i] - pos[2 * j], pos[2 * i + 1] - pos[2 * j + 1]
            r2 = dx * dx + dy * dy
            s6 = (sigma * sigma / r2) ** 3
            energy = energy + 4.0 * eps * (s6 * s6 - s6)
            scale = 24.0 * eps * (2.0 * s6 * s6 - s6) / r2
            force[2 * i] = force[2 * i] + scale * dx
            force[2 * i + 1] = force[2 * i + 1] + scale * dy
            force[2 * j] = force[2 * j] - scale * dx
            force[2 * j + 1] = force[2 * j + 1] - scale * dy
    return (energy,) + tuple(force)
