"""Three midpoint steps of a small reaction network (A->B, B->C, A+B->D) with Arrhenius rate constants."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "train"
# [A], [B], [C], [D], temperature, three pre-exponential factors, three activation energies, dt
INPUTS = [((), 0.8, 1.2), ((), 0.1, 0.3), ((), 0.0, 0.1), ((), 0.0, 0.1), ((), 550.0, 650.0),
          ((), 1.0e3, 2.0e3), ((), 5.0e2, 1.5e3), ((), 1.0e4, 2.0e4), ((), 3.0e4, 4.0e4), ((), 3.0e4, 4.0e4),
          ((), 4.0e4, 5.0e4), ((), 0.01, 0.05)]


def rates(c, k):
    a, b, cc, d = c
    r1, r2, r3 = k[0] * a, k[1] * b, k[2] * a * b
    return -r1 - r3, r1 - r2 - r3, r2, r3


def fn(a, b, c, d, temp, a1, a2, a3, e1, e2, e3, dt):
    rt = 8.314 * temp
    k = (a1 * jnp.exp(-e1 / rt), a2 * jnp.exp(-e2 / rt), a3 * jnp.exp(-e3 / rt))
    s = (a, b, c, d)
    for _ in range(3):
        f1 = rates(s, k)
        mid = tuple(s[i] + 0.5 * dt * f1[i] for i in range(4))
        f2 = rates(mid, k)
        s = tuple(s[i] + dt * f2[i] for i in range(4))
    return s
