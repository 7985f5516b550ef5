"""Three steps of attitude-quaternion integration from gyro rates, renormalised, then a vector rotated."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "train"
# quaternion w x y z, rates wx wy wz, dt, vector to rotate (3)
INPUTS = [((), 0.8, 1.0)] + [((), -0.3, 0.3)] * 3 + [((), -1.0, 1.0)] * 3 + [((), 0.01, 0.05)] + [((), -1.0, 1.0)] * 3


def multiply(a, b):
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return (aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw)


def fn(w, x, y, z, gx, gy, gz, dt, vx, vy, vz):
    q = (w, x, y, z)
    for _ in range(3):
        dq = multiply(q, (0.0, gx, gy, gz))
        q = tuple(q[i] + 0.5 * dt * dq[i] for i in range(4))
        n = jnp.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3])
        q = tuple(c / n for c in q)
    conj = (q[0], -q[1], -q[2], -q[3])
    rotated = multiply(multiply(q, (0.0, vx, vy, vz)), conj)
    return q + rotated[1:]
