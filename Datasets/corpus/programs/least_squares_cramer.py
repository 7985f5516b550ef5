"""Linear least squares with three unknowns: normal equations solved by Cramer's rule, then the residual norm."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "train"
INPUTS = [((8, 3), -1.0, 1.0), ((8,), -1.0, 1.0)]


def det3(m):
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def fn(a, b):
    g = a.T @ a + 0.1                         # regularised Gram matrix (3x3)
    rhs = a.T @ b                             # (3,)
    m = [[g[i, j] for j in range(3)] for i in range(3)]
    c = [rhs[i] for i in range(3)]
    d = det3(m)
    sol = []
    for k in range(3):
        mk = [[c[i] if j == k else m[i][j] for j in range(3)] for i in range(3)]
        sol.append(det3(mk) / d)
    coef = jnp.stack(sol)
    residual = a @ coef - b
    return coef, jnp.sqrt(jnp.sum(residual * residual))
