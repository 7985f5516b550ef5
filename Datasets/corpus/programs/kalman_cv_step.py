"""One Kalman filter step (predict and update) of a 2-D constant-velocity model observed in position, as matrices."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "train"
# state (4), covariance (4x4), process noise (4x4), measurement noise (2x2), measurement (2)
INPUTS = [((4,), -1.0, 1.0), ((4, 4), 0.0, 0.2), ((4, 4), 0.0, 0.05), ((2, 2), 0.0, 0.1), ((2,), -1.0, 1.0)]

DT = 0.1


def fn(x, p, q, r, z):
    p = p @ p.T + 0.5                     # a symmetric positive definite covariance
    q = q @ q.T
    r = r @ r.T + 0.05
    # F = [[I, dt I], [0, I]] applied without building F.
    x_pred = jnp.concatenate([x[:2] + DT * x[2:], x[2:]])
    fp = jnp.concatenate([p[:2] + DT * p[2:], p[2:]], axis=0)
    p_pred = jnp.concatenate([fp[:, :2] + DT * fp[:, 2:], fp[:, 2:]], axis=1) + q
    # H selects the position: S = P[:2,:2] + R, K = P[:, :2] S^-1.
    s = p_pred[:2, :2] + r
    a, b, c, d = s[0, 0], s[0, 1], s[1, 0], s[1, 1]
    det = a * d - b * c
    s_inv = jnp.stack([jnp.stack([d, -b]), jnp.stack([-c, a])]) / det
    k = p_pred[:, :2] @ s_inv
    x_new = x_pred + k @ (z - x_pred[:2])
    p_new = p_pred - k @ p_pred[:2, :]
    return x_new, p_new
